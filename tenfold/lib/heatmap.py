"""Tables of counts for the dashboards: a heatmap (rows × columns of counts, each cell with an
intensity level for its tint) and a stacked bar (one segment per status).

Pure Python: the dashboards' selectors count, these functions shape the counts, the templates
draw them. Counts always travel with their level or share, so a page can print the number
beside the tint and never tell anything by colour alone."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LEVELS = 4
"""Tint steps above zero. Four is as many as a reader tells apart reliably."""


def intensity(count: int, peak: int, levels: int = LEVELS) -> int:
    """The tint level of a cell: 0 for nothing, otherwise 1…`levels` in proportion to the
    largest count of the table (rounded up, so a single item is never invisible)."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(levels, math.ceil(count * levels / peak)))


@dataclass(frozen=True)
class Cell:
    column: str
    count: int
    level: int


@dataclass(frozen=True)
class Row:
    item: Any
    """Whatever the row stands for (a unit, for the dashboards); templates link to it."""
    label: str
    depth: int
    cells: tuple[Cell, ...]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


@dataclass(frozen=True)
class Heatmap:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    peak: int

    @property
    def column_totals(self) -> tuple[int, ...]:
        return tuple(
            sum(row.cells[index].count for row in self.rows) for index in range(len(self.columns))
        )

    @property
    def total(self) -> int:
        return sum(self.column_totals)


@dataclass(frozen=True)
class RowInput:
    item: Any
    label: str
    counts: Mapping[str, int]
    depth: int = 0


def heatmap(rows: Sequence[RowInput], columns: Sequence[str], levels: int = LEVELS) -> Heatmap:
    """Every row gets one cell per column, in the columns' order; missing counts are zero and
    counts under columns not asked for are left out. Levels are relative to the largest cell
    of the whole table, so rows compare with each other."""
    columns = tuple(columns)
    peak = max((max(0, row.counts.get(c, 0)) for row in rows for c in columns), default=0)
    built = tuple(
        Row(
            item=row.item,
            label=row.label,
            depth=row.depth,
            cells=tuple(
                Cell(column, count, intensity(count, peak, levels))
                for column in columns
                for count in (max(0, row.counts.get(column, 0)),)
            ),
        )
        for row in rows
    )
    return Heatmap(columns=columns, rows=built, peak=peak)


@dataclass(frozen=True)
class Segment:
    key: str
    count: int
    share: Decimal
    """0…1, the segment's part of the whole bar."""

    @property
    def width(self) -> str:
        """A CSS percentage width, one decimal."""
        return f"{self.share * 100:.1f}"


def stacked(counts: Mapping[str, int], order: Sequence[str]) -> list[Segment]:
    """Segments of a stacked bar in `order`, one per key, zero counts included (a legend
    lists them too). Shares are rounded to a tenth of a percent and always add up to exactly
    1 when anything was counted: the rounding remainder goes to the largest segment."""
    values = [(key, max(0, counts.get(key, 0))) for key in order]
    total = sum(count for _key, count in values)
    if total == 0:
        return [Segment(key, 0, Decimal(0)) for key, _count in values]
    step = Decimal("0.001")
    shares = [
        (Decimal(count) / total).quantize(step, rounding=ROUND_HALF_UP) for _key, count in values
    ]
    remainder = Decimal(1) - sum(shares)
    if remainder:
        biggest = max(range(len(values)), key=lambda index: values[index][1])
        shares[biggest] += remainder
    return [Segment(key, count, share) for (key, count), share in zip(values, shares, strict=True)]
