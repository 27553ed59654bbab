"""When weekly things are due: pure date arithmetic over time zones, no database.

A weekly occurrence is a local day of the week and hour in a time zone ("Friday 10:00 in
Europe/Berlin"). Its period key is the ISO week of that local day, so each week has exactly one
occurrence whatever daylight-saving time does: in the week clocks go forward the local hour may
not exist and is taken at the offset before the change; in the week they go back an hour that
happens twice is taken the first time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

UTC = dt.UTC


@dataclass(frozen=True)
class Occurrence:
    period: str  # "2026-W48"
    due: dt.datetime  # in UTC
    local_day: dt.date


@lru_cache(maxsize=512)
def zone(name: str) -> dt.tzinfo:
    """The time zone called `name`, or UTC for an empty or unknown name."""
    if not name:
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


def week_key(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def local_at(day: dt.date, hour: int, tz: dt.tzinfo) -> dt.datetime:
    """`hour`:00 on `day` in `tz`, as a UTC instant (see the module note on DST)."""
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
    return local.astimezone(UTC)


def last_weekly(now: dt.datetime, tz: dt.tzinfo, weekday: int, hour: int) -> Occurrence:
    """The latest occurrence of `weekday` at `hour` (local) at or before `now`."""
    local_now = now.astimezone(tz)
    day = local_now.date() - dt.timedelta(days=(local_now.weekday() - weekday) % 7)
    due = local_at(day, hour, tz)
    if due > now:
        day -= dt.timedelta(days=7)
        due = local_at(day, hour, tz)
    return Occurrence(period=week_key(day), due=due, local_day=day)


def due_weekly(
    now: dt.datetime,
    tz: dt.tzinfo,
    weekday: int,
    hour: int,
    *,
    window: dt.timedelta = dt.timedelta(hours=24),
) -> Occurrence | None:
    """The occurrence to act on now: the latest one, if it is less than `window` old. A worker
    that was down for a while still sends what fell due in the window; older ones are dropped
    (a reminder two days late does more harm than good)."""
    occurrence = last_weekly(now, tz, weekday, hour)
    return occurrence if now - occurrence.due < window else None


def local_day(now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return now.astimezone(tz).date()
