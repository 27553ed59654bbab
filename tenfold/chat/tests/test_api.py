"""The chat endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.chat.models import ChatChannel
from tenfold.chat.services import channel_create
from tenfold.notifications.testing import Answer

from .conftest import access_of

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body). list/add share a path (a unit's code); update/delete share one (a channel's code).
EXPECTED = {
    ("api:list_unit_chat", "GET"): (401, 200, 403, 200, 403, 404),
    ("api:list_unit_chat", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:add_unit_chat", "GET"): (401, 200, 403, 200, 403, 404),
    ("api:add_unit_chat", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:update_chat_channel", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:update_chat_channel", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:delete_chat_channel", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:delete_chat_channel", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:test_chat_channel", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:test_chat_channel", "POST"): (401, 200, 403, 200, 403, 404),
}


@pytest.fixture
def blocked(org, team, carol):
    return channel_create(
        access=access_of(org, carol),
        unit=team,
        provider="slack",
        name="#growth",
        url="http://127.0.0.1:9/hook",
    )


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, blocked, name, method
):
    code = team.code if "unit" in name else blocked.code
    url = reverse(name, kwargs={"org": org.slug, "code": code})
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


@pytest.fixture
def api(client, org, team, carol) -> OpenApiClient:
    return OpenApiClient(client, token_for(carol, org))


def call(api: OpenApiClient, method: str, path: str, data=None):
    kwargs = {"headers": api._headers()}
    if data is not None:
        kwargs.update(data=json.dumps(data), content_type="application/json")
    response = getattr(api.client, method)("/api/v1" + path, **kwargs)
    return api._check(method, path, response)


def test_a_lead_adds_lists_changes_and_removes_a_channel(api, org, team):
    base = f"/orgs/{org.slug}/units/{team.code}/chat-channels"
    created = api.post(
        base,
        {
            "provider": "teams",
            "name": "Growth",
            "url": "https://acme.webhook.office.com/webhookb2/abcd1234",
        },
    )
    assert created.status_code == 201
    data = created.data
    assert data["kinds"] == ["weekly", "team_digest", "at_risk"]
    assert data["url_hint"] == "acme.webhook.office.com/…1234"
    assert "url" not in data  # write-only
    listed = api.get(base)
    assert [c["code"] for c in listed.data] == [data["code"]]
    changed = call(
        api, "patch", f"/orgs/{org.slug}/chat-channels/{data['code']}", {"kinds": ["at_risk"]}
    )
    assert changed.status_code == 200 and changed.data["kinds"] == ["at_risk"]
    assert changed.data["name"] == "Growth"
    removed = call(api, "delete", f"/orgs/{org.slug}/chat-channels/{data['code']}")
    assert removed.status_code == 204
    assert not ChatChannel.objects.exists()


def test_bad_input_gets_the_error_shape_and_writes_nothing(api, org, team):
    response = api.post(
        f"/orgs/{org.slug}/units/{team.code}/chat-channels",
        {"provider": "slack", "name": "x", "url": "hooks.slack.com", "kinds": ["weekly", "bogus"]},
    )
    assert response.status_code == 400
    fields = response.data["error"]["fields"]
    assert set(fields) == {"url", "kinds"}
    assert not ChatChannel.objects.exists()


def test_a_member_may_not_list_a_units_channels(client, org, team, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.get(f"/orgs/{org.slug}/units/{team.code}/chat-channels")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"


def test_an_unknown_unit_is_404(api, org):
    assert api.get(f"/orgs/{org.slug}/units/nope/chat-channels").status_code == 404


def test_the_test_endpoint_says_whether_it_arrived(api, org, slack, receiver):
    path = f"/orgs/{org.slug}/chat-channels/{slack.code}/test"
    ok = api.post(path, {})
    assert ok.data == {"sent": True, "error": "", "warning": ok.data["warning"]}
    assert "127.0.0.1" in ok.data["warning"]  # loopback is not where Slack lives
    receiver.wait_for(1)
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(500, b"nope")
    failed = api.post(path, {})
    assert failed.data["sent"] is False
    assert failed.data["error"] == "Slack answered with status 500: nope"
    listed = api.get(f"/orgs/{org.slug}/units/{slack.unit.code}/chat-channels")
    assert listed.data[0]["last_error"] == "Slack answered with status 500: nope"


def test_listing_costs_the_same_for_many_channels(
    api, org, team, carol, django_assert_max_num_queries
):
    for n in range(6):
        channel_create(
            access=access_of(org, carol),
            unit=team,
            provider="slack",
            name=f"#c{n}",
            url=f"https://hooks.slack.com/services/{n}",
        )
    with django_assert_max_num_queries(10):
        response = api.get(f"/orgs/{org.slug}/units/{team.code}/chat-channels")
    assert len(response.data) == 6
