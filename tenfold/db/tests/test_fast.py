"""Hand-written reads give the same instances as the ORM, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from tenfold.accounts.backends import person
from tenfold.accounts.models import User
from tenfold.accounts.sessions import SessionStore
from tenfold.db import fast
from tenfold.okrs.models import Alignment, Cycle, KeyResult, Objective, Visibility, aligned_into
from tenfold.okrs.selectors import get_objective
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import _below
from tenfold.organizations.selectors import access_to, memberships_list, memberships_of

pytestmark = pytest.mark.django_db


def values(instance: Model) -> dict[str, Any]:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_a_loader_converts_every_column_as_the_orm_does(
    org: Organization, objective: Objective
) -> None:
    # Dates, date-times, decimals, choices, JSON and booleans all pass through converters.
    for model, pk in (
        (Organization, org.pk),
        (Objective, objective.pk),
        (Cycle, objective.cycle_id),
    ):
        loader = fast.Loader(model)
        rows = fast.fetch(
            f"SELECT {loader.columns('t')} FROM {fast.table(model)} t"
            f" WHERE t.{fast.column(model, 'id')} = %s",
            [pk],
        )
        built = loader.build(rows[0])
        assert values(built) == values(model.objects.get(pk=pk))
        assert built._state.adding is False
        assert built._state.db == "default"


def test_joined_reads_foreign_keys_and_leaves_empty_ones_empty(
    org: Organization, objective: Objective
) -> None:
    Objective.objects.filter(pk=objective.pk).update(lead=None)
    joined = fast.Joined(Objective, "cycle", "unit", "lead", "organization")
    found = joined.first(f"{fast.column(Objective, 'id', 't0')} = %s", [objective.pk])
    assert found is not None
    assert found.lead is None and found.lead_id is None
    assert values(found.cycle) == values(Cycle.objects.get(pk=objective.cycle_id))
    assert values(found.unit) == values(Unit.objects.get(pk=objective.unit_id))
    assert found.organization == org
    assert joined.first(f"{fast.column(Objective, 'id', 't0')} = %s", [0]) is None


def test_joined_goes_through_a_foreign_key_joined_before(
    org: Organization, key_result: KeyResult
) -> None:
    joined = fast.Joined(KeyResult, "objective", "objective__cycle", "objective__unit", "owner")
    found = joined.first(f"{fast.column(KeyResult, 'id', 't0')} = %s", [key_result.pk])
    orm = KeyResult.objects.select_related("objective__cycle", "objective__unit", "owner").get(
        pk=key_result.pk
    )
    assert found is not None
    assert values(found) == values(orm)
    assert values(found.objective) == values(orm.objective)
    assert values(found.objective.cycle) == values(orm.objective.cycle)
    assert values(found.objective.unit) == values(orm.objective.unit)
    assert values(found.owner) == values(orm.owner)
    with pytest.raises(ValueError, match="join 'objective' first"):
        fast.Joined(KeyResult, "objective__cycle")


def test_get_key_result_reads_one_key_result_of_a_visible_objective(
    org: Organization, key_result: KeyResult, alice: User, victor: User
) -> None:
    from django.http import Http404

    from tenfold.okrs.selectors import get_key_result

    _org, access = access_to(alice, org.slug)
    found = get_key_result(access, key_result.code)
    assert values(found) == values(key_result)
    assert found.objective.organization == org
    assert found.objective.cycle.pk == found.objective.cycle_id
    with pytest.raises(Http404):
        get_key_result(access, "nope")
    Objective.objects.filter(pk=key_result.objective_id).update(visibility=Visibility.UNIT)
    _org, viewer = access_to(victor, org.slug)
    with pytest.raises(Http404):
        get_key_result(viewer, key_result.code)


def test_memberships_list_matches_the_orm(alice: User, org: Organization, mallory: User) -> None:
    from tenfold.organizations.services import organization_create

    organization_create(name="Zeta", slug="zeta", owner=alice)
    organization_create(name="Beta", slug="beta", owner=alice)
    fast_rows = memberships_list(alice)
    orm_rows = list(memberships_of(alice))
    assert [m.organization.slug for m in fast_rows] == ["acme", "beta", "zeta"]
    assert [values(m) for m in fast_rows] == [values(m) for m in orm_rows]
    assert [values(m.organization) for m in fast_rows] == [values(m.organization) for m in orm_rows]
    assert memberships_list(mallory) == []


def test_get_objective_reads_one_visible_objective(
    org: Organization, objective: Objective, alice: User, bob: User
) -> None:
    _org, access = access_to(alice, org.slug)
    found = get_objective(access, objective.code)
    assert values(found) == values(objective)
    assert found.cycle.pk == objective.cycle_id and found.unit.pk == objective.unit_id


def test_get_objective_hides_what_the_viewer_may_not_see(
    org: Organization, objective: Objective, victor: User, mallory: User
) -> None:
    from django.http import Http404

    from tenfold.organizations.services import organization_create

    Objective.objects.filter(pk=objective.pk).update(visibility=Visibility.UNIT)
    _org, viewer = access_to(victor, org.slug)
    with pytest.raises(Http404):
        get_objective(viewer, objective.code)
    other = organization_create(name="Globex", slug="globex", owner=mallory)
    _other, outsider = access_to(mallory, other.slug)
    with pytest.raises(Http404):
        get_objective(outsider, objective.code)


def test_below_walks_the_whole_subtree_of_the_roots_and_nothing_else(
    org: Organization, alice: User
) -> None:
    from tenfold.organizations.services import unit_create

    root = Unit.objects.get(organization=org, parent__isnull=True)
    a = unit_create(organization=org, name="A", parent=root, by=alice)
    a1 = unit_create(organization=org, name="A1", parent=a, by=alice)
    a11 = unit_create(organization=org, name="A11", parent=a1, by=alice)
    b = unit_create(organization=org, name="B", parent=root, by=alice)
    assert _below(org.id, {a.id}) == {a.id, a1.id, a11.id}
    assert _below(org.id, {a1.id, b.id}) == {a1.id, a11.id, b.id}
    assert _below(org.id, set()) == set()
    # A unit of another organization is never a root here.
    assert _below(org.id + 1000, {a.id}) == set()


def test_aligned_into_finds_links_to_the_objective_and_to_its_key_results(
    org: Organization, objective: Objective, key_result: KeyResult, alice: User
) -> None:
    from tenfold.okrs.services import objective_create

    def child(title: str) -> Objective:
        return objective_create(
            organization=org, cycle=objective.cycle, unit=objective.unit, title=title, by=alice
        )

    to_objective, to_key_result, elsewhere = child("One"), child("Two"), child("Three")
    Alignment.objects.create(organization=org, child=to_objective, parent_objective=objective)
    Alignment.objects.create(organization=org, child=to_key_result, parent_key_result=key_result)
    Alignment.objects.create(organization=org, child=elsewhere, parent_objective=to_objective)
    found = set(
        Alignment.objects.filter(aligned_into(objective)).values_list("child_id", flat=True)
    )
    assert found == {to_objective.id, to_key_result.id}
    assert set(
        Alignment.objects.filter(aligned_into(objective.id)).values_list("child_id", flat=True)
    ) == {to_objective.id, to_key_result.id}


def test_the_session_store_reads_live_sessions_only(alice: User) -> None:
    store = SessionStore()
    store["hello"] = "world"
    store.create()
    assert SessionStore(store.session_key)["hello"] == "world"
    # Expired: read as empty, like Django's own store.
    store.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    store.save()
    assert SessionStore(store.session_key).load() == {}
    assert SessionStore("nonexistent-key").load() == {}


def test_sessions_naming_the_former_backends_stay_signed_in(client: Client, alice: User) -> None:
    store = SessionStore()
    store[SESSION_KEY] = str(alice.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = alice.get_session_auth_hash()
    store.create()
    client.cookies["sessionid"] = store.session_key
    assert client.get("/orgs/").status_code == 200
    assert client.get("/orgs/").wsgi_request.user == alice


def test_person_reads_the_user_or_nobody(alice: User) -> None:
    found = person(str(alice.pk))
    assert found is not None and values(found) == values(User.objects.get(pk=alice.pk))
    assert person(alice.pk + 1000) is None
    assert person("not a number") is None
