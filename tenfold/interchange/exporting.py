"""Export a whole organization as one interchange JSON document (docs/interchange.md).

One query per section, whatever the organization's size: every section is read with
`.values()` and its references are joined in as codes and email addresses. Rows are sorted in
Python (database collations differ), so two exports of the same data are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TextIO

from django.db import models
from django.db.models import Q
from django.utils import timezone

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
    plan: list[tuple[str, Any]] = []
    for column in section.columns:
        if isinstance(column, Target):
            names = [f"{field}__code" for field, _section in column.kinds.values()]
            lookups.extend(names)
            plan.append((column.key, (column, names)))
        else:
            lookup = _lookup(section, column)
            lookups.append(lookup)
            convert = _plain if column.ref else converter(model_field(section, column.name))
            plan.append((column.key, (lookup, convert)))
    if section.keep_order:
        lookups.append("id")
    rows: list[dict[str, Any]] = []
    for values in queryset.order_by().values(*lookups).iterator(chunk_size=5000):
        row: dict[str, Any] = {}
        for key, how in plan:
            if isinstance(how[0], Target):
                target, names = how
                for kind, name in zip(target.kinds, names, strict=True):
                    if values[name] is not None:
                        row[target.type_key] = kind
                        row[target.key] = values[name]
                        break
                else:
                    row[target.type_key] = None
                    row[target.key] = None
            else:
                lookup, convert = how
                row[key] = convert(values[lookup])
        if section.keep_order:
            row["__id"] = values["id"]
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


def export_data(organization: Organization, progress: Progress | None = None) -> dict[str, Any]:
    """The whole organization as a dictionary ready for `json.dumps`."""
    progress = progress or Progress()
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso_datetime(timezone.now()),
    }
    total = len(SECTIONS)
    for done, section in enumerate(SECTIONS):
        progress.check()
        progress.step(done, total, section.name)
        if section.name == PEOPLE:
            data[PEOPLE] = _people(organization)
            continue
        rows = _section_rows(section, organization)
        if section.single:
            data[section.name] = rows[0] if rows else None
        else:
            data[section.name] = rows
    progress.step(total, total, "")
    return data


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write_document(data: dict[str, Any], stream: TextIO) -> None:
    """Write `data` with one row per line: readable, diff-friendly, and fast (each line goes
    through the C encoder)."""
    stream.write("{\n")
    last = len(data) - 1
    for index, (key, value) in enumerate(data.items()):
        comma = "," if index < last else ""
        if isinstance(value, list) and value:
            stream.write(f"{_dumps(key)}: [\n")
            end = len(value) - 1
            for position, row in enumerate(value):
                stream.write(f"  {_dumps(row)}{',' if position < end else ''}\n")
            stream.write(f"]{comma}\n")
        else:
            stream.write(f"{_dumps(key)}: {_dumps(value)}{comma}\n")
    stream.write("}\n")


def dump(organization: Organization, stream: TextIO, *, progress: Progress | None = None) -> None:
    """Write the organization to `stream` as one interchange JSON document."""
    write_document(export_data(organization, progress), stream)
