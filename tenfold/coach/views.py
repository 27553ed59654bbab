"""The coach in the web pages: live suggestions for the objective and key-result forms (htmx
posts the form as it is typed), the coach's panel on an objective page, and the review of a
whole cycle."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.http import require_GET, require_POST

from tenfold.okrs.models import CycleState, Level
from tenfold.okrs.selectors import current_cycle, cycles_of, get_cycle, get_objective
from tenfold.organizations.models import Unit
from tenfold.web.shortcuts import org_access, render

from . import semantic_help
from .services import coach_context, cycle_advice, draft_findings, objective_advice

FORM_FIELDS = (
    "title",
    "description",
    "type",
    "kind",
    "start",
    "target",
    "unit_label",
    "aspirational",
)
UNITS_PER_PAGE = 25
CYCLE_FINDINGS_SHOWN = 40
LIVE_LIMIT = 2_000  # characters of a field the live check reads; the forms refuse more anyway


@require_POST
def coach_check(request: HttpRequest, org: str) -> HttpResponse:
    """Findings on the form being typed. The form posts itself with `coach_target`
    ("objective" or "key_result") and, for a key result or an edited objective,
    `coach_objective` (its objective's code). Reading only: nothing is saved."""
    organization, access = org_access(request, org)
    target = request.POST.get("coach_target", "objective")
    if target not in ("objective", "key_result"):
        target = "objective"
    data = {name: request.POST.get(name, "")[:LIVE_LIMIT] for name in FORM_FIELDS}
    objective = None
    code = request.POST.get("coach_objective", "")
    if code:
        objective = next(iter(_visible(access, code)), None)
    unit = None
    unit_code = request.POST.get("unit", "")
    if unit_code:
        unit = Unit.objects.filter(organization=organization, code=unit_code).first()
    elif objective is not None:
        unit = objective.unit
    findings = []
    if data["title"].strip():
        findings = draft_findings(
            organization, target=target, data=data, unit=unit, objective=objective
        )
    return render(
        request,
        "coach/_live.html",
        {"org": organization, "findings": findings, "typed": bool(data["title"].strip())},
    )


def _visible(access: Any, code: str) -> list[Any]:
    from django.http import Http404

    try:
        return [get_objective(access, code)]
    except Http404:
        return []


@require_GET
def coach_objective(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The coach's panel of an objective page, loaded after the page by htmx: findings on the
    objective and each key result, the likely parents of an unaligned team objective and its
    near-duplicates in other units."""
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    objective.organization = organization
    advice = objective_advice(objective, context=coach_context(organization))
    can_edit = access.can_edit_objective(objective) and objective.cycle.state != CycleState.CLOSED
    parents: list[Any] = []
    duplicates: list[Any] = []
    semantic_on = semantic_help.available()
    if semantic_on and objective.level in (Level.TEAM, Level.DEPARTMENT):
        aligned = objective.parent_links.exists()
        if not aligned and can_edit:
            parents = semantic_help.likely_parents(access, objective)
        duplicates = semantic_help.duplicates_of(access, objective)
    return render(
        request,
        "coach/_objective.html",
        {
            "org": organization,
            "objective": objective,
            "advice": advice,
            "can_edit": can_edit,
            "parents": parents,
            "duplicates": duplicates,
            "semantic_on": semantic_on,
            "semantic_reason": semantic_help.reason(),
        },
    )


def coach_cycle(request: HttpRequest, org: str) -> HttpResponse:
    """The coach's review of a cycle: what the organization, each unit and each objective
    should look at, worst first."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    cycles = cycles_of(organization)
    asked = request.GET.get("cycle")
    cycle = get_cycle(organization, asked) if asked else current_cycle(organization)
    if cycle is None and cycles:
        cycle = cycles[-1]
    advice = cycle_advice(access, cycle) if cycle is not None else None
    show = request.GET.get("show", "needs_work")
    page = None
    if advice is not None:
        for unit in advice.units:
            unit.shown = [  # type: ignore[attr-defined]
                o for o in unit.objectives if show == "all" or o.needs_work
            ]
        listed = [u for u in advice.units if u.findings or u.shown]  # type: ignore[attr-defined]
        listed.sort(key=lambda u: (u.unit.order if u.unit else -1, u.unit.name if u.unit else ""))
        # A large organization has thousands of objectives: a page of units at a time.
        page = Paginator(listed, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "coach/cycle.html",
        {
            "org": organization,
            "access": access,
            "nav": "coach",
            "cycle": cycle,
            "cycles": cycles,
            "advice": advice,
            "show": show,
            "page": page,
            "cycle_findings": advice.findings[:CYCLE_FINDINGS_SHOWN] if advice else [],
            "cycle_findings_hidden": max(0, len(advice.findings) - CYCLE_FINDINGS_SHOWN)
            if advice
            else 0,
            "semantic_on": semantic_help.available(),
            "semantic_reason": semantic_help.reason(),
        },
        partial="cycle",
    )


@require_GET
def coach_duplicates(request: HttpRequest, org: str) -> HttpResponse:
    """Objectives of different units that read alike, loaded after the review page: comparing
    every pair of a large organization's objectives takes a moment the first time."""
    organization, access = org_access(request, org)
    asked = request.GET.get("cycle")
    cycle = get_cycle(organization, asked) if asked else current_cycle(organization)
    pairs: list[Any] = []
    if cycle is not None and semantic_help.available():
        pairs = semantic_help.duplicates_in(access, cycle)
    return render(
        request,
        "coach/_duplicates.html",
        {
            "org": organization,
            "duplicates": pairs,
            "semantic_on": semantic_help.available(),
            "semantic_reason": semantic_help.reason(),
        },
    )
