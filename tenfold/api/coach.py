"""API endpoints of the coach: check a text draft (an objective with its key results, or one key
result), read the findings on a stored objective or on a whole cycle, and ask the semantic help
for an objective's likely parents.

The findings are the same as on the pages and in `tenfold coach`: they come from
`tenfold.coach.services`, which runs the rules of `tenfold.lib.coach`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.coach import semantic_help
from tenfold.coach.okrfile import KINDS, LEVELS, TYPES
from tenfold.coach.services import (
    advice_data,
    coach_context,
    counts,
    cycle_advice,
    finding_data,
    objective_advice,
    ordered,
)
from tenfold.lib.coach import (
    KeyResultText,
    ObjectiveText,
    check_key_result,
    check_objective,
)
from tenfold.okrs.models import CycleState
from tenfold.okrs.selectors import current_cycle, get_cycle, get_objective

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Coach"])

TEXT_LIMIT = 5_000


class FindingOut(Schema):
    rule: str
    severity: str = Field(description="info, warning or problem")
    message: str
    why: str
    suggestion: str
    rewrite: str = Field(description="a ready-to-use wording, or empty")
    field: str
    subject: str


class KeyResultDraftIn(Schema):
    title: str = Field(max_length=TEXT_LIMIT)
    kind: str | None = None
    start: Decimal | None = None
    target: Decimal | None = None
    unit: str = Field("", max_length=30)
    aspirational: bool = False


class ObjectiveDraftIn(Schema):
    title: str = Field(max_length=TEXT_LIMIT)
    description: str = Field("", max_length=TEXT_LIMIT)
    level: str = "team"
    type: str = "committed"
    key_results: list[KeyResultDraftIn] | None = Field(None, max_length=50)
    aligned: bool | None = None


class CheckIn_(Schema):
    objective: ObjectiveDraftIn | None = None
    key_result: KeyResultDraftIn | None = None


class KeyResultFindingsOut(Schema):
    title: str
    code: str = ""
    findings: list[FindingOut]


class CheckOut(Schema):
    needs_work: bool
    counts: dict[str, int]
    findings: list[FindingOut]
    key_results: list[KeyResultFindingsOut]


class ObjectiveCoachOut(CheckOut):
    code: str
    title: str


class UnitCoachOut(Schema):
    unit: str
    findings: list[FindingOut]
    objectives: list[ObjectiveCoachOut]


class CycleCoachOut(Schema):
    cycle: str
    first_cycle: bool
    counts: dict[str, int]
    findings: list[FindingOut]
    units: list[UnitCoachOut]


class ParentOut(Schema):
    kind: str = Field(description="objective or key_result")
    code: str
    title: str
    score: float


class ParentsOut(Schema):
    enabled: bool
    reason: str
    parents: list[ParentOut]


def _kr_text(kr: KeyResultDraftIn) -> KeyResultText:
    if kr.kind is not None and kr.kind not in KINDS:
        raise ValidationError({"kind": _("Use one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}})
    return KeyResultText(
        title=kr.title,
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
        unit=kr.unit,
        aspirational=kr.aspirational,
    )


@router.post(
    "/orgs/{org}/coach/check",
    response={200: CheckOut, 400: ErrorOut, 404: ErrorOut},
    summary="Check a draft objective or key result",
)
def check_draft(request: HttpRequest, org: str, payload: CheckIn_) -> dict[str, Any]:
    """Send `objective` (with its `key_results`, if known) or a single `key_result`; nothing
    is stored. The answer lists the findings, problems first."""
    organization, _access = scoped(request, org)
    context = coach_context(organization)
    if (payload.objective is None) == (payload.key_result is None):
        raise ValidationError(_("Send either “objective” or “key_result”."))
    if payload.key_result is not None:
        found = ordered(check_key_result(_kr_text(payload.key_result), context=context))
        return {
            "needs_work": counts(found)["problem"] + counts(found)["warning"] > 0,
            "counts": counts(found),
            "findings": [finding_data(f) for f in found],
            "key_results": [],
        }
    draft = payload.objective
    assert draft is not None
    if draft.level not in LEVELS:
        raise ValidationError(
            {"level": _("Use one of: %(levels)s.") % {"levels": ", ".join(LEVELS)}}
        )
    if draft.type not in TYPES:
        raise ValidationError({"type": _("An objective is committed or aspirational.")})
    krs = [_kr_text(kr) for kr in draft.key_results] if draft.key_results is not None else None
    text = ObjectiveText(
        title=draft.title,
        description=draft.description,
        level=draft.level,
        type=draft.type,
        key_results=krs,
        aligned=draft.aligned,
    )
    own = ordered(check_objective(text, context=context, with_key_results=False))
    per_kr = [
        {
            "title": kr.title,
            "findings": [
                finding_data(f)
                for f in ordered(check_key_result(kr, objective=text, context=context))
            ],
        }
        for kr in krs or []
    ]
    everything = own + [
        f for kr in krs or [] for f in check_key_result(kr, objective=text, context=context)
    ]
    tally = counts(everything)
    return {
        "needs_work": tally["problem"] + tally["warning"] > 0,
        "counts": tally,
        "findings": [finding_data(f) for f in own],
        "key_results": per_kr,
    }


def _objective_out(advice: Any) -> dict[str, Any]:
    return advice_data(advice)


@router.get(
    "/orgs/{org}/objectives/{code}/coach",
    response={200: ObjectiveCoachOut, 404: ErrorOut},
    summary="The coach's findings on an objective",
)
def objective_coach(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    objective.organization = organization
    return _objective_out(objective_advice(objective, context=coach_context(organization)))


@router.get(
    "/orgs/{org}/coach",
    response={200: CycleCoachOut, 404: ErrorOut},
    summary="The coach's review of a cycle",
)
def cycle_coach(request: HttpRequest, org: str, cycle: str | None = None) -> dict[str, Any]:
    """Every objective the caller can see in the cycle (default: the current one), with the
    organization's and each unit's set-level findings."""
    organization, access = scoped(request, org)
    found = get_cycle(organization, cycle) if cycle else current_cycle(organization)
    if found is None:
        raise ValidationError(_("This organization has no cycle yet."))
    advice = cycle_advice(access, found)
    return {
        "cycle": found.code,
        "first_cycle": advice.first_cycle,
        "counts": advice.counts,
        "findings": [finding_data(f) for f in advice.findings],
        "units": [
            {
                "unit": unit.unit.code if unit.unit else "",
                "findings": [finding_data(f) for f in unit.findings],
                "objectives": [_objective_out(o) for o in unit.objectives],
            }
            for unit in advice.units
        ],
    }


@router.get(
    "/orgs/{org}/objectives/{code}/likely-parents",
    response={200: ParentsOut, 404: ErrorOut},
    summary="Likely parents of an objective (semantic help)",
)
def objective_likely_parents(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """`enabled` is false, with the reason, when the server runs without the semantic model."""
    _organization, access = scoped(request, org)
    objective = get_objective(access, code)
    if not semantic_help.available():
        return {"enabled": False, "reason": semantic_help.reason(), "parents": []}
    if objective.cycle.state == CycleState.CLOSED:
        return {"enabled": True, "reason": "", "parents": []}
    found = semantic_help.likely_parents(access, objective)
    return {
        "enabled": True,
        "reason": "",
        "parents": [semantic_help.parent_data(s) for s in found],
    }
