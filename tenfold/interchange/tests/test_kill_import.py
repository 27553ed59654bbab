"""Kill drill: `tenfold import FILE` killed with SIGKILL while it writes leaves nothing behind.

The import writes a whole organization in one transaction (importing.py). This test makes a
document big enough to take a couple of seconds (`tenfold seed --people 60`, exported as JSON),
times one complete import of it, then starts it again in a process of its own and kills that
process part-way: after 40 % of the measured time, and only once the database shows the import
is writing (SQLite's write-ahead log has grown; on PostgreSQL the import's transaction has a
transaction id, which it gets at its first write). A fresh process then finds no organization at
that address and every table holding exactly the rows it held before, and the same import run
again succeeds. It runs on the suite's engine: SQLite, or PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tenfold.db.tests.served import child_env, scratch_database, suite_vendor

pytestmark = [pytest.mark.django_db]

TENFOLD = str(Path(sys.executable).with_name("tenfold"))
PEOPLE = 60
KILL_AT = 0.4
"""Kill after this share of a complete import's time (and once the import is writing)."""

COUNTS = """
import json
from django.db import connection
from tenfold.organizations.models import Organization
with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        counts[table] = cursor.fetchone()[0]
orgs = sorted(Organization.objects.values_list("slug", flat=True))
print(json.dumps({"tables": counts, "orgs": orgs}))
"""


@dataclass
class Drill:
    folder: Path
    url: str
    env: dict[str, str]
    document: Path


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [TENFOLD, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def _state(env: dict[str, str]) -> dict[str, Any]:
    """Every table's row count and the organizations' addresses, read by a fresh process."""
    return dict(json.loads(_run(env, "shell", "-c", COUNTS).stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def drill(tmp_path_factory: Any, django_db_setup: None, django_db_blocker: Any) -> Iterator[Drill]:
    folder = tmp_path_factory.mktemp("kill-import")
    with django_db_blocker.unblock(), scratch_database(folder) as url:
        env = child_env(folder, url, folder / "static")
        _run(env, "seed", "--people", str(PEOPLE), "--slug", "source")
        document = folder / "source.json"
        _run(env, "export", "--org", "source", "--format", "json", "--out", str(document))
        yield Drill(folder, url, env, document)


def _wal(drill: Drill) -> tuple[int, int]:
    """Size and modification time of the SQLite write-ahead log (zeros on PostgreSQL)."""
    wal = drill.folder / "served.sqlite3-wal"
    if suite_vendor() != "sqlite" or not wal.exists():
        return (0, 0)
    stat = wal.stat()
    return (stat.st_size, stat.st_mtime_ns)


def _writing(drill: Drill, wal_before: tuple[int, int]) -> bool:
    """Whether the import is inside its write transaction and has written rows there: on
    SQLite another connection cannot take the write lock and the log has changed; on
    PostgreSQL a connection to the database holds a transaction id."""
    if suite_vendor() == "sqlite":
        if _wal(drill) == wal_before:
            return False
        probe = sqlite3.connect(drill.folder / "served.sqlite3", timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True  # locked by the import
        finally:
            probe.close()  # closing without a commit rolls the empty transaction back
        return False
    import psycopg

    with psycopg.connect(drill.url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = %s AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
            (urlsplit(drill.url).path.lstrip("/"),),
        ).fetchone()
    return bool(row and row[0])


def test_an_import_killed_while_it_writes_leaves_no_partial_data(drill, tmp_path):
    started = time.monotonic()
    _run(drill.env, "import", str(drill.document), "--slug", "measured")
    full = time.monotonic() - started
    before = _state(drill.env)
    assert "measured" in before["orgs"] and "killed" not in before["orgs"]

    wal_before = _wal(drill)
    launched = time.monotonic()
    log = (tmp_path / "import.log").open("w")
    process = subprocess.Popen(
        [TENFOLD, "import", str(drill.document), "--slug", "killed"],
        env=drill.env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        time.sleep(KILL_AT * full)
        deadline = time.monotonic() + full
        while not _writing(drill, wal_before) and time.monotonic() < deadline:
            time.sleep(0.02)
        writing = _writing(drill, wal_before)
        running = process.poll() is None
        killed_after = time.monotonic() - launched
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
    assert running, "the import finished before it could be killed"
    assert writing, "the import was not writing yet when it was killed"
    assert process.returncode == -signal.SIGKILL

    after = _state(drill.env)
    partial = {
        table: after["tables"][table] - count
        for table, count in before["tables"].items()
        if after["tables"].get(table) != count
    }
    again = time.monotonic()
    _run(drill.env, "import", str(drill.document), "--slug", "killed")
    reimport = time.monotonic() - again
    final = _state(drill.env)
    rows = sum(before["tables"].values())
    imported = sum(final["tables"].values()) - rows
    print(
        f"\nkill import ({suite_vendor()}): {PEOPLE} people, {imported} rows, full import "
        f"{full:.1f} s, killed at {killed_after:.1f} s while writing, "
        f"{sum(abs(n) for n in partial.values())} partial rows, org left: "
        f"{'killed' in after['orgs']}, second import {reimport:.1f} s"
    )
    assert "killed" not in after["orgs"]
    assert partial == {}
    assert after["tables"].keys() == before["tables"].keys()
    assert "killed" in final["orgs"]
    assert imported > 0
