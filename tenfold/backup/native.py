"""Native backups: the database engine's own copy of the whole database, primary keys and all.

PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists` in one
transaction. The connection comes from Django's `DATABASES` setting and goes to the tools
through libpq's environment variables (`PGHOST`, `PGPASSWORD`…), so no password ever shows in
the process list. SQLite: SQLite's online backup API, which copies a consistent image of the
database while others keep reading and writing, in both directions.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.db import connection, models
from django.db.backends.postgresql.client import DatabaseClient
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.organizations.models import ChangeCounter, Organization

from .files import POSTGRESQL, SQLITE, BackupError, replacing

LOCK_TIMEOUT = "30s"
"""How long pg_restore waits for a table that someone is using (a server or worker still
running) before it gives up, changing nothing."""

TENFOLD_TABLES = ("django_migrations", "accounts_user", "organizations_organization")
"""Tables every Tenfold database has: a native file without them is not a Tenfold backup."""


def engine_name(vendor: str) -> str:
    return {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}.get(vendor, vendor)


def _must_be_outside_a_transaction() -> None:
    if connection.in_atomic_block:
        raise BackupError(_("A native restore cannot run inside a database transaction."))


def count_rows(models_: list[type[models.Model]]) -> dict[str, int]:
    """Rows per table, for a summary."""
    return {model._meta.label: model._base_manager.count() for model in models_}


def contents() -> tuple[int, int]:
    """How many organizations and accounts the database holds (none before `migrate`)."""
    tables = set(connection.introspection.table_names())
    organizations = accounts = 0
    if Organization._meta.db_table in tables:
        organizations = Organization.objects.count()
    if User._meta.db_table in tables:
        accounts = User.objects.count()
    return organizations, accounts


def refuse_unless_empty() -> None:
    organizations, accounts = contents()
    if organizations or accounts:
        raise BackupError(
            _(
                "This database is not empty (%(organizations)s organizations, %(accounts)s "
                "accounts) and a native restore replaces all of it: add --force to do that. "
                "Nothing was changed."
            )
            % {"organizations": organizations, "accounts": accounts}
        )


def move_counters_forward() -> None:
    """Move every organization's change counter past any number it reached before the
    restore (counters start at the time in microseconds and grow by one per write), so no
    page kept under a number from before the restore is served for the restored data."""
    now = time.time_ns() // 1000
    ChangeCounter.objects.filter(number__lt=now).update(number=now)


# --- PostgreSQL -----------------------------------------------------------------------------


def libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment that points libpq's tools at the configured database."""
    _args, extra = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = dict(os.environ)
    env.update(extra or {})
    for setting, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(setting):
            env[variable] = str(settings_dict[setting])
    return env


def tool(name: str) -> str:
    """The path of a PostgreSQL client tool whose version can work with the server."""
    path = shutil.which(name)
    # On another database (checking a file only), any version will do.
    server = connection.pg_version // 10000 if connection.vendor == "postgresql" else 0  # type: ignore[attr-defined]
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL %(major)s client tools "
                "(Debian: postgresql-client-%(major)s)."
            )
            % {"tool": name, "major": server or "15"}
        )
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"\)\s*(\d+)", output)
    major = int(found.group(1)) if found else 0
    if major < server:
        raise BackupError(
            _(
                "%(tool)s is version %(version)s but the server is PostgreSQL %(major)s: install "
                "the PostgreSQL %(major)s client tools (Debian: postgresql-client-%(major)s)."
            )
            % {"tool": name, "version": major or "?", "major": server}
        )
    return path


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower() or "fatal" in line.lower():
            return line
    return lines[0] if lines else "?"


def dump_postgresql(path: Path) -> None:
    """Write the database to `path` with pg_dump's custom format. Inside a transaction the
    dump uses the transaction's snapshot, so it shows exactly what the transaction reads."""
    command = [tool("pg_dump"), "--format=custom", "--no-password"]
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            command.append(f"--snapshot={cursor.fetchone()[0]}")
    with replacing(path) as temporary:
        result = _run(
            [*command, f"--file={temporary}"], libpq_environment(connection.settings_dict)
        )
        if result.returncode != 0:
            raise BackupError(
                _("pg_dump failed: %(error)s") % {"error": _first_error(result.stderr)}
            )


def check_postgresql(path: Path) -> None:
    """Read the dump's table of contents; raises `BackupError` when pg_restore cannot."""
    result = _run([tool("pg_restore"), "--list", str(path)], dict(os.environ))
    if result.returncode != 0:
        raise BackupError(
            _("%(path)s is damaged: %(error)s; nothing was changed.")
            % {"path": path, "error": _first_error(result.stderr)}
        )
    listed = result.stdout
    if not all(f"TABLE public {table} " in listed for table in TENFOLD_TABLES):
        raise BackupError(
            _("%(path)s is a PostgreSQL backup, but not of a Tenfold database.") % {"path": path}
        )


def restore_postgresql(path: Path, *, force: bool) -> None:
    """Replace the database's tables with those of the dump, in one transaction: any error
    (a damaged file, a table in use for longer than `LOCK_TIMEOUT`) changes nothing."""
    if connection.vendor != "postgresql":
        raise BackupError(
            _(
                "%(path)s is a PostgreSQL backup, but this Tenfold runs on %(engine)s: restore it "
                "on PostgreSQL (a JSON backup moves between databases)."
            )
            % {"path": path, "engine": engine_name(connection.vendor)}
        )
    check_postgresql(path)
    if not force:
        refuse_unless_empty()
    _must_be_outside_a_transaction()
    env = libpq_environment(connection.settings_dict)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    connection.close()  # hold no lock and no prepared statement on the tables being replaced
    command = [
        tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={connection.settings_dict['NAME']}",
        str(path),
    ]
    result = _run(command, env)
    if result.returncode != 0:
        error = _first_error(result.stderr)
        if "lock timeout" in error:
            raise BackupError(
                _(
                    "The database is in use (a server or worker is running): stop them and try "
                    "again. Nothing was changed."
                )
            )
        raise BackupError(
            _("pg_restore failed: %(error)s. Nothing was changed.") % {"error": error}
        )
    move_counters_forward()


# --- SQLite ---------------------------------------------------------------------------------


def dump_sqlite(path: Path) -> None:
    """Copy the database to `path` with SQLite's backup API, as one self-contained file."""
    connection.ensure_connection()
    with replacing(path) as temporary:
        destination = sqlite3.connect(temporary)
        try:
            connection.connection.backup(destination)
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_sqlite(path: Path) -> None:
    """Check the file's structure and that it is a Tenfold database."""
    try:
        source = _open_read_only(path)
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
            tables = {
                name
                for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            _("%(path)s is damaged: %(error)s; nothing was changed.")
            % {"path": path, "error": error}
        ) from None
    if result != "ok":
        raise BackupError(
            _("%(path)s is damaged: %(error)s; nothing was changed.")
            % {"path": path, "error": result}
        )
    if not set(TENFOLD_TABLES) <= tables:
        raise BackupError(
            _("%(path)s is an SQLite database, but not a Tenfold backup.") % {"path": path}
        )


def restore_sqlite(path: Path, *, force: bool) -> None:
    """Copy the backup over the configured database with SQLite's backup API (one step,
    under the database's lock: readers see either the old or the restored database)."""
    if connection.vendor != "sqlite":
        raise BackupError(
            _(
                "%(path)s is an SQLite backup, but this Tenfold runs on %(engine)s: restore it on "
                "SQLite (a JSON backup moves between databases)."
            )
            % {"path": path, "engine": engine_name(connection.vendor)}
        )
    check_sqlite(path)
    if not force:
        refuse_unless_empty()
    _must_be_outside_a_transaction()
    connection.ensure_connection()
    source = _open_read_only(path)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(
            _("The copy failed: %(error)s. Nothing was changed.") % {"error": error}
        ) from None
    finally:
        source.close()
    connection.close()  # the next query opens the restored database afresh
    move_counters_forward()
