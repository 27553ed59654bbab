"""The iCalendar writer: line endings, folding at 75 octets, escaping, dates and times,
recurrence rules and time zones, read back with a small parser."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib import ics

from .ics_parser import parse, physical_lines, unescape, unfold

STAMP = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


def test_escaping_covers_backslash_semicolon_comma_and_newlines():
    assert ics.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert ics.escape_text("bell\x07 and\ttab") == "bell and\ttab"


def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character():
    line = "DESCRIPTION:" + "é" * 100  # two octets each
    folded = ics.fold(line)
    lines = folded[:-2].split("\r\n")
    assert all(len(part.encode()) <= 75 for part in lines)
    assert all(part.startswith(" ") for part in lines[1:])
    assert "".join([lines[0]] + [part[1:] for part in lines[1:]]) == line
    assert ics.fold("SHORT:x") == "SHORT:x\r\n"
    exact = "X:" + "a" * 73
    assert ics.fold(exact) == exact + "\r\n"  # 75 octets fit
    assert ics.fold(exact + "b") == exact + "\r\n b\r\n"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_survives_escaping_and_folding(text):
    body = ics.calendar(
        [ics.Event(uid="x@test", summary=text, start=dt.date(2026, 1, 1), description=text)],
        name=text or "n",
        stamp=STAMP,
    )
    event = parse(body).all("VEVENT")[0]
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = "".join(c for c in expected if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))
    assert unescape(event.get("SUMMARY")) == expected
    if expected:
        assert unescape(event.get("DESCRIPTION")) == expected


def test_a_calendar_reads_back_with_its_events():
    start = dt.datetime(2026, 11, 5, 9, 0)
    body = ics.calendar(
        [
            ics.Event(
                uid="checkin-abc@okr.example.com",
                summary="Weekly check-in: Growth, Sales; more",
                start=start,
                end=start + dt.timedelta(minutes=30),
                tzid="America/New_York",
                rrule=ics.weekly_rule(3),
                description="Agenda:\n1. Status\n2. Learnings\n3. Plans " + "x" * 120,
                url="https://okr.example.com/acme/units/abc/meeting/",
            ),
            ics.Event(
                uid="q1-start@okr.example.com", summary="Q1 2027 starts", start=dt.date(2027, 1, 1)
            ),
            ics.Event(
                uid="utc@okr.example.com",
                summary="In UTC",
                start=dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.UTC),
                end=dt.datetime(2026, 12, 1, 16, 0, tzinfo=dt.UTC),
            ),
        ],
        name="Growth · OKR rhythm",
        stamp=STAMP,
    )
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    root = parse(body)
    assert root.name == "VCALENDAR"
    assert root.get("PRODID") == "-//Tenfold//OKR calendar//EN"
    assert root.get("X-WR-CALNAME") == "Growth · OKR rhythm"
    [zone] = root.all("VTIMEZONE")
    assert zone.get("TZID") == "America/New_York"
    weekly, allday, utc = root.all("VEVENT")
    assert weekly.get("DTSTAMP") == "20261115T120000Z"
    assert weekly.param("DTSTART", "TZID") == "America/New_York"
    assert weekly.get("DTSTART") == "20261105T090000"
    assert weekly.get("DTEND") == "20261105T093000"
    assert weekly.get("RRULE") == "FREQ=WEEKLY;BYDAY=TH"
    assert unescape(weekly.get("SUMMARY")) == "Weekly check-in: Growth, Sales; more"
    assert unescape(weekly.get("DESCRIPTION")).startswith("Agenda:\n1. Status\n2.")
    assert weekly.get("URL") == "https://okr.example.com/acme/units/abc/meeting/"
    assert allday.param("DTSTART", "VALUE") == "DATE"
    assert (allday.get("DTSTART"), allday.get("DTEND")) == ("20270101", "20270102")
    assert allday.get("TRANSP") == "TRANSPARENT"
    assert (utc.get("DTSTART"), utc.get("DTEND")) == ("20261201T153000Z", "20261201T160000Z")
    # Long lines were folded, and every line obeys the limit (checked by the parser).
    assert any(line.startswith(" ") for line in physical_lines(body))
    assert len(unfold(body)) < len(physical_lines(body))


def test_vtimezone_has_the_real_transitions_of_new_york():
    lines = ics.vtimezone("America/New_York", 2026, 2026)
    text = "\r\n".join(lines) + "\r\n"
    zone = parse(text)
    parts = [
        (c.name, c.get("DTSTART"), c.get("TZOFFSETFROM"), c.get("TZOFFSETTO"))
        for c in zone.children
    ]
    assert parts == [
        ("STANDARD", "20260101T000000", "-0500", "-0500"),
        ("DAYLIGHT", "20260308T020000", "-0500", "-0400"),
        ("STANDARD", "20261101T020000", "-0400", "-0500"),
    ]


def test_a_zone_without_daylight_saving_has_one_part():
    zone = parse("\r\n".join(ics.vtimezone("Asia/Tokyo", 2026, 2027)) + "\r\n")
    assert [(c.name, c.get("TZOFFSETTO")) for c in zone.children] == [("STANDARD", "+0900")]


def test_rules_and_nth_weekdays():
    assert ics.weekly_rule(0) == "FREQ=WEEKLY;BYDAY=MO"
    assert ics.weekly_rule(4, interval=2) == "FREQ=WEEKLY;BYDAY=FR;INTERVAL=2"
    assert ics.monthly_rule(4) == "FREQ=MONTHLY;BYDAY=1FR"
    assert ics.monthly_rule(0, -1) == "FREQ=MONTHLY;BYDAY=-1MO"
    assert ics.nth_weekday(2026, 11, 4) == dt.date(2026, 11, 6)  # first Friday
    assert ics.nth_weekday(2026, 11, 6) == dt.date(2026, 11, 1)  # first Sunday is the 1st
    assert ics.nth_weekday(2026, 12, 0, -1) == dt.date(2026, 12, 28)  # last Monday
    assert ics.nth_weekday(2026, 11, 3, 2) == dt.date(2026, 11, 12)  # second Thursday


def test_a_utc_zone_is_written_the_plain_way():
    body = ics.calendar(
        [ics.Event(uid="u@x", summary="s", start=dt.datetime(2026, 1, 2, 10), tzid="UTC")],
        name="n",
        stamp=STAMP,
    )
    event = parse(body).all("VEVENT")[0]
    assert event.get("DTSTART") == "20260102T100000Z"
    assert "VTIMEZONE" not in body
