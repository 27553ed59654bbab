"""A lead browses the example library in a real browser: the search narrows the cards as they
type (htmx, debounced), a function chip filters, and an example becomes a draft objective."""

from __future__ import annotations

import pytest
import time_machine

from tenfold.conftest import PASSWORD
from tenfold.okrs.models import Objective
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


def test_a_lead_finds_an_example_and_starts_a_draft(page, org, team, cycle, carol):
    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/coach/examples/")
    cards = page.get_by_test_id("library-card")
    assert cards.count() > 60
    screenshot(page, "library-list")

    page.get_by_label("Search the examples").press_sequentially("churn", delay=40)
    page.get_by_test_id("library-count").filter(has_text="3 examples").wait_for()
    assert cards.count() == 3
    assert page.url.endswith("?q=churn&function=")  # the address follows the search

    page.get_by_role("link", name="Leadership 1").click()
    page.get_by_test_id("library-count").filter(has_text="1 example in Leadership").wait_for()
    assert cards.count() == 1
    screenshot(page, "library-search")

    cards.first.get_by_role("link").click()
    page.get_by_test_id("example-title").wait_for()
    screenshot(page, "library-example")
    page.get_by_role("button", name="Create a draft from this example").click()
    page.wait_for_url("**/objectives/**")
    objective = Objective.objects.get()
    assert objective.state == "draft" and objective.key_results.count() == 3
    assert objective.title == "Become the obvious choice for mid-sized companies"
