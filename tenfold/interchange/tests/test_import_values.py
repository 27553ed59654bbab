from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from tenfold.accounts.models import User
from tenfold.interchange import importing
from tenfold.interchange.checking import schema_problems
from tenfold.interchange.importing import load
from tenfold.organizations.models import Organization

from .helpers import delete_organization, export_text

pytestmark = pytest.mark.django_db


def test_every_value_is_prepared_as_django_prepares_it(
    rich: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = export_text(rich)
    delete_organization(rich)
    User.objects.filter(email="dora@example.com").delete()
    insert = importing.insert_rows
    compared: set[str] = set()

    def compare_then_insert(table: importing.Table, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for field, get, prepare in zip(
                table.fields, table.getters, table.preparers, strict=True
            ):
                value = get(row)
                expected = field.get_db_prep_save(value, connection)
                quick = prepare(value)
                assert type(quick) is type(expected), (table.sql, field.name, value)
                # PostgreSQL's JSON wrapper has no equality of its own: compare what it holds.
                assert getattr(quick, "obj", quick) == getattr(expected, "obj", expected), (
                    table.sql,
                    field.name,
                    value,
                )
                compared.add(type(field).__name__)
        insert(table, rows)

    monkeypatch.setattr(importing, "insert_rows", compare_then_insert)
    load(text)
    assert {"CharField", "DateTimeField", "DateField", "DecimalField", "ForeignKey"} <= compared


def test_a_document_given_as_a_dictionary_is_left_as_it_was(rich: Organization) -> None:
    data = json.loads(export_text(rich))
    before = json.dumps(data, sort_keys=True)

    load(data, slug="copy")

    assert json.dumps(data, sort_keys=True) == before


def test_the_quick_schema_test_agrees_with_the_full_check_on_a_broken_row(
    rich: Organization,
) -> None:
    data = json.loads(export_text(rich))
    assert list(schema_problems(data)) == []
    data["checkins"][0]["value"] = "many"
    data["people"][0]["name"] = None
    data["units"][0]["surprise"] = 1

    found = {path for path, _message in schema_problems(data)}

    assert found == {("checkins", 0, "value"), ("people", 0, "name"), ("units", 0)}
