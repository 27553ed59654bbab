"""The alignment tree: a cycle's objectives along the unit hierarchy, opened one level at a
time, filtered, with an "explain" panel for every progress figure.

Each view serves both htmx and plain requests from one template: htmx gets the fragment it
swaps in, a browser without JavaScript gets the same fragment inside a page. Every response
runs a fixed number of queries whatever the organization's size (see `tenfold.okrs.tree`).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.views.decorators.http import require_safe

from tenfold.lib.progress import (
    THRESHOLD_KINDS,
    Kind,
    clamp,
    elapsed_fraction,
    explain_key_result_progress,
    explain_objective_progress,
    status,
)
from tenfold.okrs.models import Alignment, Cycle, KeyResult, Objective, ObjectiveType
from tenfold.okrs.selectors import current_cycle, cycles_of, get_cycle, get_key_result
from tenfold.okrs.tree import (
    FLAT_LIMIT,
    STATUS_ORDER,
    Clock,
    TreeFilters,
    UnitMap,
    check_tree_objective,
    get_tree_objective,
    matching_objectives,
    objective_branch,
    unit_objectives,
    unit_summaries,
)
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access

from ..fragments import Fragment, lazy
from ..shortcuts import cycle_on_demand, org_access, render
from ..templatetags.tenfold import STATUS_LABELS

PAGE = "web/tree.html"
STORED = Decimal("0.0001")


# --- shared -------------------------------------------------------------------------------------


def _chosen_cycle(request: HttpRequest, organization: Organization) -> Cycle | None:
    code = request.GET.get("cycle")
    cycle = get_cycle(organization, code) if code else current_cycle(organization)
    if cycle is not None:
        cycle.organization = organization  # statuses read its rules without another query
    return cycle


def _kept(request: HttpRequest, filters: TreeFilters) -> dict[str, str]:
    """The filters every expand and explain address carries, so a fragment opened as a page
    links back to the same view of the tree."""
    kept = {
        "cycle": request.GET.get("cycle", ""),
        "unit": request.GET.get("unit", ""),
        "status": filters.status,
        "type": filters.type,
        "q": filters.search,
    }
    return {name: value for name, value in kept.items() if value}


def _context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    cycle: Cycle | None,
    filters: TreeFilters,
    mode: str,
) -> dict[str, Any]:
    kept = _kept(request, filters)
    return {
        "org": organization,
        "access": access,
        "nav": "tree",
        "mode": mode,
        "cycle": cycle,
        "filters": filters,
        "kept": list(kept.items()),
        "suffix": f"?{urlencode(kept)}" if kept else "",
        "back_url": reverse("tree", kwargs={"org": organization.slug})
        + (f"?{urlencode(kept)}" if kept else ""),
    }


def _tag(rows: list[Any], prefix: str) -> None:
    """A page-unique id for each row's expandable region: one objective can appear under
    several parents at once, so its code alone would repeat."""
    for row in rows:
        row.dom_id = f"{prefix}-{secrets.token_hex(4)}"


def _unit_level(
    access: Access, clock: Clock, units: UnitMap, unit: Unit
) -> tuple[list[Objective], list[Any]]:
    objectives = unit_objectives(access, clock, unit)
    summaries = unit_summaries(access, clock, units, unit)
    _tag(objectives, "tree-o")
    _tag(summaries, "tree-u")
    return objectives, summaries


# --- the page -----------------------------------------------------------------------------------


@require_safe
def tree(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    # The first screen is the same for everyone who may see the same objectives: kept in
    # the fragment cache, and the rows below are read only when no copy can be served.
    fragment: Fragment | None = Fragment(request, organization, access, "tree")
    chosen = cycle_on_demand(request, lambda: _chosen_cycle(request, organization))
    filters = TreeFilters.parse(request.GET)
    units = functools.cache(lambda: UnitMap.of(organization))

    @functools.cache
    def start() -> Unit | None:
        unit_map = units()
        return unit_map.get(request.GET["unit"]) if request.GET.get("unit") else unit_map.root

    def level() -> tuple[list[Objective], list[Any]]:
        found, cycle = start(), chosen()
        if cycle is None or found is None:
            return [], []
        return _unit_level(access, Clock.of(cycle, organization), units(), found)

    # Everything below the header is the kept copy: the cycle is read only to build one.
    context = _context(request, organization, access, lazy(chosen), filters, "tree")
    context.update(
        cycles=lazy(lambda: cycles_of(organization)),
        unit_choices=lazy(
            lambda: [
                (
                    unit.code if unit.parent_id else "",
                    "– " * len(units().ancestors(unit)) + unit.name,
                    start() is not None and unit.id == start().id,  # type: ignore[union-attr]
                )
                for unit in units().in_tree_order()
            ]
        ),
        statuses=[(s.value, STATUS_LABELS[s.value]) for s in STATUS_ORDER],
        types=ObjectiveType.choices,
        start=lazy(start),
        ancestors=lazy(lambda: units().ancestors(found) if (found := start()) else []),
        objectives=[],
        summaries=[],
        flat_limit=FLAT_LIMIT,
    )
    if filters.narrowing:
        # A search is rarely repeated word for word: built every time, never kept.
        fragment = None
        found, cycle = start(), chosen()
        if cycle is not None and found is not None:
            clock = Clock.of(cycle, organization)
            matches, total = matching_objectives(access, clock, units(), found, filters)
            for objective in matches:
                owner = objective.unit
                path = [*units().ancestors(owner), owner] if owner is not None else []
                objective.path = path  # type: ignore[attr-defined]
            _tag(matches, "tree-o")
            context.update(matches=matches, match_total=total)
    else:
        # The units and rows are read only when no kept copy can be served.
        built = functools.cache(level)
        context.update(objectives=lazy(lambda: built()[0]), summaries=lazy(lambda: built()[1]))
    return render(request, PAGE, context, partial="tree", fragment=fragment)


# --- expanding ----------------------------------------------------------------------------------


@require_safe
def tree_unit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """A unit, opened: its own objectives and the units directly below it, collapsed."""
    organization, access = org_access(request, org)
    fragment = Fragment(request, organization, access, "tree-unit")
    # The units and rows are read only when no kept copy can be served.
    units = functools.cache(lambda: UnitMap.of(organization))
    unit = functools.cache(lambda: units().get(code))
    chosen = cycle_on_demand(request, lambda: _chosen_cycle(request, organization))

    @functools.cache
    def level() -> tuple[list[Objective], list[Any]]:
        cycle = chosen()
        if cycle is None:
            return [], []
        return _unit_level(access, Clock.of(cycle, organization), units(), unit())

    filters = TreeFilters.parse(request.GET)
    context = _context(request, organization, access, lazy(chosen), filters, "unit")
    context.update(
        unit=lazy(unit),
        ancestors=lazy(lambda: units().ancestors(unit())),
        objectives=lazy(lambda: level()[0]),
        summaries=lazy(lambda: level()[1]),
    )
    context["back_url"] = (
        reverse("tree", kwargs={"org": organization.slug})
        + "?"
        + urlencode({**_kept(request, filters), "unit": code})
    )
    return render(request, PAGE, context, partial="unit_branch", fragment=fragment)


@require_safe
def tree_objective(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """An objective, opened: its key results and every objective aligned to it."""
    organization, access = org_access(request, org)
    # The same for everyone who may see the same objectives: kept like a unit's expansion.
    fragment = Fragment(request, organization, access, "tree-objective")
    # A kept copy needs only the right to see the objective; its rows are read to build one.
    check_tree_objective(access, organization, code)
    context = _context(
        request, organization, access, None, TreeFilters.parse(request.GET), "objective"
    )
    if not getattr(request, "htmx", False):
        # Opened as a page (no script), its title outside the kept part names the objective.
        context["objective"] = get_tree_objective(access, organization, code)[0]

    def build() -> dict[str, Any]:
        objective, clock = get_tree_objective(access, organization, code)
        branch = objective_branch(access, clock, objective)
        _tag([row for row in branch.children if row.objective is not None], "tree-c")
        for row in branch.children:
            if row.objective is not None:
                row.objective.dom_id = row.dom_id  # type: ignore[attr-defined]
        cycle = objective.cycle if request.GET.get("cycle") else None
        return {"branch": branch, "objective": objective, "cycle": cycle}

    return render(
        request, PAGE, context, partial="objective_branch", fragment=fragment, build=build
    )


# --- explaining ---------------------------------------------------------------------------------


def _points(fraction: Decimal) -> str:
    """0.2 → "20": a share of the cycle or a threshold, in percentage points."""
    return number_format(abs(fraction) * 100, 0)


def _plain(number: Decimal) -> str:
    """A weight or a product for reading: up to three places, no trailing zeros."""
    return number_format(number.quantize(Decimal("0.001")).normalize(), use_l10n=True)


def _status_story(
    clock: Clock,
    cycle: Cycle,
    progress: Decimal,
    last: dt.datetime | None,
    kind: str | None = None,
) -> dict[str, Any]:
    """What decided a status, in the order the rule checks it (METHOD §5): no check-in yet,
    then silence beyond the grace period, then done, then progress against the time passed."""
    today = clock.today
    elapsed = elapsed_fraction(cycle.start, cycle.end, today)
    total_days = (cycle.end - cycle.start).days + 1
    last_day = timezone.localdate(last, timezone=clock.zone) if last else None
    result = status(
        progress,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=today,
        last_checkin=last_day,
        rules=clock.rules,
        kind=kind,
    )
    gap = elapsed - progress
    if last_day is None:
        reason = "pending"
    elif (today - last_day).days > clock.rules.stale_days:
        reason = "stale"
    elif progress >= 1:
        reason = "held" if kind in THRESHOLD_KINDS else "done"
    else:
        reason = "gap"
    return {
        "status": result,
        "reason": reason,
        "today": today,
        "cycle": cycle,
        "before_start": today < cycle.start,
        "after_end": today > cycle.end,
        "day": min(max((today - cycle.start).days, 0), total_days),
        "total_days": total_days,
        "elapsed": elapsed,
        "progress": progress,
        "behind": gap > 0,
        "gap_points": _points(gap),
        "at_risk_points": _points(clock.rules.at_risk_gap),
        "off_track_points": _points(clock.rules.off_track_gap),
        "stale_days": clock.rules.stale_days,
        "last_day": last_day,
        "silent_days": (today - last_day).days if last_day else None,
        "threshold_kind": kind in THRESHOLD_KINDS,
    }


def _objective_explanation(access: Access, objective: Objective) -> dict[str, Any]:
    krs = list(
        KeyResult.objects.filter(objective=objective)
        .order_by("order", "id")
        .only("title", "progress", "weight", "objective_id")
    )
    links = list(
        Alignment.objects.filter(parent_objective=objective)
        .select_related("child")
        .order_by("created_at", "id")
    )
    explanation = explain_objective_progress(
        [(kr.progress, kr.weight) for kr in krs],
        [(link.child.progress, link.weight) for link in links],
    )
    rows: list[dict[str, Any]] = []
    if krs:
        rows = [{"title": kr.title, "progress": kr.progress, "weight": kr.weight} for kr in krs]
    else:
        rows = [
            {
                "title": link.child.title if access.can_view_objective(link.child) else None,
                "progress": link.child.progress,
                "weight": link.weight,
            }
            for link in links
        ]
    for row in rows:
        row["counts"] = _plain(clamp(row["progress"]) * row["weight"])
        row["weight_text"] = _plain(row["weight"])
    weights = sum((row["weight"] for row in rows), Decimal(0))
    total = sum((clamp(row["progress"]) * row["weight"] for row in rows), Decimal(0))
    return {
        "from_children": not krs,
        "rows": rows,
        "weights": _plain(weights),
        "total": _plain(total),
        "value": explanation.value,
        "all_zero": bool(rows) and weights == 0,
        "ignored_children": len(links) if krs else 0,
        "drift": explanation.value.quantize(STORED) != objective.progress,
    }


def _key_result_explanation(kr: KeyResult) -> dict[str, Any]:
    explanation = explain_key_result_progress(
        kr.kind, start=kr.start, target=kr.target, current=kr.current
    )
    raw = explanation.inputs["raw"]
    assert isinstance(raw, Decimal)
    base = kr.start if kr.start is not None else Decimal(0)
    now = kr.current if kr.current is not None else base
    return {
        "value": explanation.value,
        "raw": raw,
        "from_to": kr.kind not in THRESHOLD_KINDS and kr.kind != Kind.MILESTONE,
        "keep_above": kr.kind == Kind.KEEP_ABOVE,
        "keep_below": kr.kind == Kind.KEEP_BELOW,
        "milestone": kr.kind == Kind.MILESTONE,
        "base": base,
        "now": now,
        "moved": now - base,
        "span": kr.target - base,
        "no_checkin": kr.current is None,
        "flat": kr.start is not None and kr.start == kr.target,
        "wrong_way": raw < 0,
        "beyond": raw > 1,
        "drift": explanation.value.quantize(STORED) != kr.progress,
    }


@require_safe
def tree_explain(request: HttpRequest, org: str, kind: str, code: str) -> HttpResponse:
    """How a progress figure in the tree was computed, and what its status rests on."""
    organization, access = org_access(request, org)
    filters = TreeFilters.parse(request.GET)
    if kind == "objective":
        objective, clock = get_tree_objective(access, organization, code)
        context = _context(request, organization, access, None, filters, "explain")
        context.update(
            kind=kind,
            objective=objective,
            explain=_objective_explanation(access, objective),
            story=_status_story(
                clock,
                objective.cycle,
                objective.progress,
                objective.tree_last,  # type: ignore[attr-defined]
            ),
        )
    elif kind == "key-result":
        kr = get_key_result(access, code)
        kr.objective.cycle.organization = organization
        clock = Clock.of(kr.objective.cycle, organization)
        context = _context(request, organization, access, None, filters, "explain")
        context.update(
            kind=kind,
            kr=kr,
            objective=kr.objective,
            explain=_key_result_explanation(kr),
            story=_status_story(
                clock, kr.objective.cycle, kr.progress, kr.last_checkin_at, kind=kr.kind
            ),
        )
    else:
        raise Http404
    return render(request, PAGE, context, partial="explain")
