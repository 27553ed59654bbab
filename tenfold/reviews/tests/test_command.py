"""tenfold review: list, show, score and submit, and bad input that changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.reviews.models import ReviewScore, ReviewState


def run(*args):
    out = io.StringIO()
    call_command("review", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_list_shows_the_reviews_of_a_cycle(review, company_review, reviewing):
    out = run("list", reviewing.code, "--as", "victor@example.com")
    assert review.code in out and company_review.code in out
    assert "Growth" in out and "Company review" in out


def test_show_prints_scores_and_texts(review, key_result):
    review.summary = "We grew."
    review.save()
    out = run("show", review.code, "--as", "bob@example.com")
    assert f"{key_result.code}  0.7 → 0.7" in out
    assert "We grew." in out


def test_score_adjusts_with_a_reason(review, key_result):
    out = run(
        "score", review.code, key_result.code, "0.5", "--reason", "Counted twice",
        "--as", "carol@example.com",
    )  # fmt: skip
    assert "final 0.5" in out
    assert ReviewScore.objects.get(key_result=key_result).adjusted == Decimal("0.5")


@pytest.mark.parametrize(
    ("value", "email", "words"),
    [
        ("1.3", "carol@example.com", "between 0.0 and 1.0"),
        ("lots", "carol@example.com", "not a number"),
        ("0.3", "carol@example.com", "Say why"),
        ("0.3", "bob@example.com", "leads and admins"),
        ("0.3", "mallory@example.com", "not a member"),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(
    review, key_result, other_org, value, email, words
):
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=words):
        run("score", review.code, key_result.code, value, "--as", email)
    assert AuditEvent.objects.count() == events
    assert ReviewScore.objects.get(key_result=key_result).adjusted is None


def test_submit_needs_a_summary(review):
    with pytest.raises(CommandError, match="summary"):
        run("submit", review.code, "--as", "carol@example.com")
    review.summary = "Done."
    review.save()
    assert "Submitted" in run("submit", review.code, "--as", "carol@example.com")
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED


def test_an_unknown_review_code_is_explained(review):
    with pytest.raises(CommandError, match="No review has the code"):
        run("show", "nope", "--as", "carol@example.com")
