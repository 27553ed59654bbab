"""The drill's comparison finds every changed, missing or extra row, in both modes."""

from __future__ import annotations

from typing import Any

import pytest

from tenfold.backup.snapshot import compare, project_models, snapshot
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import ChangeCounter, Organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("same_ids", [True, False])
def test_the_same_database_twice_has_no_differences(site: Organization, same_ids: bool) -> None:
    tables = project_models(json_format=not same_ids)
    comparison = compare(snapshot(tables, same_ids=same_ids), snapshot(tables, same_ids=same_ids))
    assert comparison.differences == 0
    assert comparison.rows > 100


@pytest.mark.parametrize("same_ids", [True, False])
def test_a_changed_value_a_moved_reference_and_a_lost_row_are_counted(
    site: Organization, key_result: Any, bob: Any, carol: Any, same_ids: bool
) -> None:
    tables = project_models(json_format=not same_ids)
    before = snapshot(tables, same_ids=same_ids)
    KeyResult.objects.filter(pk=key_result.pk).update(title="Something else")
    KeyResult.objects.filter(pk=key_result.pk).update(owner=carol)  # was bob
    site.memberships.filter(user=bob).delete()  # type: ignore[attr-defined]

    comparison = compare(before, snapshot(tables, same_ids=same_ids))

    changed = {table.label: table for table in comparison.tables if table.differences}
    assert set(changed) == {"okrs.KeyResult", "organizations.Membership"}
    assert (changed["okrs.KeyResult"].missing, changed["okrs.KeyResult"].extra) == (1, 1)
    assert (
        changed["organizations.Membership"].missing,
        changed["organizations.Membership"].extra,
    ) == (1, 0)
    assert comparison.differences == 3
    assert any("Raise activation" in example for example in changed["okrs.KeyResult"].examples)


def test_with_names_the_same_rows_under_new_ids_compare_equal(site: Organization) -> None:
    """A row written again under a new primary key is the same row when references are
    named, and a different one when ids count."""
    team = site.units.get(name="Growth")  # type: ignore[attr-defined]
    by_name = project_models(json_format=True)
    before_names = snapshot(by_name, same_ids=False)
    before_ids = snapshot(project_models(json_format=False), same_ids=True)
    members = list(team.members.all())
    for member in members:
        member.delete()
        member.pk = None
        member.save()

    assert compare(before_names, snapshot(by_name, same_ids=False)).differences == 0
    by_ids = compare(before_ids, snapshot(project_models(json_format=False), same_ids=True))
    assert by_ids.differences == 2 * len(members)


def test_the_change_counter_number_is_not_compared(site: Organization) -> None:
    ChangeCounter.objects.create(organization=site, number=5)
    tables = project_models(json_format=False)
    before = snapshot(tables, same_ids=True)
    ChangeCounter.objects.update(number=10**15)
    assert compare(before, snapshot(tables, same_ids=True)).differences == 0
    ChangeCounter.objects.all().delete()
    assert compare(before, snapshot(tables, same_ids=True)).differences == 1
