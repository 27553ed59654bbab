"""Correcting a check-in: a new row that supersedes the original, which stays in the history."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_correct, checkin_record, latest_reading
from tenfold.okrs.services import cycle_set_state, key_result_create
from tenfold.okrs.tests.helpers import NOW, refused

NOW_DT = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
LAST_WEEK = dt.datetime(2026, 11, 8, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reading(key_result, bob):
    return checkin_record(key_result=key_result, value=30, confidence=7, note="Shipped", by=bob)


def test_a_correction_is_a_new_row_that_supersedes_the_original(reading, key_result, carol):
    correction = checkin_correct(checkin=reading, value="32", reason="Read the wrong row", by=carol)
    correction.refresh_from_db()
    assert correction.pk != reading.pk
    assert correction.supersedes == reading
    assert (correction.value, correction.edit_reason, correction.author) == (
        D(32),
        "Read the wrong row",
        carol,
    )
    assert correction.measured_at == reading.measured_at
    reading.refresh_from_db()
    assert reading.value == D(30)  # what was said is never overwritten
    assert list(reading.superseded_by.all()) == [correction]


def test_confidence_and_note_are_kept_unless_given(reading, carol):
    kept = checkin_correct(checkin=reading, value=31, reason="typo", by=carol)
    assert (kept.confidence, kept.note) == (D("0.7"), "Shipped")
    changed = checkin_correct(checkin=kept, value=31, confidence=4, note="", reason="x", by=carol)
    assert (changed.confidence, changed.note) == (D("0.4"), "")
    cleared = checkin_correct(checkin=changed, value=31, confidence="", reason="x", by=carol)
    assert cleared.confidence is None


def test_the_key_result_and_objective_follow_the_corrected_value(
    reading, key_result, objective, carol
):
    checkin_correct(checkin=reading, value=36, confidence=8, reason="Late data", by=carol)
    key_result.refresh_from_db()
    objective.refresh_from_db()
    assert (key_result.current, key_result.progress, key_result.last_confidence) == (
        D(36),
        D("0.8"),
        D("0.8"),
    )
    assert key_result.last_checkin_at == NOW_DT
    assert objective.progress == D("0.8")


def test_correcting_an_older_reading_leaves_the_current_value(key_result, bob, carol):
    old = checkin_record(key_result=key_result, value=24, measured_at=LAST_WEEK, by=bob)
    checkin_record(key_result=key_result, value=30, by=bob)
    checkin_correct(checkin=old, value=25, reason="Rounded wrongly", by=carol)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.last_checkin_at) == (D(30), NOW_DT)


def test_the_latest_reading_ignores_superseded_rows(reading, key_result, carol):
    correction = checkin_correct(checkin=reading, value=33, reason="typo", by=carol)
    assert latest_reading(key_result) == correction


def test_a_correction_of_a_correction_is_allowed_on_the_newest_version(reading, key_result, bob):
    first = checkin_correct(checkin=reading, value=31, reason="one", by=bob)
    second = checkin_correct(checkin=first, value=32, reason="two", by=bob)
    key_result.refresh_from_db()
    assert key_result.current == D(32)
    assert second.supersedes == first


def test_a_later_check_in_still_wins_over_a_correction_of_an_earlier_one(key_result, bob):
    old = checkin_record(key_result=key_result, value=24, measured_at=LAST_WEEK, by=bob)
    checkin_correct(checkin=old, value=26, reason="typo", by=bob)
    key_result.refresh_from_db()
    assert key_result.current == D(26)
    checkin_record(key_result=key_result, value=35, by=bob)
    key_result.refresh_from_db()
    assert key_result.current == D(35)


def test_a_correction_writes_one_audit_event_with_both_values(reading, key_result, carol):
    before = AuditEvent.objects.count()
    correction = checkin_correct(checkin=reading, value="32.5", reason="typo", by=carol)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(verb="checkin.corrected")
    assert (event.actor, event.object_code, event.objective_code) == (
        carol,
        key_result.code,
        key_result.objective.code,
    )
    assert event.changes["value"] == ["30", "32.5"]
    assert event.changes["confidence"] == ["0.7", "0.7"]
    assert event.changes["reason"] == "typo"
    assert (event.changes["checkin"], event.changes["correction"]) == (
        reading.code,
        correction.code,
    )


def test_a_milestone_can_be_corrected_back_to_not_done(objective, bob, carol):
    kr = key_result_create(
        objective=objective, title="Launch the referral page", kind="milestone", target=1, by=carol
    )
    done = checkin_record(key_result=kr, value=1, by=bob)
    kr.refresh_from_db()
    assert kr.progress == 1
    checkin_correct(checkin=done, value=0, reason="Still behind a flag", by=bob)
    kr.refresh_from_db()
    assert (kr.current, kr.progress) == (0, 0)


# --- refused ----------------------------------------------------------------------------------


def refused_correction(field, checkin, by, **kwargs):
    kwargs.setdefault("value", 31)
    kwargs.setdefault("reason", "typo")
    kr = checkin.key_result
    kr.refresh_from_db()
    before = (kr.current, kr.progress, kr.last_checkin_at)
    message = refused(field, checkin_correct, checkin=checkin, by=by, **kwargs)
    kr.refresh_from_db()
    assert (kr.current, kr.progress, kr.last_checkin_at) == before
    return message


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_correction_needs_a_reason(reading, bob, reason):
    assert "why" in refused_correction("reason", reading, bob, reason=reason).lower()


def test_a_reason_over_three_hundred_characters_is_refused(reading, bob):
    assert "300" in refused_correction("reason", reading, bob, reason="r" * 301)


def test_a_reason_of_three_hundred_characters_is_accepted(reading, bob):
    assert checkin_correct(checkin=reading, value=31, reason="r" * 300, by=bob)


@pytest.mark.parametrize(("value", "words"), [("lots", "not a number"), ("", "Enter a number")])
def test_a_correction_needs_a_number(reading, bob, value, words):
    assert words in refused_correction("value", reading, bob, value=value)


def test_a_bad_confidence_is_refused(reading, bob):
    assert "0 to 10" in refused_correction("confidence", reading, bob, confidence=12)


def test_a_superseded_check_in_cannot_be_corrected_again(reading, bob):
    checkin_correct(checkin=reading, value=31, reason="typo", by=bob)
    message = refused_correction("__all__", reading, bob, value=99)
    assert "newest version" in message
    assert CheckIn.objects.filter(value=99).count() == 0


def test_a_correction_on_a_closed_cycle_is_refused(reading, cycle, alice, bob):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    assert "closed" in refused_correction("__all__", reading, bob)


def test_every_problem_is_reported_at_once(reading, bob):
    message = refused("value", checkin_correct, checkin=reading, value="x", reason="", by=bob)
    assert message
    with pytest.raises(Exception) as caught:
        checkin_correct(checkin=reading, value="x", confidence=11, reason="", by=bob)
    assert set(caught.value.message_dict) == {"value", "confidence", "reason"}
