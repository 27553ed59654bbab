"""The feed endpoints of API v1, every response checked against the OpenAPI document: read,
set, test, sync, rotate, push and delete; refusals; secrets never returned."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import PREFIX, OpenApiClient, token_for
from tenfold.checkins.models import CheckIn
from tenfold.feeds.models import DataSource

from .conftest import json_answer

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# Rows for tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body); the key
# result has a push feed. GET, PUT and DELETE share one address, so those three names answer
# alike.
EXPECTED = {
    ("api:get_key_result_feed", "GET"): (401, 200, 200, 200, 403, 404),
    ("api:get_key_result_feed", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:set_key_result_feed", "GET"): (401, 200, 200, 200, 403, 404),
    ("api:set_key_result_feed", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:delete_key_result_feed", "GET"): (401, 200, 200, 200, 403, 404),
    ("api:delete_key_result_feed", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:test_key_result_feed", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:test_key_result_feed", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:sync_key_result_feed", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:sync_key_result_feed", "POST"): (401, 400, 400, 400, 403, 404),
    ("api:rotate_key_result_feed_token", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:rotate_key_result_feed_token", "POST"): (401, 200, 200, 200, 403, 404),
    ("api:push_key_result_feed", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:push_key_result_feed", "POST"): (401, 400, 400, 400, 400, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, key_result, push_feed, name, method
):
    url = reverse(name, kwargs={"org": org.slug, "code": key_result.code})
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_operation_is_in_the_table():
    from tenfold.api.feeds import router

    names = {
        f"api:{op.view_func.__name__}"
        for path in router.path_operations.values()
        for op in path.operations
    }
    assert names == {name for name, _method in EXPECTED}


class FeedClient(OpenApiClient):
    def put(self, path, data):
        response = self.client.put(
            PREFIX + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )
        return self._check("put", path, response)

    def delete(self, path):
        response = self.client.delete(PREFIX + path, headers=self._headers())
        return self._check("delete", path, response)


def api_of(client, user, org):
    return FeedClient(client, token_for(user, org))


def path_of(org, kr, tail=""):
    return f"/orgs/{org.slug}/key-results/{kr.code}/feed{tail}"


def test_setting_up_reading_and_deleting_a_url_feed(client, org, key_result, carol, receiver):
    api = api_of(client, carol, org)
    assert api.get(path_of(org, key_result)).status_code == 404
    created = api.put(
        path_of(org, key_result),
        {
            "kind": "url",
            "url": receiver.url("/m.json"),
            "format": "json",
            "path": "$.data.total",
            "headers": {"Authorization": "Bearer api-s3cret"},
            "schedule": "weekly",
            "hour": 7,
            "weekday": 4,
        },
    )
    assert created.status_code == 201
    data = created.data
    assert (data["kind"], data["path"], data["schedule"], data["hour"], data["weekday"]) == (
        "url",
        "$.data.total",
        "weekly",
        7,
        4,
    )
    assert data["header_names"] == ["Authorization"] and data["token"] is None
    assert "api-s3cret" not in json.dumps(data)
    changed = api.put(path_of(org, key_result), {"kind": "url", "schedule": "hourly"})
    assert changed.status_code == 200
    assert (changed.data["schedule"], changed.data["path"]) == ("hourly", "$.data.total")
    assert DataSource.objects.get().headers == {"Authorization": "Bearer api-s3cret"}
    assert api.get(path_of(org, key_result)).data["code"] == data["code"]
    assert api.delete(path_of(org, key_result)).status_code == 204
    assert api.delete(path_of(org, key_result)).status_code == 404


def test_bad_settings_answer_400_with_fields(client, org, key_result, carol):
    api = api_of(client, carol, org)
    response = api.put(path_of(org, key_result), {"kind": "sql", "query": "DELETE FROM t"})
    assert response.status_code == 400
    fields = response.data["error"]["fields"]
    assert "connection" in fields and "SELECT or WITH" in fields["query"][0]
    assert not DataSource.objects.exists()


def test_viewers_and_other_organizations_are_refused(
    client, org, key_result, victor, mallory, other_org
):
    assert (
        api_of(client, victor, org).put(path_of(org, key_result), {"kind": "push"}).status_code
        == 403
    )
    assert (
        api_of(client, mallory, other_org)
        .put(path_of(org, key_result), {"kind": "push"})
        .status_code
        == 404
    )
    assert not DataSource.objects.exists()


def test_a_push_feed_gives_its_token_once_and_takes_values(client, org, key_result, bob, carol):
    api = api_of(client, carol, org)
    created = api.put(path_of(org, key_result), {"kind": "push"})
    token = created.data["token"]
    assert token.startswith(created.data["token_hint"].rstrip("…"))
    assert api.get(path_of(org, key_result)).data["token"] is None
    pushed = api_of(client, bob, org).post(
        path_of(org, key_result, "/values"), {"value": 27.5, "note": "from the API"}
    )
    assert pushed.status_code == 200
    assert (pushed.data["recorded"], pushed.data["value"]) == (True, "27.5")
    checkin = CheckIn.objects.get(code=pushed.data["checkin"])
    assert (checkin.author, checkin.source, checkin.note) == (bob, "integration", "from the API")
    same = api_of(client, bob, org).post(path_of(org, key_result, "/values"), {"value": "27.5"})
    assert (same.data["recorded"], same.data["checkin"]) == (False, None)
    rotated = api.post(path_of(org, key_result, "/token"), {})
    assert rotated.status_code == 200 and rotated.data["token"] not in (None, token)


def test_pushing_needs_the_right_to_check_in_and_a_number(
    client, org, key_result, push_feed, victor, bob
):
    refused = api_of(client, victor, org).post(path_of(org, key_result, "/values"), {"value": 1})
    assert refused.status_code == 403
    bad = api_of(client, bob, org).post(path_of(org, key_result, "/values"), {"value": "many"})
    assert bad.status_code == 400
    assert "“many” is not a number" in bad.data["error"]["fields"]["value"][0]
    assert not CheckIn.objects.exists()


def test_test_and_sync_a_pull(client, org, key_result, url_feed, carol, receiver):
    api = api_of(client, carol, org)
    tested = api.post(path_of(org, key_result, "/test"), {})
    assert tested.status_code == 200
    assert (tested.data["ok"], tested.data["value"], tested.data["recorded"]) == (
        True,
        "31.5",
        False,
    )
    other = api.post(
        path_of(org, key_result, "/test"),
        {"kind": "url", "url": receiver.url("/other.json"), "format": "json", "path": "n"},
    )
    assert other.data["ok"] is False and "HTTP status" not in other.data["message"]
    assert not CheckIn.objects.exists()
    synced = api.post(path_of(org, key_result, "/sync"), {})
    assert synced.status_code == 200
    assert (synced.data["recorded"], synced.data["feed"]["last_value"]) == (True, "31.5")
    assert KeyResult_current(key_result) == Decimal("31.5")
    receiver.answers["/metrics.json"] = json_answer("<html></html>")
    failed = api.post(path_of(org, key_result, "/sync"), {})
    assert failed.status_code == 200 and failed.data["ok"] is False
    assert failed.data["feed"]["last_status"] == "error"
    assert "web page" in failed.data["feed"]["last_error"]


def KeyResult_current(kr):
    from tenfold.okrs.models import KeyResult

    return KeyResult.objects.get(pk=kr.pk).current
