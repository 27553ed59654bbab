"""The health check endpoints of API v1, every response checked against the OpenAPI
document."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.coach.health import as_dict, org_health, unit_health

from .test_health_queries import count_queries, populate

NOW = "2026-11-15 12:00:00+00:00"
PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows for tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
EXPECTED = {
    ("api:org_health", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:org_health", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:unit_health", "GET"): (401, 200, 403, 200, 403, 404),
    ("api:unit_health", "POST"): (405, 405, 405, 405, 405, 405),
}


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, objective, other_org, name, method
):
    kwargs = {"org": org.slug}
    if name == "api:unit_health":
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


def plain(data: Any) -> Any:
    """What the report looks like once it went through JSON."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def test_the_organization_report_has_the_numbers_of_the_page(
    client, org, team, cycle, objective, alice
):
    api = OpenApiClient(client, token_for(alice, org))
    response = api.get(f"/orgs/{org.slug}/health")
    assert response.status_code == 200
    assert response.data == plain(as_dict(org_health(org, cycle)))
    by_key = {s["key"]: s for s in response.data["signals"]}
    assert by_key["company_objectives"]["state"] == "problem"
    assert by_key["company_objectives"]["nudge_url"].startswith(f"/{org.slug}/objectives/new/")
    assert response.data["cycle"]["code"] == cycle.code
    assert [u["code"] for u in response.data["weakest_units"]] == [team.code, team.parent.code]


def test_a_lead_reads_the_report_of_their_team(client, org, team, cycle, objective, carol):
    api = OpenApiClient(client, token_for(carol, org))
    response = api.get(f"/orgs/{org.slug}/units/{team.code}/health", cycle=cycle.code)
    assert response.status_code == 200
    assert response.data == plain(as_dict(unit_health(org, team, cycle)))
    assert response.data["unit"] == {"code": team.code, "name": "Growth"}


def test_refusals_use_the_error_shape(client, org, team, cycle, alice, bob):
    api = OpenApiClient(client, token_for(alice, org))
    response = api.get(f"/orgs/{org.slug}/health", cycle="nope")
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "cycle": ["No cycle of this organization has that code."]
    }
    assert api.get(f"/orgs/{org.slug}/units/nope/health").status_code == 404
    member = OpenApiClient(client, token_for(bob, org))
    response = member.get(f"/orgs/{org.slug}/units/{team.code}/health")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"


def test_an_organization_without_cycles_answers_an_empty_report(client, org, alice):
    api = OpenApiClient(client, token_for(alice, org))
    response = api.get(f"/orgs/{org.slug}/health")
    assert response.status_code == 200
    assert (response.data["cycle"], response.data["score"], response.data["grade"]) == (
        None,
        None,
        "unknown",
    )


def test_the_endpoints_run_a_constant_number_of_queries(client, org, company, team, cycle, alice):
    api = OpenApiClient(client, token_for(alice, org))
    populate(org, cycle, company, teams=2, people_per_team=2)
    api.get(f"/orgs/{org.slug}/health")  # the token's first use is recorded once
    small = count_queries(lambda: api.get(f"/orgs/{org.slug}/health"))
    populate(org, cycle, company, teams=15, people_per_team=4)
    assert count_queries(lambda: api.get(f"/orgs/{org.slug}/health")) == small
