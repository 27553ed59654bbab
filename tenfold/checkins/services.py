"""Recording key-result check-ins: the write that moves every progress figure."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors, to_decimal
from tenfold.okrs.models import TEXT_MAX, CycleState, KeyResult, ObjectiveState
from tenfold.okrs.rollup import key_result_refresh, objective_refresh
from tenfold.okrs.services import _value
from tenfold.organizations.models import Organization

from .models import CheckIn, Source


def parse_confidence(raw: Any, errors: Errors) -> Any:
    """Confidence is typed 0–10 and stored as a share 0.0–1.0."""
    if raw is None or raw == "":
        return None
    number = to_decimal(raw)
    if number is None or number != number.to_integral_value() or not 0 <= number <= 10:
        errors.add("confidence", _("Confidence is a whole number from 0 to 10."))
        return None
    return number / 10


REASON_MAX = 300
"""Longest reason for a correction; the model's column is this wide."""

CLOCK_SKEW = dt.timedelta(minutes=5)
"""A reading this far ahead of the server's clock is the sender's clock running fast."""


def organization_zone(organization: Organization) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organization.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def measured_on(day: dt.date, *, organization: Organization) -> dt.datetime:
    """The moment a reading "measured on" a day stands for: now when the day is today in the
    organization's time zone, otherwise noon of that day there. Noon keeps the day the same in
    every time zone people look from, and sorts a late reading among that day's others."""
    zone = organization_zone(organization)
    now = timezone.now()
    if day == timezone.localdate(now, timezone=zone):
        return now
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone)


def _measured_at(
    errors: Errors, measured_at: dt.datetime, kr: KeyResult, now: dt.datetime
) -> dt.datetime:
    """Make a naive moment aware in the organization's time zone, and refuse one in the future
    or before the key result's cycle began."""
    zone = organization_zone(kr.organization)
    if timezone.is_naive(measured_at):
        measured_at = timezone.make_aware(measured_at, zone)
    cycle = kr.objective.cycle
    if measured_at > now + CLOCK_SKEW:
        errors.add("measured_at", _("A check-in cannot be in the future."))
    elif timezone.localdate(measured_at, timezone=zone) < cycle.start:
        errors.add(
            "measured_at",
            _("The cycle “%(name)s” began on %(date)s; a check-in cannot be dated earlier.")
            % {"name": cycle.name, "date": date_format(cycle.start)},
        )
    return measured_at


@transaction.atomic
def checkin_record(
    *,
    key_result: KeyResult,
    value: Any,
    by: Any,
    confidence: Any = None,
    note: str = "",
    source: str = Source.WEB,
    measured_at: dt.datetime | None = None,
) -> CheckIn:
    """Record a new value for a key result and roll its progress up, in one transaction."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    if KeyResult.organization.is_cached(key_result):
        kr.organization = key_result.organization  # the caller's, not read again
    objective = kr.objective
    errors = Errors()
    _open_for_checkins(errors, kr)
    number = _value(errors, "value", value, required=True)
    share = parse_confidence(confidence, errors)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        errors.add("note", _("Keep the note under %(n)d characters.") % {"n": TEXT_MAX})
    if source not in Source.values:
        errors.add("source", _("Unknown source."))
    now = timezone.now()
    measured_at = _measured_at(errors, measured_at or now, kr, now)
    errors.raise_if_any()
    checkin = CheckIn.objects.create(
        organization=kr.organization,
        key_result=kr,
        value=number or Decimal(0),  # never None here: errors were raised above
        confidence=share,
        note=note,
        author=by if getattr(by, "pk", None) else None,
        source=source,
        measured_at=measured_at,
    )
    # A late check-in for a past date joins the history without replacing a newer reading.
    if kr.last_checkin_at is None or measured_at >= kr.last_checkin_at:
        _store_reading(kr, number, measured_at, share)
    audit_record(
        organization=kr.organization,
        actor=by,
        verb="checkin.recorded",
        obj=kr,
        objective_code=objective.code,
        changes={"value": number, "confidence": share, "note": note[:200], "source": source},
    )
    return checkin


def _open_for_checkins(errors: Errors, kr: KeyResult) -> None:
    objective = kr.objective
    if objective.cycle.state == CycleState.CLOSED:
        errors.add(
            "__all__",
            _("The cycle “%(name)s” is closed: its numbers are final.")
            % {"name": objective.cycle.name},
        )
    elif objective.state == ObjectiveState.CLOSED:
        errors.add("__all__", _("This objective is closed."))


def _trimmed(number: Decimal | None) -> Decimal | None:
    """A stored decimal without its padding zeros (0.70 → 0.7), for the audit log."""
    return None if number is None else number.normalize()


def latest_reading(key_result: KeyResult) -> CheckIn | None:
    """The reading that counts now: the newest by measurement time that no correction has
    replaced. A superseded row stays in the history but never stands for the current value."""
    return (
        CheckIn.objects.filter(key_result=key_result, superseded_by__isnull=True)
        .order_by("-measured_at", "-id")
        .first()
    )


def _refresh_current(kr: KeyResult) -> None:
    """Recompute the key result's current value from its readings, then its progress and the
    objectives above it."""
    latest = latest_reading(kr)
    _store_reading(
        kr,
        latest.value if latest else None,
        latest.measured_at if latest else None,
        latest.confidence if latest else None,
    )


def _store_reading(
    kr: KeyResult, value: Any, at: dt.datetime | None, confidence: Decimal | None
) -> None:
    """Make a reading the key result's current one, then roll its progress up."""
    kr.current = value
    kr.last_checkin_at = at
    kr.last_confidence = confidence
    key_result_refresh(kr)
    kr.save(
        update_fields=[
            "current",
            "last_checkin_at",
            "last_confidence",
            "progress",
            "progress_raw",
            "updated_at",
        ]
    )
    objective_refresh(kr.objective)


@transaction.atomic
def checkin_correct(
    *,
    checkin: CheckIn,
    value: Any,
    reason: str,
    by: Any,
    confidence: Any = None,
    note: str | None = None,
    source: str = Source.WEB,
) -> CheckIn:
    """Correct a check-in: a new row with the right value that supersedes the original, measured
    at the same moment. The original stays in the history. `confidence` and `note` left as None
    keep the original's; an empty confidence clears it. Only the newest version of a reading
    can be corrected, so the corrections of one reading form a single line."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle", "organization")
        .get(pk=checkin.key_result_id)
    )
    # Read the original again under the key result's lock: two people correcting the same
    # reading at once must not both succeed.
    original = CheckIn.objects.get(pk=checkin.pk)
    errors = Errors()
    _open_for_checkins(errors, kr)
    if CheckIn.objects.filter(supersedes=original).exists():
        errors.add(
            "__all__",
            _("This check-in has already been corrected: correct its newest version instead."),
        )
    number = _value(errors, "value", value, required=True)
    share = original.confidence if confidence is None else parse_confidence(confidence, errors)
    note = original.note if note is None else (note or "").strip()
    if len(note) > TEXT_MAX:
        errors.add("note", _("Keep the note under %(n)d characters.") % {"n": TEXT_MAX})
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Say why the check-in is being corrected."))
    elif len(reason) > REASON_MAX:
        errors.add(
            "reason",
            _("Keep the reason under %(limit)d characters (it has %(count)d).")
            % {"limit": REASON_MAX, "count": len(reason)},
        )
    if source not in Source.values:
        errors.add("source", _("Unknown source."))
    errors.raise_if_any()
    correction = CheckIn.objects.create(
        organization=kr.organization,
        key_result=kr,
        value=number if number is not None else Decimal(0),
        confidence=share,
        note=note,
        author=by if getattr(by, "pk", None) else None,
        source=source,
        measured_at=original.measured_at,
        supersedes=original,
        edit_reason=reason,
    )
    _refresh_current(kr)
    audit_record(
        organization=kr.organization,
        actor=by,
        verb="checkin.corrected",
        obj=kr,
        objective_code=kr.objective.code,
        changes={
            "value": [_trimmed(original.value), number],
            "confidence": [_trimmed(original.confidence), _trimmed(share)],
            "reason": reason,
            "checkin": original.code,
            "correction": correction.code,
            "measured_at": original.measured_at,
        },
    )
    return correction
