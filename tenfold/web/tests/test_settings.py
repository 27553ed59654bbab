from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Membership, Organization, Unit


def url(name, org, **kwargs):
    return reverse(name, kwargs={"org": org.slug, **kwargs})


@pytest.mark.parametrize(
    "name", ["settings_general", "settings_units", "settings_people", "settings_cycles"]
)
def test_only_owners_and_admins_reach_the_settings(client, org, team, alice, carol, name):
    client.force_login(carol)
    assert client.get(url(name, org)).status_code == 403
    client.force_login(alice)
    assert client.get(url(name, org)).status_code == 200


def test_general_settings_are_saved_and_audited(client, org, alice):
    client.force_login(alice)
    data = {
        "name": "Acme Corp",
        "fiscal_year_start_month": 4,
        "cycle_length": "quarter",
        "time_zone": "America/Chicago",
        "language": "es",
        "week_start": 6,
        "checkin_weekday": 0,
        "checkin_hour": 9,
        "at_risk_gap": "0.15",
        "off_track_gap": "0.35",
        "stale_days": 7,
        "approval_required": "",
        "rollout": "pilot",
    }
    response = client.post(url("settings_general", org), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.fiscal_year_start_month, org.time_zone) == (
        "Acme Corp",
        4,
        "America/Chicago",
    )
    assert org.at_risk_gap == Decimal("0.15") and org.approval_required is False
    assert AuditEvent.objects.filter(verb="organization.updated").count() == 1


def test_thresholds_in_the_wrong_order_are_refused(client, org, alice):
    client.force_login(alice)
    data = {
        "name": "Acme",
        "fiscal_year_start_month": 1,
        "cycle_length": "quarter",
        "time_zone": "UTC",
        "language": "en",
        "week_start": 0,
        "checkin_weekday": 4,
        "checkin_hour": 10,
        "at_risk_gap": "0.5",
        "off_track_gap": "0.3",
        "stale_days": 10,
        "rollout": "everyone",
    }
    response = client.post(url("settings_general", org), data)
    assert response.status_code == 400
    assert "at least as far behind" in response.content.decode()
    org.refresh_from_db()
    assert org.at_risk_gap == Decimal("0.20")


def test_an_admin_adds_a_team_under_a_department(client, org, company, alice):
    client.force_login(alice)
    response = client.post(
        url("settings_units", org), {"name": "Platform", "kind": "team", "parent": company.code}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="Platform").parent == company


def test_a_duplicate_unit_name_is_refused(client, org, company, team, alice):
    client.force_login(alice)
    parent = team.parent
    count = Unit.objects.count()
    response = client.post(
        url("settings_units", org), {"name": "Growth", "kind": "team", "parent": parent.code}
    )
    assert response.status_code == 400
    assert Unit.objects.count() == count


def test_an_admin_adds_a_person_who_can_then_sign_in(client, org, team, alice):
    client.force_login(alice)
    response = client.post(
        url("settings_people", org),
        {
            "email": "Dana@Example.com",
            "name": "Dana",
            "role": "member",
            "unit": team.code,
            "password": "a-long-first-password",
        },
    )
    assert response.status_code == 302
    dana = User.objects.get(email="dana@example.com")
    assert dana.check_password("a-long-first-password")
    assert team.members.filter(user=dana).exists()


def test_a_bad_email_adds_nobody(client, org, alice):
    client.force_login(alice)
    count = User.objects.count()
    response = client.post(url("settings_people", org), {"email": "not-an-email", "role": "member"})
    assert response.status_code == 400
    assert User.objects.count() == count


def test_the_last_owner_cannot_step_down(client, org, alice):
    client.force_login(alice)
    client.post(url("settings_person_role", org), {"email": alice.email, "role": "member"})
    assert Membership.objects.get(user=alice).role == "owner"


def test_roles_can_be_changed(client, org, team, alice, bob):
    client.force_login(alice)
    client.post(url("settings_person_role", org), {"email": bob.email, "role": "admin"})
    assert Membership.objects.get(user=bob, organization=org).role == "admin"


def test_a_fiscal_year_of_cycles_is_created_once(client, org, alice):
    client.force_login(alice)
    client.post(url("settings_cycles", org), {"form": "year", "year": 2027})
    client.post(url("settings_cycles", org), {"form": "year", "year": 2027})
    assert sorted(Cycle.objects.filter(organization=org).values_list("name", flat=True)) == [
        "2027",
        "Q1 2027",
        "Q2 2027",
        "Q3 2027",
        "Q4 2027",
    ]


def test_a_custom_cycle_ending_before_it_starts_is_refused(client, org, alice):
    client.force_login(alice)
    response = client.post(
        url("settings_cycles", org),
        {"form": "cycle", "name": "Sprint", "start": "2027-02-01", "end": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "after the start" in response.content.decode()
    assert not Cycle.objects.filter(name="Sprint").exists()


def test_a_cycle_moves_through_its_states(client, org, alice, cycle):
    client.force_login(alice)
    client.post(url("settings_cycle_state", org, code=cycle.code), {"state": "closed"})
    cycle.refresh_from_db()
    assert cycle.state == "closed"
    client.post(url("settings_cycle_state", org, code=cycle.code), {"state": "planning"})
    cycle.refresh_from_db()
    assert cycle.state == "closed"


def test_settings_of_another_organization_are_not_found(client, org, other_org, mallory):
    client.force_login(mallory)
    assert client.get(url("settings_general", org)).status_code == 404
    assert isinstance(Organization.objects.get(slug="acme"), Organization)
