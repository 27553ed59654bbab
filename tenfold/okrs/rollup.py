"""Materialized progress: kept up to date in the same transaction as the change that moves
it, walking up the alignment graph; `reconcile` recomputes everything and reports drift."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from tenfold.lib.progress import key_result_progress, objective_progress
from tenfold.organizations.models import Organization

from .models import Alignment, KeyResult, Objective

STORED = Decimal("0.0001")


def _stored(value: Decimal) -> Decimal:
    return value.quantize(STORED)


def key_result_refresh(kr: KeyResult) -> bool:
    """Recompute a key result's stored progress from its values; True when it changed."""
    result = key_result_progress(kr.kind, start=kr.start, target=kr.target, current=kr.current)
    clamped, raw = _stored(result.clamped), _stored(result.raw)
    if kr.progress == clamped and kr.progress_raw == raw:
        return False
    kr.progress, kr.progress_raw = clamped, raw
    return True


def objective_refresh(objective: Objective) -> None:
    """Recompute one objective and every objective it is aligned to, upward.

    Children are recomputed before their parents, so an objective reached along two paths
    (A → B → D and A → C → D) is computed once, after both B and C have their new values."""
    parents: dict[int, set[int]] = {}
    frontier = {objective.pk}
    while frontier:
        for objective_id in frontier:
            parents[objective_id] = set()
        rows = list(
            Alignment.objects.filter(
                child_id__in=frontier, parent_objective__isnull=False
            ).values_list("child_id", "parent_objective_id")
        )
        for child_id, parent_id in rows:
            parents[child_id].add(parent_id)
        frontier = {parent_id for _, parent_id in rows} - parents.keys()

    waiting = dict.fromkeys(parents, 0)
    for above in parents.values():
        for parent_id in above:
            waiting[parent_id] += 1
    ready = [objective_id for objective_id, count in waiting.items() if count == 0]
    order: list[int] = []
    while ready:
        objective_id = ready.pop()
        order.append(objective_id)
        for parent_id in parents[objective_id]:
            waiting[parent_id] -= 1
            if waiting[parent_id] == 0:
                ready.append(parent_id)
    done = set(order)
    # Loops are refused on link; should imported data hold one, each member is computed once.
    order.extend(objective_id for objective_id in parents if objective_id not in done)

    for objective_id in order:
        krs = list(
            KeyResult.objects.filter(objective_id=objective_id).values_list("progress", "weight")
        )
        children = list(
            Alignment.objects.filter(parent_objective_id=objective_id).values_list(
                "child__progress", "weight"
            )
        )
        value = _stored(objective_progress(krs, children))
        Objective.objects.filter(pk=objective_id).exclude(progress=value).update(progress=value)


@dataclass(frozen=True)
class Drift:
    kind: str
    code: str
    title: str
    stored: Decimal
    computed: Decimal


def reconcile(organization: Organization | None = None, *, fix: bool = True) -> list[Drift]:
    """Recompute every key result and objective from scratch; report (and fix) differences."""
    drift: list[Drift] = []
    krs = KeyResult.objects.all()
    objectives = Objective.objects.all()
    links = Alignment.objects.filter(parent_objective__isnull=False)
    if organization is not None:
        krs = krs.filter(organization=organization)
        objectives = objectives.filter(organization=organization)
        links = links.filter(organization=organization)

    kr_by_objective: dict[int, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    changed_krs = []
    for kr in krs.only(
        "id",
        "code",
        "title",
        "kind",
        "start",
        "target",
        "current",
        "weight",
        "objective_id",
        "progress",
        "progress_raw",
    ):
        stored = kr.progress
        if key_result_refresh(kr):
            if stored != kr.progress:
                drift.append(Drift("key_result", kr.code, kr.title, stored, kr.progress))
            changed_krs.append(kr)
        kr_by_objective[kr.objective_id].append((kr.progress, kr.weight))

    children: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for child_id, parent_id, weight in links.values_list(
        "child_id", "parent_objective_id", "weight"
    ):
        children[parent_id].append((child_id, weight))

    objective_rows = {o.id: o for o in objectives.only("id", "code", "title", "progress")}
    computed: dict[int, Decimal] = {}

    def value_of(objective_id: int, path: frozenset[int]) -> Decimal:
        if objective_id in computed:
            return computed[objective_id]
        if objective_id in path:
            return Decimal(0)
        inner = path | {objective_id}
        kids = [(value_of(cid, inner), w) for cid, w in children.get(objective_id, [])]
        computed[objective_id] = _stored(
            objective_progress(kr_by_objective.get(objective_id, []), kids)
        )
        return computed[objective_id]

    changed_objectives = []
    for objective_id, objective in objective_rows.items():
        value = value_of(objective_id, frozenset())
        if objective.progress != value:
            drift.append(
                Drift("objective", objective.code, objective.title, objective.progress, value)
            )
            objective.progress = value
            changed_objectives.append(objective)
    if fix:
        with transaction.atomic():
            KeyResult.objects.bulk_update(changed_krs, ["progress", "progress_raw"], batch_size=500)
            Objective.objects.bulk_update(changed_objectives, ["progress"], batch_size=500)
    return drift
