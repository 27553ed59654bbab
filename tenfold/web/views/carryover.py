"""Carry-over: choose what of a cycle goes on into the next one, preview it, apply it; and
duplicating an objective.

Parse → authorize → call `tenfold.okrs.carryover` → render. Everyone in the organization may
read the carry-over page; only people who may edit an objective may carry or duplicate it (the
service checks each objective again). A refused plain post answers 400 with the page and its
messages; a refused htmx preview answers 200 with the messages in the swapped fragment, since
htmx 2 does not swap 4xx responses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tenfold.lib.progress import proposed_score
from tenfold.lib.validation import error_dict
from tenfold.okrs.carryover import (
    CarryOverPlan,
    Selection,
    carried_copies,
    carried_sources,
    carry_over_objectives,
    carry_over_plan,
    duplicate_objective,
    has_reached_target,
    open_cycles,
    target_cycles,
)
from tenfold.okrs.models import Cycle, Objective
from tenfold.okrs.selectors import get_cycle, get_objective, objectives_for_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from ..shortcuts import org_access, render

PAGE = "web/carryover.html"


def _candidates(access: Access, cycle: Cycle) -> list[Objective]:
    """The cycle's visible objectives with what the page shows about each, in a fixed number
    of queries: key results, copies made earlier, and where carried key results came from."""
    objectives = objectives_for_cycle(access, cycle)
    copies = carried_copies(o.id for o in objectives)
    krs = [kr for o in objectives for kr in o.key_results.all()]
    sources = carried_sources(krs)
    for objective in objectives:
        objective.krs = list(objective.key_results.all())  # type: ignore[attr-defined]
        objective.score = proposed_score(objective.progress)  # type: ignore[attr-defined]
        objective.copies = copies.get(objective.id, [])  # type: ignore[attr-defined]
        objective.can_carry = access.can_edit_objective(objective)  # type: ignore[attr-defined]
        for kr in objective.krs:  # type: ignore[attr-defined]
            kr.reached = has_reached_target(kr)
            kr.previous = sources.get(kr.id)
    return objectives


def _context(
    organization: Organization, access: Access, cycle: Cycle, **extra: Any
) -> dict[str, Any]:
    objectives = _candidates(access, cycle)
    return {
        "org": organization,
        "access": access,
        "cycle": cycle,
        "objectives": objectives,
        "may_carry": any(o.can_carry for o in objectives),  # type: ignore[attr-defined]
        "targets": target_cycles(cycle),
        "duplicate_targets": open_cycles(organization.id),
        "chosen_objectives": set(),
        "chosen_krs": None,
        "errors": [],
        **extra,
    }


def _selections(
    request: HttpRequest, objectives: list[Objective]
) -> tuple[list[Selection], list[str]]:
    by_code = {o.code: o for o in objectives}
    objective_codes = request.POST.getlist("objective")
    kr_codes = set(request.POST.getlist("kr"))
    problems: list[str] = []
    selections = []
    for code in dict.fromkeys(objective_codes):
        objective = by_code.get(code)
        if objective is None:
            problems.append(_("One of the chosen objectives is not part of this cycle."))
            continue
        krs = [kr for kr in objective.krs if kr.code in kr_codes]  # type: ignore[attr-defined]
        selections.append(Selection(objective, krs))
    return selections, problems


def _target(organization: Organization, code: str) -> Cycle | None:
    return Cycle.objects.filter(organization=organization, code=code).first() if code else None


@require_http_methods(["GET", "HEAD", "POST"])
def carryover(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = get_cycle(organization, code)
    cycle.organization = organization
    if request.method != "POST":
        return render(request, PAGE, _context(organization, access, cycle))
    if not access.can_write:
        raise PermissionDenied
    context = _context(organization, access, cycle)
    selections, problems = _selections(request, context["objectives"])
    target = _target(organization, request.POST.get("target", "").strip())
    context["chosen_objectives"] = {s.objective.code for s in selections}
    context["chosen_krs"] = set(request.POST.getlist("kr"))
    context["target"] = target
    if target is None:
        problems.append(_("Choose the cycle to carry into."))
    if problems:
        return _refused(request, context, problems)
    assert target is not None
    if request.POST.get("action") != "apply":
        try:
            plan = carry_over_plan(
                source_cycle=cycle, target_cycle=target, selections=selections, access=access
            )
        except ValidationError as error:
            return _refused(request, context, _messages(error))
        context["plan"] = plan
        context["kr_codes"] = _planned_kr_codes(plan)
        return render(request, PAGE, context, partial="preview")
    try:
        results = carry_over_objectives(
            source_cycle=cycle,
            target_cycle=target,
            selections=selections,
            by=request.user,
            access=access,
        )
    except ValidationError as error:
        return _refused(request, context, _messages(error))
    return render(
        request,
        "web/carryover_done.html",
        {
            "org": organization,
            "access": access,
            "cycle": cycle,
            "target": target,
            "results": results,
        },
    )


def _planned_kr_codes(plan: CarryOverPlan) -> list[str]:
    return [planned.original.code for item in plan.objectives for planned in item.key_results]


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error_dict(error).values() for message in messages]


def _refused(request: HttpRequest, context: dict[str, Any], problems: list[str]) -> HttpResponse:
    context["errors"] = problems
    htmx = bool(getattr(request, "htmx", False))
    return render(request, PAGE, context, partial="preview", status=200 if htmx else 400)


@require_POST
def objective_duplicate(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    target = _target(organization, request.POST.get("target", "").strip())
    problems: list[str] = []
    if target is None:
        problems.append(_("Choose the cycle to copy it into."))
    else:
        try:
            copy = duplicate_objective(
                objective=objective, target_cycle=target, by=request.user, access=access
            )
        except ValidationError as error:
            problems = _messages(error)
        else:
            messages.success(
                request,
                _("A copy of “%(title)s” is ready in %(cycle)s.")
                % {"title": objective.title, "cycle": target.name},
            )
            return redirect("objective", org=organization.slug, code=copy.code)
    return render(
        request,
        "web/carryover_duplicate.html",
        {
            "org": organization,
            "access": access,
            "objective": objective,
            "targets": open_cycles(organization.id),
            "errors": problems,
        },
        status=400,
    )
