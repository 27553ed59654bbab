"""Turning audit entries into deliveries, and making the attempts.

An attempt is only ever made by whoever *claimed* the delivery: one conditional UPDATE that
moves `next_attempt_at` a few minutes ahead (the lease) and counts the attempt. Two workers (a
task and the periodic tick, or two ticks) may both see a delivery as due, but only one of their
UPDATEs matches the row, so only one sends. A worker that dies mid-attempt leaves the lease to
run out, and the delivery is tried again as an ordinary retry.

No database transaction is held open while a request is on its way: the claim and the outcome
are separate, short writes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.models import AuditEvent
from tenfold.audit.services import audit_record
from tenfold.integrations import net

from . import signing
from .events import CYCLE_CLOSED, KEY_RESULT_STATUS, Event, events_of
from .models import EXCERPT_MAX, DeliveryStatus, Webhook, WebhookDelivery

log = logging.getLogger(__name__)

TIMEOUT = 10.0
"""Seconds a receiver has to answer one attempt (tests make it shorter)."""
MAX_BYTES = 64 * 1024
"""Most of an answer read; a receiver has nothing longer to say to us."""
LEASE = dt.timedelta(minutes=5)
"""How long a claimed delivery is left alone by other workers: well over one attempt."""
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=8),
)
"""The wait after each failed attempt; after the last one the delivery is given up (failed).
So an event is tried six times over about ten and a half hours."""
AUTO_DISABLE_AFTER = 10
"""A webhook is switched off once this many events in a row were given up on."""
ROTATION_GRACE = dt.timedelta(hours=24)
"""After a secret is rotated, requests are also signed with the old one for this long."""

EXTRA: dict[str, set[str]] = {
    "checkin.recorded": {KEY_RESULT_STATUS},
    "checkin.corrected": {KEY_RESULT_STATUS},
    "cycle.state_changed": {CYCLE_CLOSED},
}
"""The more specific events an audit verb may give besides its own."""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    excerpt: str
    error: str
    duration_ms: int


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def secrets_of(webhook: Webhook, now: dt.datetime) -> list[str]:
    """The secrets a request is signed with: the current one, and the previous one while its
    grace period after a rotation lasts."""
    found = [webhook.secret]
    if (
        webhook.previous_secret
        and webhook.previous_secret_until is not None
        and webhook.previous_secret_until > now
    ):
        found.append(webhook.previous_secret)
    return found


def send(webhook: Webhook, delivery: WebhookDelivery) -> Outcome:
    """POST the delivery's payload to the webhook, signed; never raises for what the network
    or the receiver does."""
    body = body_of(delivery.payload)
    now = timezone.now()
    headers = {
        "Content-Type": "application/json",
        **signing.headers(secrets_of(webhook, now), delivery.event_id, int(now.timestamp()), body),
    }
    started = time.monotonic()
    try:
        response = net.request(
            "POST",
            webhook.url,
            organization=webhook.organization,
            body=body,
            headers=headers,
            timeout=TIMEOUT,
            max_bytes=MAX_BYTES,
        )
    except net.OutboundError as error:  # UnsafeTarget included: refused before sending
        return Outcome(
            ok=False,
            status=None,
            excerpt="",
            error=str(error) or type(error).__name__,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    excerpt = response.text()[:EXCERPT_MAX]
    if response.ok:
        return Outcome(True, response.status, excerpt, "", response.elapsed_ms)
    return Outcome(
        ok=False,
        status=response.status,
        excerpt=excerpt,
        error=_("The receiver answered with status %(status)d; only a 2xx answer counts.")
        % {"status": response.status},
        duration_ms=response.elapsed_ms,
    )


# --- claims -----------------------------------------------------------------------------------


def claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take a due pending delivery for one attempt; None when it is not due or someone else
    took it first."""
    taken = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(
        next_attempt_at=now + LEASE,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return _fetch(delivery_id) if taken else None


def claim_failed(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take a delivery that was given up on, for one more attempt asked for by a person."""
    taken = WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now + LEASE,
        last_attempt_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return _fetch(delivery_id) if taken else None


def _fetch(delivery_id: int) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.select_related("webhook__organization")
        .filter(pk=delivery_id)
        .first()
    )


# --- attempts ---------------------------------------------------------------------------------


def attempt(delivery: WebhookDelivery, now: dt.datetime, *, retry: bool = True) -> None:
    """Make the attempt a claim allows and record it on the delivery. With `retry`, a failure
    schedules the next attempt (or gives up after the last); without, it is final (test events
    and attempts a person asked for)."""
    webhook = delivery.webhook
    if retry and not webhook.active:
        outcome = Outcome(
            ok=False,
            status=None,
            excerpt="",
            error=_("Not sent: the webhook was switched off."),
            duration_ms=0,
        )
        _record(delivery, outcome, now, retry=False)
        return
    outcome = send(webhook, delivery)
    _record(delivery, outcome, now, retry=retry)


def _record(delivery: WebhookDelivery, outcome: Outcome, now: dt.datetime, *, retry: bool) -> None:
    if outcome.ok:
        state, next_at = DeliveryStatus.SUCCEEDED, None
    elif retry and delivery.attempts <= len(BACKOFF):
        state, next_at = DeliveryStatus.PENDING, now + BACKOFF[delivery.attempts - 1]
    else:
        state, next_at = DeliveryStatus.FAILED, None
    fields = {
        "status": state,
        "next_attempt_at": next_at,
        "response_status": outcome.status,
        "response_excerpt": outcome.excerpt,
        "error": outcome.error[:2000],
        "duration_ms": outcome.duration_ms,
        "updated_at": now,
    }
    # An update, not save(): the webhook (and its deliveries) may have been deleted meanwhile.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    webhook = delivery.webhook
    if outcome.ok and webhook.consecutive_failures:
        Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
        webhook.consecutive_failures = 0
    elif state == DeliveryStatus.FAILED and retry and not delivery.is_test:
        _given_up(webhook, outcome, now)


@transaction.atomic
def _given_up(webhook: Webhook, outcome: Outcome, now: dt.datetime) -> None:
    """Count an event given up on; switch the webhook off after too many in a row, saying why."""
    row = Webhook.objects.select_for_update(of=("self",)).filter(pk=webhook.pk).first()
    if row is None:
        return
    row.consecutive_failures += 1
    fields = ["consecutive_failures"]
    if row.active and row.consecutive_failures >= AUTO_DISABLE_AFTER:
        row.active = False
        row.disabled_at = now
        row.disabled_reason = (
            _(
                "Switched off on %(date)s after %(count)d events in a row could not be delivered. "
                "Last error: %(error)s"
            )
            % {
                "date": now.date().isoformat(),
                "count": row.consecutive_failures,
                "error": outcome.error,
            }
        )[:300]
        fields += ["active", "disabled_at", "disabled_reason"]
        audit_record(
            organization=row.organization,
            actor=None,
            verb="webhook.disabled",
            obj=row,
            changes={"failures": row.consecutive_failures, "error": outcome.error[:200]},
        )
    row.save(update_fields=fields)
    webhook.consecutive_failures = row.consecutive_failures
    webhook.active = row.active
    webhook.disabled_reason = row.disabled_reason


# --- from the audit log -----------------------------------------------------------------------


def subscribers(audit_id: int) -> list[Webhook]:
    """The active webhooks of the organization an audit entry belongs to: one query, and the
    only one when the organization has none."""
    return list(
        Webhook.objects.filter(active=True, organization__audit_events=audit_id).select_related(
            "organization"
        )
    )


def dispatch(audit_id: int) -> list[int]:
    """Make one delivery per event of an audit entry and webhook that wants it; the ids of
    the deliveries made now (none the second time round: the rows already exist)."""
    from .events import VERBS

    webhooks = subscribers(audit_id)
    if not webhooks:
        return []
    event = AuditEvent.objects.select_related("organization", "actor").filter(pk=audit_id).first()
    if event is None or event.verb not in VERBS:
        return []
    primary = VERBS[event.verb]
    possible = {primary, *EXTRA.get(primary, set())}
    if not any(webhook.wants(kind) for webhook in webhooks for kind in possible):
        return []
    made: list[int] = []
    now = timezone.now()
    for found in events_of(event):
        for webhook in webhooks:
            if webhook.wants(found.type, restricted=found.restricted):
                delivery, created = _delivery_for(webhook, found, now)
                if created:
                    made.append(delivery.pk)
    return made


def _delivery_for(webhook: Webhook, event: Event, now: dt.datetime) -> tuple[WebhookDelivery, bool]:
    return WebhookDelivery.objects.get_or_create(
        webhook=webhook,
        event_id=event.id,
        defaults={
            "organization_id": webhook.organization_id,
            "event_type": event.type,
            "payload": event.envelope(),
            "next_attempt_at": now,
        },
    )


def send_due(delivery_id: int) -> str:
    """One attempt at a delivery, if it is due and nobody else is making it. Returns the
    delivery's status afterwards, or "" when there was nothing to do."""
    now = timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return ""
    attempt(delivery, now)
    return delivery.status


def send_test(webhook: Webhook, event: Event) -> WebhookDelivery:
    """Send a test event now, once, and return its delivery with the outcome."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        organization_id=webhook.organization_id,
        webhook=webhook,
        event_id=event.id,
        event_type=event.type,
        payload=event.envelope(),
        attempts=1,
        last_attempt_at=now,
        next_attempt_at=now + LEASE,
    )
    delivery.webhook = webhook
    attempt(delivery, now, retry=False)
    return delivery


def send_again(delivery: WebhookDelivery) -> WebhookDelivery | None:
    """One more attempt at a delivery that was given up on, now; None when it is not failed
    any more (someone else retried it meanwhile)."""
    now = timezone.now()
    claimed = claim_failed(delivery.pk, now)
    if claimed is None:
        return None
    attempt(claimed, now, retry=False)
    return claimed
