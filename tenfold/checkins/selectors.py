"""What the weekly pages read: a person's week, the key results they update, a team's week,
the meeting agenda and the monthly review. Every function runs a fixed number of queries
whatever the number of people, items or key results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from tenfold.lib.progress import (
    Status,
    elapsed_fraction,
    expected_value,
    key_result_progress,
    weighted_mean,
)
from tenfold.okrs.models import (
    Cycle,
    CycleState,
    KeyResult,
    KeyResultKind,
    Level,
    Objective,
    ObjectiveState,
)
from tenfold.okrs.selectors import key_result_status, organization_today, visible_objectives
from tenfold.organizations.models import Organization, Unit, UnitMember

from .models import Category, CheckIn, WeeklyItem, WeeklyReport
from .weekly import CategoryInfo, categories, week_begins_at

if TYPE_CHECKING:
    from tenfold.organizations.permissions import Access

FROM_TO = {KeyResultKind.INCREASE, KeyResultKind.DECREASE, KeyResultKind.REACH}


def _items() -> QuerySet[WeeklyItem]:
    return WeeklyItem.objects.select_related(
        "objective", "key_result", "carried_from__report"
    ).order_by("position", "id")


@dataclass
class Column:
    category: CategoryInfo
    items: list[WeeklyItem] = field(default_factory=list)


def columns(organization: Organization, items: list[WeeklyItem]) -> list[Column]:
    """Items sorted into the organization's categories; items of a category the organization
    has since removed are shown under their stored key so nothing disappears."""
    result = {category.key: Column(category) for category in categories(organization)}
    for item in items:
        if item.category not in result:
            result[item.category] = Column(CategoryInfo(item.category, item.category, False))
        result[item.category].items.append(item)
    return list(result.values())


def hide_private_links(access: Access, items: list[WeeklyItem]) -> None:
    """An item linked to an objective the reader may not see keeps its text but not the
    link (`link_hidden` tells the template to say so)."""
    for item in items:
        objective = item.objective
        item.link_hidden = bool(objective and not access.can_view_objective(objective))  # type: ignore[attr-defined]


def week_items(
    access: Access, organization: Organization, person_id: int, report: WeeklyReport | None
) -> list[WeeklyItem]:
    if report is None:
        return []
    items = list(_items().filter(report=report))
    hide_private_links(access, items)
    return items


def active_cycles(organization: Organization, today: dt.date) -> list[Cycle]:
    """Cycles whose key results people update now: active ones, or cycles that contain
    today and are not closed."""
    return list(
        Cycle.objects.filter(organization=organization)
        .filter(
            Q(state=CycleState.ACTIVE)
            | (Q(start__lte=today, end__gte=today) & ~Q(state=CycleState.CLOSED))
        )
        .order_by("start")
    )


def _ancestors(organization: Organization, unit_ids: set[int]) -> set[int]:
    parents = dict(Unit.objects.filter(organization=organization).values_list("id", "parent_id"))
    result: set[int] = set()
    for unit_id in unit_ids:
        current: int | None = unit_id
        while current is not None and current not in result:
            result.add(current)
            current = parents.get(current)
    return result


def _person_units(access: Access, organization: Organization, person_id: int) -> set[int]:
    if person_id == access.user_id:
        return set(access.member_unit_ids)
    return set(
        UnitMember.objects.filter(organization=organization, user_id=person_id).values_list(
            "unit_id", flat=True
        )
    )


def _decorate_key_result(kr: KeyResult, cycle: Cycle, today: dt.date) -> None:
    kr.status = key_result_status(kr, cycle, today)  # type: ignore[attr-defined]
    expected = None
    if kr.kind in FROM_TO:
        expected = expected_value(
            start=kr.start if kr.start is not None else Decimal(0),
            target=kr.target,
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            today=today,
        )
    elif kr.kind in (KeyResultKind.KEEP_ABOVE, KeyResultKind.KEEP_BELOW):
        expected = kr.target
    kr.expected = expected  # type: ignore[attr-defined]
    kr.elapsed = elapsed_fraction(cycle.start, cycle.end, today)  # type: ignore[attr-defined]


def key_results_to_update(
    access: Access, organization: Organization, person_id: int
) -> list[KeyResult]:
    """The key results a person updates: those they own, and those of their teams' active
    objectives, in the cycles running now — with status and the value expected today."""
    today = organization_today(organization)
    cycles = active_cycles(organization, today)
    if not cycles:
        return []
    units = _person_units(access, organization, person_id)
    cycle_ids = [cycle.id for cycle in cycles]
    # Two small queries rather than one whose OR spans the key result and its objective (no
    # index serves that, so it read every key result of the cycle): the objectives of the
    # person's teams and their own, then those objectives' key results and the person's.
    ours = list(
        Objective.objects.filter(organization=organization, cycle_id__in=cycle_ids)
        .filter(
            Q(unit_id__in=units, level__in=(Level.TEAM, Level.DEPARTMENT))
            | Q(owner_person_id=person_id)
        )
        .values_list("id", flat=True)
    )
    rows = (
        KeyResult.objects.filter(Q(objective_id__in=ours) | Q(owner_id=person_id))
        .filter(objective__cycle_id__in=cycle_ids)
        .exclude(
            objective__state__in=(
                ObjectiveState.CLOSED,
                ObjectiveState.DRAFT,
                ObjectiveState.PROPOSED,
            )
        )
        .select_related("objective__cycle", "objective__unit", "owner")
        .order_by(
            "objective__cycle__start",
            "objective__unit__order",
            "objective__order",
            "objective_id",
            "order",
            "id",
        )
    )
    krs = [kr for kr in rows if access.can_view_objective(kr.objective)]
    by_cycle = {cycle.id: cycle for cycle in cycles}
    for kr in krs:
        cycle = by_cycle.get(kr.objective.cycle_id, kr.objective.cycle)
        cycle.organization = organization
        kr.objective.cycle = cycle
        _decorate_key_result(kr, cycle, today)
        kr.mine = kr.owner_id == person_id  # type: ignore[attr-defined]
    return krs


@dataclass
class LinkGroup:
    objective: Objective
    key_results: list[KeyResult]


def link_choices(access: Access, organization: Organization, person_id: int) -> list[LinkGroup]:
    """What a person may link an item to: the current OKRs of their teams and the units above
    them, their personal OKRs and objectives with a key result they own."""
    today = organization_today(organization)
    cycles = active_cycles(organization, today)
    if not cycles:
        return []
    units = _ancestors(organization, _person_units(access, organization, person_id))
    cycle_ids = [cycle.id for cycle in cycles]
    # "Owns one of its key results" as a subquery on the key results' owner index, not a
    # join over every key result of the cycle (which also needed DISTINCT).
    owned = KeyResult.objects.filter(owner_id=person_id, objective__cycle_id__in=cycle_ids).values(
        "objective_id"
    )
    objectives = (
        visible_objectives(access)
        .filter(cycle_id__in=cycle_ids)
        .exclude(state=ObjectiveState.CLOSED)
        .filter(
            Q(unit_id__in=units)
            | Q(owner_person_id=person_id)
            | Q(lead_id=person_id)
            | Q(id__in=owned)
        )
        .select_related("unit")
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "id"))
        )
        .order_by("cycle__start", "unit__order", "order", "id")
    )
    return [LinkGroup(objective, list(objective.key_results.all())) for objective in objectives]


# --- team week ------------------------------------------------------------------------------


@dataclass
class PersonWeek:
    person: Any
    report: WeeklyReport | None
    items: list[WeeklyItem]
    is_lead: bool

    @property
    def filled_in(self) -> bool:
        """Something was written or done this week; carried items alone do not count."""
        return any(item.carried_from_id is None or item.done_at for item in self.items)

    def count(self, category: str) -> int:
        return sum(1 for item in self.items if item.category == category)


@dataclass
class KeyResultGroup:
    key_result: KeyResult | None
    items: list[WeeklyItem]


@dataclass
class ObjectiveGroup:
    objective: Objective | None
    hidden: bool
    key_results: list[KeyResultGroup]

    @property
    def items(self) -> list[WeeklyItem]:
        return [item for group in self.key_results for item in group.items]


def unit_people(organization: Organization, unit: Unit) -> list[UnitMember]:
    """Everyone in the unit and the units below it, once each (leads first)."""
    parents = dict(Unit.objects.filter(organization=organization).values_list("id", "parent_id"))
    below = {unit.id}
    changed = True
    while changed:
        changed = False
        for unit_id, parent_id in parents.items():
            if parent_id in below and unit_id not in below:
                below.add(unit_id)
                changed = True
    rows = (
        UnitMember.objects.filter(organization=organization, unit_id__in=below)
        .select_related("user")
        .order_by("-is_lead", "user__name", "user__email")
    )
    seen: dict[int, UnitMember] = {}
    for row in rows:
        if row.user_id not in seen or (row.unit_id == unit.id and row.is_lead):
            seen.setdefault(row.user_id, row)
    return list(seen.values())


def team_week(
    access: Access,
    organization: Organization,
    unit: Unit,
    week: dt.date,
    members: list[UnitMember] | None = None,
) -> tuple[list[PersonWeek], list[ObjectiveGroup]]:
    """Every member's week and the same items grouped by objective and key result.
    `members` is `unit_people(organization, unit)` when the caller has it already."""
    if members is None:
        members = unit_people(organization, unit)
    ids = [member.user_id for member in members]
    reports = {
        report.person_id: report
        for report in WeeklyReport.objects.filter(
            organization=organization, week=week, person_id__in=ids
        ).prefetch_related(Prefetch("items", queryset=_items()))
    }
    people = []
    all_items: list[WeeklyItem] = []
    for member in members:
        report = reports.get(member.user_id)
        items = list(report.items.all()) if report else []
        for item in items:
            item.person = member.user  # type: ignore[attr-defined]
        hide_private_links(access, items)
        all_items.extend(items)
        people.append(
            PersonWeek(member.user, report, items, member.is_lead and member.unit_id == unit.id)
        )
    return people, group_by_okr(all_items)


def group_by_okr(items: list[WeeklyItem]) -> list[ObjectiveGroup]:
    """Items under their objective, then key result; unlinked work last."""
    objectives: dict[int | None, ObjectiveGroup] = {}
    krs: dict[tuple[int | None, int | None], KeyResultGroup] = {}
    for item in items:
        hidden = getattr(item, "link_hidden", False)
        objective = None if hidden else item.objective
        key = objective.id if objective else (-1 if hidden else None)
        if key not in objectives:
            objectives[key] = ObjectiveGroup(objective, hidden, [])
        kr = item.key_result if objective else None
        kr_key = (key, kr.id if kr else None)
        if kr_key not in krs:
            krs[kr_key] = KeyResultGroup(kr, [])
            objectives[key].key_results.append(krs[kr_key])
        krs[kr_key].items.append(item)
    for group in objectives.values():
        group.key_results.sort(
            key=lambda g: (g.key_result is not None, g.key_result.order if g.key_result else 0)
        )
    return sorted(
        objectives.values(),
        key=lambda g: (
            g.objective is None,
            g.hidden,
            g.objective.order if g.objective else 0,
            g.objective.id if g.objective else 0,
        ),
    )


# --- the meeting ------------------------------------------------------------------------------


class Movement:
    UP = "up"
    STALLED = "stalled"
    DOWN = "down"
    NEW = "new"


def _movement(before: Decimal | None, now: Decimal) -> str:
    if before is None:
        return Movement.NEW
    if now > before:
        return Movement.UP
    if now < before:
        return Movement.DOWN
    return Movement.STALLED


def with_previous_readings(krs: QuerySet[KeyResult], since: dt.datetime) -> QuerySet[KeyResult]:
    """Annotate each key result with its value and confidence as they stood at `since`."""
    earlier = CheckIn.objects.filter(
        key_result=OuterRef("pk"), measured_at__lt=since, superseded_by__isnull=True
    ).order_by("-measured_at", "-id")
    return krs.annotate(
        before_value=Subquery(earlier.values("value")[:1]),
        before_confidence=Subquery(earlier.values("confidence")[:1]),
    )


@dataclass
class AgendaObjective:
    objective: Objective
    key_results: list[KeyResult]
    before: Decimal | None
    movement: str
    worse: bool


def meeting_objectives(
    access: Access, organization: Organization, unit: Unit, since: dt.datetime
) -> list[AgendaObjective]:
    """The unit's current objectives with their key results, each compared with where it
    stood at `since` (a week ago, for the weekly meeting): moved, stalled, or got worse.
    Both sides of the comparison are computed the same way, at full precision, so rounding
    never reads as movement."""
    today = organization_today(organization)
    cycles = active_cycles(organization, today)
    objectives = list(
        visible_objectives(access)
        .filter(cycle__in=cycles, unit=unit)
        .exclude(state__in=(ObjectiveState.CLOSED, ObjectiveState.DRAFT))
        .select_related("cycle", "lead")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=with_previous_readings(KeyResult.objects.all(), since)
                .select_related("owner")
                .order_by("order", "id"),
            )
        )
        .order_by("order", "id")
    )
    result = []
    for objective in objectives:
        objective.cycle.organization = organization
        krs = list(objective.key_results.all())
        earlier: list[tuple[Decimal, Decimal]] = []
        latest: list[tuple[Decimal, Decimal]] = []
        worse = False
        any_before = False
        for kr in krs:
            _decorate_key_result(kr, objective.cycle, today)
            now_progress = key_result_progress(
                kr.kind, start=kr.start, target=kr.target, current=kr.current
            ).clamped
            latest.append((now_progress, kr.weight))
            before_value = getattr(kr, "before_value", None)
            before_progress = None
            if before_value is not None:
                any_before = True
                before_progress = key_result_progress(
                    kr.kind, start=kr.start, target=kr.target, current=before_value
                ).clamped
            before_confidence = getattr(kr, "before_confidence", None)
            dropped = (
                before_confidence is not None
                and kr.last_confidence is not None
                and kr.last_confidence < before_confidence
            )
            movement = _movement(before_progress, now_progress)
            kr.before_progress = before_progress  # type: ignore[attr-defined]
            kr.movement = movement  # type: ignore[attr-defined]
            kr.confidence_dropped = dropped  # type: ignore[attr-defined]
            worse = worse or movement == Movement.DOWN or dropped
            earlier.append(
                (before_progress if before_progress is not None else Decimal(0), kr.weight)
            )
        before = weighted_mean(earlier) if any_before else None
        now = weighted_mean(latest) if krs else objective.progress
        objective.status = _objective_status(objective, krs, today)  # type: ignore[attr-defined]
        result.append(AgendaObjective(objective, krs, before, _movement(before, now), worse))
    return result


def _objective_status(objective: Objective, krs: list[KeyResult], today: dt.date) -> Status:
    from tenfold.okrs.selectors import objective_status

    return objective_status(objective, krs, objective.cycle, today)


def reports_of(
    organization: Organization, people: list[int], week: dt.date
) -> dict[int, WeeklyReport]:
    return {
        report.person_id: report
        for report in WeeklyReport.objects.filter(
            organization=organization, week=week, person_id__in=people
        ).prefetch_related(Prefetch("items", queryset=_items()))
    }


# --- the monthly review ----------------------------------------------------------------------


@dataclass
class MonthlyReview:
    units: list[Unit]
    problems: list[WeeklyItem]
    stalled: list[KeyResult]
    since: dt.date


def monthly_review(access: Access, organization: Organization, weeks: int = 4) -> MonthlyReview:
    """For leads: the open problems of the people in the units they lead, and the key results
    of those units that went stale or did not move over the last `weeks` weeks."""
    today = organization_today(organization)
    led = set(access.led_unit_ids)
    if access.is_admin and not led:
        led = set(Unit.objects.filter(organization=organization).values_list("id", flat=True))
    units = list(
        Unit.objects.filter(organization=organization, id__in=led).order_by("order", "name")
    )
    since = today - dt.timedelta(weeks=weeks)
    people = set(
        UnitMember.objects.filter(organization=organization, unit_id__in=led).values_list(
            "user_id", flat=True
        )
    )
    problems = list(
        _items()
        .filter(
            report__organization=organization,
            report__person_id__in=people,
            report__week__gte=since,
            category=Category.PROBLEMS,
            resolved_at__isnull=True,
            carried_to__isnull=True,
        )
        .select_related("report__person")
        .order_by("-report__week", "report__person__name", "position")
    )
    hide_private_links(access, problems)
    cycles = active_cycles(organization, today)
    moment = week_begins_at(organization, since)
    krs = list(
        with_previous_readings(
            KeyResult.objects.filter(
                objective__in=visible_objectives(access)
                .filter(cycle__in=cycles, unit_id__in=led)
                .exclude(state__in=(ObjectiveState.CLOSED, ObjectiveState.DRAFT))
            ),
            moment,
        )
        .select_related("objective__cycle", "objective__unit", "owner")
        .order_by("objective__unit__order", "objective__order", "order", "id")
    )
    stalled = []
    for kr in krs:
        kr.objective.cycle.organization = organization
        _decorate_key_result(kr, kr.objective.cycle, today)
        before = kr.before_value  # type: ignore[attr-defined]
        not_moved = kr.last_checkin_at is not None and before is not None and before == kr.current
        kr.reason = (  # type: ignore[attr-defined]
            "stale"
            if kr.status in (Status.STALE, Status.PENDING)  # type: ignore[attr-defined]
            else ("flat" if not_moved else "")
        )
        if kr.reason:  # type: ignore[attr-defined]
            stalled.append(kr)
    return MonthlyReview(units, problems, stalled, since)


def items_by_person(reports: dict[int, WeeklyReport]) -> dict[int, list[WeeklyItem]]:
    result: dict[int, list[WeeklyItem]] = defaultdict(list)
    for person_id, report in reports.items():
        result[person_id] = list(report.items.all())
    return result


def _moment(text: str) -> dt.datetime:
    """A moment the database gave as text (UTC; with or without an offset)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def standing_readings_of(
    key_result_ids: list[int], zone: dt.tzinfo
) -> dict[int, list[tuple[dt.date, Decimal | float]]]:
    """Each key result's readings that no correction replaced, as (local day, value), from
    one hand-written query, for forecasts. Moments come as text and are parsed by
    `fromisoformat`, values as floats (the forecast computes in floats): a key result checked
    in daily has hundreds of readings, and the ORM's conversion of each moment and each
    decimal was most of the time."""
    from django.db import connection

    from tenfold.db import fast
    from tenfold.lib.forecast import readings_by_key_result

    if not key_result_ids:
        return {}
    real = "REAL" if connection.vendor == "sqlite" else "DOUBLE PRECISION"

    def col(name: str) -> str:
        return fast.column(CheckIn, name)

    rows = fast.fetch(
        f"SELECT {col('key_result')}, {col('id')}, {col('supersedes')},"  # nosec B608  # quoted names; values bound
        f" CAST({col('measured_at')} AS TEXT), CAST({col('value')} AS {real})"
        f" FROM {fast.table(CheckIn)}"
        f" WHERE {col('key_result')} IN ({fast.marks(key_result_ids)})",
        key_result_ids,
    )
    return readings_by_key_result(
        (
            (kr_id, row_id, supersedes, _moment(at), value)
            for kr_id, row_id, supersedes, at, value in rows
        ),
        zone,
    )
