"""Export a whole organization as one interchange JSON document (docs/interchange.md).

One query per section, whatever the organization's size: every section is read with
`.values()` and its references are joined in as codes and email addresses. Rows are sorted in
Python (database collations differ), so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from json.encoder import encode_basestring_ascii
from typing import Any, TextIO

from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tenfold.accounts.models import User
from tenfold.lib.longrun import Progress
from tenfold.organizations.models import Organization

from .spec import FORMAT, FORMAT_VERSION, PEOPLE, SECTIONS, Col, Section, Target, model_field


def iso_datetime(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _plain(value: Any) -> Any:
    return value


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _datetime(value: dt.datetime | None) -> str | None:
    return None if value is None else iso_datetime(value)


def _datetime_text(value: str | None) -> str | None:
    """A moment read as the database's text (UTC, "YYYY-MM-DD HH:MM:SS[.ffffff][+00]") in the
    file's form, without making a datetime object: a large organization has millions."""
    if value is None:
        return None
    length = len(value)
    if length == 26 and value[10] == " " and value[19] == "." and value[20:].isdigit():
        return f"{value[:10]}T{value[11:]}Z"
    if length == 19 and value[10] == " ":
        return f"{value[:10]}T{value[11:]}.000000Z"
    rest = value[19:]
    fraction = ""
    if rest.startswith("."):
        end = 1
        while end < len(rest) and rest[end].isdigit():
            end += 1
        fraction, rest = rest[1:end], rest[end:]
    if rest not in ("", "+00", "+00:00", "Z") or len(fraction) > 6 or value[10:11] not in " T":
        moment = parse_datetime(value)  # anything unexpected takes the careful way
        if moment is None:
            raise ValueError(f"not a date and time: {value!r}")
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=dt.UTC)
        return iso_datetime(moment)
    return f"{value[:10]}T{value[11:19]}.{fraction.ljust(6, '0')}Z"


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.DecimalField):
        return _decimal
    return _plain


def _lookup(section: Section, column: Col) -> str:
    if column.ref is None:
        return column.name
    return f"{column.name}__{'email' if column.ref == PEOPLE else 'code'}"


def _section_reads(section: Section, organization: Organization) -> tuple[list[Any], Any]:
    """How to read a section in one query: the plan of its columns, and the rows as tuples.

    Per column, the plan holds (key, position in the row read, conversion or None) for a
    value, or (target, positions of its kinds' codes) for a target."""
    manager = section.model._base_manager
    if section.name == "organization":
        queryset = manager.filter(pk=organization.pk)
    else:
        queryset = manager.filter(**{section.scope: organization})
    lookups: list[str] = []
    texts: dict[str, Cast] = {}
    plan: list[Any] = []
    for column in section.columns:
        if isinstance(column, Target):
            names = [f"{field}__code" for field, _section in column.kinds.values()]
            plan.append((column, list(range(len(lookups), len(lookups) + len(names)))))
            lookups.extend(names)
            continue
        convert: Callable[[Any], Any] | None = None
        if column.ref is not None:
            lookup = _lookup(section, column)
        elif isinstance(model_field(section, column.name), models.DateTimeField):
            # Read moments as text and reshape the text: parsing them into datetime objects
            # and formatting them again was most of an export's time.
            lookup = f"export_text_{column.name}"
            texts[lookup] = Cast(column.name, output_field=models.TextField())
            convert = _datetime_text
        else:
            lookup = column.name
            found = converter(model_field(section, column.name))
            convert = None if found is _plain else found
        plan.append((column.key, len(lookups), convert))
        lookups.append(lookup)
    if section.keep_order:
        lookups.append("id")
    queryset = queryset.order_by().annotate(**texts) if texts else queryset.order_by()
    return plan, queryset.values_list(*lookups).iterator(chunk_size=10000)


def _row(plan: list[Any], read: Any) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for step in plan:
        if len(step) == 2:
            target, positions = step
            for kind, position in zip(target.kinds, positions, strict=True):
                if read[position] is not None:
                    row[target.type_key] = kind
                    row[target.key] = read[position]
                    break
            else:
                row[target.type_key] = None
                row[target.key] = None
        else:
            key, position, convert = step
            row[key] = read[position] if convert is None else convert(read[position])
    return row


def _sort_key(section: Section) -> Callable[[dict[str, Any]], Any]:
    if section.keep_order:
        return lambda row: (row["created_at"], row["__id"])
    keys = section.key
    return lambda row: tuple(row[key] or "" for key in keys)


def _section_rows(section: Section, organization: Organization) -> list[dict[str, Any]]:
    """The section's rows as dictionaries, in the file's order."""
    plan, reads = _section_reads(section, organization)
    rows: list[dict[str, Any]] = []
    for read in reads:
        row = _row(plan, read)
        if section.keep_order:
            row["__id"] = read[-1]
        rows.append(row)
    if section.keep_order or section.key:
        rows.sort(key=_sort_key(section))
    if section.keep_order:
        for row in rows:
            del row["__id"]
    return rows


class Lines(list[str]):
    """A section's rows, each already written as its line of JSON, in the file's order."""


def _json_text(value: Any) -> str:
    """`value` as the encoder writes it inside a row."""
    kind = type(value)
    if kind is str:
        return encode_basestring_ascii(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return _dumps(value)


def _moment_text(value: str | None) -> str:
    if value is None:
        return "null"
    if len(value) == 26 and value[10] == " " and value[19] == "." and value[20:].isdigit():
        return f'"{value[:10]}T{value[11:]}Z"'  # the commonest form, as in `_datetime_text`
    return f'"{_datetime_text(value)}"'


TEXT_FIELDS = (models.CharField, models.TextField)


def _writer(section: Section, key: str, convert: Callable[[Any], Any] | None) -> Any:
    """A function writing a value of the column as JSON text. Columns that always hold a
    string (or a whole number) get the encoder's own function, called without any Python
    in between: that is most values of a large export."""
    if convert is _datetime_text:
        return _moment_text
    if convert is not None:
        return _converted_text(convert)
    column = section.column(key)
    assert isinstance(column, Col)
    field = model_field(section, column.name)
    if field.null:
        return _json_text
    if column.ref is not None or isinstance(field, TEXT_FIELDS):
        return encode_basestring_ascii
    if isinstance(field, models.IntegerField):
        return int.__repr__
    return _json_text


def _converted_text(convert: Callable[[Any], Any]) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        return "null" if value is None else _json_text(convert(value))

    return text


def _section_lines(section: Section, organization: Organization) -> Lines:
    """The section's rows written as lines of JSON, exactly as `_dumps` writes the rows of
    `_section_rows`, without making a dictionary per row: a large organization has millions.

    The rows are sorted by their identity; they mostly come from the database in that order
    already (the order they were written in), so sorting is skipped when they do."""
    if any(isinstance(column, Target) for column in section.columns) or any(
        isinstance(column, Col) and column.ref is None and column.key != "code"
        for column in (section.column(key) for key in section.key if key != "created_at")
    ):
        # Rows that point at several kinds of rows, or identified by a value that is
        # converted: few, so made as dictionaries.
        return Lines(_dumps(row) for row in _section_rows(section, organization))
    plan, reads = _section_reads(section, organization)
    # One template per section, one slot per column; each value is written as JSON text.
    template = (
        "{" + ", ".join(_dumps(key).replace("%", "%%") + ": %s" for key, _p, _c in plan) + "}"
    )
    writers = [_writer(section, key, convert) for key, _position, convert in plan]
    positions = {key: position for key, position, _convert in plan}
    moment = positions.get("created_at", 0)
    single = None if section.keep_order or len(section.key) != 1 else positions[section.key[0]]
    identity = [positions[key] for key in section.key]
    keys: list[Any] = []
    lines = Lines()
    ordered = True
    previous: Any = None
    call = operator.call
    try:
        for read in reads:
            lines.append(template % tuple(map(call, writers, read)))
            if single is not None:
                key: Any = read[single] or ""
            elif section.keep_order:
                key = (_datetime_text(read[moment]), read[-1])
            else:
                key = tuple(read[position] or "" for position in identity)
            if ordered and previous is not None and key < previous:
                ordered = False
            previous = key
            keys.append(key)
    except TypeError:
        # A value of an unexpected type (a number stored in a text column of an SQLite
        # database, say) for the quick writers: write the section the careful way.
        return Lines(_dumps(row) for row in _section_rows(section, organization))
    if ordered or not section.key:
        return lines
    order = sorted(range(len(lines)), key=keys.__getitem__)
    del keys
    return Lines(lines[index] for index in order)


def _people(organization: Organization) -> list[dict[str, Any]]:
    """Everyone the other sections refer to, found with one query: each reference column
    adds an `id IN (subquery)` condition."""
    wanted = Q(pk__in=[])
    for section in SECTIONS:
        if section.name in ("organization", PEOPLE):
            continue
        for column in section.columns:
            if isinstance(column, Col) and column.ref == PEOPLE:
                manager = section.model._base_manager
                ids = manager.filter(**{section.scope: organization}).values(column.name)
                wanted |= Q(pk__in=ids)
    found = User.objects.filter(wanted).values("email", "name", "language", "time_zone")
    rows: list[dict[str, Any]] = [dict(row) for row in found.distinct()]
    rows.sort(key=lambda row: row["email"])
    return rows


def _entries(
    organization: Organization, progress: Progress | None = None
) -> Iterator[tuple[str, Any]]:
    """The document's top-level entries in order, one section at a time."""
    progress = progress or Progress()
    yield "format", FORMAT
    yield "format_version", FORMAT_VERSION
    yield "exported_at", iso_datetime(timezone.now())
    total = len(SECTIONS)
    for done, section in enumerate(SECTIONS):
        progress.check()
        progress.step(done, total, section.name)
        if section.name == PEOPLE:
            yield PEOPLE, _people(organization)
            continue
        if section.single:
            rows = _section_rows(section, organization)
            yield section.name, rows[0] if rows else None
        else:
            yield section.name, _section_lines(section, organization)
    progress.step(total, total, "")


def export_data(organization: Organization, progress: Progress | None = None) -> dict[str, Any]:
    """The whole organization as a dictionary ready for `json.dumps`."""
    return {
        key: [json.loads(line) for line in value] if isinstance(value, Lines) else value
        for key, value in _entries(organization, progress)
    }


WRITE_BATCH = 5000

# Every character outside ASCII is written as a \u escape. A file that is all ASCII is read
# back as text of one byte a character; a single emoji in a name made Python hold the
# whole document at four bytes a character, and an import at 10,000 people spent 12 s more
# decoding and parsing it.
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": "))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def _write(entries: Iterable[tuple[str, Any]], stream: TextIO) -> None:
    """Write entries with one row per line: readable, diff-friendly, and fast (each line goes
    through the C encoder). Each entry's comma is written when the next one comes, so the
    entries can be made (and forgotten) one at a time."""
    stream.write("{\n")
    first = True
    for key, value in entries:
        if not first:
            stream.write(",\n")
        first = False
        if isinstance(value, Lines) and value:
            stream.write(f"{_dumps(key)}: [\n  ")
            for start in range(0, len(value), WRITE_BATCH):
                if start:
                    stream.write(",\n  ")
                stream.write(",\n  ".join(value[start : start + WRITE_BATCH]))
            stream.write("\n]")
        elif isinstance(value, list) and value:
            stream.write(f"{_dumps(key)}: [\n")
            end = len(value) - 1
            stream.writelines(
                f"  {_dumps(row)}{',' if position < end else ''}\n"
                for position, row in enumerate(value)
            )
            stream.write("]")
        else:
            stream.write(f"{_dumps(key)}: {_dumps(value)}")
    stream.write("\n}\n")


def write_document(data: dict[str, Any], stream: TextIO) -> None:
    """Write `data` as one interchange JSON document."""
    _write(data.items(), stream)


def dump(organization: Organization, stream: TextIO, *, progress: Progress | None = None) -> None:
    """Write the organization to `stream` as one interchange JSON document, one section at a
    time, so only the largest section is ever held in memory."""
    _write(_entries(organization, progress), stream)
