"""GET /api/v1/orgs/{org}/search: the same quick search as the palette, in the API's shapes.
Every answer is checked against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.okrs.models import Objective
from tenfold.okrs.services import objective_create

from .conftest import OpenApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_quarter() -> Any:
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=False):
        yield


def api(client: Any, user: Any, org: Any) -> OpenApiClient:
    return OpenApiClient(client, token_for(user, org))


def test_it_finds_each_kind_with_its_page(client, org, team, objective, key_result, bob) -> None:
    response = api(client, bob, org).get("/orgs/acme/search", q="growth")
    assert response.status_code == 200
    assert response.data["query"] == "growth"
    assert response.data["cycle"] == {"code": objective.cycle.code, "name": "Q4 2026"}
    assert response.data["units"] == [
        {
            "kind": "unit",
            "code": team.code,
            "title": "Growth",
            "context": "Team · Product",
            "cycle": None,
            "current_cycle": False,
            "url": f"http://testserver/acme/units/{team.code}/",
        }
    ]
    assert response.data["objectives"] == response.data["key_results"] == []
    assert response.data["more"] == {
        "objectives": False,
        "key_results": False,
        "people": False,
        "units": False,
    }
    found = api(client, bob, org).get("/orgs/acme/search", q="raise ACTIVATION").data
    assert [(h["kind"], h["code"], h["context"]) for h in found["key_results"]] == [
        ("key_result", key_result.code, "Customers love onboarding · Growth · Q4 2026")
    ]
    assert found["key_results"][0]["current_cycle"] is True
    people = api(client, bob, org).get("/orgs/acme/search", q="carol").data["people"]
    assert [(h["title"], h["code"], h["context"]) for h in people] == [
        ("Carol Lead", str(team.members.get(is_lead=True).user_id), "Growth")
    ]


def test_the_limit_caps_each_kind_and_more_says_so(client, org, cycle, team, alice, bob) -> None:
    for n in range(4):
        objective_create(organization=org, cycle=cycle, unit=team, title=f"Launch {n}", by=alice)
    data = api(client, bob, org).get("/orgs/acme/search", q="launch", limit="3").data
    assert [h["title"] for h in data["objectives"]] == ["Launch 0", "Launch 1", "Launch 2"]
    assert data["more"]["objectives"] is True
    data = api(client, bob, org).get("/orgs/acme/search", q="launch").data
    assert len(data["objectives"]) == 4 and data["more"]["objectives"] is False


def test_private_objectives_stay_hidden(client, org, cycle, team, alice, bob, carol) -> None:
    objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Secret pricing",
        visibility="private",
        lead=carol,
        by=carol,
    )
    assert api(client, bob, org).get("/orgs/acme/search", q="pricing").data["objectives"] == []
    found = api(client, carol, org).get("/orgs/acme/search", q="pricing").data["objectives"]
    assert [h["title"] for h in found] == ["Secret pricing"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "Type a few letters of a title, a name or a code to search for."),
        ({"q": "   "}, "q", "Type a few letters of a title, a name or a code to search for."),
        ({"q": "x" * 101}, "q", "Search for at most 100 characters (this has 101)."),
        ({"q": "growth", "limit": "0"}, "limit", "Input should be greater than or equal to 1"),
        ({"q": "growth", "limit": "26"}, "limit", "Input should be less than or equal to 25"),
        ({"q": "growth", "limit": "lots"}, "limit", None),
    ],
)
def test_bad_input_is_400_with_a_message(client, org, team, bob, params, field, message) -> None:
    response = api(client, bob, org).get("/orgs/acme/search", **params)
    assert response.status_code == 400
    error = response.data["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    if message is not None:
        assert error["fields"][field] == [message]


def test_a_nul_in_the_query_is_refused_by_the_api_guard(client, org, team, bob) -> None:
    response = api(client, bob, org).get("/orgs/acme/search", q="customers\x00love")
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {"q": ["Remove the NUL character (\\u0000)."]}


def test_another_organization_s_people_get_404(client, org, other_org, team, mallory) -> None:
    response = OpenApiClient(client, token_for(mallory, other_org)).get(
        "/orgs/acme/search", q="growth"
    )
    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"
    client.force_login(mallory)
    assert OpenApiClient(client).get("/orgs/acme/search", q="growth").status_code == 404


def test_signed_in_members_may_search_with_their_session(client, org, team, bob) -> None:
    client.force_login(bob)
    response = OpenApiClient(client).get("/orgs/acme/search", q="grow")
    assert response.status_code == 200
    assert [h["title"] for h in response.data["units"]] == ["Growth"]


def test_without_a_token_or_a_session_it_is_401(client, org) -> None:
    assert OpenApiClient(client).get("/orgs/acme/search", q="growth").status_code == 401


def test_it_runs_the_same_queries_however_many_objectives(
    client, org, cycle, team, objective, bob, django_assert_num_queries
) -> None:
    caller = api(client, bob, org)
    caller.get("/orgs/acme/search", q="goal")  # notes when the token was used, once a minute
    with CaptureQueriesContext(connection) as small:
        caller.get("/orgs/acme/search", q="goal")
    Objective.objects.bulk_create(
        Objective(organization=org, cycle=cycle, unit=team, title=f"Goal {n}", state="active")
        for n in range(300)
    )
    with django_assert_num_queries(len(small.captured_queries)):
        data = caller.get("/orgs/acme/search", q="goal").data
    assert len(data["objectives"]) == 8 and data["more"]["objectives"] is True
