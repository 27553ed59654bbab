"""The leaderboard of habits in a real browser: an admin turns it on, a member switches the
order with htmx. Screenshots for a reviewer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.checkins.weekly import week_of
from tenfold.conftest import PASSWORD
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Membership
from tenfold.web.tests.browser.conftest import screenshot, sign_in

from .conftest import add_teams

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def clock() -> Any:
    """The live server runs on real time here (the other habits tests freeze it)."""
    yield None


def test_an_admin_turns_the_board_on_and_a_member_reorders_it(
    page,
    org,
    cycle,
    company,
    team,
    alice,
    bob,
):
    _teams, users, krs = add_teams(org, company, cycle, 3, people=2, key_results=2, prefix="Squad")
    now = timezone.now()
    long_ago = now - dt.timedelta(weeks=10)
    KeyResult.objects.filter(organization=org).update(created_at=long_ago)
    Membership.objects.filter(organization=org).update(created_at=long_ago)
    CheckIn.objects.bulk_create(
        CheckIn(organization=org, key_result=kr, value=1, measured_at=now - dt.timedelta(weeks=n))
        for index, kr in enumerate(krs)
        for n in range(index // 2 % 3 * 2 + 1)
    )
    last_week = week_of(org) - dt.timedelta(weeks=1)
    for user in [*users[:3], bob]:
        report = WeeklyReport.objects.create(organization=org, person=user, week=last_week)
        WeeklyItem.objects.create(organization=org, report=report, category="plans", text="Plan")
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/habits/")
    page.get_by_text("The habit leaderboard is off").wait_for()
    page.get_by_role("link", name="Turn it on in Settings → General").click()
    page.get_by_label(re.compile("Show habit leaderboards")).check()
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state()

    page.context.clear_cookies()
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/habits/")
    rows = page.locator("[data-testid=habits-row]")
    rows.first.wait_for()
    assert rows.count() == 4
    assert page.get_by_test_id("scores-policy").is_visible()
    screenshot(page, "habits-by-streak")
    page.get_by_role("link", name="By weekly participation").click()
    page.wait_for_url(re.compile(r"sort=participation"))
    page.locator("[aria-current=page]", has_text="By weekly participation").wait_for()
    assert "<html" not in page.locator("#habits-board").inner_html()
    screenshot(page, "habits-by-participation")
