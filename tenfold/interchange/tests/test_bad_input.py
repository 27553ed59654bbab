"""Every kind of bad document is refused with a message naming the place, and nothing is
written."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from tenfold.accounts.models import User
from tenfold.interchange.importing import InterchangeError, load
from tenfold.lib.longrun import Cancelled, Progress
from tenfold.organizations.models import Organization

from .helpers import delete_organization, export_text

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("tenfold.")
    }


@pytest.fixture
def document(rich: Organization) -> dict[str, Any]:
    """A good document of an organization no longer in the database."""
    data: dict[str, Any] = json.loads(export_text(rich))
    delete_organization(rich)
    return data


def refused(data: Any, **options: Any) -> list[str]:
    before = row_counts()
    with pytest.raises(InterchangeError) as caught:
        load(data, **options)
    assert row_counts() == before
    return caught.value.messages


def test_the_good_document_imports(document: dict[str, Any]) -> None:
    assert load(copy.deepcopy(document)).slug == "acme"


def test_a_newer_format_version_is_refused(document: dict[str, Any]) -> None:
    document["format_version"] = 2
    assert refused(document) == ["This file is format version 2; this Tenfold reads up to 1."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "This is not valid JSON"),
        ("[1, 2]", "does not hold a JSON object"),
        ('{"format": "other", "format_version": 1}', 'its "format" is not "tenfold"'),
        ('{"format": "tenfold", "format_version": "1"}', '"format_version" must be'),
    ],
)
def test_what_is_not_an_interchange_file_is_refused(db: Any, text: str, expected: str) -> None:
    assert expected in refused(text)[0]


def edit(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    change(changed)
    return changed


def test_a_value_of_the_wrong_type_is_named_by_its_path(document: dict[str, Any]) -> None:
    def change(data: dict[str, Any]) -> None:
        data["objectives"][1]["progress"] = 0.5
        data["key_results"][0]["extra"] = 1

    messages = refused(edit(document, change))
    assert "key_results[0]: Additional properties are not allowed ('extra' was unexpected)" in (
        messages
    )
    assert "objectives[1].progress: 0.5 is not of type 'string'" in messages


def test_a_duplicate_code_is_refused(document: dict[str, Any]) -> None:
    code = document["objectives"][0]["code"]
    document["objectives"][2]["code"] = code
    messages = refused(document)
    assert messages == [
        f'objectives: the code "{code}" is used twice (objectives[0], objectives[2]).'
    ] or messages[0].startswith(f'objectives: the code "{code}" is used twice')


def test_a_duplicate_email_is_refused(document: dict[str, Any]) -> None:
    document["people"][1]["email"] = document["people"][0]["email"].upper()
    email = document["people"][0]["email"]
    assert refused(document) == [f'people: "{email}" is listed twice (people[0], people[1]).']


def test_a_cycle_that_does_not_exist_is_named(document: dict[str, Any]) -> None:
    document["objectives"][1]["cycle"] = "Q9"
    assert refused(document) == ['objectives[1].cycle: no cycle "Q9"']


def test_missing_parents_authors_and_targets_are_named(document: dict[str, Any]) -> None:
    document["units"][0]["parent"] = "nowhere"
    document["checkins"][0]["author"] = "ghost@example.com"
    document["comments"][0]["target"] = "gone"
    messages = refused(document)
    assert 'units[0].parent: no unit "nowhere"' in messages
    assert 'checkins[0].author: no person "ghost@example.com"' in messages
    kind = document["comments"][0]["target_type"].replace("_", " ").replace("checkin", "check-in")
    assert f'comments[0].target: no {kind} "gone"' in messages


def test_units_that_contain_each_other_are_refused(document: dict[str, Any]) -> None:
    units = document["units"]
    units[0]["parent"], units[1]["parent"] = units[1]["code"], units[0]["code"]
    assert any("refer to each other in a loop" in m for m in refused(document))


def test_an_impossible_date_is_named(document: dict[str, Any]) -> None:
    document["cycles"][0]["start"] = "2026-02-30"
    assert refused(document) == ['cycles[0].start: "2026-02-30" is not a valid date or number.']


def test_an_existing_address_is_refused(document: dict[str, Any], other_org: Any) -> None:
    document["organization"]["slug"] = "globex"
    assert "already exists" in refused(document)[0]
    assert load(document, slug="globex-2").slug == "globex-2"


def test_what_the_database_refuses_rolls_everything_back(document: dict[str, Any]) -> None:
    # Passes every check of the file; only the database knows a cycle must end after it
    # starts, and by then people, the organization and its units have been written.
    cycle = document["cycles"][-1]
    cycle["end"] = cycle["start"]
    people = User.objects.count()
    messages = refused(document)
    assert messages[0].startswith("cycles: the database refused a row")
    assert User.objects.count() == people


class CancelAfter(Progress):
    def __init__(self, steps: int) -> None:
        self.steps = steps

    def step(self, done: int, total: int | None = None, label: str = "") -> None:
        self.steps -= 1

    def cancelled(self) -> bool:
        return self.steps <= 0


def test_a_cancelled_import_leaves_nothing(document: dict[str, Any]) -> None:
    before = row_counts()
    with pytest.raises(Cancelled):
        load(document, progress=CancelAfter(10))
    assert row_counts() == before
    assert not Organization.objects.filter(slug="acme").exists()
