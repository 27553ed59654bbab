"""API endpoints that change cycles, objectives, alignment, key results and initiatives, and the
reads that go with them (one cycle, an objective's alignments, initiatives).

Each endpoint does what the matching web page does: a scoped fetch (another organization's
codes answer 404, in the path or in the body), the same `Access` rule, a call to the same
service in `tenfold.okrs.services`, and the answer. A change made on a stale `version` answers
409 and changes nothing.

Endpoints on a path that `views` already serves (the lists of cycles and objectives, one
objective, one key result) are registered on the API's own router, beside the reads of the same
path: two routers cannot share a path."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.okrs import services
from tenfold.okrs.models import (
    Alignment,
    Cycle,
    CycleState,
    Initiative,
    InitiativeStatus,
    KeyResult,
    Objective,
    aligned_into,
)
from tenfold.okrs.planning import proposal_approve
from tenfold.okrs.selectors import get_cycle, get_key_result, get_objective, visible_objectives
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import people_of

from . import schemas_okrs as s
from .paging import PageIn, paginate
from .schemas import ErrorOut, KeyResultOut, ObjectiveOut
from .views import api, error, forecasts, key_result_out, objective_out, person, scoped

router: Router = Router(tags=["Objectives"])

READ_ERRORS: dict[int, Any] = {404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
EDIT_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ErrorOut}


# --- references in bodies -----------------------------------------------------------------------


class Missing(Http404):
    """A code or email in the body that names nothing the caller may see in this organization.
    It answers 404 like a path would, naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _missing(request: HttpRequest, exc: Missing) -> HttpResponse:
    return error(request, 404, "not_found", exc.message, {exc.field: [exc.message]})


api.add_exception_handler(Missing, _missing)  # type: ignore[arg-type]


def _person(organization: Organization, field: str, email: str | None) -> Any:
    if not email or not email.strip():
        return None
    found = people_of(organization).filter(email__iexact=email.strip()).first()
    if found is None:
        raise Missing(field, _("Nobody in this organization signs in as that email."))
    return found


def _unit(organization: Organization, field: str, code: str) -> Unit:
    found = Unit.objects.filter(organization=organization, code=code.strip()).first()
    if found is None:
        raise Missing(field, _("No unit of this organization has that code."))
    return found


def _cycle(organization: Organization, field: str, code: str) -> Cycle:
    found = Cycle.objects.filter(organization=organization, code=code.strip()).first()
    if found is None:
        raise Missing(field, _("No cycle of this organization has that code."))
    return found


def _given(payload: Schema, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent (a PATCH changes only those). A null for a field that
    cannot be empty is refused, naming it."""
    sent = {name: getattr(payload, name) for name in payload.model_fields_set}
    nulls = [name for name in required if name in sent and sent[name] is None]
    if nulls:
        raise ValidationError({name: _("This cannot be null.") for name in nulls})
    return sent


def _number(value: Any) -> Any:
    return None if value is None else str(value)


# --- cycles -------------------------------------------------------------------------------------


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    return {
        "code": cycle.code,
        "name": cycle.name,
        "kind": cycle.kind,
        "start": cycle.start,
        "end": cycle.end,
        "state": cycle.state,
        "parent": cycle.parent.code if cycle.parent else None,
        "next_states": sorted(services.CYCLE_TRANSITIONS.get(CycleState(cycle.state), set())),
    }


def _admin(access: Access) -> None:
    if not access.is_admin or not access.can_write:
        raise PermissionDenied(_("Only owners and admins manage cycles."))


@api.post(
    "/orgs/{org}/cycles",
    response={201: s.CycleDetailOut, **WRITE_ERRORS},
    tags=["cycles"],
    summary="Create a cycle",
)
def create_cycle(request: HttpRequest, org: str, payload: s.CycleIn) -> Status[dict[str, Any]]:
    """Owners and admins add cycles, as on the organization's settings page."""
    organization, access = scoped(request, org)
    _admin(access)
    parent = _cycle(organization, "parent", payload.parent) if payload.parent else None
    cycle = services.cycle_create(
        organization=organization,
        name=payload.name,
        start=payload.start,
        end=payload.end,
        kind=payload.kind,
        parent=parent,
        by=request.user,
    )
    return Status(201, _cycle_out(cycle))


@router.get(
    "/orgs/{org}/cycles/{code}",
    response={200: s.CycleDetailOut, **READ_ERRORS},
    tags=["cycles"],
    summary="One cycle",
)
def get_one_cycle(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access = scoped(request, org)
    cycle = get_cycle(organization, code)
    return _cycle_out(cycle)


@router.post(
    "/orgs/{org}/cycles/{code}/state",
    response={200: s.CycleDetailOut, **WRITE_ERRORS},
    tags=["cycles"],
    summary="Move a cycle to another state",
)
def set_cycle_state(request: HttpRequest, org: str, code: str, payload: s.StateIn) -> Any:
    """planning → active → reviewing → closed (a reviewing cycle may go back to active, a
    closed one back to reviewing). Reviewing or closing opens the cycle's reviews."""
    organization, access = scoped(request, org)
    _admin(access)
    cycle = get_cycle(organization, code)
    services.cycle_set_state(cycle=cycle, state=payload.state, by=request.user)
    return _cycle_out(cycle)


# --- objectives ---------------------------------------------------------------------------------


def _objective_answer(organization: Organization, objective_id: int) -> dict[str, Any]:
    """The objective as stored now, in the shape of GET /objectives/{code}. Read without the
    visibility check: the caller has just written it (and may have made it private)."""
    objective = Objective.objects.select_related("cycle", "unit", "lead").get(
        organization=organization, pk=objective_id
    )
    objective.organization = organization
    objective.cycle.organization = organization
    krs = list(objective.key_results.select_related("owner").order_by("order", "id"))
    links = list(objective.parent_links.select_related("parent_objective", "parent_key_result"))
    return objective_out(objective, krs, links, forecasts(krs, objective.cycle))


def _may_approve(access: Access, objective: Objective) -> bool:
    unit = objective.unit
    return access.is_admin or (unit is not None and unit.parent_id in access.led_unit_ids)


def _editable(access: Access, objective: Objective) -> None:
    if not access.can_edit_objective(objective):
        raise PermissionDenied(_("You may not change this objective."))


@api.post(
    "/orgs/{org}/objectives",
    response={201: ObjectiveOut, **WRITE_ERRORS},
    tags=["objectives"],
    summary="Create an objective",
)
def create_objective(
    request: HttpRequest, org: str, payload: s.ObjectiveIn
) -> Status[dict[str, Any]]:
    """For a unit the caller may write objectives for: admins anywhere, leads in the units
    they lead, members in their teams. In an active cycle it starts active, unless the
    organization asks for team and department objectives to be approved; otherwise a draft."""
    organization, access = scoped(request, org)
    unit = _unit(organization, "unit", payload.unit)
    if not access.can_create_in_unit(unit.id, unit.kind):
        raise PermissionDenied(_("You may not create objectives for that unit."))
    objective = services.objective_create(
        organization=organization,
        cycle=_cycle(organization, "cycle", payload.cycle),
        unit=unit,
        title=payload.title,
        description=payload.description,
        type=payload.type,
        visibility=payload.visibility,
        lead=_person(organization, "lead", payload.lead),
        by=request.user,
    )
    return Status(201, _objective_answer(organization, objective.pk))


@api.patch(
    "/orgs/{org}/objectives/{code}",
    response={200: ObjectiveOut, **EDIT_ERRORS},
    tags=["objectives"],
    summary="Change an objective",
)
def update_objective(
    request: HttpRequest, org: str, code: str, payload: s.ObjectivePatch
) -> dict[str, Any]:
    """Title, why, type, visibility, lead and owning unit. With `version`, a change made on a
    stale copy answers 409 `conflict` and changes nothing."""
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    _editable(access, objective)
    changes = _given(payload, required=("title", "type", "visibility", "unit"))
    version = changes.pop("version", None)
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    if "lead" in changes:
        changes["lead"] = _person(organization, "lead", changes["lead"])
    if "unit" in changes:
        if objective.unit_id is None:
            raise ValidationError(
                {"unit": _("A personal-development objective belongs to its person.")}
            )
        unit = _unit(organization, "unit", changes["unit"])
        if unit.id != objective.unit_id and not access.can_create_in_unit(unit.id, unit.kind):
            raise ValidationError({"unit": _("You may not move objectives to that unit.")})
        changes["unit"] = unit
    services.objective_update(
        objective=objective, by=request.user, expected_version=version, **changes
    )
    return _objective_answer(organization, objective.pk)


@router.post(
    "/orgs/{org}/objectives/{code}/state",
    response={200: ObjectiveOut, **WRITE_ERRORS},
    tags=["objectives"],
    summary="Move an objective to another state",
)
def set_objective_state(
    request: HttpRequest, org: str, code: str, payload: s.ObjectiveStateIn
) -> dict[str, Any]:
    """draft → proposed → approved → active → closed, and back where the objective page
    allows it (closed → active reopens; a proposal may go back to draft). Approving follows
    the planning rules: a lead of the unit above or an admin, never one's own proposal."""
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    _editable(access, objective)
    if payload.state == "approved":
        proposal_approve(access=access, objective=objective, by=request.user)
    else:
        services.objective_set_state(
            objective=objective,
            state=payload.state,
            by=request.user,
            may_approve=_may_approve(access, objective),
        )
    return _objective_answer(organization, objective.pk)


# --- alignment ----------------------------------------------------------------------------------


class UnalignQuery(Schema):
    objective: str | None = Field(None, description="Code of the parent objective to unlink")
    key_result: str | None = Field(None, description="Code of the parent key result to unlink")


def _parent_of(link: Alignment) -> Objective:
    return link.parent_objective or link.parent_key_result.objective  # type: ignore[union-attr]


@router.get(
    "/orgs/{org}/objectives/{code}/alignments",
    response={200: s.AlignmentsOut, **READ_ERRORS},
    tags=["alignment"],
    summary="What an objective contributes to, and what contributes to it",
)
def list_objective_alignments(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Links to objectives the caller may not see are left out."""
    _organization, access = scoped(request, org)
    objective = get_objective(access, code)
    ups = (
        Alignment.objects.filter(child=objective)
        .select_related("parent_objective", "parent_key_result__objective")
        .order_by("created_at", "id")
    )
    downs = (
        Alignment.objects.filter(aligned_into(objective))
        .select_related("child", "parent_key_result")
        .order_by("created_at", "id")
    )
    parents = []
    for link in ups:
        parent = _parent_of(link)
        if access.can_view_objective(parent):
            kr = link.parent_key_result
            parents.append(
                {
                    "objective": parent.code,
                    "key_result": kr.code if kr else None,
                    "title": kr.title if kr else parent.title,
                    "weight": link.weight,
                    "created_at": link.created_at,
                }
            )
    children = [
        {
            "objective": link.child.code,
            "key_result": link.parent_key_result.code if link.parent_key_result else None,
            "title": link.child.title,
            "weight": link.weight,
            "created_at": link.created_at,
        }
        for link in downs
        if access.can_view_objective(link.child)
    ]
    return {"parents": parents, "children": children}


@router.post(
    "/orgs/{org}/objectives/{code}/alignments",
    response={201: s.ParentLinkOut, **WRITE_ERRORS},
    tags=["alignment"],
    summary="Align an objective to a parent objective or key result",
)
def align_objective(
    request: HttpRequest, org: str, code: str, payload: s.AlignIn
) -> Status[dict[str, Any]]:
    """Give exactly one of `objective` and `key_result`. The parent must be visible to the
    caller, in a cycle that contains the child's, and the link may not make a loop."""
    _organization, access = scoped(request, org)
    child = get_objective(access, code)
    _editable(access, child)
    if bool(payload.objective) == bool(payload.key_result):
        raise ValidationError({"objective": _("Give exactly one of objective and key_result.")})
    field = "objective" if payload.objective else "key_result"
    parent_objective = parent_kr = None
    try:
        if payload.objective:
            parent_objective = get_objective(access, payload.objective.strip())
        else:
            parent_kr = get_key_result(access, (payload.key_result or "").strip())
    except Http404:
        raise Missing(
            field, _("That objective or key result does not exist or is not visible to you.")
        ) from None
    try:
        link = services.alignment_link(
            child=child,
            parent_objective=parent_objective,
            parent_key_result=parent_kr,
            weight=_number(payload.weight),
            by=request.user,
        )
    except ValidationError as refused:
        # The service names the parent "parent"; the caller called it by its own field.
        if hasattr(refused, "error_dict") and "parent" in refused.error_dict:
            refused.error_dict[field] = refused.error_dict.pop("parent")
        raise
    parent = parent_objective or parent_kr.objective  # type: ignore[union-attr]
    return Status(
        201,
        {
            "objective": parent.code,
            "key_result": parent_kr.code if parent_kr else None,
            "title": parent_kr.title if parent_kr else parent.title,
            "weight": link.weight,
            "created_at": link.created_at,
        },
    )


@router.delete(
    "/orgs/{org}/objectives/{code}/alignments",
    response={204: None, **WRITE_ERRORS},
    tags=["alignment"],
    summary="Remove an alignment",
)
def unalign_objective(
    request: HttpRequest, org: str, code: str, parent: Query[UnalignQuery]
) -> Status[None]:
    """The link from this objective to the parent named by `objective` or `key_result` (one
    of them, as a query parameter)."""
    organization, access = scoped(request, org)
    child = get_objective(access, code)
    _editable(access, child)
    if bool(parent.objective) == bool(parent.key_result):
        raise ValidationError({"objective": _("Give exactly one of objective and key_result.")})
    links = Alignment.objects.filter(organization=organization, child=child)
    link = (
        links.filter(parent_objective__code=parent.objective).first()
        if parent.objective
        else links.filter(parent_key_result__code=parent.key_result).first()
    )
    if link is None:
        raise Missing(
            "objective" if parent.objective else "key_result",
            _("This objective is not aligned there."),
        )
    services.alignment_unlink(link=link, by=request.user)
    return Status(204, None)


# --- key results --------------------------------------------------------------------------------


def _key_result_answer(organization: Organization, kr_id: int) -> dict[str, Any]:
    kr = KeyResult.objects.select_related("objective__cycle", "owner").get(
        organization=organization, pk=kr_id
    )
    kr.objective.cycle.organization = organization
    return key_result_out(kr, kr.objective, forecasts([kr], kr.objective.cycle)[kr.id])


@router.post(
    "/orgs/{org}/objectives/{code}/key-results",
    response={201: KeyResultOut, **WRITE_ERRORS},
    tags=["key results"],
    summary="Add a key result to an objective",
)
def create_objective_kr(
    request: HttpRequest, org: str, code: str, payload: s.KeyResultIn
) -> Status[dict[str, Any]]:
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    _editable(access, objective)
    data = payload.dict()
    data["owner"] = _person(organization, "owner", payload.owner)
    for name in ("start", "target", "weight"):
        data[name] = _number(data[name])
    kr = services.key_result_create(objective=objective, by=request.user, **data)
    return Status(201, _key_result_answer(organization, kr.pk))


@api.patch(
    "/orgs/{org}/key-results/{code}",
    response={200: KeyResultOut, **EDIT_ERRORS},
    tags=["key results"],
    summary="Change a key result",
)
def update_key_result(
    request: HttpRequest, org: str, code: str, payload: s.KeyResultPatch
) -> dict[str, Any]:
    """Only the fields sent change. With `version`, a change made on a stale copy answers 409
    `conflict` and changes nothing."""
    organization, access = scoped(request, org)
    kr = get_key_result(access, code)
    _editable(access, kr.objective)
    changes = _given(
        payload,
        required=("title", "kind", "unit_label", "value_format", "decimals", "weight"),
    )
    version = changes.pop("version", None)
    for name in ("description", "currency"):
        if name in changes and changes[name] is None:
            changes[name] = ""
    if "aspirational" in changes:
        changes["aspirational"] = bool(changes["aspirational"])
    for name in ("start", "target", "weight"):
        if name in changes:
            changes[name] = _number(changes[name])
    if "owner" in changes:
        changes["owner"] = _person(organization, "owner", changes["owner"])
    services.key_result_update(key_result=kr, by=request.user, expected_version=version, **changes)
    return _key_result_answer(organization, kr.pk)


@api.delete(
    "/orgs/{org}/key-results/{code}",
    response={204: None, **WRITE_ERRORS},
    tags=["key results"],
    summary="Delete a key result",
)
def delete_key_result(request: HttpRequest, org: str, code: str) -> Status[None]:
    """Only a key result without check-ins (its history is kept: set its weight to 0
    instead) and in an open cycle."""
    _organization, access = scoped(request, org)
    kr = get_key_result(access, code)
    _editable(access, kr.objective)
    services.key_result_delete(key_result=kr, by=request.user)
    return Status(204, None)


# --- initiatives --------------------------------------------------------------------------------


class InitiativeFilters(PageIn):
    key_result: str | None = Field(None, description="Code of a key result")
    objective: str | None = Field(None, description="Code of an objective")
    status: str | None = Field(None, description="planned, doing, done or dropped")
    owner: str | None = Field(None, description="Email of the owner")


def _initiative_out(row: Initiative) -> dict[str, Any]:
    return {
        "code": row.code,
        "title": row.title,
        "status": row.status,
        "due": row.due,
        "owner": person(row.owner),
        "key_result": row.key_result.code if row.key_result else None,
        "objective": row.objective.code,
        "created_at": row.created_at,
    }


def _initiatives(access: Access) -> QuerySet[Initiative]:
    """Initiatives of the objectives the caller may see."""
    return Initiative.objects.filter(
        organization_id=access.membership.organization_id,
        objective__in=visible_objectives(access),
    ).select_related("owner", "key_result", "objective")


def _initiative(access: Access, code: str) -> Initiative:
    found = _initiatives(access).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/orgs/{org}/initiatives",
    response={200: list[s.InitiativeOut], 400: ErrorOut, 404: ErrorOut},
    tags=["initiatives"],
    summary="Initiatives, oldest first",
)
def list_initiatives(
    request: HttpRequest, response: HttpResponse, org: str, filters: Query[InitiativeFilters]
) -> list[dict[str, Any]]:
    """Initiatives of the objectives the caller may see, filtered by key result, objective,
    status or owner. Paginated (`limit`, `offset`; X-Total-Count and Link headers)."""
    _organization, access = scoped(request, org)
    rows = _initiatives(access)
    if filters.status is not None:
        if filters.status not in InitiativeStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        rows = rows.filter(status=filters.status)
    if filters.key_result is not None:
        rows = rows.filter(key_result__code=filters.key_result)
    if filters.objective is not None:
        rows = rows.filter(objective__code=filters.objective)
    if filters.owner is not None:
        rows = rows.filter(owner__email__iexact=filters.owner.strip())
    page = paginate(request, response, rows.order_by("created_at", "id"), filters)
    return [_initiative_out(row) for row in page]


@router.post(
    "/orgs/{org}/initiatives",
    response={201: s.InitiativeOut, **WRITE_ERRORS},
    tags=["initiatives"],
    summary="Add an initiative to a key result",
)
def create_initiative(
    request: HttpRequest, org: str, payload: s.InitiativeIn
) -> Status[dict[str, Any]]:
    """Whoever may edit the key result's objective adds work to it."""
    organization, access = scoped(request, org)
    try:
        kr = get_key_result(access, payload.key_result.strip())
    except Http404:
        raise Missing("key_result", _("No key result you can see has that code.")) from None
    _editable(access, kr.objective)
    row = services.initiative_create(
        key_result=kr,
        title=payload.title,
        owner=_person(organization, "owner", payload.owner),
        due=payload.due,
        status=payload.status,
        by=request.user,
    )
    return Status(201, _initiative_out(_initiative(access, row.code)))


@router.get(
    "/orgs/{org}/initiatives/{code}",
    response={200: s.InitiativeOut, **READ_ERRORS},
    tags=["initiatives"],
    summary="One initiative",
)
def get_one_initiative(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    return _initiative_out(_initiative(access, code))


@router.patch(
    "/orgs/{org}/initiatives/{code}",
    response={200: s.InitiativeOut, **WRITE_ERRORS},
    tags=["initiatives"],
    summary="Change an initiative",
)
def update_initiative(
    request: HttpRequest, org: str, code: str, payload: s.InitiativePatch
) -> dict[str, Any]:
    """Status, title, owner or due date: only the fields sent."""
    organization, access = scoped(request, org)
    row = _initiative(access, code)
    _editable(access, row.objective)
    changes = _given(payload, required=("title", "status"))
    if "owner" in changes:
        changes["owner"] = _person(organization, "owner", changes["owner"])
    if not changes:
        raise ValidationError(_("Nothing to change."))
    services.initiative_update(initiative=row, by=request.user, **changes)
    return _initiative_out(_initiative(access, code))
