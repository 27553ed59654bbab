"""The webhook endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.notifications.testing import Answer
from tenfold.webhooks import jobs, sending
from tenfold.webhooks.events import EVENT_KEYS
from tenfold.webhooks.models import Webhook, WebhookDelivery
from tenfold.webhooks.services import webhook_create

from .test_sending import NOW, queue

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
# Several operations share a path: list and create; get, update (PATCH) and delete.
EXPECTED = {
    ("api:list_webhook_event_types", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:list_webhook_event_types", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:list_webhooks", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:list_webhooks", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:create_webhook", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:create_webhook", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:get_one_webhook", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:get_one_webhook", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:update_webhook", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:update_webhook", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:delete_webhook", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:delete_webhook", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:rotate_webhook_secret", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:rotate_webhook_secret", "POST"): (401, 200, 403, 403, 403, 404),
    ("api:list_webhook_deliveries", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:list_webhook_deliveries", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:test_webhook", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:test_webhook", "POST"): (401, 200, 403, 403, 403, 404),
    ("api:redeliver_webhook", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:redeliver_webhook", "POST"): (401, 400, 400, 400, 400, 404),
}


@pytest.fixture
def nowhere(org, alice) -> Webhook:
    return webhook_create(organization=org, name="Nowhere", url="http://127.0.0.1:9/hook", by=alice)


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, nowhere, name, method
):
    kwargs = {"org": org.slug}
    if name not in ("api:list_webhooks", "api:create_webhook", "api:list_webhook_event_types"):
        kwargs["code"] = nowhere.code
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


@pytest.fixture
def api(client, org, team, alice) -> OpenApiClient:
    return OpenApiClient(client, token_for(alice, org))


@pytest.fixture
def member_api(client, org, team, bob) -> OpenApiClient:
    return OpenApiClient(client, token_for(bob, org))


def send(api: OpenApiClient, method: str, path: str, data=None):
    call = getattr(api.client, method)
    if data is None:
        response = call("/api/v1" + path, headers=api._headers())
    else:
        response = call(
            "/api/v1" + path,
            json.dumps(data),
            content_type="application/json",
            headers=api._headers(),
        )
    return api._check(method, path, response)


# --- the webhook's life -----------------------------------------------------------------------


def test_create_read_change_and_delete(api, org, alice):
    created = api.post(
        f"/orgs/{org.slug}/webhooks",
        {"name": "Warehouse", "url": "https://dw.example.com/in", "event_types": ["cycle.closed"]},
    )
    assert created.status_code == 201
    code = created.data["code"]
    assert created.data["secret"].startswith("whsec_")
    assert created.data["event_types"] == ["cycle.closed"]
    assert created.data["created_by"] == {"name": "Alice Owner", "email": "alice@example.com"}
    listed = api.get(f"/orgs/{org.slug}/webhooks")
    assert [row["code"] for row in listed.data] == [code]
    assert "secret" not in listed.data[0]
    one = api.get(f"/orgs/{org.slug}/webhooks/{code}")
    assert one.data["secret"] == created.data["secret"]
    changed = send(
        api, "patch", f"/orgs/{org.slug}/webhooks/{code}", {"active": False, "event_types": []}
    )
    assert changed.status_code == 200
    assert (changed.data["active"], changed.data["event_types"]) == (False, [])
    assert changed.data["name"] == "Warehouse"
    rotated = api.post(f"/orgs/{org.slug}/webhooks/{code}/rotate-secret", {})
    assert rotated.data["secret"] != created.data["secret"]
    assert send(api, "delete", f"/orgs/{org.slug}/webhooks/{code}").status_code == 204
    assert not Webhook.objects.exists()
    assert api.get(f"/orgs/{org.slug}/webhooks/{code}").status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "url": "https://example.com/"}, "name"),
        ({"name": "X", "url": "gopher://example.com/"}, "url"),
        ({"name": "X", "url": "https://example.com/", "event_types": ["nope"]}, "event_types"),
        ({"name": "X"}, "url"),
    ],
)
def test_bad_input_is_refused_field_by_field(api, org, data, field):
    response = api.post(f"/orgs/{org.slug}/webhooks", data)
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]
    assert not Webhook.objects.exists()


def test_a_change_with_null_or_bad_values_changes_nothing(api, org, nowhere):
    path = f"/orgs/{org.slug}/webhooks/{nowhere.code}"
    response = send(api, "patch", path, {"name": None, "url": "https://ok.example/"})
    assert response.status_code == 400 and "name" in response.data["error"]["fields"]
    response = send(api, "patch", path, {"url": "nonsense"})
    assert response.status_code == 400
    nowhere.refresh_from_db()
    assert nowhere.url == "http://127.0.0.1:9/hook"


def test_members_may_not_touch_webhooks(member_api, org, nowhere):
    assert member_api.get(f"/orgs/{org.slug}/webhooks").status_code == 403
    response = member_api.post(
        f"/orgs/{org.slug}/webhooks", {"name": "Mine", "url": "https://example.com/"}
    )
    assert response.status_code == 403
    assert (
        send(member_api, "delete", f"/orgs/{org.slug}/webhooks/{nowhere.code}").status_code == 403
    )
    assert Webhook.objects.count() == 1


def test_the_event_types_are_listed_with_descriptions(member_api, org):
    rows = member_api.get(f"/orgs/{org.slug}/webhook-event-types").data
    assert [row["type"] for row in rows] == list(EVENT_KEYS)
    assert all(row["description"] for row in rows)


# --- deliveries -------------------------------------------------------------------------------


def test_test_event_then_the_log(api, org, webhook, receiver):
    tested = api.post(f"/orgs/{org.slug}/webhooks/{webhook.code}/test", {})
    assert tested.status_code == 200
    assert (tested.data["status"], tested.data["response_status"]) == ("succeeded", 200)
    assert tested.data["payload"]["type"] == "webhook.test"
    log = api.get(f"/orgs/{org.slug}/webhooks/{webhook.code}/deliveries")
    assert [row["code"] for row in log.data] == [tested.data["code"]]
    assert log.data[0]["event_id"] == receiver.wait_for(1)[0].headers["webhook-id"]


def test_the_log_filters_by_status_and_checks_its_parameters(
    api, org, webhook, receiver, monkeypatch
):
    monkeypatch.setattr(sending, "BACKOFF", ())
    receiver.answers["/hook"] = Answer(status=500)
    queue(webhook, n=1)
    jobs.run_due(NOW)
    queue(webhook, n=2)
    path = f"/orgs/{org.slug}/webhooks/{webhook.code}/deliveries"
    assert [row["status"] for row in api.get(path, status="failed").data] == ["failed"]
    assert [row["status"] for row in api.get(path, status="pending").data] == ["pending"]
    assert len(api.get(path, limit=1).data) == 1
    assert api.get(path, status="lost").status_code == 400
    assert api.get(path, limit=500).status_code == 400


def test_a_failed_delivery_is_sent_again(api, org, webhook, receiver, monkeypatch):
    monkeypatch.setattr(sending, "BACKOFF", ())
    receiver.answers["/hook"] = Answer(status=500)
    delivery = queue(webhook)
    jobs.run_due(NOW)
    receiver.answers["/hook"] = Answer(status=200)
    path = f"/orgs/{org.slug}/webhooks/{webhook.code}/redeliver"
    again = api.post(path, {"delivery": delivery.event_id})
    assert again.status_code == 200 and again.data["status"] == "succeeded"
    assert again.data["attempts"] == 2
    refused = api.post(path, {"delivery": delivery.code})
    assert refused.status_code == 400  # it succeeded: nothing to send again
    assert api.post(path, {"delivery": "nosuchcode"}).status_code == 404
    assert WebhookDelivery.objects.get().attempts == 2
