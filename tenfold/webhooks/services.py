"""Writes to an organization's webhooks: add, change, delete, rotate the secret, send a test
event, and try a failed delivery again.

Like every service: keyword-only, validated, atomic, audited. The interfaces (pages, API,
command) check first that the person is an owner or admin (`selectors.require_admin`). The
audit log records a webhook's host, never its whole address: an address often carries a token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.integrations import net
from tenfold.lib.validation import Errors
from tenfold.organizations.models import Organization

from . import sending, signing
from .events import EVENT_KEYS, test_event
from .models import NAME_MAX, URL_MAX, DeliveryStatus, Webhook, WebhookDelivery

MAX_PER_ORGANIZATION = 25
"""More than this is a sign of a leak (scripts adding webhooks in a loop), not of need."""
FIELDS = ("name", "url", "event_types", "include_private", "active")


# --- checks -----------------------------------------------------------------------------------


def _name(errors: Errors, value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        errors.add("name", _("Give the webhook a name, such as the system it feeds."))
    elif len(name) > NAME_MAX:
        errors.add("name", _("Keep the name under %(limit)d characters.") % {"limit": NAME_MAX})
    return name


def _url(errors: Errors, value: Any) -> str:
    url = str(value or "").strip()
    if not url:
        errors.add("url", _("Enter the address Tenfold should send events to."))
        return url
    if len(url) > URL_MAX:
        errors.add("url", _("Keep the address under %(limit)d characters.") % {"limit": URL_MAX})
        return url
    try:
        net.check_url(url)
    except net.UnsafeTarget as error:
        errors.add("url", str(error))
    return url


def _event_types(errors: Errors, value: Any) -> list[str]:
    """The chosen event types, known ones only, in the documented order."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple | set):
        errors.add("event_types", _("Give the event types as a list."))
        return []
    wanted = {str(item).strip() for item in value}
    unknown = sorted(wanted - set(EVENT_KEYS))
    if unknown:
        errors.add(
            "event_types",
            _("Unknown event types: %(types)s. Known ones: %(known)s.")
            % {"types": ", ".join(unknown), "known": ", ".join(EVENT_KEYS)},
        )
    return [key for key in EVENT_KEYS if key in wanted]


def _flag(errors: Errors, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        errors.add(field, _("Say true or false."))
        return False
    return value


def _audit_changes(webhook: Webhook) -> dict[str, Any]:
    return {
        "name": webhook.name,
        "host": webhook.host,
        "event_types": list(webhook.event_types) or ["*"],
        "include_private": webhook.include_private,
        "active": webhook.active,
    }


# --- webhooks ---------------------------------------------------------------------------------


@transaction.atomic
def webhook_create(
    *,
    organization: Organization,
    name: str,
    url: str,
    event_types: list[str] | None = None,
    include_private: bool = False,
    active: bool = True,
    by: Any,
) -> Webhook:
    """Add a webhook with a new signing secret. No event types means every event."""
    errors = Errors()
    data = {
        "name": _name(errors, name),
        "url": _url(errors, url),
        "event_types": _event_types(errors, event_types),
        "include_private": _flag(errors, "include_private", include_private),
        "active": _flag(errors, "active", active),
    }
    # Locking the organization's row makes the count below exact under concurrent adds.
    Organization.objects.select_for_update(of=("self",)).filter(pk=organization.pk).first()
    if Webhook.objects.filter(organization=organization).count() >= MAX_PER_ORGANIZATION:
        errors.add(
            "__all__",
            _("An organization can have at most %(limit)d webhooks. Delete one you no longer use.")
            % {"limit": MAX_PER_ORGANIZATION},
        )
    errors.raise_if_any()
    webhook = Webhook.objects.create(
        organization=organization,
        secret=signing.new_secret(),
        created_by=by if getattr(by, "pk", None) else None,
        **data,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="webhook.created",
        obj=webhook,
        changes=_audit_changes(webhook),
    )
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, by: Any, **changes: Any) -> Webhook:
    """Change a webhook's name, address, event types, restricted flag or whether it is on.
    Switching a webhook back on clears the reason it was switched off and its failure count."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    row = Webhook.objects.select_for_update(of=("self",)).get(pk=webhook.pk)
    errors = Errors()
    checks = {
        "name": lambda v: _name(errors, v),
        "url": lambda v: _url(errors, v),
        "event_types": lambda v: _event_types(errors, v),
        "include_private": lambda v: _flag(errors, "include_private", v),
        "active": lambda v: _flag(errors, "active", v),
    }
    cleaned = {field: checks[field](value) for field, value in changes.items()}
    errors.raise_if_any()
    before = _audit_changes(row)
    old_url, was_active = row.url, row.active
    for field, value in cleaned.items():
        setattr(row, field, value)
    if row.active and not was_active:
        row.disabled_reason, row.disabled_at, row.consecutive_failures = "", None, 0
    row.save()
    after = _audit_changes(row)
    diff: dict[str, Any] = {
        key: [before[key], after[key]] for key in after if before[key] != after[key]
    }
    if row.url != old_url and "host" not in diff:
        diff["address"] = "changed"
    if diff:
        audit_record(
            organization=row.organization, actor=by, verb="webhook.updated", obj=row, changes=diff
        )
    _copy(row, webhook)
    return webhook


def _copy(source: Webhook, target: Webhook) -> None:
    for field in (
        *FIELDS,
        "secret",
        "previous_secret",
        "previous_secret_until",
        "consecutive_failures",
        "disabled_reason",
        "disabled_at",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))


@transaction.atomic
def webhook_delete(*, webhook: Webhook, by: Any) -> None:
    """Delete a webhook and its delivery log. Attempts still pending are dropped."""
    audit_record(
        organization=webhook.organization,
        actor=by,
        verb="webhook.deleted",
        obj=webhook,
        changes={"name": webhook.name, "host": webhook.host},
    )
    Webhook.objects.filter(pk=webhook.pk).delete()


@transaction.atomic
def webhook_rotate_secret(*, webhook: Webhook, by: Any) -> Webhook:
    """Give the webhook a new secret. For a day the old one signs too (requests carry both
    signatures), so the receiver can be switched over without losing an event."""
    row = Webhook.objects.select_for_update(of=("self",)).get(pk=webhook.pk)
    now = timezone.now()
    row.previous_secret = row.secret
    row.previous_secret_until = now + sending.ROTATION_GRACE
    row.secret = signing.new_secret()
    row.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
    audit_record(
        organization=row.organization,
        actor=by,
        verb="webhook.secret_rotated",
        obj=row,
        changes={"old_secret_valid_until": row.previous_secret_until},
    )
    _copy(row, webhook)
    return webhook


def old_secret_until(webhook: Webhook, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the previous secret stops signing, while it still does; None otherwise."""
    now = now or timezone.now()
    until = webhook.previous_secret_until
    return until if webhook.previous_secret and until and until > now else None


# --- sending on request -----------------------------------------------------------------------


def webhook_send_test(*, webhook: Webhook, by: Any) -> WebhookDelivery:
    """Send a `webhook.test` event now and return its delivery with the outcome. It is sent
    whether or not the webhook is on or subscribes to anything, and never retried. Not
    atomic: no transaction stays open while the receiver answers."""
    return sending.send_test(webhook, test_event(webhook, by))


def delivery_retry(*, delivery: WebhookDelivery, by: Any) -> WebhookDelivery:
    """Try a delivery that was given up on once more, now (whether or not the webhook is on).
    It keeps its event id, so a receiver that did get it before can tell."""
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(
            _("Only a failed delivery can be sent again; this one is %(status)s.")
            % {"status": DeliveryStatus(delivery.status).label.lower()}
        )
    again = sending.send_again(delivery)
    if again is None:
        raise ValidationError(_("Someone else is sending this delivery again right now."))
    return again
