"""API endpoints for carrying objectives into another cycle, and duplicating one.

Like the rest of the API: a scoped fetch, the services of `tenfold.okrs.carryover` (which
check who may act and refuse bad requests), and the answer. Refusals become the one error
shape through the handlers in `views`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.okrs.carryover import (
    Selection,
    carry_over_objectives,
    carry_over_plan,
    duplicate_objective,
)
from tenfold.okrs.models import Cycle, KeyResult
from tenfold.okrs.selectors import get_cycle, get_objective, visible_objectives
from tenfold.organizations.models import Organization

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["carry-over"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class CarrySelectionIn(Schema):
    code: str = Field(description="Code of an objective of the source cycle")
    key_results: list[str] | None = Field(
        None,
        description=(
            "Codes of the key results to carry. Omitted or null: every key result that has not "
            "reached its target (the others are listed as left behind). An empty list carries "
            "the objective alone."
        ),
    )


class CarryOverIn(Schema):
    target: str = Field(description="Code of the cycle to carry into (being planned or active)")
    objectives: list[CarrySelectionIn] = Field(min_length=1)
    dry_run: bool = Field(False, description="Only answer what would be created")


class CarriedKeyResultOut(Schema):
    carried_from: str = Field(description="Code of the original key result")
    code: str | None = Field(description="Code of the copy; null in a dry run")
    title: str
    kind: str
    start: Decimal | None = Field(description="The original's last value (from-to kinds)")
    current: Decimal | None
    target: Decimal


class CarriedObjectiveOut(Schema):
    carried_from: str = Field(description="Code of the original objective")
    code: str | None = Field(description="Code of the copy; null in a dry run")
    title: str
    state: str | None = Field(description="State of the copy; null in a dry run")
    key_results: list[CarriedKeyResultOut]
    key_results_left_behind: list[str] = Field(
        description="Codes of key results not carried because they reached their target"
    )
    links_left_behind: list[str] = Field(
        description="Titles of parents whose alignment was not carried (they were not carried)"
    )


class CarryOverOut(Schema):
    source: str
    target: str
    dry_run: bool
    objectives: list[CarriedObjectiveOut]


class DuplicateIn(Schema):
    target: str = Field(description="Code of the cycle to copy into (any cycle not closed)")


class DuplicateKeyResultOut(Schema):
    code: str
    title: str
    kind: str
    start: Decimal | None
    target: Decimal


class DuplicateOut(Schema):
    code: str = Field(description="Code of the new objective")
    copied_from: str = Field(description="Code of the objective it copies")
    title: str
    cycle: str
    state: str
    key_results: list[DuplicateKeyResultOut]


# --- helpers ----------------------------------------------------------------------------------


def _cycle(organization: Organization, code: str, field: str) -> Cycle:
    cycle = Cycle.objects.filter(organization=organization, code=code).first()
    if cycle is None:
        raise ValidationError({field: _("No cycle has the code “%(code)s”.") % {"code": code}})
    return cycle


def _selections(access: Any, cycle: Cycle, payload: CarryOverIn) -> list[Selection]:
    codes = [item.code for item in payload.objectives]
    found = {
        o.code: o
        for o in visible_objectives(access)
        .filter(cycle=cycle, code__in=codes)
        .select_related("organization", "cycle", "unit", "lead", "owner_person")
    }
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(
            {
                "objectives": _("No objective of %(cycle)s has the code %(codes)s.")
                % {"cycle": cycle.name, "codes": ", ".join(f"“{c}”" for c in missing)}
            }
        )
    wanted = {code for item in payload.objectives for code in item.key_results or []}
    krs: dict[str, KeyResult] = {
        kr.code: kr
        for kr in KeyResult.objects.filter(
            organization_id=cycle.organization_id, objective__in=found.values(), code__in=wanted
        )
    }
    unknown = sorted(wanted - krs.keys())
    if unknown:
        raise ValidationError(
            {
                "key_results": _("No chosen objective has a key result %(codes)s.")
                % {"codes": ", ".join(f"“{c}”" for c in unknown)}
            }
        )
    return [
        Selection(
            found[item.code],
            None if item.key_results is None else [krs[code] for code in item.key_results],
        )
        for item in payload.objectives
    ]


# --- endpoints --------------------------------------------------------------------------------


@router.post(
    "/orgs/{org}/cycles/{code}/carry-over",
    response={200: CarryOverOut, 201: CarryOverOut, **ERRORS},
    summary="Carry objectives into another cycle",
    url_name="cycle_carry_over",
)
def cycle_carry_over(
    request: HttpRequest, org: str, code: str, payload: CarryOverIn
) -> Status[dict[str, Any]]:
    """Copy the chosen objectives of cycle `code`, with the chosen key results, into `target`.
    Each copy links back to its original; a carried key result starts at the value the
    original ended at. All or nothing: refused (400) when the target is closed or the same
    cycle, when an objective was already carried there, or when a named key result already
    reached its target; 403 for objectives the caller may not edit. `dry_run` answers what
    would be created (200) and writes nothing."""
    organization, access = scoped(request, org)
    source = get_cycle(organization, code)
    if not access.can_write:
        raise PermissionDenied(_("Viewers can read objectives but not carry them over."))
    target = _cycle(organization, payload.target, "target")
    selections = _selections(access, source, payload)
    if payload.dry_run:
        plan = carry_over_plan(
            source_cycle=source, target_cycle=target, selections=selections, access=access
        )
        items = [
            {
                "carried_from": item.original.code,
                "code": None,
                "title": item.original.title,
                "state": None,
                "key_results": [
                    {
                        "carried_from": planned.original.code,
                        "code": None,
                        "title": planned.original.title,
                        "kind": planned.original.kind,
                        "start": planned.start,
                        "current": planned.current,
                        "target": planned.original.target,
                    }
                    for planned in item.key_results
                ],
                "key_results_left_behind": [kr.code for kr in item.left_behind],
                "links_left_behind": item.dropped_links,
            }
            for item in plan.objectives
        ]
        body = {"source": source.code, "target": target.code, "dry_run": True, "objectives": items}
        return Status(200, body)
    results = carry_over_objectives(
        source_cycle=source,
        target_cycle=target,
        selections=selections,
        by=request.user,
        access=access,
    )
    items = [
        {
            "carried_from": result.original.code,
            "code": result.copy.code,
            "title": result.copy.title,
            "state": result.copy.state,
            "key_results": [
                {
                    "carried_from": original.code,
                    "code": copy.code,
                    "title": copy.title,
                    "kind": copy.kind,
                    "start": copy.start,
                    "current": copy.current,
                    "target": copy.target,
                }
                for original, copy in result.key_results
            ],
            "key_results_left_behind": [kr.code for kr in result.left_behind],
            "links_left_behind": result.dropped_links,
        }
        for result in results
    ]
    body = {"source": source.code, "target": target.code, "dry_run": False, "objectives": items}
    return Status(201, body)


@router.post(
    "/orgs/{org}/objectives/{code}/duplicate",
    response={201: DuplicateOut, **ERRORS},
    summary="Duplicate an objective",
    url_name="duplicate_objective",
)
def objective_duplicate(
    request: HttpRequest, org: str, code: str, payload: DuplicateIn
) -> Status[dict[str, Any]]:
    """A fresh copy of the objective and all its key results (from their original start, not
    measured yet) in `target`, the same or another cycle that is not closed. The copy is not
    linked to the original and is not aligned."""
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied(_("You may not duplicate this objective."))
    target = _cycle(organization, payload.target, "target")
    copy = duplicate_objective(
        objective=objective, target_cycle=target, by=request.user, access=access
    )
    krs = copy.key_results.order_by("order", "id")
    return Status(
        201,
        {
            "code": copy.code,
            "copied_from": objective.code,
            "title": copy.title,
            "cycle": target.code,
            "state": copy.state,
            "key_results": [
                {
                    "code": kr.code,
                    "title": kr.title,
                    "kind": kr.kind,
                    "start": kr.start,
                    "target": kr.target,
                }
                for kr in krs
            ],
        },
    )
