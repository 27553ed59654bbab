"""Reads behind the dashboards: the company's, a team's, and a person's page.

Each dashboard runs a fixed number of queries whatever the size of the organization. Rows are
fetched once per kind (objectives with their key results, check-in days, weekly items) and
counted in Python, because statuses depend on today's date, the cycle calendar and the
organization's thresholds (`tenfold.lib.progress`), which SQL would have to duplicate.
Everything is scoped to the viewer: objectives they may not see count nowhere.

Habits are shown for teams, never ranked by person, and nothing here attaches a score or a
percentage to a person (DESIGN §1.4, METHOD §9.1).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.http import Http404
from django.utils import timezone

from tenfold.checkins.models import Category, CheckIn, WeeklyItem, WeeklyReport
from tenfold.checkins.weekly import week_begins_at, week_of, zone_of
from tenfold.lib.heatmap import Heatmap, RowInput, Segment, heatmap, stacked
from tenfold.lib.periods import week_start_of
from tenfold.lib.progress import THRESHOLD_KINDS, Status, elapsed_fraction, status
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind, UnitMember

from .models import Alignment, Cycle, KeyResult, Level, Objective, ObjectiveState
from .selectors import (
    annotate_statuses,
    key_result_status,
    objectives_for_cycle,
    organization_today,
    visible_objectives,
)

if TYPE_CHECKING:
    from tenfold.organizations.permissions import Access

STATUS_COLUMNS: tuple[str, ...] = (
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.OFF_TRACK,
    Status.STALE,
    Status.PENDING,
    Status.DONE,
)
"""The order statuses are counted and drawn in, everywhere on the dashboards."""

LIST_LIMIT = 20
"""Longest list of key results a dashboard shows; the rest are counted."""

HEATMAP_LIMIT = 60
"""Most units the heatmap draws; each unit's own dashboard has the rest."""

QUIET_DAYS = 14
"""A team with no check-in for this long is listed as quiet."""

STREAK_WEEKS = 26
"""How far back streaks are counted: half a year is as long as a habit needs to show."""

RECENT_WEEKS = 8
"""Weeks drawn beside a streak."""

CONTRIBUTION_WEEKS = 4
"""How far back a person's weekly items are read for what they contribute to."""

ONE_WEEK = dt.timedelta(days=7)
WORKING_STATES = (ObjectiveState.APPROVED, ObjectiveState.ACTIVE, ObjectiveState.CLOSED)
"""Objectives whose key results a team is expected to check in (drafts are still ideas)."""


# --- company --------------------------------------------------------------------------------


@dataclass
class FillIn:
    """How many people wrote their week, counted for the organization, never named."""

    week: dt.date
    filled: int
    people: int

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.filled) / self.people if self.people else None


@dataclass
class CompanyDashboard:
    cycle: Cycle
    today: dt.date
    elapsed: Decimal
    """Share of the cycle that has passed: the context every status is judged in."""
    company_objectives: list[Objective]
    """With `status`, `krs` and `team_count` (team objectives aligned to it, at any depth)."""
    objective_counts: dict[str, int]
    key_result_counts: dict[str, int]
    objective_bar: list[Segment]
    key_result_bar: list[Segment]
    heatmap: Heatmap
    behind: list[KeyResult]
    """At risk or off track, furthest behind first, with `gap` (expected minus progress)."""
    behind_total: int
    stale: list[KeyResult]
    """Checked in once, but not within the stale period; longest silence first."""
    stale_total: int
    teams_without_okrs: list[Unit]
    quiet_teams: list[Unit]
    fill_in: FillIn
    heatmap_total: int = 0
    """Units below the company; the heatmap draws the first `HEATMAP_LIMIT` in tree order."""
    teams_without_okrs_total: int = 0
    quiet_teams_total: int = 0

    @property
    def objective_total(self) -> int:
        return sum(self.objective_counts.values())

    @property
    def key_result_total(self) -> int:
        return sum(self.key_result_counts.values())


def _counts(statuses: Iterable[str]) -> dict[str, int]:
    counted = Counter(str(value) for value in statuses)
    return {column: counted.get(column, 0) for column in STATUS_COLUMNS}


def _aligned_team_counts(
    levels: Mapping[int, str], edges: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """For each objective, how many team objectives contribute to it, directly, through one of
    its key results, or through objectives in between (a department's, say). `levels` holds
    the visible objectives and `edges` their (child, parent) links; only objectives in
    `levels` count, so hidden ones are never counted."""
    children: dict[int, set[int]] = defaultdict(set)
    for child, parent in edges:
        if parent in levels and child in levels and parent != child:
            children[parent].add(child)
    result: dict[int, int] = {}
    for objective_id in levels:
        seen: set[int] = set()
        stack = list(children.get(objective_id, ()))
        while stack:
            current = stack.pop()
            if current in seen or current == objective_id:
                continue  # alignment cycles are refused on write; stay safe on old data
            seen.add(current)
            stack.extend(children.get(current, ()))
        result[objective_id] = sum(1 for o in seen if levels[o] == Level.TEAM)
    return result


def _quiet_teams(access: Access, teams: list[Unit], now: dt.datetime) -> list[Unit]:
    """Teams none of whose visible key results has a check-in dated in the last
    `QUIET_DAYS` days. Reads the stored newest check-in of each key result, so the check-in
    history itself is not scanned."""
    since = now - dt.timedelta(days=QUIET_DAYS)
    heard = set(
        KeyResult.objects.filter(
            objective__in=visible_objectives(access), last_checkin_at__gte=since
        )
        .order_by()
        .values_list("objective__unit_id", flat=True)
        .distinct()
    )
    return [team for team in teams if team.id not in heard]


def key_result_status_case(cycle: Cycle, today: dt.date) -> Case:
    """`selectors.key_result_status` as SQL over a key result's stored figures, so a cycle's
    key results are counted and picked by status in the database."""
    organization = cycle.organization
    rules = organization.status_rules
    zone = zone_of(organization)
    today = min(today, cycle.end)  # an ended cycle keeps the status of its last day
    elapsed = elapsed_fraction(cycle.start, cycle.end, today)
    fresh_from = dt.datetime.combine(
        today - dt.timedelta(days=rules.stale_days), dt.time(), tzinfo=zone
    )
    return Case(
        When(last_checkin_at__isnull=True, then=Value(Status.PENDING.value)),
        When(last_checkin_at__lt=fresh_from, then=Value(Status.STALE.value)),
        When(progress__gte=1, kind__in=THRESHOLD_KINDS, then=Value(Status.ON_TRACK.value)),
        When(progress__gte=1, then=Value(Status.DONE.value)),
        When(progress__lt=elapsed - rules.off_track_gap, then=Value(Status.OFF_TRACK.value)),
        When(progress__lt=elapsed - rules.at_risk_gap, then=Value(Status.AT_RISK.value)),
        default=Value(Status.ON_TRACK.value),
        output_field=CharField(),
    )


def fill_in_of(organization: Organization, week: dt.date) -> FillIn:
    """How many of the people who could write a week (viewers cannot) and were already in the
    organization when it began wrote something in it: an item of their own or a finished
    plan, as on the team week. One query."""
    # From the person's one report of the week (a unique index) to its items (another), so
    # the check is two index lookups per person rather than a search through every item.
    counted_item = WeeklyItem.objects.filter(report=OuterRef("pk")).filter(
        Q(carried_from__isnull=True) | Q(done_at__isnull=False)
    )
    wrote = WeeklyReport.objects.filter(
        organization=organization, person_id=OuterRef("user_id"), week=week
    ).filter(Exists(counted_item))
    totals = (
        Membership.objects.filter(
            organization=organization,
            created_at__lt=week_begins_at(organization, week),
            user__is_service=False,
        )
        .exclude(role=Role.VIEWER)
        .aggregate(people=Count("id"), filled=Count("id", filter=Exists(wrote)))
    )
    return FillIn(week=week, filled=totals["filled"], people=totals["people"])


def _decimal(value: float | None) -> Decimal:
    return Decimal(repr(value)) if value is not None else Decimal(0)


def _objective_statuses(
    rows: list[tuple[int, int | None, str, Decimal, dt.datetime | None]],
    edges: list[tuple[int, int]],
    cycle: Cycle,
    today: dt.date,
) -> dict[int, Status]:
    """`annotate_statuses` over bare rows: an objective is as recent as its newest key-result
    check-in, or, without one, the newest below it among the objectives aligned to it."""
    latest = {row[0]: row[4] for row in rows}
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in edges:
        children[parent].append(child)

    def newest(objective_id: int, seen: frozenset[int]) -> dt.datetime | None:
        found = [latest.get(objective_id)] + [
            newest(child, seen | {objective_id})
            for child in children.get(objective_id, [])
            if child not in seen
        ]
        return max((when for when in found if when), default=None)

    zone = zone_of(cycle.organization)
    today = min(today, cycle.end)
    rules = cycle.organization.status_rules
    result: dict[int, Status] = {}
    for objective_id, _unit, _level, progress, _last in rows:
        last = newest(objective_id, frozenset())
        result[objective_id] = status(
            progress,
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            today=today,
            last_checkin=timezone.localdate(last, timezone=zone) if last else None,
            rules=rules,
        )
    return result


def company_dashboard(
    access: Access, organization: Organization, cycle: Cycle, units: list[tuple[Unit, int]]
) -> CompanyDashboard:
    """Everything the company dashboard shows for one cycle. `units` is the unit tree with
    depths (`organizations.selectors.unit_tree`), which the page also uses.

    Whatever the size of the organization, only a fixed number of queries run and only
    bounded lists are loaded in full: objectives come as bare rows (ids, units, progress,
    newest check-in) to be counted, key results are counted and picked by status in SQL, and
    just the company objectives and the key results listed are loaded as models."""
    cycle.organization = organization
    today = organization_today(organization)
    elapsed = elapsed_fraction(cycle.start, cycle.end, today)
    in_cycle = visible_objectives(access).filter(cycle=cycle)
    raw = list(
        in_cycle.order_by()
        .annotate(
            newest=Max("key_results__last_checkin_at"),
            # A float crosses the database driver far faster than a Decimal; it is turned
            # back into the stored four-place value below.
            progress_float=Cast("progress", FloatField()),
        )
        .values_list("id", "unit_id", "level", "progress_float", "newest")
    )
    rows: list[tuple[int, int | None, str, Decimal, dt.datetime | None]] = [
        (*row[:3], _decimal(row[3]), row[4]) for row in raw
    ]
    levels = {row[0]: row[2] for row in rows}
    edges = [
        (child, parent)
        for child, parent, via_kr in Alignment.objects.filter(child__in=in_cycle)
        .order_by()
        .values_list("child_id", "parent_objective_id", "parent_key_result__objective_id")
        for parent in (parent or via_kr,)
        if parent is not None
    ]
    direct = [
        (child, parent)
        for child, parent in Alignment.objects.filter(
            child__in=in_cycle, parent_objective__isnull=False
        )
        .order_by()
        .values_list("child_id", "parent_objective_id")
    ]
    statuses = _objective_statuses(rows, direct, cycle, today)
    team_counts = _aligned_team_counts(levels, edges)

    company_ids = [row[0] for row in rows if row[2] == Level.COMPANY]
    company_level = objectives_for_cycle(access, cycle, ids=company_ids)
    annotate_statuses(company_level, cycle, today)
    for objective in company_level:
        objective.team_count = team_counts.get(objective.id, 0)  # type: ignore[attr-defined]
        # The status the counts use, which looks at every objective aligned below it.
        objective.status = statuses.get(objective.id, objective.status)  # type: ignore[attr-defined]

    objective_counts = _counts(statuses.values())

    status_case = key_result_status_case(cycle, today)
    key_results = KeyResult.objects.filter(objective__in=in_cycle).annotate(dash_status=status_case)
    per_unit: dict[int, Counter[str]] = defaultdict(Counter)
    kr_counted: Counter[str] = Counter()
    for unit_id, kr_status, number in (
        key_results.order_by()
        .values_list("objective__unit_id", "dash_status")
        .annotate(number=Count("id"))
    ):
        kr_counted[kr_status] += number
        if unit_id is not None:
            per_unit[unit_id][kr_status] += number
    kr_counts = {column: kr_counted.get(column, 0) for column in STATUS_COLUMNS}
    below_root = [(unit, depth) for unit, depth in units if unit.parent_id is not None]
    rows_in = [
        RowInput(item=unit, label=unit.name, counts=per_unit.get(unit.id, {}), depth=depth - 1)
        for unit, depth in below_root[:HEATMAP_LIMIT]
    ]

    listed = key_results.select_related("objective__unit", "owner")
    behind: list[KeyResult] = list(
        listed.filter(dash_status__in=(Status.AT_RISK, Status.OFF_TRACK)).order_by(
            "progress", "title", "id"
        )[:LIST_LIMIT]
    )
    for kr in behind:
        kr.status = Status(kr.dash_status)  # type: ignore[attr-defined]
        kr.gap = elapsed - kr.progress  # type: ignore[attr-defined]
    stale: list[KeyResult] = list(
        listed.filter(dash_status=Status.STALE).order_by("last_checkin_at", "title", "id")[
            :LIST_LIMIT
        ]
    )
    for kr in stale:
        kr.status = Status(kr.dash_status)  # type: ignore[attr-defined]

    teams = [unit for unit, _depth in units if unit.kind == UnitKind.TEAM]
    with_okrs = {row[1] for row in rows}
    without = [team for team in teams if team.id not in with_okrs]
    quiet = _quiet_teams(access, teams, timezone.now())
    return CompanyDashboard(
        cycle=cycle,
        today=today,
        elapsed=elapsed,
        company_objectives=company_level,
        objective_counts=objective_counts,
        key_result_counts=kr_counts,
        objective_bar=stacked(objective_counts, STATUS_COLUMNS),
        key_result_bar=stacked(kr_counts, STATUS_COLUMNS),
        heatmap=heatmap(rows_in, STATUS_COLUMNS),
        heatmap_total=len(below_root),
        behind=behind,
        behind_total=kr_counts[Status.AT_RISK] + kr_counts[Status.OFF_TRACK],
        stale=stale,
        stale_total=kr_counts[Status.STALE],
        teams_without_okrs=without[:LIST_LIMIT],
        teams_without_okrs_total=len(without),
        quiet_teams=quiet[:LIST_LIMIT],
        quiet_teams_total=len(quiet),
        fill_in=fill_in_of(organization, week_of(organization) - ONE_WEEK),
    )


# --- streaks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekMark:
    week: dt.date
    met: bool | None
    """True: the habit held that week; False: it did not; None: nothing was expected."""


@dataclass
class Streak:
    weeks: int
    recent: list[WeekMark] = field(default_factory=list)
    """The last few weeks, oldest first, this week last."""

    @property
    def this_week_met(self) -> bool:
        return bool(self.recent and self.recent[-1].met)


def streak_length(marks: Mapping[dt.date, bool | None], this_week: dt.date, span: int) -> int:
    """Consecutive weeks the habit held, ending this week when it already holds, else last
    week (this week is not over, so it never breaks a streak). A week in which nothing was
    expected (between cycles, say) neither counts nor breaks it. Looks back `span` weeks."""
    week = this_week if marks.get(this_week) is True else this_week - ONE_WEEK
    first = this_week - ONE_WEEK * (span - 1)
    count = 0
    while week >= first:
        met = marks.get(week)
        if met is False:
            break
        if met is True:
            count += 1
        week -= ONE_WEEK
    return count


def _streak(marks: Mapping[dt.date, bool | None], this_week: dt.date) -> Streak:
    recent = [
        WeekMark(week, marks.get(week))
        for week in (this_week - ONE_WEEK * n for n in range(RECENT_WEEKS - 1, -1, -1))
    ]
    return Streak(streak_length(marks, this_week, STREAK_WEEKS), recent)


def _weeks(this_week: dt.date) -> list[dt.date]:
    return [this_week - ONE_WEEK * n for n in range(STREAK_WEEKS)]


def checkin_marks(
    access: Access, organization: Organization, unit: Unit, this_week: dt.date
) -> dict[dt.date, bool | None]:
    """For each recent week: did every key result the team was working on then get at least
    one check-in dated in that week? A key result counts from the first week that begins
    after it was written, while its cycle runs. Two queries."""
    first = this_week - ONE_WEEK * (STREAK_WEEKS - 1)
    zone = zone_of(organization)
    objectives = visible_objectives(access).filter(
        unit=unit,
        state__in=WORKING_STATES,
        cycle__end__gte=first,
        cycle__start__lte=this_week + dt.timedelta(days=6),
    )
    key_results = KeyResult.objects.filter(objective__in=objectives)
    rows = list(
        key_results.order_by().values_list(
            "id", "created_at", "objective__cycle__start", "objective__cycle__end"
        )
    )
    checked: dict[dt.date, set[int]] = defaultdict(set)
    days = (
        CheckIn.objects.filter(
            key_result__in=key_results, measured_at__gte=week_begins_at(organization, first)
        )
        .annotate(day=TruncDate("measured_at", tzinfo=zone))
        .order_by()
        .values_list("key_result_id", "day")
        .distinct()
    )
    for kr_id, day in days:
        checked[week_start_of(day, organization.week_start)].add(kr_id)
    marks: dict[dt.date, bool | None] = {}
    for week in _weeks(this_week):
        begins = week_begins_at(organization, week)
        expected = {
            kr_id
            for kr_id, created, cycle_start, cycle_end in rows
            if created < begins and cycle_start <= week + dt.timedelta(days=6) and cycle_end >= week
        }
        marks[week] = (expected <= checked[week]) if expected else None
    return marks


def fill_in_marks(
    organization: Organization, people: list[UnitMember], this_week: dt.date
) -> tuple[dict[dt.date, bool | None], dict[dt.date, int], dict[dt.date, int]]:
    """For each recent week: did everyone in the team write their week? Everyone means the
    team's people now who could write (not viewers) and were in the organization when the
    week began. Also returns how many wrote and how many were expected, per week. Two
    queries."""
    first = this_week - ONE_WEEK * (STREAK_WEEKS - 1)
    ids = [member.user_id for member in people]
    joined = dict(
        Membership.objects.filter(organization=organization, user_id__in=ids)
        .exclude(role=Role.VIEWER)
        .values_list("user_id", "created_at")
    )
    wrote: dict[dt.date, set[int]] = defaultdict(set)
    rows = (
        # Scoped through the reports (an index on organization, person and week), never
        # through the items' own organization column, which would read every item there is.
        WeeklyItem.objects.filter(
            report__organization=organization, report__person_id__in=ids, report__week__gte=first
        )
        .filter(Q(carried_from__isnull=True) | Q(done_at__isnull=False))
        .order_by()
        .values_list("report__person_id", "report__week")
        .distinct()
    )
    for person_id, week in rows:
        wrote[week].add(person_id)
    marks: dict[dt.date, bool | None] = {}
    filled: dict[dt.date, int] = {}
    expected_counts: dict[dt.date, int] = {}
    for week in _weeks(this_week):
        begins = week_begins_at(organization, week)
        expected = {person for person, created in joined.items() if created < begins}
        marks[week] = (expected <= wrote[week]) if expected else None
        filled[week] = len(expected & wrote[week])
        expected_counts[week] = len(expected)
    return marks, filled, expected_counts


# --- team -----------------------------------------------------------------------------------


def may_read_team_week(access: Access, unit: Unit) -> bool:
    """What people wrote in their weeks is for the team, the leads above it and admins; the
    rest of the organization sees the team's OKRs and habits only."""
    return access.is_admin or unit.id in access.led_unit_ids or unit.id in access.member_unit_ids


@dataclass
class TeamDashboard:
    unit: Unit
    cycle: Cycle | None
    objectives: list[Objective]
    week: dt.date
    shows_week: bool
    plans: list[WeeklyItem]
    problems: list[WeeklyItem]
    """Open problems of this week, and last week's that were not carried in yet."""
    people_count: int
    wrote_this_week: int
    expected_this_week: int
    checkin_streak: Streak
    fill_in_streak: Streak


def _week_items(
    access: Access, organization: Organization, ids: list[int], week: dt.date
) -> tuple[list[WeeklyItem], list[WeeklyItem]]:
    from tenfold.checkins.selectors import hide_private_links

    last_week = week - ONE_WEEK
    open_problem = Q(category=Category.PROBLEMS, resolved_at__isnull=True) & (
        Q(report__week=week) | Q(report__week=last_week, carried_to__isnull=True)
    )
    items = list(
        WeeklyItem.objects.filter(
            report__organization=organization,
            report__person_id__in=ids,
            report__week__in=(week, last_week),
        )
        .filter(Q(category=Category.PLANS, report__week=week) | open_problem)
        .select_related("report__person", "objective", "key_result")
        .order_by("report__person__name", "report__person__email", "-report__week", "position")
        .distinct()
    )
    hide_private_links(access, items)
    plans = [item for item in items if item.category == Category.PLANS]
    problems = [item for item in items if item.category == Category.PROBLEMS]
    return plans, problems


def team_dashboard(
    access: Access, organization: Organization, unit: Unit, cycle: Cycle | None
) -> TeamDashboard:
    from tenfold.checkins.selectors import unit_people

    week = week_of(organization)
    objectives: list[Objective] = []
    if cycle is not None:
        cycle.organization = organization
        objectives = objectives_for_cycle(access, cycle, unit=unit)
        annotate_statuses(objectives, cycle)
    people = unit_people(organization, unit)
    ids = [member.user_id for member in people]
    shows_week = may_read_team_week(access, unit)
    plans, problems = _week_items(access, organization, ids, week) if shows_week else ([], [])
    fill_marks, filled, expected = fill_in_marks(organization, people, week)
    return TeamDashboard(
        unit=unit,
        cycle=cycle,
        objectives=objectives,
        week=week,
        shows_week=shows_week,
        plans=plans,
        problems=problems,
        people_count=len(people),
        wrote_this_week=filled[week],
        expected_this_week=expected[week],
        checkin_streak=_streak(checkin_marks(access, organization, unit, week), week),
        fill_in_streak=_streak(fill_marks, week),
    )


# --- person ---------------------------------------------------------------------------------


def get_person(organization: Organization, user_id: int) -> Membership:
    """A person of the organization by their account id; 404 for anyone else, so the page
    never tells whether an account exists elsewhere."""
    membership = (
        Membership.objects.filter(organization=organization, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@dataclass
class Contribution:
    objective: Objective
    key_results: list[KeyResult]


@dataclass
class PersonPage:
    membership: Membership
    units: list[UnitMember]
    cycle: Cycle | None
    key_results: list[KeyResult]
    """Owned in the cycle, with `status`."""
    objectives: list[Objective]
    """Led in the cycle, with `status` and `krs`."""
    contributions: list[Contribution]
    """OKRs their weekly items of the last few weeks were linked to, newest first."""
    since: dt.date

    @property
    def person(self) -> Any:
        return self.membership.user


def _contributions(
    access: Access, organization: Organization, user_id: int, since: dt.date
) -> list[Contribution]:
    items = (
        WeeklyItem.objects.filter(
            organization=organization, report__person_id=user_id, report__week__gte=since
        )
        .filter(Q(objective__isnull=False) | Q(key_result__isnull=False))
        .select_related("objective__unit", "key_result__objective__unit")
        .order_by("-report__week", "position", "id")
    )
    groups: dict[int, Contribution] = {}
    for item in items:
        objective = item.objective or (item.key_result.objective if item.key_result else None)
        if objective is None or not access.can_view_objective(objective):
            continue
        group = groups.setdefault(objective.id, Contribution(objective, []))
        kr = item.key_result
        if kr is not None and kr.objective_id == objective.id and kr not in group.key_results:
            group.key_results.append(kr)
    return list(groups.values())


def person_page(
    access: Access, organization: Organization, membership: Membership, cycle: Cycle | None
) -> PersonPage:
    user_id = membership.user_id
    units = list(
        UnitMember.objects.filter(organization=organization, user_id=user_id)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    )
    key_results: list[KeyResult] = []
    objectives: list[Objective] = []
    if cycle is not None:
        cycle.organization = organization
        today = organization_today(organization)
        in_cycle: QuerySet[Objective] = visible_objectives(access).filter(cycle=cycle)
        key_results = list(
            KeyResult.objects.filter(objective__in=in_cycle, owner_id=user_id)
            .select_related("objective__unit")
            .order_by("objective__unit__order", "objective__order", "objective_id", "order", "id")
        )
        for kr in key_results:
            kr.status = key_result_status(kr, cycle, today)  # type: ignore[attr-defined]
        objectives = list(
            in_cycle.filter(lead_id=user_id)
            .select_related("unit")
            .prefetch_related(
                Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "id"))
            )
            .order_by("unit__order", "order", "id")
        )
        annotate_statuses(objectives, cycle, today)
    since = week_of(organization) - ONE_WEEK * (CONTRIBUTION_WEEKS - 1)
    return PersonPage(
        membership=membership,
        units=units,
        cycle=cycle,
        key_results=key_results,
        objectives=objectives,
        contributions=_contributions(access, organization, user_id, since),
        since=since,
    )
