"""API endpoints for end-of-cycle reviews. Like the rest of API v1: a scoped fetch, the same
rules as the web pages (tenfold.reviews.selectors), the same services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tenfold.okrs.selectors import get_cycle
from tenfold.organizations.permissions import Access
from tenfold.reviews import selectors
from tenfold.reviews.models import Review, ReviewScore
from tenfold.reviews.questions import questions_for
from tenfold.reviews.services import review_submit, review_update, score_adjust

from .paging import PageIn, paginate
from .schemas import ErrorOut, PersonOut, UnitRef
from .views import person, scoped

router: Router = Router(tags=["reviews"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ReviewBriefOut(Schema):
    code: str
    cycle: str = Field(description="Code of the cycle")
    unit: UnitRef | None = Field(description="The unit reviewed; null for the company review")
    state: str = Field(description="draft or submitted")
    scores: int = Field(description="How many objectives and key results it scores")
    adjusted: int = Field(description="How many of those scores were changed by the team")
    submitted_at: dt.datetime | None
    submitted_by: PersonOut | None


class ScoreOut(Schema):
    objective: str | None = Field(None, description="Code of the objective scored")
    key_result: str | None = Field(None, description="Code of the key result scored")
    parent_objective: str = Field(description="The objective it belongs to (itself if one)")
    title: str
    type: str = Field(description="committed or aspirational: which colour bands apply")
    proposed: Decimal = Field(description="Progress rounded to tenths")
    adjusted: Decimal | None = Field(description="The team's score, when it differs")
    final: Decimal
    colour: str = Field(description="green, yellow or red, by the bands of its type")
    reason: str
    adjusted_by: PersonOut | None
    adjusted_at: dt.datetime | None


class QuestionOut(Schema):
    id: str
    group: str
    text: str


class UnitSummaryOut(Schema):
    review: str
    unit: UnitRef
    state: str
    summary: str


class ReviewOut(Schema):
    code: str
    cycle: str
    cycle_name: str
    unit: UnitRef | None
    state: str
    summary: str
    report: str
    learnings: dict[str, str] = Field(description="Key learnings: stop, start and continue")
    answers: dict[str, str] = Field(description="Answers by question id")
    questions: list[QuestionOut] = Field(description="The questions this review asks")
    scores: list[ScoreOut]
    unit_summaries: list[UnitSummaryOut] = Field(
        description="Company review only: the summaries of the unit reviews"
    )
    submitted_at: dt.datetime | None
    submitted_by: PersonOut | None
    may_write: bool = Field(description="Whether the caller may write answers and texts")
    may_lead: bool = Field(description="Whether the caller may adjust scores and submit")


class ReviewUpdateIn(Schema):
    summary: str | None = Field(None, description="Short summary for the company review")
    report: str | None = Field(None, description="The long report, for the unit itself")
    learn_stop: str | None = None
    learn_start: str | None = None
    learn_continue: str | None = None
    answers: dict[str, str] | None = Field(
        None, description="Answers by question id; an empty text removes an answer"
    )


class ScoreIn(Schema):
    target: str = Field(description="Code of the objective or key result")
    score: str | float = Field(description="0.0 to 1.0 in tenths")
    reason: str = Field("", description="Required when the score differs from the proposed one")


def _unit(unit: Any) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None


def score_out(score: ReviewScore) -> dict[str, Any]:
    objective = score.objective or score.key_result.objective  # type: ignore[union-attr]
    return {
        "objective": score.objective.code if score.objective else None,
        "key_result": score.key_result.code if score.key_result else None,
        "parent_objective": objective.code,
        "title": score.target.title,
        "type": score.scoring_type,
        "proposed": score.proposed,
        "adjusted": score.adjusted,
        "final": score.final,
        "colour": score.colour,
        "reason": score.reason,
        "adjusted_by": person(score.adjusted_by),
        "adjusted_at": score.adjusted_at,
    }


def review_out(access: Access, review: Review) -> dict[str, Any]:
    blocks = selectors.review_scores(access, review)
    scores = [
        score
        for block in blocks
        for score in ([block.score] if block.score else []) + block.key_results
    ]
    units = selectors.unit_reviews(review) if review.is_company else []
    return {
        "code": review.code,
        "cycle": review.cycle.code,
        "cycle_name": review.cycle.name,
        "unit": _unit(review.unit),
        "state": review.state,
        "summary": review.summary,
        "report": review.report,
        "learnings": {
            "stop": review.learn_stop,
            "start": review.learn_start,
            "continue": review.learn_continue,
        },
        "answers": review.answers or {},
        "questions": [
            {"id": q.id, "group": q.group, "text": str(q.text)}
            for q in questions_for(company=review.is_company)
        ],
        "scores": [score_out(score) for score in scores],
        "unit_summaries": [
            {"review": r.code, "unit": _unit(r.unit), "state": r.state, "summary": r.summary}
            for r in units
        ],
        "submitted_at": review.submitted_at,
        "submitted_by": person(review.submitted_by),
        "may_write": not review.is_submitted and selectors.may_write(access, review),
        "may_lead": not review.is_submitted and selectors.may_lead(access, review),
    }


@router.get(
    "/orgs/{org}/cycles/{code}/reviews",
    response=list[ReviewBriefOut],
    summary="The reviews of a cycle",
)
def list_reviews(
    request: HttpRequest, response: HttpResponse, org: str, code: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """The company review first, then one review per unit that had objectives in the cycle.
    Empty until the cycle moves to reviewing or is closed. Paginated (`limit`, `offset`;
    X-Total-Count and Link headers)."""
    organization, _access = scoped(request, org)
    cycle = get_cycle(organization, code)
    reviews = paginate(request, response, selectors.reviews_of_cycle(organization, cycle), page)
    return [
        {
            "code": review.code,
            "cycle": cycle.code,
            "unit": _unit(review.unit),
            "state": review.state,
            "scores": review.score_count,  # type: ignore[attr-defined]
            "adjusted": review.adjusted_count,  # type: ignore[attr-defined]
            "submitted_at": review.submitted_at,
            "submitted_by": person(review.submitted_by),
        }
        for review in reviews
    ]


@router.get("/orgs/{org}/reviews/{code}", response={200: ReviewOut, 404: ErrorOut})
def get_review(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """One review with its scores, questions, answers and learnings."""
    organization, access = scoped(request, org)
    return review_out(access, selectors.get_review(organization, code))


@router.post(
    "/orgs/{org}/reviews/{code}",
    response={200: ReviewOut, **ERRORS},
    summary="Write answers, learnings, the report or the summary",
)
def update_review(
    request: HttpRequest, org: str, code: str, payload: ReviewUpdateIn
) -> dict[str, Any]:
    """Only the fields sent change. Members and leads of the unit may write; nothing changes
    once the review is submitted."""
    organization, access = scoped(request, org)
    review = selectors.get_review(organization, code)
    texts = payload.model_dump(exclude_unset=True, exclude={"answers"})
    review_update(access=access, review=review, answers=payload.answers, **texts)
    return review_out(access, review)


@router.post(
    "/orgs/{org}/reviews/{code}/scores",
    response={200: ScoreOut, **ERRORS},
    summary="Adjust the score of an objective or key result",
)
def adjust_review_score(
    request: HttpRequest, org: str, code: str, payload: ScoreIn
) -> dict[str, Any]:
    """Leads of the unit and admins only. A score other than the proposed one needs a reason;
    sending the proposed score clears the adjustment."""
    organization, access = scoped(request, org)
    review = selectors.get_review(organization, code)
    if not selectors.may_lead(access, review):
        raise PermissionDenied(_("Only the unit's leads and admins adjust its scores."))
    score = selectors.find_score(review, payload.target)
    score_adjust(access=access, score=score, value=payload.score, reason=payload.reason)
    return score_out(score)


@router.post(
    "/orgs/{org}/reviews/{code}/submit",
    response={200: ReviewOut, **ERRORS},
    summary="Submit a review",
)
def submit_review(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Leads of the unit and admins only; the review needs its summary. Afterwards it no
    longer changes."""
    organization, access = scoped(request, org)
    review = selectors.get_review(organization, code)
    review_submit(access=access, review=review)
    return review_out(access, review)
