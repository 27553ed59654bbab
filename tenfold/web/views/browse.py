"""The pages people browse: home, their organizations, the company page and unit pages.

Each page runs a fixed number of queries whatever the size of the organization: the
objectives of a cycle come with their key results from one selector call, and everything the
templates show (statuses, roll-ups, breadcrumbs, counts) is worked out here in Python.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from tenfold.lib.progress import elapsed_fraction, weighted_mean
from tenfold.okrs.models import Cycle, Objective
from tenfold.okrs.selectors import (
    TreeNode,
    annotate_statuses,
    current_cycle,
    cycle_outline,
    cycles_of,
    get_cycle,
    objectives_for_cycle,
    organization_today,
)
from tenfold.okrs.tree import attach_newest
from tenfold.organizations.models import Membership, Organization, Unit, UnitMember
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit, memberships_of, unit_tree

from ..fragments import Fragment, lazy
from ..shortcuts import cycle_on_demand, org_access, render


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


COMPANY_PAGE_LIMIT = 60
"""Objectives drawn on the company page; the alignment tree opens the rest one level at a time."""

UNIT_LIST_LIMIT = 60
"""Units listed beside them, in tree order."""


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
        "units": units[:UNIT_LIST_LIMIT],
        "unit_total": len(units),
        "tree": [],
        "objective_count": 0,
        "overall": None,
    }
    if cycle is not None:
        outline = cycle_outline(access, cycle, COMPANY_PAGE_LIMIT)
        shown = [node.objective for node in _walk(outline.tree)]
        _annotate(shown, cycle, organization)
        for unit, _depth in units:
            unit.objective_count = outline.per_unit.get(unit.id, 0)  # type: ignore[attr-defined]
        context.update(
            tree=outline.tree,
            objective_count=outline.total,
            objectives_shown=outline.shown,
            company_objective_count=len(outline.company_progress),
            overall=(
                weighted_mean((progress, Decimal(1)) for progress in outline.company_progress)
                if outline.company_progress
                else None
            ),
            expected=_expected_today(cycle),
        )
    return render(request, "web/company.html", context, partial="cycle")


@require_safe
def unit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    the_unit = get_unit(organization, code)
    can_create = access.can_create_in_unit(the_unit.id, the_unit.kind)
    # The same for everyone who may see the same objectives and stands in the same relation
    # to the unit (admin, lead, member): kept, and the rows below read only on a rebuild.
    fragment = Fragment(
        request,
        organization,
        access,
        "unit",
        access.is_admin or the_unit.id in access.led_unit_ids,
        the_unit.id in access.member_unit_ids,
        can_create,
    )
    chosen = cycle_on_demand(request, lambda: _chosen_cycle(request, organization))

    @functools.cache
    def rows() -> dict[str, Any]:
        cycle = chosen()
        # The walk up reads bare ids; only the units the page names are loaded.
        parent_of = dict(
            Unit.objects.filter(organization=organization).values_list("id", "parent_id")
        )
        above: list[int] = []
        parent_id = the_unit.parent_id
        while parent_id is not None and parent_id in parent_of and parent_id not in above:
            above.insert(0, parent_id)
            parent_id = parent_of[parent_id]
        near = list(
            Unit.objects.filter(organization=organization)
            .filter(Q(id__in=above) | Q(parent=the_unit))
            .order_by("order", "name")
        )
        members = list(
            UnitMember.objects.filter(unit=the_unit)
            .select_related("user")
            .order_by("-is_lead", "user__name", "user__email")
        )
        mine: list[Objective] = []
        if cycle is not None:
            mine = objectives_for_cycle(access, cycle, unit=the_unit)
            _annotate(mine, cycle, organization)
            _attach_parents(access, mine, cycle)
        return {
            "ancestors": [u for unit_id in above for u in near if u.id == unit_id],
            "sub_units": [u for u in near if u.parent_id == the_unit.id],
            "leads": [m.user for m in members if m.is_lead],
            "members": [m.user for m in members if not m.is_lead],
            "cycles": cycles_of(organization),
            "objectives": mine,
        }

    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "unit": the_unit,
        "can_create": can_create,
        # Shown only inside the kept part: read only to build it.
        "cycle": lazy(chosen),
    }
    for name in ("ancestors", "sub_units", "leads", "members", "cycles", "objectives"):
        context[name] = lazy(functools.partial(lambda key: rows()[key], name))
    return render(request, "web/unit.html", context, partial="cycle", fragment=fragment)


def _walk(nodes: list[TreeNode]) -> list[TreeNode]:
    found: list[TreeNode] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(node.children))
    return found


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
    # Objectives aligned to these may sit in other units: their newest check-ins count too.
    attach_newest(objectives)
    annotate_statuses(
        objectives,
        cycle,
        newest_below={o.id: o.tree_last for o in objectives},  # type: ignore[attr-defined]
    )


def _attach_parents(access: Access, objectives: list[Objective], cycle: Cycle) -> None:
    """`aligned_to`: the objectives of the same cycle each one contributes to, limited to those
    the viewer may see, so a private parent's title never leaks through its child. Reads the
    prefetched links only."""
    for objective in objectives:
        parents: list[Objective] = []
        for link in objective.parent_links.all():
            parent = link.parent_objective or (
                link.parent_key_result.objective if link.parent_key_result else None
            )
            if (
                parent is not None
                and parent.cycle_id == cycle.id
                and parent.id != objective.id
                and parent not in parents
                and access.can_view_objective(parent)
            ):
                parents.append(parent)
        objective.aligned_to = parents  # type: ignore[attr-defined]
