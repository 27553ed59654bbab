"""The first-OKR wizard page: one URL, five steps, the draft kept in the session."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tenfold.okrs.models import CycleState, Level
from tenfold.okrs.selectors import (
    current_cycle,
    cycles_of,
    get_key_result,
    get_objective,
    objectives_for_cycle,
)
from tenfold.organizations.selectors import units_of
from tenfold.web.shortcuts import org_access, render

from . import semantic_help
from .services import coach_context, ordered
from .wizard import (
    MAX_KEY_RESULTS,
    MAX_WHYS,
    SHAPES,
    STEPS,
    Draft,
    KeyResultRow,
    check_step,
    coach_check,
    create_from_draft,
    key_result_title,
    read_step,
)

SESSION_KEY = "coach-wizard:%s"


def _examples_for(text: str) -> list[Any]:
    """Library examples that fit the draft: by meaning when the semantic help is on, else by
    the draft's longer words."""
    from .library import search

    if not text.strip():
        return []
    if semantic_help.available():
        return semantic_help.similar_examples(text)
    words = [w for w in text.split() if len(w) > 3][:3]
    found: list[Any] = []
    for word in words:
        for example in search(word):
            if example not in found:
                found.append(example)
    return found[:3]


def wizard(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    units = {
        u.code: u
        for u in units_of(organization)
        if u.kind != "company" and access.can_create_in_unit(u.id, u.kind)
    }
    if not units:
        raise PermissionDenied(_("You may not create objectives in this organization."))
    cycles = {c.code: c for c in cycles_of(organization) if c.state != CycleState.CLOSED}
    key = SESSION_KEY % organization.slug
    draft = Draft.from_session(request.session.get(key))
    context = coach_context(organization)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "restart":
            request.session.pop(key, None)
            return redirect("wizard", organization.slug)
        read_step(draft, request.POST)
        if context.first_cycle:
            draft.type = "committed"
        index = STEPS.index(draft.step)
        if action == "why" and draft.step == "problem" and len(draft.whys) < MAX_WHYS:
            draft.whys.append("")
        elif action == "row" and draft.step == "key_results" and len(draft.rows) < MAX_KEY_RESULTS:
            draft.rows.append(KeyResultRow())
        elif action.startswith("example:") and draft.step == "key_results":
            _use_example(draft, action.removeprefix("example:"))
        elif action == "back" and index > 0:
            draft.step = STEPS[index - 1]
        elif action == "next":
            errors = check_step(draft, units=units, cycles=cycles)
            if not errors and draft.step == "align":
                response = _create(request, organization, access, draft, units, cycles)
                if response is not None:
                    request.session.pop(key, None)
                    return response
                errors = request._wizard_errors  # type: ignore[attr-defined]
            elif not errors:
                draft.step = STEPS[index + 1]
                if draft.step == "objective" and not draft.description:
                    draft.description = next((w for w in reversed(draft.whys) if w), "")
        request.session[key] = draft.to_session()
    if not draft.cycle:
        current = current_cycle(organization)
        draft.cycle = current.code if current and current.code in cycles else next(iter(cycles), "")
    unit = units.get(draft.unit)
    cycle = cycles.get(draft.cycle)
    findings = []
    parents: list[Any] = []
    suggested: list[Any] = []
    if draft.step == "check":
        findings = ordered(coach_check(draft, unit, context))
    if draft.step == "align" and cycle is not None:
        parents = [
            o
            for o in objectives_for_cycle(access, cycle)
            if o.level in (Level.COMPANY, Level.DEPARTMENT)
            and (unit is None or o.unit_id != unit.id)
        ]
        if semantic_help.available() and parents:
            suggested = _ranked(access, draft, cycle, unit)
    examples = _examples_for(draft.title or draft.problem) if draft.step == "key_results" else []
    return render(
        request,
        "coach/wizard.html",
        {
            "org": organization,
            "access": access,
            "nav": "coach",
            "draft": draft,
            "steps": STEPS,
            "step_index": STEPS.index(draft.step),
            "errors": errors,
            "units": list(units.values()),
            "cycles": list(cycles.values()),
            "shapes": SHAPES,
            "rows": [(row, key_result_title(row)) for row in draft.rows],
            "findings": findings,
            "parents": parents,
            "suggested": suggested,
            "examples": examples,
            "first_cycle": context.first_cycle,
            "max_whys": MAX_WHYS,
            "max_rows": MAX_KEY_RESULTS,
            "semantic_on": semantic_help.available(),
        },
        status=400 if errors else 200,
    )


def _ranked(access: Any, draft: Draft, cycle: Any, unit: Any) -> list[Any]:
    from .semantic import suggest_parents

    text = f"{draft.title}\n{draft.description}".strip()
    try:
        return list(
            suggest_parents(
                access.membership.organization,
                cycle,
                text,
                access=access,
                exclude_unit=unit,
                limit=3,
            )
        )
    except Exception:
        return []


def _use_example(draft: Draft, slug: str) -> None:
    from .library import example

    found = example(slug)
    if found is None:
        return
    rows = []
    for kr in found.key_results[:MAX_KEY_RESULTS]:
        rows.append(
            KeyResultRow(
                shape=kr.kind if kr.kind in SHAPES else "increase",
                metric=kr.title,
                start="" if kr.start is None else f"{kr.start}",
                target="" if kr.target is None else f"{kr.target}",
                unit="%" if kr.value_format == "percent" else kr.unit_label,
                whole=True,
            )
        )
    if rows:
        draft.rows = rows


def _create(
    request: HttpRequest,
    organization: Any,
    access: Any,
    draft: Draft,
    units: dict[str, Any],
    cycles: dict[str, Any],
) -> HttpResponse | None:
    unit, cycle = units.get(draft.unit), cycles.get(draft.cycle)
    problems: list[str] = []
    parent: Any = None
    kind, _sep, code = draft.parent.partition(":")
    try:
        if kind == "o":
            parent = get_objective(access, code)
        elif kind == "k":
            parent = get_key_result(access, code)
    except Exception:
        problems.append(_("The objective you chose to contribute to is no longer there."))
    if unit is None or cycle is None:
        problems.append(_("Choose the team and the cycle again (step 2)."))
    if not problems and unit is not None and cycle is not None:
        try:
            objective = create_from_draft(
                access=access, draft=draft, unit=unit, cycle=cycle, parent=parent, by=request.user
            )
        except ValidationError as error:
            problems.extend(error.messages)
        except PermissionDenied as denied:
            problems.append(str(denied))
        else:
            messages.success(
                request,
                _("Your objective is saved as a draft. Share it with your team, then propose it."),
            )
            return redirect("objective", organization.slug, objective.code)
    request._wizard_errors = problems  # type: ignore[attr-defined]
    return None
