"""Writes to KPIs and their values, and "write an OKR for this KPI".

Like every service: keyword-only, validated, atomic, audited. Refusals are a ValidationError
keyed by field, with messages meant for the person who typed the input; nothing is written when
one is raised.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.checkins.services import organization_zone
from tenfold.lib.validation import Errors
from tenfold.okrs.models import TEXT_MAX, Cycle, Objective, ObjectiveState
from tenfold.okrs.services import (
    _member,
    _text,
    _value,
    check_value_display,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access

from .health import Health
from .models import NAME_MAX, NOTE_MAX, Direction, Kpi, KpiValue
from .selectors import format_value, okr_unit, plain

KPI_FIELDS = (
    "name",
    "description",
    "unit",
    "unit_label",
    "value_format",
    "currency",
    "decimals",
    "direction",
    "target",
    "target_high",
    "owner",
    "active",
)
CLOCK_SKEW = dt.timedelta(minutes=5)
"""A value this far ahead of the server's clock is the sender's clock running fast."""


def _check(
    errors: Errors, organization: Organization, data: dict[str, Any], kpi: Kpi | None
) -> None:
    """Validate and normalize the fields of a KPI in place."""
    data["name"] = _text(errors, "name", data.get("name"), required=True, limit=NAME_MAX)
    data["description"] = _text(
        errors, "description", data.get("description"), required=False, limit=TEXT_MAX
    )
    data["unit_label"] = _text(
        errors, "unit_label", data.get("unit_label"), required=False, limit=30
    )
    unit = data.get("unit")
    if unit is not None and unit.organization_id != organization.id:
        errors.add("unit", _("That unit belongs to another organization."))
    if unit is not None and unit.kind == UnitKind.COMPANY:
        data["unit"] = None  # the whole company's KPIs are stored without a unit
    direction = data.get("direction") or Direction.HIGHER_IS_BETTER
    if direction not in Direction.values:
        errors.add("direction", _("Choose whether higher or lower is better, or a range."))
    data["direction"] = direction
    target = _value(errors, "target", data.get("target"), required=True)
    high = _value(
        errors, "target_high", data.get("target_high"), required=direction == Direction.IN_RANGE
    )
    if direction != Direction.IN_RANGE:
        high = None
    elif target is not None and high is not None and high < target:
        errors.add(
            "target_high",
            _("The upper end of the healthy range cannot be below its lower end."),
        )
    data["target"], data["target_high"] = target, high
    check_value_display(errors, data)
    data["active"] = bool(data.get("active", True))
    _member(errors, "owner", organization, data.get("owner"))
    name = data["name"]
    if name:
        clash = Kpi.objects.filter(organization=organization, name__iexact=name)
        if kpi is not None:
            clash = clash.exclude(pk=kpi.pk)
        if clash.exists():
            errors.add("name", _("Another KPI is already called “%(name)s”.") % {"name": name})


@transaction.atomic
def kpi_create(*, organization: Organization, by: Any, **fields: Any) -> Kpi:
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = Errors()
    data = dict(fields)
    _check(errors, organization, data, None)
    errors.raise_if_any()
    kpi = Kpi.objects.create(organization=organization, **data)
    audit_record(
        organization=organization,
        actor=by,
        verb="kpi.created",
        obj=kpi,
        changes={
            "name": kpi.name,
            "direction": kpi.direction,
            "target": kpi.target,
            "target_high": kpi.target_high,
        },
    )
    return kpi


@transaction.atomic
def kpi_update(*, kpi: Kpi, by: Any, expected_version: int | None = None, **changes: Any) -> Kpi:
    unknown = set(changes) - set(KPI_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    kpi = Kpi.objects.select_for_update(of=("self",)).select_related("organization").get(pk=kpi.pk)
    data = {name: getattr(kpi, name) for name in KPI_FIELDS}
    before = dict(data)
    data.update(changes)
    errors = Errors()
    _check(errors, kpi.organization, data, kpi)
    errors.raise_if_any()
    if expected_version is not None and expected_version != kpi.version:
        raise ValidationError(
            _("Someone else changed this KPI while you were editing. Reload to see their change."),
            code="conflict",
        )
    was = kpi.health
    for name, value in data.items():
        setattr(kpi, name, value)
    kpi.version += 1
    kpi.save()
    audit_record(
        organization=kpi.organization,
        actor=by,
        verb="kpi.updated",
        obj=kpi,
        changes=diff(before, data),
    )
    _alert_on_change(kpi, was, by)
    return kpi


def _alert_on_change(kpi: Kpi, was: Health, by: Any) -> None:
    """A KPI that leaves health, or comes back to it, is an event of its own: the activity
    feed and notifications listen for these verbs rather than for every value."""
    now = kpi.health
    if now == was or now == Health.UNKNOWN:
        return
    if now == Health.HEALTHY and was != Health.UNHEALTHY:
        return  # a first value that is healthy is no news
    verb = "kpi.unhealthy" if now == Health.UNHEALTHY else "kpi.recovered"
    audit_record(
        organization=kpi.organization,
        actor=by,
        verb=verb,
        obj=kpi,
        changes={"health": [was.value, now.value], "value": kpi.current, "target": kpi.target},
    )


def _measured_at(errors: Errors, organization: Organization, when: Any, now: dt.datetime) -> Any:
    """A day or a moment; a day stands for noon there (or now, when it is today)."""
    zone = organization_zone(organization)
    if when is None:
        return now
    if isinstance(when, dt.datetime):
        moment = timezone.make_aware(when, zone) if timezone.is_naive(when) else when
    elif isinstance(when, dt.date):
        if when == timezone.localdate(now, timezone=zone):
            moment = now
        else:
            moment = dt.datetime.combine(when, dt.time(12), tzinfo=zone)
    else:
        errors.add("measured_at", _("Give the day the value was measured."))
        return now
    if moment > now + CLOCK_SKEW:
        errors.add("measured_at", _("A value cannot be measured in the future."))
    return moment


@transaction.atomic
def kpi_record_value(
    *,
    kpi: Kpi,
    value: Any,
    by: Any,
    measured_at: dt.date | dt.datetime | None = None,
    note: str = "",
) -> KpiValue:
    """Append a value. A value for an earlier day joins the history without replacing a newer
    one as the KPI's current value."""
    kpi = Kpi.objects.select_for_update(of=("self",)).select_related("organization").get(pk=kpi.pk)
    errors = Errors()
    number = _value(errors, "value", value, required=True)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors.add("note", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX})
    now = timezone.now()
    moment = _measured_at(errors, kpi.organization, measured_at, now)
    errors.raise_if_any()
    assert number is not None
    row = KpiValue.objects.create(
        organization=kpi.organization,
        kpi=kpi,
        value=number,
        measured_at=moment,
        note=note,
        author=by if getattr(by, "pk", None) else None,
    )
    was = kpi.health
    if kpi.current_at is None or moment >= kpi.current_at:
        kpi.current, kpi.current_at = number, moment
        kpi.save(update_fields=["current", "current_at", "updated_at"])
    audit_record(
        organization=kpi.organization,
        actor=by,
        verb="kpi.value_recorded",
        obj=kpi,
        changes={"value": number, "measured_at": moment, "note": note[:200]},
    )
    _alert_on_change(kpi, was, by)
    return row


# --- write an OKR -----------------------------------------------------------------------------


def _key_result_fields(kpi: Kpi) -> dict[str, Any]:
    """One key result from where the KPI is to where it should be. A KPI already healthy (or
    not measured yet) gets a key result that holds the level instead."""
    name, value = kpi.name, kpi.current
    low, high = kpi.target, kpi.target_high if kpi.is_range else kpi.target
    assert high is not None
    shown = {"name": name, "target": format_value(kpi, low)}
    if value is not None:
        shown["start"] = format_value(kpi, value)
    if kpi.direction == Direction.HIGHER_IS_BETTER or (kpi.is_range and value is None):
        move = "increase" if value is not None and value < low else "keep_above"
    elif kpi.direction == Direction.LOWER_IS_BETTER:
        move = "decrease" if value is not None and value > low else "keep_below"
    elif value is not None and value < low:
        move = "increase"
    elif value is not None and value > high:
        move, shown["target"] = "decrease", format_value(kpi, high)
    else:
        move = "keep_above"
    target = high if move == "decrease" and kpi.is_range else low
    titles = {
        "increase": _("Raise %(name)s from %(start)s to %(target)s"),
        "decrease": _("Bring %(name)s down from %(start)s to %(target)s"),
        "keep_above": _("Keep %(name)s at or above %(target)s"),
        "keep_below": _("Keep %(name)s at or below %(target)s"),
    }
    return {
        "title": titles[move] % shown,
        "kind": move,
        "start": plain(value) if move in ("increase", "decrease") else None,
        "target": plain(target),
        "unit_label": kpi.unit_label,
        "value_format": kpi.value_format,
        "currency": kpi.currency,
        "decimals": kpi.decimals,
        "owner": kpi.owner,
    }


@transaction.atomic
def kpi_write_okr(*, access: Access, kpi: Kpi, cycle: Cycle | None) -> Objective:
    """A draft objective for the KPI's unit in `cycle`, with one key result from the KPI's
    current value to its target, linked back to the KPI. It is a starting point: the team
    rewrites it and adds the leading key results they can move week by week."""
    by = access.membership.user
    organization = access.membership.organization
    unit: Unit = okr_unit(kpi)
    if not access.can_create_in_unit(unit.id, unit.kind):
        raise PermissionDenied(_("You may not write objectives for this unit."))
    if cycle is None:
        raise ValidationError({"cycle": _("Choose the cycle the objective is for.")})
    if cycle.organization_id != organization.id:
        raise ValidationError({"cycle": _("That cycle belongs to another organization.")})
    if kpi.health == Health.UNHEALTHY:
        title = _("Bring %(name)s back to health") % {"name": kpi.name}
    else:
        title = _("Take %(name)s to a new level") % {"name": kpi.name}
    description = _(
        "Written for the KPI “%(name)s”. Its key result below only restates the KPI's target: "
        "add key results for the leading outcomes the team can move week by week, then the KPI "
        "goes back to being watched."
    ) % {"name": kpi.name}
    objective = objective_create(
        organization=organization,
        cycle=cycle,
        unit=unit,
        title=title,
        description=description,
        lead=by,
        state=ObjectiveState.DRAFT,
        by=by,
    )
    key_result_create(objective=objective, by=by, **_key_result_fields(kpi))
    objective.kpi = kpi
    objective.save(update_fields=["kpi"])
    audit_record(
        organization=organization,
        actor=by,
        verb="kpi.okr_written",
        obj=kpi,
        objective_code=objective.code,
        changes={"objective": objective.code, "cycle": cycle.name, "health": kpi.health.value},
    )
    return objective
