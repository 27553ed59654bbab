"""Reads of cycles, objectives and key results, scoped to a viewer's Access."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import FloatField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from tenfold.db import fast
from tenfold.lib.progress import Status, status
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from .models import Alignment, Cycle, CycleKind, CycleState, KeyResult, Level, Objective


def visible_objectives(access: Access) -> QuerySet[Objective]:
    """Objectives the viewer may see, as a query (filtering happens in the database)."""
    org_id = access.membership.organization_id
    qs = Objective.objects.filter(organization_id=org_id)
    if access.is_admin:
        return qs
    user_id = access.user_id
    return qs.filter(
        (Q(visibility="organization") & ~Q(level="personal"))
        | Q(lead_id=user_id)
        | Q(owner_person_id=user_id)
        | Q(unit_id__in=access.led_unit_ids)
        | (Q(visibility="unit") & Q(unit_id__in=access.member_unit_ids))
    )


def cycles_of(organization: Organization) -> list[Cycle]:
    return list(Cycle.objects.filter(organization=organization).order_by("-start", "end"))


def current_cycle(organization: Organization, today: dt.date | None = None) -> Cycle | None:
    """The cycle people work in now: the active non-year cycle containing today, else the
    latest active one, else the latest one that has started."""
    today = today or timezone.localdate()
    cycles = Cycle.objects.filter(organization=organization).exclude(kind=CycleKind.YEAR)
    return (
        cycles.filter(state=CycleState.ACTIVE, start__lte=today, end__gte=today).first()
        or cycles.filter(state=CycleState.ACTIVE).order_by("-start").first()
        or cycles.filter(start__lte=today).order_by("-start").first()
        or cycles.order_by("start").first()
    )


def get_cycle(organization: Organization, code: str) -> Cycle:
    cycle = Cycle.objects.filter(organization=organization, code=code).first()
    if cycle is None:
        raise Http404
    return cycle


def _key_results() -> Prefetch[Any]:
    return Prefetch(
        "key_results", queryset=KeyResult.objects.select_related("owner").order_by("order", "id")
    )


def objectives_for_cycle(
    access: Access, cycle: Cycle, unit: Any = None, ids: Collection[int] | None = None
) -> list[Objective]:
    """Every visible objective of a cycle (or of one unit in it, or those of `ids`) with key
    results, unit, lead and parent links, in a fixed number of queries."""
    objectives = visible_objectives(access).filter(cycle=cycle)
    if unit is not None:
        objectives = objectives.filter(unit=unit)
    if ids is not None:
        objectives = objectives.filter(id__in=list(ids))
    return list(
        objectives.select_related("unit", "lead", "owner_person")
        .prefetch_related(
            _key_results(),
            Prefetch(
                "parent_links",
                queryset=Alignment.objects.select_related(
                    "parent_objective", "parent_key_result__objective"
                ),
            ),
        )
        .order_by("unit__order", "order", "id")
    )


@dataclass
class TreeNode:
    objective: Objective
    children: list[TreeNode]


def alignment_tree(objectives: list[Objective]) -> list[TreeNode]:
    """Nest objectives under the objective they align to (directly, or through one of its key
    results). Objectives whose parent is not in the list are roots."""
    by_id = {o.id: o for o in objectives}
    kr_owner = {kr.id: o.id for o in objectives for kr in o.key_results.all()}
    nodes = {o.id: TreeNode(o, []) for o in objectives}
    roots: list[TreeNode] = []
    for objective in objectives:
        parent_id = None
        for link in objective.parent_links.all():
            candidate = link.parent_objective_id or kr_owner.get(link.parent_key_result_id or 0)
            if candidate in by_id:
                parent_id = candidate
                break
        if parent_id is None or parent_id == objective.id:
            roots.append(nodes[objective.id])
        else:
            nodes[parent_id].children.append(nodes[objective.id])
    return roots


@dataclass
class CycleOutline:
    """The first `limit` objectives of a cycle's alignment tree, nested, with what the page
    says about the whole cycle: how many objectives there are, per unit too, and the progress
    of the company-level ones."""

    tree: list[TreeNode]
    shown: int
    total: int
    per_unit: Counter[int]
    company_progress: list[Decimal]


def cycle_outline(access: Access, cycle: Cycle, limit: int) -> CycleOutline:
    """The alignment tree of a cycle cut after `limit` objectives, in the order the full tree
    reads (roots in unit order, each followed by what aligns to it). The shape comes from two
    narrow queries over the cycle (ids and links, no titles); only the objectives shown are
    loaded in full, so the page's cost stops growing with the organization. Four queries."""
    rows = list(
        visible_objectives(access)
        .filter(cycle=cycle)
        .order_by("unit__order", "order", "id")
        # Progress crosses the driver as a float, far cheaper than a Decimal per row; only
        # the few company-level figures are turned back into stored four-place Decimals.
        .annotate(progress_float=Cast("progress", FloatField()))
        .values_list("id", "unit_id", "level", "progress_float")
    )
    order = {row[0]: position for position, row in enumerate(rows)}
    links = Alignment.objects.filter(child__cycle=cycle, child_id__in=list(order)).order_by("id")
    parent_of: dict[int, int] = {}
    for child_id, parent_id, kr_parent_id in links.values_list(
        "child_id", "parent_objective_id", "parent_key_result__objective_id"
    ):
        candidate = parent_id or kr_parent_id
        if child_id not in parent_of and candidate in order and candidate != child_id:
            parent_of[child_id] = candidate
    children: dict[int | None, list[int]] = {}
    for objective_id, *_rest in rows:
        children.setdefault(parent_of.get(objective_id), []).append(objective_id)
    chosen: list[int] = []
    stack = list(reversed(children.get(None, [])))
    seen: set[int] = set()
    while stack and len(chosen) < limit:
        objective_id = stack.pop()
        if objective_id in seen:
            continue
        seen.add(objective_id)
        chosen.append(objective_id)
        stack.extend(reversed(children.get(objective_id, [])))
    loaded = {o.id: o for o in objectives_for_cycle(access, cycle, ids=chosen)}
    nodes = {objective_id: TreeNode(loaded[objective_id], []) for objective_id in chosen}
    tree: list[TreeNode] = []
    for objective_id in chosen:
        above = parent_of.get(objective_id)
        if above is not None and above in nodes:
            nodes[above].children.append(nodes[objective_id])
        else:
            tree.append(nodes[objective_id])
    return CycleOutline(
        tree=tree,
        shown=len(chosen),
        total=len(rows),
        per_unit=Counter(row[1] for row in rows),
        company_progress=[Decimal(repr(row[3])) for row in rows if row[2] == Level.COMPANY],
    )


def get_objective(access: Access, code: str) -> Objective:
    """One visible objective; 404 when it does not exist, belongs to another organization, or
    is hidden from the viewer."""
    organization = fast.column(Objective, "organization", "t0")
    objective = _OBJECTIVE_PAGE.first(
        f"{organization} = %s AND {fast.column(Objective, 'code', 't0')} = %s",
        [access.membership.organization_id, code],
    )
    if objective is None or not access.can_view_objective(objective):
        raise Http404
    return objective


# Every objective page and action starts here: one hand-written read (`tenfold.db.fast`).
_OBJECTIVE_PAGE = fast.Joined(Objective, "cycle", "unit", "lead", "owner_person", "organization")


_KEY_RESULT_PAGE = fast.Joined(
    KeyResult,
    "objective",
    "objective__cycle",
    "objective__unit",
    "objective__organization",
    "owner",
)


def get_key_result(access: Access, code: str) -> KeyResult:
    """One key result of a visible objective, with its objective (and the objective's cycle,
    unit and organization) and owner; 404 otherwise."""
    organization = fast.column(KeyResult, "organization", "t0")
    kr = _KEY_RESULT_PAGE.first(
        f"{organization} = %s AND {fast.column(KeyResult, 'code', 't0')} = %s",
        [access.membership.organization_id, code],
    )
    if kr is None or not access.can_view_objective(kr.objective):
        raise Http404
    return kr


def organization_today(organization: Organization) -> dt.date:
    """Today's date where the organization is: status and weeks follow its time zone."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(organization.time_zone))


def key_result_status(kr: KeyResult, cycle: Cycle, today: dt.date | None = None) -> Status:
    org = cycle.organization
    zone = zoneinfo.ZoneInfo(org.time_zone)
    # After the cycle has ended, a key result keeps the status it had on its last day: nobody
    # checks in on last quarter, and that silence is not staleness.
    today = min(today or timezone.localdate(timezone=zone), cycle.end)
    last = timezone.localdate(kr.last_checkin_at, timezone=zone) if kr.last_checkin_at else None
    return status(
        kr.progress,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=today,
        last_checkin=last,
        rules=org.status_rules,
        kind=kr.kind,
    )


def objective_status(
    objective: Objective,
    key_results: list[KeyResult],
    cycle: Cycle,
    today: dt.date,
    last: dt.datetime | None = None,
) -> Status:
    """An objective's status: its progress against the cycle, pending until there is a
    check-in, stale when the newest one is older than the grace period. `last` is the newest
    check-in among its key results, or for an objective without key results, among those of
    the objectives aligned to it."""
    zone = zoneinfo.ZoneInfo(cycle.organization.time_zone)
    today = min(today, cycle.end)  # an ended cycle keeps the status of its last day
    if last is None:
        last = max((kr.last_checkin_at for kr in key_results if kr.last_checkin_at), default=None)
    return status(
        objective.progress,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=today,
        last_checkin=timezone.localdate(last, timezone=zone) if last else None,
        rules=cycle.organization.status_rules,
    )


def annotate_statuses(
    objectives: list[Objective],
    cycle: Cycle,
    today: dt.date | None = None,
    newest_below: dict[int, dt.datetime | None] | None = None,
) -> None:
    """Attach `status` to every objective and its key results, `krs` (the key results as a
    list) and `rolls_up` (no key results, moved by aligned objectives), so templates and
    serializers only read attributes. Needs key results and parent links prefetched (as
    `objectives_for_cycle` does); runs no query.

    An objective is as recent as the newest check-in on its key results or on those of the
    objectives aligned to it. Only the objectives in the list are looked at, unless
    `newest_below` gives that moment for each of them (`tenfold.okrs.tree.attach_newest`):
    a page that shows some objectives without the ones aligned to them must pass it."""
    today = today or organization_today(cycle.organization)
    latest: dict[int, dt.datetime | None] = {}
    children: dict[int, list[int]] = {}
    for objective in objectives:
        krs = list(objective.key_results.all())
        for kr in krs:
            kr.status = key_result_status(kr, cycle, today)  # type: ignore[attr-defined]
        objective.krs = krs  # type: ignore[attr-defined]
        latest[objective.id] = max(
            (kr.last_checkin_at for kr in krs if kr.last_checkin_at), default=None
        )
        cache = getattr(objective, "_prefetched_objects_cache", {})
        for link in cache.get("parent_links", []):
            if link.parent_objective_id:
                children.setdefault(link.parent_objective_id, []).append(objective.id)

    def newest(objective_id: int, seen: frozenset[int]) -> dt.datetime | None:
        found = [latest.get(objective_id)] + [
            newest(child, seen | {objective_id})
            for child in children.get(objective_id, [])
            if child not in seen
        ]
        return max((when for when in found if when), default=None)

    for objective in objectives:
        krs = objective.krs  # type: ignore[attr-defined]
        objective.rolls_up = not krs and bool(children.get(objective.id))  # type: ignore[attr-defined]
        last = newest(objective.id, frozenset())
        if newest_below is not None:
            last = max((m for m in (last, newest_below.get(objective.id)) if m), default=None)
        objective.status = objective_status(objective, krs, cycle, today, last)  # type: ignore[attr-defined]
