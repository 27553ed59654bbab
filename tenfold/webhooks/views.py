"""Pages of the webhooks, under the organization's settings (owners and admins only): the list,
add and edit, delete, one webhook with its secret and delivery log, a test event, a new secret,
and sending a failed delivery again.

Parse → authorize → call a service → render. Members get 403, other organizations 404. Writes
are POST only. A test event and "send again" work as plain forms (redirect with a message) and,
with htmx, answer with the outcome in place and the refreshed log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tenfold.lib.validation import error_dict
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import apply_errors, org_access, render

from . import services
from .events import EVENT_TYPES
from .forms import WebhookForm
from .models import DeliveryStatus, Webhook, WebhookDelivery
from .selectors import (
    LOG_SIZE,
    deliveries_of,
    get_delivery,
    get_webhook,
    require_admin,
    webhooks_of,
)

LIST = "webhooks/list.html"
FORM = "webhooks/form.html"
DETAIL = "webhooks/detail.html"
DELETE = "webhooks/delete.html"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _admin(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = org_access(request, org)
    require_admin(access)
    return organization, access


def _detail_url(organization: Organization, webhook: Webhook) -> str:
    return reverse("webhook", kwargs={"org": organization.slug, "code": webhook.code})


def _base(organization: Organization, access: Access, **extra: Any) -> dict[str, Any]:
    return {"org": organization, "access": access, "tab": "integrations", **extra}


# --- the list, adding, editing ----------------------------------------------------------------


@require_safe
def webhook_list(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = _admin(request, org)
    context = _base(organization, access, webhooks=webhooks_of(organization))
    return render(request, LIST, context)


@require_http_methods(["GET", "HEAD", "POST"])
def webhook_new(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = _admin(request, org)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                webhook = services.webhook_create(
                    organization=organization, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Webhook added. Copy its signing secret into the receiving system, "
                        "then send a test event."
                    ),
                )
                return redirect(_detail_url(organization, webhook))
        return render(request, FORM, _base(organization, access, form=form), status=400)
    return render(request, FORM, _base(organization, access, form=form))


@require_http_methods(["GET", "HEAD", "POST"])
def webhook_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    initial = {
        "name": webhook.name,
        "url": webhook.url,
        "event_types": webhook.event_types,
        "include_private": webhook.include_private,
        "active": webhook.active,
    }
    form = WebhookForm(request.POST if request.method == "POST" else None, initial=initial)
    context = _base(organization, access, form=form, webhook=webhook)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.webhook_update(webhook=webhook, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Webhook saved."))
                return redirect(_detail_url(organization, webhook))
        return render(request, FORM, context, status=400)
    return render(request, FORM, context)


@require_http_methods(["GET", "HEAD", "POST"])
def webhook_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET asks to confirm; POST deletes the webhook and its log."""
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    if request.method == "POST":
        services.webhook_delete(webhook=webhook, by=request.user)
        messages.success(request, _("Webhook “%(name)s” deleted.") % {"name": webhook.name})
        return redirect("webhooks", org=organization.slug)
    return render(request, DELETE, _base(organization, access, webhook=webhook))


# --- one webhook ------------------------------------------------------------------------------


def _detail_context(
    organization: Organization, access: Access, webhook: Webhook, **extra: Any
) -> dict[str, Any]:
    chosen = set(webhook.event_types or [])
    return _base(
        organization,
        access,
        webhook=webhook,
        deliveries=deliveries_of(webhook),
        log_size=LOG_SIZE,
        events=[(key, label) for key, label in EVENT_TYPES if key in chosen],
        old_secret_until=services.old_secret_until(webhook),
        **extra,
    )


@require_safe
def webhook_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The webhook, its secret (behind a disclosure) and its newest deliveries. htmx may ask
    for the log alone, to refresh it."""
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    context = _detail_context(organization, access, webhook)
    return render(request, DETAIL, context, partial="log")


@require_POST
def webhook_test(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Send a test event now. htmx gets the outcome in place (and the log, refreshed)."""
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    delivery = services.webhook_send_test(webhook=webhook, by=request.user)
    if not _htmx(request):
        _tell(request, delivery, _("The test event was received."), _("The test event failed"))
        return redirect(_detail_url(organization, webhook))
    context = _detail_context(organization, access, webhook, tested=delivery, oob=True)
    return render(request, DETAIL, context, partial="test_result")


@require_POST
def webhook_rotate(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    services.webhook_rotate_secret(webhook=webhook, by=request.user)
    messages.success(
        request,
        _(
            "New signing secret made. For the next 24 hours requests carry a signature made with "
            "the old secret too, so you have time to update the receiver."
        ),
    )
    return redirect(_detail_url(organization, webhook))


@require_POST
def webhook_redeliver(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Send a failed delivery (its code in the `delivery` field) once more, now."""
    organization, access = org_access(request, org)
    webhook = get_webhook(access, code)
    key = request.POST.get("delivery", "").strip()
    errors: list[str] = []
    delivery: WebhookDelivery | None = None
    if not key:
        errors = [_("Choose the delivery to send again.")]
    else:
        try:
            delivery = services.delivery_retry(delivery=get_delivery(webhook, key), by=request.user)
        except ValidationError as error:
            errors = [m for messages_ in error_dict(error).values() for m in messages_]
    if not _htmx(request):
        if errors and not key:
            context = _detail_context(organization, access, webhook, log_errors=errors)
            return render(request, DETAIL, context, status=400)
        if errors:
            messages.error(request, " ".join(errors))
        elif delivery is not None:
            _tell(request, delivery, _("Sent again and received."), _("Sent again, and it failed"))
        return redirect(_detail_url(organization, webhook) + "#delivery-log")
    context = _detail_context(
        organization, access, webhook, log_errors=errors, redelivered=delivery
    )
    # htmx swaps only 2xx answers: a refusal comes back as 200 with the message in the log.
    return render(request, DETAIL, context, partial="log")


def _tell(request: HttpRequest, delivery: WebhookDelivery, ok: str, failed: str) -> None:
    if delivery.status == DeliveryStatus.SUCCEEDED:
        messages.success(
            request,
            f"{ok} "
            + _("Status %(status)s in %(ms)d ms.")
            % {"status": delivery.response_status, "ms": delivery.duration_ms or 0},
        )
    else:
        messages.error(request, f"{failed}: {delivery.error}")
