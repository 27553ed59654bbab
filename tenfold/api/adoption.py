"""API endpoints of the adoption programme: read the programme with its checklist, set the
rollout shape, tick a step off or open it again, and change a step's owner, due date or note.

Like the rest of the API: a scoped fetch, the access rules of `tenfold.adoption.selectors`
(the same as the adoption page), a call to a service in `tenfold.adoption.services`, and the
answer. Refusals become the one error shape through the handlers in `views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.adoption.models import ChecklistItem
from tenfold.adoption.selectors import (
    can_manage,
    can_tick,
    checklist,
    first_cycle_policy,
    get_item,
    item_data,
    programme_data,
    target_cycle,
)
from tenfold.adoption.services import (
    checklist_ensure,
    item_set_done,
    item_update,
    programme_set_shape,
)
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access

from .schemas import ErrorOut, PersonOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Adoption"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class StepOut(Schema):
    code: str
    key: str | None = Field(
        description="The standard step it is (learn, examples, levels, company, teams, "
        "alignment, weekly, monthly, review); null for a step an admin added"
    )
    title: str = Field(description="In the caller's language; follows the rollout shape")
    help: str
    custom: bool
    owner: PersonOut | None
    due: dt.date | None
    overdue: bool
    note: str
    done: bool
    done_at: dt.datetime | None
    done_by: PersonOut | None
    link: str | None = Field(description="Where in Tenfold the step is done")
    position: int
    version: int = Field(description="Send it back as expected_version to detect conflicts")


class PolicyOut(Schema):
    first_cycle: bool = Field(
        description="No cycle closed yet and the first-cycle defaults on: the rules below are "
        "the first cycle's"
    )
    max_objectives_per_team: int
    recommended_objectives_per_team: int
    max_company_objectives: int
    aspirational_allowed: bool
    alignment_expected: bool


class FirstCycleOut(Schema):
    code: str
    name: str
    start: dt.date
    end: dt.date


class ProgressOut(Schema):
    done: int
    total: int
    overdue: int


class ProgrammeOut(Schema):
    shape: str = Field(description="pilot, leads or everyone")
    shape_name: str
    pilot_unit: UnitRef | None = Field(description="The pilot team, for a pilot rollout")
    started_at: dt.datetime
    first_cycle_defaults: bool
    first_cycle: FirstCycleOut | None = Field(description="The short first cycle, if made")
    policy: PolicyOut
    progress: ProgressOut
    checklist: list[StepOut]


class ShapeIn(Schema):
    shape: str = Field(description="pilot, leads or everyone")
    pilot_unit: str | None = Field(None, description="Code of the pilot team (pilot only)")


class StepPatch(Schema):
    owner: str | None = Field(None, description="Email of a member; null for nobody")
    due: dt.date | None = None
    note: str | None = None
    title: str | None = Field(None, description="Only for a step an admin added")
    expected_version: int | None = Field(
        None, description="The version read; a different current version answers 409"
    )


# --- helpers ----------------------------------------------------------------------------------


def _programme(request: HttpRequest, organization: Organization, access: Access) -> dict[str, Any]:
    programme = checklist_ensure(organization=organization, by=request.user)
    steps = checklist(access, organization, programme, target_cycle(organization, programme))
    return programme_data(organization, programme, first_cycle_policy(organization), steps)


def _step(access: Access, organization: Organization, item: ChecklistItem) -> dict[str, Any]:
    programme = item.programme
    programme.organization = organization
    item = ChecklistItem.objects.select_related("owner", "done_by").get(pk=item.pk)
    rows = checklist(
        access, organization, programme, target_cycle(organization, programme), items=[item]
    ).rows
    return item_data(rows[0])


def _member(organization: Organization, email: str | None) -> Any:
    """The member who signs in as `email` (the service decides whether they may own a step)."""
    from tenfold.accounts.models import User

    if not email:
        return None
    found = User.objects.filter(
        memberships__organization=organization, email__iexact=email.strip()
    ).first()
    if found is None:
        raise ValidationError({"owner": _("Nobody in this organization signs in as that email.")})
    return found


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/adoption",
    response=ProgrammeOut,
    summary="The adoption programme and its checklist",
)
def get_adoption(request: HttpRequest, org: str) -> dict[str, Any]:
    """The rollout shape, the first-cycle rules in force, and the implementation checklist
    (laid out from the shape the first time it is read)."""
    organization, access = scoped(request, org)
    return _programme(request, organization, access)


@router.post(
    "/orgs/{org}/adoption/shape",
    response={200: ProgrammeOut, **WRITE_ERRORS},
    summary="Set the rollout shape",
)
def set_adoption_shape(request: HttpRequest, org: str, payload: ShapeIn) -> dict[str, Any]:
    """Owners and admins choose how OKRs are rolled out; a pilot needs its pilot team."""
    organization, access = scoped(request, org)
    if not can_manage(access):
        raise PermissionDenied(_("Only owners and admins change the adoption programme."))
    unit = None
    if payload.pilot_unit:
        unit = Unit.objects.filter(organization=organization, code=payload.pilot_unit).first()
        if unit is None:
            raise ValidationError({"pilot_unit": _("No team of this organization has that code.")})
    programme_set_shape(
        organization=organization, shape=payload.shape, pilot_unit=unit, by=request.user
    )
    return _programme(request, organization, access)


def _tick(request: HttpRequest, org: str, code: str, done: bool) -> dict[str, Any]:
    organization, access = scoped(request, org)
    item = get_item(organization, code)
    if not can_tick(access, item):
        raise PermissionDenied(_("Only admins and the step's owner tick it off."))
    item_set_done(item=item, done=done, by=request.user)
    return _step(access, organization, item)


@router.post(
    "/orgs/{org}/adoption/steps/{code}/check",
    response={200: StepOut, **WRITE_ERRORS},
    summary="Mark a checklist step done",
)
def check_adoption_step(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Admins, and the step's owner. Marking a done step again changes nothing."""
    return _tick(request, org, code, True)


@router.post(
    "/orgs/{org}/adoption/steps/{code}/uncheck",
    response={200: StepOut, **WRITE_ERRORS},
    summary="Mark a checklist step not done",
)
def uncheck_adoption_step(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    return _tick(request, org, code, False)


@router.patch(
    "/orgs/{org}/adoption/steps/{code}",
    response={200: StepOut, **WRITE_ERRORS},
    summary="Change a step's owner, due date or note",
)
def update_adoption_step(
    request: HttpRequest, org: str, code: str, payload: StepPatch
) -> dict[str, Any]:
    """Owners and admins. Only the fields sent change; `owner: null` leaves the step without
    an owner. The standard steps keep their title."""
    organization, access = scoped(request, org)
    item = get_item(organization, code)
    if not can_manage(access):
        raise PermissionDenied(_("Only owners and admins change the checklist."))
    given = payload.model_fields_set - {"expected_version"}
    changes: dict[str, Any] = {}
    if "owner" in given:
        changes["owner"] = _member(organization, payload.owner)
    if "due" in given:
        changes["due"] = payload.due
    if "note" in given:
        changes["note"] = payload.note or ""
    if "title" in given:
        changes["title"] = payload.title or ""
    item_update(item=item, by=request.user, expected_version=payload.expected_version, **changes)
    return _step(access, organization, item)
