"""Bytes in, rows of cells out: CSV (any common encoding and separator), XLSX and Markdown.

Nothing here knows what the columns mean (that is `detect`); this module only turns a file
into a `Table` of numbered rows, with the row numbers a person sees in their spreadsheet
program (the record number in a CSV, the sheet row in an XLSX, the line in a Markdown file).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
READ_ONLY_FROM = 8 * 1024 * 1024
"""XLSX files above this size are streamed (openpyxl's read-only mode), which is lighter but
cannot see merged cells; smaller files are loaded whole so merged header cells can be spread."""
DELIMITERS = (",", ";", "\t", "|")
SNIFF_LINES = 30

Cell = Any
"""A cell: a stripped string, or a number, date or boolean as an XLSX stores it."""


class SheetError(ValidationError):
    """The file as a whole cannot be read: too large, corrupt, of an unknown kind."""


@dataclass
class Table:
    rows: list[tuple[int, list[Cell]]]
    kind: str
    """"csv", "xlsx" or "md"."""
    sheet: str = ""
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "TENFOLD_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    """Refuse a file over the limit before anything reads it."""
    limit = max_bytes()
    if size > limit:
        raise SheetError(
            _(
                "The file is %(size)s; files up to %(limit)s can be imported. Split it, or "
                "remove sheets and columns that are not OKRs."
            )
            % {"size": human_size(size), "limit": human_size(limit)},
            code="too_large",
        )


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def kind_of(data: bytes, filename: str) -> str:
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith(".xls") and not data.startswith(b"PK"):
        raise SheetError(
            _("Old .xls workbooks cannot be read; save the file as .xlsx or .csv first."),
            code="unsupported",
        )
    if name.endswith((".md", ".markdown")):
        return "md"
    if name.endswith((".csv", ".tsv", ".txt", ".tab")):
        return "csv"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = decode(data[:4096])[0].lstrip()
    if text.startswith(("#", "|")):
        return "md"
    return "csv"


def read_table(data: bytes, filename: str, *, sheet: str | None = None) -> Table:
    check_size(len(data))
    if not data.strip():
        raise SheetError(_("The file is empty."), code="empty")
    kind = kind_of(data, filename)
    if kind == "xlsx":
        return read_xlsx(data, sheet=sheet)
    text, encoding = decode(data)
    table = read_markdown(text) if kind == "md" else read_csv(text)
    table.encoding = encoding
    return table


# --- text -------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: a byte-order mark decides; otherwise
    UTF-16 without a mark is recognised by its zero bytes, then UTF-8, then Windows-1252, then
    Latin-1 (which never fails)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    sample = data[:2000]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_zeros > half * 0.3 and even_zeros == 0:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le"
        if even_zeros > half * 0.3 and odd_zeros == 0:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def sniff_delimiter(lines: list[str]) -> str:
    """The separator that splits the first lines into the most rows of one same width (title
    lines above the header may be narrower; the rows that agree win)."""
    best = (-1, -1, ",")
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (agreeing, width, delimiter)
        if score[:2] > best[:2]:
            best = score
    return best[2]


def read_csv(text: str) -> Table:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line.strip()][:SNIFF_LINES]
    delimiter = sniff_delimiter(lines)
    rows: list[tuple[int, list[Cell]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            rows.append((number, [cell.replace("\x00", "") for cell in row]))
    except csv.Error as error:
        raise SheetError(
            _("Row %(row)d cannot be read: %(error)s") % {"row": len(rows) + 1, "error": error},
            code="unreadable",
        ) from None
    return Table(rows=rows, kind="csv", delimiter=delimiter)


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx_value(value: Any, number_format: str | None) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date | dt.time):
        return value
    if isinstance(value, int | float | Decimal):
        # Twelve significant digits drop the float noise (0.1 + 0.2) a spreadsheet never shows.
        number = Decimal(format(value, ".12g")) if isinstance(value, float) else Decimal(value)
        if number_format and "%" in number_format:
            # A cell shown as "45%" holds 0.45: give it back the way the person sees it.
            return f"{(number * 100).normalize():f}%"
        return number
    return str(value).strip()


def read_xlsx(data: bytes, *, sheet: str | None = None) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    read_only = len(data) > READ_ONLY_FROM
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=read_only, data_only=True, keep_links=False
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SheetError(
            _("This is not a readable XLSX workbook (%(error)s). Open it and save it again.")
            % {"error": str(error) or type(error).__name__},
            code="corrupt",
        ) from None
    except Exception as error:  # openpyxl raises many kinds on damaged XML
        raise SheetError(
            _("This is not a readable XLSX workbook (%(error)s). Open it and save it again.")
            % {"error": type(error).__name__},
            code="corrupt",
        ) from None
    try:
        if sheet:
            if sheet not in book.sheetnames:
                raise SheetError(
                    _("The workbook has no sheet called “%(name)s”; it has: %(names)s.")
                    % {"name": sheet, "names": ", ".join(book.sheetnames)},
                    code="no_sheet",
                )
            chosen = [book[sheet]]
        else:
            chosen = list(book.worksheets)
        for ws in chosen:
            rows = _sheet_rows(ws, read_only)
            if rows:
                return Table(rows=rows, kind="xlsx", sheet=ws.title)
        raise SheetError(_("Every sheet of the workbook is empty."), code="empty")
    finally:
        book.close()


def _sheet_rows(ws: Any, read_only: bool) -> list[tuple[int, list[Cell]]]:
    spread: dict[tuple[int, int], Any] = {}
    if not read_only:
        # A header merged over several columns (or rows) names each of them.
        for merged in ws.merged_cells.ranges:
            top = ws.cell(row=merged.min_row, column=merged.min_col)
            value = _xlsx_value(top.value, top.number_format)
            for row in range(merged.min_row, merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    spread[(row, col)] = value
    rows: list[tuple[int, list[Cell]]] = []
    for number, cells in enumerate(ws.iter_rows(), start=1):
        values: list[Cell] = []
        for col, cell in enumerate(cells, start=1):
            if (number, col) in spread:
                values.append(spread[(number, col)])
                continue
            value = getattr(cell, "value", None)
            values.append(_xlsx_value(value, getattr(cell, "number_format", None)))
        while values and values[-1] == "":
            values.pop()
        if values:
            rows.append((number, values))
    return rows


# --- Markdown ---------------------------------------------------------------------------------

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
META = re.compile(
    r"^(?:[-*+]\s+)?(?:\*\*|__)?([^:*_|]{1,40}?)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(.+)$"
)
EMPHASIS = re.compile(r"^(\*\*|__|`|\*|_)(.+)\1$")


def split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    cells = re.split(r"(?<!\\)\|", line)
    return [_plain(cell.replace("\\|", "|")) for cell in cells]


def _plain(text: str) -> str:
    text = text.strip()
    match = EMPHASIS.match(text)
    return match.group(2).strip() if match else text


@dataclass
class _Section:
    line: int
    level: int
    title: str
    text: list[str] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _tables(lines: list[str]) -> list[_Section]:
    """Headings, each with the text, "Label: value" lines and table that follow it; a table
    before any heading gets a section without a title."""
    from .detect import field_for

    sections: list[_Section] = [_Section(line=0, level=0, title="")]
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        heading = HEADING.match(line)
        if heading:
            sections.append(
                _Section(
                    line=index + 1, level=len(heading.group(1)), title=_plain(heading.group(2))
                )
            )
            index += 1
            continue
        is_table = (
            "|" in line and index + 1 < len(lines) and SEPARATOR.match(lines[index + 1].strip())
        )
        if is_table:
            current = sections[-1]
            if current.header:  # a second table under one heading: a section of its own
                current = _Section(line=index + 1, level=current.level, title=current.title)
                sections.append(current)
            current.header = split_row(line)
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                current.rows.append((index + 1, split_row(lines[index])))
                index += 1
            continue
        if line:
            meta = META.match(line)
            if meta and field_for(_plain(meta.group(1))) and not sections[-1].header:
                sections[-1].meta.append((_plain(meta.group(1)), _plain(meta.group(2))))
            elif not sections[-1].header:
                sections[-1].text.append(line)
        index += 1
    return sections


def read_markdown(text: str) -> Table:
    """A pipe table with an objective column is read as it is. Otherwise (the okr2go layout)
    each heading is an objective — the level of the headings that have tables under them —
    with its text as the description, "Label: value" lines as its fields, and its table as its
    key results; the rows are given an objective column to say so."""
    from .detect import field_for

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sections = _tables(lines)
    tabled = [s for s in sections if s.header]
    if not tabled:
        raise SheetError(
            _("The Markdown file has no table; key results are read from pipe tables."),
            code="no_table",
        )
    first = tabled[0]
    if any(field_for(cell) in ("objective", "title") for cell in first.header) or not any(
        s.title for s in tabled
    ):
        rows: list[tuple[int, list[Cell]]] = [(first.line, list(first.header))]
        for section in tabled:
            rows.extend((number, list(cells)) for number, cells in section.rows)
        return Table(rows=rows, kind="md")
    level = min(s.level for s in tabled if s.title)
    objectives = [s for s in sections if s.level == level and s.title]
    header = list(first.header)
    if header and not header[0]:
        header[0] = "Key result code"  # okr2go leaves the id column's header empty
    labels: list[str] = []
    for section in objectives:
        for label, _value in section.meta:
            if label not in labels and field_for(label):
                labels.append(label)
    full_header = ["Objective", "Objective description", *labels, *header]
    rows = [(first.line, full_header)]
    for section in objectives:
        meta = dict(section.meta)
        lead = [section.title, " ".join(section.text), *[meta.get(label, "") for label in labels]]
        if not section.rows:
            rows.append((section.line, lead))
        for number, cells in section.rows:
            rows.append((number, lead + cells))
    return Table(rows=rows, kind="md", notes=["okr2go"])
