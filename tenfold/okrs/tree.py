"""Reads for the alignment tree: a cycle's objectives laid out along the unit hierarchy, with
status summaries per unit and, on demand, an objective's key results and the objectives
aligned to it.

Every function here runs a fixed number of queries whatever the organization's size. Status
is worked out from stored figures only: `Objective.progress`, the cycle's calendar, and the
newest `KeyResult.last_checkin_at` on the objective or on those aligned to it
(`newest_checkin()` states the rule in SQL). Rows read it with one recursive query
(`attach_newest`); the per-unit summaries and the status filter work it out in Python from two
narrow queries over the cycle (`statuses_of`).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Greatest, Lower, NullIf
from django.http import Http404
from django.utils import timezone

from tenfold.lib.progress import Status, StatusRules, elapsed_fraction, status
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access

from .models import Alignment, Cycle, KeyResult, Objective, ObjectiveType, aligned_into
from .selectors import key_result_status, visible_objectives

DESCENT = 4
"""How many levels of aligned objectives keep a parent fresh: an objective without key results
(a company objective moved by department objectives moved by team objectives) is as recent as
the newest check-in below it. Four levels cover company → departments → teams with room."""

BRANCH_LIMIT = 50
"""At most this many aligned objectives are listed under an opened objective."""

FLAT_LIMIT = 100
"""At most this many matches are listed when filtering; the total is always shown."""

STATUS_ORDER = (
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.OFF_TRACK,
    Status.STALE,
    Status.PENDING,
    Status.DONE,
)

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeFilters:
    """What the viewer narrowed the tree to. Values outside the known choices are dropped, so a
    hand-edited address shows the whole tree rather than an error."""

    status: str = ""
    type: str = ""
    search: str = ""

    @classmethod
    def parse(cls, params: Any) -> TreeFilters:
        chosen_status = (params.get("status") or "").strip()
        chosen_type = (params.get("type") or "").strip()
        return cls(
            status=chosen_status if chosen_status in {s.value for s in Status} else "",
            type=chosen_type if chosen_type in ObjectiveType.values else "",
            search=(params.get("q") or "").strip()[:100],
        )

    @property
    def narrowing(self) -> bool:
        """True when the tree gives way to a flat list of matches."""
        return bool(self.status or self.type or self.search)


# --- status in SQL ------------------------------------------------------------------------------


def _scalar(queryset: QuerySet[Any], function: str, column: str, output: Any) -> Subquery:
    """`SELECT function(column) FROM …` as a correlated subquery: one value per outer row,
    without a GROUP BY (the aggregate is written as a plain function on purpose)."""
    return Subquery(
        queryset.order_by()
        .annotate(_value=Func(F(column), function=function, output_field=output))
        .values("_value")[:1],
        output_field=output,
    )


def newest_checkin() -> Any:
    """The newest check-in on an objective's own key results or on those of the objectives
    aligned to it (down to `DESCENT` levels). NULL when there is none."""
    parts: list[Any] = []
    path = "objective"
    for _ in range(DESCENT + 1):
        found = _scalar(
            KeyResult.objects.filter(**{path: OuterRef("pk")}),
            "MAX",
            "last_checkin_at",
            DateTimeField(),
        )
        parts.append(Coalesce(found, Value(_EPOCH, output_field=DateTimeField())))
        path += "__parent_links__parent_objective"
    # GREATEST is NULL as soon as one argument is on SQLite, so absent values stand in as the
    # epoch and turn back into NULL at the end.
    return NullIf(Greatest(*parts), Value(_EPOCH, output_field=DateTimeField()))


@dataclass(frozen=True)
class Clock:
    """Everything status depends on besides an objective's own figures."""

    cycle: Cycle
    today: dt.date
    rules: StatusRules
    zone: zoneinfo.ZoneInfo

    @classmethod
    def of(cls, cycle: Cycle, organization: Organization, today: dt.date | None = None) -> Clock:
        zone = zoneinfo.ZoneInfo(organization.time_zone)
        return cls(
            cycle=cycle,
            today=today or timezone.localdate(timezone=zone),
            rules=organization.status_rules,
            zone=zone,
        )

    @property
    def elapsed(self) -> Decimal:
        return elapsed_fraction(self.cycle.start, self.cycle.end, self.today)

    @property
    def fresh_from(self) -> dt.datetime:
        """A check-in before this moment is older than the grace period: the first instant of
        the oldest local day that still counts."""
        day = self.today - dt.timedelta(days=self.rules.stale_days)
        return dt.datetime.combine(day, dt.time(), tzinfo=self.zone)

    def status_of(
        self, progress: Decimal, last: dt.datetime | None, cycle: Cycle | None = None
    ) -> Status:
        """`tenfold.lib.progress.status` for one objective, from annotated figures."""
        cycle = cycle or self.cycle
        return status(
            progress,
            cycle_start=cycle.start,
            cycle_end=cycle.end,
            today=self.today,
            last_checkin=timezone.localdate(last, timezone=self.zone) if last else None,
            rules=self.rules,
        )


def _rows(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives as the tree shows them: unit, lead and cycle joined, key results and aligned
    objectives counted, in the one query (`_finish` adds the newest check-in)."""
    return objectives.annotate(
        kr_count=_scalar(
            KeyResult.objects.filter(objective=OuterRef("pk")), "COUNT", "id", IntegerField()
        ),
        child_count=RawSQL(_CHILD_COUNT, (), output_field=IntegerField()),  # nosec B611  # constant
    ).select_related("unit", "lead", "cycle")


def _child_count_sql() -> str:
    """How many objectives are aligned to the row's objective or to its key results, each
    counted once. A UNION of two indexed lookups: an OR of the two let both databases read
    every link for every row (30 ms for three rows on SQLite at 10,000 people; 0.2 ms so)."""
    quote = connection.ops.quote_name
    links, key_results = quote(Alignment._meta.db_table), quote(KeyResult._meta.db_table)
    objective = f"{quote(Objective._meta.db_table)}.{quote('id')}"
    return (
        f"(SELECT COUNT(*) FROM ("  # nosec B608  # quoted names only
        f"SELECT a.child_id FROM {links} a WHERE a.parent_objective_id = {objective}"
        f" UNION SELECT a.child_id FROM {links} a"
        f" JOIN {key_results} k ON k.id = a.parent_key_result_id WHERE k.objective_id = {objective}"
        f") aligned)"
    )


_CHILD_COUNT = _child_count_sql()


def attach_newest(objectives: list[Objective]) -> None:
    """Set `tree_last` on each row: the newest check-in on its own key results or on those of
    the objectives aligned to it, down to `DESCENT` levels, as `newest_checkin()` finds it.

    One recursive query walks down the alignment links from all the rows at once; the nested
    subqueries per row took over 100 ms for two rows on PostgreSQL at 10,000 people. The
    walk's rows come first (`CROSS JOIN` keeps that order on SQLite, which otherwise scanned
    every key result: 7 ms for one row at 10,000 people, 0.1 ms this way)."""
    if not objectives:
        return
    ids = [objective.id for objective in objectives]
    sql = f"""
        WITH RECURSIVE down(root, node, depth) AS (
            SELECT id, id, 0 FROM {Objective._meta.db_table}
            WHERE id IN ({", ".join(["%s"] * len(ids))})
            UNION
            SELECT down.root, link.child_id, down.depth + 1
            FROM down JOIN {Alignment._meta.db_table} link
                ON link.parent_objective_id = down.node
            WHERE down.depth < %s
        )
        SELECT down.root, MAX(kr.last_checkin_at)
        FROM down CROSS JOIN {KeyResult._meta.db_table} kr
        WHERE kr.objective_id = down.node
        GROUP BY down.root
    """  # nosec B608  # table names from the models; values bound
    field = KeyResult._meta.get_field("last_checkin_at")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, DESCENT])
        found = {root: _moment(value, field) for root, value in cursor.fetchall()}
    for objective in objectives:
        objective.tree_last = found.get(objective.id)  # type: ignore[attr-defined]


def _moment(value: Any, field: Any) -> dt.datetime | None:
    """A MAX() over a date-time column as the ORM would return it (SQLite hands back text)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    converted = field.to_python(value)
    if timezone.is_naive(converted):
        converted = timezone.make_aware(converted, dt.UTC)
    return converted


def _finish(objectives: list[Objective], clock: Clock) -> list[Objective]:
    """Attach `tree_last` (`attach_newest`) and `status` to each row."""
    attach_newest(objectives)
    for objective in objectives:
        objective.status = clock.status_of(  # type: ignore[attr-defined]
            objective.progress,
            objective.tree_last,  # type: ignore[attr-defined]
            objective.cycle if objective.cycle_id != clock.cycle.id else None,
        )
    return objectives


# --- units --------------------------------------------------------------------------------------


@dataclass
class UnitSummary:
    """A unit as the collapsed tree shows it: the visible objectives of the cycle in the unit
    and every unit below it, counted by status."""

    unit: Unit
    counts: Counter[str] = field(default_factory=Counter)
    own: int = 0
    child_units: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def parts(self) -> list[tuple[str, int]]:
        return [(s.value, self.counts[s.value]) for s in STATUS_ORDER if self.counts[s.value]]


class UnitMap:
    """The organization's units from one query, with the walks the tree needs."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.by_id = {unit.id: unit for unit in units}
        self.by_code = {unit.code: unit for unit in units}
        self.children: dict[int | None, list[Unit]] = {}
        for unit in units:
            self.children.setdefault(unit.parent_id, []).append(unit)

    @classmethod
    def of(cls, organization: Organization) -> UnitMap:
        return cls(list(Unit.objects.filter(organization=organization).order_by("order", "name")))

    @property
    def root(self) -> Unit | None:
        roots = self.children.get(None, [])
        return roots[0] if roots else None

    def get(self, code: str) -> Unit:
        unit = self.by_code.get(code)
        if unit is None:
            raise Http404
        return unit

    def ancestors(self, unit: Unit) -> list[Unit]:
        found: list[Unit] = []
        parent_id = unit.parent_id
        while parent_id in self.by_id and len(found) < len(self.units):
            found.insert(0, self.by_id[parent_id])
            parent_id = self.by_id[parent_id].parent_id
        return found

    def in_tree_order(self, start: Unit | None = None) -> list[Unit]:
        """Every unit (or `start` and the units below it), each followed by its branch."""
        ordered: list[Unit] = []

        seen: set[int] = set()

        def walk(unit: Unit) -> None:
            if unit.id in seen:  # a damaged tree with a loop is walked once
                return
            seen.add(unit.id)
            ordered.append(unit)
            for child in self.children.get(unit.id, []):
                walk(child)

        for unit in [start] if start else self.children.get(None, []):
            walk(unit)
        return ordered

    def subtree_ids(self, unit: Unit) -> set[int]:
        found: set[int] = set()
        stack = [unit.id]
        while stack:
            unit_id = stack.pop()
            if unit_id in found:
                continue
            found.add(unit_id)
            stack.extend(child.id for child in self.children.get(unit_id, []))
        return found


def branch_statuses(access: Access, clock: Clock, unit_ids: set[int]) -> list[tuple[int, Status]]:
    """(unit id, status) of every visible objective of the cycle owned by one of `unit_ids`."""
    visible = list(
        visible_objectives(access)
        .filter(cycle=clock.cycle, unit_id__in=unit_ids)
        .order_by()
        .values_list("id", "unit_id")
    )
    found = statuses_of(access, clock, unit_ids, [objective_id for objective_id, _ in visible])
    return [(unit_id, found[objective_id]) for objective_id, unit_id in visible]


def statuses_of(
    access: Access, clock: Clock, unit_ids: set[int], objective_ids: list[int]
) -> dict[int, Status]:
    """The status of each of `objective_ids` (objectives of the cycle, most of them owned by
    `unit_ids`), by the same rule as `newest_checkin()`.

    It is worked out in Python from two narrow queries over the cycle (the links between its
    objectives, and each objective's progress and newest key-result check-in) rather than with
    nested subqueries per row: for the whole company that is many times cheaper, the planner
    cannot pick a ruinous plan for it, and the number of queries stays the same."""
    in_cycle = Objective.objects.filter(
        organization_id=access.membership.organization_id, cycle=clock.cycle
    )
    children: dict[int, list[int]] = {}
    for child_id, parent_id in (
        Alignment.objects.filter(parent_objective__in=in_cycle)
        .order_by()
        .values_list("child_id", "parent_objective_id")
    ):
        children.setdefault(parent_id, []).append(child_id)
    # Figures are read for the branch and for whatever aligns into it from outside (rare:
    # children usually sit in units below their parent's).
    reach = set(objective_ids)
    frontier = set(reach)
    for _level in range(DESCENT):
        frontier = {child for parent in frontier for child in children.get(parent, [])} - reach
        reach |= frontier
    outside = reach.difference(objective_ids)
    figures = {
        objective_id: (progress, newest)
        for objective_id, progress, newest in Objective.objects.filter(
            Q(
                organization_id=access.membership.organization_id,
                cycle=clock.cycle,
                unit_id__in=unit_ids,
            )
            | Q(id__in=sorted(outside))
        )
        .order_by()
        .annotate(
            newest=Max("key_results__last_checkin_at"),
            progress_float=Cast("progress", FloatField()),
        )
        .values_list("id", "progress_float", "newest")
    }

    def newest(objective_id: int, depth: int) -> dt.datetime | None:
        found = [figures.get(objective_id, (None, None))[1]]
        if depth < DESCENT:
            found += [newest(child, depth + 1) for child in children.get(objective_id, [])]
        return max((when for when in found if when), default=None)

    result: dict[int, Status] = {}
    for objective_id in objective_ids:
        progress = figures.get(objective_id, (None, None))[0]
        result[objective_id] = clock.status_of(
            Decimal(repr(progress)) if progress is not None else Decimal(0),
            newest(objective_id, 0),
        )
    return result


def unit_summaries(access: Access, clock: Clock, units: UnitMap, parent: Unit) -> list[UnitSummary]:
    """The units directly below `parent`, each with the status counts of its whole branch,
    counted over the visible objectives of the cycle (`branch_statuses`)."""
    below = units.children.get(parent.id, [])
    subtree = units.subtree_ids(parent)
    per_unit: dict[int, Counter[str]] = {}
    for unit_id, found in branch_statuses(access, clock, subtree):
        per_unit.setdefault(unit_id, Counter())[found.value] += 1
    summaries = []
    for unit in below:
        summary = UnitSummary(
            unit=unit,
            own=sum(per_unit.get(unit.id, Counter()).values()),
            child_units=len(units.children.get(unit.id, [])),
        )
        for unit_id in units.subtree_ids(unit):
            summary.counts.update(per_unit.get(unit_id, Counter()))
        summaries.append(summary)
    return summaries


def unit_objectives(access: Access, clock: Clock, unit: Unit) -> list[Objective]:
    """The visible objectives a unit owns in the cycle, as tree rows."""
    objectives = visible_objectives(access).filter(cycle=clock.cycle, unit=unit)
    return _finish(list(_rows(objectives).order_by("order", "created_at", "id")), clock)


# --- filtering ----------------------------------------------------------------------------------


def matching_objectives(
    access: Access, clock: Clock, units: UnitMap, start: Unit, filters: TreeFilters
) -> tuple[list[Objective], int]:
    """Visible objectives of the cycle in `start`'s branch that match the filters (the first
    `FLAT_LIMIT`, in unit order), and how many match in all."""
    branch = units.subtree_ids(start)
    objectives = visible_objectives(access).filter(cycle=clock.cycle, unit_id__in=branch)
    if filters.type:
        objectives = objectives.filter(type=filters.type)
    if filters.search:
        in_key_results = KeyResult.objects.filter(
            objective=OuterRef("pk"), title__icontains=filters.search
        )
        objectives = objectives.filter(Q(title__icontains=filters.search) | Exists(in_key_results))
    # Matches come in the order the tree shows their units, so the list reads top-down.
    tree_order = {unit.id: i for i, unit in enumerate(units.in_tree_order(start))}
    if filters.status:
        # Status is worked out in Python (`statuses_of`): as SQL it is a nest of correlated
        # subqueries per row, which PostgreSQL can plan into minutes on a large branch.
        candidates = list(objectives.order_by().values_list("id", "unit_id", "order", "created_at"))
        found_status = statuses_of(access, clock, branch, [row[0] for row in candidates])
        candidates = [row for row in candidates if found_status[row[0]].value == filters.status]
        candidates.sort(key=lambda row: (tree_order.get(row[1], 0), row[2], row[3], row[0]))
        first = [row[0] for row in candidates[:FLAT_LIMIT]]
        place = {objective_id: i for i, objective_id in enumerate(first)}
        rows = sorted(_rows(Objective.objects.filter(id__in=first)), key=lambda o: place[o.id])
        return _finish(rows, clock), len(candidates)
    total = objectives.count()
    position = Case(
        *[When(unit_id=unit_id, then=i) for unit_id, i in tree_order.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    found: list[Objective] = list(
        _rows(objectives)
        .annotate(tree_position=position)
        .order_by("tree_position", "order", "created_at", "id")[:FLAT_LIMIT]
    )
    return _finish(found, clock), total


# --- one objective, opened ----------------------------------------------------------------------


@dataclass
class OtherParent:
    """Another objective (or key result) a child contributes to; `title` is None when the
    viewer may not see it."""

    title: str | None
    code: str | None
    key_result: str | None
    weight: Decimal


@dataclass
class ChildRow:
    """An objective aligned to the opened one. `objective` is None when the viewer may not see
    it: the row then says only that a private objective contributes, and how much."""

    objective: Objective | None
    weight: Decimal
    via: KeyResult | None
    others: list[OtherParent]


@dataclass
class Branch:
    key_results: list[KeyResult]
    children: list[ChildRow]
    more: int = 0
    """Aligned objectives beyond `BRANCH_LIMIT`, not listed."""


def check_tree_objective(access: Access, organization: Organization, code: str) -> None:
    """404 unless `code` names an objective of the organization the viewer may see: what an
    expansion served from the fragment cache must still check, in one light read."""
    from tenfold.db import fast

    names = ("id", "visibility", "level", "lead", "owner_person", "unit")
    rows = fast.fetch(
        f"SELECT {', '.join(fast.column(Objective, name) for name in names)}"  # nosec B608  # quoted names; values bound
        f" FROM {fast.table(Objective)}"
        f" WHERE {fast.column(Objective, 'organization')} = %s"
        f" AND {fast.column(Objective, 'code')} = %s",
        [organization.id, code],
    )
    if not rows:
        raise Http404
    attributes = ("id", "visibility", "level", "lead_id", "owner_person_id", "unit_id")
    row = dict(zip(attributes, rows[0], strict=True))
    if not access.can_view_objective(Objective(organization_id=organization.id, **row)):
        raise Http404


def get_tree_objective(
    access: Access, organization: Organization, code: str, today: dt.date | None = None
) -> tuple[Objective, Clock]:
    """One objective as a tree row, with the clock of its own cycle; 404 unless it belongs to
    the viewer's organization and the viewer may see it."""
    objective = _rows(Objective.objects.filter(organization=organization, code=code)).first()
    if objective is None or not access.can_view_objective(objective):
        raise Http404
    objective.cycle.organization = organization  # statuses read its rules without a query
    clock = Clock.of(objective.cycle, organization, today)
    _finish([objective], clock)
    return objective, clock


def _parent_of(link: Alignment) -> Objective | None:
    if link.parent_objective is not None:
        return link.parent_objective
    return link.parent_key_result.objective if link.parent_key_result else None


def _parent_id(link: Alignment) -> int | None:
    parent = _parent_of(link)
    return parent.id if parent else None


def _other_parent(access: Access, link: Alignment) -> OtherParent:
    parent = _parent_of(link)
    assert parent is not None
    seen = access.can_view_objective(parent)
    return OtherParent(
        title=parent.title if seen else None,
        code=parent.code if seen else None,
        key_result=link.parent_key_result.title if seen and link.parent_key_result else None,
        weight=link.weight,
    )


def objective_branch(access: Access, clock: Clock, objective: Objective) -> Branch:
    """An objective's key results (with status) and every objective aligned to it, directly
    or through one of its key results. A child aligned to several parents shows them all, so
    the viewer sees where else its progress counts. Five queries."""
    key_results = list(
        KeyResult.objects.filter(objective=objective)
        .select_related("owner")
        .order_by("order", "id")
    )
    for kr in key_results:
        kr.status = key_result_status(kr, objective.cycle, clock.today)  # type: ignore[attr-defined]
    into_this = aligned_into(objective, [kr.id for kr in key_results])
    child_ids = Alignment.objects.filter(into_this).values("child_id")
    aligned = Objective.objects.filter(id__in=child_ids)
    # A company objective can have hundreds of objectives aligned to it: the first
    # `BRANCH_LIMIT` in unit order are opened, the rest are counted.
    # Picked by id first, so the row annotations (nested subqueries) run for these only.
    picked = list(
        aligned.order_by("unit__order", Lower("title"), "id").values_list("id", flat=True)[
            :BRANCH_LIMIT
        ]
    )
    first = list(_rows(Objective.objects.filter(id__in=picked)))
    children = {child.id: child for child in _finish(first, clock)}
    links = list(
        Alignment.objects.filter(child_id__in=list(children))
        .select_related("parent_objective", "parent_key_result__objective")
        .order_by("created_at", "id")
    )
    by_child: dict[int, list[Alignment]] = {}
    for link in links:
        by_child.setdefault(link.child_id, []).append(link)
    rows: list[ChildRow] = []
    for child_id, child_links in by_child.items():
        # A child aligned both to the objective and to one of its key results is listed once,
        # under the direct link.
        mine = [link for link in child_links if _parent_id(link) == objective.id]
        child = children.get(child_id)
        if not mine or child is None:
            continue
        link = min(mine, key=lambda link: link.parent_objective_id is None)
        others = [
            _other_parent(access, other)
            for other in child_links
            if _parent_id(other) not in (None, objective.id)
        ]
        rows.append(
            ChildRow(
                objective=child if access.can_view_objective(child) else None,
                weight=link.weight,
                via=link.parent_key_result,
                others=others,
            )
        )
    # Visible children first, in unit order; private ones last, as they say little.
    rows.sort(
        key=lambda row: (
            row.objective is None,
            row.objective.unit.order if row.objective and row.objective.unit else 0,
            row.objective.title.casefold() if row.objective else "",
        )
    )
    total = aligned.count()  # always asked, so the number of queries never depends on size
    return Branch(key_results=key_results, children=rows, more=max(0, total - len(first)))
