"""API endpoints for invitations: list the pending ones, invite an address, send an invitation
again with a new link, withdraw one.

The rules of the people settings page: owners and admins only, for reading too (the page that
lists pending invitations is theirs). The link's secret is never answered: it exists in the
invitation email alone, as when inviting from the page (only its hash is stored). Every write
is one call to a service of `tenfold.organizations.services`, which checks, writes one audit
event and sends the email once the transaction commits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.organizations.models import Invitation, Organization
from tenfold.organizations.selectors import (
    get_invitation,
    invitation_data,
    pending_invitations,
)
from tenfold.organizations.services import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
)

from .directory import _manage, _units_in
from .paging import PageIn, paginate
from .schemas import ErrorOut
from .schemas_directory import ROLES, PersonRefOut, UnitParentOut

router: Router = Router(tags=["Organizations, units and people"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class InvitationOut(Schema):
    code: str = Field(description="The invitation's id, for sending it again or withdrawing it")
    email: str = Field(description="The invited address, in lower case")
    role: str = Field(description=f"The role they join with: {ROLES}")
    units: list[UnitParentOut] = Field(description="Units they are placed in when they join")
    invited_by: PersonRefOut | None = Field(description="null when that account is gone")
    created_at: dt.datetime
    expires_at: dt.datetime = Field(description="The link stops working at this time")


class InvitationIn(Schema):
    email: str = Field(description="The address to invite; not someone already in")
    role: str = Field("member", description=f"{ROLES} (default member)")
    units: list[str] = Field(
        default_factory=list, description="Codes of units to place them in when they join"
    )


def _answer(organization: Organization, invitation: Invitation) -> dict[str, Any]:
    """The invitation just made or sent again, read as the list reads it."""
    return invitation_data(pending_invitations(organization).get(pk=invitation.pk))


@router.get(
    "/orgs/{org}/invitations",
    response={200: list[InvitationOut], **ERRORS},
    summary="Pending invitations",
)
def list_invitations(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """Owners and admins. The invitations that can still be accepted (not accepted, withdrawn
    or expired), newest first."""
    organization, _access = _manage(request, org)
    rows = pending_invitations(organization)
    return [invitation_data(row) for row in paginate(request, response, rows, page)]


@router.post(
    "/orgs/{org}/invitations",
    response={201: InvitationOut, **ERRORS},
    summary="Invite someone by email",
)
def create_invitation(
    request: HttpRequest, org: str, payload: InvitationIn
) -> Status[dict[str, Any]]:
    """Owners and admins. Emails the address a link to join with the role and units given,
    good for `TENFOLD_INVITATION_DAYS` (14 by default). The link is not in the answer: it
    goes to the invited address only. Refused for someone already in the organization and
    for an address with an invitation waiting."""
    organization, _access = _manage(request, org, payload)
    units = _units_in(organization, payload.units, "units")
    invitation, _token = invitation_create(
        organization=organization,
        email=payload.email,
        role=payload.role,
        units=units,
        by=request.user,
    )
    return Status(201, _answer(organization, invitation))


@router.post(
    "/orgs/{org}/invitations/{code}/resend",
    response={200: InvitationOut, **ERRORS},
    summary="Send an invitation again",
)
def resend_invitation(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Owners and admins. Emails a pending invitation again with a new link, good for as
    long again; the earlier link stops working. An accepted, withdrawn or expired invitation
    is refused with 400 (invite the address again)."""
    organization, _access = _manage(request, org, code=code)
    invitation, _token = invitation_resend(
        invitation=get_invitation(organization, code), by=request.user
    )
    return _answer(organization, invitation)


@router.delete(
    "/orgs/{org}/invitations/{code}",
    response={204: None, **ERRORS},
    summary="Withdraw an invitation",
)
def revoke_invitation(request: HttpRequest, org: str, code: str) -> Status[None]:
    """Owners and admins. The link stops working. An invitation accepted or withdrawn
    already is refused with 400."""
    organization, _access = _manage(request, org, code=code)
    invitation_revoke(invitation=get_invitation(organization, code), by=request.user)
    return Status(204, None)
