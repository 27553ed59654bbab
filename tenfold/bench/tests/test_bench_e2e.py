"""tenfold bench from start to end at a tiny size: seed two organizations, serve, sign in,
measure every item over HTTP and its floor, compare the query counts of the two sizes.

Slow for a test (tens of seconds: it starts the server and several commands); select it with
``-k end_to_end`` or leave it out with ``-k "not end_to_end"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenfold.bench.floors import FLOORS


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="it benchmarks a SQLite file of its own whatever the suite's database: once is enough",
)
def test_bench_end_to_end_at_a_tiny_size(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("TENFOLD_DATA_DIR", str(tmp_path))
    out, table = tmp_path / "bench.json", tmp_path / "bench.md"
    arguments = {
        "people": 20,
        "baseline": 10,
        "requests": 3,
        "database": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "out": str(out),
        "markdown": str(table),
    }
    try:
        call_command("bench", **arguments)
        refused = None
    except CommandError as error:  # a query count that differs between the sizes
        refused = str(error)

    result = json.loads(out.read_text())
    assert result["people"] == 20 and result["database"] == "sqlite"
    assert [row["name"] for row in result["items"]] == list(FLOORS)
    for row in result["items"]:
        assert "error" not in row, row
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["queries"] > 0 and row["n"] == 3
        assert row["floor_ms"] > 0 and row["ratio"] > 0
    assert set(result["commands"]) == {"export", "import", "reconcile"}
    assert all(seconds > 0 for seconds in result["commands"].values())
    assert len(result["workers_rss_mb"]) == 2
    kept = {row["name"] for row in result["items"] if "rebuilt_n" in row}
    assert kept == {
        "company dashboard",
        "alignment tree",
        "tree expansion",
        "unit page",
        "objective page",
        "my week",
        "team week",
        "API list",
        "API detail",
    }
    for row in result["items"]:
        if row["name"] in kept:
            assert row["rebuilt_n"] == 3 and 0 < row["rebuilt_p50_ms"] <= row["rebuilt_p95_ms"]
            assert row["rebuilt_queries"] > row["queries"]  # a kept copy skips the rows
    assert set(result["baseline"]["queries"]) == set(FLOORS) | {f"{n} (rebuilt)" for n in kept}
    differing = result["baseline"]["differing"]
    assert (refused is not None) == bool(differing)
    if refused is not None:
        assert all(name in refused for name in differing)
    printed = capsys.readouterr().out
    assert "| company dashboard |" in printed
    assert table.read_text() == printed
    assert "/synthetic-20/dashboard/" in (tmp_path / "bench" / "server.log").read_text()
