"""Opening reviews, adjusting scores, writing and submitting: happy paths, and refusals that
write nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.lib.progress import Colour
from tenfold.okrs.models import CycleState
from tenfold.okrs.services import cycle_set_state, objective_create
from tenfold.organizations.services import unit_create
from tenfold.reviews.models import Review, ReviewScore, ReviewState
from tenfold.reviews.services import review_submit, review_update, reviews_open, score_adjust

from .conftest import access_of, add_key_result


def counts() -> tuple[int, int, int]:
    return Review.objects.count(), ReviewScore.objects.count(), AuditEvent.objects.count()


def kr_score(review, key_result):
    return ReviewScore.objects.get(review=review, key_result=key_result)


# --- opening ----------------------------------------------------------------------------------


def test_moving_a_cycle_to_reviewing_opens_a_review_per_unit_and_the_company(
    review, company_review, objective, key_result
):
    assert review.state == ReviewState.DRAFT
    assert company_review.unit is None
    assert Review.objects.count() == 2
    scores = ReviewScore.objects.filter(review=review)
    assert {(s.objective_id, s.key_result_id) for s in scores} == {
        (objective.id, None),
        (None, key_result.id),
    }
    event = AuditEvent.objects.get(verb="cycle.reviews_opened")
    assert set(event.changes["reviews"]) == {review.code, company_review.code}


def test_opening_twice_creates_nothing(reviewing, alice):
    before = counts()
    assert reviews_open(cycle=reviewing, by=alice) == []
    assert counts() == before


def test_reopening_a_closed_cycle_creates_nothing_more(reviewing, alice):
    cycle_set_state(cycle=reviewing, state="closed", by=alice)
    cycle_set_state(cycle=reviewing, state="reviewing", by=alice)
    assert Review.objects.count() == 2
    assert ReviewScore.objects.count() == 2


def test_closing_a_cycle_twice_is_refused_with_a_clear_message(reviewing, alice):
    cycle_set_state(cycle=reviewing, state="closed", by=alice)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        cycle_set_state(cycle=reviewing, state="closed", by=alice)
    assert "cannot go from Closed to closed" in " ".join(caught.value.message_dict["state"])
    assert counts() == before
    reviewing.refresh_from_db()
    assert reviewing.state == CycleState.CLOSED


def test_closing_an_active_cycle_directly_opens_the_reviews(cycle, objective, alice):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    assert Review.objects.filter(cycle=cycle).count() == 2


def test_an_active_cycle_has_no_reviews_to_open(cycle, objective, alice):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        reviews_open(cycle=cycle, by=alice)
    assert "reviewing" in caught.value.message_dict["cycle"][0]
    assert counts() == before


def test_proposed_scores_are_progress_rounded_to_tenths(review, objective, key_result):
    # 20 → 33 of 40 is 0.65 progress, which rounds half up to 0.7.
    assert kr_score(review, key_result).proposed == Decimal("0.7")
    assert ReviewScore.objects.get(review=review, objective=objective).proposed == Decimal("0.7")


def test_units_without_objectives_and_draft_objectives_get_no_review(
    org, cycle, company, team, objective, alice
):
    unit_create(organization=org, name="Idle", parent=company, by=alice)
    draft = objective_create(
        organization=org, cycle=cycle, unit=team, title="Never agreed", state="draft", by=alice
    )
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    assert set(Review.objects.values_list("unit__name", flat=True)) == {"Growth", None}
    assert not ReviewScore.objects.filter(objective=draft).exists()


def test_company_objectives_are_scored_in_the_company_review(
    cycle, company_objective, objective, alice
):
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    company_review = Review.objects.get(unit__isnull=True)
    assert ReviewScore.objects.filter(review=company_review).count() == 2
    assert not Review.objects.filter(unit__isnull=False, unit__parent__isnull=True).exists()


def test_a_late_check_in_updates_the_proposed_score_of_a_draft_when_reopened(
    review, key_result, bob, alice, reviewing
):
    from tenfold.checkins.services import checkin_record

    checkin_record(key_result=key_result, value=Decimal(40), by=bob)
    reviews_open(cycle=reviewing, by=alice)
    assert kr_score(review, key_result).proposed == Decimal("1.0")


# --- scores -----------------------------------------------------------------------------------


def test_a_lead_adjusts_a_score_with_a_reason(review, key_result, org, carol):
    score = score_adjust(
        access=access_of(carol, org),
        score=kr_score(review, key_result),
        value="0.5",
        reason="The last month's numbers were inflated by a one-off campaign.",
    )
    stored = kr_score(review, key_result)
    assert stored.adjusted == Decimal("0.5") == score.final
    assert stored.adjusted_by == carol
    event = AuditEvent.objects.get(verb="review.score_adjusted")
    assert event.changes["target"] == key_result.code
    assert event.changes["score"] == [None, "0.5"]


def test_an_adjusted_score_needs_a_reason(review, key_result, org, carol):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        score_adjust(
            access=access_of(carol, org),
            score=kr_score(review, key_result),
            value=0.5,
            reason="  ",
        )
    assert "0.7" in caught.value.message_dict["reason"][0]
    assert counts() == before
    assert kr_score(review, key_result).adjusted is None


def test_giving_the_proposed_score_back_clears_the_adjustment(review, key_result, org, carol):
    access = access_of(carol, org)
    score_adjust(access=access, score=kr_score(review, key_result), value="0.4", reason="Luck")
    score = score_adjust(access=access, score=kr_score(review, key_result), value="0.7", reason="")
    assert score.adjusted is None and score.reason == ""
    assert kr_score(review, key_result).final == Decimal("0.7")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1.1", "between 0.0 and 1.0"),
        ("-0.1", "between 0.0 and 1.0"),
        (2, "between 0.0 and 1.0"),
        ("lots", "not a number"),
        ("NaN", "not a number"),
        (True, "not a number"),
        ("", "Enter a score"),
        (None, "Enter a score"),
        ("0.75", "tenths"),
    ],
)
def test_a_score_outside_0_to_1_or_not_a_number_is_refused(
    review, key_result, org, carol, value, words
):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        score_adjust(
            access=access_of(carol, org),
            score=kr_score(review, key_result),
            value=value,
            reason="Because",
        )
    assert words in caught.value.message_dict["score"][0]
    assert counts() == before


def test_a_reason_is_at_most_500_characters(review, key_result, org, carol):
    with pytest.raises(ValidationError) as caught:
        score_adjust(
            access=access_of(carol, org),
            score=kr_score(review, key_result),
            value="0.3",
            reason="x" * 501,
        )
    assert "500" in caught.value.message_dict["reason"][0]


@pytest.mark.parametrize("persona", ["bob", "victor"])
def test_only_leads_and_admins_adjust_scores(review, key_result, org, persona, request):
    user = request.getfixturevalue(persona)
    before = counts()
    with pytest.raises(PermissionDenied):
        score_adjust(
            access=access_of(user, org),
            score=kr_score(review, key_result),
            value="0.3",
            reason="Nope",
        )
    assert counts() == before


def test_an_admin_adjusts_the_company_review_but_a_team_lead_does_not(
    cycle, company_objective, org, alice, carol, team
):
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    score = ReviewScore.objects.filter(review__unit__isnull=True, objective__isnull=False).get()
    with pytest.raises(PermissionDenied):
        score_adjust(access=access_of(carol, org), score=score, value="0.3", reason="Hm")
    score_adjust(access=access_of(alice, org), score=score, value="0.3", reason="Hm")
    assert ReviewScore.objects.get(pk=score.pk).adjusted == Decimal("0.3")


def test_score_colours_follow_the_type(review, objective, key_result, org, carol):
    access = access_of(carol, org)
    score = kr_score(review, key_result)
    assert score.colour == Colour.YELLOW  # committed 0.7
    score = score_adjust(access=access, score=score, value="1", reason="Hit it after all")
    assert score.colour == Colour.GREEN
    key_result.aspirational = True
    key_result.save()
    score = kr_score(review, key_result)
    score_adjust(access=access, score=score, value="0.7", reason="Aspirational reading")
    assert kr_score(review, key_result).colour == Colour.GREEN


# --- answers, learnings, submit --------------------------------------------------------------


def test_a_member_writes_answers_and_learnings(review, org, bob):
    review_update(
        access=access_of(bob, org),
        review=review,
        answers={"success.proud": "Activation moved.", "failures.missed": ""},
        learn_start="Pair on experiments",
        report="A long report.",
    )
    review.refresh_from_db()
    assert review.answers == {"success.proud": "Activation moved."}
    assert review.learn_start == "Pair on experiments"
    event = AuditEvent.objects.get(verb="review.updated")
    assert event.changes == {"fields": ["learn_start", "report"], "answers": ["success.proud"]}
    review_update(access=access_of(bob, org), review=review, answers={"success.proud": ""})
    review.refresh_from_db()
    assert review.answers == {}


def test_unknown_questions_and_long_texts_are_refused(review, company_review, org, bob, alice):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        review_update(
            access=access_of(bob, org),
            review=review,
            answers={"company.focus": "Not asked here"},
            summary="x" * 2000,
        )
    assert set(caught.value.message_dict) == {"answers", "summary"}
    assert counts() == before
    review_update(
        access=access_of(alice, org), review=company_review, answers={"company.focus": "Clear"}
    )


@pytest.mark.parametrize("persona", ["victor", "mallory"])
def test_viewers_and_outsiders_cannot_write(review, org, other_org, persona, request):
    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for

    user = request.getfixturevalue(persona)
    membership = Membership.objects.filter(user=user).first()
    with pytest.raises(PermissionDenied):
        review_update(access=access_for(membership), review=review, summary="Hello")


def test_submitting_needs_the_summary_and_then_locks_the_review(review, key_result, org, carol):
    access = access_of(carol, org)
    with pytest.raises(ValidationError) as caught:
        review_submit(access=access, review=review)
    assert "summary" in caught.value.message_dict
    review_update(access=access, review=review, summary="We learned to test faster.")
    review_submit(access=access, review=review)
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED and review.submitted_by == carol
    with pytest.raises(ValidationError):
        review_submit(access=access, review=review)
    with pytest.raises(ValidationError):
        review_update(access=access, review=review, summary="Changed")
    with pytest.raises(ValidationError):
        score_adjust(access=access, score=kr_score(review, key_result), value="0.1", reason="Late")
    assert AuditEvent.objects.filter(verb="review.submitted").count() == 1


def test_a_member_may_not_submit(review, org, bob):
    review_update(access=access_of(bob, org), review=review, summary="Ready")
    with pytest.raises(PermissionDenied):
        review_submit(access=access_of(bob, org), review=review)


def test_reviews_of_another_unit_are_not_a_members_to_write(org, cycle, company, team, alice, bob):
    other = unit_create(organization=org, name="Sales", parent=company, by=alice)
    objective = objective_create(
        organization=org, cycle=cycle, unit=other, title="Close more", state="active", by=alice
    )
    add_key_result(objective, alice, "Raise deals from 0 to 100")
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    review = Review.objects.get(unit=other)
    with pytest.raises(PermissionDenied):
        review_update(access=access_of(bob, org), review=review, summary="Not mine")


def test_the_objective_score_follows_its_key_results_scores(
    review, objective, key_result, org, carol
):
    second = add_key_result(
        objective, carol, "Cut churn from 10 to 5", kind="decrease", start=10, target=5
    )
    reviews_open(cycle=review.cycle, by=carol)  # adds the new key result, scored 0.0
    objective_row = ReviewScore.objects.get(review=review, objective=objective)
    # Two key results of equal weight: 0.7 and 0.0 → 0.35 → 0.4.
    assert objective_row.proposed == Decimal("0.4")
    score_adjust(
        access=access_of(carol, org),
        score=kr_score(review, second),
        value="0.5",
        reason="Churn data for December arrived late; it fell by half.",
    )
    objective_row.refresh_from_db()
    assert objective_row.proposed == Decimal("0.6")  # (0.7 + 0.5) / 2
    assert objective_row.adjusted is None
