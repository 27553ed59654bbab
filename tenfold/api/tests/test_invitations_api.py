"""The invitation endpoints of API v1: list, invite, send again, withdraw. Every response is
checked against the OpenAPI document; every refused write is checked to have changed nothing
and sent nothing; the link's secret never appears in an answer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tenfold.audit.models import AuditEvent
from tenfold.conftest import make_persona
from tenfold.organizations.models import Invitation, Role
from tenfold.organizations.services import (
    InvitationUnusable,
    invitation_accept,
    invitation_create,
    invitation_of_token,
    invitation_revoke,
    person_add,
)

from .test_directory_api import Api, api_as

LINK = re.compile(r"/invitations/([A-Za-z0-9_-]+)/")
BASE = "/orgs/acme/invitations"


def snapshot() -> list[Any]:
    """Everything an invitation write could touch, and the mail it could send."""
    return [
        sorted(Invitation.objects.values_list()),
        sorted(Invitation.units.through.objects.values_list()),
        AuditEvent.objects.exclude(verb__startswith="api_token.").count(),
        len(mail.outbox),
    ]


def link_in(message: Any) -> str:
    """The secret of the invitation link in an email's text."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def alice_api(client, org, team, alice) -> Api:
    return api_as(client, alice, org)


@pytest.fixture
def ada(org, alice) -> Any:
    """An admin of Acme."""
    user = make_persona("ada")
    person_add(organization=org, email=user.email, role=Role.ADMIN, by=alice)
    return user


@pytest.fixture
def pending(org, team, alice) -> Invitation:
    """Dana, invited as a member of Growth."""
    invitation, _token = invitation_create(
        organization=org, email="dana@example.com", units=[team], by=alice
    )
    return invitation


# --- inviting ---------------------------------------------------------------------------------


def test_an_owner_invites_and_the_link_goes_by_email_only(
    alice_api, org, team, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = alice_api.post(
            BASE, {"email": " Dana@Example.com ", "role": "lead", "units": [team.code]}
        )
    assert made.status_code == 201, made.data
    invitation = Invitation.objects.get()
    assert made.data == {
        "code": invitation.code,
        "email": "dana@example.com",
        "role": "lead",
        "units": [{"code": team.code, "name": "Growth", "kind": "team"}],
        "invited_by": {"user_id": alice.pk, "name": "Alice Owner", "email": "alice@example.com"},
        "created_at": made.data["created_at"],
        "expires_at": made.data["expires_at"],
    }
    expires = dt.datetime.fromisoformat(made.data["expires_at"])
    assert expires - invitation.created_at == pytest.approx(
        dt.timedelta(days=14), abs=dt.timedelta(seconds=5)
    )
    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    token = link_in(message)
    assert token not in made.content.decode()
    assert invitation.token_hash not in made.content.decode()
    assert invitation_of_token(token) == invitation
    event = AuditEvent.objects.get(verb="invitation.created")
    assert (event.actor_id, event.organization_id, event.object_code) == (
        alice.pk,
        org.pk,
        invitation.code,
    )


def test_an_admin_invites_with_the_member_role_by_default(client, org, team, ada):
    made = api_as(client, ada, org).post(BASE, {"email": "erin@example.com"})
    assert made.status_code == 201, made.data
    assert (made.data["role"], made.data["units"]) == ("member", [])
    assert made.data["invited_by"]["email"] == "ada@example.com"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "Enter a valid email address."),
        ({"email": "erin@example.com", "role": "boss"}, "role", "Unknown role."),
        (
            {"email": "erin@example.com", "units": ["nope"]},
            "units",
            "No unit of this organization has the code “nope”.",
        ),
        ({"email": "bob@example.com"}, "email", "That person is already in this organization."),
        (
            {"email": "DANA@example.com"},
            "email",
            "That address has an invitation waiting already.",
        ),
        ({"role": "member"}, "email", "Field required"),
        ({"email": "erin@example.com", "role": None}, "role", None),
        ({"email": "erin\x00@example.com"}, "email", "Remove the NUL character (\\u0000)."),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(
    alice_api, pending, body, field, message, django_capture_on_commit_callbacks
):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        refused = alice_api.post(BASE, body)
    assert refused.status_code == 400, refused.data
    assert refused.data["error"]["code"] == "invalid"
    assert field in refused.data["error"]["fields"], refused.data
    if message is not None:
        assert message in refused.data["error"]["fields"][field]
    assert snapshot() == before


def test_a_unit_of_another_organization_is_refused(alice_api, other_org):
    foreign = other_org.units.get(parent__isnull=True)
    before = snapshot()
    refused = alice_api.post(BASE, {"email": "erin@example.com", "units": [foreign.code]})
    assert refused.status_code == 400
    assert refused.data["error"]["fields"] == {
        "units": [f"No unit of this organization has the code “{foreign.code}”."]
    }
    assert snapshot() == before


# --- the list ---------------------------------------------------------------------------------


def test_the_list_holds_pending_invitations_newest_first_without_links(
    client, org, team, alice, ada
):
    with time_machine.travel(timezone.now() - dt.timedelta(days=20)):
        invitation_create(organization=org, email="old@example.com", by=alice)  # expired
    made = {}
    for n, email in enumerate(["one@example.com", "two@example.com", "gone@example.com"]):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=n)):
            made[email] = invitation_create(
                organization=org, email=email, units=[team] if n == 1 else [], by=alice
            )
    invitation_revoke(invitation=made["gone@example.com"][0], by=alice)
    _accepted, token = invitation_create(organization=org, email="yes@example.com", by=alice)
    invitation_accept(token=token, name="Yes", password="quiet-harbour-lantern-42")

    listed = api_as(client, ada, org).get(BASE)
    assert listed.status_code == 200
    assert [row["email"] for row in listed.data] == ["two@example.com", "one@example.com"]
    assert listed["X-Total-Count"] == "2"
    assert listed.data[0]["units"] == [{"code": team.code, "name": "Growth", "kind": "team"}]
    assert set(listed.data[0]) == {
        "code", "email", "role", "units", "invited_by", "created_at", "expires_at",
    }  # fmt: skip
    body = listed.content.decode()
    for _invitation, secret in made.values():
        assert secret not in body
    assert not any(row.token_hash in body for row in Invitation.objects.all())
    second = api_as(client, ada, org).get(BASE, limit=1, offset=1)
    assert [row["email"] for row in second.data] == ["one@example.com"]


def test_a_read_only_token_of_an_admin_reads_the_list(client, org, alice, pending):
    listed = api_as(client, alice, org, read_only=True).get(BASE)
    assert listed.status_code == 200
    assert [row["code"] for row in listed.data] == [pending.code]


def test_the_list_costs_the_same_at_3_and_at_30_invitations(
    client, org, team, alice, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(client, alice, org)

    def invite(start: int, count: int) -> None:
        for n in range(start, start + count):
            invitation_create(
                organization=org, email=f"person{n}@example.com", units=[team], by=alice
            )

    invite(0, 3)
    api.get(BASE)  # the token's first use is recorded once; measure the steady state
    with CaptureQueriesContext(connection) as small:
        assert len(api.get(BASE).data) == 3
    invite(3, 27)
    with django_assert_num_queries(len(small)):
        assert len(api.get(BASE).data) == 30


# --- sending again and withdrawing ------------------------------------------------------------


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(
    alice_api, org, team, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = alice_api.post(BASE, {"email": "dana@example.com", "units": [team.code]})
    old_token = link_in(mail.outbox[0])
    code = first.data["code"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        with django_capture_on_commit_callbacks(execute=True):
            again = alice_api.post(f"{BASE}/{code}/resend", {})
        assert again.status_code == 200, again.data
        assert len(mail.outbox) == 2
        new_token = link_in(mail.outbox[1])
        assert new_token != old_token
        assert new_token not in again.content.decode()
        assert (again.data["code"], again.data["email"]) == (code, "dana@example.com")
        later = dt.datetime.fromisoformat(again.data["expires_at"]) - dt.datetime.fromisoformat(
            first.data["expires_at"]
        )
        assert later == pytest.approx(dt.timedelta(days=3), abs=dt.timedelta(seconds=5))
        with pytest.raises(InvitationUnusable) as gone:
            invitation_of_token(old_token)
        assert gone.value.reason == "unknown"
        assert invitation_of_token(new_token).code == code
    event = AuditEvent.objects.get(verb="invitation.resent")
    assert (event.actor_id, event.object_code) == (alice.pk, code)
    assert event.changes["email"] == "dana@example.com"
    assert len(event.changes["expires_at"]) == 2


def test_withdrawing_stops_the_link(alice_api, org, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = alice_api.post(BASE, {"email": "dana@example.com"})
    token = link_in(mail.outbox[0])
    answer = alice_api.delete(f"{BASE}/{made.data['code']}")
    assert answer.status_code == 204
    assert answer.content == b""
    with pytest.raises(InvitationUnusable):
        invitation_of_token(token)
    assert alice_api.get(BASE).data == []
    assert AuditEvent.objects.filter(verb="invitation.revoked", actor=alice).count() == 1
    # The address may be invited afresh.
    assert alice_api.post(BASE, {"email": "dana@example.com"}).status_code == 201


@pytest.mark.parametrize(
    ("state", "resend", "revoke"),
    [
        (
            "accepted",
            "That invitation has been accepted already.",
            "That invitation has been accepted already.",
        ),
        (
            "withdrawn",
            "That invitation has been withdrawn already.",
            "That invitation has been withdrawn already.",
        ),
        ("expired", "That invitation has expired: invite the address again.", None),
    ],
)
def test_an_invitation_no_longer_pending_cannot_be_sent_again_or_withdrawn(
    alice_api, org, alice, state, resend, revoke
):
    invitation, token = invitation_create(organization=org, email="dana@example.com", by=alice)
    if state == "accepted":
        invitation_accept(token=token, name="Dana", password="quiet-harbour-lantern-42")
    elif state == "withdrawn":
        invitation_revoke(invitation=invitation, by=alice)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    before = snapshot()
    refused = alice_api.post(f"{BASE}/{invitation.code}/resend", {})
    assert refused.status_code == 400
    assert refused.data["error"]["message"] == resend
    assert snapshot() == before
    answer = alice_api.delete(f"{BASE}/{invitation.code}")
    if revoke is None:  # an expired invitation may still be withdrawn, for the record
        assert answer.status_code == 204
    else:
        assert answer.status_code == 400
        assert answer.data["error"]["message"] == revoke
        assert snapshot() == before


def test_an_unknown_code_or_one_of_another_organization_is_not_found(alice_api, other_org, mallory):
    theirs, _token = invitation_create(organization=other_org, email="zed@example.com", by=mallory)
    before = snapshot()
    for code in ("nope", theirs.code):
        assert alice_api.post(f"{BASE}/{code}/resend", {}).status_code == 404
        assert alice_api.delete(f"{BASE}/{code}").status_code == 404
    assert alice_api.delete(f"{BASE}/a%00b").status_code == 400
    assert snapshot() == before


# --- every operation, every persona -----------------------------------------------------------


def operations(invitation: Invitation) -> list[tuple[str, str, Any]]:
    return [
        ("get", BASE, None),
        ("post", BASE, {"email": "erin@example.com"}),
        ("post", f"{BASE}/{invitation.code}/resend", {}),
        ("delete", f"{BASE}/{invitation.code}", None),
    ]


def send(api: Api, method: str, path: str, body: Any) -> Any:
    if method == "get":
        return api.get(path)
    return api.delete(path) if method == "delete" else api.post(path, body)


@pytest.fixture
def world(org, team, alice, bob, carol, victor, mallory, other_org, pending) -> Invitation:
    return pending


@pytest.mark.parametrize("index", range(4))
def test_leads_members_and_viewers_are_refused_and_nothing_changes(
    client, org, world, bob, carol, victor, index
):
    method, path, body = operations(world)[index]
    before = snapshot()
    seen = [send(api_as(client, user, org), method, path, body) for user in (bob, carol, victor)]
    assert [answer.status_code for answer in seen] == [403, 403, 403]
    assert {answer.data["error"]["message"] for answer in seen} == {
        "Only owners and admins manage the organization."
    }
    assert snapshot() == before


@pytest.mark.parametrize("index", range(1, 4))
def test_a_read_only_token_is_refused_every_write(client, org, world, alice, index):
    method, path, body = operations(world)[index]
    before = snapshot()
    answer = send(api_as(client, alice, org, read_only=True), method, path, body)
    assert answer.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("index", range(4))
def test_another_organization_gets_404(client, org, world, mallory, other_org, index):
    method, path, body = operations(world)[index]
    before = snapshot()
    assert send(api_as(client, mallory, other_org), method, path, body).status_code == 404
    client.force_login(mallory)
    assert send(Api(client), method, path, body).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("who", ["alice", "ada"])
@pytest.mark.parametrize("index", range(4))
def test_an_owner_and_an_admin_may_use_every_operation_with_a_session(
    client, org, world, alice, ada, who, index
):
    method, path, body = operations(world)[index]
    client.force_login(alice if who == "alice" else ada)
    before = AuditEvent.objects.count()
    answer = send(Api(client), method, path, body)
    expected = {"get": 200, "post": 201 if path == BASE else 200, "delete": 204}[method]
    assert answer.status_code == expected, answer.data
    assert AuditEvent.objects.count() == before + (0 if method == "get" else 1)
