"""The example-library endpoints of API v1, every response checked against the OpenAPI
document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.coach.library import examples
from tenfold.okrs.models import CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.services import cycle_create
from tenfold.organizations.services import unit_create

SLUG = "sales-faster-deals"
PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body); `code` is an example's slug.
EXPECTED = {
    ("api:list_examples", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:list_examples", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:get_one_example", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_one_example", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:use_example", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:use_example", "POST"): (401, 400, 400, 400, 400, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, name, method
):
    kwargs = {"org": org.slug}
    if name != "api:list_examples":
        kwargs["code"] = SLUG
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


def test_the_list_has_every_example_with_its_key_results(api, org):
    response = api.get(f"/orgs/{org.slug}/examples")
    assert response.status_code == 200
    assert len(response.data) == len(examples("en"))
    first = response.data[0]
    assert first["slug"] == SLUG and first["language"] == "en"
    assert [kr["kind"] for kr in first["key_results"]] == ["decrease", "increase", "keep_below"]
    assert Decimal(first["key_results"][0]["start"]) == 48
    assert first["key_results"][2]["start"] is None


def test_the_list_searches_and_filters(api, org):
    found = api.get(f"/orgs/{org.slug}/examples", q="churn").data
    assert [item["slug"] for item in found] == [
        "cs-reduce-churn",
        "cs-small-customers-digital",
        "leadership-win-mid-market",
    ]
    only = api.get(f"/orgs/{org.slug}/examples", q="churn", function="leadership").data
    assert [item["slug"] for item in only] == ["leadership-win-mid-market"]


def test_an_unknown_function_is_a_400_in_the_error_shape(api, org):
    response = api.get(f"/orgs/{org.slug}/examples", function="astrology")
    assert response.status_code == 400
    assert "sales" in response.data["error"]["fields"]["function"][0]


def test_the_language_follows_accept_language(client, org, team, carol):
    response = client.get(
        f"/api/v1/orgs/{org.slug}/examples/{SLUG}",
        headers={"Authorization": f"Bearer {token_for(carol, org)}", "Accept-Language": "zh-hans"},
    )
    data = response.json()
    assert data["language"] == "zh_Hans" and data["title"] == "更快赢单，而不是拿折扣换速度"
    assert data["function_label"] == "销售"


def test_one_example(api, org):
    data = api.get(f"/orgs/{org.slug}/examples/data-trusted-numbers").data
    assert data["function"] == "data" and len(data["plans"]) == 2 and data["note"]
    assert api.get(f"/orgs/{org.slug}/examples/nope").status_code == 404


def test_using_an_example_answers_201_with_the_objectives_code_and_url(api, org, team, cycle):
    response = api.post(
        f"/orgs/{org.slug}/examples/{SLUG}/use", {"unit": team.code, "cycle": cycle.code}
    )
    assert response.status_code == 201, response.data
    objective = Objective.objects.get()
    assert response.data["code"] == objective.code and response.data["state"] == "draft"
    assert response.data["url"] == "http://testserver" + reverse(
        "objective", args=[org.slug, objective.code]
    )
    assert response.data["unit"]["code"] == team.code
    assert len(response.data["key_results"]) == 3 == KeyResult.objects.count()
    got = api.get(f"/orgs/{org.slug}/objectives/{objective.code}")
    assert got.status_code == 200 and got.data["state"] == "draft"


def test_a_personal_example_needs_no_unit(client, org, team, cycle, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/examples/personal-confident-presenter/use", {"cycle": cycle.code}
    )
    assert response.status_code == 201, response.data
    assert response.data["unit"] is None and response.data["level"] == "personal"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"cycle": "{cycle}"}, "unit"),
        ({"unit": "nope", "cycle": "{cycle}"}, "unit"),
        ({"unit": "{unit}", "cycle": "nope"}, "cycle"),
        ({"unit": "{unit}"}, "cycle"),
    ],
)
def test_bad_input_gets_the_error_shape_and_writes_nothing(api, org, team, cycle, payload, field):
    body = {k: v.format(unit=team.code, cycle=cycle.code) for k, v in payload.items()}
    response = api.post(f"/orgs/{org.slug}/examples/{SLUG}/use", body)
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]
    assert not Objective.objects.exists()


def test_a_closed_cycle_is_refused_with_its_name(api, org, team, cycle, alice):
    closed = cycle_create(
        organization=org,
        name="Q2 2026",
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.CLOSED,
        by=alice,
    )
    response = api.post(
        f"/orgs/{org.slug}/examples/{SLUG}/use", {"unit": team.code, "cycle": closed.code}
    )
    assert response.status_code == 400
    assert "Q2 2026" in response.data["error"]["fields"]["cycle"][0]
    assert not Objective.objects.exists()


def test_a_viewer_is_refused(client, org, team, cycle, victor):
    api = OpenApiClient(client, token_for(victor, org))
    response = api.post(
        f"/orgs/{org.slug}/examples/{SLUG}/use", {"unit": team.code, "cycle": cycle.code}
    )
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"
    assert not Objective.objects.exists()


def test_a_member_may_not_write_for_the_company(client, org, company, team, cycle, bob):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/examples/{SLUG}/use", {"unit": company.code, "cycle": cycle.code}
    )
    assert response.status_code == 403
    assert not Objective.objects.exists()


def test_another_organizations_token_gets_404(client, org, team, cycle, other_org, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{org.slug}/examples").status_code == 404
    response = api.post(
        f"/orgs/{org.slug}/examples/{SLUG}/use", {"unit": team.code, "cycle": cycle.code}
    )
    assert response.status_code == 404
    assert not Objective.objects.exists()


def test_anonymous_callers_get_401(client, org):
    assert OpenApiClient(client).get(f"/orgs/{org.slug}/examples").status_code == 401


def test_the_list_runs_a_constant_number_of_queries(
    api, org, company, team, cycle, alice, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as captured:
        assert api.get(f"/orgs/{org.slug}/examples").status_code == 200
    baseline = len(captured.captured_queries)
    for n in range(30):
        unit_create(organization=org, name=f"Team {n}", parent=company, by=alice)
    with django_assert_max_num_queries(baseline):
        assert api.get(f"/orgs/{org.slug}/examples", q="team").status_code == 200
    with django_assert_max_num_queries(baseline):
        assert api.get(f"/orgs/{org.slug}/examples/{SLUG}").status_code == 200
