"""The pages people browse: home, their organizations, the company page and unit pages.

Each page runs a fixed number of queries whatever the size of the organization: the
objectives of a cycle come with their key results from one selector call, and everything the
templates show (statuses, roll-ups, breadcrumbs, counts) is worked out here in Python.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tenfold.lib.progress import elapsed_fraction, weighted_mean
from tenfold.okrs.models import Cycle, Level, Objective
from tenfold.okrs.selectors import (
    alignment_tree,
    annotate_statuses,
    current_cycle,
    cycles_of,
    get_cycle,
    objectives_for_cycle,
    organization_today,
)
from tenfold.organizations.models import Membership, Organization, Unit, UnitMember
from tenfold.organizations.selectors import get_unit, memberships_of, unit_tree, units_of

from ..shortcuts import org_access, render


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the person's week in the organization they work in; a choice only when
    there is more than one."""
    memberships = list(memberships_of(request.user))
    slugs = [m.organization.slug for m in memberships]
    remembered = request.session.get("org")
    if remembered in slugs:
        return redirect("my_week", org=remembered)
    if len(slugs) == 1:
        return redirect("my_week", org=slugs[0])
    return _org_list(request, memberships, "web/home.html")


@require_safe
def org_list(request: HttpRequest) -> HttpResponse:
    return _org_list(request, list(memberships_of(request.user)), "web/org_list.html")


def _org_list(request: HttpRequest, memberships: list[Membership], template: str) -> HttpResponse:
    # Handing the list to the template spares the top bar's switcher its own query.
    context = {"memberships": memberships, "my_memberships": memberships}
    return render(request, template, context)


@require_safe
def company(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = _chosen_cycle(request, organization)
    units = unit_tree(organization)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "company",
        "cycle": cycle,
        "cycles": cycles_of(organization),
        "units": units,
        "tree": [],
        "objective_count": 0,
        "overall": None,
    }
    if cycle is not None:
        objectives = objectives_for_cycle(access, cycle)
        _annotate(objectives, cycle, organization)
        company_level = [o for o in objectives if o.level == Level.COMPANY]
        per_unit = Counter(o.unit_id for o in objectives)
        for unit, _depth in units:
            unit.objective_count = per_unit.get(unit.id, 0)  # type: ignore[attr-defined]
        context.update(
            tree=alignment_tree(objectives),
            objective_count=len(objectives),
            company_objective_count=len(company_level),
            overall=(
                weighted_mean((o.progress, Decimal(1)) for o in company_level)
                if company_level
                else None
            ),
            expected=_expected_today(cycle),
        )
    return render(request, "web/company.html", context, partial="cycle")


@require_safe
def unit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    the_unit = get_unit(organization, code)
    units = units_of(organization)
    by_id = {u.id: u for u in units}
    ancestors: list[Unit] = []
    parent_id = the_unit.parent_id
    while parent_id is not None and parent_id in by_id and len(ancestors) < len(units):
        ancestors.insert(0, by_id[parent_id])
        parent_id = by_id[parent_id].parent_id
    members = list(
        UnitMember.objects.filter(unit=the_unit)
        .select_related("user")
        .order_by("-is_lead", "user__name", "user__email")
    )
    cycle = _chosen_cycle(request, organization)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "unit": the_unit,
        "ancestors": ancestors,
        "sub_units": [u for u in units if u.parent_id == the_unit.id],
        "leads": [m.user for m in members if m.is_lead],
        "members": [m.user for m in members if not m.is_lead],
        "can_create": access.can_create_in_unit(the_unit.id, the_unit.kind),
        "cycle": cycle,
        "cycles": cycles_of(organization),
        "objectives": [],
    }
    if cycle is not None:
        visible = objectives_for_cycle(access, cycle)
        _annotate(visible, cycle, organization)
        mine = [o for o in visible if o.unit_id == the_unit.id]
        _attach_parents(mine, visible)
        context["objectives"] = mine
    return render(request, "web/unit.html", context, partial="cycle")


def _chosen_cycle(request: HttpRequest, organization: Organization) -> Cycle | None:
    code = request.GET.get("cycle")
    cycle = get_cycle(organization, code) if code else current_cycle(organization)
    if cycle is not None:
        # Statuses read the organization's thresholds through the cycle; share the instance
        # we already hold instead of fetching it again for every key result.
        cycle.organization = organization
    return cycle


def _expected_today(cycle: Cycle) -> Decimal:
    return elapsed_fraction(cycle.start, cycle.end, organization_today(cycle.organization))


def _annotate(objectives: list[Objective], cycle: Cycle, organization: Organization) -> None:
    cycle.organization = organization
    annotate_statuses(objectives, cycle)


def _attach_parents(objectives: list[Objective], visible: list[Objective]) -> None:
    """`aligned_to`: the objectives each one contributes to, limited to those the viewer may
    see, so a private parent's title never leaks through its child."""
    by_id = {o.id: o for o in visible}
    kr_objective = {kr.id: o.id for o in visible for kr in o.krs}  # type: ignore[attr-defined]
    for objective in objectives:
        parents: list[Objective] = []
        for link in objective.parent_links.all():
            parent_id = link.parent_objective_id or kr_objective.get(link.parent_key_result_id)
            parent = by_id.get(parent_id) if parent_id else None
            if parent is not None and parent.id != objective.id and parent not in parents:
                parents.append(parent)
        objective.aligned_to = parents  # type: ignore[attr-defined]
