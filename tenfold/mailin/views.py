"""Replies by email over HTTP: the inbound web hook that mail providers post messages to, and
the administrators' page that shows whether replies are on and what came in.

The hook has no session and no CSRF token: a provider calls it. It is closed (404) until
TENFOLD_INBOUND_SECRET is set, and then takes the secret as `Authorization: Bearer <secret>`
or `?key=<secret>`, compared in constant time. The message's size is checked from
Content-Length before its body is read or parsed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from tenfold.checkins.weekly import week_of
from tenfold.lib.mailreply import HEAD_MAX
from tenfold.notifications.services import site_url
from tenfold.web.shortcuts import org_access, render

from .models import InboundStatus, Via
from .selectors import RECENT, recent_messages
from .services import reply_apply_safely
from .tokens import MAX_AGE, reply_address

MESSAGE_FIELDS = ("email", "message", "body-mime")
"""Form fields that carry the raw message: SendGrid ("email"), Mailgun's MIME route
("body-mime"), and a plain "message"."""
RECIPIENT_FIELDS = ("recipient", "to", "envelope")
FORM_OVERHEAD = 64 * 1024
"""Room for the form's own fields and boundaries around a message of the largest size."""
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _answer(status: int, body: dict[str, Any]) -> JsonResponse:
    body = {"added": [], "warnings": [], "errors": [], **body}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _refused(status: int, reason: str, message: str) -> JsonResponse:
    return _answer(status, {"status": "rejected", "reason": reason, "errors": [message]})


def _authorized(request: HttpRequest, secret: str) -> bool:
    given = ""
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    given = given or request.GET.get("key", "")
    return bool(given) and constant_time_compare(given, secret)


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _from_form(request: HttpRequest) -> tuple[bytes | None, list[str]]:
    """The message and envelope recipients from a provider's form post."""
    recipients = [value for name in RECIPIENT_FIELDS for value in request.POST.getlist(name)]
    limit = settings.INBOUND_MAX_BYTES
    for name in MESSAGE_FIELDS:
        upload = request.FILES.get(name)
        if upload is not None:
            # Read no more than the limit allows, plus one byte to notice a larger file.
            with upload.open("rb") as handle:
                return handle.read(limit + 1), recipients
        value = request.POST.get(name)
        if value:
            return value.encode("utf-8", "surrogateescape"), recipients
    return None, recipients


@csrf_exempt
@login_not_required
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    """Take one raw email: the request body (message/rfc822 or application/octet-stream) or a
    form field "email", "message" or "body-mime". Answers JSON {status, reason, added,
    warnings, errors}: 200 once the message was judged (applied, rejected, ignored or a
    duplicate; providers should not send it again), 413 when it is too large, 500 on a fault."""
    secret = settings.INBOUND_SECRET
    if not secret:
        return _refused(404, "off", _("Replies by email are not configured here."))
    if not _authorized(request, secret):
        return _refused(401, "unauthorized", _("Send the inbound secret as a Bearer token."))
    limit = settings.INBOUND_MAX_BYTES
    length = _content_length(request)
    size: int | None = None
    recipients: list[str] = []
    if request.content_type in FORM_TYPES:
        if length is not None and length > limit + FORM_OVERHEAD:
            return _refused(
                413, "too_large", _("The message is larger than a reply may be; nothing was read.")
            )
        try:
            raw, recipients = _from_form(request)
        except RequestDataTooBig:
            return _refused(
                413, "too_large", _("The message is larger than a reply may be; nothing was read.")
            )
    elif length is not None and length > limit:
        # Read only the header block: enough to tell the person, nothing of the body.
        raw, size = request.read(HEAD_MAX), length
    else:
        raw = request.read(limit + 1)
    if not raw:
        return _refused(
            400,
            "no_message",
            _("Post the raw email as the request body or in a form field named “email”."),
        )
    outcome = reply_apply_safely(raw=raw, size=size, recipients=recipients, via=Via.HTTP)
    status = 200
    if outcome.reason == "too_large":
        status = 413
    elif outcome.status == InboundStatus.ERROR:
        status = 500
    return _answer(status, outcome.as_json())


# --- the administrators' page ----------------------------------------------------------------


@require_safe
def settings_inbound(request: HttpRequest, org: str) -> HttpResponse:
    """Whether replies by email are on, how to connect a provider or a Maildir, and the last
    messages that came in with what they added or why they were refused."""
    organization, access = org_access(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage the organization."))
    domain = settings.REPLY_DOMAIN
    example = (
        reply_address(
            user=access.membership.user, organization=organization, week=week_of(organization)
        )
        if domain
        else None
    )
    return render(
        request,
        "mailin/settings_inbound.html",
        {
            "org": organization,
            "access": access,
            "tab": "integrations",
            "reply_domain": domain,
            "secret_set": bool(settings.INBOUND_SECRET),
            "endpoint": site_url("inbound_email"),
            "example_address": example,
            "max_mb": settings.INBOUND_MAX_BYTES / (1024 * 1024),
            "max_age_days": MAX_AGE.days,
            "inbound": recent_messages(organization),
            "recent": RECENT,
        },
    )
