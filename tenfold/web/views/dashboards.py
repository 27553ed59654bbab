"""The dashboards: the company's for a cycle, a team's, and the page of one person.

Thin views over `tenfold.okrs.dashboards`: a scoped fetch (404 for other organizations and
unknown ids), the selector, a render. Every member of the organization, viewers included,
may open them; what each viewer sees inside follows their access."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from tenfold.okrs.dashboards import (
    LIST_LIMIT,
    QUIET_DAYS,
    STATUS_COLUMNS,
    company_dashboard,
    get_person,
    person_page,
    team_dashboard,
)
from tenfold.okrs.models import Cycle
from tenfold.okrs.selectors import current_cycle, cycles_of, get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.selectors import get_unit, unit_tree

from ..fragments import Fragment, lazy
from ..shortcuts import org_access, render


def _chosen_cycle(request: HttpRequest, organization: Organization) -> Cycle | None:
    """`?cycle=CODE`, else the cycle people work in now (404 for an unknown code)."""
    code = request.GET.get("cycle")
    cycle = get_cycle(organization, code) if code else current_cycle(organization)
    if cycle is not None:
        cycle.organization = organization  # statuses read thresholds through the cycle
    return cycle


@require_safe
def company(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    # The whole company's figures: the same for everyone who may see the same objectives,
    # so built once and kept (tenfold.web.fragments); the values below are computed only
    # when the kept copy cannot be served.
    fragment = Fragment(request, organization, access, "company-dashboard")
    chosen = functools.cache(lambda: _chosen_cycle(request, organization))
    if request.GET.get("cycle"):
        chosen()  # an unknown cycle is a 404, whether a copy is kept or not
    units = lazy(lambda: unit_tree(organization))
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "dashboard",
        "cycle": lazy(chosen),
        "cycles": lazy(lambda: cycles_of(organization)),
        "dash": lazy(
            lambda: (
                company_dashboard(access, organization, cycle, units)
                if (cycle := chosen())
                else None
            )
        ),
        "columns": STATUS_COLUMNS,
        "list_limit": LIST_LIMIT,
        "quiet_days": QUIET_DAYS,
        "has_teams": lazy(lambda: any(unit.parent_id is not None for unit, _depth in units)),
    }
    return render(
        request, "web/dashboard_company.html", context, partial="cycle", fragment=fragment
    )


@require_safe
def team(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    cycle = _chosen_cycle(request, organization)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "unit": unit,
        "cycle": cycle,
        "cycles": cycles_of(organization),
        "dash": team_dashboard(access, organization, unit, cycle),
    }
    return render(request, "web/dashboard_team.html", context, partial="cycle")


@require_safe
def person(request: HttpRequest, org: str, user_id: int) -> HttpResponse:
    organization, access = org_access(request, org)
    membership = get_person(organization, user_id)
    cycle = _chosen_cycle(request, organization)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "cycle": cycle,
        "cycles": cycles_of(organization),
        "page": person_page(access, organization, membership, cycle),
        "is_me": membership.user_id == access.user_id,
    }
    return render(request, "web/dashboard_person.html", context, partial="cycle")
