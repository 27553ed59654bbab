"""Sending an invitation again: a new link, good for as long again, and the old one dead."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Invitation
from tenfold.organizations.services import (
    InvitationUnusable,
    invitation_create,
    invitation_of_token,
    invitation_resend,
)


@pytest.fixture
def invited(org: Any, team: Any, alice: Any) -> tuple[Invitation, str]:
    return invitation_create(organization=org, email="dana@example.com", units=[team], by=alice)


def test_it_rotates_the_link_renews_the_expiry_and_mails_once(
    invited: Any, alice: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation, old = invited
    settings.INVITATION_DAYS = 5
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            again, new = invitation_resend(invitation=invitation, by=alice)
        assert again.expires_at == later + dt.timedelta(days=5)
        with pytest.raises(InvitationUnusable) as gone:
            invitation_of_token(old)
        assert gone.value.reason == "unknown"
        assert invitation_of_token(new).pk == invitation.pk
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    assert f"/invitations/{new}/" in message.body and old not in message.body
    event = AuditEvent.objects.get(verb="invitation.resent")
    assert event.changes == {
        "email": "dana@example.com",
        "expires_at": [invitation.expires_at.isoformat(), again.expires_at.isoformat()],
    }
    assert new not in str(event.changes)


def test_only_owners_and_admins_send_again(invited: Any, carol: Any, bob: Any) -> None:
    invitation, _token = invited
    before = Invitation.objects.values_list("token_hash", "expires_at").get()
    for person in (carol, bob):
        with pytest.raises(PermissionDenied):
            invitation_resend(invitation=invitation, by=person)
    assert Invitation.objects.values_list("token_hash", "expires_at").get() == before
    assert not AuditEvent.objects.filter(verb="invitation.resent").exists()


def test_an_expired_invitation_is_refused(invited: Any, alice: Any) -> None:
    invitation, _token = invited
    with (
        time_machine.travel(invitation.expires_at + dt.timedelta(seconds=1)),
        pytest.raises(ValidationError) as refused,
    ):
        invitation_resend(invitation=invitation, by=alice)
    assert refused.value.messages == ["That invitation has expired: invite the address again."]
    assert not AuditEvent.objects.filter(verb="invitation.resent").exists()
