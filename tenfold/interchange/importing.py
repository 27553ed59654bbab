"""Import an interchange JSON document as a new organization (docs/interchange.md).

The document is checked completely before anything is written: the format version, the JSON
Schema, dates, duplicate codes and email addresses, and every reference. The rows are then
written in one transaction, section by section in batches, with their stored codes, figures
and timestamps; any error, or a cancel, leaves the database as it was.

Rows are inserted the way Django's `loaddata` inserts fixtures ("raw"), so `auto_now` and
`auto_now_add` fields keep the times in the file instead of the time of the import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import json
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.db import bulk
from tenfold.lib.codes import new_code
from tenfold.lib.longrun import Progress
from tenfold.organizations.models import Organization

from .checking import schema_problems
from .import_values import Prepare, is_utc_text, preparer
from .spec import (
    FORMAT,
    FORMAT_VERSION,
    PEOPLE,
    SECTIONS,
    Col,
    Section,
    Target,
    model_field,
)

MAX_PROBLEMS = 50
"""Stop listing problems after this many: a wrong file would otherwise list thousands."""

BATCH = 5000

BULK_ROWS = 20000
"""A section with at least this many rows is loaded into a table whose plain indexes are
dropped first and built again at the end, on SQLite (see `bulk_loading`)."""

SQLITE_CACHE_KIB = 1024 * 1024
"""The page cache of an import on SQLite (its default is 2 MiB)."""


class InterchangeError(ValidationError):
    """The document cannot be imported; `messages` lists every problem found."""


def nouns() -> dict[str, str]:
    """How a message names one row of a section ("no cycle "Q9"")."""
    return {
        PEOPLE: _("person"),
        "units": _("unit"),
        "cycles": _("cycle"),
        "kpis": _("KPI"),
        "objectives": _("objective"),
        "key_results": _("key result"),
        "checkins": _("check-in"),
        "weekly_reports": _("weekly report"),
        "weekly_items": _("weekly item"),
        "comments": _("comment"),
        "reviews": _("review"),
        "ideas": _("idea"),
    }


def json_path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or _("(the document)")


# --- reading --------------------------------------------------------------------------------


def read(data_or_stream: Any) -> Any:
    """The document itself: a parsed dictionary is used as it is; text, bytes and open files
    are parsed as JSON."""
    if isinstance(data_or_stream, dict):
        return data_or_stream
    text = data_or_stream
    if hasattr(text, "read"):
        text = text.read()
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InterchangeError(_("The file is not UTF-8 text.")) from error
    if not isinstance(text, str):
        raise InterchangeError(_("Give a JSON document, as text or an open file."))
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InterchangeError(
            _("This is not valid JSON: %(error)s (line %(line)s, column %(column)s).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error


# --- checking -------------------------------------------------------------------------------


def _parse_datetime(value: str) -> dt.datetime | str:
    """The moment `value` names, in UTC. A moment in the form exports write
    ("2026-02-16T08:00:00.000000Z") stays as its text once checked: `import_values` turns that
    text into the database's form much faster than it formats a datetime object, and a large
    organization has millions of them."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(value)
    if is_utc_text(value):
        return value
    return parsed.astimezone(dt.UTC)


def _parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _parser(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField):
        return _parse_datetime
    if isinstance(field, models.DateField):
        return _parse_date
    if isinstance(field, models.DecimalField):
        return Decimal
    return None


@dataclass
class Plan:
    """A checked document, ready to write."""

    rows: dict[str, list[dict[str, Any]]]
    levels: dict[str, list[list[int]]]
    slug: str
    counts: dict[str, int] = field(default_factory=dict)


class Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)

    @property
    def full(self) -> bool:
        return len(self.messages) >= MAX_PROBLEMS

    def raise_any(self) -> None:
        if self.messages:
            if self.full:
                self.messages.append(_("(further problems were not listed)"))
            raise InterchangeError(self.messages)


def _check_header(data: Any) -> None:
    if not isinstance(data, dict):
        raise InterchangeError(_("The file does not hold a JSON object."))
    if data.get("format") != FORMAT:
        raise InterchangeError(
            _('This is not a Tenfold interchange file: its "format" is not "%(format)s".')
            % {"format": FORMAT}
        )
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InterchangeError(_('"format_version" must be a whole number from 1 up.'))
    if version > FORMAT_VERSION:
        raise InterchangeError(
            _("This file is format version %(version)s; this Tenfold reads up to %(supported)s.")
            % {"version": version, "supported": FORMAT_VERSION}
        )


def _check_schema(data: dict[str, Any]) -> None:
    found = list(itertools.islice(schema_problems(data), MAX_PROBLEMS))
    if found:
        found.sort(key=lambda problem: [str(part) for part in problem[0]])
        raise InterchangeError([f"{json_path(path)}: {message}" for path, message in found])


def _rows_of(data: dict[str, Any], section: Section, *, copy: bool) -> list[dict[str, Any]]:
    """The section's rows, which checking turns into Python values: copies, so that the
    caller's document stays as it was, unless the document is the import's own (read from
    text), whose rows are used as they are to spare the memory."""
    value = data.get(section.name)
    if section.single:
        return [] if value is None else [dict(value) if copy else value]
    if not copy:
        return value or []
    return [dict(row) for row in value or []]


def _path(section: Section, index: int, key: str | None = None) -> str:
    where = section.name if section.single else f"{section.name}[{index}]"
    return f"{where}.{key}" if key else where


def _identity(section: Section, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (row[key] or "").lower() if key in ("email", "person", "giver") else row[key]
        for key in section.key
    )


def _parse_rows(section: Section, rows: list[dict[str, Any]], problems: Problems) -> None:
    """Turn dates and decimals into Python values in place (moments in the form exports
    write stay text once checked, see `_parse_datetime`), and lower-case email addresses
    (people are matched without regard to case)."""
    parsers: list[tuple[str, Callable[[Any], Any]]] = []
    for column in section.columns:
        if isinstance(column, Target):
            continue
        if column.ref == PEOPLE or (section.name == PEOPLE and column.key == "email"):
            parsers.append((column.key, str.lower))
        elif column.ref is None:
            parser = _parser(model_field(section, column.name))
            if parser is not None:
                parsers.append((column.key, parser))
    if not parsers:
        return
    for index, row in enumerate(rows):
        for key, parser in parsers:
            value = row[key]
            if value is None:
                continue
            try:
                row[key] = parser(value)
            except (ValueError, ArithmeticError):
                problems.add(
                    _('%(path)s: "%(value)s" is not a valid date or number.')
                    % {"path": _path(section, index, key), "value": value}
                )


def _check_duplicates(section: Section, rows: list[dict[str, Any]], problems: Problems) -> None:
    if section.single or section.keep_order or not section.key:
        return
    if section.has_code and len(set(map(operator.itemgetter("code"), rows))) == len(rows):
        return  # the usual case, found in one pass; a duplicate is then looked for row by row
    seen: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(rows):
        identity = _identity(section, row)
        first = seen.setdefault(identity, index)
        if first == index:
            continue
        values = {
            "section": section.name,
            "value": " / ".join(str(part) for part in identity),
            "first": _path(section, first),
            "second": _path(section, index),
        }
        if section.has_code:
            message = _('%(section)s: the code "%(value)s" is used twice (%(first)s, %(second)s).')
        elif section.name == PEOPLE:
            message = _('%(section)s: "%(value)s" is listed twice (%(first)s, %(second)s).')
        else:
            message = _('%(section)s: "%(value)s" appears twice (%(first)s, %(second)s).')
        problems.add(message % values)


def _keys(data_rows: dict[str, list[dict[str, Any]]]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {PEOPLE: {row["email"] for row in data_rows[PEOPLE]}}
    for section in SECTIONS:
        if section.has_code and not section.single:
            keys[section.name] = {row["code"] for row in data_rows[section.name]}
    return keys


def _check_references(
    section: Section,
    rows: list[dict[str, Any]],
    keys: dict[str, set[str]],
    problems: Problems,
) -> None:
    names = nouns()
    for column in section.columns:
        if isinstance(column, Col):
            if column.ref is None:
                continue
            found = set(map(operator.itemgetter(column.key), rows))
            found.discard(None)
            if found <= keys[column.ref]:
                continue  # every reference is known; a bad one is looked for row by row
        for index, row in enumerate(rows):
            if isinstance(column, Target):
                kind = row[column.type_key]
                value = row[column.key]
                target = column.kinds[kind][1]
            else:
                if column.ref is None:
                    break
                value = row[column.key]
                target = column.ref
            if value is not None and value not in keys[target]:
                problems.add(
                    _('%(path)s: no %(noun)s "%(value)s"')
                    % {
                        "path": _path(section, index, column.key),
                        "noun": names.get(target, target),
                        "value": value,
                    }
                )
                if problems.full:
                    return


def _levels(section: Section, rows: list[dict[str, Any]], problems: Problems) -> list[list[int]]:
    """Row indexes grouped so that every row comes after the row it refers to (its parent
    unit, the check-in it corrects…); references that go round in a loop are reported."""
    if section.parent is None:
        return [list(range(len(rows)))]
    key = section.parent
    index_of = {row["code"]: index for index, row in enumerate(rows)}
    # Most rows refer to nothing (a weekly item carried from no earlier one): level 0 at once.
    depth = [-1] * len(rows)
    for start, row in enumerate(rows):
        if depth[start] >= 0:
            continue
        parent = row[key]
        if parent is None:
            depth[start] = 0
            continue
        chain = [start]
        on_chain = {start}
        current = index_of.get(parent)
        while current is not None and depth[current] < 0:
            if current in on_chain:
                problems.add(
                    _("%(path)s: these %(section)s refer to each other in a loop.")
                    % {"path": _path(section, current, key), "section": section.name}
                )
                return [list(range(len(rows)))]
            chain.append(current)
            on_chain.add(current)
            parent = rows[current][key]
            current = index_of.get(parent) if parent is not None else None
        base = -1 if current is None else depth[current]
        for index in reversed(chain):
            base += 1
            depth[index] = base
    levels: list[list[int]] = [[] for _level in range(max(depth, default=-1) + 1)]
    for index, level in enumerate(depth):
        levels[level].append(index)
    return levels


def check_document(data: Any, *, slug: str | None = None, copy: bool = True) -> Plan:
    """Check everything that can be checked before writing; raise `InterchangeError` with
    every problem found. With `copy=False` the document's rows are changed in place."""
    _check_header(data)
    _check_schema(data)
    problems = Problems()
    rows = {section.name: _rows_of(data, section, copy=copy) for section in SECTIONS}
    for section in SECTIONS:
        _parse_rows(section, rows[section.name], problems)
        _check_duplicates(section, rows[section.name], problems)
    problems.raise_any()
    keys = _keys(rows)
    for section in SECTIONS:
        _check_references(section, rows[section.name], keys, problems)
    if rows["adoption_checklist"] and not rows["adoption"]:
        problems.add(_("adoption_checklist: there are checklist steps but no adoption programme."))
    levels = {section.name: _levels(section, rows[section.name], problems) for section in SECTIONS}
    problems.raise_any()

    slug = slug or rows["organization"][0]["slug"]
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise InterchangeError(
            _('"%(slug)s" cannot be an organization\'s address: use letters, digits, "-" and "_".')
            % {"slug": slug}
        ) from error
    if len(slug) > Organization._meta.get_field("slug").max_length:  # type: ignore[operator]
        raise InterchangeError(_('The address "%(slug)s" is too long.') % {"slug": slug})
    if Organization.objects.filter(slug=slug).exists():
        raise InterchangeError(
            _(
                'An organization with the address "%(slug)s" already exists here; import under '
                "another address (--slug)."
            )
            % {"slug": slug}
        )
    counts = {section.name: len(rows[section.name]) for section in SECTIONS}
    return Plan(rows=rows, levels=levels, slug=slug, counts=counts)


# --- writing --------------------------------------------------------------------------------


Getter = Callable[[dict[str, Any]], Any]
# One column's values for a list of rows, ready for the database.
Column = Callable[[list[dict[str, Any]]], list[Any]]


class Reference:
    """A row's reference to another row, as the referenced row's primary key: `ids` is the
    dictionary `Writer.remember` fills as the referenced rows are written."""

    def __init__(self, ids: dict[Any, Any], key: str) -> None:
        ids.setdefault(None, None)  # an empty reference stays empty
        self.ids, self.key = ids, key

    def __call__(self, row: dict[str, Any]) -> Any:
        return self.ids[row[self.key]]

    def column(self, rows: list[dict[str, Any]]) -> list[Any]:
        # Keys that came from the database need no preparing; all in C, no call per row.
        return list(map(self.ids.__getitem__, map(operator.itemgetter(self.key), rows)))


def _column(get: Getter, prepare: Prepare) -> Column:
    if isinstance(get, Reference):
        return get.column
    return lambda rows: list(map(prepare, map(get, rows)))


@dataclass
class Table:
    """How the rows of one section become the columns of its table."""

    sql: str
    fields: list[models.Field[Any, Any]]
    getters: list[Getter]
    preparers: list[Prepare]

    @functools.cached_property
    def columns(self) -> list[Column]:
        return list(map(_column, self.getters, self.preparers))


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows as they are, with `executemany`. Django's `bulk_create` would run each
    field's `pre_save`, which stamps `auto_now` fields with the time of the import; the values
    here are prepared for the database exactly as Django prepares them, but not changed.
    Made a column at a time: millions of rows, each with a dozen values."""
    params = list(zip(*(column(rows) for column in table.columns), strict=True))
    with connection.cursor() as cursor:
        cursor.executemany(table.sql, params)


@dataclass
class Writer:
    plan: Plan
    progress: Progress
    organization: Organization | None = None
    ids: dict[str, dict[Any, Any]] = field(default_factory=dict)
    singles: dict[str, int] = field(default_factory=dict)
    renamed: dict[str, str] | None = None
    done: int = 0

    @property
    def total(self) -> int:
        return sum(self.plan.counts.values())

    def code(self, code: str) -> str:
        return code if self.renamed is None else self.renamed.setdefault(code, new_code())

    def advance(self, count: int, label: str) -> None:
        self.done += count
        self.progress.step(self.done, self.total, label)
        self.progress.check()

    def people(self, rows: list[dict[str, Any]]) -> None:
        ids: dict[str, int] = {}
        emails = [row["email"] for row in rows]
        for start in range(0, len(emails), 500):
            found = User.objects.filter(email__in=emails[start : start + 500])
            ids.update(found.values_list("email", "id"))
        new = [
            User(
                email=row["email"],
                name=row["name"],
                language=row["language"],
                time_zone=row["time_zone"],
                password=make_password(None),
            )
            for row in rows
            if row["email"] not in ids
        ]
        User.objects.bulk_create(new, batch_size=500)
        ids.update((user.email, user.pk) for user in new)
        self.ids.setdefault(PEOPLE, {}).update(ids)
        self.advance(len(rows), PEOPLE)

    def _reference(self, target: str, key: str) -> Getter:
        # The same dictionary `remember` fills as the target's rows are written.
        return Reference(self.ids.setdefault(target, {}), key)

    def _target(self, column: Target, name: str) -> Getter:
        def get(row: dict[str, Any]) -> Any:
            if column.kinds[row[column.type_key]][0] != name:
                return None
            return self.ids[column.kinds[row[column.type_key]][1]][row[column.key]]

        return get

    def table(self, section: Section) -> Table:
        getters: dict[str, Getter] = {}
        for column in section.columns:
            if isinstance(column, Target):
                for name, _target in column.kinds.values():
                    getters[name] = self._target(column, name)
            elif column.ref is not None:
                getters[column.name] = self._reference(column.ref, column.key)
            elif column.key == "code":
                getters["code"] = lambda row: self.code(row["code"])
            else:
                getters[column.name] = operator.itemgetter(column.key)
        if section.name == "organization":
            getters["slug"] = lambda row: self.plan.slug
        elif section.scope == "organization":
            assert self.organization is not None
            organization_id = self.organization.pk
            getters["organization"] = lambda row: organization_id
        for name, single in section.fixed.items():
            single_id = self.singles[single]
            getters[name] = lambda row, single_id=single_id: single_id  # type: ignore[misc]
        if section.name == "audit_events" and self.renamed is not None:
            # In a copy, the log's references follow the rows to their new codes.
            renamed = self.renamed
            for key in ("object_code", "objective_code"):
                getters[key] = lambda row, key=key: renamed.get(row[key], row[key])  # type: ignore[misc]
        opts = section.model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # quoted names; values bound
            quote(opts.db_table),
            ", ".join(quote(str(f.column)) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        return Table(
            sql=sql,
            fields=fields,
            getters=[getters[f.name] for f in fields],
            preparers=[preparer(f, connection) for f in fields],
        )

    def remember(self, section: Section, rows: list[dict[str, Any]], since: int) -> None:
        """Learn the primary keys of rows just written (those above `since`), which later
        rows refer to."""
        manager = section.model._base_manager
        if section.name == "organization":
            organization = manager.get(code=self.code(rows[0]["code"]))
            self.organization = organization  # type: ignore[assignment]
            self.singles[section.name] = organization.pk
            return
        if section.single:
            self.singles[section.name] = manager.get(organization=self.organization).pk
            return
        if not section.has_code:
            return
        if self.renamed is None:
            # The organization is new and written in this transaction alone: every row of
            # it above `since` is one just written.
            wanted: Any = None
        else:
            wanted = {self.code(row["code"]): row["code"] for row in rows}
        opts = section.model._meta
        quote = connection.ops.quote_name
        sql = "SELECT {}, {} FROM {} WHERE {} = %s AND {} > %s".format(  # nosec B608  # quoted names
            quote(str(opts.get_field("code").column)),  # type: ignore[union-attr]
            quote(str(opts.pk.column)),
            quote(opts.db_table),
            quote(str(opts.get_field("organization").column)),  # type: ignore[union-attr]
            quote(str(opts.pk.column)),
        )
        codes = self.ids.setdefault(section.name, {})
        assert self.organization is not None
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.organization.pk, since])
            while found := cursor.fetchmany(10000):
                if wanted is None:
                    codes.update(found)
                    continue
                for code, pk in found:
                    original = wanted.get(code)
                    if original is not None:
                        codes[original] = pk

    def last_key(self, section: Section) -> int:
        """The highest primary key of the section's table so far (0 when it is empty)."""
        opts = section.model._meta
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX({quote(str(opts.pk.column))}) FROM {quote(opts.db_table)}")  # nosec B608  # quoted names
            return cursor.fetchone()[0] or 0

    def section(self, section: Section) -> None:
        rows = self.plan.rows[section.name]
        if not rows:
            return
        table = self.table(section)
        for level in self.plan.levels[section.name]:
            written = [rows[index] for index in level]
            since = self.last_key(section)
            for start in range(0, len(written), BATCH):
                chunk = written[start : start + BATCH]
                try:
                    insert_rows(table, chunk)
                except (IntegrityError, DataError) as error:
                    raise InterchangeError(
                        _("%(section)s: the database refused a row: %(error)s")
                        % {"section": section.name, "error": str(error).strip()}
                    ) from error
                self.advance(len(chunk), section.name)
            if section.parent is not None or section.single or section.has_code:
                self.remember(section, written, since)

    def write(self) -> Organization:
        organization_code = self.plan.rows["organization"][0]["code"]
        if Organization.objects.filter(code=organization_code).exists():
            # The organization is already here under another address: codes are unique in a
            # database, so the copy's rows get new ones (chosen up front, so the audit log can
            # follow every row to its new code).
            self.renamed = {}
            for section in SECTIONS:
                if section.has_code:
                    for row in self.plan.rows[section.name]:
                        self.code(row["code"])
        for section in SECTIONS:
            if section.name == PEOPLE:
                self.people(self.plan.rows[PEOPLE])
            else:
                self.section(section)
        assert self.organization is not None
        return Organization.objects.get(pk=self.organization.pk)


def _sqlite_pragma(cursor: Any, name: str, value: int | None = None) -> Any:
    if value is not None:
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


def _tables_mostly_filled_here(plan: Plan) -> list[str]:
    """The tables that receive many rows from the document and hold fewer already."""
    tables: list[str] = []
    with connection.cursor() as cursor:
        for section in SECTIONS:
            incoming = plan.counts.get(section.name, 0)
            if incoming < BULK_ROWS or section.name == PEOPLE:
                continue
            table = connection.ops.quote_name(section.model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT %s)", [incoming])  # nosec B608  # quoted name
            if cursor.fetchone()[0] < incoming:
                tables.append(section.model._meta.db_table)
    return tables


@contextlib.contextmanager
def bulk_loading(plan: Plan) -> Iterator[None]:
    """Write a large document quickly, inside the import's transaction.

    On SQLite the page cache is made large enough to hold what the import writes (with the
    default cache, pages spill to the write-ahead log again and again during one long
    transaction), and the plain (non-unique) indexes of tables that receive many rows are
    dropped and built again at the end: one sorted build costs much less than millions of
    scattered index inserts. Dropping and building indexes is part of the transaction, so
    an error or a cancel still leaves the database as it was. Unique indexes stay: they are
    the database's own check of the rows.

    PostgreSQL needs none of this, and dropping an index there would lock its table against
    every reader until the import commits."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cache = _sqlite_pragma(cursor, "cache_size")
        _sqlite_pragma(cursor, "cache_size", -SQLITE_CACHE_KIB)
    try:
        with bulk.indexes_built_at_the_end(_tables_mostly_filled_here(plan)):
            yield
    finally:
        with connection.cursor() as cursor:
            _sqlite_pragma(cursor, "cache_size", cache)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a document is read, checked and written: the
    document is millions of objects that live to the end, and each pass of the collector
    would walk all of them again while the import makes millions more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(
    data_or_stream: Any,
    *,
    progress: Progress | None = None,
    slug: str | None = None,
) -> Organization:
    """Import the document as a new organization (under `slug` when given) and return it.
    Raises `InterchangeError` and writes nothing when the document cannot be imported, and
    `Cancelled` (also writing nothing) when the progress is cancelled."""
    with _collector_paused():
        data = read(data_or_stream)
        plan = check_document(data, slug=slug, copy=data is data_or_stream)
        del data
        with transaction.atomic(), bulk_loading(plan):
            return Writer(plan=plan, progress=progress or Progress()).write()


def dry_run(
    data_or_stream: Any,
    *,
    progress: Progress | None = None,
    slug: str | None = None,
) -> dict[str, int]:
    """Import the document and roll it back: every check, including the database's own, runs.
    Returns the number of rows of each section."""
    with _collector_paused():
        data = read(data_or_stream)
        plan = check_document(data, slug=slug, copy=data is data_or_stream)
        del data
        with transaction.atomic():
            with bulk_loading(plan):
                Writer(plan=plan, progress=progress or Progress()).write()
            transaction.set_rollback(True)
    return plan.counts
