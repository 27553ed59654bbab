"""The example library pages: browse and search good OKRs, read one with why it is good, and
start a draft objective from it.

Parse → authorize → call a service → render. Everyone in the organization reads the library;
using an example is a write (POST only) that viewers are refused with 403, whoever hides the
button. The search answers htmx with the results fragment only (`library.html#results`), and
works as a plain GET form without JavaScript.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.coach import semantic_help
from tenfold.okrs.models import Cycle, CycleKind, CycleState, Level
from tenfold.okrs.selectors import cycles_of, organization_today
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree
from tenfold.web.shortcuts import apply_errors, org_access, render

from .library import Example, example, functions, search
from .library.forms import UseExampleForm
from .library.search import MAX_QUERY
from .library.services import USABLE_CYCLE_STATES, example_use

LIST = "coach/library.html"
DETAIL = "coach/library_example.html"


def _example_or_404(slug: str) -> Example:
    found = example(slug)
    if found is None:
        raise Http404
    return found


@require_safe
def library(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    labels = dict(functions())
    chosen = request.GET.get("function", "").strip()
    chosen = chosen if chosen in labels else ""
    matches = search(query)  # every function: the chips count what the query finds in each
    counts = Counter(item.function for item in matches)
    shown = [item for item in matches if not chosen or item.function == chosen]
    context = {
        "org": organization,
        "access": access,
        "nav": "coach",
        "query": query,
        "chosen": chosen,
        "chosen_label": labels.get(chosen, ""),
        "chips": [(key, label, counts.get(key, 0)) for key, label in labels.items()],
        "total": len(matches),
        "results": shown,
    }
    return render(request, LIST, context, partial="results")


# --- using an example -------------------------------------------------------------------------


def _creatable_units(
    organization: Organization, access: Access
) -> tuple[list[Any], dict[str, Unit]]:
    """The (unit, depth) pairs the person may create objectives in, and every unit by code."""
    tree = unit_tree(organization)
    allowed = [
        (unit, depth) for unit, depth in tree if access.can_create_in_unit(unit.id, unit.kind)
    ]
    return allowed, {unit.code: unit for unit, _depth in tree}


def _open_cycles(organization: Organization) -> tuple[list[Cycle], dict[str, Cycle], Cycle | None]:
    """Cycles an example may be used in (active first, then those being planned), every cycle
    by code, and the one to offer first: the active cycle around today if there is one."""
    every = cycles_of(organization)
    today = organization_today(organization)
    usable = sorted(
        (c for c in every if c.state in USABLE_CYCLE_STATES),
        key=lambda c: (c.state != CycleState.ACTIVE, c.kind == CycleKind.YEAR, c.start),
    )
    default = next(
        (c for c in usable if c.state == CycleState.ACTIVE and c.start <= today <= c.end),
        usable[0] if usable else None,
    )
    return usable, {c.code: c for c in every}, default


def _default_unit(access: Access, units: list[Any]) -> str | None:
    """The person's own team first, then a unit they lead, then the first they may use."""
    for wanted in (
        lambda u: u.kind == UnitKind.TEAM and u.id in access.member_unit_ids,
        lambda u: u.id in access.led_unit_ids,
        lambda u: True,
    ):
        found = next((unit for unit, _depth in units if wanted(unit)), None)
        if found is not None:
            return str(found.code)
    return None


def _use_form(
    organization: Organization, access: Access, item: Example, data: Any = None
) -> UseExampleForm | None:
    """The form to use `item`, or None when the person may not use it at all."""
    if not access.can_write:
        return None
    personal = item.level == Level.PERSONAL
    units, all_units = _creatable_units(organization, access)
    if not personal and not units:
        return None
    cycles, all_cycles, default = _open_cycles(organization)
    return UseExampleForm(
        data,
        units=units,
        cycles=cycles,
        all_units=all_units,
        all_cycles=all_cycles,
        personal=personal,
        initial={
            "unit": _default_unit(access, units),
            "cycle": default.code if default else None,
        },
        auto_id="use-%s",
    )


def _detail(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    item: Example,
    form: UseExampleForm | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "org": organization,
        "access": access,
        "nav": "coach",
        "example": item,
        "form": form,
        "has_cycles": bool(form is not None and form.fields["cycle"].widget.choices),
        "similar": semantic_help.similar_examples(
            f"{item.title}. {item.description}", exclude=item.slug
        ),
    }
    return render(request, DETAIL, context, status=status)


@require_safe
def library_example(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    item = _example_or_404(code)
    return _detail(request, organization, access, item, _use_form(organization, access, item))


@require_POST
def library_example_use(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    item = _example_or_404(code)
    form = _use_form(organization, access, item, request.POST)
    if form is None:
        raise PermissionDenied(_("You may not create objectives in this organization."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            objective = example_use(
                example=item,
                access=access,
                unit=data.get("unit"),
                cycle=data["cycle"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Draft objective created from the example, with %(count)d key results. "
                    "Make it your team's own: adjust the numbers to your starting point, then "
                    "propose it."
                )
                % {"count": len(item.key_results)},
            )
            return redirect(
                reverse("objective", kwargs={"org": organization.slug, "code": objective.code})
            )
    return _detail(request, organization, access, item, form, status=400)
