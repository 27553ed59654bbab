"""The health rules, without a database: each direction, and its boundaries."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tenfold.kpis.health import Health, Trend, health, trend, trend_is_good

H, U, X = Health.HEALTHY, Health.UNHEALTHY, Health.UNKNOWN


@pytest.mark.parametrize(
    ("value", "expected"),
    [("39.99", U), ("40", H), ("40.01", H), ("-5", U), ("1000", H)],
)
def test_higher_is_better_is_healthy_at_or_above_the_target(value, expected):
    assert health(D(value), direction="higher_is_better", target=D(40)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3.99", H), ("4", H), ("4.01", U), ("0", H), ("-1", H)],
)
def test_lower_is_better_is_healthy_at_or_below_the_target(value, expected):
    assert health(D(value), direction="lower_is_better", target=D(4)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2.99", U), ("3", H), ("4", H), ("5", H), ("5.01", U)],
)
def test_a_range_is_healthy_between_its_ends_both_included(value, expected):
    assert health(D(value), direction="in_range", target=D(3), target_high=D(5)) is expected


def test_a_range_of_one_value_is_healthy_only_there():
    rule = {"direction": "in_range", "target": D(7), "target_high": D(7)}
    assert [health(D(v), **rule) for v in ("6.9", "7", "7.1")] == [U, H, U]


def test_a_range_without_an_upper_end_reads_as_at_least_the_lower_end():
    assert health(D(99), direction="in_range", target=D(3), target_high=None) is H


@pytest.mark.parametrize("direction", ["higher_is_better", "lower_is_better", "in_range"])
def test_no_value_is_unknown_whatever_the_direction(direction):
    assert health(None, direction=direction, target=D(1), target_high=D(2)) is X


def test_an_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        health(D(1), direction="sideways", target=D(1))


def test_trend_follows_the_last_move():
    assert trend([]) is Trend.NONE
    assert trend([D(1)]) is Trend.NONE
    assert trend([D(1), D(3), D(2)]) is Trend.DOWN
    assert trend([D(3), D(2), D(2)]) is Trend.FLAT
    assert trend([D(3), D(2), D(4)]) is Trend.UP


def test_a_move_is_good_when_it_goes_the_kpis_way():
    up, down = Trend.UP, Trend.DOWN
    assert trend_is_good(up, direction="higher_is_better", value=D(1), target=D(5)) is True
    assert trend_is_good(down, direction="higher_is_better", value=D(1), target=D(5)) is False
    assert trend_is_good(down, direction="lower_is_better", value=D(1), target=D(5)) is True
    assert trend_is_good(Trend.FLAT, direction="lower_is_better", value=D(1), target=D(5)) is None
    rng = {"direction": "in_range", "target": D(3), "target_high": D(5)}
    assert trend_is_good(up, value=D(2), **rng) is True  # below the range, rising
    assert trend_is_good(up, value=D(6), **rng) is False  # above it, still rising
    assert trend_is_good(down, value=D("4.5"), **rng) is True  # back toward the middle
