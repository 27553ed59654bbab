"""Sending notifications exactly once per recipient, kind and period.

`deliver()` is the only way anything leaves Tenfold on a schedule: reminders, nudges, digests,
chat messages. It claims a `Delivery` row first (the unique constraint decides who sends), calls
the sender, and records what happened. Senders raise to report a failure; the row then keeps
the error and is tried again with a growing pause, up to `MAX_ATTEMPTS`.

An email sent for a delivery carries a Message-ID made from the row, the same on every attempt:
when a worker dies after the mail server took a message and before the row was marked sent, the
copy sent again is recognisably the same message (docs/notifications.md, "Exactly once").
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.organizations.models import Organization

from .models import (
    NUDGE_KINDS,
    PERSONAL_KINDS,
    Delivery,
    Kind,
    OrgSettings,
    Preference,
    Schedule,
    Status,
)

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
NUDGES_PER_DAY = 1
NUDGES_PER_WEEK = 3

_message_id: ContextVar[str | None] = ContextVar("delivery_message_id", default=None)
"""The Message-ID for emails sent while `deliver` runs a sender (None outside one)."""


def delivery_message_id(row: Delivery) -> str:
    """The Message-ID of the email a delivery sends: built from the row's id and creation time,
    so every attempt at the same delivery carries the same one, and no other delivery does."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<delivery.{row.pk}.{row.created_at:%Y%m%d%H%M%S%f}@{host}>"


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
    found = Delivery.objects.filter(**key).first()
    if found is None or found.status != Status.PENDING:
        return None
    row = found
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
    token = _message_id.set(delivery_message_id(row))
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
    finally:
        _message_id.reset(token)
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.subject = (subject or "")[:200]
    row.error = ""
    row.lease_until = None
    row.save(update_fields=["attempts", "status", "sent_at", "subject", "error", "lease_until"])
    return row


def site_url(name: str, **kwargs: Any) -> str:
    """An absolute link to a page, for emails, chat messages and feeds (`SITE_URL` + path)."""
    from django.urls import reverse

    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def finished(
    organization: Organization, kind: str, periods: Iterable[str], *, channel: str = "email"
) -> set[tuple[str, str]]:
    """(recipient, period) pairs of `kind` in `periods` that are sent or given up — no need to
    build their message again. Pending rows are not finished: `deliver` decides about those."""
    periods = set(periods)
    if not periods:
        return set()
    rows = Delivery.objects.filter(
        organization=organization, kind=kind, channel=channel, period__in=periods
    ).exclude(status=Status.PENDING)
    return set(rows.values_list("recipient", "period"))


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
    """Send one email (plain text, with an HTML alternative when given); returns the subject.
    Inside `deliver` it carries the delivery's stable Message-ID."""
    stable = _message_id.get()
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "Auto-Submitted": "auto-generated",
            **({"Message-ID": stable} if stable else {}),
            **(headers or {}),
        },
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return subject


__all__ = ["Kind", "deliver", "nudge_budget_left", "preferences_of", "send_email", "wants"]


# --- settings -------------------------------------------------------------------------------


def _valid_zone(name: str) -> bool:
    if not name:
        return True
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def preference_update(
    *,
    organization: Organization,
    user: Any,
    email: bool,
    muted_until: dt.date | None,
    kinds_off: list[str],
    time_zone: str | None = None,
) -> Preference:
    """Save how a person wants to be reached (and, when given, their own time zone)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(kinds_off) - {str(kind) for kind in PERSONAL_KINDS})
    if unknown:
        errors["kinds_off"] = [_("Unknown kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}]
    if time_zone is not None and not _valid_zone(time_zone):
        errors["time_zone"] = [_("“%(zone)s” is not a time zone.") % {"zone": time_zone}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        pref, _created = Preference.objects.get_or_create(organization=organization, user=user)
        pref.email = email
        pref.muted_until = muted_until
        pref.kinds_off = sorted(set(kinds_off))
        pref.save()
        if time_zone is not None and time_zone != user.time_zone:
            user.time_zone = time_zone
            user.save(update_fields=["time_zone"])
    return pref


def preference_of(organization: Organization, user: Any) -> Preference:
    found = Preference.objects.filter(organization=organization, user=user).first()
    return found or Preference(organization=organization, user=user)


ORG_FIELDS = (
    "weekly_reminders",
    "stale_nudges",
    "review_reminder_days",
    "digests",
    "digest_weekday",
    "digest_hour",
)


def org_settings_update(*, organization: Organization, by: Any, **values: Any) -> OrgSettings:
    errors: dict[str, list[str]] = {}
    unknown = set(values) - set(ORG_FIELDS)
    if unknown:
        errors["__all__"] = [
            _("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        ]
    hour = values.get("digest_hour")
    if hour is not None and not (isinstance(hour, int) and 0 <= hour <= 23):
        errors["digest_hour"] = [_("Give an hour from 0 to 23.")]
    weekday = values.get("digest_weekday")
    if weekday is not None and not (isinstance(weekday, int) and 0 <= weekday <= 6):
        errors["digest_weekday"] = [_("Give a day from 0 (Monday) to 6 (Sunday).")]
    days = values.get("review_reminder_days")
    if days is not None and not (isinstance(days, int) and 0 <= days <= 60):
        errors["review_reminder_days"] = [_("Give a number of days from 0 to 60.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        opts, _created = OrgSettings.objects.get_or_create(organization=organization)
        before = {name: getattr(opts, name) for name in ORG_FIELDS}
        for name, value in values.items():
            setattr(opts, name, value)
        opts.save()
        after = {name: getattr(opts, name) for name in ORG_FIELDS}
        changes = diff(before, after)
        if changes:
            audit_record(
                organization=organization,
                actor=by,
                verb="notifications.settings_updated",
                obj=organization,
                changes=changes,
            )
    organization._notification_settings = opts  # type: ignore[attr-defined]
    return opts


def schedule_update(
    *,
    unit: Any,
    by: Any,
    checkin_weekday: int | None,
    checkin_hour: int | None,
    time_zone: str,
    reminders: bool,
) -> Schedule:
    """A team's own check-in day, hour and time zone (None/empty keeps the organization's)."""
    errors: dict[str, list[str]] = {}
    if checkin_weekday is not None and not 0 <= checkin_weekday <= 6:
        errors["checkin_weekday"] = [_("Give a day from 0 (Monday) to 6 (Sunday).")]
    if checkin_hour is not None and not 0 <= checkin_hour <= 23:
        errors["checkin_hour"] = [_("Give an hour from 0 to 23.")]
    if not _valid_zone(time_zone):
        errors["time_zone"] = [_("“%(zone)s” is not a time zone.") % {"zone": time_zone}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule, _created = Schedule.objects.get_or_create(
            unit=unit, defaults={"organization_id": unit.organization_id}
        )
        before = {
            "checkin_weekday": schedule.checkin_weekday,
            "checkin_hour": schedule.checkin_hour,
            "time_zone": schedule.time_zone,
            "reminders": schedule.reminders,
        }
        schedule.checkin_weekday = checkin_weekday
        schedule.checkin_hour = checkin_hour
        schedule.time_zone = time_zone
        schedule.reminders = reminders
        schedule.save()
        changes = diff(
            before,
            {
                "checkin_weekday": checkin_weekday,
                "checkin_hour": checkin_hour,
                "time_zone": time_zone,
                "reminders": reminders,
            },
        )
        if changes:
            audit_record(
                organization=unit.organization,
                actor=by,
                verb="unit.schedule_updated",
                obj=unit,
                changes=changes,
            )
    return schedule
