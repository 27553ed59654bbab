"""API endpoints for webhooks: list, add, read, change and delete an organization's webhooks,
rotate a secret, read the delivery log, send a test event and try a failed delivery again.

Owners and admins only (403 for everyone else), like the settings pages. Each endpoint does a
scoped fetch through `tenfold.webhooks.selectors` and calls a service in
`tenfold.webhooks.services`; refusals become the one error shape through the handlers in
`views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.webhooks import services
from tenfold.webhooks.events import EVENT_KEYS
from tenfold.webhooks.models import DeliveryStatus
from tenfold.webhooks.selectors import (
    LOG_SIZE,
    deliveries_of,
    delivery_data,
    event_type_data,
    get_delivery,
    get_webhook,
    require_admin,
    webhook_data,
    webhooks_of,
)

from .paging import PageIn, paginate
from .schemas import ErrorOut, PersonOut
from .views import scoped

router: Router = Router(tags=["Webhooks"])

READ_ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
EVENT_LIST = ", ".join(EVENT_KEYS)


# --- shapes -----------------------------------------------------------------------------------


class WebhookOut(Schema):
    code: str
    name: str
    url: str
    event_types: list[str] = Field(description="Subscribed event types; empty means every event")
    include_private: bool = Field(
        description="Whether events about objectives not everyone may see are sent too"
    )
    active: bool
    consecutive_failures: int = Field(
        description="Events in a row given up on since the last delivery that got through"
    )
    disabled_reason: str = Field(description="Why Tenfold switched the webhook off, if it did")
    disabled_at: dt.datetime | None
    created_by: PersonOut | None
    created_at: dt.datetime


class WebhookDetailOut(WebhookOut):
    secret: str = Field(description="The signing secret, “whsec_” and base64")


class WebhookIn(Schema):
    name: str
    url: str = Field(description="An http:// or https:// address")
    event_types: list[str] = Field(
        default_factory=list, description=f"Empty for every event; otherwise any of: {EVENT_LIST}"
    )
    include_private: bool = False
    active: bool = True


class WebhookPatch(Schema):
    name: str | None = None
    url: str | None = None
    event_types: list[str] | None = Field(None, description=f"Any of: {EVENT_LIST}; [] for all")
    include_private: bool | None = None
    active: bool | None = Field(
        None, description="true switches a webhook back on and clears why it was switched off"
    )


class DeliveryOut(Schema):
    code: str
    event_id: str = Field(description="The webhook-id header; the same on every attempt")
    event_type: str
    status: str = Field(description="pending, succeeded or failed")
    attempts: int
    response_status: int | None = Field(description="The receiver's HTTP status, if it answered")
    response_excerpt: str = Field(description="The first 1,000 characters of the answer")
    error: str = Field(description="Why the latest attempt failed, for people")
    duration_ms: int | None
    next_attempt_at: dt.datetime | None = Field(description="While pending: the next attempt")
    last_attempt_at: dt.datetime | None
    created_at: dt.datetime


class DeliveryDetailOut(DeliveryOut):
    payload: dict[str, Any] = Field(description="The JSON body sent")


class EventTypeOut(Schema):
    type: str
    description: str


class RetryIn(Schema):
    delivery: str = Field(description="The delivery's code or its event id (msg_…)")


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/webhook-event-types",
    response={200: list[EventTypeOut], 404: ErrorOut},
    summary="Event types a webhook can subscribe to",
)
def list_webhook_event_types(request: HttpRequest, org: str) -> list[dict[str, str]]:
    scoped(request, org)
    return event_type_data()


@router.get(
    "/orgs/{org}/webhooks", response={200: list[WebhookOut], **READ_ERRORS}, summary="Webhooks"
)
def list_webhooks(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """The organization's webhooks (without their secrets), by name. Paginated (`limit`,
    `offset`; X-Total-Count and Link headers)."""
    organization, access = scoped(request, org)
    require_admin(access)
    rows = paginate(request, response, webhooks_of(organization), page)
    return [webhook_data(webhook) for webhook in rows]


@router.post(
    "/orgs/{org}/webhooks",
    response={201: WebhookDetailOut, **WRITE_ERRORS},
    summary="Add a webhook",
)
def create_webhook(request: HttpRequest, org: str, payload: WebhookIn) -> Status[dict[str, Any]]:
    """The answer holds the new signing secret."""
    organization, access = scoped(request, org)
    require_admin(access)
    webhook = services.webhook_create(
        organization=organization,
        name=payload.name,
        url=payload.url,
        event_types=payload.event_types,
        include_private=payload.include_private,
        active=payload.active,
        by=request.user,
    )
    return Status(201, webhook_data(get_webhook(access, webhook.code), secret=True))


@router.get(
    "/orgs/{org}/webhooks/{code}",
    response={200: WebhookDetailOut, **READ_ERRORS},
    summary="One webhook, with its secret",
)
def get_one_webhook(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    return webhook_data(get_webhook(access, code), secret=True)


@router.patch(
    "/orgs/{org}/webhooks/{code}",
    response={200: WebhookDetailOut, **WRITE_ERRORS},
    summary="Change a webhook",
)
def update_webhook(
    request: HttpRequest, org: str, code: str, payload: WebhookPatch
) -> dict[str, Any]:
    """Only the fields sent change."""
    _organization, access = scoped(request, org)
    webhook = get_webhook(access, code)
    changes = {
        field: getattr(payload, field)
        for field in payload.model_fields_set
        if getattr(payload, field) is not None
    }
    null = sorted(f for f in payload.model_fields_set if getattr(payload, f) is None)
    if null:
        raise ValidationError({field: [_("This field cannot be null.")] for field in null})
    services.webhook_update(webhook=webhook, by=request.user, **changes)
    return webhook_data(webhook, secret=True)


@router.delete(
    "/orgs/{org}/webhooks/{code}",
    response={204: None, **READ_ERRORS},
    summary="Delete a webhook",
)
def delete_webhook(request: HttpRequest, org: str, code: str) -> Status[None]:
    """Deletes its delivery log too; attempts still waiting are dropped."""
    _organization, access = scoped(request, org)
    services.webhook_delete(webhook=get_webhook(access, code), by=request.user)
    return Status(204, None)


@router.post(
    "/orgs/{org}/webhooks/{code}/rotate-secret",
    response={200: WebhookDetailOut, **READ_ERRORS},
    summary="Give a webhook a new secret",
)
def rotate_webhook_secret(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """For 24 hours requests carry signatures made with both the new and the old secret."""
    _organization, access = scoped(request, org)
    webhook = services.webhook_rotate_secret(webhook=get_webhook(access, code), by=request.user)
    return webhook_data(webhook, secret=True)


@router.get(
    "/orgs/{org}/webhooks/{code}/deliveries",
    response={200: list[DeliveryDetailOut], 400: ErrorOut, **READ_ERRORS},
    summary="A webhook's delivery log",
)
def list_webhook_deliveries(
    request: HttpRequest, org: str, code: str, status: str | None = None, limit: int = LOG_SIZE
) -> list[dict[str, Any]]:
    """The newest deliveries first, with the payload sent; optionally only one `status`
    (pending, succeeded, failed). `limit` is at most 200."""
    _organization, access = scoped(request, org)
    webhook = get_webhook(access, code)
    errors: dict[str, list[str]] = {}
    if status and status not in DeliveryStatus.values:
        errors["status"] = [_("Choose pending, succeeded or failed.")]
    if not 1 <= limit <= 200:
        errors["limit"] = [_("Ask for between 1 and 200 deliveries.")]
    if errors:
        raise ValidationError(errors)
    rows = deliveries_of(webhook, limit=limit, status=status or None)
    return [delivery_data(delivery, payload=True) for delivery in rows]


@router.post(
    "/orgs/{org}/webhooks/{code}/test",
    response={200: DeliveryDetailOut, **READ_ERRORS},
    summary="Send a test event",
)
def test_webhook(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Sends a `webhook.test` event now and answers with its delivery: `status` says whether
    the receiver took it. Test events are never retried."""
    _organization, access = scoped(request, org)
    delivery = services.webhook_send_test(webhook=get_webhook(access, code), by=request.user)
    return delivery_data(delivery, payload=True)


@router.post(
    "/orgs/{org}/webhooks/{code}/redeliver",
    response={200: DeliveryDetailOut, **WRITE_ERRORS},
    summary="Send a failed delivery again",
)
def redeliver_webhook(
    request: HttpRequest, org: str, code: str, payload: RetryIn
) -> dict[str, Any]:
    """One more attempt now, with the same event id. Only failed deliveries (400 otherwise)."""
    _organization, access = scoped(request, org)
    webhook = get_webhook(access, code)
    delivery = services.delivery_retry(
        delivery=get_delivery(webhook, payload.delivery), by=request.user
    )
    return delivery_data(delivery, payload=True)
