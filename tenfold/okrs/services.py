"""Writes to cycles, objectives, key results, alignment and initiatives.

The only write path: each function validates, runs atomically, writes one audit event and
keeps materialized progress up to date. Errors are raised as a `ValidationError` keyed by
field, with messages meant for the person who typed the input.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.lib import periods
from tenfold.lib.progress import FROM_TO_KINDS, THRESHOLD_KINDS, Kind
from tenfold.lib.validation import Errors, to_decimal
from tenfold.organizations.models import CycleLength, Membership, Organization, Unit, UnitKind

from .models import (
    TEXT_MAX,
    TITLE_MAX,
    VALUE_DIGITS,
    VALUE_PLACES,
    Alignment,
    Cycle,
    CycleKind,
    CycleState,
    Initiative,
    InitiativeStatus,
    KeyResult,
    KeyResultKind,
    Level,
    Objective,
    ObjectiveState,
    ObjectiveType,
    ValueFormat,
    Visibility,
)
from .rollup import key_result_refresh, objective_refresh

VALUE_LIMIT = Decimal(10) ** (VALUE_DIGITS - VALUE_PLACES)
# SQLite keeps decimals as 64-bit floats and Django reads them back with 15 significant digits:
# a longer value would come back changed, or (near VALUE_LIMIT) not at all.
SIGNIFICANT_DIGITS = 15
WEIGHT_LIMIT = Decimal(1000)


# --- shared checks --------------------------------------------------------------------------


def check_value_display(errors: Errors, data: dict[str, Any]) -> None:
    """How a number is shown — format, currency, decimal places — checked and cleaned in
    `data`, for key results and KPIs alike."""
    fmt = data.get("value_format") or ValueFormat.NUMBER
    if fmt not in ValueFormat.values:
        errors.add("value_format", _("Unknown format."))
    data["value_format"] = fmt
    currency = (data.get("currency") or "").strip().upper()
    if fmt == ValueFormat.CURRENCY and not re.fullmatch(r"[A-Z]{3}", currency):
        errors.add("currency", _("Give a three-letter currency code such as EUR or USD."))
    data["currency"] = currency if fmt == ValueFormat.CURRENCY else ""
    decimals = data.get("decimals")
    try:
        decimals = 0 if decimals in (None, "") else int(decimals)
    except (TypeError, ValueError):
        decimals = -1
    if not 0 <= decimals <= VALUE_PLACES:
        errors.add("decimals", _("Show between 0 and %(n)d decimal places.") % {"n": VALUE_PLACES})
    data["decimals"] = decimals


def _text(errors: Errors, field: str, value: str | None, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.add(field, _("This cannot be empty."))
    elif len(value) > limit:
        errors.add(
            field,
            _("Keep this under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(value)},
        )
    return value


def _value(errors: Errors, field: str, raw: Any, *, required: bool) -> Decimal | None:
    if raw is None or raw == "":
        if required:
            errors.add(field, _("Enter a number."))
        return None
    number = to_decimal(raw)
    if number is None:
        errors.add(field, _("“%(value)s” is not a number.") % {"value": raw})
        return None
    if abs(number) >= VALUE_LIMIT:
        errors.add(field, _("That number is too large."))
        return None
    if number != number.quantize(Decimal(1).scaleb(-VALUE_PLACES)):
        errors.add(field, _("Use at most %(places)d decimal places.") % {"places": VALUE_PLACES})
        return None
    if len(number.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
        errors.add(
            field,
            _("Use at most %(digits)d significant digits.") % {"digits": SIGNIFICANT_DIGITS},
        )
        return None
    return number


def _member(errors: Errors, field: str, organization: Organization, user: Any) -> None:
    if (
        user is not None
        and not Membership.objects.filter(organization=organization, user=user).exists()
    ):
        errors.add(field, _("That person is not a member of this organization."))


def _open_cycle(errors: Errors, cycle: Cycle, field: str = "cycle") -> None:
    if cycle.state == CycleState.CLOSED:
        errors.add(field, _("The cycle “%(name)s” is closed.") % {"name": cycle.name})


def _bump(obj: Objective | KeyResult, expected_version: int | None) -> None:
    """Optimistic locking: refuse a change made on a stale copy instead of losing another."""
    if expected_version is not None and expected_version != obj.version:
        raise ValidationError(
            _("Someone else changed this while you were editing. Reload to see their change."),
            code="conflict",
        )
    obj.version += 1


# --- cycles -----------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    organization: Organization,
    name: str,
    start: dt.date,
    end: dt.date,
    kind: str = CycleKind.CUSTOM,
    parent: Cycle | None = None,
    state: str = CycleState.PLANNING,
    by: Any,
) -> Cycle:
    errors = Errors()
    name = _text(errors, "name", name, required=True, limit=60)
    if not start:
        errors.add("start", _("Enter the start date."))
    if not end:
        errors.add("end", _("Enter the end date."))
    if start and end and end <= start:
        errors.add("end", _("The end date must be after the start date."))
    if kind not in CycleKind.values:
        errors.add("kind", _("Unknown cycle kind."))
    if state not in CycleState.values:
        errors.add("state", _("Unknown cycle state."))
    if parent is not None:
        if parent.organization_id != organization.id:
            errors.add("parent", _("That cycle belongs to another organization."))
        elif start and end and (start < parent.start or end > parent.end):
            errors.add("parent", _("A cycle must lie within the cycle it is part of."))
    if name and Cycle.objects.filter(organization=organization, name=name).exists():
        errors.add("name", _("There is already a cycle called “%(name)s”.") % {"name": name})
    errors.raise_if_any()
    cycle = Cycle.objects.create(
        organization=organization,
        name=name,
        start=start,
        end=end,
        kind=kind,
        parent=parent,
        state=state,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="cycle.created",
        obj=cycle,
        changes={"start": start, "end": end},
    )
    return cycle


@transaction.atomic
def cycles_create_for_year(*, organization: Organization, year: int, by: Any) -> list[Cycle]:
    """The fiscal year and its cycles (quarters, months or six-week cycles), skipping any that
    already exist."""
    fiscal = periods.fiscal_year(year, organization.fiscal_year_start_month)
    year_cycle = Cycle.objects.filter(organization=organization, name=fiscal.name).first()
    if year_cycle is None:
        year_cycle = cycle_create(
            organization=organization,
            name=fiscal.name,
            start=fiscal.start,
            end=fiscal.end,
            kind=CycleKind.YEAR,
            by=by,
        )
    if organization.cycle_length == CycleLength.QUARTER:
        parts = periods.quarters(year, organization.fiscal_year_start_month)
        kind = CycleKind.QUARTER
    elif organization.cycle_length == CycleLength.MONTH:
        parts = periods.months(fiscal.start, 12)
        kind = CycleKind.MONTH
    else:
        parts = []
        start = fiscal.start
        index = 1
        while start + dt.timedelta(days=41) <= fiscal.end:
            parts.append(periods.weeks_period(start, 6, f"C{index} {fiscal.name}"))
            start += dt.timedelta(days=42)
            index += 1
        kind = CycleKind.CUSTOM
    created = [year_cycle]
    existing = set(Cycle.objects.filter(organization=organization).values_list("name", flat=True))
    for part in parts:
        if part.name in existing:
            continue
        created.append(
            cycle_create(
                organization=organization,
                name=part.name,
                start=part.start,
                end=part.end,
                kind=kind,
                parent=year_cycle,
                by=by,
            )
        )
    return created


CYCLE_TRANSITIONS = {
    CycleState.PLANNING: {CycleState.ACTIVE},
    CycleState.ACTIVE: {CycleState.REVIEWING, CycleState.CLOSED},
    CycleState.REVIEWING: {CycleState.ACTIVE, CycleState.CLOSED},
    CycleState.CLOSED: {CycleState.REVIEWING},
}


@transaction.atomic
def cycle_set_state(*, cycle: Cycle, state: str, by: Any) -> Cycle:
    if state not in CYCLE_TRANSITIONS.get(CycleState(cycle.state), set()):
        raise ValidationError(
            {
                "state": _("A cycle cannot go from %(old)s to %(new)s.")
                % {"old": cycle.get_state_display(), "new": state}
            }
        )
    before = cycle.state
    cycle.state = state
    cycle.save(update_fields=["state"])
    audit_record(
        organization=cycle.organization,
        actor=by,
        verb="cycle.state_changed",
        obj=cycle,
        changes={"state": [before, state]},
    )
    if state in (CycleState.REVIEWING, CycleState.CLOSED):
        # Imported here: the reviews app builds on this one, not the other way round.
        from tenfold.reviews.services import reviews_open

        reviews_open(cycle=cycle, by=by)
    return cycle


# --- objectives -------------------------------------------------------------------------------

OBJECTIVE_FIELDS = ("title", "description", "type", "visibility", "lead", "level", "unit")


def _check_objective(
    errors: Errors,
    *,
    organization: Organization,
    cycle: Cycle,
    unit: Unit | None,
    owner_person: Any,
    level: str,
    type: str,
    visibility: str,
    lead: Any,
) -> None:
    if cycle.organization_id != organization.id:
        errors.add("cycle", _("That cycle belongs to another organization."))
    else:
        _open_cycle(errors, cycle)
    if level not in Level.values:
        errors.add("level", _("Unknown level."))
    if type not in ObjectiveType.values:
        errors.add("type", _("An objective is committed or aspirational."))
    if visibility not in Visibility.values:
        errors.add("visibility", _("Unknown visibility."))
    if level == Level.PERSONAL:
        if owner_person is None:
            errors.add("owner_person", _("A personal-development objective needs its person."))
        else:
            _member(errors, "owner_person", organization, owner_person)
    elif unit is None:
        errors.add("unit", _("Choose the unit that owns this objective."))
    elif unit.organization_id != organization.id:
        errors.add("unit", _("That unit belongs to another organization."))
    elif level == Level.COMPANY and unit.kind != UnitKind.COMPANY:
        errors.add("level", _("Company objectives belong to the company itself."))
    elif level != Level.COMPANY and unit.kind == UnitKind.COMPANY:
        errors.add("level", _("Objectives owned by the whole company are company objectives."))
    _member(errors, "lead", organization, lead)


@transaction.atomic
def objective_create(
    *,
    organization: Organization,
    cycle: Cycle,
    title: str,
    by: Any,
    unit: Unit | None = None,
    owner_person: Any = None,
    level: str | None = None,
    description: str = "",
    type: str = ObjectiveType.COMMITTED,
    visibility: str | None = None,
    lead: Any = None,
    state: str | None = None,
) -> Objective:
    errors = Errors()
    title = _text(errors, "title", title, required=True, limit=TITLE_MAX)
    description = _text(errors, "description", description, required=False, limit=TEXT_MAX)
    if level is None:
        level = {  # type: ignore[call-overload]
            UnitKind.COMPANY: Level.COMPANY,
            UnitKind.DEPARTMENT: Level.DEPARTMENT,
        }.get(unit.kind if unit else "", Level.TEAM if unit else Level.PERSONAL)
    if visibility is None:
        # Personal development goals are between the person and their manager by default.
        visibility = Visibility.PRIVATE if level == Level.PERSONAL else Visibility.ORGANIZATION
    _check_objective(
        errors,
        organization=organization,
        cycle=cycle,
        unit=unit,
        owner_person=owner_person,
        level=level,
        type=type,
        visibility=visibility,
        lead=lead,
    )
    if state is not None and state not in ObjectiveState.values:
        errors.add("state", _("Unknown state."))
    errors.raise_if_any()
    if state is None:
        state = (
            ObjectiveState.ACTIVE
            if cycle.state == CycleState.ACTIVE
            and not (organization.approval_required and level in (Level.TEAM, Level.DEPARTMENT))
            else ObjectiveState.DRAFT
        )
    order = Objective.objects.filter(cycle=cycle, unit=unit).count()
    objective = Objective.objects.create(
        organization=organization,
        cycle=cycle,
        unit=unit if level != Level.PERSONAL else None,
        owner_person=owner_person if level == Level.PERSONAL else None,
        level=level,
        type=type,
        visibility=visibility,
        title=title,
        description=description,
        lead=lead,
        state=state,
        order=order,
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="objective.created",
        obj=objective,
        objective_code=objective.code,
        changes={"title": title, "type": type, "level": level, "cycle": cycle.name},
    )
    return objective


@transaction.atomic
def objective_update(
    *, objective: Objective, by: Any, expected_version: int | None = None, **changes: Any
) -> Objective:
    unknown = set(changes) - set(OBJECTIVE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    before = {name: getattr(objective, name) for name in changes}
    errors = Errors()
    if "title" in changes:
        changes["title"] = _text(errors, "title", changes["title"], required=True, limit=TITLE_MAX)
    if "description" in changes:
        changes["description"] = _text(
            errors, "description", changes["description"], required=False, limit=TEXT_MAX
        )
    merged = {name: changes.get(name, getattr(objective, name)) for name in OBJECTIVE_FIELDS}
    _check_objective(
        errors,
        organization=objective.organization,
        cycle=objective.cycle,
        unit=merged["unit"],
        owner_person=objective.owner_person,
        level=merged["level"],
        type=merged["type"],
        visibility=merged["visibility"],
        lead=merged["lead"],
    )
    errors.raise_if_any()
    _bump(objective, expected_version)
    for name, value in changes.items():
        setattr(objective, name, value)
    objective.save()
    audit_record(
        organization=objective.organization,
        actor=by,
        verb="objective.updated",
        obj=objective,
        objective_code=objective.code,
        changes=diff(before, changes),
    )
    return objective


OBJECTIVE_TRANSITIONS: dict[str, set[str]] = {
    ObjectiveState.DRAFT: {ObjectiveState.PROPOSED, ObjectiveState.ACTIVE},
    ObjectiveState.PROPOSED: {ObjectiveState.APPROVED, ObjectiveState.DRAFT},
    ObjectiveState.APPROVED: {ObjectiveState.ACTIVE, ObjectiveState.DRAFT},
    ObjectiveState.ACTIVE: {ObjectiveState.CLOSED},
    ObjectiveState.CLOSED: {ObjectiveState.ACTIVE},
}


@transaction.atomic
def objective_set_state(
    *, objective: Objective, state: str, by: Any, may_approve: bool = False
) -> Objective:
    """Move an objective along draft → proposed → approved → active → closed. Skipping the
    approval step is allowed where the organization does not ask for it, for company objectives,
    and for people who may approve."""
    current = ObjectiveState(objective.state)
    if state not in OBJECTIVE_TRANSITIONS[current]:
        raise ValidationError(
            {
                "state": _("An objective cannot go from %(old)s to %(new)s.")
                % {"old": current.label, "new": state}
            }
        )
    needs_approval = objective.organization.approval_required and objective.level in (
        Level.TEAM,
        Level.DEPARTMENT,
    )
    if state == ObjectiveState.APPROVED and not may_approve:
        raise ValidationError({"state": _("Only a lead above this team or an admin approves.")})
    if (
        current == ObjectiveState.DRAFT
        and state == ObjectiveState.ACTIVE
        and needs_approval
        and not may_approve
    ):
        raise ValidationError({"state": _("Propose it for approval first.")})
    if state == ObjectiveState.ACTIVE and objective.cycle.state == CycleState.CLOSED:
        raise ValidationError({"state": _("Its cycle is closed.")})
    objective.state = state
    objective.version += 1
    objective.save(update_fields=["state", "version", "updated_at"])
    audit_record(
        organization=objective.organization,
        actor=by,
        verb="objective.state_changed",
        obj=objective,
        objective_code=objective.code,
        changes={"state": [current.value, state]},
    )
    return objective


# --- key results ------------------------------------------------------------------------------

KEY_RESULT_FIELDS = (
    "title",
    "description",
    "kind",
    "start",
    "target",
    "unit_label",
    "value_format",
    "currency",
    "decimals",
    "weight",
    "owner",
    "aspirational",
)


def _check_key_result(errors: Errors, organization: Organization, data: dict[str, Any]) -> None:
    """Validate and normalize the fields of a key result in place."""
    data["title"] = _text(errors, "title", data.get("title"), required=True, limit=TITLE_MAX)
    data["description"] = _text(
        errors, "description", data.get("description"), required=False, limit=TEXT_MAX
    )
    kind = data.get("kind") or KeyResultKind.INCREASE
    if kind not in KeyResultKind.values:
        errors.add("kind", _("Unknown kind of key result."))
        return
    data["kind"] = kind
    target = _value(errors, "target", data.get("target"), required=kind != Kind.MILESTONE)
    start = _value(
        errors, "start", data.get("start"), required=kind in (Kind.INCREASE, Kind.DECREASE)
    )
    if kind == Kind.MILESTONE:
        start, target = Decimal(0), Decimal(1)
    elif kind in THRESHOLD_KINDS:
        start = None
    elif kind == Kind.REACH and start is None and target is not None:
        start = Decimal(0)
    if kind in FROM_TO_KINDS and start is not None and target is not None:
        if start == target:
            errors.add(
                "target",
                _(
                    "The target must differ from the start value. To hold a level, use a "
                    "“keep above” or “keep below” key result."
                ),
            )
        elif kind == Kind.INCREASE and target < start:
            errors.add("target", _("To increase, the target must be above the start value."))
        elif kind == Kind.DECREASE and target > start:
            errors.add("target", _("To decrease, the target must be below the start value."))
    data["start"], data["target"] = start, target
    weight = data.get("weight")
    weight = Decimal(1) if weight in (None, "") else to_decimal(weight)
    if weight is None:
        errors.add("weight", _("The weight must be a number."))
    elif weight < 0:
        errors.add("weight", _("The weight cannot be negative."))
    elif weight > WEIGHT_LIMIT:
        errors.add("weight", _("Keep the weight under 1000; weights are relative."))
    elif weight != weight.quantize(Decimal("0.001")):
        errors.add("weight", _("Use at most three decimal places for the weight."))
    data["weight"] = weight
    check_value_display(errors, data)
    data["unit_label"] = _text(
        errors, "unit_label", data.get("unit_label"), required=False, limit=30
    )
    data["aspirational"] = bool(data.get("aspirational"))
    _member(errors, "owner", organization, data.get("owner"))


@transaction.atomic
def key_result_create(*, objective: Objective, by: Any, **fields: Any) -> KeyResult:
    unknown = set(fields) - set(KEY_RESULT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = Errors()
    if objective.state == ObjectiveState.CLOSED:
        errors.add("__all__", _("This objective is closed."))
    _open_cycle(errors, objective.cycle, "__all__")
    data = dict(fields)
    _check_key_result(errors, objective.organization, data)
    errors.raise_if_any()
    kr = KeyResult(
        organization=objective.organization,
        objective=objective,
        order=KeyResult.objects.filter(objective=objective).count(),
        **data,
    )
    key_result_refresh(kr)
    kr.save()
    objective_refresh(objective)
    audit_record(
        organization=objective.organization,
        actor=by,
        verb="key_result.created",
        obj=kr,
        objective_code=objective.code,
        changes={k: data[k] for k in ("title", "kind", "start", "target", "weight")},
    )
    return kr


@transaction.atomic
def key_result_update(
    *, key_result: KeyResult, by: Any, expected_version: int | None = None, **changes: Any
) -> KeyResult:
    unknown = set(changes) - set(KEY_RESULT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    kr = (
        KeyResult.objects.select_for_update()
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    errors = Errors()
    _open_cycle(errors, kr.objective.cycle, "__all__")
    data = {name: getattr(kr, name) for name in KEY_RESULT_FIELDS}
    before = dict(data)
    data.update(changes)
    _check_key_result(errors, kr.organization, data)
    errors.raise_if_any()
    _bump(kr, expected_version)
    for name, value in data.items():
        setattr(kr, name, value)
    key_result_refresh(kr)
    kr.save()
    objective_refresh(kr.objective)
    audit_record(
        organization=kr.organization,
        actor=by,
        verb="key_result.updated",
        obj=kr,
        objective_code=kr.objective.code,
        changes=diff(before, data),
    )
    return kr


@transaction.atomic
def key_result_delete(*, key_result: KeyResult, by: Any) -> None:
    objective = key_result.objective
    errors = Errors()
    _open_cycle(errors, objective.cycle, "__all__")
    if key_result.checkins.exists():
        errors.add(
            "__all__",
            _("This key result has check-ins; its history is kept. Set its weight to 0 instead."),
        )
    errors.raise_if_any()
    audit_record(
        organization=key_result.organization,
        actor=by,
        verb="key_result.deleted",
        obj=key_result,
        objective_code=objective.code,
    )
    key_result.delete()
    objective_refresh(objective)


# --- alignment --------------------------------------------------------------------------------


def _ancestors(objective_id: int) -> set[int]:
    """Every objective reachable upward from this one, through objectives or key results."""
    found: set[int] = set()
    frontier = {objective_id}
    while frontier:
        rows = Alignment.objects.filter(child_id__in=frontier).values_list(
            "parent_objective_id", "parent_key_result__objective_id"
        )
        frontier = {a or b for a, b in rows} - found
        found |= frontier
    return found


@transaction.atomic
def alignment_link(
    *,
    child: Objective,
    by: Any,
    parent_objective: Objective | None = None,
    parent_key_result: KeyResult | None = None,
    weight: Any = 1,
) -> Alignment:
    errors = Errors()
    if (parent_objective is None) == (parent_key_result is None):
        raise ValidationError({"parent": _("Align to exactly one objective or key result.")})
    parent = (
        parent_objective if parent_objective is not None else parent_key_result.objective  # type: ignore[union-attr]
    )
    number = to_decimal(weight)
    if number is None or not 0 <= number <= 1:
        errors.add("weight", _("The contribution is a share between 0 and 1."))
    if parent.organization_id != child.organization_id:
        errors.add("parent", _("That objective belongs to another organization."))
    elif parent.pk == child.pk or child.pk in _ancestors(parent.pk):
        errors.add(
            "parent",
            _("That link would make a loop: the parent already depends on this objective."),
        )
    elif parent.cycle.start > child.cycle.start or parent.cycle.end < child.cycle.end:
        errors.add(
            "parent", _("Align to an objective of the same cycle or of a cycle that contains it.")
        )
    elif Alignment.objects.filter(
        child=child, parent_objective=parent_objective, parent_key_result=parent_key_result
    ).exists():
        errors.add("parent", _("It is already aligned there."))
    errors.raise_if_any()
    link = Alignment.objects.create(
        organization=child.organization,
        child=child,
        parent_objective=parent_objective,
        parent_key_result=parent_key_result,
        weight=number or Decimal(0),
    )
    objective_refresh(child)
    audit_record(
        organization=child.organization,
        actor=by,
        verb="alignment.linked",
        obj=child,
        objective_code=child.code,
        changes={"parent": getattr(link.parent, "code", ""), "weight": number},
    )
    return link


@transaction.atomic
def alignment_unlink(*, link: Alignment, by: Any) -> None:
    child, parent = link.child, link.parent_objective
    audit_record(
        organization=child.organization,
        actor=by,
        verb="alignment.unlinked",
        obj=child,
        objective_code=child.code,
        changes={"parent": getattr(link.parent, "code", "")},
    )
    link.delete()
    if parent is not None:
        objective_refresh(parent)


# --- initiatives ------------------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    key_result: KeyResult,
    title: str,
    by: Any,
    owner: Any = None,
    due: dt.date | None = None,
    status: str = InitiativeStatus.PLANNED,
) -> Initiative:
    errors = Errors()
    title = _text(errors, "title", title, required=True, limit=TITLE_MAX)
    if status not in InitiativeStatus.values:
        errors.add("status", _("Unknown status."))
    _member(errors, "owner", key_result.organization, owner)
    errors.raise_if_any()
    initiative = Initiative.objects.create(
        organization=key_result.organization,
        key_result=key_result,
        objective=key_result.objective,
        title=title,
        owner=owner,
        due=due,
        status=status,
    )
    audit_record(
        organization=key_result.organization,
        actor=by,
        verb="initiative.created",
        obj=initiative,
        objective_code=key_result.objective.code,
        changes={"title": title, "key_result": key_result.code},
    )
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, by: Any, **changes: Any) -> Initiative:
    allowed = {"title", "owner", "status", "due"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = Errors()
    if "title" in changes:
        changes["title"] = _text(errors, "title", changes["title"], required=True, limit=TITLE_MAX)
    if "status" in changes and changes["status"] not in InitiativeStatus.values:
        errors.add("status", _("Unknown status."))
    if "owner" in changes:
        _member(errors, "owner", initiative.organization, changes["owner"])
    errors.raise_if_any()
    before = {name: getattr(initiative, name) for name in changes}
    for name, value in changes.items():
        setattr(initiative, name, value)
    initiative.save()
    audit_record(
        organization=initiative.organization,
        actor=by,
        verb="initiative.updated",
        obj=initiative,
        objective_code=initiative.objective.code,
        changes=diff(before, changes),
    )
    return initiative
