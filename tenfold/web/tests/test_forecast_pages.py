"""Forecasts on the key-result page and the objective page: shown, explained, absent with fewer
than three check-ins, and read in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_correct, checkin_record
from tenfold.okrs.services import key_result_create

HTMX = {"HX-Request": "true"}
NOW = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
CYCLE_START = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def on_day(n: int) -> dt.datetime:
    return CYCLE_START + dt.timedelta(days=n)


def record(kr, by, *pairs):
    return [
        checkin_record(key_result=kr, value=value, confidence=6, measured_at=on_day(n), by=by)
        for n, value in pairs
    ]


# 20 + 0.2 a day from 1 October: 38.2 on 31 December, 91 % of the way from 20 to 40.
TREND = ((0, "20"), (14, "22.8"), (28, "25.6"), (42, "28.4"))


def kr_page(client, org, kr):
    return client.get(reverse("key_result", args=[org.slug, kr.code])).content.decode()


def objective_page(client, org, objective):
    return client.get(reverse("objective", args=[org.slug, objective.code])).content.decode()


def test_the_key_result_page_shows_the_projection_and_how_it_is_computed(
    client, org, bob, key_result
):
    record(key_result, bob, *TREND)
    client.force_login(bob)
    page = kr_page(client, org, key_result)
    assert "projected 91 % (91–91 %)" in page
    assert "fitted to the 4 check-ins of this cycle" in page
    assert "31 Dec 2026" in page
    assert "+1.40 % a week" in page
    assert "On 31 Dec 2026 it reaches 38 %; the band runs from 38 % to 38 %." in page
    assert "four times out of five" in page
    assert 'class="chart-projection"' in page
    assert "Needs three check-ins" not in page


def test_with_two_check_ins_the_pages_say_three_are_needed(client, org, bob, objective, key_result):
    record(key_result, bob, *TREND[:2])
    client.force_login(bob)
    page = kr_page(client, org, key_result)
    assert "Needs three check-ins to project." in page
    assert "chart-projection" not in page
    assert 'data-testid="forecast-explain"' not in page
    page = objective_page(client, org, objective)
    assert "Needs three check-ins to project." in page
    assert "No projection until every key result has one: 1 does not yet." in page


def test_a_corrected_reading_counts_only_with_its_correction(client, org, bob, key_result):
    first, *_rest = record(key_result, bob, (0, "95"), *TREND[1:])
    checkin_correct(checkin=first, value="20", reason="Typo", by=bob)
    client.force_login(bob)
    assert "projected 91 % (91–91 %)" in kr_page(client, org, key_result)


def test_the_objective_page_shows_the_objective_and_each_key_result(
    client, org, bob, carol, victor, objective, key_result
):
    other = key_result_create(
        objective=objective,
        title="Cut time to first value from 14 to 10 days",
        kind="decrease",
        start=Decimal(14),
        target=Decimal(10),
        owner=bob,
        by=carol,
    )
    record(key_result, bob, *TREND)
    # 14 − 0.04 a day: 10.36 on the last day, 91 %, with some scatter on day 21.
    record(other, bob, (0, "14"), (7, "13.72"), (21, "13.5"), (35, "12.6"))
    client.force_login(victor)  # a viewer sees forecasts like everyone else
    page = objective_page(client, org, objective)
    assert page.count('data-testid="forecast"') == 3
    assert "projected 91 % (91–91 %)" in page
    assert "the weighted mean of its key results" in page
    assert "wider than if they moved independently" in page
    assert page.count("How is this projected?") == 2


def test_a_keep_above_key_result_says_whether_the_level_holds(client, org, bob, carol, objective):
    kr = key_result_create(
        objective=objective,
        title="Keep satisfaction at or above 50",
        kind="keep_above",
        target=Decimal(50),
        owner=bob,
        by=carol,
    )
    record(kr, bob, (0, "60"), (10, "58"), (20, "56"), (30, "54"))
    client.force_login(bob)
    page = kr_page(client, org, kr)
    assert "projected 42 (42 to 42): misses the level" in page
    assert "Holding a level counts as 100 % or 0 %" in page


def test_a_milestone_is_not_projected(client, org, bob, carol, objective):
    kr = key_result_create(
        objective=objective, title="Launch", kind="milestone", target=Decimal(1), by=carol
    )
    record(kr, carol, (0, "0"), (10, "0"), (20, "0"))
    client.force_login(bob)
    assert "Milestones are not projected" in kr_page(client, org, kr)


def test_an_htmx_check_in_brings_the_new_projection(client, org, bob, key_result):
    record(key_result, bob, *TREND[:2])
    client.force_login(bob)
    response = client.post(
        reverse("key_result_checkin", args=[org.slug, key_result.code]),
        {f"{key_result.code}-value": "29", f"{key_result.code}-confidence": "6"},
        headers=HTMX,
    )
    page = response.content.decode()
    assert "Needs three check-ins" not in page
    assert 'data-testid="forecast-headline"' in page


def test_the_objective_page_reads_forecasts_in_a_fixed_number_of_queries(
    client, org, carol, objective, no_fragments
):
    client.force_login(carol)

    def add(count, readings=3):
        created = []
        for index in range(count):
            kr = key_result_create(
                objective=objective, title=f"KR {index}", kind="increase", start=0,
                target=100, owner=carol, by=carol,
            )  # fmt: skip
            record(kr, carol, *((n * 2, n + index) for n in range(readings)))
            created.append(kr)
        return created

    add(3)
    objective_page(client, org, objective)  # the first visit stores the session
    with CaptureQueriesContext(connection) as small:
        page = objective_page(client, org, objective)
    assert page.count('data-testid="forecast-headline"') == 4  # three and the objective
    first, *_more = add(27)
    record(first, carol, *((n, n) for n in range(5, 32)))  # 30 check-ins on one of them
    with CaptureQueriesContext(connection) as large:
        page = objective_page(client, org, objective)
    assert page.count('data-testid="forecast-headline"') == 31
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_key_result_page_reads_the_forecast_without_more_queries(client, org, bob, key_result):
    record(key_result, bob, *TREND[:3])
    client.force_login(bob)
    kr_page(client, org, key_result)
    with CaptureQueriesContext(connection) as small:
        kr_page(client, org, key_result)
    more = [n for n in range(1, 44) if n not in (14, 28)][:27]
    record(key_result, bob, *((n, 20 + n / 5) for n in more))
    with CaptureQueriesContext(connection) as large:
        page = kr_page(client, org, key_result)
    assert 'data-testid="forecast-headline"' in page
    assert len(large.captured_queries) == len(small.captured_queries)
