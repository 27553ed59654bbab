"""Forecasts: where a key result is heading by the end of its cycle, with an uncertainty band.

Pure Python: no models and no database. The inputs and outputs are `Decimal`; the fit itself
runs on floats, on readings sorted first, so the same readings always give the same figures.

Method (documented for users in docs/numbers.md, "Forecast"):

- The readings are the check-ins that stand (no correction replaced them), as (day, value)
  pairs, taken inside the cycle (first to last day, both included) and not after today.
- An ordinary least-squares line is fitted to value against day number and read off on the
  cycle's last day. Once the cycle has ended that is simply the line's value on its last day:
  nothing is projected past the end.
- The band is an 80 % prediction interval at that day:
  value ± t(0.90, n − 2) × s × √(1 + 1/n + (X − x̄)² / Sxx), where s is the residual standard
  error. It is about the reading on the last day, not only the line, so it stays wide when the
  readings scatter.
- Projected value and band ends are turned into progress with the same formula as the
  key result's progress (`progress.key_result_progress`), so falling metrics work, and
  clamped to [0, 1] for display; the unclamped figures are kept as well.
- No forecast from fewer than three readings (a line through two points has no error to
  measure), from readings that all fall on one day (no slope to fit), or for milestones
  (done or not done has no trend).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .progress import THRESHOLD_KINDS, Kind, clamp, key_result_progress, weighted_mean

MIN_READINGS = 3
COVERAGE = Decimal("0.8")
METHOD = "linear_fit_80"
"""The key of the method's description; pages and the API map it to text."""

VALUE_PLACES = Decimal("0.0001")
SLOPE_PLACES = Decimal("0.000001")

# Two-sided 80 % means the 0.90 quantile of Student's t with n − 2 degrees of freedom. Between
# the listed degrees of freedom the next lower row is used (a slightly wider band), and past
# 120 the normal quantile. tenfold/lib/tests/test_forecast.py checks every row by integrating
# the t density numerically.
T_90: dict[int, float] = {
    1: 3.0777,
    2: 1.8856,
    3: 1.6377,
    4: 1.5332,
    5: 1.4759,
    6: 1.4398,
    7: 1.4149,
    8: 1.3968,
    9: 1.3830,
    10: 1.3722,
    11: 1.3634,
    12: 1.3562,
    13: 1.3502,
    14: 1.3450,
    15: 1.3406,
    16: 1.3368,
    17: 1.3334,
    18: 1.3304,
    19: 1.3277,
    20: 1.3253,
    21: 1.3232,
    22: 1.3212,
    23: 1.3195,
    24: 1.3178,
    25: 1.3163,
    26: 1.3150,
    27: 1.3137,
    28: 1.3125,
    29: 1.3114,
    30: 1.3104,
    40: 1.3031,
    60: 1.2958,
    120: 1.2886,
}
Z_90 = 1.2816


def t_quantile_80(degrees_of_freedom: int) -> float:
    """The multiplier of the standard error for a two-sided 80 % interval."""
    if degrees_of_freedom < 1:
        raise ValueError("at least one degree of freedom is needed")
    if degrees_of_freedom > 120:
        return Z_90
    row = max(df for df in T_90 if df <= degrees_of_freedom)
    return T_90[row]


class Reason(enum.StrEnum):
    """Why there is no forecast; pages and the API turn the key into a sentence."""

    MILESTONE = "milestone"
    TOO_FEW_READINGS = "too_few_readings"
    ONE_DAY = "one_day"
    NO_KEY_RESULTS = "no_key_results"
    ALL_WEIGHTS_ZERO = "all_weights_zero"
    KEY_RESULTS_WITHOUT_FORECAST = "key_results_without_forecast"


@dataclass(frozen=True)
class NoForecast:
    reason: Reason
    readings: int = 0
    """How many readings counted (key results)."""
    missing: int = 0
    """How many weighted key results have no forecast (objectives)."""


@dataclass(frozen=True)
class Forecast:
    """A key result's projection at the end of its cycle."""

    at: dt.date
    """The day projected to: the cycle's last day."""
    value: Decimal
    value_low: Decimal
    value_high: Decimal
    progress: Decimal
    """Projected progress, clamped to [0, 1]."""
    low: Decimal
    high: Decimal
    progress_raw: Decimal
    low_raw: Decimal
    high_raw: Decimal
    readings: int
    days: int
    """Days between the first and the last reading."""
    slope_per_day: Decimal
    r_squared: Decimal | None
    """Share of the readings' variation the line explains; None when they never vary."""
    first_day: dt.date
    fitted_first: Decimal
    last_day: dt.date
    fitted_last: Decimal
    holds: bool | None = None
    """Keep above/below: whether the projected value holds the level; None otherwise."""
    coverage: Decimal = COVERAGE
    method: str = METHOD

    @property
    def slope_per_week(self) -> Decimal:
        return (self.slope_per_day * 7).quantize(SLOPE_PLACES)


@dataclass(frozen=True)
class ObjectiveForecast:
    progress: Decimal
    low: Decimal
    high: Decimal
    key_results: int
    """How many key results (with weight above 0) it combines."""
    readings: int
    """How many readings those key results' forecasts rest on, together."""


Row = tuple[int, int | None, dt.datetime, Decimal | float]
"""A check-in as (id, id of the check-in it corrects, measured at, value). The value may
come as a float: a forecast computes in floats anyway."""
Reading = tuple[dt.date, Decimal | float]


def standing_readings(rows: Iterable[Row], zone: dt.tzinfo) -> list[Reading]:
    """The readings no correction replaced, as (local day, value) pairs, oldest first."""
    rows = list(rows)
    replaced = {supersedes for _id, supersedes, _at, _value in rows if supersedes}
    kept = [
        (at.astimezone(zone).date(), value)
        for row_id, _supersedes, at, value in rows
        if row_id not in replaced
    ]
    return sorted(kept)


def readings_by_key_result(
    rows: Iterable[tuple[int, int, int | None, dt.datetime, Decimal | float]], zone: dt.tzinfo
) -> dict[int, list[Reading]]:
    """Rows of (key result id, id, supersedes id, measured at, value) for many key results,
    read in one query, as standing readings per key result."""
    grouped: dict[int, list[Row]] = {}
    for kr_id, row_id, supersedes, at, value in rows:
        grouped.setdefault(kr_id, []).append((row_id, supersedes, at, value))
    return {kr_id: standing_readings(items, zone) for kr_id, items in grouped.items()}


def _decimal(number: float, places: Decimal = VALUE_PLACES) -> Decimal:
    value = Decimal(repr(number)).quantize(places)
    return value + 0  # turns -0.0000 into 0.0000


def forecast_or_reason(
    readings: Iterable[Reading],
    *,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
    kind: str,
    start: Decimal | None,
    target: Decimal,
) -> Forecast | NoForecast:
    """The forecast, or why there is none."""
    kind = Kind(kind)
    used = sorted((day, value) for day, value in readings if cycle_start <= day <= cycle_end)
    used = [(day, value) for day, value in used if day <= today]
    if kind is Kind.MILESTONE:
        return NoForecast(Reason.MILESTONE, readings=len(used))
    n = len(used)
    if n < MIN_READINGS:
        return NoForecast(Reason.TOO_FEW_READINGS, readings=n)
    xs = [float((day - cycle_start).days) for day, _value in used]
    ys = [float(value) for _day, value in used]
    mean_x = math.fsum(xs) / n
    mean_y = math.fsum(ys) / n
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return NoForecast(Reason.ONE_DAY, readings=n)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x

    def line(x: float) -> float:
        return intercept + slope * x

    sse = math.fsum((y - line(x)) ** 2 for x, y in zip(xs, ys, strict=True))
    sst = math.fsum((y - mean_y) ** 2 for y in ys)
    horizon = float((cycle_end - cycle_start).days)
    s = math.sqrt(sse / (n - 2))
    spread = t_quantile_80(n - 2) * s * math.sqrt(1 + 1 / n + (horizon - mean_x) ** 2 / sxx)

    value = _decimal(line(horizon))
    value_low = _decimal(line(horizon) - spread)
    value_high = _decimal(line(horizon) + spread)
    middle = key_result_progress(kind, start=start, target=target, current=value)
    ends = [
        key_result_progress(kind, start=start, target=target, current=v)
        for v in (value_low, value_high)
    ]
    # A falling metric turns the low value into the high progress: order the ends again.
    ends.sort(key=lambda p: p.raw)
    holds = None
    if kind in THRESHOLD_KINDS:
        holds = value >= target if kind is Kind.KEEP_ABOVE else value <= target
    return Forecast(
        at=cycle_end,
        value=value,
        value_low=value_low,
        value_high=value_high,
        progress=middle.clamped.quantize(VALUE_PLACES),
        low=ends[0].clamped.quantize(VALUE_PLACES),
        high=ends[1].clamped.quantize(VALUE_PLACES),
        progress_raw=middle.raw.quantize(VALUE_PLACES),
        low_raw=ends[0].raw.quantize(VALUE_PLACES),
        high_raw=ends[1].raw.quantize(VALUE_PLACES),
        readings=n,
        days=(used[-1][0] - used[0][0]).days,
        slope_per_day=_decimal(slope, SLOPE_PLACES),
        # Values that never vary leave nothing to explain: r² is undefined there.
        r_squared=None if sst == 0 else _decimal(max(0.0, 1 - sse / sst)),
        first_day=used[0][0],
        fitted_first=_decimal(line(xs[0])),
        last_day=used[-1][0],
        fitted_last=_decimal(line(xs[-1])),
        holds=holds,
    )


def forecast(
    readings: Iterable[tuple[dt.date, Decimal]],
    *,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
    kind: str,
    start: Decimal | None,
    target: Decimal,
) -> Forecast | None:
    """The projected value and progress at the end of the cycle, or None when there is not
    enough to project from (see `forecast_or_reason` for why)."""
    result = forecast_or_reason(
        readings,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        today=today,
        kind=kind,
        start=start,
        target=target,
    )
    return result if isinstance(result, Forecast) else None


def objective_forecast(
    key_results: Sequence[tuple[Forecast | NoForecast | None, Decimal]],
) -> ObjectiveForecast | NoForecast:
    """The weighted mean of the key results' projected progress, and of the band ends.

    Only when every key result with a weight above 0 has a forecast: leaving one out would
    quietly change what the objective means. Combining the low ends (and the high ends) this
    way assumes the key results' errors move together, so the band is conservative: at least
    as wide as it would be if they were independent.
    """
    if not key_results:
        return NoForecast(Reason.NO_KEY_RESULTS)
    weighted = [(result, weight) for result, weight in key_results if weight > 0]
    if not weighted:
        return NoForecast(Reason.ALL_WEIGHTS_ZERO)
    missing = sum(1 for result, _weight in weighted if not isinstance(result, Forecast))
    if missing:
        return NoForecast(Reason.KEY_RESULTS_WITHOUT_FORECAST, missing=missing)
    found = [(result, weight) for result, weight in weighted if isinstance(result, Forecast)]
    return ObjectiveForecast(
        progress=clamp(weighted_mean((f.progress, w) for f, w in found)).quantize(VALUE_PLACES),
        low=clamp(weighted_mean((f.low, w) for f, w in found)).quantize(VALUE_PLACES),
        high=clamp(weighted_mean((f.high, w) for f, w in found)).quantize(VALUE_PLACES),
        key_results=len(found),
        readings=sum(f.readings for f, _weight in found),
    )
