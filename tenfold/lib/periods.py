"""Cycle calendars: quarters from a fiscal-year start month, and other cycle lengths."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    name: str
    start: dt.date
    end: dt.date  # inclusive


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months after (or, when negative, before) the month
    of `day`; the day of the month is not kept."""
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, 1)


def fiscal_year_start(year: int, start_month: int) -> dt.date:
    """First day of fiscal year `year`. A fiscal year is named after the calendar year in
    which it ends when it does not start in January (FY2027 starting April 2026 ends March 2027).
    """
    if not 1 <= start_month <= 12:
        raise ValueError("start month must be between 1 and 12")
    return dt.date(year if start_month == 1 else year - 1, start_month, 1)


def fiscal_year(year: int, start_month: int) -> Period:
    start = fiscal_year_start(year, start_month)
    end = add_months(start, 12) - dt.timedelta(days=1)
    return Period(name=f"FY{year}" if start_month != 1 else str(year), start=start, end=end)


def quarters(year: int, start_month: int) -> list[Period]:
    first = fiscal_year_start(year, start_month)
    label = f"FY{year}" if start_month != 1 else str(year)
    result = []
    for index in range(4):
        start = add_months(first, 3 * index)
        end = add_months(start, 3) - dt.timedelta(days=1)
        result.append(Period(name=f"Q{index + 1} {label}", start=start, end=end))
    return result


def fiscal_year_of(day: dt.date, start_month: int) -> int:
    """The fiscal year that contains `day`."""
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def months(start: dt.date, count: int) -> list[Period]:
    first = dt.date(start.year, start.month, 1)
    result = []
    for index in range(count):
        begin = add_months(first, index)
        end = add_months(begin, 1) - dt.timedelta(days=1)
        result.append(Period(name=begin.strftime("%b %Y"), start=begin, end=end))
    return result


def weeks_period(start: dt.date, weeks: int, name: str) -> Period:
    return Period(name=name, start=start, end=start + dt.timedelta(days=7 * weeks - 1))


def week_start_of(day: dt.date, week_start: int) -> dt.date:
    """The first day of the week that contains `day`, for weeks starting on `week_start`
    (0 = Monday … 6 = Sunday)."""
    if not 0 <= week_start <= 6:
        raise ValueError("week_start must be between 0 (Monday) and 6 (Sunday)")
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)
