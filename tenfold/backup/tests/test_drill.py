"""The restore drill, end to end: a synthetic organization of 40 people beside a site with a
row in every table, backed up in both formats, each backup restored by `tenfold restore` in
a process of its own into a fresh scratch database and compared with the source, table by
table and row by row. The figures are printed (`pytest -s`) so they can be quoted."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import CommandError
from django.db import connection

from tenfold.backup import drill
from tenfold.bench.seeding import seed_organization
from tenfold.organizations.models import Organization

from .helpers import run

pytestmark = pytest.mark.django_db(transaction=True)

FIGURES = re.compile(
    r"Drill: restored into a scratch database in (?P<seconds>[\d.]+) s; tables compared: "
    r"(?P<tables>\d+), rows compared: (?P<rows>\d+), differences: (?P<differences>\d+)\."
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The drill's own process keeps its data directory (secret key, queue) out of the
    checkout."""
    monkeypatch.setenv("TENFOLD_DATA_DIR", str(tmp_path / "data"))


def test_both_formats_restore_every_row_of_every_table(
    site: Organization, tmp_path: Path, data_dir: None
) -> None:
    started = time.monotonic()
    seed_organization(people=40, slug="drill")
    seeded = time.monotonic() - started
    found: dict[str, dict[str, Any]] = {}
    for fmt in ("json", "native"):
        started = time.monotonic()
        out = run("backup", "--format", fmt, "--out", str(tmp_path), "--drill")
        match = FIGURES.search(out)
        assert match, out
        found[fmt] = {**match.groupdict(), "total": round(time.monotonic() - started, 1)}
    print(f"\nRestore drill on {connection.vendor} (seeding 40 people: {seeded:.1f} s)")
    for fmt, figures in found.items():
        print(
            f"  {fmt}: {figures['tables']} tables, {figures['rows']} rows compared, "
            f"{figures['differences']} differences; restore {figures['seconds']} s, "
            f"backup and drill {figures['total']} s"
        )
    for figures in found.values():
        assert figures["differences"] == "0"
        assert int(figures["rows"]) > 15000
    # The native drill compares the tables a JSON backup leaves out as well.
    assert int(found["native"]["tables"]) > int(found["json"]["tables"])


def test_a_drill_that_finds_a_difference_fails(
    site: Organization, tmp_path: Path, data_dir: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drill is only worth its zero if it can count: a restore that loses one name is
    caught and named."""
    restore = drill.restore_elsewhere

    def restore_then_damage(path: Path, url: str) -> None:
        restore(path, url)
        change = "UPDATE okrs_keyresult SET title = 'Changed' WHERE title LIKE 'Raise%'"
        if url.startswith("sqlite:"):
            with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite://"))) as scratch:
                scratch.execute(change)
                scratch.commit()
        else:
            with psycopg.connect(url) as scratch:
                scratch.execute(change)

    monkeypatch.setattr(drill, "restore_elsewhere", restore_then_damage)
    with pytest.raises(CommandError) as failed:
        run("backup", "--format", "native", "--out", str(tmp_path), "--drill")
    assert str(failed.value) == "The drill found differences after the restore: 2."
