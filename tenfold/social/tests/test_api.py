"""API v1 for comments, reactions, mentions and activity; every response is checked against
the OpenAPI document."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.api.tests.conftest import PREFIX, OpenApiClient, token_for
from tenfold.audit.models import AuditEvent
from tenfold.checkins.services import checkin_record
from tenfold.social.models import Comment, Reaction
from tenfold.social.services import comment_add

from .conftest import access_of


class Client(OpenApiClient):
    def delete(self, path):
        response = self.client.delete(PREFIX + path, headers=self._headers())
        return self._check("delete", path, response)


def api_for(client, user, org):
    return Client(client, token_for(user, org))


def test_a_member_comments_and_lists_the_thread(client, org, bob, carol, objective):
    api = api_for(client, bob, org)
    response = api.post(
        f"/orgs/{org.slug}/comments",
        {"target_kind": "objective", "target": objective.code, "body": "Hi @carol"},
    )
    assert response.status_code == 201
    assert response.data["mentions"] == ["carol@example.com"]
    assert response.data["source"] == "api"
    listed = api.get(f"/orgs/{org.slug}/comments", target_kind="objective", target=objective.code)
    assert listed.status_code == 200
    assert [c["body"] for c in listed.data] == ["Hi @carol"]
    assert listed.data[0]["author"] == {"name": "Bob Member", "email": "bob@example.com"}


def test_bad_comments_get_the_error_shape_and_write_nothing(client, org, bob, objective):
    api = api_for(client, bob, org)
    events = AuditEvent.objects.count()
    empty = api.post(
        f"/orgs/{org.slug}/comments",
        {"target_kind": "objective", "target": objective.code, "body": " "},
    )
    assert empty.status_code == 400
    assert "body" in empty.data["error"]["fields"]
    wrong_kind = api.post(
        f"/orgs/{org.slug}/comments", {"target_kind": "cycle", "target": "x", "body": "Hi"}
    )
    assert wrong_kind.status_code == 400
    assert not Comment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_viewer_reads_but_cannot_comment_or_react(client, org, victor, objective):
    api = api_for(client, victor, org)
    path = f"/orgs/{org.slug}/comments"
    assert api.get(path, target_kind="objective", target=objective.code).status_code == 200
    body = {"target_kind": "objective", "target": objective.code, "body": "Hi"}
    assert api.post(path, body).status_code == 403
    reaction = {"target_kind": "objective", "target": objective.code, "emoji": "rocket"}
    assert api.post(f"/orgs/{org.slug}/reactions", reaction).data["error"]["code"] == "forbidden"
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


def test_hidden_or_foreign_targets_are_404(client, org, bob, mallory, other_org, private_objective):
    api = api_for(client, bob, org)
    hidden = api.get(
        f"/orgs/{org.slug}/comments", target_kind="objective", target=private_objective.code
    )
    assert hidden.status_code == 404
    outsider = api_for(client, mallory, other_org)
    # mallory's token opens globex only, and acme's objective is no globex objective.
    assert (
        outsider.get(
            f"/orgs/{org.slug}/comments", target_kind="objective", target=private_objective.code
        ).status_code
        == 404
    )
    assert (
        outsider.get(
            f"/orgs/{other_org.slug}/comments",
            target_kind="objective",
            target=private_objective.code,
        ).status_code
        == 404
    )


def test_deleting_a_comment(client, org, alice, bob, carol, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="Oops")
    path = f"/orgs/{org.slug}/comments/{comment.code}"
    assert api_for(client, carol, org).delete(path).status_code == 403
    assert api_for(client, bob, org).delete(path).status_code == 204
    assert api_for(client, alice, org).delete(path).status_code == 404
    comment.refresh_from_db()
    assert comment.deleted_at is not None


def test_reactions_toggle(client, org, bob, key_result):
    api = api_for(client, bob, org)
    body = {"target_kind": "key-result", "target": key_result.code, "emoji": "🎉"}
    first = api.post(f"/orgs/{org.slug}/reactions", body)
    assert first.status_code == 200
    assert first.data == {
        "on": True,
        "reactions": [{"emoji": "party", "glyph": "🎉", "count": 1, "mine": True}],
    }
    second = api.post(f"/orgs/{org.slug}/reactions", body)
    assert second.data == {"on": False, "reactions": []}
    bad = api.post(f"/orgs/{org.slug}/reactions", {**body, "emoji": "nope"})
    assert bad.status_code == 400
    assert "emoji" in bad.data["error"]["fields"]


def test_mentions_unread_and_all(client, org, bob, carol, objective):
    from tenfold.social.services import mentions_mark_read

    comment_add(access=access_of(bob, org), target=objective, body="@carol first")
    mentions_mark_read(access_of(carol, org))
    comment_add(access=access_of(bob, org), target=objective, body="@carol second")
    api = api_for(client, carol, org)
    unread = api.get(f"/orgs/{org.slug}/mentions", unread="true")
    every = api.get(f"/orgs/{org.slug}/mentions")
    assert [m["comment"]["body"] for m in unread.data] == ["@carol second"]
    assert [m["comment"]["body"] for m in every.data] == ["@carol second", "@carol first"]
    assert unread.data[0]["url"].startswith("http://testserver/acme/objectives/")
    assert api_for(client, bob, org).get(f"/orgs/{org.slug}/mentions").data == []


def test_activity_pages_with_a_fixed_number_of_queries(
    client, org, bob, key_result, django_assert_num_queries
):
    api = api_for(client, bob, org)

    def add(count):
        for n in range(count):
            checkin_record(key_result=key_result, value=n, by=bob)

    add(3)
    api.get(f"/orgs/{org.slug}/activity")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        api.get(f"/orgs/{org.slug}/activity")
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        first = api.get(f"/orgs/{org.slug}/activity")
    assert len(first.data["events"]) == 50
    assert (
        first.data["events"][0]["sentence"] == f"Bob Member checked in 59 on “{key_result.title}”"
    )
    older = api.get(f"/orgs/{org.slug}/activity", before=first.data["older"])
    assert older.data["older"] is None
    assert older.data["events"][0]["id"] < first.data["events"][-1]["id"]


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/acme/comments?target_kind=objective&target=x",
        "/orgs/acme/mentions",
        "/orgs/acme/activity",
    ],
)
def test_anonymous_callers_get_401(client, org, path):
    response = client.get(PREFIX + path)
    assert response.status_code == 401
    assert set(json.loads(response.content)) == {"error"}
