"""A team lead connects the team's Slack channel (a real HTTP receiver stands in for Slack),
sends a test message and sees it arrived; then she finds the team's calendar link on the team
page, and the link serves the feed. Screenshots for a reviewer."""

from __future__ import annotations

import json

import pytest

from tenfold.chat.models import ChatChannel
from tenfold.conftest import PASSWORD
from tenfold.integrations.models import AllowedHost
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_connects_slack_and_subscribes_to_the_team_calendar(
    page, live_server, settings, org, team, cycle, carol, receiver
):
    settings.SITE_URL = live_server.url
    AllowedHost.objects.create(organization=org, host="127.0.0.1")
    sign_in(page, carol.email, PASSWORD)

    # 1. From the team page to its chat channels.
    page.goto(f"{page.base_url}/{org.slug}/units/{team.code}/")
    page.get_by_test_id("unit-chat-card").get_by_role("link", name="Chat channels").click()
    page.wait_for_url(f"**/units/{team.code}/chat/")

    # 2. Add the Slack channel.
    page.get_by_label("Slack").check()
    page.get_by_label("Channel name").fill("#growth")
    page.get_by_label("Incoming webhook URL").fill(receiver.url("/services/T1/B2/secretXYZ"))
    page.get_by_role("button", name="Add channel").click()
    page.get_by_text("Channel “#growth” added.").wait_for()
    channel = ChatChannel.objects.get()
    assert channel.provider == "slack" and channel.unit_id == team.id
    card = page.get_by_test_id("chat-channel")
    assert "secretXYZ" not in card.inner_text()

    # 3. Send a test message: the card says it arrived, and Slack's stand-in got Block Kit.
    card.get_by_role("button", name="Send test message").click()
    result = page.get_by_test_id("chat-test-result")
    result.wait_for()
    assert "Test message sent." in result.inner_text()
    [got] = receiver.wait_for(1)
    assert got.path == "/services/T1/B2/secretXYZ"
    body = json.loads(got.body)
    assert body["blocks"][0]["text"]["text"] == "Tenfold is connected to #growth"
    screenshot(page, "chat-channel-tested")

    # 4. The calendar card on the team page has a link that serves the team's feed.
    page.goto(f"{page.base_url}/{org.slug}/units/{team.code}/")
    calendar = page.get_by_test_id("unit-calendar-card")
    calendar.wait_for()
    feed_url = calendar.get_by_test_id("unit-feed-url").input_value()
    assert feed_url.startswith(f"{live_server.url}/cal/") and feed_url.endswith(".ics")
    assert calendar.get_by_role("button", name="Copy link").is_visible()  # JavaScript showed it
    screenshot(page, "team-calendar-card")
    answer = page.request.get(feed_url)
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    text = answer.text()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "RRULE:FREQ=WEEKLY;BYDAY=FR" in text  # Acme checks in on Fridays

    # 5. Her personal calendar page has her own link and the team's.
    calendar.get_by_role("link", name="Your personal calendar").click()
    page.wait_for_url(f"**/{org.slug}/me/calendar/")
    personal = page.get_by_test_id("personal-feed-url").input_value()
    assert personal.startswith(f"{live_server.url}/cal/") and personal != feed_url
    assert page.locator(f"#team-feed-{team.code}").input_value() == feed_url
    screenshot(page, "my-calendar")
    assert page.request.get(personal).headers["content-type"] == "text/calendar; charset=utf-8"
