"""Creating organizations and adding people: clear refusals, nothing written on a refusal, and
no duplicates when the same person is added twice."""

import pytest
from django.core.exceptions import ValidationError

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Membership, Organization, Unit, UnitMember
from tenfold.organizations.services import (
    organization_create,
    organization_update,
    person_add,
    unit_create,
)


def counts():
    return [
        model.objects.count()
        for model in (Organization, Unit, Membership, UnitMember, User, AuditEvent)
    ]


def refused(field, write, **kwargs):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        write(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert counts() == before
    return " ".join(caught.value.message_dict[field])


# --- organizations ----------------------------------------------------------------------------


def test_a_new_organization_has_its_company_unit_and_its_owner(alice):
    org = organization_create(name="Initech", owner=alice, time_zone="Europe/Paris")
    root = Unit.objects.get(organization=org)
    assert (org.slug, org.time_zone, org.fiscal_year_start_month) == ("initech", "Europe/Paris", 1)
    assert (root.name, root.kind, root.parent) == ("Initech", "company", None)
    assert Membership.objects.get(organization=org).role == "owner"
    assert UnitMember.objects.get(unit=root, user=alice).is_lead
    event = AuditEvent.objects.get(organization=org)
    assert (event.verb, event.actor) == ("organization.created", alice)


def test_a_slug_is_made_from_the_name(alice):
    assert organization_create(name="Umbrella Corp", owner=alice).slug == "umbrella-corp"


@pytest.mark.parametrize("slug", ["admin", "API", "accounts", "static", "orgs"])
def test_a_reserved_address_is_refused(alice, slug):
    assert "reserved" in refused("slug", organization_create, name="X", slug=slug, owner=alice)


def test_a_name_that_slugifies_to_a_reserved_address_is_refused(alice):
    assert "reserved" in refused("slug", organization_create, name="Admin", owner=alice)


def test_an_address_already_taken_is_refused(org, alice):
    assert "taken" in refused("slug", organization_create, name="Acme", owner=alice)
    assert "taken" in refused("slug", organization_create, name="Other", slug="ACME", owner=alice)


def test_a_name_without_letters_or_digits_is_refused(alice):
    refused("slug", organization_create, name="---", owner=alice)


def test_an_organization_without_a_name_is_refused(alice):
    refused("name", organization_create, name="  ", slug="blank", owner=alice)


def test_an_organization_name_over_120_characters_is_refused(alice):
    refused("name", organization_create, name="n" * 121, slug="long", owner=alice)


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "utc+2"])
def test_an_unknown_time_zone_is_refused(alice, zone):
    assert "time zone" in refused(
        "time_zone", organization_create, name="X", time_zone=zone, owner=alice
    )


@pytest.mark.parametrize("month", [0, 13, "April"])
def test_a_fiscal_year_start_month_outside_one_to_twelve_is_refused(alice, month):
    refused(
        "fiscal_year_start_month",
        organization_create,
        name="X",
        fiscal_year_start_month=month,
        owner=alice,
    )


def test_a_bad_setting_is_refused_with_nothing_written(alice):
    refused("cycle_length", organization_create, name="X", cycle_length="fortnight", owner=alice)


@pytest.mark.parametrize("days", [0, 91, "often"])
def test_a_grace_period_outside_one_to_ninety_days_is_refused(org, alice, days):
    refused("stale_days", organization_update, organization=org, stale_days=days, by=alice)
    org.refresh_from_db()
    assert org.stale_days == 10


# --- units ------------------------------------------------------------------------------------


def test_a_unit_under_another_organizations_unit_is_refused(org, alice, other_org):
    refused(
        "parent", unit_create, organization=org, name="T", parent=other_org.units.get(), by=alice
    )


def test_a_second_unit_with_the_same_name_under_one_parent_is_refused(org, team, alice):
    refused("name", unit_create, organization=org, name="Growth", parent=team.parent, by=alice)


# --- people -----------------------------------------------------------------------------------


def test_a_new_person_gets_an_account_and_is_a_member_by_default(org, alice):
    membership = person_add(organization=org, email=" New@Example.com ", name="New", by=alice)
    assert (membership.user.email, membership.role) == ("new@example.com", "member")
    assert AuditEvent.objects.filter(verb="membership.created").count() == 1


@pytest.mark.parametrize("email", ["", "not-an-email", "a@", "@example.com", "a b@example.com"])
def test_a_bad_email_is_refused(org, alice, email):
    assert "valid email" in refused("email", person_add, organization=org, email=email, by=alice)


def test_an_unknown_role_is_refused(org, alice):
    refused("role", person_add, organization=org, email="new@example.com", role="king", by=alice)


def test_a_unit_of_another_organization_is_refused(org, alice, other_org):
    refused(
        "units",
        person_add,
        organization=org,
        email="new@example.com",
        units=[other_org.units.get()],
        by=alice,
    )


def test_adding_a_person_twice_does_not_duplicate_them(org, team, alice):
    first = person_add(organization=org, email="new@example.com", units=[team], by=alice)
    second = person_add(organization=org, email="NEW@example.com", units=[team], by=alice)
    assert first.pk == second.pk
    assert User.objects.filter(email="new@example.com").count() == 1
    assert Membership.objects.filter(organization=org, user=first.user).count() == 1
    assert UnitMember.objects.filter(unit=team, user=first.user).count() == 1
    assert AuditEvent.objects.filter(verb="membership.updated").count() == 1


def test_adding_an_existing_admin_to_a_unit_keeps_their_role(org, team, alice, bob):
    person_add(organization=org, email=bob.email, role="admin", by=alice)
    person_add(organization=org, email=bob.email, units=[team], by=alice)
    assert Membership.objects.get(organization=org, user=bob).role == "admin"


def test_making_a_member_the_lead_of_their_unit_does_not_duplicate_them(org, team, alice, bob):
    person_add(organization=org, email=bob.email, lead_of=[team], by=alice)
    assert list(
        UnitMember.objects.filter(unit=team, user=bob).values_list("is_lead", flat=True)
    ) == [True]


def test_a_person_from_another_organization_keeps_one_account(org, alice, mallory, other_org):
    membership = person_add(organization=org, email=mallory.email, by=alice)
    assert membership.user == mallory
    assert set(
        Membership.objects.filter(user=mallory).values_list("organization__slug", flat=True)
    ) == {"acme", "globex"}
