"""Idempotency-Key replays and per-caller rate limits for the API (``/api/``).

Every API request is counted against its caller's budget (a token, else a signed-in person,
else the IP address); the answer carries ``X-RateLimit-*`` headers, and a request over budget
gets 429 without running. A writing request with an ``Idempotency-Key`` header is claimed after
the CSRF check (``process_view``), so a retry of a request that already ran gets the stored
answer back instead of doing the work twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tenfold.accounts.services import api_token_check

from . import conf
from .services import (
    Budget,
    idempotency_claim,
    idempotency_release,
    idempotency_store,
    rate_hit,
)

API_PREFIX = "/api/"
# The API's own description is public and not counted: reading the docs must not spend a
# script's budget.
DOCUMENTATION = ("/openapi.json", "/docs")
WRITING_METHODS = ("POST", "PUT", "PATCH", "DELETE")
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    """The API's one error shape, for answers given before the API itself runs."""
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _token_id(request: HttpRequest) -> int | None:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    # Checked once per request: the API's own authentication reuses this answer.
    row = api_token_check(token)
    request.checked_token = (token, row)  # type: ignore[attr-defined]
    return row.pk if row is not None else None


def caller_of(request: HttpRequest) -> tuple[str, bool]:
    """(who is calling, whether we know them). An unknown token counts as anonymous, so
    guessing tokens is limited by address."""
    token_id = _token_id(request)
    if token_id is not None:
        return f"token:{token_id}", True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", True
    return f"ip:{request.META.get('REMOTE_ADDR', '')}", False


def _request_digest(request: HttpRequest) -> str:
    """What makes two requests "the same": the query and the body. Multipart bodies are read
    as fields and files, because their boundary changes on every attempt."""
    digest = hashlib.sha256()
    digest.update(request.META.get("QUERY_STRING", "").encode())
    digest.update(b"\x00")
    if request.content_type == "multipart/form-data" and request.method == "POST":
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values]).encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(json.dumps([name, upload.name, upload.size]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update((request.content_type or "").encode())
        digest.update(b"\x00")
        digest.update(request.body)
    return digest.hexdigest()


def _nul_field(request: HttpRequest) -> str | None:
    """The field (or query parameter) of a request whose text holds a NUL character, or None.
    No stored text may hold one (PostgreSQL refuses it), so it is bad input on every engine."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "")
    if request.method not in WRITING_METHODS or request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, RequestDataTooBig):
        return None  # the API itself answers for a body it cannot read
    stack: list[tuple[str, Any]] = [("__all__", data)]
    while stack:
        field, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return field
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    return field
                stack.append((key if field == "__all__" else field, item))
        elif isinstance(value, list):
            stack.extend((field, item) for item in value)
    return None


def _set_budget_headers(response: HttpResponse, budget: Budget) -> None:
    response["X-RateLimit-Limit"] = str(budget.limit)
    response["X-RateLimit-Remaining"] = str(budget.remaining)
    response["X-RateLimit-Reset"] = str(budget.reset_after)


def _in_error_shape(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Addresses no API operation matches (Django's own 404 and 405 pages) answer in the
    API's error shape too, so clients only ever parse one kind of error."""
    if response.status_code not in (404, 405) or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    if response.status_code == 404:
        return error_response(404, "not_found", _("Not found."))
    replaced = error_response(
        405,
        "method_not_allowed",
        _("This address does not accept %(method)s.") % {"method": request.method},
    )
    if "Allow" in response:
        replaced["Allow"] = response["Allow"]
    return replaced


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) or request.path.endswith(DOCUMENTATION):
            return self.get_response(request)
        caller, known = caller_of(request)
        request._apiguard_caller = caller if known else None  # type: ignore[attr-defined]
        budget = self._count(request, caller, known)
        if budget is not None and budget.exceeded:
            response = error_response(
                429,
                "rate_limited",
                _("Too many requests. Try again in %(seconds)s seconds.")
                % {"seconds": budget.reset_after},
            )
            response["Retry-After"] = str(budget.reset_after)
        elif (field := _nul_field(request)) is not None:
            response = error_response(
                400,
                "invalid",
                _("Text may not contain NUL characters."),
                {field: [_("Remove the NUL character (\\u0000).")]},
            )
        else:
            try:
                response = _in_error_shape(request, self.get_response(request))
            except BaseException:
                self._release_claim(request)
                raise
            self._finish_claim(request, response)
        if budget is not None:
            _set_budget_headers(response, budget)
        return response

    def _count(self, request: HttpRequest, caller: str, known: bool) -> Budget | None:
        if not known:
            return rate_hit(limits={f"{caller}:all": conf.rate_limit_anonymous()})
        limits = {f"{caller}:all": conf.rate_limit()}
        if request.method in WRITING_METHODS:
            limits[f"{caller}:write"] = conf.rate_limit_writes()
        return rate_hit(limits=limits)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or request.method not in WRITING_METHODS:
            return None
        key = request.headers.get(HEADER)
        if key is None:
            return None
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return error_response(
                400,
                "invalid",
                _("The Idempotency-Key header must have 1 to 255 characters."),
                {HEADER: [_("Send 1 to 255 characters, for example a random UUID.")]},
            )
        caller = getattr(request, "_apiguard_caller", None)
        if caller is None:
            return None  # no one to scope the key to: the API answers 401 anyway
        try:
            request_digest = _request_digest(request)
        except RequestDataTooBig:
            return None  # the API refuses the body itself, key or not
        claim = idempotency_claim(
            caller=caller,
            method=request.method or "",
            path=request.path,
            key=key,
            request_digest=request_digest,
        )
        if claim.outcome == "run":
            request._apiguard_claim = claim.row  # type: ignore[attr-defined]
            return None
        if claim.outcome == "mismatch":
            return error_response(
                422,
                "idempotency_mismatch",
                _(
                    "This Idempotency-Key was already used for a different request. "
                    "Use a new key for a new request."
                ),
            )
        if claim.outcome == "in_progress":
            response = error_response(
                409,
                "idempotency_in_progress",
                _("A request with this Idempotency-Key is still running. Try again shortly."),
            )
            response["Retry-After"] = "1"
            return response
        row = claim.row
        response = HttpResponse(
            bytes(row.body), status=row.status, content_type=row.content_type or None
        )
        for name, value in row.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response

    def _release_claim(self, request: HttpRequest) -> None:
        row = getattr(request, "_apiguard_claim", None)
        if row is not None:
            idempotency_release(row=row)

    def _finish_claim(self, request: HttpRequest, response: HttpResponse) -> None:
        row = getattr(request, "_apiguard_claim", None)
        if row is None:
            return
        if response.status_code >= 500 or getattr(response, "streaming", False):
            # A server error is not an answer to keep: the retry should run again. A streamed
            # answer cannot be kept either.
            idempotency_release(row=row)
            return
        idempotency_store(
            row=row,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            headers=dict(response.items()),
            body=response.content,
        )
