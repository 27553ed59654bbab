"""SQL feeds against a real SQLite file and the local PostgreSQL: a SELECT's number becomes a
check-in; a query that tries to write fails, is recorded as an error, and leaves the other
database unchanged — refused by the query check, and (with that check out of the way) by the
read-only connection itself."""

from __future__ import annotations

import os
import sqlite3
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tenfold.checkins.models import CheckIn
from tenfold.feeds import fetch
from tenfold.feeds.models import DataSource
from tenfold.feeds.services import source_set, source_sync, source_test
from tenfold.integrations.models import AllowedHost
from tenfold.lib import feeds as rules

from .conftest import access_of

PG_SERVER = os.environ.get("FEEDS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

WRITES = [
    "INSERT INTO {t} (n) VALUES (99)",
    "DELETE FROM {t}",
    "WITH gone AS (UPDATE {t} SET n = n + 100 RETURNING n) SELECT sum(n) FROM gone",
    "SELECT count(*) FROM {t}; DELETE FROM {t}",
    "SELECT count(*) FROM {t}; DROP TABLE {t}",
]


def fresh(source: DataSource) -> DataSource:
    return DataSource.objects.select_related("organization", "created_by").get(pk=source.pk)


# --- SQLite -----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_file(tmp_path, settings):
    """metrics.db with a table of five numbers, in the folder set aside for SQLite feeds."""
    settings.FEEDS_SQLITE_DIR = str(tmp_path)
    path = tmp_path / "metrics.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE signups (n INTEGER)")
        db.executemany("INSERT INTO signups VALUES (?)", [(n,) for n in (10, 20, 30, 40, 50)])
    yield path


def sqlite_rows(path) -> list[int]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT n FROM signups ORDER BY n")]


@pytest.fixture
def sqlite_feed(org, key_result, alice, sqlite_file) -> DataSource:
    source, _ = source_set(
        access=access_of(org, alice),
        key_result=key_result,
        kind="sql",
        connection="sqlite:///metrics.db",
        query="SELECT sum(n) FROM signups",
    )
    return fresh(source)


def test_a_sqlite_query_becomes_a_check_in(sqlite_feed):
    outcome = source_sync(source=sqlite_feed)
    assert (outcome.ok, outcome.recorded, outcome.value) == (True, True, Decimal(150))
    assert CheckIn.objects.get(key_result_id=sqlite_feed.key_result_id).value == Decimal(150)


@pytest.mark.parametrize("query", [w.format(t="signups") for w in WRITES])
def test_writing_queries_are_refused_before_they_reach_sqlite(
    org, key_result, alice, sqlite_file, query
):
    with pytest.raises(ValidationError) as caught:
        source_set(
            access=access_of(org, alice),
            key_result=key_result,
            kind="sql",
            connection="sqlite:///metrics.db",
            query=query,
        )
    assert "query" in caught.value.message_dict
    assert not DataSource.objects.exists()
    assert sqlite_rows(sqlite_file) == [10, 20, 30, 40, 50]


@pytest.mark.parametrize("query", [w.format(t="signups") for w in WRITES])
def test_a_saved_writing_query_fails_on_sync_and_changes_nothing(sqlite_feed, sqlite_file, query):
    DataSource.objects.filter(pk=sqlite_feed.pk).update(query=query)  # e.g. an old row
    outcome = source_sync(source=fresh(sqlite_feed))
    assert not outcome.ok
    source = fresh(sqlite_feed)
    assert source.last_status == "error" and source.last_error
    assert not CheckIn.objects.exists()
    assert sqlite_rows(sqlite_file) == [10, 20, 30, 40, 50]


@pytest.mark.parametrize(
    "query",
    [
        "INSERT INTO signups (n) VALUES (99)",
        "DELETE FROM signups",
        "UPDATE signups SET n = 0",
        "WITH x AS (SELECT 1) INSERT INTO signups SELECT * FROM x",
        "CREATE TABLE other (n INTEGER)",
        "ATTACH DATABASE 'other.db' AS other",
        "PRAGMA query_only = OFF",
    ],
)
def test_the_sqlite_connection_itself_refuses_writes(sqlite_feed, sqlite_file, monkeypatch, query):
    """With the query check switched off, the read-only connection still refuses."""
    monkeypatch.setattr(rules, "check_select", lambda text: text)
    DataSource.objects.filter(pk=sqlite_feed.pk).update(query=query)
    outcome = source_sync(source=fresh(sqlite_feed))
    assert not outcome.ok
    assert "refused" in outcome.message or "not authorized" in outcome.message
    assert sqlite_rows(sqlite_file) == [10, 20, 30, 40, 50]
    assert not (sqlite_file.parent / "other.db").exists()


def test_a_long_sqlite_query_is_stopped(sqlite_feed, monkeypatch):
    monkeypatch.setattr(fetch, "QUERY_TIMEOUT", 0.2)
    DataSource.objects.filter(pk=sqlite_feed.pk).update(
        query=(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        )
    )
    outcome = source_sync(source=fresh(sqlite_feed))
    assert not outcome.ok
    assert "longer than 0.2 seconds" in outcome.message


def test_sqlite_files_are_only_read_from_the_operators_folder(
    org, key_result, alice, carol, sqlite_file, settings, tmp_path
):
    def attempt(connection, who=alice):
        with pytest.raises(ValidationError) as caught:
            source_set(
                access=access_of(org, who),
                key_result=key_result,
                kind="sql",
                connection=connection,
                query="SELECT 1",
            )
        return " ".join(caught.value.message_dict["connection"])

    assert "must be inside" in attempt("sqlite:////etc/hostname.db")
    assert "must be inside" in attempt("sqlite:///../outside.db")
    assert "no file" in attempt("sqlite:///missing.db")
    assert "Only admins" in attempt("sqlite:///metrics.db", who=carol)
    settings.FEEDS_SQLITE_DIR = ""
    assert "has not set a folder" in attempt("sqlite:///metrics.db")
    assert not DataSource.objects.exists()


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_tenfolds_own_database_is_never_a_feed(org, key_result, alice, settings, tmp_path):
    own = tmp_path / "tenfold.sqlite3"
    own.write_bytes(b"")
    settings.FEEDS_SQLITE_DIR = str(tmp_path)
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "NAME": str(own)}}
    with pytest.raises(ValidationError, match="own database"):
        source_set(
            access=access_of(org, alice),
            key_result=key_result,
            kind="sql",
            connection="sqlite:///tenfold.sqlite3",
            query="SELECT 1",
        )


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def pg_table():
    """A throwaway schema with a table of five numbers on the local PostgreSQL server."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"no PostgreSQL at {PG_SERVER}: {error}")
    schema = f"feeds_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    admin.execute(f"CREATE TABLE {schema}.signups (n integer)")
    admin.execute(f"INSERT INTO {schema}.signups VALUES (10), (20), (30), (40), (50)")
    admin.execute(f"CREATE SEQUENCE {schema}.counter")

    def rows() -> list[int]:
        return [r[0] for r in admin.execute(f"SELECT n FROM {schema}.signups ORDER BY n")]

    yield f"{schema}.signups", rows
    admin.execute(f"DROP SCHEMA {schema} CASCADE")
    admin.close()


@pytest.fixture
def pg_feed(org, key_result, carol, pg_table, loopback) -> DataSource:
    table, _rows = pg_table
    source, _ = source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="sql",
        connection=PG_SERVER,
        query=f"SELECT sum(n) FROM {table}",
    )
    return fresh(source)


def test_a_postgres_query_becomes_a_check_in(pg_feed):
    outcome = source_sync(source=pg_feed)
    assert (outcome.ok, outcome.recorded, outcome.value) == (True, True, Decimal(150))


def test_testing_a_postgres_query_records_nothing(org, key_result, carol, pg_table, loopback):
    table, _rows = pg_table
    outcome = source_test(
        access=access_of(org, carol),
        key_result=key_result,
        kind="sql",
        connection=PG_SERVER,
        query=f"SELECT avg(n) FROM {table}",
    )
    assert (outcome.ok, outcome.value, outcome.recorded) == (True, Decimal(30), False)
    assert not DataSource.objects.exists() and not CheckIn.objects.exists()


@pytest.mark.parametrize("write", WRITES)
def test_a_saved_writing_query_fails_on_postgres_and_changes_nothing(pg_feed, pg_table, write):
    table, rows = pg_table
    DataSource.objects.filter(pk=pg_feed.pk).update(query=write.format(t=table))
    outcome = source_sync(source=fresh(pg_feed))
    assert not outcome.ok
    assert fresh(pg_feed).last_status == "error"
    assert not CheckIn.objects.exists()
    assert rows() == [10, 20, 30, 40, 50]


@pytest.mark.parametrize(
    ("write", "refusal"),
    [
        ("INSERT INTO {t} (n) VALUES (99)", "read-only transaction"),
        ("DELETE FROM {t}", "read-only transaction"),
        (
            "WITH gone AS (UPDATE {t} SET n = n + 100 RETURNING n) SELECT sum(n) FROM gone",
            "read-only transaction",
        ),
        ("SELECT n FROM {t} FOR UPDATE", "read-only transaction"),
        ("SELECT nextval('{s}.counter')", "read-only transaction"),
        ("SELECT count(*) FROM {t}; DELETE FROM {t}", "refused"),
        ("SET TRANSACTION READ WRITE; DELETE FROM {t}", "multiple commands"),
    ],
)
def test_the_postgres_connection_itself_refuses_writes(
    pg_feed, pg_table, monkeypatch, write, refusal
):
    """With the query check switched off, the read-only transaction still refuses."""
    table, rows = pg_table
    monkeypatch.setattr(rules, "check_select", lambda text: text)
    query = write.format(t=table, s=table.split(".")[0])
    DataSource.objects.filter(pk=pg_feed.pk).update(query=query)
    outcome = source_sync(source=fresh(pg_feed))
    assert not outcome.ok
    assert refusal in outcome.message, outcome.message
    assert rows() == [10, 20, 30, 40, 50]


def test_a_long_postgres_query_is_cancelled(pg_feed, monkeypatch):
    monkeypatch.setattr(fetch, "QUERY_TIMEOUT", 0.5)
    DataSource.objects.filter(pk=pg_feed.pk).update(query="SELECT 1 FROM pg_sleep(5)")
    outcome = source_sync(source=fresh(pg_feed))
    assert not outcome.ok
    assert "longer than 0.5 seconds" in outcome.message


def test_a_postgres_host_on_the_loopback_needs_an_allowed_host(pg_feed):
    AllowedHost.objects.all().delete()
    outcome = source_sync(source=fresh(pg_feed))
    assert not outcome.ok and "private or local network" in outcome.message


def test_postgres_answers_that_are_not_one_number_are_explained(pg_feed, pg_table):
    table, _rows = pg_table
    for query, message in (
        (f"SELECT n FROM {table}", "more than one row"),
        (f"SELECT n, n FROM {table} LIMIT 1", "2 columns"),
        (f"SELECT n FROM {table} WHERE n > 1000", "no rows"),
        (f"SELECT max(n) FROM {table} WHERE n > 1000", "NULL"),
        ("SELECT nope FROM nowhere", "refused the query"),
    ):
        DataSource.objects.filter(pk=pg_feed.pk).update(query=query)
        outcome = source_sync(source=fresh(pg_feed))
        assert message in outcome.message, (query, outcome.message)


@pytest.mark.parametrize(
    ("connection", "message"),
    [
        ("postgresql://u@/db", "Name the database server"),
        ("host=/var/run/postgresql dbname=x", "not a socket path"),
        ("postgresql://u@db1,db2/x", "not a socket path or a list"),
        ("postgresql://u@db/x?passfile=/etc/shadow", "cannot be used by a feed: passfile"),
        ("postgresql://u@db/x?sslkey=/root/key", "sslkey"),
        ("mysql://u@db/x", "Give a PostgreSQL connection string"),
    ],
)
def test_connection_strings_that_reach_local_files_are_refused(
    org, key_result, carol, connection, message
):
    with pytest.raises(ValidationError) as caught:
        source_set(
            access=access_of(org, carol),
            key_result=key_result,
            kind="sql",
            connection=connection,
            query="SELECT 1",
        )
    assert message in " ".join(caught.value.message_dict["connection"])
