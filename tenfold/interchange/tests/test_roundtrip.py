from __future__ import annotations

import json
from typing import Any

import pytest

from tenfold.accounts.models import User
from tenfold.interchange.importing import load
from tenfold.interchange.spec import SECTIONS
from tenfold.organizations.models import Organization

from .helpers import delete_organization, export_text, normalise, snapshot

pytestmark = pytest.mark.django_db


def test_every_section_of_the_rich_organization_has_rows(rich: Organization) -> None:
    data = json.loads(export_text(rich))
    for section in SECTIONS:
        assert data[section.name], section.name


def test_a_rich_organization_comes_back_field_by_field(rich: Organization) -> None:
    before = snapshot(rich)
    text = export_text(rich)
    delete_organization(rich)
    User.objects.filter(email="dora@example.com").delete()

    imported = load(text)

    after = snapshot(imported)
    for name, rows in before.items():
        assert after[name] == rows, name
    assert normalise(export_text(imported)) == normalise(text)


def test_people_who_exist_are_reused_and_new_ones_cannot_sign_in(
    rich: Organization, alice: Any
) -> None:
    text = export_text(rich)
    delete_organization(rich)
    User.objects.filter(email="dora@example.com").delete()

    load(text)

    assert User.objects.get(pk=alice.pk).check_password("correct-horse-battery")
    dora = User.objects.get(email="dora@example.com")
    assert dora.name == "Dora Former"
    assert not dora.has_usable_password()
