"""A lead connects a key result to a JSON address in a real browser, tests it, saves it, syncs
it from the key-result page and sees the new value there. Screenshots for a reviewer."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tenfold.conftest import PASSWORD
from tenfold.okrs.services import cycle_create, key_result_create, objective_create
from tenfold.web.tests.browser.conftest import screenshot, sign_in

from .conftest import json_answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_connects_a_json_feed_and_syncs_it(page, org, team, carol, bob, receiver, loopback):
    today = timezone.localdate()
    cycle = cycle_create(
        organization=org,
        name="This quarter",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=60),
        state="active",
        by=carol,
    )
    objective = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Grow the trial",
        lead=carol,
        state="active",
        by=carol,
    )
    kr = key_result_create(
        objective=objective,
        title="Reach 500 weekly signups",
        kind="increase",
        start=Decimal(100),
        target=Decimal(500),
        owner=bob,
        by=carol,
    )
    receiver.answers["/stats.json"] = json_answer('{"data": {"metrics": [{"value": 342}]}}')

    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/key-results/{kr.code}/")
    page.get_by_role("link", name="Connect a data feed").click()
    form = page.get_by_test_id("feed-kind-url")
    form.get_by_label("Address").fill(receiver.url("/stats.json"))
    form.get_by_label("JSON path to the number").fill("$.data.metrics[0].value")
    form.get_by_role("button", name="Test").click()
    page.get_by_test_id("feed-test-outcome").wait_for()
    assert "The feed reads 342" in page.get_by_test_id("feed-test-outcome").inner_text()
    screenshot(page, "feeds-test")
    form.get_by_role("button", name="Save and use this").click()
    page.wait_for_url(re.compile(r"/feed/$"))
    page.get_by_text("Feed saved.").wait_for()

    page.get_by_role("link", name="Back to the key result").click()
    box = page.get_by_test_id("kr-feed")
    assert "Fetched from an address" in box.inner_text()
    assert "not measured yet" in page.get_by_test_id("kr-current").inner_text()
    box.get_by_role("button", name="Sync now").click()
    page.get_by_test_id("kr-current").filter(has_text="342").wait_for()
    assert "342" in page.get_by_test_id("feed-value").inner_text()
    assert "working" in page.get_by_test_id("feed-status").inner_text()
    assert page.get_by_test_id("checkin-row").count() == 1
    assert "Integration" in page.get_by_test_id("checkin-row").inner_text()
    screenshot(page, "feeds-synced")
