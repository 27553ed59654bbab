"""Reads of cycles, objectives and key results, scoped to a viewer's Access."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tenfold.lib.progress import Status, status
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from .models import Alignment, Cycle, CycleKind, CycleState, KeyResult, Objective


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


def objectives_for_cycle(access: Access, cycle: Cycle, unit: Any = None) -> list[Objective]:
    """Every visible objective of a cycle (or of one unit in it) with key results, unit, lead
    and parent links, in a fixed number of queries."""
    objectives = visible_objectives(access).filter(cycle=cycle)
    if unit is not None:
        objectives = objectives.filter(unit=unit)
    return list(
        objectives.select_related("unit", "lead", "owner_person")
        .prefetch_related(
            _key_results(),
            Prefetch(
                "parent_links",
                queryset=Alignment.objects.select_related("parent_objective", "parent_key_result"),
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


def get_objective(access: Access, code: str) -> Objective:
    """One visible objective; 404 when it does not exist, belongs to another organization, or
    is hidden from the viewer."""
    objective = (
        Objective.objects.filter(organization_id=access.membership.organization_id, code=code)
        .select_related("cycle", "unit", "lead", "owner_person", "organization")
        .first()
    )
    if objective is None or not access.can_view_objective(objective):
        raise Http404
    return objective


def get_key_result(access: Access, code: str) -> KeyResult:
    kr = (
        KeyResult.objects.filter(organization_id=access.membership.organization_id, code=code)
        .select_related("objective__cycle", "objective__unit", "objective__organization", "owner")
        .first()
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
    objectives: list[Objective], cycle: Cycle, today: dt.date | None = None
) -> None:
    """Attach `status` to every objective and its key results, `krs` (the key results as a
    list) and `rolls_up` (no key results, moved by aligned objectives), so templates and
    serializers only read attributes. Needs key results and parent links prefetched (as
    `objectives_for_cycle` does); runs no query."""
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
        objective.status = objective_status(  # type: ignore[attr-defined]
            objective, krs, cycle, today, newest(objective.id, frozenset())
        )
