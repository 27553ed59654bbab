"""The JSON Schema (Draft 2020-12) of the interchange format, built from `spec.SECTIONS`.

The published copy is `docs/interchange.schema.json`; the importer reads the copy beside this
module (`interchange.schema.json`). A test checks that both equal what `build_schema()` returns;
after changing the spec, write them again with

    python manage.py shell -c "from tenfold.interchange.schema import write_files; write_files()"
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from .spec import FORMAT, FORMAT_VERSION, PEOPLE, SECTIONS, Col, Section, Target, model_field

SCHEMA_FILE = Path(__file__).with_name("interchange.schema.json")

DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})$"
)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CODE = {"type": "string", "pattern": r"^[0-9A-Za-z_-]{1,12}$"}
EMAIL = {"type": "string", "minLength": 3, "maxLength": 254, "pattern": r"^[^@\s]+@[^@\s]+$"}
SMALL_MAX = 32767
INT_MAX = 2147483647


def decimal_schema(field: models.DecimalField[Any, Any]) -> dict[str, Any]:
    whole = max(1, (field.max_digits or 20) - (field.decimal_places or 0))
    places = field.decimal_places or 0
    fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
    return {"type": "string", "pattern": rf"^-?[0-9]{{1,{whole}}}{fraction}$"}


def field_schema(field: models.Field[Any, Any]) -> dict[str, Any]:
    schema: dict[str, Any]
    if isinstance(field, models.DateTimeField):
        schema = {"type": "string", "pattern": DATETIME_PATTERN}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "pattern": DATE_PATTERN}
    elif isinstance(field, models.DecimalField):
        schema = decimal_schema(field)
    elif isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.FloatField):
        schema = {"type": "number"}
    elif isinstance(field, models.IntegerField):
        small = isinstance(field, models.PositiveSmallIntegerField | models.SmallIntegerField)
        schema = {"type": "integer", "minimum": 0, "maximum": SMALL_MAX if small else INT_MAX}
        if not isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
            schema["minimum"] = -schema["maximum"] - 1
    elif isinstance(field, models.JSONField):
        schema = {}
    else:
        schema = {"type": "string"}
        if field.max_length:
            schema["maxLength"] = field.max_length
        if isinstance(field, models.SlugField):
            schema["pattern"] = r"^[-a-zA-Z0-9_]+$"
    if field.choices and not isinstance(field, models.BooleanField):
        schema = {"enum": [value for value, _label in field.flatchoices]}
    return schema


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*kinds, "null"]}
    return schema


def column_schemas(section: Section, column: Col | Target) -> dict[str, dict[str, Any]]:
    if isinstance(column, Target):
        return {
            column.type_key: {"enum": list(column.kinds)},
            column.key: dict(CODE),
        }
    field = model_field(section, column.name)
    if column.ref is not None:
        schema = dict(EMAIL if column.ref == PEOPLE else CODE)
    elif column.key == "code":
        schema = dict(CODE)
    elif isinstance(field, models.EmailField):
        schema = dict(EMAIL)
    elif column.schema is not None:
        schema = dict(column.schema)
    else:
        schema = field_schema(field)
    if field.null:
        schema = nullable(schema)
    return {column.key: schema}


def row_schema(section: Section) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for column in section.columns:
        properties.update(column_schemas(section, column))
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if section.doc:
        schema = {"description": section.doc, **schema}
    return schema


def build_schema() -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    properties: dict[str, Any] = {
        "format": {"const": FORMAT},
        "format_version": {"type": "integer", "minimum": 1},
        "exported_at": {"type": "string", "pattern": DATETIME_PATTERN},
    }
    for section in SECTIONS:
        definitions[section.name] = row_schema(section)
        reference = {"$ref": f"#/$defs/{section.name}"}
        if section.name == "organization":
            properties[section.name] = reference
        elif section.single:
            properties[section.name] = {"anyOf": [reference, {"type": "null"}]}
        else:
            properties[section.name] = {"type": "array", "items": reference}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Tenfold interchange format",
        "description": (
            "A whole organization: settings, people, units, cycles, OKRs with their full "
            f"history, weekly reports, reviews and more. Format version {FORMAT_VERSION}; "
            "see docs/interchange.md."
        ),
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        "$defs": definitions,
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@functools.cache
def published_schema() -> dict[str, Any]:
    """The schema the importer checks files against."""
    with SCHEMA_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def write_files() -> None:
    text = render(build_schema())
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    (settings.BASE_DIR / "docs" / "interchange.schema.json").write_text(text, encoding="utf-8")
