"""tenfold checkin --date: late check-ins from the command line."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_dated_check_in_is_stored_at_noon_of_that_day_there(key_result, bob):
    run("checkin", key_result.code, "24", "--as", bob.email, "--date", "2026-11-02")
    checkin = CheckIn.objects.get()
    # Noon in Berlin, which is UTC+1 in November.
    assert checkin.measured_at == dt.datetime(2026, 11, 2, 11, tzinfo=dt.UTC)
    assert checkin.source == "cli"
    key_result.refresh_from_db()
    assert key_result.current == D(24)


def test_a_late_check_in_says_a_newer_one_still_counts(key_result, bob):
    run("checkin", key_result.code, "30", "--as", bob.email)
    out = run("checkin", key_result.code, "24", "--as", bob.email, "--date", "2026-11-02")
    assert "a newer check-in still sets the current value" in out
    key_result.refresh_from_db()
    assert key_result.current == D(30)
    assert CheckIn.objects.count() == 2


def test_today_as_a_date_is_an_ordinary_check_in(key_result, bob):
    run("checkin", key_result.code, "30", "--as", bob.email, "--date", "2026-11-15")
    assert CheckIn.objects.get().measured_at == dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2026-11-16", "future"),
        ("2026-09-30", "began on"),
        ("15/11/2026", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
    ],
)
def test_a_bad_date_is_refused_and_nothing_is_written(key_result, bob, date, words):
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=words):
        run("checkin", key_result.code, "24", "--as", bob.email, "--date", date)
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == events
    key_result.refresh_from_db()
    assert key_result.current is None
