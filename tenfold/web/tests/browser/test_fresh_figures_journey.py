"""A lead looks at the alignment tree, which Tenfold keeps between requests, checks in on a
key result, and goes back to the tree: their own change shows at once, even though kept
pages may trail other people's changes by up to a minute here."""

import pytest
import time_machine

from tenfold.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=True):
        yield


def tree_progress(page, org, unit, objective):
    page.goto(f"{page.base_url}/{org.slug}/tree/units/{unit.code}/")
    row = page.locator(".tree-objective", has_text=objective.title).first
    return row.inner_text()


def test_your_own_check_in_shows_at_once_in_the_kept_tree(
    page, settings, org, team, cycle, objective, key_result, carol
):
    settings.FRAGMENT_LAG = 60
    sign_in(page, carol.email, PASSWORD)
    before = tree_progress(page, org, team, objective)
    assert "Customers love onboarding" in before
    assert "50 %" not in before

    page.goto(f"{page.base_url}/{org.slug}/objectives/{objective.code}/")
    card = page.get_by_test_id("kr").first
    card.get_by_label("New value").fill("30")
    card.get_by_label("Confidence (0–10)").fill("8")
    card.get_by_role("button", name="Check in").click()
    page.get_by_text("Check-in saved.").wait_for()
    assert page.get_by_test_id("objective-progress").inner_text() == "50 %"

    after = tree_progress(page, org, team, objective)
    assert "50 %" in after
    screenshot(page, "tree-after-own-check-in")
