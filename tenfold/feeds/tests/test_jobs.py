"""The tick's job: `run_due` starts only the pulls that are due, claims each once even when two
workers look at the same moment, moves `next_run_at` along the schedule, and costs one query
when nothing is due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenfold.checkins.models import CheckIn
from tenfold.feeds import jobs
from tenfold.feeds.models import DataSource
from tenfold.feeds.services import source_set
from tenfold.feeds.tasks import sync_source
from tenfold.okrs.services import key_result_create

from .conftest import NOW, access_of, json_answer

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def three(org, objective, key_result, carol, receiver, loopback):
    """Three feeds on three key results: a due hourly pull, a pull due later, a push feed."""
    receiver.answers["/n.json"] = json_answer('{"n": 7}')
    others = [
        key_result_create(objective=objective, title=f"KR {n}", kind="reach", target=100, by=carol)
        for n in (2, 3)
    ]
    access = access_of(org, carol)
    due, _ = source_set(
        access=access,
        key_result=key_result,
        kind="url",
        url=receiver.url("/n.json"),
        format="json",
        path="n",
        schedule="hourly",
    )
    later, _ = source_set(
        access=access,
        key_result=others[0],
        kind="url",
        url=receiver.url("/n.json"),
        format="json",
        path="n",
        schedule="daily",
        schedule_hour=9,
    )
    push, _ = source_set(access=access, key_result=others[1], kind="push")
    DataSource.objects.filter(pk=due.pk).update(next_run_at=NOW - HOUR)
    DataSource.objects.filter(pk=later.pk).update(next_run_at=NOW + HOUR)
    return due, later, push


def test_only_due_enabled_pulls_run(three, receiver):
    due, later, _push = three
    assert jobs.run_due(NOW) == 1
    assert [c.key_result_id for c in CheckIn.objects.all()] == [due.key_result_id]
    assert len(receiver.requests) == 1
    row = DataSource.objects.get(pk=due.pk)
    assert row.next_run_at == dt.datetime(2026, 11, 15, 13, 0, tzinfo=dt.UTC)
    assert (row.last_status, row.last_value) == ("ok", Decimal(7))
    assert DataSource.objects.get(pk=later.pk).next_run_at == NOW + HOUR


def test_a_second_run_at_the_same_moment_finds_nothing(three, receiver):
    assert jobs.run_due(NOW) == 1
    assert jobs.run_due(NOW) == 0
    assert len(receiver.requests) == 1


def test_a_late_tick_runs_an_overdue_feed_once(three, receiver):
    due, _later, _push = three
    DataSource.objects.filter(pk=due.pk).update(next_run_at=NOW - 30 * HOUR)
    assert jobs.run_due(NOW) == 1
    assert jobs.run_due(NOW + dt.timedelta(minutes=5)) == 0
    assert DataSource.objects.get(pk=due.pk).next_run_at > NOW


def test_paused_feeds_and_closed_cycles_are_left_alone(three, cycle):
    due, _later, _push = three
    DataSource.objects.filter(pk=due.pk).update(enabled=False)
    assert jobs.run_due(NOW) == 0
    DataSource.objects.filter(pk=due.pk).update(enabled=True)
    cycle.state = "closed"
    cycle.save(update_fields=["state"])
    assert jobs.run_due(NOW) == 0


def test_a_worker_that_lost_the_race_does_not_sync(three, monkeypatch, receiver):
    """Another worker claims the feed between this one's read and its update."""
    due, _later, _push = three
    real_filter = DataSource.objects.filter
    moved = []

    def racing_filter(*args, **kwargs):
        if "next_run_at" in kwargs and "pk" in kwargs and not moved:
            moved.append(True)  # the other worker got there first
            real_filter(pk=due.pk).update(next_run_at=NOW + HOUR)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(DataSource.objects, "filter", racing_filter)
    assert jobs.run_due(NOW) == 0
    assert receiver.requests == []


def test_a_failing_pull_still_moves_to_its_next_turn(three, receiver):
    due, _later, _push = three
    receiver.answers["/n.json"] = json_answer("nope", status=500)
    assert jobs.run_due(NOW) == 1
    row = DataSource.objects.get(pk=due.pk)
    assert row.last_status == "error" and row.next_run_at > NOW
    assert not CheckIn.objects.exists()


def test_nothing_due_costs_one_query(three, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert jobs.run_due(NOW - 2 * HOUR) == 0


def test_the_task_ignores_feeds_that_are_gone_or_push(three):
    _due, _later, push = three
    assert sync_source.call(push.pk) == "gone"
    assert sync_source.call(999_999) == "gone"


def test_the_tick_runs_the_job(three, receiver):
    from tenfold.notifications.tick import tick

    result = tick(NOW)
    assert result.done.get("feeds") == 1, result
