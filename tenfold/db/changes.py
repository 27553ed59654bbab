"""The organization change counter: a number that grows whenever anything an organization's
pages show is written, so cached pages can be keyed by it (`tenfold.web.fragments`).

Rather than asking every service, import, roll-up and bulk update to remember to count its
writes, the counter follows the SQL itself: a wrapper on every database connection looks at
each statement, and one that inserts, updates or deletes rows of a table the pages read (or
locks rows with FOR UPDATE) also adds one to the counter. The organization is the one the
current request or command works in (set by `Access` when it is built); when there is none
(a background job, a sign-in) every organization's counter grows.

Inside a transaction the counter moves *before* the statement, so it commits or rolls back
with the data and every writer takes the counter's row lock first (one lock order, no
deadlocks); outside one it moves right after the statement, once the data is visible. A
reader that reads the counter before the rows therefore never files old rows under a new
number.

A transaction moves each organization's counter once, at its first counted write: the later
writes commit together with it, and nobody else sees the number before they do. The counter
moves again only if the same transaction has read it since (it may have kept a page under
that number) or a savepoint that held the move was rolled back.

Bookkeeping tables that no cached page shows (sessions, rate counters, deliveries, the audit
trail, the counter itself) are left out, so reading a page never invalidates the cache.
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Tables whose writes never change what a cached page shows.
IGNORED_TABLES = frozenset(
    {
        "organizations_changecounter",
        "django_session",
        "django_admin_log",
        "django_migrations",
        "accounts_apitoken",
        "account_emailconfirmation",
        "apiguard_idempotencykey",
        "apiguard_ratecounter",
        "audit_auditevent",
        "calendars_calendarkey",
        "chat_alertstate",
        "digests_digestrun",
        "mailin_inboundmessage",
        "notifications_delivery",
        "notifications_heartbeat",
        "webhooks_webhookdelivery",
    }
)

_WRITE = re.compile(
    r"""\s*(?:
        INSERT(?:\s+OR\s+\w+)?\s+INTO
        | REPLACE\s+INTO
        | UPDATE(?:\s+OR\s+\w+)?
        | DELETE\s+FROM
    )\s+["`]?(?P<table>[\w.]+)""",
    re.IGNORECASE | re.VERBOSE,
)
_LOCKED_FROM = re.compile(r"""\bFROM\s+["`]?(?P<table>[\w.]+)""", re.IGNORECASE)

# The organization the current request or command works in (None: unknown, so all).
_organization: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "tenfold_change_organization", default=None
)
# Whether the current request has counted a change (for the "you just wrote" cookie).
_counted: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "tenfold_change_counted", default=False
)
# Off while `migrate` runs: the counter's own table may not exist yet.
_paused = False


def work_in(organization_id: int | None) -> None:
    """Writes from here on belong to this organization (None: to none in particular)."""
    _organization.set(organization_id)


def start_request() -> None:
    """A new request (or test) begins: forget the previous one's organization."""
    _organization.set(None)
    _counted.set(False)


def current_organization() -> int | None:
    """The organization the current request or command works in, if it named one."""
    return _organization.get()


def counted() -> bool:
    """Whether a change was counted since `start_request`."""
    return _counted.get()


def pause(paused: bool) -> None:
    global _paused
    _paused = paused


def written_table(sql: str) -> str | None:
    """The table a statement writes or locks, or None for a plain read or other statement."""
    head = sql.lstrip()[:7].upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
        match = _WRITE.match(sql)
        return match.group("table").strip('"`').lower() if match else None
    if head.startswith(("SELECT", "WITH")) and "FOR UPDATE" in sql[-200:].upper():
        match = _LOCKED_FROM.search(sql)
        return match.group("table").strip('"`').lower() if match else None
    return None


def counts(sql: str) -> bool:
    """Whether running `sql` changes what some organization's pages show."""
    table = written_table(sql)
    return table is not None and table not in IGNORED_TABLES


def _bump(connection: BaseDatabaseWrapper) -> None:
    """Add one to the counter, in plain SQL: it runs once per transaction and after every
    counted write outside one, and building the same ORM update each time cost more than
    running it."""
    organization_id = _organization.get()
    _counted.set(True)
    table = connection.ops.quote_name(_counter_table())
    with connection.cursor() as cursor:
        if organization_id is None:
            cursor.execute(f"UPDATE {table} SET number = number + 1")  # nosec B608  # quoted name
            return
        # No row yet means no page has been kept for the organization: nothing to move (the
        # first read makes the row; an organization being deleted must not get one back).
        cursor.execute(
            f"UPDATE {table} SET number = number + 1 WHERE organization_id = %s",  # nosec B608  # quoted name; values bound
            [organization_id],
        )


@functools.cache
def _counter_table() -> str:
    from tenfold.organizations.models import ChangeCounter

    return ChangeCounter._meta.db_table


class _Watcher:
    """The execute wrapper installed on every connection."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.busy = False
        # Organizations (None: all) whose counter this transaction has moved and not read
        # since, and the transaction they were moved in, told apart by the connection's list
        # of commit hooks: Django replaces that list when a transaction commits or rolls back
        # and when a savepoint rolls back, and holding it here keeps its identity unique.
        self.moved: set[int | None] = set()
        self.moved_in: object = None

    def forget(self) -> None:
        """The counter was read: the next counted write moves it again."""
        self.moved.clear()

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.busy or _paused or not isinstance(sql, str) or not counts(sql):
            return execute(sql, params, many, context)
        self.busy = True
        try:
            if self.connection.in_atomic_block:
                if self.moved_in is not self.connection.run_on_commit:
                    self.moved.clear()
                    self.moved_in = self.connection.run_on_commit
                organization_id = _organization.get()
                if organization_id in self.moved or None in self.moved:
                    _counted.set(True)
                else:
                    _bump(self.connection)
                    self.moved.add(organization_id)
                return execute(sql, params, many, context)
            result = execute(sql, params, many, context)
            # Outside a transaction the statement has already run: one that changed no row
            # (a guarded update, say) leaves the pages as they were.
            if getattr(context.get("cursor"), "rowcount", -1) != 0:
                _bump(self.connection)
            return result
        finally:
            self.busy = False


def watch(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """Install the watcher on a connection (from the `connection_created` signal).

    It goes first in the list: `connection.execute_wrapper()` blocks (query counters, for
    one) add theirs at the end and take off the last one when they close, and a connection
    opened inside such a block must not lose its watcher when the block ends."""
    if not any(isinstance(wrapper, _Watcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, _Watcher(connection))


def watch_open_connections() -> None:
    """Install the watcher on connections opened before the signal was connected."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            watch(connection)


def version(organization_id: int, using: str = "default") -> int:
    """The organization's change counter now. The first read makes its row, so that a
    change counted for every organization at once moves it too.

    A new row starts at the current time in microseconds rather than at 0: kept pages may
    outlive the database they were built from (a file or Redis store, a database built again
    at the same address, an organization deleted and made again), and a counter that starts
    above every number an earlier one could have reached never matches their keys."""
    from tenfold.organizations.models import ChangeCounter

    for wrapper in connections[using].execute_wrappers:
        if isinstance(wrapper, _Watcher):
            wrapper.forget()
    from . import fast

    sql = (
        f"SELECT {fast.column(ChangeCounter, 'number', using=using)}"  # nosec B608  # quoted names; values bound
        f" FROM {fast.table(ChangeCounter, using)}"
        f" WHERE {fast.column(ChangeCounter, 'organization', using=using)} = %s"
    )
    rows = fast.fetch(sql, [organization_id], using)
    if not rows:
        ChangeCounter.objects.using(using).bulk_create(
            [ChangeCounter(organization_id=organization_id, number=time.time_ns() // 1000)],
            ignore_conflicts=True,
        )
        rows = fast.fetch(sql, [organization_id], using)
    return rows[0][0] if rows else 0


@contextmanager
def organization_scope(organization_id: int | None) -> Iterator[None]:
    """Count the writes of a block for one organization, then restore what was before."""
    token = _organization.set(organization_id)
    try:
        yield
    finally:
        _organization.reset(token)
