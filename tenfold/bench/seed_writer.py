"""Fast, deterministic bulk writing for `tenfold seed`.

Millions of rows cannot go through `save()` or even `bulk_create` in reasonable time: every
row would run each field's `pre_save` (stamping `auto_now` fields with the time of the seed)
and every model default (a random public code). Instead primary keys are chosen up front, so
rows can refer to each other before they are written, and rows are streamed to the database
in big batches: `executemany` on SQLite, `COPY` on PostgreSQL. Foreign keys are checked at
commit (Django declares them deferrable), so tables can be written in any order inside the
one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from tenfold.db import bulk
from tenfold.lib.codes import ALPHABET

BATCH = 20_000

CODE_LENGTH = 10
_BASE = len(ALPHABET)
_SPACE = _BASE**CODE_LENGTH
_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]


class Codes:
    """Public codes for one table, unique by construction: the n-th row's code is an affine
    permutation of n over every possible code, with parameters drawn from the seed, written
    in the code alphabet. Different seeds or addresses give different, scattered codes."""

    def __init__(self, rng: random.Random) -> None:
        multiplier = rng.randrange(_BASE ** (CODE_LENGTH - 1), _SPACE)
        if multiplier % _BASE == 0:  # coprime with the space, so no two rows share a code
            multiplier += 1
        self.multiplier = multiplier
        self.offset = rng.randrange(_SPACE)
        self.count = 0

    def next(self) -> str:
        value = (self.multiplier * self.count + self.offset) % _SPACE
        self.count += 1
        pairs = _PAIRS
        q, r1 = divmod(value, 961)
        q, r2 = divmod(q, 961)
        q, r3 = divmod(q, 961)
        q, r4 = divmod(q, 961)
        return pairs[q % 961] + pairs[r4] + pairs[r3] + pairs[r2] + pairs[r1]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Clock:
    """Moments as the database wants them written. Both backends store UTC; the synthetic
    organization lives in UTC, so a wall-clock time is also the stored time."""

    def __init__(self) -> None:
        self.suffix = "+00" if is_postgresql() else ""

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> str:
        return f"{day.isoformat()} {hour:02d}:{minute:02d}:00{self.suffix}"


class Table:
    """One model's rows: the caller names the columns it gives (by attribute name, such as
    `unit_id`) and every other column gets its model default, prepared once."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - fields.keys()
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
        self.rest = [f for name, f in fields.items() if name not in columns]
        self.constants: tuple[Any, ...] = tuple(self._default(f) for f in self.rest)
        self.columns = [fields[name].column for name in columns] + [f.column for f in self.rest]
        self.written = 0
        self.next_id = 1
        self.seconds = 0.0
        self.codes: Codes | None = None

    def code(self) -> str:
        assert self.codes is not None
        return self.codes.next()

    def _default(self, field: models.Field[Any, Any]) -> Any:
        if not field.has_default() and field.null:
            return None
        value = field.get_default()
        if value is None and not field.null:
            raise ValueError(f"{self.model.__name__}.{field.name} needs a value")
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        if isinstance(value, bool):
            return value if is_postgresql() else int(value)
        return field.get_db_prep_save(value, connection)

    def reserve_ids(self) -> None:
        """Continue after the highest primary key in use (nothing else writes meanwhile)."""
        top = self.model._base_manager.aggregate(top=Max("pk"))["top"]
        self.next_id = (top or 0) + 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """Write rows (tuples in the order of the given columns); returns how many."""
        constants = self.constants
        batch: list[tuple[Any, ...]] = []
        count = 0
        for row in rows:
            batch.append(row + constants)
            if len(batch) >= BATCH:
                self._flush(batch)
                count += len(batch)
                batch = []
        if batch:
            self._flush(batch)
            count += len(batch)
        self.written += count
        return count

    def _flush(self, batch: list[tuple[Any, ...]]) -> None:
        started = time.monotonic()
        self._send(batch)
        self.seconds += time.monotonic() - started

    def _send(self, batch: list[tuple[Any, ...]]) -> None:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        names = ", ".join(quote(str(c)) for c in self.columns)
        with connection.cursor() as cursor:
            if is_postgresql():
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # nosec B608  # quoted names; values bound


@contextlib.contextmanager
def foreign_keys_checked_at_the_end(tables: Iterable[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys of the biggest tables while they are loaded and
    add them back afterwards, in the same transaction. Adding a key checks every row in one
    join; keeping it would queue a check per row and reference (tens of millions of them at
    ten thousand people) to run one by one at commit. This is what a database restore does
    too. SQLite checks each reference as the row is written, cheaply: nothing to do."""
    if not is_postgresql():
        yield
        return
    names = [t._meta.db_table for t in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [names],
        )
        keys = cursor.fetchall()
        quote = connection.ops.quote_name
        # A table with checks still pending cannot be altered: run them now, then defer
        # the others again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


@contextlib.contextmanager
def indexes_built_at_the_end(tables: Iterable[type[models.Model]]) -> Iterator[None]:
    """Drop the plain (non-unique) indexes of the biggest tables while they are loaded and
    build them again afterwards, in the same transaction (`tenfold.db.bulk`)."""
    with bulk.indexes_built_at_the_end([t._meta.db_table for t in tables]):
        yield


def reset_sequences(tables: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids chosen here (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
