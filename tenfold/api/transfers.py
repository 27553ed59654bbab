"""API endpoints for exports that run in the background: start one, follow it, cancel it,
download its file. The same services as the data page of the organization's settings, and the
same rule: owners and admins only.

An export answers 202 at once; poll `GET /orgs/{org}/exports/{code}` until `status` is `done`
(then `download` is the file's URL) or `failed` / `cancelled`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.okrs.selectors import get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.transfers import services
from tenfold.transfers.models import Transfer
from tenfold.transfers.selectors import exports_of, get_export, live_all
from tenfold.transfers.views import download

from .paging import PageIn, paginate
from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Imports and exports"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
FORMATS = "json (everything, for import), yaml (OKRs as code, a zip), csv, xlsx or md"


class ExportIn(Schema):
    format: Literal["json", "yaml", "csv", "xlsx", "md"] = Field(description=FORMATS)
    cycle: str | None = Field(
        None, description="Code of one cycle (not with json, which always holds everything)"
    )


class ExportOut(Schema):
    code: str
    format: str = Field(description=FORMATS)
    cycle: str | None = Field(description="Code of the cycle exported, null for all")
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    done: int = Field(description="Units of work done so far")
    total: int | None = Field(description="Units of work in all, null while unknown")
    label: str = Field(description="What the export is working on now")
    cancel_requested: bool
    error: str = Field(description="Why it failed, when it failed")
    size: int | None = Field(description="Size of the finished file in bytes")
    file_name: str = Field(description="The name the file downloads under")
    download: str | None = Field(description="URL of the file while it can be downloaded")
    created_by: str | None = Field(description="Email address of who started it")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    expires_at: dt.datetime = Field(description="When the file and this record are deleted")


def _admin(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins export the organization's data."))
    return organization, access


def export_out(organization: Organization, transfer: Transfer) -> dict[str, Any]:
    url = None
    if transfer.downloadable:
        url = reverse(
            "api:download_transfer", kwargs={"org": organization.slug, "code": transfer.code}
        )
    return {
        "code": transfer.code,
        "format": transfer.format,
        "cycle": (transfer.params or {}).get("cycle"),
        "status": transfer.status,
        "done": transfer.done,
        "total": transfer.total,
        "label": transfer.label,
        "cancel_requested": transfer.cancel_requested,
        "error": transfer.error,
        "size": transfer.size,
        "file_name": transfer.download_name,
        "download": url,
        "created_by": transfer.created_by.email if transfer.created_by else None,
        "created_at": transfer.created_at,
        "started_at": transfer.started_at,
        "finished_at": transfer.finished_at,
        "expires_at": transfer.expires_at,
    }


@router.post(
    "/orgs/{org}/exports",
    response={202: ExportOut, **ERRORS},
    summary="Start an export",
)
def start_export(request: HttpRequest, org: str, payload: ExportIn) -> Status[dict[str, Any]]:
    """Queue an export of the organization; it runs in the background (202)."""
    organization, _access = _admin(request, org)
    cycle = get_cycle(organization, payload.cycle.strip().lower()) if payload.cycle else None
    transfer = services.start_export(organization, request.user, payload.format, cycle)
    transfer.refresh_from_db()  # where the work ran at once, show where it got
    return Status(202, export_out(organization, transfer))


@router.get(
    "/orgs/{org}/exports",
    response={200: list[ExportOut], 403: ErrorOut, 404: ErrorOut},
    summary="Recent exports",
)
def list_transfers(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """Exports of the last seven days, newest first."""
    organization, _access = _admin(request, org)
    rows = live_all(paginate(request, response, exports_of(organization), page))
    return [export_out(organization, transfer) for transfer in rows]


@router.get(
    "/orgs/{org}/exports/{code}",
    response={200: ExportOut, 403: ErrorOut, 404: ErrorOut},
    summary="One export, with its progress",
)
def get_transfer(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access = _admin(request, org)
    return export_out(organization, get_export(organization, code))


@router.post(
    "/orgs/{org}/exports/{code}/cancel",
    response={200: ExportOut, **ERRORS},
    summary="Cancel an export",
)
def cancel_transfer(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """One still waiting stops at once; a running one at its next step, leaving no file. An
    export that has already finished answers 409."""
    organization, _access = _admin(request, org)
    transfer = services.cancel(get_export(organization, code), request.user)
    return export_out(organization, transfer)


@router.get(
    "/orgs/{org}/exports/{code}/download",
    response={403: ErrorOut, 404: ErrorOut},
    summary="Download an export's file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, as an attachment",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_transfer(request: HttpRequest, org: str, code: str) -> FileResponse:
    """The finished file until it expires; 404 before it is done and after it expired."""
    organization, _access = _admin(request, org)
    return download(get_export(organization, code))
