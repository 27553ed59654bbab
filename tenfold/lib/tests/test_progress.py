"""METHOD §5 as a table: progress, roll-up, status and score, with no database."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tenfold.lib.progress import (
    Kind,
    StatusRules,
    elapsed_fraction,
    explain_key_result_progress,
    explain_objective_progress,
    key_result_progress,
    objective_progress,
    proposed_score,
    score_colour,
    status,
    weighted_mean,
)


def number(text):
    return None if text is None else D(text)


# --- key-result progress ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "start", "target", "current", "progress"),
    [
        ("increase", "0", "100", "20", "0.20"),
        ("decrease", "100", "0", "20", "0.80"),
        ("decrease", "500", "400", "460", "0.40"),
        ("decrease", "100", "10", "110", "0.00"),  # moved the wrong way
        ("increase", "20", "100", "0", "0.00"),  # moved the wrong way
        ("increase", "0", "100", "150", "1.00"),  # past the target
        ("decrease", "14", "10", "12", "0.50"),
        ("increase", "0", "10", "5.9", "0.59"),
        ("increase", "30000", "40000", None, "0.00"),  # no check-in yet
        ("keep_above", None, "50", "52", "1.00"),
        ("keep_above", None, "50", "48", "0.00"),
        ("keep_below", None, "1", "0.8", "1.00"),
    ],
)
def test_key_result_progress_follows_the_method(kind, start, target, current, progress):
    result = key_result_progress(
        kind, start=number(start), target=D(target), current=number(current)
    )
    assert result.clamped == D(progress)


@pytest.mark.parametrize(
    ("kind", "start", "target", "current", "raw"),
    [
        ("increase", "0", "100", "150", "1.5"),
        ("increase", "0", "100", "20", "0.2"),
        ("decrease", "100", "10", "110", "-0.1111111111111111111111111111"),
        ("increase", "20", "100", "0", "-0.25"),
        ("increase", "30000", "40000", None, "0"),
    ],
)
def test_the_raw_progress_is_kept_unclamped(kind, start, target, current, raw):
    result = key_result_progress(kind, start=D(start), target=D(target), current=number(current))
    assert result.raw == D(raw)


def test_progress_is_a_decimal_not_a_float_or_an_integer():
    result = key_result_progress("increase", start=D(0), target=D(3), current=D(1))
    assert isinstance(result.clamped, D)
    assert result.clamped == D(1) / D(3)


def test_a_from_to_key_result_with_start_equal_to_target_scores_zero():
    assert key_result_progress("increase", start=D(5), target=D(5), current=D(9)).clamped == 0
    assert key_result_progress("reach", start=D(5), target=D(5), current=D(5)).clamped == 0


def test_reach_without_a_start_counts_from_zero():
    assert key_result_progress("reach", start=None, target=D(8), current=D(2)).clamped == D("0.25")


@pytest.mark.parametrize(
    ("kind", "target", "current", "progress"),
    [
        ("keep_above", "50", "50", "1"),  # exactly at the threshold holds it
        ("keep_below", "1", "1", "1"),
        ("keep_below", "1", "1.01", "0"),
        ("keep_above", "50", None, "0"),
        ("keep_below", "1", None, "0"),
    ],
)
def test_threshold_key_results_are_held_or_not(kind, target, current, progress):
    result = key_result_progress(kind, start=None, target=D(target), current=number(current))
    assert result.clamped == D(progress)


@pytest.mark.parametrize(("current", "progress"), [(None, "0"), ("0", "0"), ("1", "1")])
def test_a_milestone_is_done_or_not(current, progress):
    result = key_result_progress("milestone", start=D(0), target=D(1), current=number(current))
    assert result.clamped == D(progress)


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        key_result_progress("double", start=D(0), target=D(1), current=D(1))


# --- roll-up ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_results", "progress"),
    [
        ([("1.0", "50"), ("0.0", "50")], "0.50"),
        ([("1.0", "1"), ("0.5", "1"), ("0.0", "2")], "0.375"),
        ([("1.0", "0"), ("0.3", "0")], "0"),
        ([("0.4", "3"), ("1.0", "0")], "0.4"),  # a zero weight does not count
    ],
)
def test_objective_progress_is_the_weighted_mean_of_its_key_results(key_results, progress):
    assert objective_progress([(D(p), D(w)) for p, w in key_results]) == D(progress)


def test_an_objective_without_key_results_takes_the_objectives_aligned_to_it():
    children = [(D("1.0"), D("0.6")), (D("0.5"), D("0.4"))]
    assert objective_progress([], children) == D("0.80")


def test_an_objective_with_key_results_ignores_the_objectives_aligned_to_it():
    assert objective_progress([(D("0.2"), D(1))], [(D(1), D(1))]) == D("0.2")


def test_an_objective_with_nothing_to_measure_is_at_zero():
    assert objective_progress([], []) == 0


def test_a_roll_up_uses_clamped_progress():
    assert weighted_mean([(D("1.5"), D(1)), (D("-0.5"), D(1))]) == D("0.5")


# --- status -----------------------------------------------------------------------------------

QUARTER = {"cycle_start": dt.date(2026, 10, 1), "cycle_end": dt.date(2026, 12, 31)}
NOV_15 = dt.date(2026, 11, 15)
RECENT = dt.date(2026, 11, 13)


@pytest.mark.parametrize(
    ("progress", "expected"),
    [("0.35", "on_track"), ("0.25", "at_risk"), ("0.05", "off_track")],
)
def test_status_compares_progress_with_the_elapsed_share_of_the_cycle(progress, expected):
    assert status(D(progress), today=NOV_15, last_checkin=RECENT, **QUARTER) == expected


def test_a_key_result_silent_for_twelve_days_is_stale_whatever_it_said():
    last = NOV_15 - dt.timedelta(days=12)
    assert status(D("0.9"), today=NOV_15, last_checkin=last, **QUARTER) == "stale"
    assert status(D(1), today=NOV_15, last_checkin=last, **QUARTER) == "stale"


def test_a_key_result_never_checked_in_is_pending():
    assert status(D(0), today=NOV_15, last_checkin=None, **QUARTER) == "pending"


def test_the_grace_period_ends_after_exactly_ten_days():
    on_day_ten = status(
        D("0.5"), today=NOV_15, last_checkin=NOV_15 - dt.timedelta(days=10), **QUARTER
    )
    on_day_eleven = status(
        D("0.5"), today=NOV_15, last_checkin=NOV_15 - dt.timedelta(days=11), **QUARTER
    )
    assert (on_day_ten, on_day_eleven) == ("on_track", "stale")


# A 100-day cycle seen on day 51 is exactly half over, so the gaps below are exact.
HUNDRED_DAYS = {"cycle_start": dt.date(2027, 1, 1), "cycle_end": dt.date(2027, 4, 10)}
HALF_WAY = dt.date(2027, 2, 20)


def test_the_hundred_day_cycle_is_half_over_on_day_fifty_one():
    assert elapsed_fraction(
        today=HALF_WAY, start=dt.date(2027, 1, 1), end=dt.date(2027, 4, 10)
    ) == D("0.5")


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        ("0.30", "on_track"),  # behind by exactly 0.2: not more than 0.2
        ("0.2999", "at_risk"),
        ("0.10", "at_risk"),  # behind by exactly 0.4
        ("0.0999", "off_track"),
    ],
)
def test_status_boundaries_are_more_than_the_gap(progress, expected):
    got = status(D(progress), today=HALF_WAY, last_checkin=HALF_WAY, **HUNDRED_DAYS)
    assert got == expected


@pytest.mark.parametrize(
    ("progress", "expected"), [("0.45", "on_track"), ("0.35", "at_risk"), ("0.15", "off_track")]
)
def test_status_thresholds_are_configurable(progress, expected):
    rules = StatusRules(at_risk_gap=D("0.1"), off_track_gap=D("0.3"), stale_days=3)
    got = status(D(progress), today=HALF_WAY, last_checkin=HALF_WAY, rules=rules, **HUNDRED_DAYS)
    assert got == expected


def test_the_grace_period_is_configurable():
    rules = StatusRules(stale_days=3)
    four_days_ago = HALF_WAY - dt.timedelta(days=4)
    three_days_ago = HALF_WAY - dt.timedelta(days=3)
    assert status(
        D("0.5"), today=HALF_WAY, last_checkin=four_days_ago, rules=rules, **HUNDRED_DAYS
    ) == ("stale")
    assert status(
        D("0.5"), today=HALF_WAY, last_checkin=three_days_ago, rules=rules, **HUNDRED_DAYS
    ) == ("on_track")


def test_before_the_cycle_starts_nothing_is_expected_yet():
    before = dt.date(2026, 9, 20)
    assert elapsed_fraction(QUARTER["cycle_start"], QUARTER["cycle_end"], before) == 0
    assert status(D(0), today=before, last_checkin=before, **QUARTER) == "on_track"
    assert status(D(0), today=before, last_checkin=None, **QUARTER) == "pending"


def test_on_the_first_day_nothing_has_elapsed():
    first = QUARTER["cycle_start"]
    assert elapsed_fraction(QUARTER["cycle_start"], QUARTER["cycle_end"], first) == 0


@pytest.mark.parametrize(
    ("progress", "expected"),
    [("1", "done"), ("0.8", "on_track"), ("0.7", "at_risk"), ("0.5", "off_track")],
)
def test_after_the_cycle_ends_the_whole_cycle_is_expected(progress, expected):
    after = dt.date(2027, 1, 5)
    assert elapsed_fraction(QUARTER["cycle_start"], QUARTER["cycle_end"], after) == 1
    assert status(D(progress), today=after, last_checkin=dt.date(2027, 1, 2), **QUARTER) == (
        expected
    )


def test_a_reached_from_to_key_result_is_done_but_a_held_threshold_is_on_track():
    done = status(D(1), today=NOV_15, last_checkin=NOV_15, kind="increase", **QUARTER)
    held = status(D(1), today=NOV_15, last_checkin=NOV_15, kind="keep_above", **QUARTER)
    assert (done, held) == ("done", "on_track")


# --- score ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "score"),
    [
        ("0.66", "0.7"),
        ("0.64", "0.6"),
        ("0.65", "0.7"),
        ("1.4", "1.0"),
        ("0", "0.0"),
        ("-0.3", "0.0"),
    ],
)
def test_the_proposed_score_is_progress_in_tenths(progress, score):
    got = proposed_score(D(progress))
    assert got == D(score)
    assert got.as_tuple().exponent == -1


@pytest.mark.parametrize(
    ("score", "type", "colour"),
    [
        ("0.7", "aspirational", "green"),
        ("1.0", "aspirational", "green"),
        ("0.6", "aspirational", "yellow"),
        ("0.5", "aspirational", "yellow"),
        ("0.4", "aspirational", "yellow"),
        ("0.3", "aspirational", "red"),
        ("0.0", "aspirational", "red"),
        ("1.0", "committed", "green"),
        ("0.9", "committed", "yellow"),
        ("0.8", "committed", "yellow"),
        ("0.7", "committed", "yellow"),
        ("0.6", "committed", "red"),
        ("0.0", "committed", "red"),
    ],
)
def test_score_colours_depend_on_the_objective_type(score, type, colour):
    assert score_colour(D(score), type) == colour


# --- explanations -----------------------------------------------------------------------------


def test_explaining_a_from_to_key_result_shows_the_formula_and_its_inputs():
    explained = explain_key_result_progress("increase", start=D(20), target=D(40), current=D(30))
    assert explained.value == D("0.5")
    assert "(current − start) / (target − start)" in explained.formula
    assert explained.inputs == {
        "kind": "increase",
        "start": D(20),
        "target": D(40),
        "current": D(30),
        "raw": D("0.5"),
    }
    assert explained.notes == []


def test_explaining_a_move_in_the_wrong_direction_says_it_counts_as_zero():
    explained = explain_key_result_progress("decrease", start=D(100), target=D(10), current=D(110))
    assert explained.value == 0
    assert explained.inputs["raw"] < 0
    assert explained.notes == ["moved the wrong way: counts as 0"]


def test_explaining_progress_past_the_target_shows_the_unclamped_share():
    explained = explain_key_result_progress("increase", start=D(0), target=D(100), current=D(150))
    assert explained.value == 1
    assert explained.notes == ["past the target: 150% unclamped"]


def test_explaining_a_key_result_without_check_ins_says_current_is_the_start():
    explained = explain_key_result_progress(
        "increase", start=D(30000), target=D(40000), current=None
    )
    assert explained.value == 0
    assert explained.inputs["current"] is None
    assert explained.notes == ["no check-in yet, so current = start"]


def test_explaining_start_equal_to_target_says_progress_cannot_be_measured():
    explained = explain_key_result_progress("increase", start=D(5), target=D(5), current=D(7))
    assert explained.value == 0
    assert "start equals target: progress cannot be measured" in explained.notes


def test_explaining_a_threshold_shows_its_side():
    above = explain_key_result_progress("keep_above", start=None, target=D(50), current=None)
    below = explain_key_result_progress("keep_below", start=None, target=D(1), current=D("0.8"))
    assert "≥" in above.formula and above.notes == ["no check-in yet"]
    assert "≤" in below.formula and below.value == 1 and below.notes == []


def test_explaining_an_objective_lists_its_key_results_and_weights():
    key_results = [(D(1), D(1)), (D("0.5"), D(1)), (D(0), D(2))]
    explained = explain_objective_progress(key_results)
    assert explained.value == D("0.375")
    assert explained.formula == "Σ(key-result progress × weight) / Σ(weight)"
    assert explained.inputs == {"key_results": key_results}
    assert explained.notes == []


def test_explaining_all_zero_weights_says_so():
    explained = explain_objective_progress([(D(1), D(0)), (D("0.5"), D(0))])
    assert explained.value == 0
    assert explained.notes == ["all weights are 0"]


def test_explaining_an_objective_moved_by_aligned_objectives_names_their_contribution():
    children = [(D(1), D("0.6")), (D("0.5"), D("0.4"))]
    explained = explain_objective_progress([], children)
    assert explained.value == D("0.8")
    assert "contribution" in explained.formula
    assert explained.inputs == {"children": children}


def test_explaining_an_objective_with_nothing_to_measure_says_so():
    explained = explain_objective_progress([], [])
    assert explained.value == 0
    assert explained.notes == ["no key results and nothing aligned to it"]


# --- properties -------------------------------------------------------------------------------

values = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)
maybe_values = st.none() | values
shares = st.decimals(min_value=0, max_value=1, places=4)
weights = st.decimals(min_value=0, max_value=1000, places=3)


@given(kind=st.sampled_from(list(Kind)), start=maybe_values, target=values, current=maybe_values)
def test_progress_always_lies_between_zero_and_one(kind, start, target, current):
    result = key_result_progress(kind, start=start, target=target, current=current)
    assert 0 <= result.clamped <= 1


@given(start=values, target=values, a=values, b=values)
def test_for_an_increase_a_larger_value_never_gives_less_progress(start, target, a, b):
    assume(target > start)
    low, high = sorted((a, b))
    at_low = key_result_progress("increase", start=start, target=target, current=low)
    at_high = key_result_progress("increase", start=start, target=target, current=high)
    assert at_high.clamped >= at_low.clamped
    assert at_high.raw >= at_low.raw


@given(start=values, target=values, a=values, b=values)
def test_for_a_decrease_a_smaller_value_never_gives_less_progress(start, target, a, b):
    assume(target < start)
    low, high = sorted((a, b))
    at_low = key_result_progress("decrease", start=start, target=target, current=low)
    at_high = key_result_progress("decrease", start=start, target=target, current=high)
    assert at_low.clamped >= at_high.clamped
    assert at_low.raw >= at_high.raw


@given(
    kind=st.sampled_from(["increase", "decrease", "reach"]),
    start=values,
    target=values,
    current=maybe_values,
)
def test_raw_progress_equals_the_clamped_one_inside_zero_to_one(kind, start, target, current):
    result = key_result_progress(kind, start=start, target=target, current=current)
    if 0 <= result.raw <= 1:
        assert result.raw == result.clamped
    else:
        assert result.clamped == (1 if result.raw > 1 else 0)


@given(st.lists(st.tuples(shares, weights), max_size=10))
def test_a_roll_up_stays_between_zero_and_one(items):
    assert 0 <= objective_progress(items) <= 1
    assert 0 <= objective_progress([], items) <= 1


@given(st.lists(st.tuples(shares, weights), min_size=1, max_size=10))
def test_a_roll_up_lies_between_the_smallest_and_largest_weighted_input(items):
    counted = [progress for progress, weight in items if weight > 0]
    assume(counted)
    value = objective_progress(items)
    assert min(counted) <= value <= max(counted)


@given(st.decimals(min_value=-5, max_value=5, places=6))
def test_a_proposed_score_is_a_tenth_between_zero_and_one(progress):
    score = proposed_score(progress)
    assert 0 <= score <= 1
    assert score == score.quantize(D("0.1"))
    assert abs(score - min(max(progress, D(0)), D(1))) <= D("0.05")
