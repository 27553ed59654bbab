"""API endpoints for spreadsheets: import a CSV, XLSX or Markdown file (a dry run by
default, which answers with the preview), and export the OKRs as CSV, XLSX or Markdown.

The same importer as the web page and `tenfold import-sheet`: the preview writes nothing;
the import creates everything or nothing."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from tenfold.okrs.selectors import get_cycle
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit, units_of
from tenfold.sheets import importing
from tenfold.sheets.exporting import CONTENT_TYPES, export_sheet
from tenfold.sheets.reading import check_size

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Spreadsheets"])


class SheetProblemOut(Schema):
    row: int | None = Field(description="Row number as the spreadsheet program shows it")
    column: str | None = Field(description="The column's header as written in the file")
    message: str


class SheetKeyResultOut(Schema):
    row: int
    title: str
    kind: str
    start: str | None
    target: str | None
    current: str | None = Field(description="Recorded as a check-in when it differs from start")
    unit: str
    format: str = Field(description="number, percent or currency")
    confidence: int | None = Field(description="0–10")
    owner: str | None = Field(description="The owner's email")
    check_in: bool = Field(description="Whether the import records a check-in")


class SheetObjectiveOut(Schema):
    row: int
    title: str
    cycle: str | None
    unit: str | None
    type: str
    lead: str | None = Field(description="The lead's email")
    key_results: list[SheetKeyResultOut]


class SheetCountsOut(Schema):
    objectives: int
    key_results: int
    checkins: int


class SheetPreviewOut(Schema):
    file: str
    format: str = Field(description="csv, xlsx or md")
    sheet: str
    encoding: str
    delimiter: str
    header_row: int | None
    columns: dict[str, str] = Field(description="Recognised field → the header in the file")
    ignored_columns: list[str]
    ok: bool = Field(description="True when the file can be imported as it is")
    objectives: list[SheetObjectiveOut]
    problems: list[SheetProblemOut]
    warnings: list[SheetProblemOut]
    counts: SheetCountsOut


class SheetCreatedObjectiveOut(Schema):
    code: str
    title: str
    key_results: list[str] = Field(description="Codes of the key results created")


class SheetImportedOut(Schema):
    objectives: list[SheetCreatedObjectiveOut]
    counts: SheetCountsOut


def _importer(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = scoped(request, org)
    if not importing.may_import(access, units_of(organization)):
        raise PermissionDenied(_("Importing creates objectives; you may not create any here."))
    return organization, access


@router.post(
    "/orgs/{org}/imports/sheet",
    response={
        200: SheetPreviewOut,
        201: SheetImportedOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
    summary="Import OKRs from a spreadsheet",
)
def import_sheet(
    request: HttpRequest,
    org: str,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    cycle: Form[str | None] = None,
    unit: Form[str | None] = None,
    sheet: Form[str | None] = None,
) -> Any:
    """Send a CSV, XLSX or Markdown file as `file` (multipart). With `dry_run` true (the
    default) nothing is written and the answer is the preview: what would be created and every
    problem with its row and column. With `dry_run` false everything is created in one
    transaction, or — when the file has any problem — nothing, with a 400 listing them.
    `cycle` and `unit` (codes) apply to rows that do not name their own; `sheet` picks a
    worksheet of an XLSX file."""
    organization, _access = _importer(request, org)
    chosen_cycle = get_cycle(organization, cycle) if cycle else None
    chosen_unit = get_unit(organization, unit) if unit else None
    check_size(file.size or 0)
    result = importing.preview(
        organization,
        file.read(),
        file.name or "upload",
        cycle=chosen_cycle,
        unit=chosen_unit,
        by=request.user,
        sheet=sheet,
    )
    if dry_run:
        return result.as_dict()
    if result.problems:
        raise ValidationError(
            {
                "file": [str(p) for p in result.problems],
                "__all__": [
                    _("The file has %(count)d problem(s); nothing was imported.")
                    % {"count": len(result.problems)}
                ],
            }
        )
    created = importing.apply(result, request.user)
    counts = result.as_dict()["counts"]
    return Status(
        201,
        {
            "objectives": [
                {
                    "code": objective.code,
                    "title": objective.title,
                    "key_results": list(objective.key_results.values_list("code", flat=True)),
                }
                for objective in created
            ],
            "counts": counts,
        },
    )


def _export(request: HttpRequest, org: str, fmt: str, cycle: str | None) -> HttpResponse:
    organization, access = scoped(request, org)
    chosen = get_cycle(organization, cycle) if cycle else None
    buffer = io.BytesIO()
    export_sheet(organization, fmt, buffer, cycle=chosen, access=access)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-okrs.{fmt}"'
    return response


EXPORT_DOC = (
    "One row per key result, its objective repeated, with the columns the import reads. Only "
    "the objectives the caller may see; `cycle` (a code) narrows it to one cycle."
)


def _binary(media: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": "The file",
                "content": {media: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/orgs/{org}/exports/okrs.csv",
    response={403: ErrorOut, 404: ErrorOut},
    summary="Export OKRs as CSV",
    description=EXPORT_DOC,
    openapi_extra=_binary("text/csv"),
)
def export_okrs_csv(request: HttpRequest, org: str, cycle: str | None = None) -> HttpResponse:
    return _export(request, org, "csv", cycle)


@router.get(
    "/orgs/{org}/exports/okrs.xlsx",
    response={403: ErrorOut, 404: ErrorOut},
    summary="Export OKRs as XLSX",
    description=EXPORT_DOC,
    openapi_extra=_binary(CONTENT_TYPES["xlsx"]),
)
def export_okrs_xlsx(request: HttpRequest, org: str, cycle: str | None = None) -> HttpResponse:
    return _export(request, org, "xlsx", cycle)


@router.get(
    "/orgs/{org}/exports/okrs.md",
    response={403: ErrorOut, 404: ErrorOut},
    summary="Export OKRs as Markdown",
    description=EXPORT_DOC,
    openapi_extra=_binary("text/markdown"),
)
def export_okrs_md(request: HttpRequest, org: str, cycle: str | None = None) -> HttpResponse:
    return _export(request, org, "md", cycle)
