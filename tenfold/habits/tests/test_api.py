"""The habits endpoints of API v1, every response checked against the OpenAPI document: the
leaderboard on and off, kudos toggles and reads, refusals, and a query guard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.checkins.services import checkin_record
from tenfold.habits.models import Kudos

from .conftest import LAST_WEEK, THIS_WEEK, add_teams, fill_history, to_now, write_week

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body). GET and POST of /orgs/{org}/kudos share one address, so both names answer both.
EXPECTED = {
    ("api:get_habits", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_habits", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:get_kudos", "GET"): (401, 400, 400, 400, 400, 404),
    ("api:get_kudos", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:toggle_kudos", "GET"): (401, 400, 400, 400, 400, 404),
    ("api:toggle_kudos", "POST"): (401, 400, 400, 400, 400, 404),
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


def api_of(client, user, org):
    return OpenApiClient(client, token_for(user, org))


@pytest.fixture
def checkin(key_result, bob):
    return checkin_record(key_result=key_result, value=30, by=bob)


def test_when_off_the_leaderboard_answers_200_without_teams(client, org, team, bob):
    response = api_of(client, bob, org).get(f"/orgs/{org.slug}/habits")
    assert response.status_code == 200
    assert (response.data["enabled"], response.data["teams"]) == (False, [])
    assert "never" in response.data["policy"]


def test_when_on_teams_come_with_their_habits_only(
    clock, client, on, cycle, team, bob, carol, key_result
):
    write_week(on, bob, LAST_WEEK)
    to_now(clock)
    data = api_of(client, bob, on).get(f"/orgs/{on.slug}/habits").data
    (row,) = data["teams"]
    assert (data["enabled"], data["cycle"]["name"], data["week"]) == (True, "Q4 2026", "2026-11-09")
    assert (row["unit"]["code"], row["wrote"], row["people"]) == (team.code, 1, 2)
    assert row["checkin_streak"] == 0 and len(row["recent_weeks"]) == 8
    assert not [key for key in row if "progress" in key or "score" in key]


def test_sort_and_departments_are_parameters(clock, client, on, cycle, team, bob):
    to_now(clock)
    api = api_of(client, bob, on)
    data = api.get(f"/orgs/{on.slug}/habits", sort="participation", departments="true").data
    assert data["sort"] == "participation"
    assert {row["unit"]["name"] for row in data["teams"]} == {"Growth", "Product"}
    response = api.get(f"/orgs/{on.slug}/habits", sort="score")
    assert response.status_code == 400 and "sort" in response.data["error"]["fields"]


def test_the_leaderboard_runs_the_same_queries_for_3_teams_or_30(
    clock, client, on, cycle, company, team, bob
):
    _teams, users, krs = add_teams(on, company, cycle, 3)
    fill_history(on, krs, users, 3)
    to_now(clock)
    api = api_of(client, bob, on)
    api.get(f"/orgs/{on.slug}/habits")  # the first call records when the token was used
    with CaptureQueriesContext(connection) as few:
        api.get(f"/orgs/{on.slug}/habits")
    _teams, users, krs = add_teams(on, company, cycle, 27, prefix="More")
    fill_history(on, krs, users, 3)
    with CaptureQueriesContext(connection) as many:
        response = api.get(f"/orgs/{on.slug}/habits")
    assert len(response.data["teams"]) == 31
    assert len(many) == len(few)


def test_a_kudos_toggles_on_and_off(client, org, team, carol, checkin):
    api = api_of(client, carol, org)
    response = api.post(f"/orgs/{org.slug}/kudos", {"checkin": checkin.code})
    assert response.status_code == 200, response.data
    assert (response.data["on"], response.data["count"], response.data["mine"]) == (True, 1, True)
    response = api.post(f"/orgs/{org.slug}/kudos", {"checkin": checkin.code})
    assert (response.data["on"], response.data["count"]) == (False, 0)
    assert not Kudos.objects.exists()


def test_kudos_of_a_target_are_read_with_a_code(client, org, team, alice, carol, bob):
    item = write_week(org, bob, THIS_WEEK)
    api_of(client, carol, org).post(f"/orgs/{org.slug}/kudos", {"item": item.code})
    data = api_of(client, alice, org).get(f"/orgs/{org.slug}/kudos", item=item.code).data
    assert data == {
        "target_kind": "item",
        "target": item.code,
        "count": 1,
        "mine": False,
        "can_give": True,
    }
    data = api_of(client, bob, org).get(f"/orgs/{org.slug}/kudos", item=item.code).data
    assert (data["count"], data["can_give"]) == (1, False)  # his own item


@pytest.mark.parametrize("body", [{}, {"checkin": "a", "item": "b"}, {"checkin": " "}])
def test_exactly_one_target_is_named(client, org, team, carol, body):
    response = api_of(client, carol, org).post(f"/orgs/{org.slug}/kudos", body)
    assert response.status_code == 400
    assert "exactly one" in response.data["error"]["message"]


def test_own_work_is_refused_with_a_message(client, org, team, bob, checkin):
    response = api_of(client, bob, org).post(f"/orgs/{org.slug}/kudos", {"checkin": checkin.code})
    assert response.status_code == 400
    assert "your own check-in" in response.data["error"]["fields"]["target"][0]


def test_a_viewer_is_refused(client, org, team, victor, checkin):
    response = api_of(client, victor, org).post(
        f"/orgs/{org.slug}/kudos", {"checkin": checkin.code}
    )
    assert response.status_code == 403


def test_another_organizations_target_is_not_found(client, org, team, other_org, mallory, checkin):
    api = api_of(client, mallory, other_org)
    assert api.post(f"/orgs/{other_org.slug}/kudos", {"checkin": checkin.code}).status_code == 404
    assert api.get(f"/orgs/{other_org.slug}/kudos", checkin=checkin.code).status_code == 404
    assert api.get(f"/orgs/{org.slug}/habits").status_code == 404  # the token's org only
