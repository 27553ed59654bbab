"""Progress, roll-up, status and score: METHOD §5, implemented once.

Every function here is pure and works on `Decimal`, so web pages, the API, the CLI, exports
and reports all show the same figure. Each public calculation has an `explain_*` twin that
returns the inputs and the formula, for the "how was this computed?" views.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
TENTH = Decimal("0.1")


class Kind(enum.StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    REACH = "reach"
    KEEP_ABOVE = "keep_above"
    KEEP_BELOW = "keep_below"
    MILESTONE = "milestone"


FROM_TO_KINDS = frozenset({Kind.INCREASE, Kind.DECREASE, Kind.REACH})
THRESHOLD_KINDS = frozenset({Kind.KEEP_ABOVE, Kind.KEEP_BELOW})


class Status(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    STALE = "stale"
    PENDING = "pending"
    DONE = "done"


class ObjectiveType(enum.StrEnum):
    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"


class Colour(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = ONE) -> Decimal:
    return max(low, min(high, value))


@dataclass(frozen=True)
class Progress:
    raw: Decimal
    """Unclamped: 1.5 means 150 %; negative when the value moved the wrong way."""
    clamped: Decimal
    """In [0, 1]; what roll-ups use."""


@dataclass(frozen=True)
class Explanation:
    """What a number was computed from: shown by the "explain" views and the API."""

    value: Decimal
    formula: str
    inputs: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def key_result_progress(
    kind: str,
    *,
    start: Decimal | None,
    target: Decimal,
    current: Decimal | None,
) -> Progress:
    """Progress of one key result.

    From-to kinds use (current − start) / (target − start), which covers falling metrics too.
    No check-in yet means current = start. A from-to key result whose start equals its target
    can only come from imported data (the services refuse it) and scores 0.
    """
    kind = Kind(kind)
    if kind in THRESHOLD_KINDS:
        if current is None:
            return Progress(ZERO, ZERO)
        ok = current >= target if kind is Kind.KEEP_ABOVE else current <= target
        return Progress(ONE, ONE) if ok else Progress(ZERO, ZERO)
    if kind is Kind.MILESTONE:
        done = current is not None and current >= target
        return Progress(ONE, ONE) if done else Progress(ZERO, ZERO)
    base = start if start is not None else ZERO
    value = current if current is not None else base
    span = target - base
    if span == 0:
        return Progress(ZERO, ZERO)
    raw = (value - base) / span
    return Progress(raw, clamp(raw))


def explain_key_result_progress(
    kind: str, *, start: Decimal | None, target: Decimal, current: Decimal | None
) -> Explanation:
    result = key_result_progress(kind, start=start, target=target, current=current)
    inputs: dict[str, object] = {"kind": str(kind), "start": start, "target": target}
    inputs["current"] = current
    notes: list[str] = []
    kind = Kind(kind)
    if kind in THRESHOLD_KINDS:
        side = "≥" if kind is Kind.KEEP_ABOVE else "≤"
        formula = f"1 if current {side} target, else 0"
        if current is None:
            notes.append("no check-in yet")
    elif kind is Kind.MILESTONE:
        formula = "1 once current ≥ target, else 0"
    else:
        formula = "clamp((current − start) / (target − start), 0, 1)"
        if current is None:
            notes.append("no check-in yet, so current = start")
        if start is not None and start == target:
            notes.append("start equals target: progress cannot be measured")
        if result.raw < 0:
            notes.append("moved the wrong way: counts as 0")
        if result.raw > 1:
            notes.append(f"past the target: {result.raw:.0%} unclamped")
    inputs["raw"] = result.raw
    return Explanation(value=result.clamped, formula=formula, inputs=inputs, notes=notes)


def weighted_mean(items: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ(progress × weight) / Σ(weight); 0 when there is nothing or every weight is 0."""
    total = ZERO
    weights = ZERO
    for value, weight in items:
        total += clamp(value) * weight
        weights += weight
    if weights == 0:
        return ZERO
    return total / weights


def objective_progress(
    key_results: Sequence[tuple[Decimal, Decimal]],
    children: Sequence[tuple[Decimal, Decimal]] = (),
) -> Decimal:
    """Objective progress: its key results by weight if it has any, otherwise the objectives
    aligned to it by contribution weight."""
    if key_results:
        return weighted_mean(key_results)
    return weighted_mean(children)


def explain_objective_progress(
    key_results: Sequence[tuple[Decimal, Decimal]],
    children: Sequence[tuple[Decimal, Decimal]] = (),
) -> Explanation:
    value = objective_progress(key_results, children)
    if key_results:
        return Explanation(
            value=value,
            formula="Σ(key-result progress × weight) / Σ(weight)",
            inputs={"key_results": [(p, w) for p, w in key_results]},
            notes=["all weights are 0"] if sum(w for _, w in key_results) == 0 else [],
        )
    notes = [] if children else ["no key results and nothing aligned to it"]
    return Explanation(
        value=value,
        formula="Σ(aligned objective progress × contribution) / Σ(contribution)",
        inputs={"children": [(p, w) for p, w in children]},
        notes=notes,
    )


def elapsed_fraction(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    """Share of the cycle that has passed at the start of `today` (end date inclusive)."""
    total_days = (end - start).days + 1
    if total_days <= 0:
        return ONE
    passed = (today - start).days
    return clamp(Decimal(passed) / Decimal(total_days))


@dataclass(frozen=True)
class StatusRules:
    at_risk_gap: Decimal = Decimal("0.2")
    off_track_gap: Decimal = Decimal("0.4")
    stale_days: int = 10


def status(
    progress: Decimal,
    *,
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date,
    last_checkin: dt.date | None,
    rules: StatusRules | None = None,
    kind: str | None = None,
) -> Status:
    """Time-aware status of a key result (or, without `kind`, an objective). Silence is never
    green: a key result that has not been checked in within the grace period is stale whatever
    its last value said. Keep-above/below key results are never "done": holding a level is
    judged again at every check-in."""
    rules = rules or StatusRules()
    if last_checkin is None:
        return Status.PENDING
    if (today - last_checkin).days > rules.stale_days:
        return Status.STALE
    if progress >= 1:
        return Status.ON_TRACK if kind in THRESHOLD_KINDS else Status.DONE
    gap = elapsed_fraction(cycle_start, cycle_end, today) - progress
    if gap > rules.off_track_gap:
        return Status.OFF_TRACK
    if gap > rules.at_risk_gap:
        return Status.AT_RISK
    return Status.ON_TRACK


def expected_value(
    *, start: Decimal, target: Decimal, cycle_start: dt.date, cycle_end: dt.date, today: dt.date
) -> Decimal:
    """Where a from-to key result should be today if it moved evenly across the cycle."""
    return start + (target - start) * elapsed_fraction(cycle_start, cycle_end, today)


def proposed_score(progress: Decimal) -> Decimal:
    """End-of-cycle score proposed from progress: 0.0–1.0 in tenths."""
    return clamp(progress).quantize(TENTH, rounding=ROUND_HALF_UP)


def score_colour(score: Decimal, objective_type: str) -> Colour:
    """Colour bands differ by type: 0.7 is success for an aspirational OKR, but a committed
    one is expected to reach 1.0."""
    if ObjectiveType(objective_type) is ObjectiveType.ASPIRATIONAL:
        if score >= Decimal("0.7"):
            return Colour.GREEN
        if score >= Decimal("0.4"):
            return Colour.YELLOW
        return Colour.RED
    if score >= ONE:
        return Colour.GREEN
    if score >= Decimal("0.7"):
        return Colour.YELLOW
    return Colour.RED
