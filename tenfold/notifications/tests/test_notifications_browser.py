"""A member pauses reminders for a holiday and picks her time zone; the team lead moves the
team's check-in to Monday morning; the admin sees what was sent. Screenshots for a reviewer."""

from __future__ import annotations

import datetime as dt

import pytest

from tenfold.conftest import PASSWORD
from tenfold.notifications.models import Delivery, Preference, Schedule
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preferences_schedule_and_log(page, org, team, alice, bob, carol):
    Delivery.objects.create(
        organization=org,
        recipient=f"user:{bob.pk}",
        user=bob,
        unit=team,
        channel="email",
        kind="weekly",
        period="2026-W48",
        status="sent",
        subject="Your week at Acme",
    )
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/me/notifications/")
    page.get_by_label("Pause everything until (inclusive)").fill("2026-12-31")
    page.get_by_label("Stale key result nudge").uncheck()
    page.get_by_label("My time zone").select_option("Europe/Lisbon")
    screenshot(page, "notifications-preferences")
    page.get_by_role("button", name="Save preferences").click()
    page.get_by_text("Your notification preferences are saved.").wait_for()
    assert page.get_by_role("cell", name="Your week at Acme").is_visible()
    pref = Preference.objects.get(user=bob)
    assert pref.muted_until == dt.date(2026, 12, 31) and pref.kinds_off == ["stale"]

    page.context.clear_cookies()
    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/units/{team.code}/schedule/")
    page.get_by_label("Check-in day").select_option(label="Monday")
    page.get_by_label("Check-in hour").fill("9")
    page.get_by_role("button", name="Save schedule").click()
    page.get_by_text("The check-in schedule is saved.").wait_for()
    assert page.get_by_text("Monday 09:00 (Europe/Berlin)").is_visible()
    assert Schedule.objects.get(unit=team).checkin_weekday == 0

    page.context.clear_cookies()
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/notifications/")
    assert (
        page.get_by_text("No worker has run yet").is_visible()
        or page.get_by_text("inside the web process").is_visible()
    )
    assert page.get_by_role("row", name="Growth").get_by_text("Monday 09:00").is_visible()
    screenshot(page, "notifications-settings")
    page.get_by_role("link", name="Integrations").click()
    page.get_by_label("Host, IP address or network").fill("10.20.0.0/16")
    page.get_by_role("button", name="Allow host").click()
    page.get_by_text("The host is allowed.").wait_for()
    screenshot(page, "integrations-settings")
