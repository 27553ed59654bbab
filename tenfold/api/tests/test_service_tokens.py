"""Service tokens: made by admins, acting as a service account with the role they chose,
listed and revoked on the organization's token page, and kept out of everything meant for
people (the people list, reminders, check-in rates)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from tenfold.accounts.models import ApiToken, User
from tenfold.accounts.services import api_token_create, api_token_revoke, service_token_create
from tenfold.checkins.models import CheckIn
from tenfold.notifications.reminders import people_of
from tenfold.organizations.models import Membership

pytestmark = pytest.mark.django_db


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _check_in(client, org, key_result, token):
    return client.post(
        f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        data=json.dumps({"value": "30"}),
        content_type="application/json",
        headers=_headers(token),
    )


def test_a_service_token_acts_with_the_role_it_was_given(client, org, key_result, alice):
    _row, viewer = service_token_create(organization=org, name="Wallboard", role="viewer", by=alice)
    _row, admin = service_token_create(organization=org, name="Sync", role="admin", by=alice)
    listing = client.get(f"/api/v1/orgs/{org.slug}/objectives", headers=_headers(viewer))
    assert listing.status_code == 200 and listing.json()
    assert _check_in(client, org, key_result, viewer).status_code == 403
    assert not CheckIn.objects.filter(key_result=key_result).exists()
    assert _check_in(client, org, key_result, admin).status_code == 201
    account = CheckIn.objects.get(key_result=key_result).author
    assert account.is_service and account.name == "Sync"
    assert not account.has_usable_password()
    assert Membership.objects.get(organization=org, user=account).role == "admin"


def test_a_service_token_opens_only_its_organization(client, org, other_org, alice):
    _row, token = service_token_create(organization=org, name="Sync", role="admin", by=alice)
    response = client.get(f"/api/v1/orgs/{other_org.slug}/objectives", headers=_headers(token))
    assert response.status_code == 404


def test_revoking_a_service_token_closes_its_account(client, org, key_result, alice):
    row, token = service_token_create(organization=org, name="Sync", role="member", by=alice)
    api_token_revoke(token=row, by=alice)
    assert client.get("/api/v1/me", headers=_headers(token)).status_code == 401
    account = User.objects.get(pk=row.user_id)
    assert not account.is_active
    assert not Membership.objects.filter(organization=org, user=account).exists()


@pytest.mark.parametrize(
    ("name", "role", "field"),
    [("", "viewer", "name"), ("x" * 81, "viewer", "name"), ("Sync", "owner", "role")],
)
def test_bad_service_tokens_are_refused_and_make_nothing(org, alice, name, role, field):
    before = (User.objects.count(), Membership.objects.count(), ApiToken.objects.count())
    with pytest.raises(ValidationError) as caught:
        service_token_create(organization=org, name=name, role=role, by=alice)
    assert field in caught.value.message_dict
    assert (User.objects.count(), Membership.objects.count(), ApiToken.objects.count()) == before


def test_admins_make_list_and_revoke_tokens_on_the_settings_page(client, org, team, alice, bob):
    api_token_create(user=bob, organization=org, name="Bob's script", by=bob)
    client.force_login(alice)
    url = reverse("settings_tokens", kwargs={"org": org.slug})
    made = client.post(
        url, {"name": "Board wallboard", "access": "read", "role": "viewer"}, follow=True
    )
    page = made.content.decode()
    token = re.search(r'id="new-token">(tf_[^<]+)<', page).group(1)
    assert "Board wallboard" in page and "Bob&#x27;s script" in page
    row = ApiToken.objects.get(name="Board wallboard")
    assert row.read_only and row.user.is_service
    assert client.get("/api/v1/me", headers=_headers(token)).status_code == 200
    assert token not in client.get(url).content.decode()  # shown once

    bad = client.post(url, {"name": "", "access": "read", "role": "viewer"})
    assert bad.status_code == 400
    assert ApiToken.objects.count() == 2

    revoke = reverse("settings_token_revoke", kwargs={"org": org.slug})
    bobs = ApiToken.objects.get(user=bob)
    client.post(revoke, {"prefix": bobs.prefix})
    bobs.refresh_from_db()
    assert bobs.revoked_at is not None


def test_members_cannot_reach_the_organization_token_page(client, org, team, bob):
    client.force_login(bob)
    url = reverse("settings_tokens", kwargs={"org": org.slug})
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Mine", "access": "write", "role": "admin"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_another_organizations_token_cannot_be_revoked_here(client, org, other_org, alice):
    owner = other_org.memberships.get(role="owner").user
    theirs, _token = service_token_create(
        organization=other_org, name="Theirs", role="viewer", by=owner
    )
    client.force_login(alice)
    client.post(
        reverse("settings_token_revoke", kwargs={"org": org.slug}), {"prefix": theirs.prefix}
    )
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_service_accounts_stay_out_of_the_people_list_and_reminders(client, org, team, alice):
    service_token_create(organization=org, name="Robot Sync", role="member", by=alice)
    client.force_login(alice)
    page = client.get(reverse("settings_people", kwargs={"org": org.slug})).content.decode()
    assert "Robot Sync" not in page
    assert all(not person.user.is_service for person in people_of(org))


def test_the_token_command_makes_service_tokens(org, capsys):
    call_command(
        "token", "create", "--service", "--org", org.slug, "--name", "CI", "--role", "member"
    )
    token = capsys.readouterr().out.strip()
    assert token.startswith("tf_")
    row = ApiToken.objects.get(name="CI")
    assert row.user.is_service and not row.read_only
    call_command("token", "list")
    assert "(service)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--as EMAIL"):
        call_command("token", "create", "--org", org.slug, "--name", "Neither")


def test_service_accounts_stay_out_of_the_people_api(client, org, team, alice):
    service_token_create(organization=org, name="Robot Sync", role="member", by=alice)
    client.force_login(alice)
    people = client.get(f"/api/v1/orgs/{org.slug}/people").json()
    assert people and all(person["name"] != "Robot Sync" for person in people)
