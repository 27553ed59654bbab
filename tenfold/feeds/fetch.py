"""Reading a feed's value from the other system: an HTTP request or a database query. Nothing
here writes to Tenfold's database; `services` decides what to do with the value or the error.

HTTP goes through `tenfold.integrations.net` (address checks, no redirects, a timeout and a
size cap). Queries are guarded three times over: `tenfold.lib.feeds.check_select` refuses
anything but a single SELECT before a connection is opened; the connection itself is read-only
(PostgreSQL: `default_transaction_read_only` and `SET TRANSACTION READ ONLY`; SQLite: opened
with `mode=ro`, `query_only` and an authorizer that allows only reads); and a statement that
runs longer than `QUERY_TIMEOUT` seconds is cancelled.
"""

from __future__ import annotations

import sqlite3
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

from tenfold.integrations import net
from tenfold.lib import feeds as rules
from tenfold.lib.feeds import FeedError

from .models import DataSource, Format, Kind

HTTP_TIMEOUT = 10.0
"""Seconds a pull may take (connecting, waiting and reading)."""
MAX_BYTES = 2 * 1024 * 1024
"""The largest answer read; a bigger one is refused rather than parsed half."""
QUERY_TIMEOUT = 5.0
"""Seconds a query may run."""
CONNECT_TIMEOUT = 10
"""Seconds to open a database connection (PostgreSQL counts whole seconds, at least 2)."""

POSTGRES_PARAMETERS = frozenset(
    {"host", "port", "dbname", "user", "password", "sslmode", "application_name"}
)
"""Connection parameters a feed may set. Others (`service`, `passfile`, `sslkey`, …) name
files or settings on Tenfold's own machine, which a feed must not reach."""


def sqlite_dir() -> Path | None:
    """The directory SQLite feeds may read from, as the operator configured it
    (`FEEDS_SQLITE_DIR`); None when SQLite feeds are off."""
    configured = getattr(settings, "FEEDS_SQLITE_DIR", "") or ""
    return Path(configured).resolve() if str(configured).strip() else None


def engine_of(connection: str) -> str:
    """ "postgresql" or "sqlite" from the form of a connection string; "" when neither."""
    text = (connection or "").strip()
    lowered = text.lower()
    if lowered.startswith(("postgres://", "postgresql://")) or (
        "=" in text and not lowered.startswith("sqlite:")
    ):
        return "postgresql"
    if lowered.startswith("sqlite:") or lowered.endswith((".db", ".sqlite", ".sqlite3")):
        return "sqlite"
    return ""


def postgres_parameters(connection: str) -> dict[str, Any]:
    """The parameters of a PostgreSQL connection string, checked; FeedError when a feed may not
    use it."""
    from psycopg import conninfo

    try:
        parameters = conninfo.conninfo_to_dict(connection.strip())
    except Exception as error:  # psycopg raises ProgrammingError with its own wording
        raise FeedError(
            _("The connection string cannot be read: %(reason)s")
            % {"reason": str(error).split("\n")[0]}
        ) from error
    unknown = sorted(set(parameters) - POSTGRES_PARAMETERS)
    if unknown:
        raise FeedError(
            _("These connection settings cannot be used by a feed: %(names)s.")
            % {"names": ", ".join(unknown)}
        )
    host = str(parameters.get("host") or "").strip()
    if not host:
        raise FeedError(_("Name the database server's host in the connection string."))
    if host.startswith("/") or "," in host or "@" in host:
        raise FeedError(_("Use one host name or address, not a socket path or a list."))
    port = str(parameters.get("port") or "5432")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise FeedError(_("The port must be a number from 1 to 65535."))
    parameters["host"], parameters["port"] = host, int(port)
    return parameters


def sqlite_path(connection: str) -> Path:
    """The SQLite file a connection string names, when it lies inside the directory set aside
    for SQLite feeds; FeedError otherwise."""
    folder = sqlite_dir()
    if folder is None:
        raise FeedError(
            _(
                "SQLite files cannot be used here: the server's operator has not set a folder "
                "for them (FEEDS_SQLITE_DIR)."
            )
        )
    text = connection.strip()
    if text.lower().startswith("sqlite:"):
        text = text[len("sqlite:") :]
        # As elsewhere: sqlite:///name.db is relative (to the folder), sqlite:////abs/name.db
        # absolute.
        text = text[3:] if text.startswith("///") else text.removeprefix("//")
    if not text:
        raise FeedError(_("Give the path of the SQLite file."))
    path = Path(text)
    path = (path if path.is_absolute() else folder / path).resolve()
    if not path.is_relative_to(folder):
        raise FeedError(_("The SQLite file must be inside %(folder)s.") % {"folder": str(folder)})
    database = Path(str(settings.DATABASES["default"].get("NAME") or "")).resolve()
    if path == database:
        raise FeedError(_("A feed cannot read Tenfold's own database."))
    if not path.is_file():
        raise FeedError(_("There is no file %(name)s.") % {"name": str(path.relative_to(folder))})
    return path


def check_connection(connection: str) -> str:
    """The engine of a connection string, after checking its form (not the network)."""
    engine = engine_of(connection)
    if engine == "postgresql":
        postgres_parameters(connection)
    elif engine == "sqlite":
        sqlite_path(connection)
    else:
        raise FeedError(
            _(
                "Give a PostgreSQL connection string (postgresql://user:password@host:5432/db) "
                "or a SQLite file (sqlite:///name.db)."
            )
        )
    return engine


# --- pulls ----------------------------------------------------------------------------------


def read_url(source: DataSource) -> Decimal:
    """Fetch the source's address and read the number out of the answer."""
    try:
        net.check_url(source.url)
        answer = net.request(
            "GET",
            source.url,
            organization=source.organization,
            headers={
                "Accept": "text/csv" if source.format == Format.CSV else "application/json",
                **{str(k): str(v) for k, v in (source.headers or {}).items()},
            },
            timeout=HTTP_TIMEOUT,
            max_bytes=MAX_BYTES,
        )
    except net.OutboundError as error:  # UnsafeTarget included
        raise FeedError(str(error)) from error
    if not answer.ok:
        raise FeedError(
            _("The address answered with HTTP status %(status)d instead of the data.")
            % {"status": answer.status}
        )
    if answer.truncated:
        raise FeedError(
            _("The answer is larger than %(size)s MB; point the feed at something smaller.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    text = answer.body.decode("utf-8-sig", errors="replace")
    if rules.looks_like_html(text, answer.content_type):
        raise FeedError(
            _(
                "The address answered with a web page (HTML), not %(format)s data. Check the "
                "address and whether it needs a login header."
            )
            % {"format": "CSV" if source.format == Format.CSV else "JSON"}
        )
    if source.format == Format.CSV:
        return rules.extract_csv(
            text,
            column=source.csv_column,
            row=source.csv_row,
            where=source.csv_filter,
            header=source.csv_header,
        )
    return rules.extract_json(text, source.path)


def _postgres(source: DataSource, query: str) -> list[Any]:
    import psycopg
    from psycopg import sql

    parameters = postgres_parameters(source.connection)
    host, port = parameters.pop("host"), parameters.pop("port")
    try:
        address = net.resolve(host, port, allowed=net.allowed_hosts_of(source.organization))
    except net.OutboundError as error:
        raise FeedError(str(error)) from error
    timeout_ms = int(QUERY_TIMEOUT * 1000)
    try:
        connection = psycopg.connect(
            host=host,
            hostaddr=address,  # the address that was checked, never a second lookup
            port=port,
            connect_timeout=max(2, int(CONNECT_TIMEOUT)),
            options=(
                "-c default_transaction_read_only=on "
                f"-c statement_timeout={timeout_ms} "
                f"-c idle_in_transaction_session_timeout={timeout_ms * 2}"
            ),
            **parameters,
        )
    except psycopg.Error as error:
        raise FeedError(
            _("Could not connect to the database: %(reason)s") % {"reason": _first_line(error)}
        ) from error
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
            # Prepared: the extended protocol runs exactly one statement, so nothing can follow
            # the SELECT (such as SET TRANSACTION READ WRITE; DELETE …).
            cursor.execute(sql.SQL(query), prepare=True)
            if cursor.description is None:
                raise FeedError(_("The query returned no rows."))
            return list(cursor.fetchmany(2))
    except psycopg.errors.QueryCanceled as error:
        raise FeedError(
            _("The query ran longer than %(seconds)s seconds and was stopped.")
            % {"seconds": f"{QUERY_TIMEOUT:g}"}
        ) from error
    except psycopg.Error as error:
        raise FeedError(
            _("The database refused the query: %(reason)s") % {"reason": _first_line(error)}
        ) from error
    finally:
        try:
            connection.rollback()
        finally:
            connection.close()


_SQLITE_READS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)


def _sqlite_authorizer(action: int, *_args: Any) -> int:
    return sqlite3.SQLITE_OK if action in _SQLITE_READS else sqlite3.SQLITE_DENY


def _sqlite(source: DataSource, query: str) -> list[Any]:
    path = sqlite_path(source.connection)
    try:
        connection = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, timeout=QUERY_TIMEOUT
        )
    except sqlite3.Error as error:
        raise FeedError(
            _("Could not open the SQLite file: %(reason)s") % {"reason": error}
        ) from error
    deadline = time.monotonic() + QUERY_TIMEOUT
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.set_authorizer(_sqlite_authorizer)
        connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        cursor = connection.execute(query)
        return list(cursor.fetchmany(2))
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise FeedError(
                _("The query ran longer than %(seconds)s seconds and was stopped.")
                % {"seconds": f"{QUERY_TIMEOUT:g}"}
            ) from error
        raise FeedError(
            _("The database refused the query: %(reason)s") % {"reason": error}
        ) from error
    except (sqlite3.Error, sqlite3.Warning) as error:
        raise FeedError(
            _("The database refused the query: %(reason)s") % {"reason": error}
        ) from error
    finally:
        connection.close()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def read_sql(source: DataSource) -> Decimal:
    """Run the source's query, read-only, and read the one number it returns."""
    query = rules.check_select(source.query)
    engine = check_connection(source.connection)
    rows = _postgres(source, query) if engine == "postgresql" else _sqlite(source, query)
    return rules.single_value(rows)


def read_value(source: DataSource) -> Decimal:
    """The value the source gives now, or FeedError. Push sources have nothing to fetch."""
    if source.kind == Kind.URL:
        return read_url(source)
    if source.kind == Kind.SQL:
        return read_sql(source)
    raise FeedError(_("A push feed has nothing to fetch: its values arrive when they are sent."))
