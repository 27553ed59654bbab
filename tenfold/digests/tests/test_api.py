"""The digest endpoints of API v1, every response checked against the OpenAPI document: the
digest as data, and subscribers for admins."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.digests.models import Subscriber
from tenfold.digests.services import subscriber_add
from tenfold.habits.tests.test_scores_policy import json_violations

from .conftest import LAST_WEEK, access_of

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows for tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body). The
# subscriber's GET, PATCH and DELETE share one path, so their rows are the same.
ONE = {"GET": (401, 200, 403, 403, 403, 404), "POST": (405, 405, 405, 405, 405, 405)}
EXPECTED = {
    ("api:get_digest", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_digest", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:list_subscribers", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:list_subscribers", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:create_subscriber", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:create_subscriber", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:get_one_subscriber", "GET"): ONE["GET"],
    ("api:get_one_subscriber", "POST"): ONE["POST"],
    ("api:update_subscriber", "GET"): ONE["GET"],
    ("api:update_subscriber", "POST"): ONE["POST"],
    ("api:delete_subscriber", "GET"): ONE["GET"],
    ("api:delete_subscriber", "POST"): ONE["POST"],
    ("api:preview_subscriber", "GET"): ONE["GET"],
    ("api:preview_subscriber", "POST"): ONE["POST"],
}


@pytest.fixture
def investor(org, team, alice) -> Subscriber:
    return subscriber_add(access=access_of(org, alice), email="ivy@example.org")


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, investor, name, method
):
    kwargs = {"org": org.slug}
    if "subscriber" in name and name not in ("api:list_subscribers", "api:create_subscriber"):
        kwargs["code"] = investor.code
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


def call(api: OpenApiClient, method: str, path: str, data=None):
    import json

    response = getattr(api.client, method)(
        "/api/v1" + path,
        json.dumps(data) if data is not None else None,
        content_type="application/json",
        headers=api._headers(),
    )
    return api._check(method, path, response)


# --- the digest -----------------------------------------------------------------------------------


def test_a_team_digest_as_data(client, story, org, team, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.get(f"/orgs/{org.slug}/digest", unit=team.code, week="2026-11-18")
    assert response.status_code == 200
    data = response.data
    assert (data["kind"], data["unit"]["code"], data["week"]) == ("team", team.code, "2026-11-16")
    assert [row["key_result"] for row in data["moved"]] == [
        story["reviews"].code,
        story["activation"].code,
        story["nps"].code,
    ]
    assert data["moved"][1]["before_value"] == "25" and data["moved"][1]["value"] == "34"
    assert data["at_risk"][0]["key_result"] == story["nps"].code
    assert data["at_risk"][0]["owner"] == "Bob Member"
    assert data["problems"][0]["weeks_open"] == 2
    assert data["summary"]["key_results"]["stale"] == 1
    assert json_violations(data) == []


def test_the_company_digest_is_for_everyone(client, story, org, victor):
    api = OpenApiClient(client, token_for(victor, org))
    data = api.get(f"/orgs/{org.slug}/digest", week=LAST_WEEK.isoformat()).data
    assert data["kind"] == "company" and data["unit"] is None
    assert data["teams_needing_help"][0]["team"] == "Growth"
    assert data["plans"] == []


def test_a_team_digest_refuses_outsiders(client, story, org, team, victor):
    api = OpenApiClient(client, token_for(victor, org))
    response = api.get(f"/orgs/{org.slug}/digest", unit=team.code)
    assert response.status_code == 403


@pytest.mark.parametrize(("query", "field"), [({"week": "soon"}, "week"), ({"unit": "x"}, "unit")])
def test_bad_parameters_answer_400_naming_the_field(api, story, org, query, field):
    response = api.get(f"/orgs/{org.slug}/digest", **query)
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]


# --- subscribers ----------------------------------------------------------------------------------


def test_an_admin_lists_adds_changes_and_removes_subscribers(api, org, team):
    created = api.post(
        f"/orgs/{org.slug}/subscribers",
        {"email": "Board@Example.org", "unit": team.code, "sections": ["summary", "at_risk"]},
    )
    assert created.status_code == 201, created.data
    code = created.data["code"]
    assert created.data["email"] == "board@example.org"
    assert created.data["unit"]["code"] == team.code and created.data["include_names"] is False
    assert [row["code"] for row in api.get(f"/orgs/{org.slug}/subscribers").data] == [code]
    changed = call(
        api, "patch", f"/orgs/{org.slug}/subscribers/{code}", {"include_names": True, "unit": None}
    )
    assert changed.status_code == 200
    assert changed.data["include_names"] is True and changed.data["unit"] is None
    assert changed.data["sections"] == ["summary", "at_risk"]  # untouched
    assert api.get(f"/orgs/{org.slug}/subscribers/{code}").data["code"] == code
    assert call(api, "delete", f"/orgs/{org.slug}/subscribers/{code}").status_code == 204
    assert not Subscriber.objects.exists()


def test_bad_subscriber_input_answers_400_and_writes_nothing(api, org):
    response = api.post(f"/orgs/{org.slug}/subscribers", {"email": "nope", "sections": ["plans"]})
    assert response.status_code == 400
    assert {"email", "sections"} <= set(response.data["error"]["fields"])
    unknown_unit = api.post(
        f"/orgs/{org.slug}/subscribers", {"email": "x@example.org", "unit": "zz"}
    )
    assert unknown_unit.status_code == 400 and "unit" in unknown_unit.data["error"]["fields"]
    assert not Subscriber.objects.exists()


def test_members_may_not_manage_subscribers(client, org, team, bob, investor):
    api = OpenApiClient(client, token_for(bob, org))
    assert api.get(f"/orgs/{org.slug}/subscribers").status_code == 403
    assert api.post(f"/orgs/{org.slug}/subscribers", {"email": "x@example.org"}).status_code == 403
    assert call(api, "delete", f"/orgs/{org.slug}/subscribers/{investor.code}").status_code == 403
    assert Subscriber.objects.count() == 1


def test_the_preview_is_cut_to_the_subscribers_sections(api, story, org, alice):
    sub = subscriber_add(access=access_of(org, alice), email="x@example.org", sections=["at_risk"])
    data = api.get(f"/orgs/{org.slug}/subscribers/{sub.code}/preview").data
    assert [row["key_result"] for row in data["at_risk"]] == [story["nps"].code]
    assert data["at_risk"][0].get("owner") is None  # no names without the tick
    assert data["summary"] is None and data["moved"] is None and data["plans"] is None


def test_another_organizations_subscriber_is_not_found(client, org, investor, other_org, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{other_org.slug}/subscribers/{investor.code}").status_code == 404
