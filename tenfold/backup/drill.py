"""The restore drill: restore a backup just made into a scratch database beside the real one,
with `tenfold restore` in a process of its own (exactly what an operator would run), then
compare every table of the scratch database with what the backup was made from.

The scratch database is fresh: for a native backup an empty one (SQLite: a new file;
PostgreSQL: a new database, so the role needs CREATEDB), for a JSON backup one holding the
schema of this database and the rows `migrate` makes (content types and permissions), as a
freshly migrated database would. It is removed at the end, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import connection, connections
from django.db.utils import load_backend
from django.utils.connection import ConnectionDoesNotExist
from django.utils.translation import gettext as _

from .files import JSON, BackupError
from .native import _first_error, libpq_environment, tool
from .snapshot import Comparison, Snapshot, compare, project_models, snapshot

MIGRATE_TABLES = ("django_migrations", "django_content_type", "auth_permission")
"""The tables `migrate` fills: a fresh database has their rows."""

RESTORE_TIMEOUT = 6 * 3600


@dataclass
class DrillResult:
    comparison: Comparison
    seconds: float
    """How long the restore into the scratch database took."""


def _sqlite_schema(path: Path) -> None:
    """Make `path` a database with this one's schema and `migrate`'s rows, nothing else."""
    connection.ensure_connection()
    source = connection.connection
    destination = sqlite3.connect(path, isolation_level=None)
    try:
        # One transaction, not one per statement: a throwaway database need not wait for
        # the disk hundreds of times.
        destination.execute("BEGIN")
        statements = source.execute(
            "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        order = {"table": 0, "index": 1, "view": 2, "trigger": 3}
        for _kind, sql in sorted(statements, key=lambda item: order.get(item[0], 4)):
            destination.execute(sql)
        for table in MIGRATE_TABLES:
            cursor = source.execute(f'SELECT * FROM "{table}"')  # nosec B608  # a constant name
            rows = cursor.fetchall()
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                insert = f'INSERT INTO "{table}" VALUES ({marks})'  # nosec B608  # values bound
                destination.executemany(insert, rows)
        destination.execute("COMMIT")
    finally:
        destination.close()


def _postgres_url(name: str) -> str:
    """`DATABASE_URL` pointing at another database of the same server."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.split(":", 1)[0] in ("postgres", "postgresql", "pgsql"):
        return urlunsplit(urlsplit(configured)._replace(path=f"/{quote(name)}"))
    settings_dict = connection.settings_dict
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{login}{host}{port}/{quote(name)}"


def _postgres_schema(name: str, folder: Path) -> None:
    """Copy this database's schema and `migrate`'s rows into the database `name`."""
    tables = connection.introspection.table_names()
    dump = folder / "schema.pgdump"
    env = libpq_environment(connection.settings_dict)
    skip = [f"--exclude-table-data={table}" for table in tables if table not in MIGRATE_TABLES]
    steps = [
        [tool("pg_dump"), "--format=custom", "--no-password", f"--file={dump}", *skip],
        [
            tool("pg_restore"),
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={name}",
            str(dump),
        ],
    ]
    for command in steps:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackupError(
                _("The drill could not prepare its scratch database: %(error)s")
                % {"error": _first_error(result.stderr)}
            )


@contextlib.contextmanager
def scratch_database(kind: str) -> Iterator[tuple[str, str]]:
    """A new database beside the configured one, as (connection alias, `DATABASE_URL`)."""
    token = secrets.token_hex(4)
    alias = f"drill_{token}"
    folder = Path(tempfile.mkdtemp(prefix="tenfold-drill-"))
    name = ""
    try:
        if connection.vendor == "sqlite":
            path = folder / "drill.sqlite3"
            if kind == JSON:
                _sqlite_schema(path)
            url = f"sqlite:///{path}"
            scratch = {**connection.settings_dict, "NAME": str(path)}
        else:
            name = f"{connection.settings_dict['NAME']}_drill_{token}"[-63:]
            quoted = connection.ops.quote_name(name)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"CREATE DATABASE {quoted}")
            except Exception as error:  # any refusal (no right to, a name taken), in one line
                name = ""
                raise BackupError(
                    _("The drill needs to create a scratch database and could not: %(error)s")
                    % {"error": str(error).strip().splitlines()[0]}
                ) from None
            if kind == JSON:
                _postgres_schema(name, folder)
            url = _postgres_url(name)
            scratch = {**connection.settings_dict, "NAME": name}
        # A connection of its own, not one of the configured ones: registered under its
        # alias for the ORM's `using()`, and gone at the end.
        connections[alias] = load_backend(scratch["ENGINE"]).DatabaseWrapper(scratch, alias)
        yield alias, url
    finally:
        with contextlib.suppress(ConnectionDoesNotExist):
            connections[alias].close()
            del connections[alias]
        if name:
            with connection.cursor() as cursor:
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


def restore_elsewhere(path: Path, url: str) -> None:
    """Run `tenfold restore FILE` against the database at `url`, in a process of its own."""
    env = {**os.environ, "DATABASE_URL": url}
    # The system checks ran in this process already.
    command = [sys.executable, "-m", "tenfold", "restore", "--skip-checks", str(path.resolve())]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, check=False, timeout=RESTORE_TIMEOUT
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(
            _("The drill's restore failed: %(error)s") % {"error": lines[-1] if lines else "?"}
        )


def run_drill(path: Path, kind: str, before: Snapshot, left_out: dict[str, int]) -> DrillResult:
    """Restore `path` into a scratch database and compare it with `before`, the snapshot
    taken in the same view of the database as the backup."""
    same_ids = kind != JSON
    with scratch_database(kind) as (alias, url):
        started = time.monotonic()
        restore_elsewhere(path, url)
        seconds = time.monotonic() - started
        after = snapshot(project_models(json_format=not same_ids), using=alias, same_ids=same_ids)
    comparison = compare(before, after)
    comparison.left_out = left_out
    return DrillResult(comparison=comparison, seconds=seconds)
