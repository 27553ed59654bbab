"""Heatmap and stacked-bar shaping, with no database."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib.heatmap import LEVELS, RowInput, heatmap, intensity, stacked

COLUMNS = ("on_track", "at_risk", "off_track")


@pytest.mark.parametrize(
    ("count", "peak", "level"),
    [
        (0, 10, 0),
        (1, 10, 1),  # one item is never invisible
        (3, 10, 2),
        (5, 10, 2),
        (6, 10, 3),
        (10, 10, 4),
        (4, 0, 0),  # an empty table has no peak
        (-2, 10, 0),
    ],
)
def test_intensity_is_relative_to_the_largest_cell(count, peak, level):
    assert intensity(count, peak) == level


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_intensity_stays_within_its_levels(count, extra):
    peak = count + extra - 1
    assert 1 <= intensity(count, peak) <= LEVELS
    assert intensity(peak, peak) == LEVELS


def test_every_row_gets_a_cell_for_every_column_in_order():
    table = heatmap(
        [
            RowInput("a", "Sales", {"at_risk": 2, "elsewhere": 9}),
            RowInput("b", "Support", {"on_track": 4}, depth=1),
        ],
        COLUMNS,
    )
    assert table.peak == 4
    sales, support = table.rows
    assert [(c.column, c.count, c.level) for c in sales.cells] == [
        ("on_track", 0, 0),
        ("at_risk", 2, 2),
        ("off_track", 0, 0),
    ]
    assert support.depth == 1 and support.item == "b"
    assert sales.total == 2  # counts outside the columns are left out
    assert table.column_totals == (4, 2, 0)
    assert table.total == 6


def test_an_empty_heatmap_has_no_rows_and_no_peak():
    table = heatmap([], COLUMNS)
    assert table.rows == () and table.peak == 0 and table.column_totals == (0, 0, 0)


def test_stacked_segments_follow_the_order_and_keep_zeros():
    segments = stacked({"off_track": 1, "on_track": 3}, COLUMNS)
    assert [(s.key, s.count, s.share) for s in segments] == [
        ("on_track", 3, D("0.75")),
        ("at_risk", 0, D(0)),
        ("off_track", 1, D("0.25")),
    ]
    assert segments[0].width == "75.0"


def test_nothing_counted_gives_empty_segments():
    assert [s.share for s in stacked({}, COLUMNS)] == [0, 0, 0]


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=3))
def test_shares_always_add_up_to_one(counts):
    segments = stacked(dict(zip(COLUMNS, counts, strict=True)), COLUMNS)
    total = sum(s.share for s in segments)
    assert total == (1 if sum(counts) else 0)
    assert all(s.share >= 0 for s in segments)
