"""The review pages, per persona: the cycle's list, the workspace with its inline score
editor, the printable report and the PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.okrs.services import cycle_set_state, objective_create
from tenfold.reviews.models import Review, ReviewScore, ReviewState
from tenfold.reviews.pdf import pdf_available

from .conftest import add_key_result

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def page(review, name="review"):
    return reverse(name, kwargs={"org": review.organization.slug, "code": review.code})


def list_url(org, cycle):
    return reverse("reviews", kwargs={"org": org.slug, "code": cycle.code})


def kr_score(review, key_result):
    return ReviewScore.objects.get(review=review, key_result=key_result)


# --- the list -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("victor", 200), ("mallory", 404)],
)
def test_the_list_shows_each_review_and_its_state(
    client, org, review, company_review, other_org, persona, status, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(list_url(org, review.cycle))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert page(review) in text and page(company_review) in text
        assert "Draft" in text


def test_anonymous_people_are_sent_to_sign_in(client, review):
    response = client.get(page(review))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_admin_opens_missing_reviews_from_the_list(client, org, reviewing, alice, carol):
    Review.objects.all().delete()
    client.force_login(carol)
    assert client.post(list_url(org, reviewing)).status_code == 403
    client.force_login(alice)
    response = client.post(list_url(org, reviewing))
    assert response.status_code == 302
    assert Review.objects.count() == 2


def test_opening_reviews_of_an_active_cycle_is_refused_on_the_page(client, org, cycle, alice):
    client.force_login(alice)
    response = client.post(list_url(org, cycle))
    assert response.status_code == 400
    assert "reviewing" in response.content.decode()
    assert not Review.objects.exists()


# --- the workspace ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "adjust", "write"),
    [
        ("alice", 200, True, True),
        ("carol", 200, True, True),
        ("bob", 200, False, True),
        ("victor", 200, False, False),
        ("mallory", 404, False, False),
    ],
)
def test_the_workspace_offers_what_each_persona_may_do(
    client, review, other_org, persona, status, adjust, write, request, key_result
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page(review))
    assert response.status_code == status
    if status != 200:
        return
    text = response.content.decode()
    assert key_result.title in text
    assert ("?edit=" + key_result.code in text) is adjust
    assert ('name="answer-success.proud"' in text) is write
    assert ('value="submit"' in text) is adjust


def test_htmx_opens_the_score_editor_of_one_row(client, review, key_result, carol):
    client.force_login(carol)
    response = client.get(page(review) + f"?edit={key_result.code}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith(f'<tr id="score-{key_result.code}"')
    assert 'name="reason"' in text and "<html" not in text


def test_a_member_gets_no_editor_even_when_asking(client, review, key_result, bob):
    client.force_login(bob)
    response = client.get(page(review) + f"?edit={key_result.code}")
    assert 'name="reason"' not in response.content.decode()


def test_a_lead_adjusts_a_score_inline(client, review, key_result, carol):
    client.force_login(carol)
    response = client.post(
        page(review),
        {"action": "score", "target": key_result.code, "score": "0.4", "reason": "One-off boost"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "One-off boost" in text and 'data-testid="final-score">0.4<' in text
    assert kr_score(review, key_result).adjusted == Decimal("0.4")


def test_a_refused_score_comes_back_in_the_row_and_changes_nothing(
    client, review, key_result, carol
):
    client.force_login(carol)
    response = client.post(
        page(review),
        {"action": "score", "target": key_result.code, "score": "1.5", "reason": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "between 0.0 and 1.0" in text and 'value="1.5"' in text
    assert kr_score(review, key_result).adjusted is None


def test_a_plain_form_post_of_a_bad_score_answers_400(client, review, key_result, carol):
    client.force_login(carol)
    response = client.post(
        page(review), {"action": "score", "target": key_result.code, "score": "abc"}
    )
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()


@pytest.mark.parametrize("persona", ["bob", "victor"])
def test_members_and_viewers_may_not_score(client, review, key_result, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        page(review), {"action": "score", "target": key_result.code, "score": "0.1", "reason": "x"}
    )
    assert response.status_code == 403
    assert kr_score(review, key_result).adjusted is None


def test_a_member_saves_answers_and_learnings(client, review, bob):
    client.force_login(bob)
    response = client.post(
        page(review),
        {
            "action": "save",
            "answer-success.proud": "Activation went up by a half.",
            "learn_continue": "Weekly check-ins",
            "summary": "Good cycle.",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.answers == {"success.proud": "Activation went up by a half."}
    assert (review.learn_continue, review.summary) == ("Weekly check-ins", "Good cycle.")


def test_a_too_long_summary_is_refused_and_kept_in_the_form(client, review, bob):
    client.force_login(bob)
    response = client.post(page(review), {"action": "save", "summary": "y" * 1600})
    assert response.status_code == 400
    assert "1500" in response.content.decode()
    review.refresh_from_db()
    assert review.summary == ""


def test_a_viewer_may_not_save(client, review, victor):
    client.force_login(victor)
    assert client.post(page(review), {"action": "save", "summary": "Hi"}).status_code == 403


def test_the_lead_submits_and_the_page_turns_read_only(client, review, carol, key_result):
    client.force_login(carol)
    response = client.post(page(review), {"action": "submit"})
    assert response.status_code == 400
    assert "summary" in response.content.decode()
    client.post(page(review), {"action": "save", "summary": "Done and learned."})
    assert client.post(page(review), {"action": "submit"}).status_code == 302
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    text = client.get(page(review)).content.decode()
    assert 'name="summary"' not in text and "?edit=" not in text
    assert "Done and learned." in text


def test_the_company_review_shows_unit_summaries_and_company_questions(
    client, review, company_review, carol, alice
):
    client.force_login(carol)
    client.post(page(review), {"action": "save", "summary": "Growth grew."})
    client.force_login(alice)
    text = client.get(page(company_review)).content.decode()
    assert "Growth grew." in text
    assert 'name="answer-company.focus"' in text
    assert 'name="answer-success.proud"' not in text
    assert "1 unit review is not submitted yet" in text


def test_a_review_of_another_organization_is_not_found(client, review, mallory, other_org):
    client.force_login(mallory)
    for name in ("review", "review_report", "review_pdf"):
        url = reverse(name, kwargs={"org": "globex", "code": review.code})
        assert client.get(url).status_code == 404


def test_the_workspace_runs_the_same_queries_for_3_and_30_key_results(
    client, org, cycle, team, alice, carol
):
    def build(count):
        objective = objective_create(
            organization=org,
            cycle=cycle,
            unit=team,
            title=f"Objective with {count}",
            state="active",
            by=alice,
        )
        for i in range(count):
            add_key_result(objective, alice, f"Key result {i}", aspirational=i % 2 == 0)
        return objective

    def queries(review):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page(review)).status_code == 200
        return len(ctx.captured_queries)

    first = build(3)
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    review = Review.objects.get(unit=team)
    client.force_login(carol)
    queries(review)  # the first visit also writes the session
    few = queries(review)
    for objective in [first]:
        for i in range(27):
            add_key_result(objective, alice, f"More {i}")
    cycle_set_state(cycle=cycle, state="closed", by=alice)  # adds the new scores
    assert ReviewScore.objects.filter(review=review).count() == 31
    assert queries(review) == few


# --- the report ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("victor", 200), ("mallory", 404)])
def test_the_printable_report_is_one_self_contained_page(
    client, review, key_result, other_org, persona, status, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page(review, "review_report"))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert key_result.title in text and "<style>" in text
        assert "<link" not in text


def _pdf_or_skip():
    if not pdf_available() and os.environ.get("TENFOLD_REQUIRE_BROWSER") != "1":
        pytest.skip(
            "WeasyPrint cannot load Pango/HarfBuzz here (install libpango-1.0-0 "
            "libpangoft2-1.0-0 libharfbuzz-subset0, or run `make dev` as root)"
        )


def test_the_pdf_report_is_a_pdf(client, review, key_result, carol):
    _pdf_or_skip()
    client.force_login(carol)
    client.post(
        page(review),
        {
            "action": "save",
            "summary": "Activation rose; we learned to test smaller.",
            "learn_stop": "Big-bang launches",
            "learn_start": "Weekly experiments",
            "learn_continue": "Friday check-ins",
            "answer-success.proud": "The new trial flow.",
        },
    )
    client.post(
        page(review),
        {"action": "score", "target": key_result.code, "score": "0.6", "reason": "One-off"},
    )
    response = client.get(page(review, "review_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Growth" in response["Content-Disposition"]
    _screenshot(response.content, "review-report")


def test_the_company_pdf_report_is_a_pdf(client, company_review, review, alice):
    _pdf_or_skip()
    client.force_login(alice)
    response = client.get(page(company_review, "review_pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_without_weasyprint_the_pdf_answers_503(client, review, carol, monkeypatch):
    from tenfold.reviews import views
    from tenfold.reviews.pdf import PdfUnavailable

    def missing(html):
        raise PdfUnavailable("no pango")

    monkeypatch.setattr(views, "html_to_pdf", missing)
    client.force_login(carol)
    response = client.get(page(review, "review_pdf"))
    assert response.status_code == 503
    assert "printable page" in response.content.decode()


def _screenshot(pdf: bytes, name: str) -> None:
    """The report's first page as a PNG for a reviewer to look at, where poppler is there."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [tool, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", source, ARTIFACTS / name],
        check=True,
        timeout=60,
    )
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 0
