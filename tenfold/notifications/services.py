"""Sending notifications exactly once per recipient, kind and period.

`deliver()` is the only way anything leaves Tenfold on a schedule: reminders, nudges, digests,
chat messages. It claims a `Delivery` row first (the unique constraint decides who sends), calls
the sender, and records what happened. Senders raise to report a failure; the row then keeps
the error and is tried again with a growing pause, up to `MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from tenfold.organizations.models import Organization

from .models import NUDGE_KINDS, Delivery, Kind, Preference, Status

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
NUDGES_PER_DAY = 1
NUDGES_PER_WEEK = 3


def _claim(
    *,
    organization: Organization,
    recipient: str,
    channel: str,
    kind: str,
    period: str,
    user: Any,
    unit: Any,
    now: dt.datetime,
) -> Delivery | None:
    """The row to send now, claimed for this worker; None when it is sent, failed for good, or
    another worker holds it."""
    key = {"recipient": recipient, "channel": channel, "kind": kind, "period": period}
    try:
        with transaction.atomic():
            row = Delivery.objects.create(
                organization=organization,
                user=user,
                unit=unit,
                lease_until=now + LEASE,
                **key,
            )
        return row
    except IntegrityError:
        pass
    row = Delivery.objects.filter(**key).first()
    if row is None or row.status != Status.PENDING:
        return None
    if row.lease_until and row.lease_until > now:
        return None
    taken = Delivery.objects.filter(
        pk=row.pk, status=Status.PENDING, lease_until=row.lease_until
    ).update(lease_until=now + LEASE)
    if not taken:
        return None
    row.lease_until = now + LEASE
    return row


def deliver(
    *,
    organization: Organization,
    recipient: str,
    channel: str,
    kind: str,
    period: str,
    send: Callable[[], str],
    user: Any = None,
    unit: Any = None,
    now: dt.datetime | None = None,
) -> Delivery | None:
    """Send once. `send()` does the sending and returns a subject line for the log. Returns the
    row when this call attempted it, None when there was nothing to do."""
    now = now or timezone.now()
    row = _claim(
        organization=organization,
        recipient=recipient,
        channel=channel,
        kind=kind,
        period=period,
        user=user,
        unit=unit,
        now=now,
    )
    if row is None:
        return None
    row.attempts += 1
    try:
        subject = send()
    except Exception as error:  # a sender's failure is recorded, never fatal to the batch
        log.warning("delivery %s failed: %s", row, error)
        row.error = str(error)[:2000] or type(error).__name__
        if row.attempts >= MAX_ATTEMPTS:
            row.status = Status.FAILED
            row.lease_until = None
        else:
            row.lease_until = now + dt.timedelta(minutes=5 * 2 ** (row.attempts - 1))
        row.save(update_fields=["attempts", "error", "status", "lease_until"])
        return row
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.subject = (subject or "")[:200]
    row.error = ""
    row.lease_until = None
    row.save(update_fields=["attempts", "status", "sent_at", "subject", "error", "lease_until"])
    return row


# --- who wants what -------------------------------------------------------------------------


def preferences_of(organization: Organization, users: Iterable[Any]) -> dict[int, Preference]:
    ids = [user.pk for user in users]
    return {
        pref.user_id: pref
        for pref in Preference.objects.filter(organization=organization, user_id__in=ids)
    }


def wants(pref: Preference | None, kind: str, *, today: dt.date, channel: str = "email") -> bool:
    """Whether a person with these preferences receives `kind` on `channel` today."""
    if pref is None:
        return True
    if pref.muted_until and today <= pref.muted_until:
        return False
    if kind in (pref.kinds_off or []):
        return False
    if channel == "email":
        return pref.email
    return True


def nudge_budget_left(user: Any, *, now: dt.datetime) -> bool:
    """At most one nudge per person a day and three in seven days, whatever their kind."""
    sent = Delivery.objects.filter(
        user=user, kind__in=NUDGE_KINDS, created_at__gte=now - dt.timedelta(days=7)
    ).values_list("created_at", flat=True)
    recent = list(sent)
    if len(recent) >= NUDGES_PER_WEEK:
        return False
    return sum(1 for at in recent if at >= now - dt.timedelta(days=1)) < NUDGES_PER_DAY


# --- email ----------------------------------------------------------------------------------


def send_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """Send one email (plain text, with an HTML alternative when given); returns the subject."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated", **(headers or {})},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return subject


__all__ = ["Kind", "deliver", "nudge_budget_left", "preferences_of", "send_email", "wants"]
