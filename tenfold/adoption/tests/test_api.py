"""The adoption endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenfold.adoption.models import ChecklistItem
from tenfold.adoption.services import item_add, item_update
from tenfold.api.tests.conftest import OpenApiClient, token_for

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body); {code} is a checklist step owned by alice.
EXPECTED = {
    ("api:get_adoption", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_adoption", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:set_adoption_shape", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:set_adoption_shape", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:check_adoption_step", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:check_adoption_step", "POST"): (401, 200, 403, 403, 403, 404),
    ("api:uncheck_adoption_step", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:uncheck_adoption_step", "POST"): (401, 200, 403, 403, 403, 404),
    ("api:update_adoption_step", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:update_adoption_step", "POST"): (405, 405, 405, 405, 405, 405),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, step, name, method
):
    kwargs = {"org": org.slug}
    if "step" in name:
        kwargs["code"] = step.code
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
def admin_api(client, org, team, alice) -> OpenApiClient:
    return OpenApiClient(client, token_for(alice, org))


def test_reading_lays_out_the_checklist_and_gives_the_policy(client, org, team, victor):
    api = OpenApiClient(client, token_for(victor, org))
    data = api.get(f"/orgs/{org.slug}/adoption").data
    assert data["shape"] == "everyone" and data["pilot_unit"] is None
    assert data["policy"]["first_cycle"] is True
    assert data["policy"]["max_objectives_per_team"] == 1
    assert data["progress"] == {"done": 0, "total": 9, "overdue": 0}
    assert [s["key"] for s in data["checklist"]][:3] == ["learn", "examples", "levels"]
    assert data["checklist"][3]["link"] == f"/{org.slug}/planning/"


def test_an_admin_sets_a_pilot_shape(admin_api, org, team):
    response = admin_api.post(
        f"/orgs/{org.slug}/adoption/shape", {"shape": "pilot", "pilot_unit": team.code}
    )
    assert response.status_code == 200, response.data
    assert response.data["shape"] == "pilot"
    assert response.data["pilot_unit"]["code"] == team.code
    teams = next(s for s in response.data["checklist"] if s["key"] == "teams")
    assert teams["title"] == "The pilot team drafts its one objective"


def test_a_bad_shape_gets_the_error_shape(admin_api, org, team):
    response = admin_api.post(f"/orgs/{org.slug}/adoption/shape", {"shape": "pilot"})
    assert response.status_code == 400
    assert "pilot_unit" in response.data["error"]["fields"]
    unknown = admin_api.post(
        f"/orgs/{org.slug}/adoption/shape", {"shape": "pilot", "pilot_unit": "nope"}
    )
    assert unknown.status_code == 400
    org.refresh_from_db()
    assert org.rollout == "everyone"


def test_a_lead_may_not_set_the_shape(client, org, team, carol):
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(f"/orgs/{org.slug}/adoption/shape", {"shape": "leads"})
    assert response.status_code == 403


def test_the_owner_of_a_step_ticks_it_off_and_on(client, org, step, alice, bob):
    item_update(item=step, by=alice, owner=bob)
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(f"/orgs/{org.slug}/adoption/steps/{step.code}/check", {})
    assert response.status_code == 200, response.data
    assert response.data["done"] is True and response.data["done_by"]["email"] == bob.email
    response = api.post(f"/orgs/{org.slug}/adoption/steps/{step.code}/uncheck", {})
    assert response.data["done"] is False and response.data["done_at"] is None


def test_a_member_may_not_tick_someone_elses_step(client, org, step, bob):
    api = OpenApiClient(client, token_for(bob, org))
    assert api.post(f"/orgs/{org.slug}/adoption/steps/{step.code}/check", {}).status_code == 403
    step.refresh_from_db()
    assert step.done_at is None


def patch(api, path, data):
    import json

    response = api.client.patch(
        "/api/v1" + path,
        json.dumps(data),
        content_type="application/json",
        headers=api._headers(),
    )
    return api._check("patch", path, response)


def test_an_admin_updates_only_the_fields_sent(admin_api, org, step, carol):
    path = f"/orgs/{org.slug}/adoption/steps/{step.code}"
    response = patch(admin_api, path, {"owner": carol.email, "due": "2026-12-01"})
    assert response.status_code == 200, response.data
    assert response.data["owner"]["email"] == carol.email and response.data["due"] == "2026-12-01"
    response = patch(admin_api, path, {"note": "After the offsite"})
    assert response.data["owner"]["email"] == carol.email
    assert response.data["note"] == "After the offsite" and response.data["version"] == 3
    response = patch(admin_api, path, {"owner": None})
    assert response.data["owner"] is None


def test_a_stale_version_is_a_conflict(admin_api, org, step, alice):
    item_update(item=step, by=alice, note="first")
    path = f"/orgs/{org.slug}/adoption/steps/{step.code}"
    response = patch(admin_api, path, {"note": "second", "expected_version": 1})
    assert response.status_code == 409 and response.data["error"]["code"] == "conflict"


def test_bad_updates_get_the_error_shape_and_write_nothing(admin_api, org, step, victor):
    path = f"/orgs/{org.slug}/adoption/steps/{step.code}"
    for data, field in (
        ({"owner": "nobody@example.com"}, "owner"),
        ({"owner": victor.email}, "owner"),
        ({"title": "Rename a standard step"}, "title"),
        ({"note": "n" * 501}, "note"),
    ):
        response = patch(admin_api, path, data)
        assert response.status_code == 400 and field in response.data["error"]["fields"]
    step.refresh_from_db()
    assert step.version == 1


def test_a_custom_steps_title_can_change(admin_api, org, programme, alice):
    item = item_add(organization=org, title="Tell the board", by=alice)
    response = patch(admin_api, f"/orgs/{org.slug}/adoption/steps/{item.code}", {"title": "Tell"})
    assert response.data["title"] == "Tell" and response.data["custom"] is True


def test_another_organizations_step_is_not_found(client, org, step, other_org, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    path = f"/orgs/{other_org.slug}/adoption/steps/{step.code}/check"
    assert api.post(path, {}).status_code == 404


def test_reading_takes_the_same_queries_for_nine_steps_or_fifty(
    admin_api, org, programme, alice, bob, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin_api.get(f"/orgs/{org.slug}/adoption")
    with CaptureQueriesContext(connection) as few:
        admin_api.get(f"/orgs/{org.slug}/adoption")
    for n in range(41):
        item_add(organization=org, title=f"Extra {n}", owner=bob, by=alice)
    ChecklistItem.objects.filter(programme=programme).update(done_by=bob)
    with CaptureQueriesContext(connection) as many:
        data = admin_api.get(f"/orgs/{org.slug}/adoption").data
    assert len(data["checklist"]) == 50 and len(many) == len(few)
    with django_assert_max_num_queries(15):
        admin_api.get(f"/orgs/{org.slug}/adoption")
