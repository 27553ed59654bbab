"""The KPI endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.kpis.models import Kpi, KpiValue
from tenfold.okrs.models import Objective

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
EXPECTED = {
    ("api:list_kpis", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:list_kpis", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:create_kpi", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:create_kpi", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:get_one_kpi", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_one_kpi", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:add_kpi_value", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:add_kpi_value", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:write_kpi_okr", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:write_kpi_okr", "POST"): (401, 400, 400, 400, 400, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, kpi, name, method
):
    kwargs = {"org": org.slug}
    if name not in ("api:list_kpis", "api:create_kpi"):
        kwargs["code"] = kpi.code
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
def api(client, org, team, carol) -> OpenApiClient:
    return OpenApiClient(client, token_for(carol, org))


def test_list_shows_health_and_latest_value(api, org, kpi):
    response = api.get(f"/orgs/{org.slug}/kpis")
    assert response.status_code == 200
    (row,) = response.data
    assert (row["code"], row["health"], Decimal(row["current"])) == (kpi.code, "unhealthy", 32)


def test_one_kpi_comes_with_its_history_newest_first(api, org, kpi):
    data = api.get(f"/orgs/{org.slug}/kpis/{kpi.code}").data
    assert [Decimal(v["value"]) for v in data["values"]] == [32, 35, 38, 41]
    assert data["objectives"] == []


def test_a_lead_creates_a_kpi_for_their_unit(api, org, team):
    response = api.post(
        f"/orgs/{org.slug}/kpis",
        {
            "name": "Reply time",
            "unit": team.code,
            "direction": "lower_is_better",
            "target": "4.5",
            "unit_label": "hours",
            "decimals": 1,
            "owner": "bob@example.com",
        },
    )
    assert response.status_code == 201, response.data
    assert response.data["health"] == "unknown"
    assert Kpi.objects.get(code=response.data["code"]).owner.email == "bob@example.com"


def test_a_lead_may_not_create_a_company_kpi(api, org):
    response = api.post(f"/orgs/{org.slug}/kpis", {"name": "Revenue", "target": 1})
    assert response.status_code == 403
    assert not Kpi.objects.exists()


def test_bad_input_gets_the_error_shape_and_writes_nothing(api, org, team):
    response = api.post(
        f"/orgs/{org.slug}/kpis",
        {"name": "", "unit": team.code, "direction": "in_range", "target": "5", "target_high": 2},
    )
    assert response.status_code == 400
    assert set(response.data["error"]["fields"]) == {"name", "target_high"}
    assert not Kpi.objects.exists()


def test_a_member_records_a_value(client, org, kpi, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/kpis/{kpi.code}/values",
        {"value": "41.5", "measured_at": "2026-11-15", "note": "Good week"},
    )
    assert response.status_code == 201, response.data
    assert response.data["kpi"]["health"] == "healthy"
    assert Decimal(response.data["value"]["value"]) == Decimal("41.5")


def test_a_value_that_is_not_a_number_is_refused(api, org, kpi):
    response = api.post(f"/orgs/{org.slug}/kpis/{kpi.code}/values", {"value": "many"})
    assert response.status_code == 400
    assert "not a number" in response.data["error"]["fields"]["value"][0]
    assert KpiValue.objects.filter(kpi=kpi).count() == 4


def test_a_viewer_may_not_record(client, org, kpi, victor):
    api = OpenApiClient(client, token_for(victor, org))
    assert api.post(f"/orgs/{org.slug}/kpis/{kpi.code}/values", {"value": 1}).status_code == 403


def test_write_an_okr_answers_the_draft_objective(api, org, cycle, kpi):
    response = api.post(f"/orgs/{org.slug}/kpis/{kpi.code}/write-okr", {"cycle": cycle.code})
    assert response.status_code == 201, response.data
    assert response.data["state"] == "draft"
    (kr,) = response.data["key_results"]
    assert (kr["kind"], Decimal(kr["start"]), Decimal(kr["target"])) == ("increase", 32, 40)
    assert Objective.objects.get(code=response.data["code"]).kpi == kpi


def test_write_an_okr_with_an_unknown_cycle_is_refused(api, org, kpi):
    response = api.post(f"/orgs/{org.slug}/kpis/{kpi.code}/write-okr", {"cycle": "nope"})
    assert response.status_code == 400
    assert "cycle" in response.data["error"]["fields"]


def test_another_organizations_kpi_is_not_found(client, org, kpi, other_org, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{other_org.slug}/kpis/{kpi.code}").status_code == 404
