"""Tables that line up and fit the terminal, colour only on a terminal, JSON that parses."""

from __future__ import annotations

import io
import json
from decimal import Decimal

from tenfold.cli.output import (
    dumps,
    print_table,
    table,
    terminal_width,
    truncate,
    use_colour,
    width,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_columns_line_up_and_numbers_align_right():
    lines = table(
        ["Code", "Progress", "Title"],
        [["a1", "5 %", "Short"], ["b22", "100 %", "Long"]],
        align="lrl",
    )
    assert lines == [
        "Code  Progress  Title",
        "a1         5 %  Short",
        "b22      100 %  Long",
    ]


def test_the_title_column_is_cut_to_the_width_with_an_ellipsis():
    rows = [["a1", "Raise activation from 20% to 40% across every signup path"]]
    lines = table(["Code", "Title"], rows, max_width=30)
    assert all(width(line) <= 30 for line in lines)
    assert lines[1].endswith("…") and lines[1].startswith("a1    Raise")
    assert table(["Code", "Title"], rows)[1].endswith("signup path")  # no limit: whole


def test_wide_characters_count_twice():
    assert width("目标") == 4 and width("abc") == 3
    assert truncate("提高激活率到百分之四十", 9) == "提高激活…"
    lines = table(["Team", "X"], [["增长", "1"], ["Growth", "2"]])
    assert width(lines[1][: lines[1].index("1")]) == width(lines[2][: lines[2].index("2")]) == 8


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert use_colour(io.StringIO(), {}) is False
    assert use_colour(Terminal(), {}) is True
    assert use_colour(Terminal(), {"NO_COLOR": "1"}) is False
    assert use_colour(Terminal(), {"TERM": "dumb"}) is False
    coloured = table(["S"], [["On track"]], colour=True, colour_of=lambda r, c, t: "green")
    assert coloured[1] == "\033[32mOn track\033[0m"
    plain = io.StringIO()
    print_table(plain, ["S"], [["On track"]], colour_of=lambda r, c, t: "green")
    assert "\033[" not in plain.getvalue()


def test_width_comes_from_the_terminal_or_columns_and_pipes_are_not_cut():
    assert terminal_width(io.StringIO(), {}) is None
    assert terminal_width(io.StringIO(), {"COLUMNS": "50"}) == 50
    assert isinstance(terminal_width(Terminal(), {}), int)


def test_json_keeps_decimals_and_unicode():
    assert json.loads(dumps({"v": Decimal("2.50"), "t": "目标"})) == {"v": "2.50", "t": "目标"}
    assert "目标" in dumps({"t": "目标"})
