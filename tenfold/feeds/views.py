"""Pages of key-result data feeds: the settings page of one key result's feed (three forms, one
per kind, each with a Test button), syncing by hand, rotating a push token, deleting the feed,
and the push address other systems send values to.

Parse → authorize → call a service → render. Every write is a POST and refuses with 403 whoever
may not configure the feed (owner of the key result, leads of its unit, admins), htmx or not.
A refused htmx write answers 200 with the message inside the swapped fragment (htmx does not
swap 4xx answers); the same refusal as a plain form post answers 400 with the whole page.

The push address needs no session and no CSRF token: the token in the address is the
credential. It answers JSON: 404 for an unknown token, 413 for a body over `PUSH_BODY_MAX`,
400 with a message for a value it cannot use (nothing changes then), 200 otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tenfold.lib.feeds import mask_connection
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import KeyResult
from tenfold.okrs.selectors import get_key_result
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import apply_errors, org_access, render

from . import services
from .forms import FORMS
from .models import DataSource, Kind
from .selectors import can_configure, feed_of, plain, source_for_token

PAGE = "feeds/config.html"
PARTIAL = "feeds/_key_result_source.html"
POLL_LIMIT = 30
"""How many times the key-result page asks whether a requested sync has finished (every two
seconds) before it stops asking."""
PUSH_BODY_MAX = 16 * 1024


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _kr_url(organization: Organization, kr: KeyResult) -> str:
    return reverse("key_result", kwargs={"org": organization.slug, "code": kr.code})


def _feed_url(organization: Organization, kr: KeyResult) -> str:
    return reverse("kr_feed", kwargs={"org": organization.slug, "code": kr.code})


def _configurable(
    request: HttpRequest, org: str, code: str
) -> tuple[Organization, Access, KeyResult]:
    """The key result (404 unless the person sees it) when they may configure its feed (403)."""
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not can_configure(access, kr):
        raise PermissionDenied(
            _("Only the key result's owner, the leads of its team and admins may set up its feed.")
        )
    return organization, access, kr


def _initial(source: DataSource | None, kind: str) -> dict[str, Any]:
    if source is None or source.kind != kind:
        return {}
    return {
        "url": source.url,
        "format": source.format,
        "path": source.path,
        "csv_column": source.csv_column,
        "csv_row": source.csv_row,
        "csv_filter": source.csv_filter,
        "csv_header": source.csv_header,
        "query": source.query,
        "schedule": source.schedule,
        "schedule_hour": source.schedule_hour,
        "schedule_weekday": source.schedule_weekday,
        "enabled": source.enabled,
    }


def _forms(source: DataSource | None, posted: Any = None, posted_kind: str = "") -> dict[str, Any]:
    forms = {}
    for kind, form_class in FORMS.items():
        data = posted if posted is not None and kind == posted_kind else None
        forms[kind] = form_class(data, initial=_initial(source, kind), auto_id=f"feed-{kind}-%s")
    return forms


def _context(
    organization: Organization,
    access: Access,
    kr: KeyResult,
    source: DataSource | None,
    **extra: Any,
) -> dict[str, Any]:
    forms = extra.pop("forms", None) or _forms(source)
    open_kind = extra.pop("open_kind", None) or (source.kind if source else Kind.URL)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "kr": kr,
        "objective": kr.objective,
        "source": source,
        "kinds": [(kind, label, forms[kind], kind == open_kind) for kind, label in Kind.choices],
        "push_url": _push_url(extra.get("token")),
        "header_names": sorted(source.headers) if source and source.kind == Kind.URL else [],
        "masked_connection": (
            mask_connection(source.connection) if source and source.kind == Kind.SQL else ""
        ),
        "may_configure": True,
    }
    context.update(extra)
    return context


def _push_url(token: str | None) -> str:
    """The address to push to: with the token when it was just made, else with a stand-in."""
    path = reverse("feed_push", kwargs={"token": token or "TOKEN"})
    return settings.SITE_URL + path


def _source_context(
    organization: Organization,
    access: Access,
    kr: KeyResult,
    source: DataSource | None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "org": organization,
        "access": access,
        "kr": kr,
        "kr_feed_source": source,
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def feed_config(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the feed settings page (or, for htmx with `part=source`, the feed's box on the key
    result page, while a requested sync is awaited). POST: save the settings of one kind."""
    organization, access, kr = _configurable(request, org, code)
    source = feed_of(kr)
    if request.method != "POST":
        if _htmx(request) and request.GET.get("part") == "source":
            return _awaited(request, organization, access, kr, source)
        return render(request, PAGE, _context(organization, access, kr, source))
    kind = request.POST.get("kind", "")
    form_class = FORMS.get(kind)
    if form_class is None:
        context = _context(organization, access, kr, source)
        context["page_errors"] = [_("Choose how the value arrives: push, url or sql.")]
        return render(request, PAGE, context, status=400)
    forms = _forms(source, request.POST, kind)
    form = forms[kind]
    if form.is_valid():
        try:
            source, token = services.source_set(
                access=access,
                key_result=kr,
                kind=kind,
                **form.changes(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if token is not None:
                # The only time the token can be seen: show it on this answer, not after a
                # redirect (it is not kept anywhere to show later).
                context = _context(
                    organization, access, kr, source, token=token, saved=True, open_kind=kind
                )
                return render(request, PAGE, context)
            messages.success(request, _("Feed saved."))
            return redirect(_feed_url(organization, kr))
    context = _context(organization, access, kr, source, forms=forms, open_kind=kind)
    return render(request, PAGE, context, status=400)


@require_POST
def feed_test(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Fetch the value the posted settings (or the saved ones) would give, record nothing."""
    organization, access, kr = _configurable(request, org, code)
    source = feed_of(kr)
    kind = request.POST.get("kind", "") or (source.kind if source else "")
    form_class = FORMS.get(kind)
    outcome: services.Outcome | None = None
    forms = _forms(source, request.POST if request.POST.get("kind") else None, kind)
    errors: list[str] = []
    if form_class is None:
        errors.append(_("There is no feed to test yet: fill in one of the forms first."))
    else:
        form = forms[kind]
        if request.POST.get("kind") and not form.is_valid():
            errors.append(_("Correct the settings below first."))
        else:
            changes = form.changes() if request.POST.get("kind") else {}
            try:
                outcome = services.source_test(access=access, key_result=kr, kind=kind, **changes)
            except ValidationError as error:
                if request.POST.get("kind"):
                    apply_errors(form, error)
                errors.extend(m for ms in error_dict(error).values() for m in ms)
    status = 200 if outcome is not None or _htmx(request) else 400
    tested = kind if request.POST.get("kind") else "saved"
    if _htmx(request):
        context = {"outcome": outcome, "test_errors": errors, "tested_kind": tested}
        return render(
            request,
            PAGE,
            {**_context(organization, access, kr, source), **context},
            partial="test_result",
            status=status,
        )
    context = _context(
        organization,
        access,
        kr,
        source,
        forms=forms,
        open_kind=kind or None,
        outcome=outcome,
        test_errors=errors,
        tested_kind=tested,
    )
    return render(request, PAGE, context, status=status)


@require_POST
def feed_sync(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Sync now. htmx gets the feed's box back: with the outcome when the sync is done (the
    whole page reloads when it recorded a value), or a note that it is on its way."""
    organization, access, kr = _configurable(request, org, code)
    source = feed_of(kr)
    if source is None:
        raise Http404
    asked = timezone.now()
    try:
        services.sync_request(access=access, source=source)
    except ValidationError as error:
        problem = " ".join(error.messages)
        if _htmx(request):
            context = _source_context(organization, access, kr, source, feed_problem=problem)
            return render(request, PARTIAL, context)
        context = _context(organization, access, kr, source, page_errors=[problem])
        return render(request, PAGE, context, status=400)
    if not _htmx(request):
        source.refresh_from_db()
        if source.last_sync_at and source.last_sync_at >= asked:
            if source.failed:
                messages.error(
                    request, _("The sync failed: %(error)s") % {"error": source.last_error}
                )
            else:
                messages.success(request, _("Synced."))
        else:
            messages.info(request, _("Sync requested: the value appears here in a moment."))
        return redirect(_kr_url(organization, kr))
    return _awaited(request, organization, access, kr, source, asked=asked)


def _awaited(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    kr: KeyResult,
    source: DataSource | None,
    *,
    asked: dt.datetime | None = None,
) -> HttpResponse:
    """The feed's box while a sync is awaited: the whole page reloads once the sync recorded a
    value; the box shows the outcome once it is done; until then it asks again in a moment."""
    if asked is None:
        asked = parse_datetime(request.GET.get("since", "")) or timezone.now()
    if source is not None:
        source.refresh_from_db()
    done = source is None or (source.last_sync_at is not None and source.last_sync_at >= asked)
    if done and source is not None and source.last_recorded_at and source.last_recorded_at >= asked:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the value, progress, chart and history all changed
        return response
    try:
        tries = int(request.GET.get("try", "0")) + 1
    except ValueError:
        tries = POLL_LIMIT
    context = _source_context(
        organization,
        access,
        kr,
        source,
        feed_just_synced=done,
        feed_waiting=not done and tries < POLL_LIMIT,
        feed_since=asked.isoformat(),
        feed_try=tries,
    )
    return render(request, PARTIAL, context)


@require_POST
def feed_rotate(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """A new push token, shown once; the old one stops working."""
    organization, access, kr = _configurable(request, org, code)
    source = feed_of(kr)
    if source is None:
        raise Http404
    try:
        token = services.token_rotate(access=access, source=source)
    except ValidationError as error:
        context = _context(organization, access, kr, source, page_errors=error.messages)
        return render(request, PAGE, context, status=400)
    context = _context(organization, access, kr, source, token=token, rotated=True)
    return render(request, PAGE, context)


@require_POST
def feed_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, kr = _configurable(request, org, code)
    if services.source_delete(access=access, key_result=kr):
        messages.success(request, _("Feed deleted. The check-ins it recorded stay in the history."))
    else:
        messages.info(request, _("This key result has no feed to delete."))
    return redirect(_kr_url(organization, kr))


# --- the push address -----------------------------------------------------------------------


def _error(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _declared_length(request: HttpRequest) -> int:
    """The Content-Length the sender declared, 0 when there is none or it is not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large() -> JsonResponse:
    """413 in the push address's error shape, for a body over `PUSH_BODY_MAX`."""
    return _error(413, "too_large", _("The body is too large: send just the value."))


def _pushed(request: HttpRequest) -> tuple[Any, Any]:
    """(value, note) from a JSON body, form fields or a plain-text body."""
    content_type = (request.content_type or "").lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST.get("value"), request.POST.get("note", "")
    body = request.body[: PUSH_BODY_MAX + 1]
    if len(body) > PUSH_BODY_MAX:
        raise RequestDataTooBig  # a body sent without its length
    text = body.decode("utf-8", errors="replace").strip()
    if content_type == "application/json" or text.startswith(("{", "[")):
        try:
            data = json.loads(text, parse_float=Decimal)
        except ValueError as error:
            raise ValidationError(_('The body is not valid JSON. Send {"value": 12.5}.')) from error
        if isinstance(data, dict):
            return data.get("value"), data.get("note", "")
        if isinstance(data, int | Decimal) and not isinstance(data, bool):
            return data, ""
        raise ValidationError(_('Send a JSON object such as {"value": 12.5}.'))
    return text, ""


@login_not_required
@csrf_exempt
@require_POST
def feed_push(request: HttpRequest, token: str) -> HttpResponse:
    source = source_for_token(token)
    if source is None:
        return _error(404, "not_found", _("No feed has this address. Check the token."))
    if _declared_length(request) > PUSH_BODY_MAX:
        return _too_large()  # refused from its declared length, before anything is read
    try:
        value, note = _pushed(request)
        outcome = services.value_push(source=source, value=value, note=note)
    except RequestDataTooBig:
        return _too_large()
    except ValidationError as error:
        fields = error_dict(error)
        message = " ".join(fields.pop("__all__", [])) or " ".join(
            m for ms in fields.values() for m in ms
        )
        return _error(400, "invalid", message, fields)
    return JsonResponse(
        {
            "recorded": outcome.recorded,
            "value": plain(outcome.value) if outcome.value is not None else None,
            "message": outcome.message,
            "key_result": source.key_result.code,
            "checkin": outcome.checkin.code if outcome.checkin else None,
        }
    )
