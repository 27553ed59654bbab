"""Reading the whole database at one moment, and comparing two databases table by table.

The restore drill (`tenfold backup --drill`) reads every row of every table of the site before
the backup and after its restore into a scratch database, and counts the rows that differ.
After a native restore the rows must be identical, primary keys included. After a JSON restore
primary keys are new, so each reference is compared as the row it points at: its public code,
a person's email address, or for rows without a name of their own, their whole content.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models, transaction

from .tables import NOT_KEPT, model_of

OTHER_TABLES = ("auth.Group", "auth.Group_permissions", "account.EmailAddress")
"""Tables outside the project's own apps that a restore must bring back too."""

NOT_COMPARED = {"organizations.ChangeCounter": ("number",)}
"""Columns a restore changes on purpose: the change counters move past every number the
counters reached before the restore, so no page kept under an old number is ever served."""

EXAMPLES = 3


@contextlib.contextmanager
def consistent_read(using: str = "default") -> Iterator[None]:
    """Hold one view of the database for the block: every read in it sees the same moment,
    whatever others write meanwhile.

    On PostgreSQL a REPEATABLE READ, READ ONLY transaction. On SQLite a read transaction
    begun by hand: Django's own would be IMMEDIATE and stop every writer for the length of
    the backup, where a reader in write-ahead-log mode stops nobody. Inside a transaction
    that is already open (a test's), the block reads within it."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("COMMIT")


def project_models(*, json_format: bool) -> list[type[models.Model]]:
    """The tables a drill compares: every table of the project's apps (many-to-many tables
    included) and the few others a restore brings back; for a JSON backup, without the
    tables it leaves out (`tables.NOT_KEPT`)."""
    found: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        if not opts.app_config.name.startswith("tenfold.") and opts.label not in OTHER_TABLES:
            continue
        if json_format and opts.label in NOT_KEPT:
            continue
        found.append(model)
    return sorted(found, key=lambda model: model._meta.label)


def left_out_models() -> list[type[models.Model]]:
    return [model_of(label) for label in sorted(NOT_KEPT)]


def _plain(value: Any) -> Any:
    """A value in a form that compares equal across databases and can be counted."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


PLAIN_FIELDS = (
    models.JSONField,
    models.DecimalField,
    models.DateTimeField,
    models.BinaryField,
)
"""Fields whose values `_plain` changes."""


class Names:
    """What a reference points at, independent of primary keys: a row's code, a person's
    email, a group's name, a permission's app, model and codename, else the row itself."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.known: dict[type[models.Model], dict[Any, Any]] = {}
        self.busy: set[type[models.Model]] = set()

    def of(self, model: type[models.Model], pk: Any) -> Any:
        if pk is None:
            return None
        if model not in self.known:
            self.known[model] = self._names(model)
        return self.known[model].get(pk, ("missing", model._meta.label, pk))

    def _names(self, model: type[models.Model]) -> dict[Any, Any]:
        manager = model._base_manager.using(self.using)
        label = model._meta.label
        if label == settings.AUTH_USER_MODEL:
            return dict(manager.values_list("pk", "email"))
        if label == "auth.Permission":
            rows = manager.values_list(
                "pk", "content_type__app_label", "content_type__model", "codename"
            )
            return {pk: (app, name, code) for pk, app, name, code in rows}
        if label == "contenttypes.ContentType":
            return {
                pk: (app, name) for pk, app, name in manager.values_list("pk", "app_label", "model")
            }
        names = {field.name for field in model._meta.concrete_fields}
        if "code" in names:
            return dict(manager.values_list("pk", "code"))
        if label == "auth.Group":
            return dict(manager.values_list("pk", "name"))
        if model in self.busy:
            raise RuntimeError(f"{label} refers to itself without a public name")
        self.busy.add(model)
        try:
            return {pk: row for pk, row in self.rows(model, keyed=True)}
        finally:
            self.busy.discard(model)

    def rows(self, model: type[models.Model], *, keyed: bool = False) -> Iterator[Any]:
        """Every row of the model with its references named and without an automatic
        primary key (with `keyed`, as (primary key, row) pairs)."""
        kept = [
            field
            for field in model._meta.concrete_fields
            if not (field.primary_key and isinstance(field, models.AutoField))
        ]
        # Only the columns that need it are converted: most values are compared as read.
        changes: list[tuple[int, Any]] = []
        for position, column in enumerate(kept, start=1):
            if column.is_relation:
                changes.append((position, self._namer(column.related_model)))  # type: ignore[arg-type]
            elif isinstance(column, PLAIN_FIELDS):
                changes.append((position, _plain))
        manager = model._base_manager.using(self.using)
        values = manager.order_by().values_list("pk", *(field.attname for field in kept))
        for read in values.iterator(chunk_size=5000):
            row = list(read)
            for position, change in changes:
                row[position] = change(row[position])
            yield (row[0], tuple(row[1:])) if keyed else tuple(row[1:])

    def _namer(self, model: type[models.Model]) -> Any:
        def name(pk: Any) -> Any:
            return self.of(model, pk)

        return name


Snapshot = dict[str, Counter[Any]]


def snapshot(
    models_: list[type[models.Model]], *, using: str = "default", same_ids: bool
) -> Snapshot:
    """Every row of every table, counted: with `same_ids` as stored (primary and foreign
    keys as numbers, less the columns a restore changes on purpose); without, with
    references named (see `Names`)."""
    names = Names(using)
    found: Snapshot = {}
    for model in models_:
        rows = _stored_rows(model, using) if same_ids else names.rows(model)
        found[model._meta.label] = Counter(rows)
    return found


def _stored_rows(model: type[models.Model], using: str) -> Iterator[tuple[Any, ...]]:
    """Every row as stored, less the columns a restore changes on purpose."""
    skipped = set(NOT_COMPARED.get(model._meta.label, ()))
    fields = [column for column in model._meta.concrete_fields if column.name not in skipped]
    plain = [position for position, column in enumerate(fields) if isinstance(column, PLAIN_FIELDS)]
    manager = model._base_manager.using(using).order_by()
    for read in manager.values_list(*(column.attname for column in fields)).iterator(5000):
        if not plain:
            yield read
            continue
        row = list(read)
        for position in plain:
            row[position] = _plain(row[position])
        yield tuple(row)


@dataclass
class TableResult:
    label: str
    rows: int
    restored: int
    missing: int
    """Rows of the source not found, identical, in the restore."""
    extra: int
    """Rows of the restore not found, identical, in the source."""
    examples: list[str] = field(default_factory=list)

    @property
    def differences(self) -> int:
        return self.missing + self.extra


@dataclass
class Comparison:
    tables: list[TableResult]
    left_out: dict[str, int] = field(default_factory=dict)
    """Tables the backup leaves out on purpose, with the source's rows."""

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def differences(self) -> int:
        return sum(table.differences for table in self.tables)


def compare(before: Snapshot, after: Snapshot) -> Comparison:
    """Count, table by table, the rows that are not the same on both sides."""
    results: list[TableResult] = []
    for label in sorted(set(before) | set(after)):
        source, restored = before.get(label, Counter()), after.get(label, Counter())
        missing, extra = source - restored, restored - source
        examples = [f"- {row!r}" for row in list(missing)[:EXAMPLES]]
        examples += [f"+ {row!r}" for row in list(extra)[:EXAMPLES]]
        results.append(
            TableResult(
                label=label,
                rows=source.total(),
                restored=restored.total(),
                missing=missing.total(),
                extra=extra.total(),
                examples=examples,
            )
        )
    return Comparison(tables=results)
