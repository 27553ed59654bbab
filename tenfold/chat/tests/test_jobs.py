"""At-risk alerts from the tick: one per key result per status change, to the channels of the
objective's unit that take them; retried when a channel fails; cheap when nothing is due."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from tenfold.chat.jobs import run_due
from tenfold.chat.models import AlertState, ChatChannel
from tenfold.checkins.services import checkin_record
from tenfold.notifications.models import Delivery
from tenfold.notifications.testing import Answer
from tenfold.okrs.services import key_result_create, objective_create

# On 15 November 49 % of the quarter has passed: 24 of 20 → 40 is 20 % (at risk), 20 is 0 %
# (off track), 32 is 60 % (on track).
AT_RISK, OFF_TRACK, ON_TRACK = 24, 20, 32


def titles(receiver) -> list[str]:
    return [json.loads(r.body)["blocks"][0]["text"]["text"] for r in receiver.requests]


def check_in(kr, value, by, at=None):
    checkin_record(key_result=kr, value=value, by=by, confidence=6, measured_at=at)


def test_nothing_to_do_without_channels_costs_one_query(key_result, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert run_due(timezone.now()) == 0


def test_channels_without_alerts_cost_one_query(slack, key_result, bob, django_assert_num_queries):
    ChatChannel.objects.filter(pk=slack.pk).update(kinds=["weekly"])
    check_in(key_result, AT_RISK, bob)
    with django_assert_num_queries(1):
        assert run_due(timezone.now()) == 0


def test_an_alert_goes_out_once_per_status_change(slack, key_result, bob, receiver):
    check_in(key_result, AT_RISK, bob)
    now = timezone.now()
    assert run_due(now) == 1
    receiver.wait_for(1)
    assert titles(receiver) == [f"At risk: {key_result.title}"]
    body = json.loads(receiver.requests[0].body)
    assert "Progress is 20 %, while 49 % of the cycle has passed." in body["text"]
    button = body["blocks"][-2]["elements"][0]
    assert button["url"].endswith(f"/acme/key-results/{key_result.code}/")
    state = AlertState.objects.get(key_result=key_result)
    assert (state.last_status, state.owed) == ("at_risk", "")

    # Unchanged: nothing, however often the tick runs.
    assert run_due(now + dt.timedelta(minutes=15)) == 0
    assert run_due(now + dt.timedelta(hours=3)) == 0
    assert len(receiver.requests) == 1

    # Worse: one more alert.
    check_in(key_result, OFF_TRACK, bob)
    assert run_due(now + dt.timedelta(hours=4)) == 1
    assert titles(receiver)[-1] == f"Off track: {key_result.title}"

    # Better: no alert for good news.
    check_in(key_result, ON_TRACK, bob)
    assert run_due(now + dt.timedelta(hours=5)) == 0
    assert AlertState.objects.get(key_result=key_result).last_status == "on_track"

    # At risk again in the same week: that alert was already sent, no repeat.
    check_in(key_result, AT_RISK, bob)
    assert run_due(now + dt.timedelta(hours=6)) == 0
    assert len(receiver.requests) == 2
    periods = sorted(Delivery.objects.filter(kind="at_risk").values_list("period", flat=True))
    assert periods == [
        f"{key_result.code}:at_risk:2026-W46",
        f"{key_result.code}:off_track:2026-W46",
    ]


def test_silence_turns_stale_and_alerts_once(slack, key_result, bob, receiver):
    check_in(key_result, ON_TRACK, bob)
    now = timezone.now()
    assert run_due(now) == 0
    later = now + dt.timedelta(days=12)
    assert run_due(later) == 1
    assert titles(receiver) == [f"No recent check-in: {key_result.title}"]
    assert "for 12 days" in json.loads(receiver.requests[0].body)["text"]
    assert run_due(later + dt.timedelta(hours=1)) == 0


def test_both_providers_get_the_alert(slack, teams, key_result, bob, receiver):
    check_in(key_result, OFF_TRACK, bob)
    assert run_due(timezone.now()) == 2
    receiver.wait_for(2)
    teams_body = next(json.loads(r.body) for r in receiver.requests if r.path.startswith("/teams"))
    card = teams_body["attachments"][0]["content"]
    assert card["body"][0]["text"] == f"Off track: {key_result.title}"
    assert card["body"][0]["color"] == "Attention"


def test_a_failing_channel_is_retried_without_a_second_alert(slack, key_result, bob, receiver):
    path = "/" + slack.webhook_url.split("/", 3)[3]
    receiver.answers[path] = Answer(500, b"oops")
    check_in(key_result, AT_RISK, bob)
    now = timezone.now()
    assert run_due(now) == 0
    assert AlertState.objects.get(key_result=key_result).owed != ""
    slack.refresh_from_db()
    assert "500" in slack.last_error
    receiver.answers.clear()
    assert run_due(now + dt.timedelta(minutes=1)) == 0  # still pausing after the failure
    assert run_due(now + dt.timedelta(minutes=6)) == 1
    assert AlertState.objects.get(key_result=key_result).owed == ""
    assert (
        titles(receiver) == [f"At risk: {key_result.title}"] * 2
    )  # the failed try, then the good one
    assert run_due(now + dt.timedelta(minutes=30)) == 0


def test_pending_and_private_key_results_never_alert(
    org, cycle, team, slack, key_result, carol, bob, receiver
):
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet reorganisation",
        lead=carol,
        state="active",
        visibility="private",
        by=carol,
    )
    hidden = key_result_create(
        objective=secret,
        title="Move 5 people",
        kind="increase",
        start=Decimal(0),
        target=Decimal(5),
        owner=carol,
        by=carol,
    )
    check_in(hidden, 0, carol)  # off track, but private
    assert run_due(timezone.now()) == 0  # the other one has no check-in: pending
    assert receiver.requests == []


def test_other_units_channels_do_not_get_the_alert(
    org, company, alice, slack, key_result, bob, receiver
):
    from tenfold.chat.services import channel_create

    from .conftest import access_of

    channel_create(
        access=access_of(org, alice),
        unit=company,
        provider="slack",
        name="#company",
        url=receiver.url("/company"),
    )
    check_in(key_result, AT_RISK, bob)
    assert run_due(timezone.now()) == 1
    assert [r.path for r in receiver.requests] == ["/" + slack.webhook_url.split("/", 3)[3]]


@pytest.mark.parametrize("count", [2, 8])
def test_the_cost_of_a_quiet_tick_does_not_grow_with_key_results(
    count, objective, slack, bob, carol, django_assert_max_num_queries
):
    for n in range(count):
        kr = key_result_create(
            objective=objective,
            title=f"Metric {n}",
            kind="increase",
            start=Decimal(0),
            target=Decimal(10),
            owner=bob,
            by=carol,
        )
        check_in(kr, 6, bob)  # on track
    run_due(timezone.now())  # first sight writes the states
    with django_assert_max_num_queries(4):
        assert run_due(timezone.now() + dt.timedelta(minutes=15)) == 0


def test_the_tick_runs_the_job_by_its_path(slack, key_result, bob, receiver):
    from tenfold.notifications.tick import tick

    check_in(key_result, OFF_TRACK, bob)
    result = tick(timezone.now(), jobs=("tenfold.chat.jobs.run_due",))
    assert result.done == {"chat": 1} and result.errors == {}
