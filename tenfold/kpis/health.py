"""Whether a KPI is healthy: its latest value against its target, in the KPI's direction.

Pure functions on `Decimal`, no database, so the web, the API, the CLI and the demo judge a KPI
the same way. A KPI with no value yet is neither healthy nor unhealthy: it is unknown.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from decimal import Decimal


class Direction(enum.StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    IN_RANGE = "in_range"


class Health(enum.StrEnum):
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"
    UNKNOWN = "unknown"


class Trend(enum.StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NONE = "none"


def health(
    value: Decimal | None,
    *,
    direction: str,
    target: Decimal,
    target_high: Decimal | None = None,
) -> Health:
    """The target itself counts as healthy: "at least 40" is met by 40. For a range both ends
    belong to it. A range missing its upper end is read as "at least the lower end"."""
    if value is None:
        return Health.UNKNOWN
    direction = Direction(direction)
    if direction is Direction.HIGHER_IS_BETTER:
        healthy = value >= target
    elif direction is Direction.LOWER_IS_BETTER:
        healthy = value <= target
    else:
        healthy = value >= target and (target_high is None or value <= target_high)
    return Health.HEALTHY if healthy else Health.UNHEALTHY


def trend(values: Sequence[Decimal]) -> Trend:
    """Where the last move went, from values ordered oldest first."""
    if len(values) < 2:
        return Trend.NONE
    before, last = values[-2], values[-1]
    if last > before:
        return Trend.UP
    if last < before:
        return Trend.DOWN
    return Trend.FLAT


def trend_is_good(
    move: Trend,
    *,
    direction: str,
    value: Decimal | None,
    target: Decimal,
    target_high: Decimal | None = None,
) -> bool | None:
    """Whether the last move went the right way: None when it did not move (or cannot tell).
    Inside a range, good means toward its middle; outside it, toward the range."""
    if move in (Trend.NONE, Trend.FLAT) or value is None:
        return None
    up = move is Trend.UP
    direction = Direction(direction)
    if direction is Direction.HIGHER_IS_BETTER:
        return up
    if direction is Direction.LOWER_IS_BETTER:
        return not up
    high = target if target_high is None else target_high
    if value < target:
        return up
    if value > high:
        return not up
    middle = (target + high) / 2
    # The value has already moved: a rise that ends at or below the middle went toward it.
    return value <= middle if up else value >= middle
