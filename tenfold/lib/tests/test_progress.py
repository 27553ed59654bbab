import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib.progress import (
    StatusRules,
    explain_key_result_progress,
    explain_objective_progress,
    key_result_progress,
    objective_progress,
    proposed_score,
    score_colour,
    status,
)


@pytest.mark.parametrize(
    ("kind", "start", "target", "current", "expected", "raw"),
    [
        ("increase", "0", "100", "20", "0.20", "0.20"),
        ("decrease", "100", "0", "20", "0.80", "0.80"),
        ("decrease", "500", "400", "460", "0.40", "0.40"),
        ("decrease", "100", "10", "110", "0.00", None),
        ("increase", "20", "100", "0", "0.00", None),
        ("increase", "0", "100", "150", "1.00", "1.50"),
        ("decrease", "14", "10", "12", "0.50", "0.50"),
        ("increase", "0", "10", "5.9", "0.59", "0.59"),
        ("increase", "30000", "40000", None, "0.00", "0.00"),
        ("keep_above", None, "50", "52", "1.00", None),
        ("keep_above", None, "50", "48", "0.00", None),
        ("keep_below", None, "1", "0.8", "1.00", None),
    ],
)
def test_key_result_progress_matches_the_method(kind, start, target, current, expected, raw):
    result = key_result_progress(
        kind,
        start=None if start is None else D(start),
        target=D(target),
        current=None if current is None else D(current),
    )
    assert result.clamped == D(expected)
    if raw is not None:
        assert result.raw == D(raw)


def test_start_equal_to_target_scores_zero():
    assert key_result_progress("increase", start=D(5), target=D(5), current=D(9)).clamped == 0


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([("1.0", "50"), ("0.0", "50")], "0.50"),
        ([("1.0", "1"), ("0.5", "1"), ("0.0", "2")], "0.375"),
        ([("1.0", "0"), ("0.3", "0")], "0"),
        ([], "0"),
    ],
)
def test_objective_roll_up_is_the_weighted_mean(items, expected):
    assert objective_progress([(D(p), D(w)) for p, w in items]) == D(expected)


def test_an_objective_without_key_results_takes_its_aligned_children():
    children = [(D("1.0"), D("0.6")), (D("0.5"), D("0.4"))]
    assert objective_progress([], children) == D("0.80")


QUARTER = {"cycle_start": dt.date(2026, 10, 1), "cycle_end": dt.date(2026, 12, 31)}
NOV_15 = dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    ("progress", "expected"), [("0.35", "on_track"), ("0.25", "at_risk"), ("0.05", "off_track")]
)
def test_status_compares_progress_with_elapsed_time(progress, expected):
    got = status(D(progress), today=NOV_15, last_checkin=dt.date(2026, 11, 14), **QUARTER)
    assert got == expected


def test_silence_is_stale_and_never_green():
    got = status(D("0.9"), today=NOV_15, last_checkin=dt.date(2026, 11, 3), **QUARTER)
    assert got == "stale"


def test_no_check_in_is_pending():
    assert status(D(0), today=NOV_15, last_checkin=None, **QUARTER) == "pending"


def test_thresholds_are_configurable():
    rules = StatusRules(at_risk_gap=D("0.1"), off_track_gap=D("0.3"), stale_days=3)
    got = status(D("0.35"), today=NOV_15, last_checkin=NOV_15, rules=rules, **QUARTER)
    assert got == "at_risk"


@pytest.mark.parametrize(
    ("progress", "score"), [("0.66", "0.7"), ("0.64", "0.6"), ("1.4", "1.0"), ("0", "0.0")]
)
def test_proposed_score_is_in_tenths(progress, score):
    assert proposed_score(D(progress)) == D(score)


@pytest.mark.parametrize(
    ("score", "kind", "colour"),
    [
        ("0.7", "aspirational", "green"),
        ("1.0", "aspirational", "green"),
        ("0.5", "aspirational", "yellow"),
        ("0.3", "aspirational", "red"),
        ("1.0", "committed", "green"),
        ("0.8", "committed", "yellow"),
        ("0.6", "committed", "red"),
    ],
)
def test_score_colours_depend_on_the_type(score, kind, colour):
    assert score_colour(D(score), kind) == colour


def test_explanations_name_formula_inputs_and_notes():
    wrong = explain_key_result_progress("decrease", start=D(100), target=D(10), current=D(110))
    assert "start" in wrong.formula and "wrong way" in wrong.notes[0]
    past = explain_key_result_progress("increase", start=D(0), target=D(100), current=D(150))
    assert any("150%" in note for note in past.notes)
    empty = explain_objective_progress([(D(1), D(0))])
    assert empty.notes == ["all weights are 0"]


decimals = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


@given(start=decimals, target=decimals, current=decimals)
def test_progress_always_lies_between_zero_and_one(start, target, current):
    result = key_result_progress("increase", start=start, target=target, current=current)
    assert 0 <= result.clamped <= 1


@given(start=decimals, target=decimals, a=decimals, b=decimals)
def test_progress_never_falls_when_the_value_moves_toward_the_target(start, target, a, b):
    if target == start:
        return
    low, high = sorted((a, b))
    toward, away = (high, low) if target > start else (low, high)
    kind = "increase" if target > start else "decrease"
    closer = key_result_progress(kind, start=start, target=target, current=toward).clamped
    farther = key_result_progress(kind, start=start, target=target, current=away).clamped
    assert closer >= farther


@given(st.lists(st.tuples(st.decimals(0, 1, places=3), st.decimals(0, 100, places=1)), max_size=8))
def test_a_roll_up_stays_within_its_inputs(items):
    value = objective_progress(items)
    assert 0 <= value <= 1
    weighted = [p for p, w in items if w > 0]
    if weighted:
        assert min(weighted) <= value <= max(weighted)


def test_a_held_threshold_is_on_track_not_done():
    got = status(D(1), today=NOV_15, last_checkin=NOV_15, kind="keep_above", **QUARTER)
    assert got == "on_track"
    assert status(D(1), today=NOV_15, last_checkin=NOV_15, kind="increase", **QUARTER) == "done"
