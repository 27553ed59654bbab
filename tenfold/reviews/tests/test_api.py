"""The review endpoints of API v1; every response is checked against the OpenAPI document."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.audit.models import AuditEvent
from tenfold.reviews.models import ReviewScore


@pytest.fixture
def as_carol(client, org, team, carol):
    return OpenApiClient(client, token_for(carol, org))


def test_it_lists_the_reviews_of_a_cycle(as_carol, org, review, company_review):
    response = as_carol.get(f"/orgs/{org.slug}/cycles/{review.cycle.code}/reviews")
    assert response.status_code == 200
    assert [r["code"] for r in response.data] == [company_review.code, review.code]
    assert response.data[1]["unit"]["name"] == "Growth"
    assert response.data[1]["scores"] == 2


def test_it_shows_a_review_with_scores_and_questions(as_carol, org, review, key_result):
    response = as_carol.get(f"/orgs/{org.slug}/reviews/{review.code}")
    assert response.status_code == 200
    data = response.data
    assert data["may_lead"] and data["may_write"]
    kr = next(s for s in data["scores"] if s["key_result"] == key_result.code)
    assert (kr["proposed"], kr["final"], kr["colour"]) == ("0.7", "0.7", "yellow")
    assert {q["group"] for q in data["questions"]} == {"process", "success", "failures", "future"}


def test_a_lead_adjusts_a_score(as_carol, org, review, key_result):
    response = as_carol.post(
        f"/orgs/{org.slug}/reviews/{review.code}/scores",
        {"target": key_result.code, "score": 0.9, "reason": "Late data pushed it up"},
    )
    assert response.status_code == 200
    assert (response.data["final"], response.data["adjusted"]) == ("0.9", "0.9")
    assert ReviewScore.objects.get(key_result=key_result).adjusted == Decimal("0.9")


@pytest.mark.parametrize(
    ("score", "field"), [("1.2", "score"), ("much", "score"), ("0.2", "reason")]
)
def test_bad_scores_get_the_error_shape_and_write_nothing(
    as_carol, org, review, key_result, score, field
):
    events = AuditEvent.objects.count()
    response = as_carol.post(
        f"/orgs/{org.slug}/reviews/{review.code}/scores",
        {"target": key_result.code, "score": score},
    )
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]
    assert AuditEvent.objects.count() == events
    assert ReviewScore.objects.get(key_result=key_result).adjusted is None


def test_a_member_may_not_adjust_but_may_write(client, org, review, key_result, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/reviews/{review.code}/scores",
        {"target": key_result.code, "score": "0.1", "reason": "x"},
    )
    assert response.status_code == 403
    response = api.post(
        f"/orgs/{org.slug}/reviews/{review.code}",
        {"summary": "We did fine.", "answers": {"future.focus": "Retention"}},
    )
    assert response.status_code == 200
    assert response.data["summary"] == "We did fine."
    assert response.data["answers"] == {"future.focus": "Retention"}


def test_an_unknown_question_is_refused(as_carol, org, review):
    response = as_carol.post(f"/orgs/{org.slug}/reviews/{review.code}", {"answers": {"nope": "x"}})
    assert response.status_code == 400
    assert "answers" in response.data["error"]["fields"]


def test_submit_needs_a_summary_then_locks(as_carol, org, review):
    url = f"/orgs/{org.slug}/reviews/{review.code}"
    assert as_carol.post(url + "/submit", {}).status_code == 400
    as_carol.post(url, {"summary": "Short and sweet."})
    response = as_carol.post(url + "/submit", {})
    assert response.status_code == 200
    assert response.data["state"] == "submitted"
    assert response.data["may_write"] is False
    assert as_carol.post(url, {"summary": "Again"}).status_code == 400


def test_a_viewer_may_read_but_not_write(client, org, review, victor):
    api = OpenApiClient(client, token_for(victor, org))
    url = f"/orgs/{org.slug}/reviews/{review.code}"
    assert api.get(url).status_code == 200
    assert api.post(url, {"summary": "Hi"}).status_code == 403


def test_another_organization_sees_nothing(client, other_org, org, review, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{org.slug}/reviews/{review.code}").status_code == 404
    assert api.get(f"/orgs/globex/reviews/{review.code}").status_code == 404


def test_the_company_review_carries_the_unit_summaries(client, org, review, company_review, alice):
    api = OpenApiClient(client, token_for(alice, org))
    api.post(f"/orgs/{org.slug}/reviews/{review.code}", {"summary": "Growth summary"})
    response = api.get(f"/orgs/{org.slug}/reviews/{company_review.code}")
    assert response.data["unit"] is None
    assert response.data["unit_summaries"][0]["summary"] == "Growth summary"
    assert {q["group"] for q in response.data["questions"]} == {"company"}
