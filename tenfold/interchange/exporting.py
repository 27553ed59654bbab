"""Export a whole organization as one interchange JSON document (docs/interchange.md).

One query per section, whatever the organization's size: every section is read with
`.values()` and its references are joined in as codes and email addresses. Rows are sorted in
Python (database collations differ), so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
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


def _section_rows(section: Section, organization: Organization) -> list[dict[str, Any]]:
    manager = section.model._base_manager
    if section.name == "organization":
        queryset = manager.filter(pk=organization.pk)
    else:
        queryset = manager.filter(**{section.scope: organization})
    lookups: list[str] = []
    texts: dict[str, Cast] = {}
    # Per column: (key, position in the row read, conversion or None) for a value, or
    # (target, positions of its kinds' codes) for a target.
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
    rows: list[dict[str, Any]] = []
    queryset = queryset.order_by().annotate(**texts) if texts else queryset.order_by()
    for read in queryset.values_list(*lookups).iterator(chunk_size=5000):
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
        if section.keep_order:
            row["__id"] = read[-1]
        rows.append(row)
    if section.keep_order:
        rows.sort(key=lambda row: (row["created_at"], row["__id"]))
        for row in rows:
            del row["__id"]
    elif section.key:
        rows.sort(key=lambda row: tuple(row[key] or "" for key in section.key))
    return rows


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
        rows = _section_rows(section, organization)
        if section.single:
            yield section.name, rows[0] if rows else None
        else:
            yield section.name, rows
    progress.step(total, total, "")


def export_data(organization: Organization, progress: Progress | None = None) -> dict[str, Any]:
    """The whole organization as a dictionary ready for `json.dumps`."""
    return dict(_entries(organization, progress))


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


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
        if isinstance(value, list) and value:
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
