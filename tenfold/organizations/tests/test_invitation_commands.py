"""tenfold invite and tenfold invitations: what they print and send, and clear refusals that
change nothing and send nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Invitation, Role
from tenfold.organizations.services import (
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_of_token,
    invitation_revoke,
    person_add,
)

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def state() -> list[Any]:
    """What a command could change, and the mail it could send."""
    return [
        sorted(Invitation.objects.values_list()),
        sorted(Invitation.units.through.objects.values_list()),
        AuditEvent.objects.count(),
        len(mail.outbox),
    ]


def token_in(message: Any) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def pending(org: Any, team: Any, alice: Any) -> Invitation:
    invitation, _token = invitation_create(
        organization=org, email="dana@example.com", role=Role.LEAD, units=[team], by=alice
    )
    return invitation


# --- tenfold invite ---------------------------------------------------------------------------


def test_invite_emails_the_link_and_prints_the_code_not_the_link(
    org: Any, team: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        out = run(
            "invite", "Dana@Example.com", "--as", "alice@example.com", "--org", "acme",
            "--role", "lead", "--unit", team.code, "--unit", "product",
        )  # fmt: skip
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "dana@example.com",
        "lead",
        alice,
    )
    assert [unit.name for unit in invitation.units.order_by("name")] == ["Growth", "Product"]
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    token = token_in(message)
    assert invitation_of_token(token) == invitation
    assert token not in out
    assert out.splitlines() == [
        "An invitation is on its way to dana@example.com.",
        f"It is {invitation.code}: `tenfold invitations --resend {invitation.code}` sends it "
        f"again, `--revoke {invitation.code}` withdraws it.",
    ]
    assert AuditEvent.objects.filter(verb="invitation.created", actor=alice).count() == 1


def test_an_admin_invites_as_a_member_by_default_in_their_only_organization(
    org: Any, alice: Any, bob: Any
) -> None:
    person_add(organization=org, email=bob.email, role=Role.ADMIN, by=alice)
    run("invite", "erin@example.com", "--as", "bob@example.com")
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.invited_by, invitation.units.count()) == (
        "member",
        bob,
        0,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("not-an-address",), "email: Enter a valid email address."),
        (("bob@example.com",), "email: That person is already in this organization."),
        (("DANA@example.com",), "email: That address has an invitation waiting already."),
        (("erin@example.com", "--unit", "Nowhere"), "No unit is called or coded “Nowhere” here."),
        (("erin@example.com", "--org", "globex"), "is not a member of that organization"),
        (("erin@example.com", "--as", "nobody@example.com"), "Nobody signs in as"),
    ],
)
def test_invite_refuses_bad_input_clearly_and_changes_nothing(
    org: Any,
    team: Any,
    pending: Any,
    other_org: Any,
    args: tuple[str, ...],
    message: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = state()
    if "--as" not in args:
        args = (*args, "--as", "alice@example.com")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match=re.escape(message)) as refused,
    ):
        run("invite", *args)
    assert refused.value.returncode == 1
    assert state() == before


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_leads_members_and_viewers_may_not_invite(
    org: Any, team: Any, persona: str, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    before = state()
    with pytest.raises(CommandError, match="Only owners and admins invite people"):
        run("invite", "erin@example.com", "--as", user.email)
    assert state() == before


def test_an_unknown_role_is_a_usage_error(org: Any, alice: Any) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'boss'") as refused:
        call_command("invite", "erin@example.com", "--as", "alice@example.com", "--role", "boss")
    assert refused.value.returncode == 1  # call_command; the console script exits with 2
    assert not Invitation.objects.exists()


# --- tenfold invitations ----------------------------------------------------------------------


def test_the_list_shows_pending_invitations_only(
    org: Any, team: Any, alice: Any, pending: Any
) -> None:
    gone, _token = invitation_create(organization=org, email="gone@example.com", by=alice)
    invitation_revoke(invitation=gone, by=alice)
    _accepted, token = invitation_create(organization=org, email="yes@example.com", by=alice)
    invitation_accept(token=token, name="Yes", password="quiet-harbour-lantern-42")
    old, _token = invitation_create(organization=org, email="old@example.com", by=alice)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))

    lines = run("invitations", "--as", "alice@example.com").splitlines()
    assert lines[0].split() == ["Code", "Email", "Role", "Expires", "Invited", "by", "Units"]
    expires = timezone.localtime(pending.expires_at, zoneinfo.ZoneInfo("Europe/Berlin"))
    assert lines[1].split() == [
        pending.code, "dana@example.com", "Lead", expires.date().isoformat(),
        "Alice", "Owner", "Growth",
    ]  # fmt: skip
    assert len(lines) == 2
    data = json.loads(run("invitations", "--as", "alice@example.com", "--json"))
    assert [row["code"] for row in data] == [pending.code]
    assert data[0]["units"] == [{"code": team.code, "name": "Growth", "kind": "team"}]
    assert data[0]["invited_by"]["email"] == "alice@example.com"
    assert "token" not in json.dumps(data)


def test_an_empty_list_says_so(org: Any, alice: Any) -> None:
    assert run("invitations", "--as", "alice@example.com") == (
        "No invitation is waiting for an answer.\n"
    )
    assert json.loads(run("invitations", "--as", "alice@example.com", "--json")) == []


def test_resend_mails_a_new_link_and_the_old_one_stops_working(
    org: Any, team: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run("invite", "dana@example.com", "--as", "alice@example.com")
    invitation = Invitation.objects.get()
    first = token_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        out = run("invitations", "--as", "alice@example.com", "--resend", invitation.code)
    assert out == "A new link is on its way to dana@example.com; the earlier one no longer works.\n"
    assert len(mail.outbox) == 2
    second = token_in(mail.outbox[1])
    assert second != first and second not in out
    with pytest.raises(InvitationUnusable):
        invitation_of_token(first)
    assert invitation_of_token(second) == invitation
    assert AuditEvent.objects.filter(verb="invitation.resent", actor=alice).count() == 1


def test_revoke_withdraws_and_the_link_stops_working(
    org: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run("invite", "dana@example.com", "--as", "alice@example.com")
    invitation = Invitation.objects.get()
    out = run("invitations", "--as", "alice@example.com", "--revoke", invitation.code)
    assert out == "The invitation to dana@example.com is withdrawn.\n"
    with pytest.raises(InvitationUnusable):
        invitation_of_token(token_in(mail.outbox[0]))
    assert AuditEvent.objects.filter(verb="invitation.revoked", actor=alice).count() == 1
    before = state()
    with pytest.raises(CommandError, match="That invitation has been withdrawn already") as refused:
        run("invitations", "--as", "alice@example.com", "--revoke", invitation.code)
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="That invitation has been withdrawn already"):
        run("invitations", "--as", "alice@example.com", "--resend", invitation.code)
    assert state() == before


def test_codes_of_another_organization_are_unknown_here(
    org: Any, alice: Any, other_org: Any, mallory: Any
) -> None:
    theirs, _token = invitation_create(organization=other_org, email="zed@example.com", by=mallory)
    before = state()
    for action in ("--resend", "--revoke"):
        for code in (theirs.code, "nope"):
            with pytest.raises(CommandError, match=f"No invitation has the code “{code}” here"):
                run("invitations", "--as", "alice@example.com", action, code)
    assert state() == before


def test_an_expired_invitation_is_not_sent_again(org: Any, alice: Any, pending: Any) -> None:
    Invitation.objects.filter(pk=pending.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    before = state()
    with pytest.raises(CommandError, match="That invitation has expired: invite the address again"):
        run("invitations", "--as", "alice@example.com", "--resend", pending.code)
    assert state() == before


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_only_owners_and_admins_list_resend_or_revoke(
    org: Any, team: Any, pending: Any, persona: str, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    before = state()
    for extra in ((), ("--resend", pending.code), ("--revoke", pending.code)):
        with pytest.raises(CommandError, match="Only owners and admins manage the organization"):
            run("invitations", "--as", user.email, *extra)
    assert state() == before


def test_resend_and_revoke_together_is_a_usage_error(org: Any, alice: Any, pending: Any) -> None:
    with pytest.raises(CommandError, match="not allowed with argument"):
        run(
            "invitations", "--as", "alice@example.com",
            "--resend", pending.code, "--revoke", pending.code,
        )  # fmt: skip
