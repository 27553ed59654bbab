from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.conf import settings

from tenfold.conftest import not_on_postgresql
from tenfold.interchange.checking import Compiler, schema_problems
from tenfold.interchange.schema import SCHEMA_FILE, build_schema, published_schema, render
from tenfold.organizations.models import Organization

from .helpers import export_text

DOCS = Path(settings.BASE_DIR) / "docs" / "interchange.schema.json"


def test_the_published_schema_is_what_the_spec_describes() -> None:
    expected = render(build_schema())
    # After changing spec.py, write both files with schema.write_files().
    assert DOCS.read_text(encoding="utf-8") == expected
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = json.loads(DOCS.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.django_db
def test_an_export_validates_against_the_schema(rich: Organization) -> None:
    data = json.loads(export_text(rich))
    jsonschema.Draft202012Validator(published_schema()).validate(data)
    data["objectives"][0]["state"] = "dreaming"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(published_schema()).validate(data)


def _mutations() -> list[tuple[str, Any]]:
    def setter(section: str, index: int | None, key: str, value: Any) -> Any:
        def change(data: dict[str, Any]) -> None:
            row = data[section] if index is None else data[section][index]
            row[key] = value

        return change

    def drop(section: str, index: int, key: str) -> Any:
        return lambda data: data[section][index].pop(key)

    return [
        ("type", setter("objectives", 0, "progress", 0.5)),
        ("extra key", setter("key_results", 1, "surprise", True)),
        ("missing key", drop("checkins", 0, "value")),
        ("choice", setter("objectives", 1, "state", "dreaming")),
        ("decimal digits", setter("key_results", 0, "target", "1.23456")),
        ("too long", setter("units", 0, "name", "x" * 121)),
        ("too big", setter("key_results", 0, "decimals", 40000)),
        ("negative", setter("objectives", 0, "version", -1)),
        ("null", setter("cycles", 0, "start", None)),
        ("time", setter("checkins", 0, "measured_at", "yesterday")),
        ("boolean as number", setter("units", 0, "order", True)),
        ("email", setter("memberships", 0, "person", "nobody")),
        ("target kind", setter("comments", 0, "target_type", "cycle")),
        ("single", setter("adoption", None, "first_cycle_defaults", "yes")),
        ("json", setter("notification_preferences", 0, "kinds_off", [1])),
        ("organization", setter("organization", None, "week_start", 9)),
        ("whole section", lambda data: data.update(units={"a": 1})),
        ("top level", lambda data: data.pop("kudos")),
    ]


@pytest.mark.django_db
def test_the_fast_check_finds_what_jsonschema_finds(rich: Organization) -> None:
    good = json.loads(export_text(rich))
    validator = jsonschema.Draft202012Validator(published_schema())
    assert list(schema_problems(good)) == []
    for name, change in _mutations():
        data = copy.deepcopy(good)
        change(data)
        expected = {tuple(error.absolute_path) for error in validator.iter_errors(data)}
        found = {path for path, _message in schema_problems(data)}
        assert expected, name
        # Where jsonschema stops at "not valid under any of the given schemas" (a row or
        # null), the fast check names the key inside the row: the same place or below it.
        assert all(any(path[: len(e)] == e for e in expected) for path in found), name
        assert all(any(path[: len(e)] == e for path in found) for e in expected), name


def test_the_fast_check_refuses_keywords_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="does not know"):
        Compiler({}).compile({"type": "string", "format": "email"})


ODD_VALUES: list[Any] = [None, True, 7, 1.5, "", "x" * 600, "no such code!", ["a"], {"a": 1}]


@not_on_postgresql
@pytest.mark.django_db
def test_the_quick_test_of_whole_sections_agrees_with_jsonschema_on_every_column(
    rich: Organization,
) -> None:
    good = json.loads(export_text(rich))
    schema = published_schema()
    quick = Compiler(schema).test(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert quick(good)
    for section, rows in good.items():
        if not isinstance(rows, list) or not rows:
            continue
        for key in rows[0]:
            for odd in ODD_VALUES:
                data = dict(good)
                data[section] = [*rows[:-1], {**rows[-1], key: odd}]
                assert quick(data) == validator.is_valid(data), (section, key, odd)
