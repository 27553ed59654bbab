"""The calendar endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.calendars.selectors import person_feed_url, unit_feed_url

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
EXPECTED = {
    ("api:get_my_calendar", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_my_calendar", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:reset_my_calendar", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:reset_my_calendar", "POST"): (401, 200, 200, 200, 200, 404),
    ("api:get_unit_calendar", "GET"): (401, 200, 200, 200, 403, 404),
    ("api:get_unit_calendar", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:reset_unit_calendar", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:reset_unit_calendar", "POST"): (401, 200, 403, 200, 403, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, name, method
):
    kwargs = {"org": org.slug}
    if "unit" in name:
        kwargs["code"] = team.code
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
def api(client, org, team, bob) -> OpenApiClient:
    return OpenApiClient(client, token_for(bob, org))


def test_my_calendar_has_my_feed_and_my_teams(api, org, team, bob):
    data = api.get(f"/orgs/{org.slug}/calendar").data
    assert data["url"] == person_feed_url(org, bob)
    assert data["webcal"].startswith("webcal://")
    assert [(t["unit"]["code"], t["url"]) for t in data["teams"]] == [
        (team.code, unit_feed_url(org, team))
    ]
    assert data["teams"][0]["rhythm"] == {"weekday": 4, "hour": 10, "time_zone": "Europe/Berlin"}


def test_resetting_my_calendar_gives_a_new_url(api, org, bob):
    old = person_feed_url(org, bob)
    data = api.post(f"/orgs/{org.slug}/calendar/reset", {}).data
    assert data["url"] != old and data["url"] == person_feed_url(org, bob)


def test_a_unit_feed_for_members_and_its_reset_for_leads(api, client, org, team, carol):
    path = f"/orgs/{org.slug}/units/{team.code}/calendar"
    assert api.get(path).data["url"] == unit_feed_url(org, team)
    refused = api.post(path + "/reset", {})
    assert refused.status_code == 403 and refused.data["error"]["code"] == "forbidden"
    lead = OpenApiClient(client, token_for(carol, org))
    old = unit_feed_url(org, team)
    data = lead.post(path + "/reset", {}).data
    assert data["url"] != old and data["unit"]["code"] == team.code


def test_an_unknown_unit_is_404(api, org):
    assert api.get(f"/orgs/{org.slug}/units/nope/calendar").status_code == 404
