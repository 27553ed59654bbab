"""Cycle calendars: quarters, fiscal years and months."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib.periods import (
    Period,
    add_months,
    fiscal_year,
    fiscal_year_of,
    fiscal_year_start,
    months,
    quarters,
    weeks_period,
)

D = dt.date


def test_calendar_quarters_are_named_after_the_year():
    assert quarters(2027, 1) == [
        Period("Q1 2027", D(2027, 1, 1), D(2027, 3, 31)),
        Period("Q2 2027", D(2027, 4, 1), D(2027, 6, 30)),
        Period("Q3 2027", D(2027, 7, 1), D(2027, 9, 30)),
        Period("Q4 2027", D(2027, 10, 1), D(2027, 12, 31)),
    ]


def test_fiscal_quarters_from_april_belong_to_the_year_they_end_in():
    assert quarters(2027, 4) == [
        Period("Q1 FY2027", D(2026, 4, 1), D(2026, 6, 30)),
        Period("Q2 FY2027", D(2026, 7, 1), D(2026, 9, 30)),
        Period("Q3 FY2027", D(2026, 10, 1), D(2026, 12, 31)),
        Period("Q4 FY2027", D(2027, 1, 1), D(2027, 3, 31)),
    ]


@pytest.mark.parametrize("start_month", range(1, 13))
def test_quarters_tile_the_fiscal_year_with_inclusive_ends(start_month):
    parts = quarters(2028, start_month)
    year = fiscal_year(2028, start_month)
    assert parts[0].start == year.start
    assert parts[-1].end == year.end
    for before, after in itertools.pairwise(parts):
        assert after.start == before.end + dt.timedelta(days=1)
    assert sum((p.end - p.start).days + 1 for p in parts) == (year.end - year.start).days + 1


def test_a_leap_year_first_quarter_has_ninety_one_days():
    first = quarters(2028, 1)[0]
    assert (first.end - first.start).days + 1 == 91
    assert (quarters(2027, 1)[0].end - quarters(2027, 1)[0].start).days + 1 == 90


def test_a_quarter_ending_in_february_ends_on_the_twenty_ninth_in_a_leap_year():
    assert quarters(2028, 3)[-1] == Period("Q4 FY2028", D(2027, 12, 1), D(2028, 2, 29))
    assert quarters(2027, 3)[-1].end == D(2027, 2, 28)


def test_a_fiscal_year_from_april_ends_in_march_of_its_named_year():
    assert fiscal_year(2027, 4) == Period("FY2027", D(2026, 4, 1), D(2027, 3, 31))
    assert fiscal_year(2027, 1) == Period("2027", D(2027, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_start_month_outside_one_to_twelve_is_an_error(month):
    with pytest.raises(ValueError):
        fiscal_year_start(2027, month)


@pytest.mark.parametrize(
    ("day", "start_month", "year"),
    [
        (D(2026, 1, 1), 1, 2026),
        (D(2026, 12, 31), 1, 2026),
        (D(2026, 3, 31), 4, 2026),
        (D(2026, 4, 1), 4, 2027),
        (D(2026, 12, 31), 4, 2027),
        (D(2027, 1, 1), 4, 2027),
        (D(2026, 11, 30), 12, 2026),
        (D(2026, 12, 1), 12, 2027),
    ],
)
def test_fiscal_year_of_names_the_year_a_day_belongs_to(day, start_month, year):
    assert fiscal_year_of(day, start_month) == year


@given(
    day=st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), start_month=st.integers(1, 12)
)
def test_every_day_lies_in_the_fiscal_year_named_for_it(day, start_month):
    year = fiscal_year(fiscal_year_of(day, start_month), start_month)
    assert year.start <= day <= year.end


def test_months_run_across_a_year_end_with_their_last_day_included():
    assert months(D(2026, 11, 15), 3) == [
        Period("Nov 2026", D(2026, 11, 1), D(2026, 11, 30)),
        Period("Dec 2026", D(2026, 12, 1), D(2026, 12, 31)),
        Period("Jan 2027", D(2027, 1, 1), D(2027, 1, 31)),
    ]


def test_february_ends_on_the_twenty_ninth_in_a_leap_year():
    assert months(D(2028, 2, 1), 1)[0].end == D(2028, 2, 29)
    assert months(D(2027, 2, 1), 1)[0].end == D(2027, 2, 28)
    assert months(D(2100, 2, 1), 1)[0].end == D(2100, 2, 28)  # not a leap year
    assert months(D(2000, 2, 1), 1)[0].end == D(2000, 2, 29)


@pytest.mark.parametrize(
    ("day", "count", "result"),
    [
        (D(2026, 11, 1), 3, D(2027, 2, 1)),
        (D(2026, 12, 1), 1, D(2027, 1, 1)),
        (D(2026, 1, 1), -1, D(2025, 12, 1)),
        (D(2026, 1, 1), 24, D(2028, 1, 1)),
        (D(2026, 3, 1), -15, D(2024, 12, 1)),
        (D(2026, 6, 1), 0, D(2026, 6, 1)),
    ],
)
def test_add_months_crosses_year_ends_in_both_directions(day, count, result):
    assert add_months(day, count) == result


def test_add_months_gives_the_first_day_of_the_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 1)


def test_a_six_week_period_ends_on_its_forty_second_day():
    period = weeks_period(D(2027, 1, 1), 6, "C1 2027")
    assert period == Period("C1 2027", D(2027, 1, 1), D(2027, 2, 11))
    assert (period.end - period.start).days + 1 == 42
