"""Recording a check-in: what is stored, and the inputs that are refused with nothing written."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_record, measured_on
from tenfold.okrs.services import cycle_set_state, objective_set_state
from tenfold.okrs.tests.helpers import NOW, refused

NOW_DT = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_check_in_stores_value_confidence_note_and_source(key_result, bob):
    checkin = checkin_record(
        key_result=key_result,
        value="30.5",
        confidence=7,
        note="  Onboarding v2 shipped ",
        source="cli",
        by=bob,
    )
    checkin.refresh_from_db()
    assert (checkin.value, checkin.confidence, checkin.note, checkin.source) == (
        D("30.5"),
        D("0.7"),
        "Onboarding v2 shipped",
        "cli",
    )
    assert (checkin.author, checkin.measured_at, checkin.key_result) == (bob, NOW_DT, key_result)
    assert checkin.confidence_out_of_ten == 7


def test_a_check_in_updates_the_key_results_latest_reading(key_result, bob):
    checkin_record(key_result=key_result, value=30, confidence=7, by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.last_confidence, key_result.last_checkin_at) == (
        30,
        D("0.7"),
        NOW_DT,
    )


def test_a_check_in_writes_one_audit_event(key_result, bob):
    before = AuditEvent.objects.count()
    checkin_record(key_result=key_result, value=30, confidence=7, note="ok", by=bob)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(verb="checkin.recorded")
    assert (event.actor, event.object_code, event.objective_code) == (
        bob,
        key_result.code,
        key_result.objective.code,
    )
    assert event.changes == {"value": "30", "confidence": "0.7", "note": "ok", "source": "web"}


def test_confidence_is_optional(key_result, bob):
    assert checkin_record(key_result=key_result, value=30, by=bob).confidence is None


@pytest.mark.parametrize(("typed", "stored"), [(0, "0"), (10, "1"), ("4", "0.4"), ("7.0", "0.7")])
def test_confidence_from_zero_to_ten_is_stored_as_a_share(key_result, bob, typed, stored):
    checkin = checkin_record(key_result=key_result, value=30, confidence=typed, by=bob)
    checkin.refresh_from_db()
    assert checkin.confidence == D(stored)


def test_a_check_in_may_be_back_dated(key_result, bob):
    when = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    assert checkin_record(
        key_result=key_result, value=25, measured_at=when, by=bob
    ).measured_at == (when)


def test_a_check_in_a_few_minutes_ahead_is_accepted_as_clock_skew(key_result, bob):
    when = NOW_DT + dt.timedelta(minutes=4)
    assert checkin_record(key_result=key_result, value=25, measured_at=when, by=bob)


def test_a_negative_value_is_a_valid_reading(key_result, bob):
    checkin_record(key_result=key_result, value="-3.25", by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress, key_result.progress_raw) == (
        D("-3.25"),
        0,
        D("-1.1625"),
    )


# --- refused ----------------------------------------------------------------------------------


def refused_checkin(field, key_result, by, **kwargs):
    kwargs.setdefault("value", 30)
    message = refused(field, checkin_record, key_result=key_result, by=by, **kwargs)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress, key_result.last_checkin_at) == (None, 0, None)
    return message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("abc", "not a number", id="letters"),
        pytest.param("1e400", "too large", id="huge"),
        pytest.param("NaN", "not a number", id="nan"),
        pytest.param("inf", "not a number", id="infinity"),
        pytest.param("-inf", "not a number", id="minus-infinity"),
        pytest.param("", "Enter a number", id="empty"),
        pytest.param(None, "Enter a number", id="missing"),
        pytest.param("1.23456", "decimal places", id="too-precise"),
        pytest.param("12345678901234567", "too large", id="seventeen-digits"),
    ],
)
def test_a_value_that_is_not_a_storable_number_is_refused(key_result, bob, value, words):
    assert words in refused_checkin("value", key_result, bob, value=value)


@pytest.mark.parametrize("confidence", [11, "3.5", -1, "high", "NaN"])
def test_a_confidence_that_is_not_a_whole_number_from_zero_to_ten_is_refused(
    key_result, bob, confidence
):
    message = refused_checkin("confidence", key_result, bob, confidence=confidence)
    assert "whole number from 0 to 10" in message


def test_a_check_in_in_the_future_is_refused(key_result, bob):
    message = refused_checkin(
        "measured_at", key_result, bob, measured_at=NOW_DT + dt.timedelta(minutes=6)
    )
    assert "future" in message


def test_a_check_in_on_a_closed_cycle_is_refused(key_result, cycle, alice, bob):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    assert "closed" in refused_checkin("__all__", key_result, bob)


def test_a_check_in_on_a_closed_objective_is_refused(key_result, objective, carol, bob):
    objective_set_state(objective=objective, state="closed", by=carol)
    assert "objective is closed" in refused_checkin("__all__", key_result, bob)


def test_a_note_over_five_thousand_characters_is_refused(key_result, bob):
    assert "5000" in refused_checkin("note", key_result, bob, note="n" * 5001)


def test_an_unknown_source_is_refused(key_result, bob):
    refused_checkin("source", key_result, bob, source="fax")


def test_every_problem_is_reported_at_once(key_result, bob):
    before = CheckIn.objects.count()
    with pytest.raises(ValidationError) as caught:
        checkin_record(key_result=key_result, value="x", confidence=12, source="fax", by=bob)
    assert set(caught.value.message_dict) == {"value", "confidence", "source"}
    assert CheckIn.objects.count() == before


# --- late check-ins ---------------------------------------------------------------------------


def test_a_late_check_in_joins_the_history_without_replacing_a_newer_value(key_result, bob):
    checkin_record(key_result=key_result, value=30, by=bob)
    late = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    checkin_record(key_result=key_result, value=22, measured_at=late, by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.last_checkin_at) == (D(30), NOW_DT)
    assert list(CheckIn.objects.values_list("value", flat=True)) == [D(30), D(22)]


def test_a_late_check_in_becomes_current_when_nothing_newer_exists(key_result, bob):
    late = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    checkin_record(key_result=key_result, value=22, measured_at=late, by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.last_checkin_at) == (D(22), late)


def test_a_naive_moment_is_read_in_the_organizations_time_zone(key_result, bob):
    # The organization is in Europe/Berlin: 09:00 there on 2 November is 08:00 UTC.
    checkin = checkin_record(
        key_result=key_result, value=22, measured_at=dt.datetime(2026, 11, 2, 9), by=bob
    )
    checkin.refresh_from_db()
    assert checkin.measured_at == dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)


def test_a_naive_moment_in_the_future_is_refused_not_crashed_on(key_result, bob):
    message = refused_checkin(
        "measured_at", key_result, bob, measured_at=dt.datetime(2026, 12, 1, 9)
    )
    assert "future" in message


def test_a_check_in_before_the_cycle_began_is_refused(key_result, bob):
    message = refused_checkin(
        "measured_at", key_result, bob, measured_at=dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC)
    )
    assert "began on" in message and "Q4 2026" in message


def test_the_cycle_start_is_judged_in_the_organizations_time_zone(key_result, bob):
    # 23:30 UTC on 30 September is already 1 October in Berlin.
    when = dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)
    assert checkin_record(key_result=key_result, value=21, measured_at=when, by=bob)


def test_measured_on_today_is_now_and_a_past_day_is_noon_there(org):
    assert measured_on(dt.date(2026, 11, 15), organization=org) == NOW_DT
    assert measured_on(dt.date(2026, 11, 2), organization=org) == dt.datetime(
        2026, 11, 2, 11, tzinfo=dt.UTC
    )
