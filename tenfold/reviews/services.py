"""Writes of the end-of-cycle review: opening the reviews of a cycle, adjusting scores,
writing answers and learnings, submitting. The only write path for web, API and CLI; each
function validates everything before it writes, runs atomically and records an audit event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.lib.progress import TENTH, proposed_score, weighted_mean
from tenfold.lib.validation import Errors, to_decimal
from tenfold.okrs.models import Cycle, CycleState, Objective, ObjectiveState
from tenfold.organizations.permissions import Access

from .models import (
    ANSWER_MAX,
    LEARNING_MAX,
    REASON_MAX,
    REPORT_MAX,
    SUMMARY_MAX,
    Review,
    ReviewScore,
    ReviewState,
)
from .questions import questions_for
from .selectors import company_unit_id, may_lead, may_write

OPEN_STATES = (CycleState.REVIEWING, CycleState.CLOSED)
# Objectives that never got past planning were not worked on, so they are not scored.
UNSCORED_STATES = (ObjectiveState.DRAFT, ObjectiveState.PROPOSED)
TEXT_LIMITS = {
    "summary": SUMMARY_MAX,
    "report": REPORT_MAX,
    "learn_stop": LEARNING_MAX,
    "learn_start": LEARNING_MAX,
    "learn_continue": LEARNING_MAX,
}


def _clean_text(errors: Errors, field: str, value: Any, limit: int) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > limit:
        errors.add(
            field,
            _("Keep this under %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(text)},
        )
    return text


def _not_submitted(errors: Errors, review: Review) -> None:
    if review.state == ReviewState.SUBMITTED:
        errors.add("__all__", _("This review has been submitted, so it can no longer be changed."))


# --- opening ----------------------------------------------------------------------------------


@transaction.atomic
def reviews_open(*, cycle: Cycle, by: Any) -> list[Review]:
    """Open the reviews of a cycle that is being reviewed or is closed: one for every unit
    that has objectives in it, plus the company review (which scores the company's own
    objectives). Every objective and key result gets a score proposed from its progress.

    Idempotent: reviews and scores that exist are kept (a draft's proposed scores follow any
    late check-in), so calling it again creates only what is missing. Returns the reviews it
    created."""
    if cycle.state not in OPEN_STATES:
        raise ValidationError(
            {
                "cycle": _(
                    "Reviews open when the cycle “%(name)s” moves to reviewing or is closed; "
                    "it is %(state)s."
                )
                % {"name": cycle.name, "state": cycle.get_state_display().lower()}
            }
        )
    organization = cycle.organization
    root_id = company_unit_id(organization.id)
    objectives = list(
        Objective.objects.filter(cycle=cycle, unit__isnull=False)
        .exclude(state__in=UNSCORED_STATES)
        .prefetch_related("key_results")
        .order_by("order", "id")
    )
    by_unit: dict[int | None, list[Objective]] = {None: []}
    for objective in objectives:
        key = None if objective.unit_id == root_id else objective.unit_id
        by_unit.setdefault(key, []).append(objective)

    reviews = {
        r.unit_id: r for r in Review.objects.select_for_update(of=("self",)).filter(cycle=cycle)
    }
    created: list[Review] = []
    for unit_id in by_unit:
        if unit_id not in reviews:
            review = Review.objects.create(organization=organization, cycle=cycle, unit_id=unit_id)
            reviews[unit_id] = review
            created.append(review)

    scores = {
        (row.review_id, row.objective_id, row.key_result_id): row
        for row in ReviewScore.objects.filter(review__cycle=cycle)
    }
    new_rows: list[ReviewScore] = []
    refreshed: list[ReviewScore] = []

    def place(review: Review, proposed: Any, **target: Any) -> None:
        key = (review.id, target.get("objective_id"), target.get("key_result_id"))
        row = scores.get(key)
        if row is None:
            new_rows.append(ReviewScore(review=review, proposed=proposed, **target))
        elif review.state == ReviewState.DRAFT and row.proposed != proposed:
            row.proposed = proposed
            refreshed.append(row)

    for unit_id, unit_objectives in by_unit.items():
        review = reviews[unit_id]
        for objective in unit_objectives:
            krs = list(objective.key_results.all())
            for kr in krs:
                place(review, proposed_score(kr.progress), key_result_id=kr.id)
            place(
                review,
                _objective_proposal(objective, krs, scores, review),
                objective_id=objective.id,
            )
    ReviewScore.objects.bulk_create(new_rows)
    ReviewScore.objects.bulk_update(refreshed, ["proposed"])
    if created:
        audit_record(
            organization=organization,
            actor=by,
            verb="cycle.reviews_opened",
            obj=cycle,
            changes={"reviews": [r.code for r in created], "scores": len(new_rows)},
        )
    return created


# --- scores -----------------------------------------------------------------------------------


def _objective_proposal(
    objective: Any, krs: list[Any], scores: dict[tuple[Any, Any, Any], ReviewScore], review: Any
) -> Decimal:
    """An objective's proposed score: the weighted mean of its key results' scores (their final
    ones, once a lead has adjusted any), in tenths; from its progress when it has no key
    results of its own (it is moved by the objectives aligned to it)."""
    if not krs:
        return proposed_score(objective.progress)
    pairs = []
    for kr in krs:
        row = scores.get((review.id, None, kr.id))
        final = row.final if row is not None else proposed_score(kr.progress)
        pairs.append((final, kr.weight))
    return proposed_score(weighted_mean(pairs))


def _refresh_objective_score(review: Review, objective: Any) -> None:
    """After a key result's score changed, propose the objective's score again from them."""
    krs = list(objective.key_results.all())
    rows = {
        (row.review_id, row.objective_id, row.key_result_id): row
        for row in ReviewScore.objects.filter(review=review, key_result__objective=objective)
    }
    proposal = _objective_proposal(objective, krs, rows, review)
    ReviewScore.objects.filter(review=review, objective=objective).exclude(
        proposed=proposal
    ).update(proposed=proposal)


def parse_score(errors: Errors, raw: Any, field: str = "score") -> Decimal | None:
    """A score typed by a person: a number from 0.0 to 1.0 in tenths."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors.add(field, _("Enter a score from 0.0 to 1.0."))
        return None
    number = None if isinstance(raw, bool) else to_decimal(raw)
    if number is None:
        errors.add(
            field, _("“%(value)s” is not a number. Give a score such as 0.7.") % {"value": raw}
        )
        return None
    if not 0 <= number <= 1:
        errors.add(
            field, _("A score lies between 0.0 and 1.0; %(value)s is outside.") % {"value": raw}
        )
        return None
    if number != number.quantize(TENTH):
        errors.add(
            field,
            _("Scores go in tenths (0.0, 0.1 … 1.0); %(value)s is not one.") % {"value": raw},
        )
        return None
    return number.quantize(TENTH)


@transaction.atomic
def score_adjust(*, access: Access, score: ReviewScore, value: Any, reason: Any) -> ReviewScore:
    """Set the final score of an objective or key result. A score other than the proposed one
    needs a reason; giving the proposed score back clears the adjustment."""
    review = score.review
    if not may_lead(access, review):
        raise PermissionDenied(_("Only the unit's leads and admins adjust its scores."))
    errors = Errors()
    _not_submitted(errors, review)
    number = parse_score(errors, value)
    reason_text = _clean_text(errors, "reason", reason, REASON_MAX)
    if number is not None and number != score.proposed and not reason_text:
        errors.add(
            "reason",
            _("Say why the score differs from the proposed %(proposed)s.")
            % {"proposed": score.proposed},
        )
    errors.raise_if_any()
    assert number is not None
    row = ReviewScore.objects.select_for_update(of=("self",)).get(pk=score.pk)
    before = {"score": row.adjusted, "reason": row.reason}
    if number == row.proposed:
        row.adjusted, row.reason = None, ""
    else:
        row.adjusted, row.reason = number, reason_text
    row.adjusted_by = access.membership.user
    row.adjusted_at = timezone.now()
    row.save(update_fields=["adjusted", "reason", "adjusted_by", "adjusted_at"])
    target = score.target
    objective = score.objective or score.key_result.objective  # type: ignore[union-attr]
    audit_record(
        organization=review.organization,
        actor=access.membership.user,
        verb="review.score_adjusted",
        obj=review,
        objective_code=objective.code,
        changes={
            "target": target.code,
            "proposed": row.proposed,
            **diff(before, {"score": row.adjusted, "reason": row.reason}),
        },
    )
    score.adjusted, score.reason = row.adjusted, row.reason
    score.adjusted_by, score.adjusted_at = row.adjusted_by, row.adjusted_at
    if score.key_result_id:
        _refresh_objective_score(review, objective)
    return score


# --- answers, learnings, report ---------------------------------------------------------------


@transaction.atomic
def review_update(
    *,
    access: Access,
    review: Review,
    answers: dict[str, Any] | None = None,
    **texts: Any,
) -> Review:
    """Change the answers (merged by question id; an empty answer removes it) and any of the
    summary, the report and the stop / start / continue learnings."""
    unknown = set(texts) - set(TEXT_LIMITS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not may_write(access, review):
        raise PermissionDenied(_("Only members and leads of the unit write its review."))
    errors = Errors()
    _not_submitted(errors, review)
    cleaned = {
        name: _clean_text(errors, name, value, TEXT_LIMITS[name])
        for name, value in texts.items()
        if value is not None
    }
    merged = dict(review.answers or {})
    if answers is not None:
        if not isinstance(answers, dict):
            errors.add("answers", _("Answers come as question id → text."))
        else:
            asked = {q.id for q in questions_for(company=review.is_company)}
            for question_id, text in answers.items():
                if question_id not in asked:
                    errors.add(
                        "answers",
                        _("This review does not ask the question “%(id)s”.") % {"id": question_id},
                    )
                    continue
                value = _clean_text(errors, f"answers.{question_id}", text, ANSWER_MAX)
                if value:
                    merged[question_id] = value
                else:
                    merged.pop(question_id, None)
    errors.raise_if_any()
    row = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    changed = [name for name, value in cleaned.items() if getattr(row, name) != value]
    stored = row.answers or {}
    answered = [q for q in set(merged) | set(stored) if merged.get(q) != stored.get(q)]
    for name in changed:
        setattr(row, name, cleaned[name])
    if answered:
        row.answers = merged
    if changed or answered:
        row.save()
        audit_record(
            organization=row.organization,
            actor=access.membership.user,
            verb="review.updated",
            obj=review,
            # Long texts stay in the review; the audit trail records what was touched.
            changes={"fields": sorted(changed), "answers": sorted(answered)},
        )
    for name in changed:
        setattr(review, name, cleaned[name])
    review.answers = row.answers
    return review


@transaction.atomic
def review_submit(*, access: Access, review: Review) -> Review:
    """Hand the review in. It needs the short summary that the company review reads; after
    submitting, the review and its scores no longer change."""
    if not may_lead(access, review):
        raise PermissionDenied(_("Only the unit's leads and admins submit its review."))
    row = Review.objects.select_for_update(of=("self",)).get(pk=review.pk)
    errors = Errors()
    _not_submitted(errors, row)
    if not errors and not row.summary.strip():
        errors.add(
            "summary",
            _("Write the short summary for the company before submitting the review."),
        )
    errors.raise_if_any()
    row.state = ReviewState.SUBMITTED
    row.submitted_at = timezone.now()
    row.submitted_by = access.membership.user
    row.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    audit_record(
        organization=row.organization,
        actor=access.membership.user,
        verb="review.submitted",
        obj=review,
        changes={"state": [ReviewState.DRAFT.value, ReviewState.SUBMITTED.value]},
    )
    review.state, review.submitted_at, review.submitted_by = (
        row.state,
        row.submitted_at,
        row.submitted_by,
    )
    return review
