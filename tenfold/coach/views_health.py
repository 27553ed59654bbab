"""The health check pages: the organization's, and one unit's (with everything below it).

Thin views over `tenfold.coach.health`: a scoped fetch (404 for other organizations, unknown
units and unknown cycles), the access check (admins everywhere, leads for the units they lead
and those below; 403 for everyone else), the report, a render. The cycle switcher asks for the
`report` partial over htmx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tenfold.okrs.models import Cycle
from tenfold.okrs.selectors import current_cycle, cycles_of, get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.selectors import get_unit
from tenfold.web.shortcuts import org_access, render

from .health import (
    can_see_org_health,
    can_see_unit_health,
    company_unit_id,
    org_health,
    unit_health,
)
from .health.rules import GRADE_ATTENTION, GRADE_HEALTHY

PAGE = "coach/health.html"


def chosen_cycle(request: HttpRequest, organization: Organization) -> Cycle | None:
    """`?cycle=CODE` (404 for a code of no cycle here), else the cycle people work in now."""
    code = request.GET.get("cycle")
    return get_cycle(organization, code) if code else current_cycle(organization)


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "nav": "coach",
        "grade_healthy": GRADE_HEALTHY,
        "grade_attention": GRADE_ATTENTION,
        **extra,
    }


@require_safe
def health(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if not can_see_org_health(access, company_unit_id(organization)):
        raise PermissionDenied(_("The organization's health check is for admins."))
    cycle = chosen_cycle(request, organization)
    context = _context(
        org=organization,
        access=access,
        cycle=cycle,
        cycles=cycles_of(organization),
        unit=None,
        report=org_health(organization, cycle),
    )
    return render(request, PAGE, context, partial="report")


@require_safe
def health_unit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    if not can_see_unit_health(access, unit):
        raise PermissionDenied(_("A unit's health check is for admins and the unit's leads."))
    cycle = chosen_cycle(request, organization)
    context = _context(
        org=organization,
        access=access,
        cycle=cycle,
        cycles=cycles_of(organization),
        unit=unit,
        report=unit_health(organization, unit, cycle),
        may_see_org=can_see_org_health(access, company_unit_id(organization)),
    )
    return render(request, PAGE, context, partial="report")
