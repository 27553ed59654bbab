"""The invitation pages: inviting and withdrawing on the people page, and the public link."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Invitation, Membership
from tenfold.organizations.services import invitation_create

GOOD_PASSWORD = "quiet-harbour-lantern-42"


def people(org: Any) -> str:
    return reverse("settings_people", kwargs={"org": org.slug})


def link(token: str) -> str:
    return reverse("invitation_accept", kwargs={"token": token})


@pytest.fixture
def invited(org: Any, team: Any, alice: Any) -> Any:
    return invitation_create(organization=org, email="dana@example.com", units=[team], by=alice)


def test_an_admin_invites_and_sees_the_pending_invitation(
    client: Any, org: Any, team: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(alice)
    data = {
        "invite-email": "dana@example.com",
        "invite-role": "member",
        "invite-units": [team.code],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("settings_invite", kwargs={"org": org.slug}), data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    page = client.get(people(org)).content.decode()
    assert "dana@example.com" in page and "Growth" in page
    response = client.post(reverse("settings_invite", kwargs={"org": org.slug}), data)
    assert response.status_code == 400
    assert "invitation waiting already" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_lead_cannot_invite_or_withdraw(
    client: Any, org: Any, team: Any, carol: Any, invited: Any
) -> None:
    client.force_login(carol)
    url = reverse("settings_invite", kwargs={"org": org.slug})
    assert client.post(url, {"invite-email": "erin@example.com"}).status_code == 403
    revoke = reverse("settings_invitation_revoke", kwargs={"org": org.slug})
    assert client.post(revoke, {"code": invited[0].code}).status_code == 403
    assert Invitation.objects.count() == 1 and invited[0].revoked_at is None


def test_an_admin_withdraws_and_the_link_stops_working(
    client: Any, org: Any, alice: Any, invited: Any
) -> None:
    invitation, token = invited
    client.force_login(alice)
    revoke = reverse("settings_invitation_revoke", kwargs={"org": org.slug})
    assert client.post(revoke, {"code": invitation.code}).status_code == 302
    assert AuditEvent.objects.filter(verb="invitation.revoked").count() == 1
    client.logout()
    response = client.get(link(token))
    assert response.status_code == 404
    assert "does not work" in response.content.decode()
    assert "Acme" not in response.content.decode()


def test_a_new_person_makes_an_account_and_is_signed_in(
    client: Any, org: Any, team: Any, invited: Any
) -> None:
    _invitation, token = invited
    page = client.get(link(token))
    assert page.status_code == 200 and "password" in page.content.decode()
    refused = client.post(link(token), {"name": "Dana", "password1": "abc", "password2": "abd"})
    assert refused.status_code == 400
    assert not User.objects.filter(email="dana@example.com").exists()
    data = {"name": "Dana", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    response = client.post(link(token), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("company", kwargs={"org": org.slug})
    dana = User.objects.get(email="dana@example.com")
    assert Membership.objects.filter(organization=org, user=dana).exists()
    assert client.get(response["Location"]).status_code == 200
    used = client.get(link(token))
    assert used.status_code == 404 and "accepted already" in used.content.decode()


def test_the_invited_person_signed_in_accepts_in_one_click(
    client: Any, org: Any, invited: Any
) -> None:
    _invitation, token = invited
    dana = User.objects.create_user(email="dana@example.com", password=GOOD_PASSWORD, name="D")
    anonymous = client.get(link(token)).content.decode()
    assert "Sign in" in anonymous and "password1" not in anonymous
    client.force_login(dana)
    assert client.post(link(token)).status_code == 302
    assert Membership.objects.filter(organization=org, user=dana).exists()


def test_someone_else_signed_in_is_told_and_changes_nothing(
    client: Any, org: Any, mallory: Any, invited: Any
) -> None:
    _invitation, token = invited
    client.force_login(mallory)
    for response in (client.get(link(token)), client.post(link(token))):
        assert response.status_code == 403
        assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(organization=org, user=mallory).exists()
    assert not AuditEvent.objects.filter(verb="invitation.accepted").exists()


def test_an_expired_link_says_so_and_names_no_organization(client: Any, invited: Any) -> None:
    invitation, token = invited
    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        response = client.get(link(token))
    assert response.status_code == 404
    text = response.content.decode()
    assert "expired" in text and "Acme" not in text and "dana@" not in text
