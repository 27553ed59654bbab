"""Reads of reviews, and who may do what with them, for the web, the API and the CLI alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from tenfold.lib.progress import Colour
from tenfold.okrs.models import Cycle, Objective, ObjectiveType
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access

from .models import Review, ReviewScore, ReviewState


def company_unit_id(organization_id: int) -> int | None:
    return (
        Unit.objects.filter(organization_id=organization_id, parent__isnull=True)
        .values_list("id", flat=True)
        .first()
    )


def leads_review(access: Access, review: Review) -> bool:
    """Admins, and leads of the unit (or of a unit above it). The company review belongs to
    the admins and whoever leads the company unit."""
    if access.membership.organization_id != review.organization_id:
        return False
    if access.is_admin:
        return True
    unit_id = review.unit_id or company_unit_id(review.organization_id)
    return unit_id in access.led_unit_ids


def may_lead(access: Access, review: Review) -> bool:
    """May adjust scores and submit."""
    return access.can_write and leads_review(access, review)


def may_write(access: Access, review: Review) -> bool:
    """May write answers, learnings, the report and the summary. A team reviews its cycle
    together, so members of the unit may write as well as its leads."""
    if not access.can_write or access.membership.organization_id != review.organization_id:
        return False
    if review.unit_id is not None and review.unit_id in access.member_unit_ids:
        return True
    return leads_review(access, review)


def reviews_of_cycle(organization: Organization, cycle: Cycle) -> list[Review]:
    """The reviews of a cycle, company review first, with their score counts: two queries."""
    return list(
        Review.objects.filter(organization=organization, cycle=cycle)
        .select_related("unit", "submitted_by", "cycle")
        .annotate(
            score_count=Count("scores"),
            adjusted_count=Count("scores", filter=Q(scores__adjusted__isnull=False)),
        )
        # The company review (no unit) first, on PostgreSQL as on SQLite.
        .order_by(F("unit__order").asc(nulls_first=True), "unit__name", "id")
    )


def get_review(organization: Organization, code: str) -> Review:
    """A review of this organization, or 404 (another organization's code included)."""
    review = (
        Review.objects.filter(organization=organization, code=code)
        .select_related("cycle", "cycle__organization", "unit", "submitted_by")
        .first()
    )
    if review is None:
        raise Http404
    return review


@dataclass
class ObjectiveBlock:
    """An objective's score with the scores of its key results under it."""

    objective: Objective
    score: ReviewScore | None
    key_results: list[ReviewScore] = field(default_factory=list)


def _score_rows(scores: QuerySet[ReviewScore]) -> list[ReviewScore]:
    return list(
        scores.select_related(
            "objective", "key_result", "key_result__objective", "adjusted_by", "review"
        ).order_by("id")
    )


def review_scores(access: Access, review: Review) -> list[ObjectiveBlock]:
    """The review's scores the viewer may see, grouped by objective, in one query however
    many there are. Objectives hidden from the viewer are left out, with their key results."""
    return _blocks(access, _score_rows(ReviewScore.objects.filter(review=review)))


def reviews_scores(access: Access, reviews: list[Review]) -> dict[int, list[ObjectiveBlock]]:
    """`review_scores` of several reviews (a cycle's, say), by review id, in one query
    however many reviews there are."""
    rows: dict[int, list[ReviewScore]] = {review.id: [] for review in reviews}
    for row in _score_rows(ReviewScore.objects.filter(review__in=list(rows))):
        rows[row.review_id].append(row)
    return {review_id: _blocks(access, scores) for review_id, scores in rows.items()}


def _blocks(access: Access, rows: list[ReviewScore]) -> list[ObjectiveBlock]:
    blocks: dict[int, ObjectiveBlock] = {}
    for row in rows:
        objective = row.objective if row.objective is not None else row.key_result.objective  # type: ignore[union-attr]
        block = blocks.get(objective.id)
        if block is None:
            block = blocks[objective.id] = ObjectiveBlock(objective=objective, score=None)
        if row.objective_id:
            block.score = row
        else:
            block.key_results.append(row)
    visible = [b for b in blocks.values() if access.can_view_objective(b.objective)]
    visible.sort(key=lambda b: (b.objective.order, b.objective.created_at, b.objective.id))
    for block in visible:
        block.key_results.sort(key=lambda s: (s.key_result.order, s.key_result.id))  # type: ignore[union-attr]
    return visible


def find_score(review: Review, target_code: str) -> ReviewScore:
    """The score of the objective or key result with that code in this review, or 404."""
    score = (
        ReviewScore.objects.filter(review=review)
        .filter(Q(objective__code=target_code) | Q(key_result__code=target_code))
        .select_related("objective", "key_result", "key_result__objective", "review")
        .first()
    )
    if score is None:
        raise Http404
    return score


def unit_reviews(review: Review) -> list[Review]:
    """For the company review: every unit review of the same cycle, with its summary."""
    return list(
        Review.objects.filter(cycle_id=review.cycle_id, unit__isnull=False)
        .select_related("unit", "submitted_by")
        .order_by("unit__order", "unit__name", "id")
    )


def pending_count(reviews: list[Review]) -> int:
    return sum(1 for r in reviews if r.state == ReviewState.DRAFT)


def review_title(review: Review) -> str:
    from django.utils.translation import gettext as _

    if review.unit is None:
        return _("Company review")
    return review.unit.name


def band_label(colour: str) -> str:
    """Words for a score's colour band, so colour is never the only signal."""
    from django.utils.translation import gettext as _

    return {
        Colour.GREEN: _("success"),
        Colour.YELLOW: _("partly there"),
        Colour.RED: _("fell short"),
    }.get(Colour(colour), "")


def score_note(score: ReviewScore) -> str:
    """The question the method asks of a score (METHOD §4–5), or nothing."""
    from django.utils.translation import gettext as _

    aspirational = score.scoring_type == ObjectiveType.ASPIRATIONAL
    if aspirational and score.final >= 1:
        return _("Full marks on an aspirational goal: was the bar high enough?")
    if not aspirational and score.final < 1 and not score.reason:
        return _("Committed, so anything under 1.0 deserves a word of explanation.")
    return ""
