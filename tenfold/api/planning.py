"""API endpoints for planning: the board of a cycle, proposing, approving and returning
proposals, and the approval queue. The same rules as the web pages, from `okrs.planning`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tenfold.okrs import planning as plans
from tenfold.okrs.selectors import get_cycle, get_objective

from .schemas import CycleOut, ErrorOut, PersonOut, UnitRef
from .views import person, scoped

router: Router = Router(tags=["planning"])


class PlanKeyResultOut(Schema):
    code: str
    title: str


class ProposalCardOut(Schema):
    code: str
    title: str
    description: str = Field(description="Why it matters")
    cycle: str = Field(description="Code of the cycle")
    level: str
    type: str
    state: str = Field(description="draft, proposed, approved, active or closed")
    unit: UnitRef | None
    lead: PersonOut | None
    key_results: list[PlanKeyResultOut]
    aligned_to: list[str] = Field(description="Codes of the objectives or key results it supports")
    backlog: bool = Field(description="A draft nobody has proposed yet")
    returned: bool = Field(description="A proposal sent back to the team, now a draft again")
    proposed_by: PersonOut | None
    proposed_at: dt.datetime | None
    comments: int
    may_propose: bool
    may_approve: bool
    may_return: bool
    may_activate: bool
    approval_refused: str = Field(
        "", description="Why the caller, who approves for this unit, may not approve this one"
    )


class CompanyObjectiveOut(Schema):
    code: str
    title: str
    description: str = Field(description="Why it matters, written by leadership")
    state: str
    comments: int


class BoardRowOut(Schema):
    supports: str | None = Field(
        description=(
            "Code of the company objective these objectives support; null for objectives "
            "aligned outside the cycle (`aligned_elsewhere`) or to nothing"
        )
    )
    aligned_elsewhere: bool = False
    objectives: list[ProposalCardOut]


class LaneOut(Schema):
    unit: UnitRef
    may_create: bool = Field(description="Whether the caller may draft an objective for it")
    rows: list[BoardRowOut]
    backlog: list[ProposalCardOut]


class BoardOut(Schema):
    cycle: CycleOut
    approval_required: bool
    company_objectives: list[CompanyObjectiveOut]
    units: list[LaneOut]


class ReturnIn(Schema):
    comment: str = Field(
        description="What the team should change; posted on the objective's comment thread"
    )


def card_out(card: plans.Card) -> dict[str, Any]:
    objective = card.objective
    unit = objective.unit
    proposal = card.proposal
    return {
        "code": objective.code,
        "title": objective.title,
        "description": objective.description,
        "cycle": objective.cycle.code,
        "level": objective.level,
        "type": objective.type,
        "state": objective.state,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "lead": person(objective.lead),
        "key_results": [{"code": kr.code, "title": kr.title} for kr in objective.key_results.all()],
        "aligned_to": [getattr(link.parent, "code", "") for link in objective.parent_links.all()],
        "backlog": card.in_backlog,
        "returned": card.returned,
        "proposed_by": person(proposal.proposed_by) if proposal else None,
        "proposed_at": proposal.proposed_at if proposal else None,
        "comments": card.comments,
        "may_propose": card.can_propose,
        "may_approve": card.can_approve,
        "may_return": card.can_return,
        "may_activate": card.can_activate,
        "approval_refused": card.refusal,
    }


@router.get(
    "/orgs/{org}/planning",
    response=BoardOut,
    summary="The planning board of a cycle",
)
def planning_board(request: HttpRequest, org: str, cycle: str | None = None) -> dict[str, Any]:
    """Company objectives with their why, and per team or department its objectives by the
    company objective they support, and its backlog. `cycle` is a cycle code; by default the
    cycle being planned (the earliest in planning, else the current one)."""
    organization, access = scoped(request, org)
    chosen = get_cycle(organization, cycle) if cycle else plans.planning_cycle(organization)
    if chosen is None:
        raise Http404
    board = plans.planning_board(access, organization, chosen)
    return {
        "cycle": chosen,
        "approval_required": board.approval_required,
        "company_objectives": [
            {
                "code": card.code,
                "title": card.objective.title,
                "description": card.objective.description,
                "state": card.objective.state,
                "comments": card.comments,
            }
            for card in board.company
        ],
        "units": [
            {
                "unit": {"code": lane.unit.code, "name": lane.unit.name, "kind": lane.unit.kind},
                "may_create": lane.can_create,
                "rows": [
                    {
                        "supports": row.card.code if row.card else None,
                        "aligned_elsewhere": row.key == plans.ELSEWHERE,
                        "objectives": [card_out(card) for card in cell],
                    }
                    for row, cell in zip(board.rows, lane.cells, strict=True)
                    if cell
                ],
                "backlog": [card_out(card) for card in lane.backlog],
            }
            for lane in board.lanes
        ],
    }


def _after(request: HttpRequest, org: str, code: str, action: str) -> dict[str, Any]:
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    if action == "propose":
        plans.proposal_submit(access=access, objective=objective, by=request.user)
    elif action == "approve":
        plans.proposal_approve(access=access, objective=objective, by=request.user)
    else:
        plans.plan_activate(access=access, objective=objective, by=request.user)
    return _card(access, organization, code)


def _card(access: Any, organization: Any, code: str) -> dict[str, Any]:
    objective = get_objective(access, code)
    objective.organization = organization
    return card_out(plans.plan_card(access, objective))


WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.post(
    "/orgs/{org}/objectives/{code}/propose",
    response={200: ProposalCardOut, **WRITE_ERRORS},
    summary="Propose a team's draft for approval",
)
def objective_propose(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    return _after(request, org, code, "propose")


@router.post(
    "/orgs/{org}/objectives/{code}/approve",
    response={200: ProposalCardOut, **WRITE_ERRORS},
    summary="Approve a proposal (a lead of the unit above, or an admin)",
)
def objective_approve(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Refused with 403 when the caller proposed it for a team they belong to: approval takes
    a second person (admins excepted)."""
    return _after(request, org, code, "approve")


@router.post(
    "/orgs/{org}/objectives/{code}/return",
    response={200: ProposalCardOut, **WRITE_ERRORS},
    summary="Send a proposal back to its team with a comment",
)
def objective_return(
    request: HttpRequest, org: str, code: str, payload: ReturnIn
) -> dict[str, Any]:
    organization, access = scoped(request, org)
    objective = get_objective(access, code)
    plans.proposal_return(
        access=access, objective=objective, comment=payload.comment, by=request.user
    )
    return _card(access, organization, code)


@router.post(
    "/orgs/{org}/objectives/{code}/activate",
    response={200: ProposalCardOut, **WRITE_ERRORS},
    summary="Activate an approved objective, or a draft where no approval is needed",
)
def objective_activate(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    return _after(request, org, code, "activate")


@router.get(
    "/orgs/{org}/approvals",
    response=list[ProposalCardOut],
    summary="Proposals waiting for the caller's approval",
)
def list_approvals(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    """Empty for people who approve nothing (and when the organization has approval off)."""
    organization, access = scoped(request, org)
    return [card_out(card) for card in plans.approval_queue(access, organization)]
