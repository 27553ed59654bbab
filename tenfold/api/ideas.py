"""API endpoints for the ideas board: list and add ideas, read one with its comments, vote and
take a vote back, comment, and turn an idea into a draft objective.

Like the rest of the API: a scoped fetch, the access rules of `tenfold.ideas.selectors` (the same
as the web pages), a call to a service in `tenfold.ideas.services`, and the answer. Refusals
become the one error shape through the handlers in `views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.ideas import services
from tenfold.ideas.models import IdeaStatus, Question
from tenfold.ideas.selectors import (
    SORTS,
    STATUSES,
    Filters,
    comment_data,
    comments_of,
    default_cycle,
    get_idea,
    idea_data,
    ideas_for,
)
from tenfold.okrs.models import Cycle, CycleState
from tenfold.organizations.models import Organization, Unit

from .paging import PageIn, paginate
from .schemas import ErrorOut, PersonOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Ideas"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
QUESTION_KEYS = ", ".join(Question.values)


# --- shapes -----------------------------------------------------------------------------------


class CycleRef(Schema):
    code: str
    name: str


class IdeaOut(Schema):
    code: str
    question: str = Field(description=f"Which of the four questions it answers: {QUESTION_KEYS}")
    question_text: str = Field(description="The question, in the caller's language")
    text: str
    details: str
    status: str = Field(description="open, promoted (became an objective) or archived")
    author: PersonOut | None
    unit: UnitRef | None = Field(description="The unit it is for; null for the whole organization")
    cycle: CycleRef | None = Field(description="The cycle it is for; null for none in particular")
    votes: int
    voted: bool = Field(description="Whether the caller voted for it")
    comment_count: int
    promoted_to: str | None = Field(
        description="Code of the objective it became, when the caller may see that objective"
    )
    created_at: dt.datetime
    updated_at: dt.datetime


class IdeaCommentOut(Schema):
    code: str
    body: str
    author: PersonOut | None
    created_at: dt.datetime
    edited_at: dt.datetime | None


class IdeaDetailOut(IdeaOut):
    comments: list[IdeaCommentOut] = Field(description="Every comment, oldest first")


class IdeaIn(Schema):
    question: str = Field(description=f"One of: {QUESTION_KEYS}")
    text: str = Field(description="The idea, up to 2,000 characters")
    details: str = ""
    unit: str | None = Field(None, description="Code of the unit it is for; leave out for none")
    cycle: str | None = Field(
        None,
        description=(
            "Code of the cycle it is for. Leave out for the default (the next cycle in "
            "planning, else the active one); null for no particular cycle"
        ),
    )


class VoteOut(Schema):
    idea: str = Field(description="The idea's code")
    votes: int
    voted: bool = Field(description="Whether the caller now votes for it")


class IdeaCommentIn(Schema):
    body: str = Field(description="The comment, up to 2,000 characters")


class PromoteIn(Schema):
    unit: str = Field(description="Code of the unit the objective is for")
    cycle: str | None = Field(
        None,
        description=(
            "Code of the cycle; leave out for the idea's own cycle when still open, else the "
            "next cycle in planning or the active one"
        ),
    )


class PromoteOut(Schema):
    objective: str = Field(description="The objective's code; GET /orgs/{org}/objectives/{code}")
    title: str
    description: str
    state: str = Field(description="Always draft")
    cycle: str = Field(description="The cycle's code")
    unit: UnitRef
    idea: str = Field(description="The idea's code")


# --- helpers ----------------------------------------------------------------------------------


def _unit(organization: Organization, code: str | None, field: str = "unit") -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(organization=organization, code=code.strip().lower()).first()
    if unit is None:
        raise ValidationError({field: _("No unit of this organization has that code.")})
    return unit


def _cycle(organization: Organization, code: str | None, field: str = "cycle") -> Cycle | None:
    if not code:
        return None
    cycle = Cycle.objects.filter(organization=organization, code=code.strip().lower()).first()
    if cycle is None:
        raise ValidationError({field: _("No cycle of this organization has that code.")})
    return cycle


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/ideas",
    response={200: list[IdeaOut], 400: ErrorOut},
    summary="Ideas of the board",
)
def list_ideas(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[PageIn],
    sort: str = "votes",
    status: str = IdeaStatus.OPEN.value,
    question: str | None = None,
    unit: str | None = None,
    cycle: str | None = None,
) -> list[dict[str, Any]]:
    """Ideas in one status (default: open), most votes first (`sort=votes`) or newest first
    (`sort=new`), optionally only those answering one `question`, for one `unit` or for one
    `cycle` (codes). Each says how many votes and comments it has and whether the caller voted
    for it."""
    organization, access = scoped(request, org)
    errors: dict[str, list[str]] = {}
    if sort not in SORTS:
        errors["sort"] = [_("Sort by “votes” or “new”.")]
    if status not in STATUSES:
        errors["status"] = [_("Choose open, promoted or archived.")]
    if question and question not in Question.values:
        errors["question"] = [_("Choose one of: %(keys)s.") % {"keys": QUESTION_KEYS}]
    if errors:
        raise ValidationError(errors)
    filters = Filters(
        sort=sort,
        status=status,
        question=question or "",
        unit=_unit(organization, unit),
        cycle=_cycle(organization, cycle),
    )
    rows = paginate(request, response, ideas_for(access, filters), page)
    return [idea_data(access, idea) for idea in rows]


@router.post("/orgs/{org}/ideas", response={201: IdeaOut, **WRITE_ERRORS}, summary="Add an idea")
def create_idea(request: HttpRequest, org: str, payload: IdeaIn) -> Status[dict[str, Any]]:
    """Members, leads and admins add ideas; viewers only read the board."""
    organization, access = scoped(request, org)
    cycle: Any = services.DEFAULT
    if "cycle" in payload.model_fields_set:
        cycle = _cycle(organization, payload.cycle)
    idea = services.idea_add(
        access=access,
        question=payload.question,
        text=payload.text,
        details=payload.details,
        unit=_unit(organization, payload.unit),
        cycle=cycle,
    )
    return Status(201, idea_data(access, get_idea(access, idea.code)))


@router.get(
    "/orgs/{org}/ideas/{code}",
    response={200: IdeaDetailOut, 404: ErrorOut},
    summary="One idea with its comments",
)
def get_one_idea(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    idea = get_idea(access, code)
    return {
        **idea_data(access, idea),
        "comments": [comment_data(comment) for comment in comments_of(access, idea)],
    }


@router.post(
    "/orgs/{org}/ideas/{code}/vote",
    response={200: VoteOut, **WRITE_ERRORS},
    summary="Vote for an idea",
)
def vote_idea(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """One vote per person: a second vote is refused (400). Only open ideas take votes."""
    _organization, access = scoped(request, org)
    idea = services.vote_add(access=access, idea=get_idea(access, code))
    return {"idea": idea.code, "votes": idea.vote_count, "voted": True}


@router.delete(
    "/orgs/{org}/ideas/{code}/vote",
    response={200: VoteOut, **WRITE_ERRORS},
    summary="Take a vote back",
)
def unvote_idea(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Refused (400) when the caller has not voted for the idea."""
    _organization, access = scoped(request, org)
    idea = services.vote_remove(access=access, idea=get_idea(access, code))
    return {"idea": idea.code, "votes": idea.vote_count, "voted": False}


@router.post(
    "/orgs/{org}/ideas/{code}/comments",
    response={201: IdeaCommentOut, **WRITE_ERRORS},
    summary="Comment on an idea",
)
def comment_idea(
    request: HttpRequest, org: str, code: str, payload: IdeaCommentIn
) -> Status[dict[str, Any]]:
    _organization, access = scoped(request, org)
    comment = services.comment_add(access=access, idea=get_idea(access, code), body=payload.body)
    return Status(201, comment_data(comment))


@router.post(
    "/orgs/{org}/ideas/{code}/promote",
    response={201: PromoteOut, **WRITE_ERRORS},
    summary="Turn an idea into a draft objective",
)
def promote_idea(
    request: HttpRequest, org: str, code: str, payload: PromoteIn
) -> Status[dict[str, Any]]:
    """A draft objective of `unit` for the cycle, titled after the idea, with the whole idea
    in its description; the idea is marked promoted. Only people who may create objectives in
    the unit may do it (403 otherwise); a closed cycle is refused."""
    organization, access = scoped(request, org)
    idea = get_idea(access, code)
    unit = _unit(organization, payload.unit)
    if payload.cycle:
        cycle = _cycle(organization, payload.cycle)
    elif idea.cycle is not None and idea.cycle.state != CycleState.CLOSED:
        cycle = idea.cycle
    else:
        cycle = default_cycle(organization)
    objective = services.idea_promote(access=access, idea=idea, unit=unit, cycle=cycle)
    assert objective.unit is not None  # promoted ideas always land in a unit
    owner = objective.unit
    return Status(
        201,
        {
            "objective": objective.code,
            "title": objective.title,
            "description": objective.description,
            "state": objective.state,
            "cycle": objective.cycle.code,
            "unit": {"code": owner.code, "name": owner.name, "kind": owner.kind},
            "idea": idea.code,
        },
    )
