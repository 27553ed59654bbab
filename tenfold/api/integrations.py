"""API endpoints for the allow-list of private hosts that webhooks, chat messages and data
feeds may reach (admins)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from tenfold.integrations.models import AllowedHost
from tenfold.integrations.services import allowed_host_add, allowed_host_remove

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Integrations"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class HostOut(Schema):
    id: int
    host: str
    note: str
    created_at: dt.datetime


class HostIn(Schema):
    host: str
    note: str = ""


def _admin(request: HttpRequest, org: str) -> Any:
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage integrations."))
    return organization


@router.get(
    "/orgs/{org}/allowed-hosts",
    response={200: list[HostOut], 403: ErrorOut, 404: ErrorOut},
    summary="Private hosts outbound requests may reach",
)
def list_allowed_hosts(request: HttpRequest, org: str) -> Any:
    return list(AllowedHost.objects.filter(organization=_admin(request, org)))


@router.post(
    "/orgs/{org}/allowed-hosts",
    response={201: HostOut, **WRITE_ERRORS},
    summary="Allow a private host",
)
def add_allowed_host(request: HttpRequest, org: str, payload: HostIn) -> Status[Any]:
    """A host name, an IP address or a network such as 10.1.0.0/16."""
    organization = _admin(request, org)
    row = allowed_host_add(
        organization=organization, host=payload.host, note=payload.note, by=request.user
    )
    return Status(201, row)


@router.delete(
    "/orgs/{org}/allowed-hosts/{host_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Stop allowing a private host",
)
def remove_allowed_host(request: HttpRequest, org: str, host_id: int) -> Status[None]:
    organization = _admin(request, org)
    row = get_object_or_404(AllowedHost, organization=organization, pk=host_id)
    allowed_host_remove(organization=organization, host=row, by=request.user)
    return Status(204, None)
