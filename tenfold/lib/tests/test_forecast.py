"""Forecasts on synthetic histories whose trend is known, without a database."""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib.forecast import (
    T_90,
    Forecast,
    NoForecast,
    ObjectiveForecast,
    Reason,
    forecast,
    forecast_or_reason,
    objective_forecast,
    readings_by_key_result,
    standing_readings,
    t_quantile_80,
)

START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
TODAY = dt.date(2026, 11, 15)
HORIZON = (END - START).days  # 91


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def project(readings, **kwargs):
    kwargs.setdefault("cycle_start", START)
    kwargs.setdefault("cycle_end", END)
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("kind", "increase")
    kwargs.setdefault("start", D(20))
    kwargs.setdefault("target", D(40))
    return forecast(readings, **kwargs)


def line(intercept: float, slope: float, days):
    return [(day(n), D(repr(round(intercept + slope * n, 4)))) for n in days]


# --- the t table --------------------------------------------------------------------------------


def _t_cdf_above_zero(t: float, df: int, steps: int = 20000) -> float:
    """∫₀ᵗ of Student's t density (Simpson's rule)."""
    norm = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)
    h = t / steps
    total = 0.0
    for i in range(steps + 1):
        x = i * h
        weight = 1 if i in (0, steps) else (4 if i % 2 else 2)
        total += weight * norm * (1 + x * x / df) ** (-(df + 1) / 2)
    return total * h / 3


@pytest.mark.parametrize("df", sorted(T_90))
def test_every_row_of_the_t_table_leaves_ten_percent_in_each_tail(df):
    assert _t_cdf_above_zero(T_90[df], df) == pytest.approx(0.4, abs=0.0002)


def test_the_t_quantile_uses_the_lower_row_between_rows_and_the_normal_far_out():
    assert t_quantile_80(1) == pytest.approx(3.0777)
    assert t_quantile_80(35) == T_90[30]
    assert t_quantile_80(500) == pytest.approx(1.2816)
    with pytest.raises(ValueError):
        t_quantile_80(0)


# --- key results --------------------------------------------------------------------------------


def test_an_exact_line_projects_onto_the_line_with_no_band():
    # 20 + 0.2 a day: 38.2 on day 91, the cycle's last day.
    result = project(line(20, 0.2, [0, 7, 14, 21, 28, 35, 42]))
    assert isinstance(result, Forecast)
    assert result.value == D("38.2000")
    assert result.value_low == result.value_high == result.value
    assert result.progress == D("0.9100")
    assert result.low == result.high == result.progress
    assert result.slope_per_day == D("0.200000")
    assert result.slope_per_week == D("1.400000")
    assert result.r_squared == D("1.0000")
    assert result.readings == 7
    assert result.at == END
    assert result.fitted_first == D("20.0000")
    assert result.fitted_last == D("28.4000")
    assert (result.first_day, result.last_day, result.days) == (day(0), day(42), 42)
    assert result.holds is None
    assert result.method == "linear_fit_80"


def test_a_flat_series_projects_the_current_value_with_a_zero_width_band():
    result = project([(day(n), D(30)) for n in (3, 10, 17, 24)])
    assert result.value == result.value_low == result.value_high == D("30.0000")
    assert result.progress == D("0.5000")
    assert result.slope_per_day == 0
    assert result.r_squared is None


def _noisy(count: int, seed: int = 7):
    rng = random.Random(seed)
    days = [round(n * 44 / (count - 1)) for n in range(count)]
    return [(day(n), D(repr(round(20 + 0.15 * n + rng.gauss(0, 1), 4)))) for n in days]


def test_a_noisy_series_brackets_the_true_value_and_narrows_with_more_readings():
    truth = D(repr(20 + 0.15 * HORIZON))  # 33.65
    few = project(_noisy(5))
    many = project(_noisy(40))
    for result in (few, many):
        assert result.value_low < truth < result.value_high
        assert result.value_high - result.value_low > 0
        assert result.low < result.progress < result.high
    assert many.value_high - many.value_low < few.value_high - few.value_low
    assert abs(many.slope_per_day - D("0.15")) < D("0.05")
    assert D(0) < many.r_squared < D(1)


def test_the_same_readings_in_any_order_give_the_same_forecast():
    readings = _noisy(12)
    assert project(readings) == project(list(reversed(readings)))


def test_a_falling_metric_projects_progress_the_right_way_round():
    # From 14 days down to 10: 14 − 0.04 a day reaches 10.36 at the end, 91 %.
    readings = [(day(n), D(repr(round(14 - 0.04 * n, 4)))) for n in (0, 10, 20, 30)]
    readings.append((day(40), D("12.5")))  # a bit of scatter, so there is a band
    result = project(readings, kind="decrease", start=D(14), target=D(10))
    assert result.slope_per_day < 0
    assert result.value_low < result.value < result.value_high
    # The low value is the better outcome for a falling metric.
    assert result.low < result.progress < result.high
    assert result.high == min(D(1), (D(14) - result.value_low) / 4).quantize(D("0.0001"))


def test_progress_is_clamped_but_the_raw_figures_are_kept():
    result = project(line(20, 0.5, [0, 10, 20]))  # 65.5 at the end: far past 40
    assert result.progress == D(1)
    assert result.progress_raw == D("2.2750")
    backwards = project(line(20, -0.1, [0, 10, 20]))
    assert backwards.progress == D(0)
    assert backwards.progress_raw < 0


def test_keep_above_projects_the_value_and_says_whether_it_holds():
    falling = [(day(n), D(repr(round(60 - 0.2 * n, 4)))) for n in (0, 10, 20, 30)]
    result = project(falling, kind="keep_above", start=None, target=D(50))
    assert result.value == D("41.8000")
    assert result.holds is False
    assert result.progress == D(0)
    steady = project(
        [(day(n), D(v)) for n, v in ((0, 55), (10, 57), (20, 54), (30, 56))],
        kind="keep_above",
        start=None,
        target=D(50),
    )
    assert steady.holds is True
    assert steady.progress == D(1)
    assert steady.value_low < steady.value < steady.value_high


def test_keep_below_holds_when_the_projection_stays_under_the_level():
    result = project(line(3, 0.01, [0, 10, 20]), kind="keep_below", start=None, target=D(5))
    assert result.holds is True
    assert result.progress == D(1)


def test_fewer_than_three_readings_give_no_forecast():
    assert project([]) is None
    assert project(line(20, 0.2, [0, 7])) is None
    reason = forecast_or_reason(
        line(20, 0.2, [0, 7]),
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        kind="increase",
        start=D(20),
        target=D(40),
    )
    assert reason == NoForecast(Reason.TOO_FEW_READINGS, readings=2)


def test_readings_all_on_one_day_have_no_slope_and_no_forecast():
    readings = [(day(5), D(v)) for v in (21, 22, 23)]
    assert project(readings) is None
    reason = forecast_or_reason(
        readings,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        kind="increase",
        start=D(20),
        target=D(40),
    )
    assert reason.reason is Reason.ONE_DAY


def test_a_milestone_is_never_forecast():
    readings = [(day(n), D(0)) for n in (0, 10, 20)]
    result = forecast_or_reason(
        readings,
        cycle_start=START,
        cycle_end=END,
        today=TODAY,
        kind="milestone",
        start=None,
        target=D(1),
    )
    assert result == NoForecast(Reason.MILESTONE, readings=3)


def test_readings_outside_the_cycle_or_after_today_are_ignored():
    inside = line(20, 0.2, [0, 14, 28])
    outside = [
        (START - dt.timedelta(days=3), D(99)),
        (END + dt.timedelta(days=1), D(-5)),
        (TODAY + dt.timedelta(days=1), D(77)),
    ]
    assert project(inside + outside) == project(inside)
    assert project(inside[:2] + outside) is None


def test_an_ended_cycle_reads_the_line_on_its_last_day():
    late = dt.date(2027, 2, 1)
    readings = line(20, 0.2, [0, 30, 60, 90])
    result = project([*readings, (dt.date(2027, 1, 10), D(80))], today=late)
    assert result.at == END
    assert result.value == D("38.2000")


# --- readings from check-ins --------------------------------------------------------------------


def test_superseded_readings_are_left_out():
    utc = dt.UTC
    rows = [
        (1, None, dt.datetime(2026, 10, 1, 9, tzinfo=utc), D(20)),
        (2, None, dt.datetime(2026, 10, 8, 9, tzinfo=utc), D(90)),
        (3, 2, dt.datetime(2026, 10, 8, 9, tzinfo=utc), D("21.4")),
        (4, None, dt.datetime(2026, 10, 15, 9, tzinfo=utc), D("22.8")),
    ]
    readings = standing_readings(rows, utc)
    assert [value for _day, value in readings] == [D(20), D("21.4"), D("22.8")]
    assert project(readings).slope_per_day == D("0.200000")


def test_readings_take_the_organizations_local_day():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    late_evening = dt.datetime(2026, 10, 1, 22, 30, tzinfo=dt.UTC)  # 00:30 on 2 October
    assert standing_readings([(1, None, late_evening, D(5))], berlin) == [
        (dt.date(2026, 10, 2), D(5))
    ]


def test_rows_of_many_key_results_are_grouped_by_key_result():
    at = dt.datetime(2026, 10, 5, 12, tzinfo=dt.UTC)
    rows = [(7, 1, None, at, D(1)), (8, 2, None, at, D(2)), (7, 3, 1, at, D(3))]
    assert readings_by_key_result(rows, dt.UTC) == {
        7: [(at.date(), D(3))],
        8: [(at.date(), D(2))],
    }


# --- objectives ---------------------------------------------------------------------------------


def _kr(progress, low, high) -> Forecast:
    base = project(line(20, 0.2, [0, 7, 14]))
    return Forecast(
        **{
            **base.__dict__,
            "progress": D(progress),
            "low": D(low),
            "high": D(high),
        }
    )


def test_an_objective_forecast_is_the_weighted_mean_of_its_key_results():
    result = objective_forecast([(_kr("0.6", "0.5", "0.7"), D(1)), (_kr("0.9", "0.8", "1"), D(2))])
    assert result == ObjectiveForecast(
        progress=D("0.8000"), low=D("0.7000"), high=D("0.9000"), key_results=2, readings=6
    )


def test_a_key_result_with_weight_zero_does_not_need_a_forecast():
    missing = NoForecast(Reason.TOO_FEW_READINGS, readings=1)
    result = objective_forecast([(_kr("0.6", "0.5", "0.7"), D(1)), (missing, D(0))])
    assert result.progress == D("0.6000")
    assert result.key_results == 1


def test_an_objective_without_every_forecast_has_none_and_says_why():
    missing = NoForecast(Reason.TOO_FEW_READINGS, readings=1)
    assert objective_forecast(
        [(_kr("0.6", "0.5", "0.7"), D(1)), (missing, D(1)), (None, D(3))]
    ) == NoForecast(Reason.KEY_RESULTS_WITHOUT_FORECAST, missing=2)
    assert objective_forecast([]) == NoForecast(Reason.NO_KEY_RESULTS)
    assert objective_forecast([(_kr("0.6", "0.5", "0.7"), D(0))]) == NoForecast(
        Reason.ALL_WEIGHTS_ZERO
    )


# --- properties ---------------------------------------------------------------------------------


@given(
    intercept=st.integers(-1000, 1000),
    slope=st.integers(-50, 50),
    days=st.lists(st.integers(0, 91), min_size=3, max_size=20, unique=True),
)
def test_any_exact_line_is_projected_onto_itself(intercept, slope, days):
    readings = [(day(n), D(intercept) + D(slope) * n / 10) for n in days]
    result = project(readings, today=END, start=D(-2000), target=D(2000))
    expected = D(intercept) + D(slope) * HORIZON / 10
    assert abs(result.value - expected) <= D("0.001")
    assert result.value_high - result.value_low <= D("0.002")


@given(
    values=st.lists(st.integers(-100, 100), min_size=3, max_size=15),
    kind=st.sampled_from(["increase", "decrease", "keep_above", "keep_below"]),
)
def test_the_band_always_contains_the_projection_and_progress_stays_in_range(values, kind):
    readings = [(day(n * 3), D(v)) for n, v in enumerate(values)]
    start, target = (D(-100), D(100)) if kind != "decrease" else (D(100), D(-100))
    result = project(readings, kind=kind, start=start, target=target, today=END)
    assert result.value_low <= result.value <= result.value_high
    assert D(0) <= result.low <= result.progress <= result.high <= D(1)
    assert result.low_raw <= result.progress_raw <= result.high_raw
