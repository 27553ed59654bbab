"""Posting to Slack and Teams for real, to an HTTP receiver on loopback: the JSON that
arrives, failures kept on the channel, and send_to_unit sending once per period."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from tenfold.chat.layouts import ChatMessage
from tenfold.chat.models import ChatChannel
from tenfold.chat.services import ChatError, post_message, send_to_unit
from tenfold.notifications.models import Delivery, Kind
from tenfold.notifications.testing import Answer, _free_port

MESSAGE = ChatMessage(
    title="Weekly check-in: Growth",
    text="Time for the weekly update & a <quick> look.",
    facts=[("Due", "Friday 10:00")],
    link=("Open my week", "https://okr.example.com/acme/week/"),
)


def test_slack_receives_block_kit_json(slack, receiver):
    post_message(slack, MESSAGE)
    [got] = receiver.wait_for(1)
    assert got.method == "POST"
    assert got.path == "/slack/T000/B000/XXXXsecret"
    assert got.headers["content-type"].startswith("application/json")
    body = json.loads(got.body)
    assert [b["type"] for b in body["blocks"]] == ["header", "section", "section", "actions"]
    assert body["blocks"][1]["text"]["text"] == (
        "Time for the weekly update &amp; a &lt;quick&gt; look."
    )
    assert body["text"].startswith("Weekly check-in: Growth")
    slack.refresh_from_db()
    assert slack.last_sent_at == timezone.now() and slack.last_error == ""


def test_teams_receives_an_adaptive_card(teams, receiver):
    post_message(teams, MESSAGE)
    [got] = receiver.wait_for(1)
    body = json.loads(got.body)
    assert body["type"] == "message"
    card = body["attachments"][0]["content"]
    assert body["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["version"] == "1.4"
    assert card["body"][0]["text"] == "Weekly check-in: Growth"
    assert card["body"][1]["text"] == "Time for the weekly update & a <quick> look."
    assert card["actions"][0]["url"] == "https://okr.example.com/acme/week/"


def test_a_500_is_an_error_kept_on_the_channel(slack, receiver):
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(500, b"invalid_token")
    with pytest.raises(ChatError) as raised:
        post_message(slack, MESSAGE)
    assert str(raised.value) == "Slack answered with status 500: invalid_token"
    slack.refresh_from_db()
    assert slack.last_error == "Slack answered with status 500: invalid_token"
    assert slack.last_error_at == timezone.now()
    assert slack.last_sent_at is None


def test_a_closed_port_is_an_error_kept_on_the_channel(slack, allowed):
    ChatChannel.objects.filter(pk=slack.pk).update(
        webhook_url=f"http://127.0.0.1:{_free_port()}/hook"
    )
    slack.refresh_from_db()
    with pytest.raises(ChatError) as raised:
        post_message(slack, MESSAGE)
    assert str(raised.value).startswith("Slack could not be reached: The request failed")
    slack.refresh_from_db()
    assert slack.last_error == str(raised.value)


def test_loopback_is_refused_without_an_allowance(slack, receiver, allowed):
    allowed.delete()
    with pytest.raises(ChatError) as raised:
        post_message(slack, MESSAGE)
    assert "private or local network" in str(raised.value)
    assert receiver.requests == []


def test_a_success_clears_the_last_error(slack, receiver):
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(404, b"no_service")
    with pytest.raises(ChatError):
        post_message(slack, MESSAGE)
    receiver.answers.clear()
    post_message(slack, MESSAGE)
    slack.refresh_from_db()
    assert slack.last_error == "" and slack.last_error_at is None


def test_send_to_unit_sends_once_per_period_to_each_channel(slack, teams, team, receiver):
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46") == 2
    receiver.wait_for(2)
    assert {r.path.split("/")[1] for r in receiver.requests} == {"slack", "teams"}
    # The tick runs again, or a second worker: nothing more goes out for that period.
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46") == 0
    assert len(receiver.requests) == 2
    rows = Delivery.objects.filter(kind=Kind.WEEKLY, period="2026-W46")
    assert sorted(rows.values_list("recipient", "channel", "status")) == sorted(
        [
            (f"chat:{slack.code}", "slack", "sent"),
            (f"chat:{teams.code}", "teams", "sent"),
        ]
    )
    assert all(row.unit_id == team.id for row in rows)
    # The next period is a new message.
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W47") == 2


def test_send_to_unit_skips_paused_channels_and_kinds_not_taken(slack, teams, team, receiver):
    ChatChannel.objects.filter(pk=teams.pk).update(active=False)
    ChatChannel.objects.filter(pk=slack.pk).update(kinds=["at_risk"])
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46") == 0
    assert receiver.requests == []
    assert send_to_unit(unit=team, kind=Kind.AT_RISK, message=MESSAGE, period="p1") == 1


def test_send_to_unit_records_a_failure_and_retries_it_later(slack, team, receiver):
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(503, b"busy")
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46") == 0
    row = Delivery.objects.get(recipient=f"chat:{slack.code}")
    assert row.status == "pending" and "503" in row.error and row.attempts == 1
    slack.refresh_from_db()
    assert "503" in slack.last_error
    # Too soon: the pause after a failure has not passed.
    assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46") == 0
    receiver.answers.clear()
    later = timezone.now() + dt.timedelta(minutes=6)
    sent = send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="2026-W46", now=later)
    assert sent == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and len(receiver.requests) == 2


def test_send_to_unit_without_channels_costs_one_query(team, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert send_to_unit(unit=team, kind=Kind.WEEKLY, message=MESSAGE, period="x") == 0
