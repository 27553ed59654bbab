"""Recording key-result check-ins: the write that moves every progress figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors, to_decimal
from tenfold.okrs.models import TEXT_MAX, CycleState, KeyResult, ObjectiveState
from tenfold.okrs.rollup import key_result_refresh, objective_refresh
from tenfold.okrs.services import _value

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
        KeyResult.objects.select_for_update()
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    objective = kr.objective
    errors = Errors()
    if objective.cycle.state == CycleState.CLOSED:
        errors.add(
            "__all__",
            _("The cycle “%(name)s” is closed: its numbers are final.")
            % {"name": objective.cycle.name},
        )
    elif objective.state == ObjectiveState.CLOSED:
        errors.add("__all__", _("This objective is closed."))
    number = _value(errors, "value", value, required=True)
    share = parse_confidence(confidence, errors)
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        errors.add("note", _("Keep the note under %(n)d characters.") % {"n": TEXT_MAX})
    if source not in Source.values:
        errors.add("source", _("Unknown source."))
    now = timezone.now()
    measured_at = measured_at or now
    if measured_at > now + dt.timedelta(minutes=5):
        errors.add("measured_at", _("A check-in cannot be in the future."))
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
        kr.current = number
        kr.last_checkin_at = measured_at
        kr.last_confidence = share
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
        objective_refresh(objective)
    audit_record(
        organization=kr.organization,
        actor=by,
        verb="checkin.recorded",
        obj=kr,
        objective_code=objective.code,
        changes={"value": number, "confidence": share, "note": note[:200], "source": source},
    )
    return checkin
