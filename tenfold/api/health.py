"""API endpoints of the programme health check: the organization's report and one unit's.

The same reports as the pages (`tenfold.coach.health`), with the same access rules: admins
read every report, a unit's leads read the units they lead and those below; everyone else gets
403, other organizations 404. `?cycle=CODE` picks the cycle (default: the one people work in
now); a code of no cycle here is refused with 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.coach.health import (
    as_dict,
    can_see_org_health,
    can_see_unit_health,
    company_unit_id,
    org_health,
    unit_health,
)
from tenfold.okrs.models import Cycle
from tenfold.okrs.selectors import current_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.selectors import get_unit

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Health check"])

READ_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class CycleRefOut(Schema):
    code: str
    name: str


class UnitNameOut(Schema):
    code: str
    name: str


class ThresholdOut(Schema):
    measure: str = Field(description="share (0–1), count, weeks, per_objective or policy")
    watch: float | None = Field(description="Beyond this value the signal is to watch")
    problem: float | None = Field(description="Beyond this value the signal is a problem")
    lower_is_worse: bool = Field(description="True when low values are the bad ones")
    minimum: float | None = Field(description="Below this value the signal is a problem")


class ItemOut(Schema):
    kind: str = Field(description="objective, key_result, unit or person")
    label: str
    url: str = Field(description="The page of the item")
    note: str


class SignalOut(Schema):
    key: str = Field(description="Stable identifier of the signal")
    group: str = Field(description="The reason it watches for (METHOD §9 or §3)")
    title: str
    state: str = Field(description="ok, watch, problem or not_applicable")
    value: float | None = Field(description="The measured figure; null when not applicable")
    value_label: str
    threshold: ThresholdOut
    threshold_label: str
    evidence: str = Field(description="A sentence with the figures")
    items: list[ItemOut] = Field(description="Up to ten concrete examples")
    more_items: int = Field(description="Examples left off the list")
    nudge: str = Field(description="One concrete thing to do now")
    nudge_url: str | None = Field(description="The page where it is done, if any")
    weight: int = Field(description="Weight in the score; 0 means not counted")


class UnitScoreOut(Schema):
    code: str
    name: str
    kind: str
    score: int | None
    grade: str
    problems: int
    watches: int


class HealthOut(Schema):
    organization: str
    cycle: CycleRefOut | None = Field(description="Null when the organization has no cycle")
    unit: UnitNameOut | None = Field(description="Null for the organization's report")
    reference_day: dt.date | None = Field(
        description="The day measured: today, or the cycle's last day once it has ended"
    )
    score: int | None = Field(description="0–100; null when no signal applies yet")
    grade: str = Field(description="healthy, needs_attention, at_risk, or unknown")
    grade_label: str
    scored_cycle: str | None = Field(description="The cycle whose end-of-cycle scores were read")
    signals: list[SignalOut]
    weakest_units: list[UnitScoreOut] = Field(description="Lowest scores first, at most ten")
    units_judged: int = Field(description="Units below with enough data for a score")


def _cycle(organization: Organization, code: str | None) -> Cycle | None:
    if not code:
        return current_cycle(organization)
    found = Cycle.objects.filter(organization=organization, code=code.strip()).first()
    if found is None:
        raise ValidationError({"cycle": _("No cycle of this organization has that code.")})
    return found


@router.get(
    "/orgs/{org}/health",
    response={200: HealthOut, **READ_ERRORS},
    url_name="org_health",
    summary="Health check of the organization's OKR programme",
)
def get_org_health(request: HttpRequest, org: str, cycle: str | None = None) -> dict[str, Any]:
    """Every signal with its state, value, threshold, evidence and nudge, the score and its
    grade, and the weakest units. For admins and leads of the company unit."""
    organization, access = scoped(request, org)
    if not can_see_org_health(access, company_unit_id(organization)):
        raise PermissionDenied(_("The organization's health check is for admins."))
    return as_dict(org_health(organization, _cycle(organization, cycle)))


@router.get(
    "/orgs/{org}/units/{code}/health",
    response={200: HealthOut, **READ_ERRORS},
    url_name="unit_health",
    summary="Health check of a unit and the units below it",
)
def get_unit_health(
    request: HttpRequest, org: str, code: str, cycle: str | None = None
) -> dict[str, Any]:
    """The same report for one unit (judged with every unit below it). For admins and the
    unit's leads (and leads of the units above it)."""
    organization, access = scoped(request, org)
    unit = get_unit(organization, code)
    if not can_see_unit_health(access, unit):
        raise PermissionDenied(_("A unit's health check is for admins and the unit's leads."))
    return as_dict(unit_health(organization, unit, _cycle(organization, cycle)))
