"""Exports: one row per key result, formulas made inert, and every format imports back."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Objective
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.sheets.exporting import COLUMNS, export_sheet, neutralise

from .conftest import import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org, team, cycle, company, alice, bob, carol):
    """Two objectives with varied key results, one with a hostile title."""
    first = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title='=HYPERLINK("http://evil.example","click")',
        description="Why it matters",
        type="aspirational",
        lead=carol,
        by=alice,
    )
    kr = key_result_create(
        objective=first,
        title="+1 more activation point",
        kind="increase",
        start=Decimal(20),
        target=Decimal(40),
        value_format="percent",
        owner=bob,
        by=alice,
    )
    checkin_record(key_result=kr, value=Decimal("27.5"), confidence=7, by=bob)
    key_result_create(
        objective=first,
        title="@mention cells | pipes",
        kind="decrease",
        start=Decimal(6),
        target=Decimal(2),
        unit_label="days",
        by=alice,
    )
    second = objective_create(
        organization=org, cycle=cycle, unit=company, title="Company wide", by=alice
    )
    key_result_create(
        objective=second,
        title="Revenue",
        kind="increase",
        start=Decimal(1000),
        target=Decimal("2500.5"),
        value_format="currency",
        currency="EUR",
        decimals=1,
        by=alice,
    )
    key_result_create(
        objective=second,
        title="Uptime above 99.9",
        kind="keep_above",
        target=Decimal("99.9"),
        by=alice,
    )
    objective_create(organization=org, cycle=cycle, unit=team, title="No key results yet", by=alice)
    return [first, second]


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_is_utf8_with_bom_one_row_per_key_result(org, plan):
    out = io.BytesIO()
    count = export_sheet(org, "csv", out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(data)
    assert rows[0] == list(COLUMNS)
    assert count == len(rows) - 1 == 5
    assert [r[COLUMNS.index("Objective")] for r in rows[1:]].count("Company wide") == 2
    named = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    by_title = {row["Key result"]: row for row in named}
    first = by_title["'+1 more activation point"]
    assert first["Start"] == "20" and first["Current"] == "27.5"
    assert first["Measure unit"] == "%" and first["Confidence"] == "7"
    assert first["Key result owner"] == "bob@example.com"
    assert first["Objective owner"] == "carol@example.com"


def test_formulas_are_neutralised_in_csv_and_xlsx(org, plan):
    out = io.BytesIO()
    export_sheet(org, "csv", out)
    cells = [cell for row in _csv_rows(out.getvalue())[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+1 more activation point" in cells
    assert "'@mention cells | pipes" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]

    out = io.BytesIO()
    export_sheet(org, "xlsx", out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    titles = [c for c in values if isinstance(c.value, str) and c.value.startswith("'")]
    assert {c.value for c in titles} >= {
        '\'=HYPERLINK("http://evil.example","click")',
        "'+1 more activation point",
    }
    assert all(c.data_type != "f" for c in values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rCR", "'\rCR"),
        ("Plain = fine", "Plain = fine"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected


def _shape(objectives: list[Objective]) -> list[Any]:
    return [
        (
            o.title,
            o.description,
            o.type,
            o.cycle_id,
            o.unit_id,
            o.lead_id,
            [
                (
                    kr.title,
                    kr.kind,
                    kr.start,
                    kr.target,
                    kr.current,
                    kr.value_format,
                    kr.currency,
                    kr.unit_label,
                    kr.owner_id,
                    kr.last_confidence,
                )
                for kr in o.key_results.order_by("order")
            ],
        )
        for o in objectives
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md"])
def test_an_export_imports_back_as_it_was(org, plan, alice, fmt):
    original = list(Objective.objects.filter(organization=org).order_by("id"))
    out = io.BytesIO()
    export_sheet(org, fmt, out)
    created = import_file(org, out.getvalue(), f"okrs.{fmt}", alice)
    expected = sorted(_shape(original), key=lambda row: row[0])
    got = sorted(_shape(created), key=lambda row: row[0])
    assert [g[0] for g in got] == [e[0] for e in expected]
    assert got == expected


def test_an_export_of_one_cycle_for_a_viewer(org, plan, victor, cycle):
    from tenfold.okrs.models import Objective

    hidden = Objective.objects.get(title="No key results yet")
    hidden.visibility = "private"
    hidden.save()
    access = access_for(Membership.objects.get(organization=org, user=victor))
    out = io.BytesIO()
    export_sheet(org, "csv", out, cycle=cycle, access=access)
    titles = {row[3] for row in _csv_rows(out.getvalue())[1:]}
    assert "No key results yet" not in titles and "Company wide" in titles


def test_export_queries_do_not_grow_with_the_organization(
    org, team, cycle, alice, bob, django_assert_max_num_queries
):
    def grow(n: int) -> None:
        for i in range(n):
            objective = objective_create(
                organization=org, cycle=cycle, unit=team, title=f"Objective {i}", by=alice
            )
            for j in range(3):
                key_result_create(
                    objective=objective,
                    title=f"KR {i}.{j}",
                    kind="increase",
                    start=0,
                    target=10,
                    owner=bob,
                    by=alice,
                )

    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            export_sheet(org, "xlsx", io.BytesIO())
        return len(captured)

    grow(2)
    small = measure()
    grow(10)
    assert measure() == small
    with django_assert_max_num_queries(small):
        export_sheet(org, "csv", io.BytesIO())
