"""Printing for the commands: aligned tables that fit the terminal, colour only on a terminal,
and JSON."""

from __future__ import annotations

import json
import os
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from django.core.serializers.json import DjangoJSONEncoder

ELLIPSIS = "…"
GAP = "  "

COLOURS = {
    "bold": "1",
    "dim": "2",
    "green": "32",
    "yellow": "33",
    "red": "31",
    "blue": "34",
}
STATUS_COLOURS = {
    "on_track": "green",
    "done": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "stale": "dim",
    "pending": "dim",
}


def is_tty(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def use_colour(stream: Any, environ: dict[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (https://no-color.org) or a dumb
    terminal."""
    environ = dict(os.environ) if environ is None else environ
    if "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return False
    return is_tty(stream)


def terminal_width(stream: Any, environ: dict[str, str] | None = None) -> int | None:
    """How wide lines may be: the terminal's width, or $COLUMNS; None (no limit) when the
    output goes to a file or a pipe, so nothing is cut off there."""
    environ = dict(os.environ) if environ is None else environ
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if not is_tty(stream):
        return None
    return shutil.get_terminal_size((100, 24)).columns


def paint(text: str, colour: str | None, enabled: bool) -> str:
    if not enabled or not colour or not text:
        return text
    return f"\033[{COLOURS[colour]}m{text}\033[0m"


def width(text: str) -> int:
    """Columns the text takes on a terminal: wide (CJK) characters take two, combining marks
    none."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def truncate(text: str, limit: int) -> str:
    """The text cut to `limit` columns, ending with … when something was cut."""
    if width(text) <= limit:
        return text
    if limit <= 0:
        return ""
    kept: list[str] = []
    used = 0
    for char in text:
        step = width(char)
        if used + step > limit - 1:
            break
        kept.append(char)
        used += step
    return "".join(kept) + ELLIPSIS


def pad(text: str, size: int, align: str) -> str:
    space = " " * max(0, size - width(text))
    return space + text if align == "right" else text + space


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str = "",
    shrink: int | None = None,
    max_width: int | None = None,
    colour: bool = False,
    colour_of: Callable[[int, int, str], str | None] | None = None,
) -> list[str]:
    """Lines of an aligned table.

    `align` has one letter per column, "l" or "r" (default: all left). When the table is wider
    than `max_width`, column `shrink` (default: the last) is cut to fit, with …; the last column
    is never padded, so lines carry no trailing spaces. `colour_of(row, column, text)` names a
    colour for a cell (rows count from 0, the header excluded)."""
    count = len(headers)
    aligns = ["right" if (align[i : i + 1] == "r") else "left" for i in range(count)]
    cells = [[str(cell) for cell in row] for row in rows]
    sizes = [width(header) for header in headers]
    for row in cells:
        for i, cell in enumerate(row):
            sizes[i] = max(sizes[i], width(cell))
    target = count - 1 if shrink is None else shrink
    if max_width is not None:
        total = sum(sizes) + len(GAP) * (count - 1)
        if total > max_width:
            room = max(width(headers[target]), sizes[target] - (total - max_width), 4)
            sizes[target] = room
            cells = [
                [truncate(cell, room) if i == target else cell for i, cell in enumerate(row)]
                for row in cells
            ]

    def line(row: Sequence[str], row_index: int | None) -> str:
        out = []
        for i, cell in enumerate(row):
            text = (
                cell if i == count - 1 and aligns[i] == "left" else pad(cell, sizes[i], aligns[i])
            )
            if row_index is None:
                text = paint(text, "bold", colour)
            elif colour_of is not None:
                text = paint(text, colour_of(row_index, i, cell), colour)
            out.append(text)
        return GAP.join(out).rstrip()

    lines = [line(list(headers), None)]
    lines.extend(line(row, index) for index, row in enumerate(cells))
    if max_width is not None:
        # A column other than `shrink` can still overflow a very narrow terminal.
        lines = [
            truncate(text, max_width) if not colour and width(text) > max_width else text
            for text in lines
        ]
    return lines


def print_table(
    stream: TextIO | Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    **options: Any,
) -> None:
    """`table` written to a command's stdout, fitted to the terminal and coloured on one."""
    colour = use_colour(stream)
    for text in table(headers, rows, max_width=terminal_width(stream), colour=colour, **options):
        stream.write(text)


def dumps(data: Any) -> str:
    """JSON as the commands print it: indented, UTF-8 characters kept, dates and decimals as
    the API writes them."""
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
