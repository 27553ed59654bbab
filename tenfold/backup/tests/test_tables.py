"""Every table of the project is in a JSON backup or deliberately left out, and every
reference in the site part can be written as a name."""

from __future__ import annotations

from django.apps import apps

from tenfold.backup.snapshot import OTHER_TABLES, project_models
from tenfold.backup.tables import (
    NOT_KEPT,
    ORGANIZATION_TABLES,
    PARTIAL,
    TABLES,
    model_of,
    reference_kind,
)
from tenfold.interchange.spec import LEFT_OUT_MODELS, SECTIONS


def test_every_model_the_interchange_leaves_out_is_kept_or_named_as_left_out() -> None:
    whole = set(ORGANIZATION_TABLES) - set(PARTIAL)
    assert whole | set(NOT_KEPT) == LEFT_OUT_MODELS
    assert set(ORGANIZATION_TABLES).isdisjoint(NOT_KEPT)
    # A table split between the documents and the site part is in the documents.
    assert set(PARTIAL) <= {section.model._meta.label for section in SECTIONS}


def test_every_table_of_the_project_is_in_a_json_backup_or_left_out() -> None:
    in_documents = {section.model._meta.label for section in SECTIONS}
    compared = {model._meta.label for model in project_models(json_format=True)}
    assert compared == in_documents | set(TABLES)
    assert compared.isdisjoint(NOT_KEPT)
    assert set(OTHER_TABLES) <= compared
    many_to_many = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created and model._meta.app_config.name.startswith("tenfold.")
    }
    assert many_to_many - set(NOT_KEPT) <= set(TABLES)


def test_every_reference_of_the_site_part_has_a_name() -> None:
    for label in TABLES:
        for field in model_of(label)._meta.concrete_fields:
            if field.is_relation:
                assert reference_kind(field.related_model) in {  # type: ignore[arg-type]
                    "email",
                    "name",
                    "permission",
                    "code",
                }, (label, field.name)
