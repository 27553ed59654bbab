"""Spreadsheet export: one row per key result, the objective repeated on each, as CSV, XLSX or
Markdown. The columns are the ones the importer recognises, so an export imports back as it
was.

Spreadsheet programs run a cell that starts with "=", "+", "-", "@", a tab or a carriage
return as a formula; a title such as "=HYPERLINK(…)" typed into Tenfold must not become one
on somebody's computer. Such text gets a leading apostrophe (which spreadsheet programs
treat as "this is text"), and XLSX cells are always written as strings or numbers, never as
formulas. The importer removes the apostrophe again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tenfold.lib.longrun import Progress
from tenfold.okrs.models import Cycle, KeyResult, Level, Objective, ValueFormat
from tenfold.okrs.selectors import key_result_status, organization_today, visible_objectives
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

FORMATS = ("csv", "xlsx", "md")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
# Fixed English headers: a file format other programs and the importer read, whatever the
# language of the person who exported it (the importer knows them in six languages).
COLUMNS = (
    "Cycle",
    "Unit",
    "Objective code",
    "Objective",
    "Objective type",
    "Objective owner",
    "Objective description",
    "Key result code",
    "Key result",
    "Kind",
    "Start",
    "Target",
    "Current",
    "Measure unit",
    "Progress",
    "Confidence",
    "Key result owner",
    "Key result notes",
    "Status",
)
KEY_RESULT_FROM = COLUMNS.index("Key result code")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula, made inert."""
    return "'" + text if text.startswith(DANGEROUS) else text


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize() + 0  # "+ 0" turns -0 into 0


def _objectives(
    organization: Organization, cycle: Cycle | None, access: Access | None
) -> list[Objective]:
    rows = (
        visible_objectives(access)
        if access is not None
        else Objective.objects.filter(organization=organization)
    )
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    # Personal-development objectives are a person's own; a spreadsheet of them would be a list
    # of people with their progress (docs/scores-policy.md).
    rows = rows.exclude(level=Level.PERSONAL)
    return list(
        rows.select_related("cycle__organization", "unit", "lead")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.select_related("owner").order_by("order", "id"),
            )
        )
        .order_by("cycle__start", "cycle__end", "unit__order", "unit__name", "order", "id")
    )


def rows_of(
    organization: Organization,
    *,
    cycle: Cycle | None = None,
    access: Access | None = None,
    progress: Progress | None = None,
    people: str = "email",
) -> Iterator[dict[str, Any]]:
    """Each key result (and each objective without any) as a dict keyed by COLUMNS."""
    progress = progress or Progress()
    objectives = _objectives(organization, cycle, access)
    today = organization_today(organization)
    total = len(objectives)

    def who(user: Any) -> str:
        if user is None:
            return ""
        return user.email if people == "email" else user.display_name

    for done, objective in enumerate(objectives, start=1):
        progress.check()
        head = {
            "Cycle": objective.cycle.name,
            "Unit": objective.unit.name if objective.unit else "",
            "Objective code": objective.code,
            "Objective": objective.title,
            "Objective type": objective.type,
            "Objective owner": who(objective.lead or objective.owner_person),
            "Objective description": objective.description,
        }
        key_results = list(objective.key_results.all())
        if not key_results:
            yield {**head, **dict.fromkeys(COLUMNS[KEY_RESULT_FROM:], None)}
        for kr in key_results:
            if kr.value_format == ValueFormat.PERCENT:
                unit = "%"
            elif kr.value_format == ValueFormat.CURRENCY:
                unit = kr.currency
            else:
                unit = kr.unit_label
            yield {
                **head,
                "Key result code": kr.code,
                "Key result": kr.title,
                "Kind": kr.kind,
                "Start": _number(kr.start),
                "Target": _number(kr.target),
                "Current": _number(kr.current),
                "Measure unit": unit,
                "Progress": _number(kr.progress),
                "Confidence": (
                    int((kr.last_confidence * 10).to_integral_value())
                    if kr.last_confidence is not None
                    else None
                ),
                "Key result owner": who(kr.owner),
                "Key result notes": kr.description,
                "Status": str(key_result_status(kr, objective.cycle, today)),
            }
        progress.step(done, total, objective.title)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _percent(value: Any) -> str:
    if value is None:
        return ""
    return f"{(value * 100).quantize(Decimal('0.1')).normalize():f}%"


def export_sheet(
    organization: Organization,
    fmt: str,
    stream: BinaryIO,
    *,
    cycle: Cycle | None = None,
    progress: Progress | None = None,
    access: Access | None = None,
) -> int:
    """Write the OKRs of the organization (of one cycle; only those `access` may see when
    given) to `stream`; return the number of rows written (header aside)."""
    if fmt not in FORMATS:
        raise ValueError(_("Unknown format “%(fmt)s”; use csv, xlsx or md.") % {"fmt": fmt})
    people = "name" if fmt == "md" else "email"
    rows = rows_of(organization, cycle=cycle, access=access, progress=progress, people=people)
    if fmt == "csv":
        return _write_csv(rows, stream)
    if fmt == "xlsx":
        return _write_xlsx(rows, stream, organization)
    return _write_markdown(rows, stream, organization)


def _write_csv(rows: Iterator[dict[str, Any]], stream: BinaryIO) -> int:
    # UTF-8 with a byte-order mark: the one way Excel opens UTF-8 without mangling accents.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        cells = []
        for name in COLUMNS:
            value = row[name]
            if name == "Progress":
                cells.append(_percent(value))
            elif isinstance(value, str):
                cells.append(neutralise(value))
            else:
                cells.append(_text(value))
        writer.writerow(cells)
        count += 1
    text.flush()
    text.detach()
    return count


def _write_xlsx(
    rows: Iterator[dict[str, Any]], stream: BinaryIO, organization: Organization
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="OKRs")
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for name in COLUMNS:
            value = row[name]
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                cell.data_type = "s"  # a string, whatever it starts with: never a formula
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                if name == "Progress":
                    cell.number_format = "0%"
            else:
                cell = WriteOnlyCell(sheet, value=value)
            cells.append(cell)
        sheet.append(cells)
        count += 1
    book.save(stream)
    return count


def _md(value: Any) -> str:
    return _text(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _write_markdown(
    rows: Iterator[dict[str, Any]], stream: BinaryIO, organization: Organization
) -> int:
    columns = list(COLUMNS[KEY_RESULT_FROM:])
    lines = [f"# {_md(organization.name)} — OKRs", ""]
    current = None
    count = 0
    for row in rows:
        key = row["Objective code"]
        if key != current:
            current = key
            lines += ["", f"## {_md(row['Objective'])}", ""]
            for label in ("Cycle", "Unit", "Objective type", "Objective owner", "Objective code"):
                if row[label]:
                    lines.append(f"- {label}: {_md(row[label])}")
            if row["Objective description"]:
                lines += ["", _md(row["Objective description"])]
            lines += ["", "| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
        if row["Key result"]:
            cells = [_percent(row[c]) if c == "Progress" else _md(row[c]) for c in columns]
            lines.append("| " + " | ".join(cells) + " |")
        count += 1
    stream.write(("\n".join(lines).strip() + "\n").encode("utf-8"))
    return count
