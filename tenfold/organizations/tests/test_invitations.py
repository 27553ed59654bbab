"""The rules of invitations: who may invite whom, and a link that works once, in time."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Invitation, Membership, Role, UnitMember
from tenfold.organizations.selectors import invitations_pending
from tenfold.organizations.services import (
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)

GOOD_PASSWORD = "quiet-harbour-lantern-42"


@pytest.fixture
def invited(org: Any, team: Any, alice: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Dana invited as a lead into Growth; answers (invitation, token)."""
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_create(
            organization=org, email=" Dana@Example.com ", role=Role.LEAD, units=[team], by=alice
        )


def test_it_stores_only_a_hash_of_the_token_and_emails_the_link(invited: Any, org: Any) -> None:
    invitation, token = invited
    assert invitation.email == "dana@example.com"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = Invitation.objects.filter(pk=invitation.pk).values()[0]
    assert token not in {str(value) for value in row.values()}
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    assert "Acme" in message.subject
    assert f"/invitations/{token}/" in message.body
    html = message.alternatives[0][0]
    assert f"/invitations/{token}/" in html
    event = AuditEvent.objects.get(verb="invitation.created")
    assert event.changes["email"] == "dana@example.com"
    assert token not in str(event.changes)


def test_it_expires_after_the_configured_days(
    org: Any, alice: Any, settings: Any, invited: Any
) -> None:
    settings.INVITATION_DAYS = 3
    invitation, _token = invitation_create(organization=org, email="erin@example.com", by=alice)
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        dt.timedelta(days=3), abs=dt.timedelta(seconds=5)
    )
    assert invited[0].expires_at - invited[0].created_at > dt.timedelta(days=13)


def test_only_owners_and_admins_invite(org: Any, team: Any, carol: Any, bob: Any) -> None:
    for person in (carol, bob):
        with pytest.raises(PermissionDenied):
            invitation_create(organization=org, email="erin@example.com", by=person)
    assert not Invitation.objects.exists()


def test_it_refuses_a_second_pending_invitation_and_members(
    org: Any, team: Any, alice: Any, invited: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        invitation_create(organization=org, email="DANA@example.com", by=alice)
    assert error.value.message_dict == {
        "email": ["That address has an invitation waiting already."]
    }
    with pytest.raises(ValidationError) as error:
        invitation_create(organization=org, email="bob@example.com", by=alice)
    assert error.value.message_dict == {"email": ["That person is already in this organization."]}
    with pytest.raises(ValidationError) as error:
        invitation_create(organization=org, email="not an address", role="boss", by=alice)
    assert set(error.value.message_dict) == {"email", "role"}
    assert Invitation.objects.count() == 1
    # Once revoked (or expired), the address may be invited again.
    invitation_revoke(invitation=invited[0], by=alice)
    invitation_create(organization=org, email="dana@example.com", by=alice)
    assert Invitation.objects.count() == 2


def test_a_new_person_sets_name_and_password_and_joins(invited: Any, org: Any, team: Any) -> None:
    invitation, token = invited
    membership = invitation_accept(token=token, name="Dana Scully", password=GOOD_PASSWORD)
    user = membership.user
    assert (user.email, user.name, membership.role) == ("dana@example.com", "Dana Scully", "lead")
    assert user.check_password(GOOD_PASSWORD)
    assert UnitMember.objects.filter(unit=team, user=user).exists()
    event = AuditEvent.objects.get(verb="invitation.accepted")
    assert event.actor_id == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_weak_password_or_missing_name_changes_nothing(invited: Any) -> None:
    _invitation, token = invited
    with pytest.raises(ValidationError) as error:
        invitation_accept(token=token, name="", password="password")
    assert set(error.value.message_dict) == {"name", "password"}
    assert not User.objects.filter(email="dana@example.com").exists()
    assert invitations_pending(_invitation.organization) == [_invitation]


def test_it_works_once(invited: Any) -> None:
    _invitation, token = invited
    invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)
    with pytest.raises(InvitationUnusable) as gone:
        invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)
    assert gone.value.reason == "used"
    assert AuditEvent.objects.filter(verb="invitation.accepted").count() == 1


def test_it_expires(invited: Any) -> None:
    invitation, token = invited
    with time_machine.travel(invitation.expires_at + dt.timedelta(seconds=1)):
        with pytest.raises(InvitationUnusable) as gone:
            invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)
        assert gone.value.reason == "expired"
        assert invitations_pending(invitation.organization) == []
    with time_machine.travel(invitation.expires_at - dt.timedelta(seconds=1)):
        invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)


def test_a_revoked_invitation_reads_as_unknown(invited: Any, alice: Any) -> None:
    invitation, token = invited
    invitation_revoke(invitation=invitation, by=alice)
    with pytest.raises(InvitationUnusable) as gone:
        invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)
    assert gone.value.reason == "unknown"
    with pytest.raises(ValidationError, match="withdrawn already"):
        invitation_revoke(invitation=invitation, by=alice)
    with pytest.raises(InvitationUnusable):
        invitation_accept(token=token[:-1], name="Dana", password=GOOD_PASSWORD)
    assert AuditEvent.objects.filter(verb="invitation.revoked").count() == 1


def test_only_admins_revoke(invited: Any, carol: Any) -> None:
    with pytest.raises(PermissionDenied):
        invitation_revoke(invitation=invited[0], by=carol)
    assert invited[0].revoked_at is None


def test_an_existing_account_joins_only_with_the_invited_address(
    invited: Any, mallory: Any, org: Any, team: Any
) -> None:
    _invitation, token = invited
    with pytest.raises(ValidationError, match="another email address"):
        invitation_accept(token=token, user=mallory)
    dana = User.objects.create_user(email="dana@example.com", password=GOOD_PASSWORD, name="D")
    with pytest.raises(ValidationError, match="sign in to accept"):
        invitation_accept(token=token, name="Dana", password=GOOD_PASSWORD)
    membership = invitation_accept(token=token, user=dana)
    assert membership.role == Role.LEAD
    assert not Membership.objects.filter(organization=org, user=mallory).exists()
    assert re.fullmatch(r"[\w-]{40,}", token)
