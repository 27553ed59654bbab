from __future__ import annotations

from django.apps import apps

from tenfold.interchange.spec import LEFT_OUT_MODELS, PEOPLE, SECTIONS, Col, Target


def test_every_model_is_exported_or_deliberately_left_out() -> None:
    exported = {section.model._meta.label for section in SECTIONS}
    models = {
        model._meta.label for model in apps.get_models() if model.__module__.startswith("tenfold.")
    }
    assert models - exported - LEFT_OUT_MODELS == set()
    assert exported & LEFT_OUT_MODELS == set()


def test_every_stored_field_of_an_exported_model_has_a_column() -> None:
    for section in SECTIONS:
        if section.name == PEOPLE:  # people: only what describes them, never credentials
            continue
        covered = {"id", *section.fixed}
        if section.scope == "organization":
            covered.add("organization")
        for column in section.columns:
            if isinstance(column, Target):
                covered.update(name for name, _section in column.kinds.values())
            else:
                assert isinstance(column, Col)
                covered.add(column.name)
        fields = {field.name for field in section.model._meta.concrete_fields}
        assert fields == covered, section.name
