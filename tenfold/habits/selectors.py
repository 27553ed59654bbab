"""Reads of the habits app: the leaderboard of habits, and kudos for lists of targets.

The leaderboard ranks teams by two habits and nothing else (METHOD §9.1, DESIGN §1.4):

- the **check-in streak**, exactly as the team dashboard counts it
  (`tenfold.okrs.dashboards.checkin_marks`): consecutive weeks in which every key result the
  team was working on got at least one check-in dated in that week. A key result counts from
  the first week that begins after it was written, while its cycle runs, for objectives that are
  approved, active or closed. The streak ends last week, or this week once this week already
  qualifies; weeks in which nothing was expected neither count nor break it.
- **weekly participation** in the last complete week: the share of the team's people (the unit
  and the units inside it; not viewers; members of the organization before that week began) who
  wrote their week, i.e. added an item of their own or finished a plan. Items only carried over
  do not count. The same rule as the dashboards' fill-in figures.

Progress, confidence, status and scores are never read here, so they cannot leak into the
ranking. The dashboard counts one team with two queries; this module counts every team of the
organization with one grouped aggregate per habit (26 weekly columns each), so the number of
queries stays the same for 5 teams or 2,000.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.checkins.weekly import week_begins_at, week_of
from tenfold.okrs.dashboards import (
    ONE_WEEK,
    RECENT_WEEKS,
    STREAK_WEEKS,
    WORKING_STATES,
    Streak,
    WeekMark,
    streak_length,
)
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.selectors import current_cycle, organization_today, visible_objectives
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind, UnitMember
from tenfold.organizations.permissions import Access

from .models import Kudos

SORT_STREAK = "streak"
SORT_PARTICIPATION = "participation"
SORTS = (SORT_STREAK, SORT_PARTICIPATION)

SIX_DAYS = dt.timedelta(days=6)


# --- the leaderboard --------------------------------------------------------------------------


@dataclass
class TeamHabits:
    """One row of the leaderboard: a team (or department) and its two habits."""

    unit: Unit
    parent: Unit | None
    streak: Streak
    wrote: int
    """People who wrote their week in the last complete week."""
    people: int
    """People expected to write it (see the module's docstring)."""
    key_results: int
    """Key results the team checks in during the current cycle: context, not a result."""
    rank: int = 0

    @property
    def participation(self) -> Decimal | None:
        """The share who wrote their week; None when nobody was expected to."""
        return Decimal(self.wrote) / self.people if self.people else None


@dataclass
class Leaderboard:
    enabled: bool
    cycle: Cycle | None
    week: dt.date
    """This week (the streak may end in it)."""
    last_week: dt.date
    """The last complete week, which participation is counted for."""
    sort: str
    departments: bool
    rows: list[TeamHabits] = field(default_factory=list)


def _objectives(organization: Organization, access: Access | None) -> Any:
    """What the viewer may see; everything for the operator (`access` None, the CLI)."""
    if access is None:
        return Objective.objects.filter(organization=organization)
    return visible_objectives(access)


def checkin_marks_by_unit(
    organization: Organization,
    access: Access | None,
    kinds: Iterable[str],
    this_week: dt.date,
    cycle: Cycle | None = None,
) -> tuple[dict[int, dict[dt.date, bool | None]], dict[int, int]]:
    """For every unit of `kinds`: for each of the last STREAK_WEEKS weeks, did every key result
    it was working on get a check-in that week (None: nothing was expected)? Also the number
    of key results each unit has in `cycle`. Two grouped queries whatever the number of units.

    Per week, one column counts the key results expected that week and another the distinct
    ones among them checked in during it; the week holds when the two are equal."""
    weeks = [this_week - ONE_WEEK * n for n in range(STREAK_WEEKS - 1, -1, -1)]  # oldest first
    begins = {week: week_begins_at(organization, week) for week in weeks}
    begins[this_week + ONE_WEEK] = week_begins_at(organization, this_week + ONE_WEEK)
    objectives = _objectives(organization, access).filter(
        unit__kind__in=list(kinds),
        state__in=WORKING_STATES,
        cycle__end__gte=weeks[0],
        cycle__start__lte=this_week + SIX_DAYS,
    )
    key_results = KeyResult.objects.filter(objective__in=objectives)

    def running(week: dt.date, prefix: str = "") -> Q:
        return Q(
            **{
                f"{prefix}created_at__lt": begins[week],
                f"{prefix}objective__cycle__start__lte": week + SIX_DAYS,
                f"{prefix}objective__cycle__end__gte": week,
            }
        )

    expected_columns: dict[str, Any] = {
        f"w{n}": Count("id", filter=running(week)) for n, week in enumerate(weeks)
    }
    if cycle is not None:
        expected_columns["in_cycle"] = Count("id", filter=Q(objective__cycle_id=cycle.id))
    expected_rows = key_results.values("objective__unit_id").annotate(**expected_columns).order_by()
    met_columns = {
        f"w{n}": Count(
            "key_result_id",
            distinct=True,
            filter=running(week, "key_result__")
            & Q(measured_at__gte=begins[week], measured_at__lt=begins[week + ONE_WEEK]),
        )
        for n, week in enumerate(weeks)
    }
    met_rows = (
        CheckIn.objects.filter(
            key_result__in=key_results,
            measured_at__gte=begins[weeks[0]],
            measured_at__lt=begins[this_week + ONE_WEEK],
        )
        .values("key_result__objective__unit_id")
        .annotate(**met_columns)
        .order_by()
    )
    met: dict[int, dict[str, Any]] = {
        row["key_result__objective__unit_id"]: dict(row) for row in met_rows
    }
    marks: dict[int, dict[dt.date, bool | None]] = {}
    in_cycle: dict[int, int] = {}
    for expected_row in expected_rows:
        expected: dict[str, Any] = dict(expected_row)
        unit_id = expected["objective__unit_id"]
        checked = met.get(unit_id, {})
        marks[unit_id] = {
            week: (checked.get(f"w{n}", 0) == expected[f"w{n}"]) if expected[f"w{n}"] else None
            for n, week in enumerate(weeks)
        }
        in_cycle[unit_id] = expected.get("in_cycle", 0)
    return marks, in_cycle


def _below(units: list[Unit]) -> dict[int, set[int]]:
    """Each unit with every unit inside it (itself included)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit.id)
    result: dict[int, set[int]] = {}

    def walk(unit_id: int, seen: set[int]) -> set[int]:
        if unit_id in result:
            return result[unit_id]
        found = {unit_id}
        for child in children.get(unit_id, ()):
            if child not in seen:  # the tree has no loops; stay safe on bad data
                found |= walk(child, seen | {child})
        result[unit_id] = found
        return found

    for unit in units:
        walk(unit.id, {unit.id})
    return result


def participation_by_unit(
    organization: Organization, units: list[Unit], ranked: list[Unit], week: dt.date
) -> dict[int, tuple[int, int]]:
    """{unit id: (people who wrote `week`, people expected to)} for the `ranked` units, as the
    team dashboard counts a week (`fill_in_marks`). Three queries whatever the size."""
    eligible = set(
        Membership.objects.filter(
            organization=organization,
            created_at__lt=week_begins_at(organization, week),
            user__is_service=False,
        )
        .exclude(role=Role.VIEWER)
        .values_list("user_id", flat=True)
    )
    members: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in UnitMember.objects.filter(organization=organization).values_list(
        "unit_id", "user_id"
    ):
        members[unit_id].add(user_id)
    wrote = set(
        WeeklyItem.objects.filter(organization=organization, report__week=week)
        .filter(Q(carried_from__isnull=True) | Q(done_at__isnull=False))
        .order_by()
        .values_list("report__person_id", flat=True)
        .distinct()
    )
    below = _below(units)
    result: dict[int, tuple[int, int]] = {}
    for unit in ranked:
        people: set[int] = set()
        for unit_id in below.get(unit.id, {unit.id}):
            people |= members.get(unit_id, set())
        expected = people & eligible
        result[unit.id] = (len(expected & wrote), len(expected))
    return result


def streak_of(marks: Mapping[dt.date, bool | None], this_week: dt.date) -> Streak:
    """The streak and the last RECENT_WEEKS weeks, as the team dashboard draws them."""
    recent = [
        WeekMark(week, marks.get(week))
        for week in (this_week - ONE_WEEK * n for n in range(RECENT_WEEKS - 1, -1, -1))
    ]
    return Streak(streak_length(marks, this_week, STREAK_WEEKS), recent)


def sort_rows(rows: list[TeamHabits], sort: str) -> list[TeamHabits]:
    """Highest streak (or participation) first; ties by name. A team nobody was expected to
    write for comes after every team with a share, 0 % included."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort: {sort}")

    def by_name(row: TeamHabits) -> tuple[str, str]:
        return (row.unit.name.casefold(), row.unit.code)

    if sort == SORT_PARTICIPATION:
        ordered = sorted(
            rows,
            key=lambda row: (
                -(row.participation if row.participation is not None else Decimal(-1)),
                *by_name(row),
            ),
        )
    else:
        ordered = sorted(rows, key=lambda row: (-row.streak.weeks, *by_name(row)))
    for position, row in enumerate(ordered, start=1):
        row.rank = position
    return ordered


def leaderboard(
    organization: Organization,
    access: Access | None,
    *,
    sort: str = SORT_STREAK,
    departments: bool = False,
) -> Leaderboard:
    """The leaderboard of habits of the organization's teams (and departments, if asked), as
    `access` sees it (None: every objective, for the operator). Empty when the organization
    has not turned leaderboards on. A fixed number of queries whatever the size."""
    if sort not in SORTS:
        raise ValueError(f"Unknown sort: {sort}")
    week = week_of(organization)
    last_week = week - ONE_WEEK
    cycle = current_cycle(organization, organization_today(organization))
    board = Leaderboard(
        enabled=organization.leaderboards_enabled,
        cycle=cycle,
        week=week,
        last_week=last_week,
        sort=sort,
        departments=departments,
    )
    if not board.enabled:
        return board
    kinds = [UnitKind.TEAM, UnitKind.DEPARTMENT] if departments else [UnitKind.TEAM]
    units = list(Unit.objects.filter(organization=organization).order_by("order", "name"))
    by_id = {unit.id: unit for unit in units}
    ranked = [unit for unit in units if unit.kind in kinds]
    marks, in_cycle = checkin_marks_by_unit(organization, access, kinds, week, cycle)
    shares = participation_by_unit(organization, units, ranked, last_week)
    rows = []
    for unit in ranked:
        wrote, people = shares[unit.id]
        rows.append(
            TeamHabits(
                unit=unit,
                parent=by_id.get(unit.parent_id) if unit.parent_id else None,
                streak=streak_of(marks.get(unit.id, {}), week),
                wrote=wrote,
                people=people,
                key_results=in_cycle.get(unit.id, 0),
            )
        )
    board.rows = sort_rows(rows, sort)
    return board


def leaderboard_data(board: Leaderboard) -> dict[str, Any]:
    """The leaderboard as the API and `tenfold habits --json` give it: habits only."""
    cycle = board.cycle
    return {
        "enabled": board.enabled,
        "cycle": {"code": cycle.code, "name": cycle.name} if cycle else None,
        "week": board.week,
        "participation_week": board.last_week,
        "sort": board.sort,
        "departments": board.departments,
        "teams": [
            {
                "rank": row.rank,
                "unit": {"code": row.unit.code, "name": row.unit.name, "kind": row.unit.kind},
                "part_of": row.parent.name if row.parent else None,
                "checkin_streak": row.streak.weeks,
                "checked_in_this_week": row.streak.this_week_met,
                "recent_weeks": [
                    {"week": mark.week, "met": mark.met} for mark in row.streak.recent
                ],
                "wrote": row.wrote,
                "people": row.people,
                "participation": row.participation,
                "key_results": row.key_results,
            }
            for row in board.rows
        ],
    }


# --- kudos ------------------------------------------------------------------------------------

KUDOS_KINDS: dict[str, str] = {"check-in": "checkin", "item": "weekly_item"}
"""URL and API name of each kind of kudos target → the model field pointing at it (the same
names as comments and reactions use)."""

ROUTES = {"check-in": "kudos_checkin", "item": "kudos_item"}


def kind_of(target: Any) -> str:
    """ "check-in" or "item"; ValueError for anything that cannot receive kudos."""
    if isinstance(target, CheckIn):
        return "check-in"
    if isinstance(target, WeeklyItem):
        return "item"
    raise ValueError(f"Kudos go on check-ins and weekly items, not on {type(target).__name__}")


def key_of(target: Any) -> tuple[str, int]:
    return kind_of(target), target.pk


@dataclass(frozen=True)
class KudosState:
    """What a kudos button shows for one target and one viewer."""

    kind: str
    code: str
    count: int
    mine: bool
    """The viewer gave kudos."""
    own: bool
    """The target is the viewer's own work: they see the count but cannot give kudos."""


def _user_id(user: Any) -> int:
    return int(getattr(user, "pk", user))


def _authors(targets: list[Any]) -> dict[tuple[str, int], int | None]:
    """Whose work each target is: the check-in's author, the item's person. Items whose report
    is not loaded are looked up together, in one query."""
    result: dict[tuple[str, int], int | None] = {}
    missing: list[int] = []
    for target in targets:
        if isinstance(target, CheckIn):
            result[("check-in", target.pk)] = target.author_id
        elif WeeklyItem.report.is_cached(target):
            result[("item", target.pk)] = target.report.person_id
        else:
            missing.append(target.pk)
    if missing:
        for item_id, person_id in WeeklyItem.objects.filter(id__in=missing).values_list(
            "id", "report__person_id"
        ):
            result[("item", item_id)] = person_id
    return result


def author_of(target: Any) -> int | None:
    return _authors([target]).get(key_of(target))


def kudos_for(targets: Iterable[Any], user: Any) -> dict[tuple[str, int], KudosState]:
    """{(kind, id): KudosState} for a list of check-ins and weekly items, mixed or not, as
    `user` (a user or their id) sees them. One query for the counts, plus one for the authors
    of items whose report is not loaded; none for an empty list."""
    wanted = list(targets)
    if not wanted:
        return {}
    for target in wanted:
        kind_of(target)
    user_id = _user_id(user)
    checkin_ids = [t.pk for t in wanted if isinstance(t, CheckIn)]
    item_ids = [t.pk for t in wanted if isinstance(t, WeeklyItem)]
    query = Q()
    if checkin_ids:
        query |= Q(checkin_id__in=checkin_ids)
    if item_ids:
        query |= Q(weekly_item_id__in=item_ids)
    rows = (
        Kudos.objects.filter(query)
        .values_list("checkin_id", "weekly_item_id")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(giver_id=user_id)))
        .order_by()
    )
    counts: dict[tuple[str, int], tuple[int, bool]] = {}
    for checkin_id, item_id, n, mine in rows:
        key = ("check-in", checkin_id) if checkin_id else ("item", item_id)
        counts[key] = (n, bool(mine))
    authors = _authors(wanted)
    result = {}
    for target in wanted:
        key = key_of(target)
        n, mine = counts.get(key, (0, False))
        result[key] = KudosState(
            kind=key[0],
            code=target.code,
            count=n,
            mine=mine,
            own=authors.get(key) == user_id,
        )
    return result


def kudos_attach(targets: Iterable[Any], user: Any) -> None:
    """Put `kudos_state` on every target, from `kudos_for` (the attribute is not called
    `kudos`: that is the reverse relation of the model)."""
    wanted = list(targets)
    states = kudos_for(wanted, user)
    for target in wanted:
        target.kudos_state = states[key_of(target)]


def kudos_url(slug: str, kind: str, code: str) -> str:
    return reverse(ROUTES[kind], kwargs={"org": slug, "code": code})


def kudos_data(state: KudosState, *, can_give: bool) -> dict[str, Any]:
    """A target's kudos as the API gives them."""
    return {
        "target_kind": state.kind,
        "target": state.code,
        "count": state.count,
        "mine": state.mine,
        "can_give": can_give,
    }


def may_give(access: Access, state: KudosState) -> bool:
    """Whoever may see the target (the caller checked) and is not a viewer, except its author."""
    return access.can_write and not state.own


@dataclass
class KudosReceived:
    count: int
    givers: list[str]
    """Display names of the people who gave them, each once, by name."""


def kudos_received(organization: Organization, person_id: int, week: dt.date) -> KudosReceived:
    """Kudos given during `week` (the organization's calendar) on the person's check-ins and
    weekly items, whenever those were written. One query."""
    rows = list(
        Kudos.objects.filter(
            organization=organization,
            created_at__gte=week_begins_at(organization, week),
            created_at__lt=week_begins_at(organization, week + ONE_WEEK),
        )
        .filter(Q(checkin__author_id=person_id) | Q(weekly_item__report__person_id=person_id))
        .exclude(giver_id=person_id)
        .select_related("giver")
    )
    names = sorted({row.giver.display_name for row in rows}, key=str.casefold)
    return KudosReceived(count=len(rows), givers=names)
