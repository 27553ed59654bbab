"""Fixtures of the spreadsheet tests: a frozen day inside the active quarter, and helpers that
import a file as alice and return what was created."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tenfold.okrs.models import Objective
from tenfold.sheets import importing

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    settings.IMPORTS_DIR = str(tmp_path / "imports")


def preview_of(org: Any, data: bytes, filename: str, by: Any, **options: Any) -> importing.Preview:
    return importing.preview(org, data, filename, by=by, **options)


def import_file(org: Any, data: bytes, filename: str, by: Any, **options: Any) -> list[Objective]:
    """Import and return the created objectives, failing loudly with the problems."""
    result = preview_of(org, data, filename, by, **options)
    assert not result.problems, [str(p) for p in result.problems]
    created = importing.apply(result, by)
    return list(
        Objective.objects.filter(pk__in=[o.pk for o in created])
        .select_related("cycle", "unit", "lead")
        .prefetch_related("key_results__owner", "key_results__checkins")
        .order_by("id")
    )


def xlsx(
    rows: list[list[Any]],
    *,
    merges: tuple[str, ...] = (),
    formats: dict[str, str] | None = None,
    title: str = "OKRs",
) -> bytes:
    """An XLSX workbook made in memory from rows (cells by position, row 1 first)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merged in merges:
        sheet.merge_cells(merged)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def krs(objective: Objective) -> list[Any]:
    return sorted(objective.key_results.all(), key=lambda kr: kr.order)
