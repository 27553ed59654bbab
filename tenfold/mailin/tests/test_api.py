"""GET /api/v1/orgs/{org}/inbound-messages, every response checked against the OpenAPI
document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.mailin.models import InboundMessage
from tenfold.mailin.services import reply_apply

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows for tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
EXPECTED = {
    ("api:list_inbound_messages", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:list_inbound_messages", "POST"): (405, 405, 405, 405, 405, 405),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, name, method
):
    url = reverse(name, kwargs={"org": org.slug})
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_admins_read_what_each_reply_added_or_why_it_was_refused(
    client, org, alice, bob, key_result, reply
):
    reply_apply(raw=reply(f"Plans: one\nKR {key_result.code}: 30 confidence 6"))
    reply_apply(raw=reply("Plans: two", sender="elsewhere@example.net"))
    reply_apply(raw=reply("KR zz9zz9zz9z: 1"))
    api = OpenApiClient(client, token_for(alice, org))
    response = api.get(f"/orgs/{org.slug}/inbound-messages")
    assert response.status_code == 200
    refused, other_sender, applied = response.data
    assert applied["status"] == "applied" and applied["person"]["email"] == bob.email
    assert applied["items"][0]["category"] == "plans" and applied["items"][0]["text"] == "one"
    assert applied["checkins"] == [{"key_result": key_result.code, "value": "30", "confidence": 6}]
    assert applied["week"] == "2026-11-16"
    assert other_sender["sender"] == "elsewhere@example.net" and other_sender["warnings"]
    assert (refused["status"], refused["reason"]) == ("rejected", "invalid")
    assert "zz9zz9zz9z" in refused["error"]


def test_members_are_refused_in_the_error_shape(client, org, team, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.get(f"/orgs/{org.slug}/inbound-messages")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"


def test_another_organizations_token_finds_nothing(client, org, other_org, mallory):
    InboundMessage.objects.create(organization=org, status="applied", message_id="a@x")
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{org.slug}/inbound-messages").status_code == 404
    assert api.get(f"/orgs/{other_org.slug}/inbound-messages").data == []
