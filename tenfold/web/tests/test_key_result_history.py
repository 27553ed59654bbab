"""The key-result page: header, chart, check-in history, late check-ins and corrections, for
each persona, with and without htmx."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_correct, checkin_record
from tenfold.okrs.services import cycle_set_state, key_result_create

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def page_url(org, kr):
    return reverse("key_result", args=[org.slug, kr.code])


def chart_url(org, kr):
    return reverse("key_result_chart", args=[org.slug, kr.code])


def correct_url(org, checkin):
    return reverse("checkin_correct", args=[org.slug, checkin.code])


@pytest.fixture
def reading(key_result, bob):
    return checkin_record(
        key_result=key_result,
        value=30,
        confidence=7,
        note="Trial flow shipped",
        measured_at=NOW - dt.timedelta(days=7),
        by=bob,
    )


def written():
    return CheckIn.objects.count(), AuditEvent.objects.count()


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_key_result_its_chart_and_its_check_ins(
    client, org, bob, objective, key_result, reading
):
    client.force_login(bob)
    response = client.get(page_url(org, key_result))
    page = response.content.decode()
    assert response.status_code == 200
    assert key_result.title in page
    assert reverse("objective", args=[org.slug, objective.code]) in page
    assert "Bob Member" in page  # the owner, and the author of the check-in
    assert "20 % → 40 %" in page
    assert 'data-testid="kr-current"><strong>30 %</strong>' in page
    assert 'data-testid="kr-progress">50 %' in page
    assert "7 of 10" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart kr-chart" role="img"' in page
    assert "Trial flow shipped" in page
    assert "8 Nov 2026" in page
    assert page.count('data-testid="checkin-row"') == 1


def test_check_ins_are_listed_newest_first(client, org, bob, key_result):
    for day, value in ((3, 22), (10, 26), (7, 24)):
        checkin_record(
            key_result=key_result,
            value=value,
            measured_at=dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC),
            by=bob,
        )
    client.force_login(bob)
    page = client.get(page_url(org, key_result)).content.decode()
    assert page.index("10 Nov 2026") < page.index("7 Nov 2026") < page.index("3 Nov 2026")


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_people_who_may_check_in_see_the_forms(client, org, key_result, reading, persona, request):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(page_url(org, key_result)).content.decode()
    assert 'name="measured_on"' in page
    assert correct_url(org, reading) in page


def test_a_viewer_sees_the_history_but_no_forms(client, org, victor, key_result, reading):
    client.force_login(victor)
    response = client.get(page_url(org, key_result))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trial flow shipped" in page
    # The page's own part: the search palette after it is on every page.
    assert "<form" not in page.split('id="main"')[1].split('class="palette"')[0]
    assert correct_url(org, reading) not in page


def test_another_organization_gets_404(client, other_org, mallory, org, key_result, reading):
    client.force_login(mallory)
    assert client.get(page_url(org, key_result)).status_code == 404
    assert client.get(chart_url(org, key_result)).status_code == 404
    assert client.get(correct_url(org, reading)).status_code == 404
    # Their own organization's address with our codes finds nothing either.
    other = reverse("key_result", args=[other_org.slug, key_result.code])
    assert client.get(other).status_code == 404
    assert (
        client.get(reverse("checkin_correct", args=[other_org.slug, reading.code])).status_code
        == 404
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, org, key_result):
    response = client.get(page_url(org, key_result))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_closed_cycle_shows_no_forms(client, org, cycle, alice, key_result, reading):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    client.force_login(alice)
    page = client.get(page_url(org, key_result)).content.decode()
    assert 'name="measured_on"' not in page
    assert correct_url(org, reading) not in page
    assert "closed" in page


def test_text_from_people_is_escaped(client, org, bob, objective, key_result):
    checkin_record(key_result=key_result, value=25, note="<script>alert(1)</script>", by=bob)
    key_result.title = '<img src=x onerror="alert(1)">'
    key_result.save()
    client.force_login(bob)
    page = client.get(page_url(org, key_result)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_the_page_runs_the_same_queries_for_3_or_40_check_ins(
    client, org, bob, carol, objective, key_result
):
    def count_for(kr, n):
        for i in range(n):
            checkin = checkin_record(
                key_result=kr,
                value=20 + i % 15,
                measured_at=dt.datetime(2026, 10, 2, tzinfo=dt.UTC) + dt.timedelta(days=i),
                by=bob,
            )
            if i % 5 == 0:
                checkin_correct(checkin=checkin, value=21 + i % 15, reason="typo", by=bob)
        client.force_login(bob)
        client.get(page_url(org, kr))  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url(org, kr))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="checkin-row"') == n
        return len(queries)

    other = key_result_create(
        objective=objective,
        title="Cut time to value",
        kind="decrease",
        start=14,
        target=7,
        by=carol,
    )
    assert count_for(key_result, 3) == count_for(other, 40)


# --- checking in from the page ---------------------------------------------------------------


def test_a_check_in_for_today_redirects_back_to_the_history(client, org, bob, key_result):
    client.force_login(bob)
    response = client.post(page_url(org, key_result), {"value": "32", "confidence": "6"})
    assert response.status_code == 302
    assert response["Location"] == page_url(org, key_result) + "#checkins"
    checkin = CheckIn.objects.get()
    assert (checkin.value, checkin.measured_at, checkin.source) == (Decimal(32), NOW, "web")


def test_a_late_check_in_joins_the_history_without_replacing_the_current_value(
    client, org, bob, key_result
):
    checkin_record(key_result=key_result, value=30, by=bob)
    client.force_login(bob)
    response = client.post(page_url(org, key_result), {"value": "22", "measured_on": "2026-11-02"})
    assert response.status_code == 302
    late = CheckIn.objects.get(value=22)
    assert late.measured_at == dt.datetime(2026, 11, 2, 11, tzinfo=dt.UTC)  # noon in Berlin
    key_result.refresh_from_db()
    assert key_result.current == Decimal(30)
    page = client.get(page_url(org, key_result)).content.decode()
    assert page.index("15 Nov 2026") < page.index("2 Nov 2026")


def test_an_htmx_check_in_answers_with_the_refreshed_page_body(client, org, bob, key_result):
    client.force_login(bob)
    response = client.post(page_url(org, key_result), {"value": "30"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="kr-body"')
    assert "Check-in saved." in page
    assert 'data-testid="kr-progress">50 %' in page
    assert page.count('data-testid="checkin-row"') == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "lots"}, "is not a number"),
        ({"value": ""}, "Enter a number."),
        ({"value": "30", "measured_on": "2026-11-16"}, "cannot be in the future"),
        ({"value": "30", "measured_on": "2026-09-30"}, "began on"),
        ({"value": "30", "measured_on": "next week"}, "Give the day as a date"),
        ({"value": "30", "confidence": "11"}, "whole number from 0 to 10"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_check_ins_write_nothing(client, org, bob, key_result, data, message, htmx):
    client.force_login(bob)
    before = written()
    response = client.post(page_url(org, key_result), data, headers=HTMX if htmx else {})
    assert response.status_code == (200 if htmx else 400)
    assert message in response.content.decode()
    assert written() == before


def test_a_date_error_is_shown_beside_the_date_field(client, org, bob, key_result):
    client.force_login(bob)
    page = client.post(
        page_url(org, key_result), {"value": "30", "measured_on": "2026-12-01"}
    ).content.decode()
    field = page.index('name="measured_on"')
    assert field < page.index("cannot be in the future") < page.index('name="note"')


@pytest.mark.parametrize("htmx", [False, True])
def test_a_viewer_may_not_check_in(client, org, victor, key_result, htmx):
    client.force_login(victor)
    response = client.post(page_url(org, key_result), {"value": "30"}, headers=HTMX if htmx else {})
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


# --- the chart alone -------------------------------------------------------------------------


def test_the_chart_is_served_as_an_svg_document(client, org, victor, key_result, reading):
    client.force_login(victor)
    response = client.get(chart_url(org, key_result))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert "30 %" in root.find("{http://www.w3.org/2000/svg}desc").text


def test_the_chart_leaves_superseded_readings_out(client, org, bob, key_result, reading):
    checkin_correct(checkin=reading, value=33, reason="typo", by=bob)
    client.force_login(bob)
    svg = client.get(chart_url(org, key_result)).content.decode()
    assert "33 %" in svg and ": 30 %" not in svg


def test_the_chart_refuses_writes(client, org, bob, key_result):
    client.force_login(bob)
    assert client.post(chart_url(org, key_result)).status_code == 405


# --- corrections -----------------------------------------------------------------------------


def test_the_correction_form_opens_in_the_page(client, org, bob, key_result, reading):
    client.force_login(bob)
    response = client.get(correct_url(org, reading))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="correct-{reading.code}"' in page
    assert 'name="reason"' in page
    assert 'value="30"' in page  # starts from what was said


def test_htmx_gets_only_the_row_and_its_form(client, org, bob, key_result, reading):
    client.force_login(bob)
    response = client.get(correct_url(org, reading), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith(f'<tr id="checkin-{reading.code}"')
    assert f'<tr id="correct-{reading.code}"' in page
    assert "<html" not in page


def test_a_correction_keeps_the_original_struck_through_with_the_reason(
    client, org, bob, carol, key_result, reading
):
    client.force_login(carol)
    response = client.post(
        correct_url(org, reading),
        {"value": "34", "confidence": "7", "note": "Trial flow shipped", "reason": "Wrong report"},
    )
    assert response.status_code == 302
    assert response["Location"] == page_url(org, key_result) + "#checkins"
    correction = CheckIn.objects.get(supersedes=reading)
    assert (correction.value, correction.edit_reason, correction.author) == (
        Decimal(34),
        "Wrong report",
        carol,
    )
    key_result.refresh_from_db()
    assert key_result.current == Decimal(34)
    page = client.get(page_url(org, key_result)).content.decode()
    assert page.count('data-testid="checkin-row"') == 1
    assert '<span class="visually-hidden">was </span>30 %</del>' in page
    assert "Corrected by Carol Lead on 15 Nov 2026:" in page
    assert "<q>Wrong report</q>" in page
    assert 'data-testid="kr-current"><strong>34 %</strong>' in page


def test_an_htmx_correction_answers_with_the_refreshed_body(client, org, bob, key_result, reading):
    client.force_login(bob)
    response = client.post(
        correct_url(org, reading), {"value": "36", "reason": "typo"}, headers=HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="kr-body"')
    assert "Correction saved." in page
    assert 'data-testid="kr-progress">80 %' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "36", "reason": ""}, "Say why the check-in is being corrected."),
        ({"value": "36", "reason": "r" * 301}, "under 300 characters"),
        ({"value": "lots", "reason": "typo"}, "is not a number"),
    ],
)
def test_a_bad_correction_writes_nothing(client, org, bob, key_result, reading, data, message):
    client.force_login(bob)
    before = written()
    response = client.post(correct_url(org, reading), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert written() == before
    response = client.post(correct_url(org, reading), data, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert page.lstrip().startswith(f'<tr id="correct-{reading.code}"')
    assert response["HX-Retarget"] == f"#correct-{reading.code}"
    assert response["HX-Reswap"] == "outerHTML"
    assert written() == before


def test_a_superseded_check_in_cannot_be_corrected_again(client, org, bob, key_result, reading):
    checkin_correct(checkin=reading, value=31, reason="typo", by=bob)
    client.force_login(bob)
    page = client.get(correct_url(org, reading)).content.decode()
    assert "already been corrected" in page
    before = written()
    response = client.post(correct_url(org, reading), {"value": "40", "reason": "again"})
    assert response.status_code == 400
    assert "newest version" in response.content.decode()
    assert written() == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_may_not_correct(client, org, victor, key_result, reading, method):
    client.force_login(victor)
    response = getattr(client, method)(correct_url(org, reading), {"value": "1", "reason": "x"})
    assert response.status_code == 403
    assert CheckIn.objects.count() == 1


def test_an_unknown_check_in_is_404(client, org, bob, key_result):
    client.force_login(bob)
    assert client.get(reverse("checkin_correct", args=[org.slug, "nosuchcode"])).status_code == 404
