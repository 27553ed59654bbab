"""The objective page and everything done on it: key results, check-ins, initiatives,
alignment, state changes, and the objective's history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from tenfold.audit.models import AuditEvent
from tenfold.checkins.services import checkin_record
from tenfold.lib.progress import explain_objective_progress
from tenfold.okrs import services as okr_services
from tenfold.okrs.models import (
    Alignment,
    CycleState,
    Initiative,
    KeyResult,
    Objective,
    ObjectiveState,
)
from tenfold.okrs.selectors import (
    annotate_statuses,
    current_cycle,
    cycles_of,
    get_key_result,
    get_objective,
    objectives_for_cycle,
)
from tenfold.okrs.services import (
    OBJECTIVE_TRANSITIONS,
    alignment_link,
    initiative_create,
    key_result_create,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import people_of, units_of

from ..forms import (
    INITIATIVE_STATUSES,
    AlignForm,
    CheckInForm,
    InitiativeForm,
    KeyResultForm,
    ObjectiveForm,
)
from ..shortcuts import apply_errors, org_access, render


def _may_approve(access: Access, objective: Objective) -> bool:
    unit = objective.unit
    return access.is_admin or (unit is not None and unit.parent_id in access.led_unit_ids)


def _objective_context(
    request: HttpRequest, org: Organization, access: Access, objective: Objective
) -> dict[str, Any]:
    """Everything the objective page shows, in a fixed number of queries."""
    objective.cycle.organization = org
    krs = list(
        KeyResult.objects.filter(objective=objective)
        .select_related("owner")
        .prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.select_related("owner"))
        )
        .order_by("order", "id")
    )
    objective._prefetched_objects_cache = {"key_results": krs}  # type: ignore[attr-defined]
    annotate_statuses([objective], objective.cycle)
    can_edit = access.can_edit_objective(objective)
    for kr in krs:
        kr.can_check_in = access.can_check_in(kr, objective)  # type: ignore[attr-defined]
        kr.checkin_form = CheckInForm(prefix=kr.code)  # type: ignore[attr-defined]
    parents = list(
        Alignment.objects.filter(child=objective).select_related(
            "parent_objective", "parent_key_result__objective"
        )
    )
    children = list(
        Alignment.objects.filter(parent_objective=objective).select_related("child")
        | Alignment.objects.filter(parent_key_result__objective=objective).select_related("child")
    )
    people = list(people_of(org))
    explain = explain_objective_progress(
        [(kr.progress, kr.weight) for kr in krs],
        [
            (link.child.progress, link.weight)
            for link in children
            if link.parent_objective_id == objective.id
        ],
    )
    needs_approval = org.approval_required and objective.level in ("team", "department")
    moves = [
        (state, ObjectiveState(state).label)
        for state in sorted(OBJECTIVE_TRANSITIONS[ObjectiveState(objective.state)])
        if _may_approve(access, objective)
        or not (
            state == ObjectiveState.APPROVED
            or (
                state == ObjectiveState.ACTIVE
                and objective.state == ObjectiveState.DRAFT
                and needs_approval
            )
        )
    ]
    align_form = None
    if can_edit:
        candidates = [
            o for o in objectives_for_cycle(access, objective.cycle) if o.id != objective.id
        ]
        align_form = AlignForm()
        align_form.fields["parent"].choices = [  # type: ignore[attr-defined]
            (f"o:{o.code}", o.title) for o in candidates
        ] + [(f"k:{kr.code}", f"↳ {kr.title}") for o in candidates for kr in o.key_results.all()]
    return {
        "org": org,
        "access": access,
        "objective": objective,
        "krs": krs,
        "can_edit": can_edit and objective.cycle.state != CycleState.CLOSED,
        "parents": parents,
        "children": children,
        "explain": explain,
        "moves": moves if can_edit else [],
        "align_form": align_form,
        "initiative_form": InitiativeForm(people=people),
        "statuses": INITIATIVE_STATUSES,
        "people": people,
    }


@require_safe
def objective_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    return render(
        request, "web/objective.html", _objective_context(request, organization, access, objective)
    )


def _people_by_pk(form: Any, value: str) -> Any:
    return form.people_map.get(value) if value else None


def objective_new(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if not access.can_write:
        raise PermissionDenied
    units = [u for u in units_of(organization) if access.can_create_in_unit(u.id, u.kind)]
    if not units:
        raise PermissionDenied(_("You may not create objectives here."))
    cycles = [c for c in cycles_of(organization) if c.state != CycleState.CLOSED]
    people = list(people_of(organization))
    current = current_cycle(organization)
    initial = {
        "cycle": current.code if current else None,
        "unit": request.GET.get("unit"),
        "lead": str(request.user.pk),
    }
    form = ObjectiveForm(
        request.POST or None, initial=initial, cycles=cycles, units=units, people=people
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = objective_create(
                organization=organization,
                cycle=form.cycle_map[data["cycle"]],
                unit=form.unit_map[data["unit"]],
                title=data["title"],
                description=data["description"],
                type=data["type"],
                visibility=data["visibility"],
                lead=_people_by_pk(form, data["lead"]),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("objective", org=organization.slug, code=objective.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/objective_form.html",
        {"org": organization, "access": access, "form": form, "objective": None},
        status=status,
    )


def objective_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    units = [
        u
        for u in units_of(organization)
        if u.id == objective.unit_id or access.can_create_in_unit(u.id, u.kind)
    ]
    people = list(people_of(organization))
    initial = {
        "unit": objective.unit.code if objective.unit else None,
        "title": objective.title,
        "description": objective.description,
        "type": objective.type,
        "visibility": objective.visibility,
        "lead": str(objective.lead_id or ""),
        "version": objective.version,
    }
    form = ObjectiveForm(
        request.POST or None, initial=initial, cycles=[], units=units, people=people, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective_update(
                objective=objective,
                by=request.user,
                expected_version=data["version"],
                unit=form.unit_map[data["unit"]],
                title=data["title"],
                description=data["description"],
                type=data["type"],
                visibility=data["visibility"],
                lead=_people_by_pk(form, data["lead"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("objective", org=organization.slug, code=objective.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/objective_form.html",
        {"org": organization, "access": access, "form": form, "objective": objective},
        status=status,
    )


@require_POST
def objective_state(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    try:
        objective_set_state(
            objective=objective,
            state=request.POST.get("state", ""),
            by=request.user,
            may_approve=_may_approve(access, objective),
        )
    except ValidationError as error:
        context = _objective_context(request, organization, access, objective)
        context["state_errors"] = error.messages
        return render(request, "web/objective.html", context, status=400)
    return redirect("objective", org=organization.slug, code=objective.code)


@require_POST
def objective_align(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    choice = request.POST.get("parent", "")
    kind, _sep, parent_code = choice.partition(":")
    errors: list[str] = []
    try:
        if kind == "o":
            alignment_link(
                child=objective,
                parent_objective=get_objective(access, parent_code),
                weight=request.POST.get("weight", "1"),
                by=request.user,
            )
        elif kind == "k":
            alignment_link(
                child=objective,
                parent_key_result=get_key_result(access, parent_code),
                weight=request.POST.get("weight", "1"),
                by=request.user,
            )
        else:
            errors.append(_("Choose what this objective contributes to."))
    except Http404:
        errors.append(_("That objective is not available."))
    except ValidationError as error:
        errors.extend(error.messages)
    if errors:
        context = _objective_context(request, organization, access, objective)
        context["align_errors"] = errors
        return render(request, "web/objective.html", context, status=400)
    return redirect("objective", org=organization.slug, code=objective.code)


VERBS = {
    "objective.created": _lazy("created the objective"),
    "objective.updated": _lazy("edited the objective"),
    "objective.state_changed": _lazy("changed the state of"),
    "key_result.created": _lazy("added the key result"),
    "key_result.updated": _lazy("edited the key result"),
    "key_result.deleted": _lazy("removed the key result"),
    "checkin.recorded": _lazy("checked in on"),
    "alignment.linked": _lazy("aligned"),
    "alignment.unlinked": _lazy("removed an alignment of"),
    "initiative.created": _lazy("added the initiative"),
    "initiative.updated": _lazy("updated the initiative"),
}


def _describe(value: Any) -> str:
    """A change as text: "before → after" for pairs, the value itself otherwise."""
    if isinstance(value, list) and len(value) == 2:
        before, after = ("—" if v in (None, "") else v for v in value)
        return f"{before} → {after}"
    return "—" if value in (None, "") else str(value)


@require_safe
def objective_history(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    events = AuditEvent.objects.filter(
        organization=organization, objective_code=objective.code
    ).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.label = VERBS.get(event.verb, event.verb)  # type: ignore[attr-defined]
        event.lines = [  # type: ignore[attr-defined]
            (field, _describe(value)) for field, value in (event.changes or {}).items()
        ]
    return render(
        request,
        "web/objective_history.html",
        {"org": organization, "access": access, "objective": objective, "page": page},
    )


def _key_result_form_view(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    objective: Objective,
    kr: KeyResult | None,
) -> HttpResponse:
    people = list(people_of(organization))
    initial: dict[str, Any] = {}
    if kr is not None:
        initial = {
            name: getattr(kr, name)
            for name in (
                "title",
                "kind",
                "start",
                "target",
                "unit_label",
                "value_format",
                "currency",
                "decimals",
                "weight",
                "aspirational",
                "version",
            )
        }
        initial["owner"] = str(kr.owner_id or "")
        for name in ("start", "target", "weight"):
            if initial[name] is not None:
                initial[name] = f"{initial[name].normalize():f}"
    else:
        initial["owner"] = str(request.user.pk)
    form = KeyResultForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["owner"] = _people_by_pk(form, data["owner"])
        try:
            if kr is None:
                key_result_create(objective=objective, by=request.user, **data)
            else:
                key_result_update(key_result=kr, by=request.user, expected_version=version, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("objective", org=organization.slug, code=objective.code)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/key_result_form.html",
        {"org": organization, "access": access, "form": form, "objective": objective, "kr": kr},
        status=status,
    )


def key_result_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    return _key_result_form_view(request, organization, access, objective, None)


def key_result_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not access.can_edit_objective(kr.objective):
        raise PermissionDenied
    return _key_result_form_view(request, organization, access, kr.objective, kr)


def key_result_checkin(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the check-in form; POST: record it. With htmx the answer is the key result block
    plus the objective's progress (out of band); a refused htmx check-in answers 200 with the
    messages, because htmx does not swap 4xx answers, while a plain POST answers 400."""
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    objective = kr.objective
    if not access.can_check_in(kr, objective):
        raise PermissionDenied
    form = CheckInForm(request.POST or None, prefix=kr.code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin_record(
                key_result=kr,
                value=data["value"],
                confidence=data["confidence"],
                note=data["note"],
                source="web",
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect("objective", org=organization.slug, code=objective.code)
            objective.refresh_from_db()
            form = CheckInForm(prefix=kr.code)
    context = _objective_context(request, organization, access, objective)
    current = next(item for item in context["krs"] if item.pk == kr.pk)
    current.checkin_form = form
    current.just_saved = request.method == "POST" and not form.errors
    context.update(kr=current)
    if request.htmx:  # type: ignore[attr-defined]
        return TemplateResponse(request, "web/_checkin_response.html", context)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "web/objective.html", context, status=status)


@require_POST
def initiative_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not access.can_edit_objective(kr.objective):
        raise PermissionDenied
    form = InitiativeForm(request.POST, people=list(people_of(organization)))
    errors: list[str] = []
    if form.is_valid():
        try:
            initiative_create(
                key_result=kr,
                title=form.cleaned_data["title"],
                owner=_people_by_pk(form, form.cleaned_data["owner"]),
                due=form.cleaned_data["due"],
                by=request.user,
            )
        except ValidationError as error:
            errors.extend(error.messages)
    else:
        errors.extend(str(m) for ms in form.errors.values() for m in ms)
    if errors:
        context = _objective_context(request, organization, access, kr.objective)
        context["initiative_errors"] = {kr.code: errors}
        return render(request, "web/objective.html", context, status=400)
    return redirect("objective", org=organization.slug, code=kr.objective.code)


@require_POST
def initiative_update(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    initiative = (
        Initiative.objects.filter(organization=organization, code=code)
        .select_related("objective")
        .first()
    )
    if initiative is None:
        raise Http404
    objective = get_objective(access, initiative.objective.code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    changes: dict[str, Any] = {}
    if "status" in request.POST:
        changes["status"] = request.POST["status"]
    if "title" in request.POST:
        changes["title"] = request.POST["title"]
    if "owner" in request.POST:
        people = {str(p.pk): p for p in people_of(organization)}
        changes["owner"] = people.get(request.POST["owner"])
    try:
        if not changes:
            raise ValidationError(_("Nothing to change."))
        okr_services.initiative_update(initiative=initiative, by=request.user, **changes)
    except ValidationError as error:
        context = _objective_context(request, organization, access, objective)
        context["initiative_errors"] = {
            initiative.key_result.code if initiative.key_result else "": error.messages
        }
        return render(request, "web/objective.html", context, status=400)
    return redirect("objective", org=organization.slug, code=objective.code)
