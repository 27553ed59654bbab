"""`tenfold backup --format native` and its restore: pg_dump and pg_restore on PostgreSQL,
SQLite's backup API on SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenfold.accounts.models import User
from tenfold.backup import native
from tenfold.backup.snapshot import compare, project_models, snapshot
from tenfold.conftest import not_on_postgresql
from tenfold.organizations.models import ChangeCounter, Organization

from .helpers import run

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_a_native_backup_comes_back_with_the_same_ids(site: Organization, tmp_path: Path) -> None:
    suffix = ".pgdump" if connection.vendor == "postgresql" else ".sqlite3"
    path = tmp_path / f"site{suffix}"
    ChangeCounter.objects.create(organization=site, number=7)
    out = run("backup", "--format", "native", "--out", str(path))
    assert "organizations: 3, accounts: 8" in out
    tables = project_models(json_format=False)
    before = snapshot(tables, same_ids=True)
    call_command("flush", interactive=False, verbosity=0)
    assert User.objects.count() == 0

    out = run("restore", str(path))

    comparison = compare(before, snapshot(tables, same_ids=True))
    assert comparison.differences == 0, [t for t in comparison.tables if t.differences]
    assert comparison.rows > 100
    assert f"Restored {path} (" in out and "organizations: 3, accounts: 8" in out
    # Pages kept under the counter's old numbers are never served for the restored data.
    assert ChangeCounter.objects.get().number > 10**15

    # Now the database is not empty: replacing it takes --force.
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))
    assert str(refused.value) == (
        "This database is not empty (3 organizations, 8 accounts) and a native restore "
        "replaces all of it: add --force to do that. Nothing was changed."
    )
    Organization.objects.filter(slug="globex").update(name="Globex renamed")
    run("restore", str(path), "--force")
    assert Organization.objects.get(slug="globex").name == "Globex"


def _sqlite_file(path: Path, *tables: str) -> Path:
    database = sqlite3.connect(path)
    for table in tables:
        database.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    database.commit()
    database.close()
    return path


@pytest.mark.django_db
def test_a_native_file_of_the_other_database_is_refused(tmp_path: Path) -> None:
    if connection.vendor == "postgresql":
        path = _sqlite_file(tmp_path / "site.sqlite3", *native.TENFOLD_TABLES)
        message = (
            f"{path} is an SQLite backup, but this Tenfold runs on PostgreSQL: restore it on "
            "SQLite (a JSON backup moves between databases)."
        )
    else:
        path = tmp_path / "site.pgdump"
        path.write_bytes(b"PGDMP\x01\x0f\x00" + b"\x00" * 200)
        message = (
            f"{path} is a PostgreSQL backup, but this Tenfold runs on SQLite: restore it on "
            "PostgreSQL (a JSON backup moves between databases)."
        )
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))
    assert str(refused.value) == message


@pytest.mark.django_db
def test_a_damaged_or_foreign_native_file_is_refused(tmp_path: Path) -> None:
    if connection.vendor == "postgresql":
        damaged = tmp_path / "site.pgdump"
        damaged.write_bytes(b"PGDMP\x01\x0f\x00" + b"\x07" * 200)
    else:
        damaged = tmp_path / "site.sqlite3"
        damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    foreign = _sqlite_file(tmp_path / "other.sqlite3", "notes")
    for command in (("restore",), ("restore", "--check")):
        with pytest.raises(CommandError) as refused:
            run(*command, str(damaged))
        assert str(refused.value).startswith(f"{damaged} is damaged: ")
        assert str(refused.value).endswith("; nothing was changed.")
    with pytest.raises(CommandError) as refused:
        run("restore", "--check", str(foreign))
    assert str(refused.value) == f"{foreign} is an SQLite database, but not a Tenfold backup."
    # A sound Tenfold file passes the same check.
    sound = _sqlite_file(tmp_path / "sound.sqlite3", *native.TENFOLD_TABLES)
    assert "is a sound backup (SQLite database file)" in run("restore", "--check", str(sound))


@on_postgresql
@pytest.mark.django_db
def test_missing_or_old_client_tools_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(native.shutil, "which", lambda name: None)
    with pytest.raises(CommandError) as refused:
        run("backup", "--format", "native", "--out", str(tmp_path / "x.pgdump"))
    major = connection.pg_version // 10000  # type: ignore[attr-defined]
    assert str(refused.value) == (
        f"pg_dump is not installed: install the PostgreSQL {major} client tools "
        f"(Debian: postgresql-client-{major})."
    )

    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 11.22'\n")
    old.chmod(0o755)
    monkeypatch.setattr(native.shutil, "which", lambda name: str(old))
    with pytest.raises(CommandError) as refused:
        run("backup", "--format", "native", "--out", str(tmp_path / "x.pgdump"))
    assert str(refused.value) == (
        f"pg_dump is version 11 but the server is PostgreSQL {major}: install the PostgreSQL "
        f"{major} client tools (Debian: postgresql-client-{major})."
    )
    assert list(tmp_path.glob("*.pgdump")) == []


@not_on_postgresql
def test_the_password_goes_to_the_environment_never_the_command_line() -> None:
    settings_dict = {
        "NAME": "tenfold",
        "USER": "app",
        "PASSWORD": "pa ss",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require"},
    }
    env = native.libpq_environment(settings_dict)
    assert env["PGPASSWORD"] == "pa ss"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "app",
        "tenfold",
    )
    assert env["PGSSLMODE"] == "require"
