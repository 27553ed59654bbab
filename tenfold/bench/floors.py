"""The floor of each measured item: the least SQL that fetches the rows the page shows.

Each floor is a handful of hand-written statements run on a plain DB-API connection (the
standard `sqlite3` module or psycopg), without Django, its ORM or templates. Its p50 is the time
below which no implementation of the page could go on this database and machine; the page's
ratio to it shows what the framework, the Python around the rows and the HTML cost.

The statements read the same rows and columns the page shows (every objective and key result a
dashboard counts, every item of a team's week, …), not a token query. They use ``%s``
placeholders and double-quoted identifiers, valid on SQLite and PostgreSQL alike; ``?`` is
substituted for SQLite. The write floor records a check-in with its roll-up and audit row and
commits, exactly as the service must, then puts the rows back untimed.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urlsplit

from .stats import percentile

Statement = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Floor:
    name: str
    statements: Sequence[Statement] = field(default_factory=tuple)
    write: bool = False


# The objectives, key results and alignment links of a cycle, with what a status needs
# (progress, last check-in): the rows a whole-cycle view (dashboard, API list) starts from.
_CYCLE_OBJECTIVES: Statement = (
    'SELECT o.id, o.code, o.title, o.level, o.type, o.state, o.visibility, o.unit_id, o."order",'
    " o.progress, o.updated_at FROM okrs_objective o WHERE o.cycle_id = %s"
    ' ORDER BY o.unit_id, o."order", o.id',
    ("cycle",),
)
_CYCLE_KEY_RESULTS: Statement = (
    "SELECT k.id, k.objective_id, k.code, k.title, k.kind, k.start, k.target, k.current,"
    " k.unit_label, k.value_format, k.weight, k.owner_id, k.progress, k.last_checkin_at,"
    " k.last_confidence FROM okrs_keyresult k JOIN okrs_objective o ON o.id = k.objective_id"
    ' WHERE o.cycle_id = %s ORDER BY k.objective_id, k."order", k.id',
    ("cycle",),
)
_CYCLE_LINKS: Statement = (
    "SELECT a.child_id, a.parent_objective_id, a.parent_key_result_id, a.weight"
    " FROM okrs_alignment a JOIN okrs_objective o ON o.id = a.child_id WHERE o.cycle_id = %s",
    ("cycle",),
)
_UNITS: Statement = (
    "SELECT u.id, u.code, u.name, u.kind, u.parent_id FROM organizations_unit u"
    ' WHERE u.organization_id = %s ORDER BY u."order", u.name',
    ("org",),
)
_CYCLES: Statement = (
    'SELECT c.id, c.code, c.name, c.kind, c.start, c."end", c.state FROM okrs_cycle c'
    " WHERE c.organization_id = %s ORDER BY c.start DESC",
    ("org",),
)


def _tree_level(unit_key: str) -> list[Statement]:
    """A unit opened in the tree: its own objectives with key-result and child counts and the
    newest check-in, and the inputs of the status counts of each unit below it."""
    return [
        _UNITS,
        (
            "SELECT o.id, o.code, o.title, o.type, o.state, o.progress,"
            " (SELECT COUNT(*) FROM okrs_keyresult k WHERE k.objective_id = o.id),"
            " (SELECT MAX(k.last_checkin_at) FROM okrs_keyresult k WHERE k.objective_id = o.id),"
            " (SELECT COUNT(*) FROM okrs_alignment a WHERE a.parent_objective_id = o.id)"
            " FROM okrs_objective o WHERE o.cycle_id = %s AND o.unit_id = %s"
            ' ORDER BY o."order", o.id',
            ("cycle", unit_key),
        ),
        (
            "SELECT o.unit_id, o.progress, MAX(k.last_checkin_at) FROM okrs_objective o"
            " LEFT JOIN okrs_keyresult k ON k.objective_id = o.id"
            " WHERE o.cycle_id = %s AND o.unit_id IN"
            " (SELECT u.id FROM organizations_unit u WHERE u.parent_id = %s"
            "  OR u.parent_id IN (SELECT v.id FROM organizations_unit v WHERE v.parent_id = %s))"
            " GROUP BY o.id, o.unit_id, o.progress",
            ("cycle", unit_key, unit_key),
        ),
    ]


FLOORS: dict[str, Floor] = {
    "company dashboard": Floor(
        "company dashboard",
        (
            _UNITS,
            _CYCLES,
            _CYCLE_OBJECTIVES,
            _CYCLE_KEY_RESULTS,
            _CYCLE_LINKS,
            # The units heard from lately, from each key result's stored newest check-in (as
            # the page reads them), not from the check-in history.
            (
                "SELECT DISTINCT o.unit_id FROM okrs_keyresult k"
                " JOIN okrs_objective o ON o.id = k.objective_id"
                " WHERE k.organization_id = %s AND k.last_checkin_at >= %s",
                ("org", "quiet_since"),
            ),
            # Last week's fill-in: per person, their one report of the week and one item of it.
            (
                "SELECT COUNT(*), COUNT(CASE WHEN EXISTS (SELECT 1 FROM checkins_weeklyreport r"
                "  WHERE r.organization_id = %s AND r.person_id = m.user_id AND r.week = %s"
                "  AND EXISTS (SELECT 1 FROM checkins_weeklyitem i WHERE i.report_id = r.id))"
                " THEN 1 END) FROM organizations_membership m"
                " WHERE m.organization_id = %s AND m.role <> 'viewer'",
                ("org", "last_week", "org"),
            ),
        ),
    ),
    "alignment tree": Floor("alignment tree", [_CYCLES, *_tree_level("root")]),
    "tree expansion": Floor("tree expansion", _tree_level("department")),
    "unit page": Floor(
        "unit page",
        (
            _UNITS,
            _CYCLES,
            (
                "SELECT m.is_lead, u.id, u.name, u.email FROM organizations_unitmember m"
                " JOIN accounts_user u ON u.id = m.user_id WHERE m.unit_id = %s"
                " ORDER BY m.is_lead DESC, u.name, u.email",
                ("team",),
            ),
            (
                "SELECT o.id, o.code, o.title, o.type, o.state, o.progress, k.id, k.code, k.title,"
                " k.progress, k.last_checkin_at FROM okrs_objective o"
                " LEFT JOIN okrs_keyresult k ON k.objective_id = o.id"
                ' WHERE o.cycle_id = %s AND o.unit_id = %s ORDER BY o."order", o.id, k."order"',
                ("cycle", "team"),
            ),
            (
                "SELECT a.child_id, p.code, p.title FROM okrs_alignment a"
                " JOIN okrs_objective o ON o.id = a.child_id"
                " LEFT JOIN okrs_keyresult pk ON pk.id = a.parent_key_result_id"
                " JOIN okrs_objective p ON p.id = COALESCE(a.parent_objective_id, pk.objective_id)"
                " WHERE o.cycle_id = %s AND o.unit_id = %s",
                ("cycle", "team"),
            ),
        ),
    ),
    "objective page": Floor(
        "objective page",
        (
            (
                "SELECT o.id, o.code, o.title, o.description, o.level, o.type, o.state,"
                ' o.visibility, o.progress, o.version, c.code, c.name, c.start, c."end",'
                " c.state, u.code, u.name, l.name FROM okrs_objective o"
                " JOIN okrs_cycle c ON c.id = o.cycle_id"
                " LEFT JOIN organizations_unit u ON u.id = o.unit_id"
                " LEFT JOIN accounts_user l ON l.id = o.lead_id WHERE o.id = %s",
                ("objective",),
            ),
            (
                "SELECT k.id, k.code, k.title, k.kind, k.start, k.target, k.current, k.unit_label,"
                " k.value_format, k.weight, k.progress, k.last_checkin_at, k.last_confidence,"
                " w.name FROM okrs_keyresult k LEFT JOIN accounts_user w ON w.id = k.owner_id"
                ' WHERE k.objective_id = %s ORDER BY k."order", k.id',
                ("objective",),
            ),
            (
                "SELECT i.id, i.key_result_id, i.code, i.title, i.status, i.due, w.name"
                " FROM okrs_initiative i JOIN okrs_keyresult k ON k.id = i.key_result_id"
                " LEFT JOIN accounts_user w ON w.id = i.owner_id WHERE k.objective_id = %s",
                ("objective",),
            ),
            (
                "SELECT c.key_result_id, c.id, c.supersedes_id, c.measured_at, c.value"
                " FROM checkins_checkin c JOIN okrs_keyresult k ON k.id = c.key_result_id"
                " WHERE k.objective_id = %s",
                ("objective",),
            ),
            (
                "SELECT a.parent_objective_id, a.parent_key_result_id, a.weight, p.code, p.title,"
                " pk.code, pk.title FROM okrs_alignment a"
                " LEFT JOIN okrs_objective p ON p.id = a.parent_objective_id"
                " LEFT JOIN okrs_keyresult pk ON pk.id = a.parent_key_result_id"
                " WHERE a.child_id = %s",
                ("objective",),
            ),
            (
                "SELECT a.child_id, o.code, o.title, o.progress FROM okrs_alignment a"
                " JOIN okrs_objective o ON o.id = a.child_id"
                " WHERE a.parent_objective_id = %s OR a.parent_key_result_id IN"
                " (SELECT k.id FROM okrs_keyresult k WHERE k.objective_id = %s)",
                ("objective", "objective"),
            ),
            # The initiative form offers every person of the organization as an owner.
            (
                "SELECT u.id, u.name, u.email FROM organizations_membership m"
                " JOIN accounts_user u ON u.id = m.user_id WHERE m.organization_id = %s"
                " ORDER BY u.name",
                ("org",),
            ),
        ),
    ),
    "my week": Floor(
        "my week",
        (
            (
                "SELECT i.id, i.code, i.category, i.text, i.position, i.objective_id,"
                " i.key_result_id, i.done_at, i.resolved_at FROM checkins_weeklyreport r"
                " JOIN checkins_weeklyitem i ON i.report_id = r.id"
                " WHERE r.organization_id = %s AND r.person_id = %s AND r.week = %s"
                " ORDER BY i.category, i.position",
                ("org", "member", "week"),
            ),
            (
                "SELECT k.id, k.code, k.title, k.kind, k.start, k.target, k.current, k.progress,"
                " k.last_checkin_at, o.code, o.title, u.name FROM okrs_keyresult k"
                " JOIN okrs_objective o ON o.id = k.objective_id"
                " JOIN okrs_cycle c ON c.id = o.cycle_id"
                " LEFT JOIN organizations_unit u ON u.id = o.unit_id"
                " WHERE c.organization_id = %s AND c.state = 'active'"
                " AND o.state NOT IN ('draft', 'proposed', 'closed')"
                " AND (k.owner_id = %s OR o.unit_id IN"
                "  (SELECT m.unit_id FROM organizations_unitmember m WHERE m.user_id = %s))"
                ' ORDER BY c.start, o."order", o.id, k."order", k.id',
                ("org", "member", "member"),
            ),
            (
                "SELECT u.id, u.code, u.name FROM organizations_unit u"
                " JOIN organizations_unitmember m ON m.unit_id = u.id WHERE m.user_id = %s"
                " AND u.organization_id = %s",
                ("member", "org"),
            ),
        ),
    ),
    "team week": Floor(
        "team week",
        (
            (
                "SELECT u.id, u.name, u.email, m.is_lead FROM organizations_unitmember m"
                " JOIN accounts_user u ON u.id = m.user_id WHERE m.unit_id = %s ORDER BY u.name",
                ("team",),
            ),
            (
                "SELECT r.person_id, i.id, i.code, i.category, i.text, i.position, i.done_at,"
                " i.resolved_at, o.code, o.title, k.code, k.title FROM checkins_weeklyreport r"
                " JOIN checkins_weeklyitem i ON i.report_id = r.id"
                " LEFT JOIN okrs_objective o ON o.id = i.objective_id"
                " LEFT JOIN okrs_keyresult k ON k.id = i.key_result_id"
                " WHERE r.organization_id = %s AND r.week = %s AND r.person_id IN"
                " (SELECT m.user_id FROM organizations_unitmember m WHERE m.unit_id = %s)"
                " ORDER BY r.person_id, i.category, i.position",
                ("org", "week", "team"),
            ),
        ),
    ),
    "check-in write": Floor("check-in write", write=True),
    "API list": Floor(
        "API list",
        (
            (
                "SELECT o.id, o.code, o.title, o.description, o.level, o.type, o.state,"
                " o.visibility, o.progress, o.updated_at, u.code FROM okrs_objective o"
                " LEFT JOIN organizations_unit u ON u.id = o.unit_id WHERE o.cycle_id = %s"
                ' ORDER BY o.unit_id, o."order", o.id LIMIT 100',
                ("cycle",),
            ),
            (
                "SELECT k.id, k.objective_id, k.code, k.title, k.kind, k.start, k.target,"
                " k.current, k.progress, k.weight, k.last_checkin_at FROM okrs_keyresult k"
                " WHERE k.objective_id IN (SELECT o.id FROM okrs_objective o WHERE o.cycle_id = %s"
                '  ORDER BY o.unit_id, o."order", o.id LIMIT 100) ORDER BY k.objective_id, k.id',
                ("cycle",),
            ),
            (
                "SELECT a.child_id, a.parent_objective_id, a.parent_key_result_id, a.weight"
                " FROM okrs_alignment a WHERE a.child_id IN (SELECT o.id FROM okrs_objective o"
                '  WHERE o.cycle_id = %s ORDER BY o.unit_id, o."order", o.id LIMIT 100)',
                ("cycle",),
            ),
        ),
    ),
    "API detail": Floor(
        "API detail",
        (
            (
                "SELECT o.id, o.code, o.title, o.description, o.level, o.type, o.state,"
                " o.visibility, o.progress, o.updated_at, u.code, c.code FROM okrs_objective o"
                " LEFT JOIN organizations_unit u ON u.id = o.unit_id"
                " JOIN okrs_cycle c ON c.id = o.cycle_id WHERE o.id = %s",
                ("objective",),
            ),
            (
                "SELECT k.id, k.code, k.title, k.kind, k.start, k.target, k.current, k.progress,"
                " k.weight, k.last_checkin_at, w.name, w.email FROM okrs_keyresult k"
                " LEFT JOIN accounts_user w ON w.id = k.owner_id WHERE k.objective_id = %s"
                ' ORDER BY k."order", k.id',
                ("objective",),
            ),
            (
                "SELECT c.key_result_id, c.measured_at, c.value FROM checkins_checkin c"
                " JOIN okrs_keyresult k ON k.id = c.key_result_id WHERE k.objective_id = %s",
                ("objective",),
            ),
            (
                "SELECT a.parent_objective_id, a.parent_key_result_id, a.weight, p.code, pk.code"
                " FROM okrs_alignment a LEFT JOIN okrs_objective p ON p.id = a.parent_objective_id"
                " LEFT JOIN okrs_keyresult pk ON pk.id = a.parent_key_result_id"
                " WHERE a.child_id = %s",
                ("objective",),
            ),
        ),
    ),
}


# --- connections --------------------------------------------------------------------------------


class FloorDatabase:
    """A plain DB-API connection to the benchmark database, SQLite or PostgreSQL."""

    vendor: str
    connection: Any
    end_reads: bool = True

    @classmethod
    def over(cls, connection: Any, vendor: str) -> FloorDatabase:
        """Around a DB-API connection already open (Django's, in the tests), leaving its
        read transactions to it."""
        database = cls.__new__(cls)
        database.connection, database.vendor, database.end_reads = connection, vendor, False
        return database

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.vendor = "sqlite" if parts.scheme == "sqlite" else "postgresql"
        if self.vendor == "sqlite":
            self.connection = sqlite3.connect(unquote(parts.path)[1:] or ":memory:")
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA synchronous=NORMAL")
        else:
            import psycopg

            self.connection = psycopg.connect(url.replace("postgresql://", "postgres://", 1))
        self.connection.autocommit = False

    def close(self) -> None:
        self.connection.close()

    def sql(self, text: str) -> str:
        return text.replace("%s", "?") if self.vendor == "sqlite" else text

    def value(self, value: Any) -> Any:
        """SQLite stores moments as naive UTC text and dates as ISO text; psycopg adapts."""
        if self.vendor != "sqlite":
            return value
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    def run(self, statements: Sequence[Statement], params: dict[str, Any]) -> int:
        """Run every statement, fetch every row; returns how many rows came back."""
        rows = 0
        cursor = self.connection.cursor()
        for text, names in statements:
            cursor.execute(self.sql(text), tuple(self.value(params[n]) for n in names))
            rows += len(cursor.fetchall())
        if self.end_reads:
            self.connection.rollback()  # end the read transaction, as a request would
        return rows


def floor_params(targets: dict[str, Any]) -> dict[str, Any]:
    return {
        "org": targets["org"]["id"],
        "cycle": targets["cycle"]["id"],
        "root": targets["root"]["id"],
        "department": targets["department"]["id"],
        "team": targets["team"]["id"],
        "objective": targets["objective"]["id"],
        "kr": targets["key_result"]["id"],
        "admin": targets["admin"]["id"],
        "member": targets["member"]["id"],
        "week": dt.date.fromisoformat(targets["week"]),
        "last_week": dt.date.fromisoformat(targets["last_week"]),
        "quiet_since": dt.datetime.fromisoformat(targets["quiet_since"]),
    }


def _saved(db: FloorDatabase, params: dict[str, Any]) -> tuple[Any, Any]:
    cursor = db.connection.cursor()
    cursor.execute(
        db.sql(
            "SELECT current, progress, last_checkin_at, last_confidence, version"
            " FROM okrs_keyresult WHERE id = %s"
        ),
        (params["kr"],),
    )
    saved_kr = cursor.fetchone()
    cursor.execute(
        db.sql("SELECT progress, version FROM okrs_objective WHERE id = %s"),
        (params["objective"],),
    )
    saved_objective = cursor.fetchone()
    db.connection.rollback()
    return saved_kr, saved_objective


def _write(db: FloorDatabase, params: dict[str, Any], value: Decimal) -> str:
    """Record one check-in the way the service must: the check-in row, the key result's
    stored figures, its objective's and its parents' roll-up, the audit row; commit."""
    cursor = db.connection.cursor()
    kr, objective = params["kr"], params["objective"]
    now = db.value(dt.datetime.now(dt.UTC))
    code = "bench" + secrets.token_hex(4)[:7]  # codes are 12 characters at most
    cursor.execute(
        db.sql(
            "INSERT INTO checkins_checkin (organization_id, code, key_result_id, value,"
            " confidence, note, author_id, source, measured_at, created_at, edit_reason)"
            " VALUES (%s, %s, %s, %s, %s, '', %s, 'web', %s, %s, '')"
        ),
        (
            params["org"],
            code,
            kr,
            db.value(value),
            db.value(Decimal("0.7")),
            params["member"],
            now,
            now,
        ),
    )
    cursor.execute(
        db.sql(
            "UPDATE okrs_keyresult SET current = %s, progress = progress, last_checkin_at = %s,"
            " last_confidence = 0.7, version = version + 1 WHERE id = %s"
        ),
        (db.value(value), now, kr),
    )
    cursor.execute(
        db.sql("SELECT k.progress, k.weight FROM okrs_keyresult k WHERE k.objective_id = %s"),
        (objective,),
    )
    cursor.fetchall()
    cursor.execute(
        db.sql(
            "UPDATE okrs_objective SET progress = progress, version = version + 1 WHERE id = %s"
        ),
        (objective,),
    )
    cursor.execute(
        db.sql(
            "UPDATE okrs_objective SET progress = progress WHERE id IN (SELECT COALESCE("
            " a.parent_objective_id, (SELECT k.objective_id FROM okrs_keyresult k"
            "  WHERE k.id = a.parent_key_result_id)) FROM okrs_alignment a WHERE a.child_id = %s)"
        ),
        (objective,),
    )
    cursor.execute(
        db.sql(
            "INSERT INTO audit_auditevent (organization_id, actor_id, verb, object_type,"
            " object_code, object_repr, objective_code, changes, created_at)"
            " VALUES (%s, %s, 'checkin.recorded', 'checkin', %s, '', '', '{}', %s)"
        ),
        (params["org"], params["member"], code, now),
    )
    db.connection.commit()
    return code


def _undo(db: FloorDatabase, params: dict[str, Any], saved: tuple[Any, Any], code: str) -> None:
    """Put the rows back as they were, so the floor leaves the organization unchanged."""
    cursor = db.connection.cursor()
    saved_kr, saved_objective = saved
    cursor.execute(db.sql("DELETE FROM audit_auditevent WHERE object_code = %s"), (code,))
    cursor.execute(db.sql("DELETE FROM checkins_checkin WHERE code = %s"), (code,))
    cursor.execute(
        db.sql(
            "UPDATE okrs_keyresult SET current = %s, progress = %s, last_checkin_at = %s,"
            " last_confidence = %s, version = %s WHERE id = %s"
        ),
        (*saved_kr, params["kr"]),
    )
    cursor.execute(
        db.sql("UPDATE okrs_objective SET progress = %s, version = %s WHERE id = %s"),
        (*saved_objective, params["objective"]),
    )
    db.connection.commit()


def measure_floor(
    db: FloorDatabase, floor: Floor, params: dict[str, Any], *, runs: int, warmup: int = 3
) -> list[float]:
    """Milliseconds of each of `runs` runs of the floor (after `warmup` untimed ones)."""
    times: list[float] = []
    for index in range(warmup + runs):
        if floor.write:
            saved = _saved(db, params)
            started = time.perf_counter()
            code = _write(db, params, Decimal(100 + index))
            elapsed = (time.perf_counter() - started) * 1000
            _undo(db, params, saved, code)
        else:
            started = time.perf_counter()
            db.run(floor.statements, params)
            elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            times.append(elapsed)
    return times


def floor_p50(db: FloorDatabase, name: str, params: dict[str, Any], *, runs: int) -> float | None:
    floor = FLOORS.get(name)
    if floor is None:
        return None
    return percentile(measure_floor(db, floor, params, runs=runs), 50)
