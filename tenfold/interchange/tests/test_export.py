from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.accounts.models import User
from tenfold.checkins.models import CheckIn
from tenfold.interchange.exporting import export_data
from tenfold.interchange.spec import SECTIONS
from tenfold.okrs.models import KeyResult, Objective
from tenfold.organizations.models import Membership, Organization
from tenfold.social.models import Comment

from .helpers import export_text

pytestmark = pytest.mark.django_db


def grow(org: Organization, objective: Objective, key_result: KeyResult, n: int) -> None:
    for i in range(n):
        person = User.objects.create_user(email=f"extra{i}@example.com", name=f"Extra {i}")
        Membership.objects.create(organization=org, user=person)
        more = Objective.objects.create(
            organization=org,
            cycle=objective.cycle,
            unit=objective.unit,
            title=f"More {i}",
            lead=person,
        )
        kr = KeyResult.objects.create(
            organization=org, objective=more, title=f"KR {i}", target=Decimal(i + 1), owner=person
        )
        CheckIn.objects.create(organization=org, key_result=kr, value=Decimal(i), author=person)
        Comment.objects.create(organization=org, author=person, body="hi", key_result=kr)


def test_the_export_reads_a_fixed_number_of_queries(
    rich: Organization, objective: Objective, key_result: KeyResult
) -> None:
    with CaptureQueriesContext(connection) as small:
        export_data(rich)
    grow(rich, objective, key_result, 15)
    with CaptureQueriesContext(connection) as large:
        data = export_data(rich)
    assert len(data["objectives"]) >= 19
    assert len(large.captured_queries) == len(small.captured_queries) <= len(SECTIONS) + 1


def test_two_exports_of_the_same_data_are_identical_apart_from_the_time(
    rich: Organization,
) -> None:
    first, second = export_text(rich), export_text(rich)
    assert first.split("\n", 4)[4] == second.split("\n", 4)[4]
    assert first.startswith('{\n"format": "tenfold",\n"format_version": 1,\n"exported_at": "')


def test_values_are_written_as_the_format_says(rich: Organization, key_result: Any) -> None:
    data = json.loads(export_text(rich))
    kr = next(row for row in data["key_results"] if row["code"] == key_result.code)
    assert kr["target"] == "40.0000"
    assert kr["current"] == "25.5000"
    assert kr["created_at"].endswith("Z") and len(kr["created_at"]) == 27
    assert [row["code"] for row in data["objectives"]] == sorted(
        row["code"] for row in data["objectives"]
    )


def test_nothing_of_another_organization_and_no_secret_leaves(
    rich: Organization, other_org: Organization
) -> None:
    text = export_text(rich)
    assert "mallory" not in text and "Globex" not in text
    assert "password" not in text and "md5$" not in text
    data = json.loads(text)
    assert set(data["people"][0]) == {"email", "name", "language", "time_zone"}


def test_the_file_is_plain_ascii_and_every_character_comes_back(rich: Organization) -> None:
    from tenfold.interchange.importing import load

    from .helpers import delete_organization

    title = "Crecer en España 🚀 · 增长"
    Objective.objects.filter(organization=rich).update(title=title)
    text = export_text(rich)
    assert text.isascii()
    assert "\\ud83d\\ude80" in text  # the rocket, as a pair of escapes
    delete_organization(rich)
    User.objects.filter(email="dora@example.com").delete()
    imported = load(text)
    assert set(Objective.objects.filter(organization=imported).values_list("title", flat=True)) == {
        title
    }
