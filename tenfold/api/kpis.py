"""API endpoints for KPIs: list and create them, read one with its history, record a value,
and draft an OKR for a KPI.

Like the rest of the API: a scoped fetch, the access rules of `tenfold.kpis.selectors` (the same
as the web pages), a call to a service in `tenfold.kpis.services`, and the answer. Refusals
become the one error shape through the handlers in `views`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.kpis.selectors import (
    can_manage_in,
    can_record,
    can_write_okr,
    company_unit,
    detail,
    get_kpi,
    kpi_data,
    kpis_of,
    value_data,
)
from tenfold.kpis.services import kpi_create, kpi_record_value, kpi_write_okr
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.selectors import get_unit, people_of

from .paging import ChangedPageIn, filter_since, paginate
from .schemas import ErrorOut, PersonOut, UnitRef
from .views import scoped

router: Router = Router(tags=["KPIs"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class KpiOut(Schema):
    code: str
    name: str
    description: str
    unit: UnitRef | None = Field(description="The owning unit; null for the whole company")
    unit_label: str
    value_format: str = Field(description="number, percent or currency")
    currency: str
    decimals: int
    direction: str = Field(description="higher_is_better, lower_is_better or in_range")
    target: Decimal = Field(description="The target; for a range, its lower end")
    target_high: Decimal | None = Field(description="The upper end of a range; null otherwise")
    owner: PersonOut | None
    active: bool = Field(description="False once the KPI is no longer monitored")
    current: Decimal | None = Field(description="The newest value by measurement time")
    current_at: dt.datetime | None
    health: str = Field(description="healthy, unhealthy, or unknown before the first value")
    version: int


class KpiValueOut(Schema):
    code: str
    value: Decimal
    measured_at: dt.datetime
    note: str
    author: PersonOut | None
    created_at: dt.datetime


class KpiObjectiveRef(Schema):
    code: str
    title: str
    state: str
    cycle: str = Field(description="The cycle's code")


class KpiDetailOut(KpiOut):
    values: list[KpiValueOut] = Field(description="Every value, newest first")
    objectives: list[KpiObjectiveRef] = Field(
        description="Objectives written for this KPI that the caller may see"
    )


class KpiIn(Schema):
    name: str
    unit: str | None = Field(None, description="Code of the owning unit; leave out for the company")
    description: str = ""
    direction: str = "higher_is_better"
    target: str | int | float = Field(description="A string keeps every decimal")
    target_high: str | int | float | None = Field(None, description="Only for in_range")
    value_format: str = "number"
    unit_label: str = ""
    currency: str = ""
    decimals: int = 0
    owner: str | None = Field(None, description="Email of the person who owns the KPI")


class KpiValueIn(Schema):
    value: str | int | float = Field(description="The measured value; a string keeps decimals")
    measured_at: dt.date | dt.datetime | None = Field(
        None, description="When it was measured (a day or a moment); defaults to now"
    )
    note: str = ""


class KpiValueResult(Schema):
    value: KpiValueOut
    kpi: KpiOut


class WriteOkrIn(Schema):
    cycle: str = Field(description="Code of the cycle the draft objective is for")


class DraftKeyResultOut(Schema):
    code: str
    title: str
    kind: str
    start: Decimal | None
    target: Decimal


class DraftObjectiveOut(Schema):
    code: str = Field(description="The objective's code; GET /orgs/{org}/objectives/{code}")
    title: str
    description: str
    state: str = Field(description="Always draft")
    cycle: str = Field(description="The cycle's code")
    unit: UnitRef
    kpi: str = Field(description="The KPI's code")
    key_results: list[DraftKeyResultOut]


# --- helpers ----------------------------------------------------------------------------------


def _owner(organization: Organization, email: str | None) -> Any:
    if not email:
        return None
    found = people_of(organization).filter(email__iexact=email.strip()).first()
    if found is None:
        raise ValidationError({"owner": _("Nobody in this organization signs in as that email.")})
    return found


# --- endpoints --------------------------------------------------------------------------------


@router.get("/orgs/{org}/kpis", response=list[KpiOut], summary="KPIs of the organization")
def list_kpis(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[ChangedPageIn]
) -> list[dict[str, Any]]:
    """By name. Paginated (`limit`, `offset`; X-Total-Count and Link headers);
    `updated_since` keeps the KPIs changed since then."""
    organization, _access = scoped(request, org)
    rows = filter_since(kpis_of(organization), page.updated_since).order_by("name", "id")
    return [kpi_data(kpi) for kpi in paginate(request, response, rows, page)]


@router.post("/orgs/{org}/kpis", response={201: KpiOut, **WRITE_ERRORS}, summary="Create a KPI")
def create_kpi(request: HttpRequest, org: str, payload: KpiIn) -> Status[dict[str, Any]]:
    """Admins create KPIs anywhere; leads create them for the units they lead."""
    organization, access = scoped(request, org)
    unit = get_unit(organization, payload.unit) if payload.unit else company_unit(organization)
    if not can_manage_in(access, unit.id):
        raise PermissionDenied(_("Only admins and the unit's leads add KPIs to it."))
    kpi = kpi_create(
        organization=organization,
        name=payload.name,
        unit=unit,
        description=payload.description,
        direction=payload.direction,
        target=str(payload.target),
        target_high=None if payload.target_high is None else str(payload.target_high),
        value_format=payload.value_format,
        unit_label=payload.unit_label,
        currency=payload.currency,
        decimals=payload.decimals,
        owner=_owner(organization, payload.owner),
        by=request.user,
    )
    return Status(201, kpi_data(kpi))


@router.get(
    "/orgs/{org}/kpis/{code}",
    response=KpiDetailOut,
    summary="One KPI with its value history",
)
def get_one_kpi(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, access = scoped(request, org)
    kpi = get_kpi(organization, code)
    info = detail(access, kpi)
    return {
        **kpi_data(kpi),
        "values": [value_data(row) for row in info.values],
        "objectives": [
            {"code": o.code, "title": o.title, "state": o.state, "cycle": o.cycle.code}
            for o in info.objectives
        ],
    }


@router.post(
    "/orgs/{org}/kpis/{code}/values",
    response={201: KpiValueResult, **WRITE_ERRORS},
    summary="Record a value",
)
def add_kpi_value(
    request: HttpRequest, org: str, code: str, payload: KpiValueIn
) -> Status[dict[str, Any]]:
    """Values are append-only. One for an earlier day joins the history without replacing a
    newer one as the current value; none may be in the future."""
    organization, access = scoped(request, org)
    kpi = get_kpi(organization, code)
    if not can_record(access, kpi):
        raise PermissionDenied(_("Only members of its unit record values of this KPI."))
    row = kpi_record_value(
        kpi=kpi,
        value=str(payload.value),
        measured_at=payload.measured_at,
        note=payload.note,
        by=request.user,
    )
    kpi.refresh_from_db()
    return Status(201, {"value": value_data(row), "kpi": kpi_data(kpi)})


@router.post(
    "/orgs/{org}/kpis/{code}/write-okr",
    response={201: DraftObjectiveOut, **WRITE_ERRORS},
    summary="Draft an objective for a KPI",
)
def write_kpi_okr(
    request: HttpRequest, org: str, code: str, payload: WriteOkrIn
) -> Status[dict[str, Any]]:
    """A draft objective in the KPI's unit for the cycle, with one key result from the KPI's
    current value to its target, linked to the KPI."""
    organization, access = scoped(request, org)
    kpi = get_kpi(organization, code)
    if not can_write_okr(access, kpi):
        raise PermissionDenied(_("You may not write objectives for this KPI's unit."))
    cycle = Cycle.objects.filter(organization=organization, code=payload.cycle.strip()).first()
    if cycle is None:
        raise ValidationError({"cycle": _("No cycle of this organization has that code.")})
    objective = kpi_write_okr(access=access, kpi=kpi, cycle=cycle)
    unit = objective.unit
    assert unit is not None  # a KPI's objective always belongs to a unit
    return Status(
        201,
        {
            "code": objective.code,
            "title": objective.title,
            "description": objective.description,
            "state": objective.state,
            "cycle": cycle.code,
            "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
            "kpi": kpi.code,
            "key_results": [
                {
                    "code": kr.code,
                    "title": kr.title,
                    "kind": kr.kind,
                    "start": kr.start,
                    "target": kr.target,
                }
                for kr in objective.key_results.all()
            ],
        },
    )
