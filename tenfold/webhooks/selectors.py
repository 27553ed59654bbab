"""Reads of webhooks and their deliveries, scoped to one organization, and who may see them.

Webhooks belong to the organization's settings: only owners and admins see or change them
(their secrets sign requests that receivers trust). Everyone else gets 403, whichever interface
they use.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from .events import describe, person
from .models import DeliveryStatus, Webhook, WebhookDelivery

LOG_SIZE = 50
"""Deliveries a webhook's page lists: the newest ones."""


def require_admin(access: Access) -> None:
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage webhooks."))


def get_webhook(access: Access, code: str) -> Webhook:
    """One webhook of the person's organization; 403 for non-admins, 404 for a code of
    another organization or none at all."""
    require_admin(access)
    organization = access.membership.organization
    webhook = (
        Webhook.objects.filter(organization=organization, code=(code or "").strip().lower())
        .select_related("created_by")
        .first()
    )
    if webhook is None:
        raise Http404
    webhook.organization = organization
    return webhook


def webhooks_of(organization: Organization) -> list[Webhook]:
    """The organization's webhooks, each with the status and time of its newest delivery
    (`last_status`, `last_at`): one query however many webhooks and deliveries there are."""
    newest = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-id")
    rows: list[Webhook] = list(
        Webhook.objects.filter(organization=organization)
        .select_related("created_by")
        .annotate(
            last_status=Subquery(newest.values("status")[:1]),
            last_at=Subquery(newest.values("created_at")[:1]),
        )
    )
    for webhook in rows:
        webhook.organization = organization
    return rows


def deliveries_of(
    webhook: Webhook, *, limit: int = LOG_SIZE, status: str | None = None
) -> list[WebhookDelivery]:
    """The webhook's newest deliveries, newest first: one query."""
    rows = WebhookDelivery.objects.filter(webhook=webhook)
    if status:
        rows = rows.filter(status=status)
    found = list(rows.order_by("-created_at", "-id")[:limit])
    for delivery in found:
        delivery.webhook = webhook
    return found


def get_delivery(webhook: Webhook, key: str) -> WebhookDelivery:
    """One delivery of the webhook, by its code or its event id ("msg_…"); 404 otherwise."""
    key = (key or "").strip()
    rows = WebhookDelivery.objects.filter(webhook=webhook)
    found = (
        rows.filter(event_id=key).first()
        if key.startswith("msg_")
        else rows.filter(code=key.lower()).first()
    )
    if found is None:
        raise Http404
    found.webhook = webhook
    return found


# --- data for the API and the CLI -------------------------------------------------------------


def webhook_data(webhook: Webhook, *, secret: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": webhook.code,
        "name": webhook.name,
        "url": webhook.url,
        "event_types": list(webhook.event_types or []),
        "include_private": webhook.include_private,
        "active": webhook.active,
        "consecutive_failures": webhook.consecutive_failures,
        "disabled_reason": webhook.disabled_reason,
        "disabled_at": webhook.disabled_at,
        "created_by": person(webhook.created_by) if webhook.created_by_id else None,
        "created_at": webhook.created_at,
    }
    if secret:
        data["secret"] = webhook.secret
    return data


def delivery_data(delivery: WebhookDelivery, *, payload: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": delivery.code,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "response_status": delivery.response_status,
        "response_excerpt": delivery.response_excerpt,
        "error": delivery.error,
        "duration_ms": delivery.duration_ms,
        "next_attempt_at": (
            delivery.next_attempt_at if delivery.status == DeliveryStatus.PENDING else None
        ),
        "last_attempt_at": delivery.last_attempt_at,
        "created_at": delivery.created_at,
    }
    if payload:
        data["payload"] = delivery.payload
    return data


def event_type_data() -> list[dict[str, str]]:
    from .events import EVENT_TYPES

    return [{"type": key, "description": describe(key)} for key, _label in EVENT_TYPES]
