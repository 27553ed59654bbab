"""A small iCalendar (RFC 5545) writer: enough for subscribed feeds of meetings and milestones.

What the RFC asks and this module does:
- content lines end in CRLF and are folded so no line is longer than 75 octets (UTF-8 bytes,
  never splitting a character); a continuation line starts with one space;
- TEXT values escape backslash, semicolon, comma and newlines;
- DTSTAMP is in UTC; a timed event is either in UTC ("…Z") or a local time with TZID, and every
  TZID used gets a VTIMEZONE built from the zone's real offsets and transitions;
- all-day events use VALUE=DATE with an exclusive DTEND (the day after);
- recurring events carry an RRULE such as FREQ=WEEKLY;BYDAY=FR.

Pure Python, no database: feeds are built by `tenfold.calendars` and tested here line by line.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF not counted
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = Python's weekday()
UTC = dt.UTC


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11). Control characters other than tab and newline are
    not allowed in TEXT and are dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\t\n" or not (ord(c) < 32 or ord(c) == 127))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line, folded into physical lines of at most 75 octets, CRLF-terminated."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > FOLD_AT:
            out.append(current)
            current = " "  # the continuation marker counts toward the next line's 75
            size = 1
        current += char
        size += width
    out.append(current)
    return CRLF.join(out) + CRLF


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a UTC time needs a time zone")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def weekly_rule(weekday: int, *, interval: int = 1) -> str:
    """RRULE value for every `weekday` (0 = Monday)."""
    rule = f"FREQ=WEEKLY;BYDAY={BYDAY[weekday]}"
    return rule + (f";INTERVAL={interval}" if interval > 1 else "")


def monthly_rule(weekday: int, nth: int = 1) -> str:
    """RRULE value for the `nth` `weekday` of every month (nth = -1: the last one)."""
    return f"FREQ=MONTHLY;BYDAY={nth}{BYDAY[weekday]}"


def nth_weekday(year: int, month: int, weekday: int, nth: int = 1) -> dt.date:
    """The `nth` `weekday` of a month (1 = first, -1 = last)."""
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


@dataclass(frozen=True)
class Event:
    """One VEVENT. `start`/`end` are dates for all-day events (end exclusive; default the
    next day) or datetimes: aware ones are written in UTC unless `tzid` names the zone to
    write them in as local times."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None
    description: str = ""
    url: str = ""
    tzid: str = ""
    rrule: str = ""
    categories: Sequence[str] = ()
    transparent: bool = False

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


def _when(name: str, value: dt.date | dt.datetime, tzid: str) -> str:
    if not isinstance(value, dt.datetime):
        return f"{name};VALUE=DATE:{_date(value)}"
    if tzid == "UTC":  # written the plain way, "…Z", which needs no VTIMEZONE
        return f"{name}:{_utc(value if value.tzinfo else value.replace(tzinfo=UTC))}"
    if tzid:
        local = value.astimezone(zoneinfo.ZoneInfo(tzid)) if value.tzinfo else value
        return f"{name};TZID={tzid}:{_local(local)}"
    return f"{name}:{_utc(value)}"


def _event_lines(event: Event, stamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_utc(stamp)}"]
    lines.append(_when("DTSTART", event.start, event.tzid))
    end = event.end
    if end is None and event.all_day:
        end = event.start + dt.timedelta(days=1)
    if end is not None:
        lines.append(_when("DTEND", end, event.tzid))
    if event.rrule:
        lines.append(f"RRULE:{event.rrule}")
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    if event.transparent or event.all_day:
        lines.append("TRANSP:TRANSPARENT")  # milestones do not make anyone look busy
    lines.append("END:VEVENT")
    return lines


# --- VTIMEZONE --------------------------------------------------------------------------------


def _offset(delta: dt.timedelta | None) -> str:
    seconds = int((delta or dt.timedelta()).total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def transitions(zone: dt.tzinfo, first_year: int, last_year: int) -> list[dt.datetime]:
    """The UTC instants in [first_year, last_year] at which `zone` changes its offset: found
    day by day, then narrowed to the minute."""
    start = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[dt.datetime] = []
    moment = start
    before = moment.astimezone(zone).utcoffset()
    step = dt.timedelta(days=1)
    while moment < end:
        nxt = moment + step
        after = nxt.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, nxt  # offset(low) == before, offset(high) == after
            while high - low > dt.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
            before = after
        moment = nxt
    return found


def vtimezone(tzid: str, first_year: int, last_year: int) -> list[str]:
    """A VTIMEZONE for `tzid`: the observance in force on 1 January of `first_year`, then one
    STANDARD or DAYLIGHT part per transition up to the end of `last_year`, each with its exact
    onset (no rules for a client to misread)."""
    zone = zoneinfo.ZoneInfo(tzid)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]

    def part(onset: dt.datetime, before: dt.datetime, after: dt.datetime) -> list[str]:
        kind = "DAYLIGHT" if after.dst() else "STANDARD"
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{_local(onset)}",
            f"TZOFFSETFROM:{_offset(before.utcoffset())}",
            f"TZOFFSETTO:{_offset(after.utcoffset())}",
            *([f"TZNAME:{after.tzname()}"] if after.tzname() else []),
            f"END:{kind}",
        ]

    opening = dt.datetime(first_year, 1, 1, tzinfo=UTC).astimezone(zone)
    lines += part(dt.datetime(first_year, 1, 1), opening, opening)
    for change in transitions(zone, first_year, last_year):
        before = (change - dt.timedelta(minutes=1)).astimezone(zone)
        after = change.astimezone(zone)
        # The onset is written in the local time that was in force before the change.
        onset = (change + (before.utcoffset() or dt.timedelta())).replace(tzinfo=None)
        lines += part(onset, before, after)
    lines.append("END:VTIMEZONE")
    return lines


# --- the calendar -----------------------------------------------------------------------------


def calendar(
    events: Iterable[Event],
    *,
    name: str,
    stamp: dt.datetime,
    description: str = "",
    prodid: str = "-//Tenfold//OKR calendar//EN",
    refresh: str = "PT6H",
    zone_years: tuple[int, int] | None = None,
) -> str:
    """The whole VCALENDAR as text (CRLF line endings, folded). `zone_years` bounds the
    transitions written into each VTIMEZONE (default: from the earliest event's year to two
    years after `stamp`)."""
    events = list(events)
    zones = sorted({event.tzid for event in events if event.tzid and event.tzid != "UTC"})
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"NAME:{escape_text(name)}",
    ]
    if description:
        lines.append(f"X-WR-CALDESC:{escape_text(description)}")
    if refresh:
        lines.append(f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}")
        lines.append(f"X-PUBLISHED-TTL:{refresh}")
    if zones:
        if zone_years is None:
            years = [event.start.year for event in events if event.tzid]
            zone_years = (min([*years, stamp.year]), stamp.year + 2)
        for tzid in zones:
            lines += vtimezone(tzid, *zone_years)
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


__all__: Sequence[str] = (
    "Event",
    "calendar",
    "escape_text",
    "fold",
    "monthly_rule",
    "nth_weekday",
    "transitions",
    "vtimezone",
    "weekly_rule",
)
