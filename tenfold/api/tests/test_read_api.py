import pytest
import time_machine

from tenfold.accounts.services import api_token_revoke
from tenfold.okrs.services import key_result_create, objective_create

from .conftest import OpenApiClient, token_for


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def test_requests_without_credentials_get_401(api_client, org):
    response = api_client.get(f"/orgs/{org.slug}/cycles")
    assert response.status_code == 401
    assert response.data["error"]["code"] == "unauthenticated"


def test_a_signed_in_browser_session_works_too(client, org, team, bob, cycle):
    client.force_login(bob)
    response = OpenApiClient(client).get(f"/orgs/{org.slug}/cycles")
    assert response.status_code == 200
    assert [c["name"] for c in response.data] == ["Q4 2026"]


def test_a_revoked_token_is_refused(client, org, team, bob):
    from tenfold.accounts.models import ApiToken

    token = token_for(bob, org)
    api_token_revoke(token=ApiToken.objects.get(), by=bob)
    assert OpenApiClient(client, token).get("/me").status_code == 401


def test_a_token_only_opens_its_own_organization(client, org, other_org, alice, mallory):
    from tenfold.organizations.services import person_add

    person_add(organization=other_org, email=alice.email, by=mallory)
    api = OpenApiClient(client, token_for(alice, org))
    assert api.get(f"/orgs/{org.slug}/cycles").status_code == 200
    assert api.get(f"/orgs/{other_org.slug}/cycles").status_code == 404
    assert [m["organization"] for m in api.get("/me").data["memberships"]] == ["acme"]


def test_objectives_list_hides_private_objectives_from_members(
    client, org, cycle, team, alice, bob, objective
):
    objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet plan",
        visibility="private",
        lead=alice,
        by=alice,
    )
    titles = [
        o["title"]
        for o in OpenApiClient(client, token_for(bob, org)).get(f"/orgs/{org.slug}/objectives").data
    ]
    assert titles == ["Customers love onboarding"]
    titles = [
        o["title"]
        for o in OpenApiClient(client, token_for(alice, org))
        .get(f"/orgs/{org.slug}/objectives")
        .data
    ]
    assert sorted(titles) == ["Customers love onboarding", "Quiet plan"]


def test_objectives_list_runs_a_fixed_number_of_queries(
    client, org, cycle, team, carol, django_assert_max_num_queries
):
    api = OpenApiClient(client, token_for(carol, org))

    def add(count):
        for index in range(count):
            objective = objective_create(
                organization=org, cycle=cycle, unit=team, title=f"Objective {index}", by=carol
            )
            for number in range(3):
                key_result_create(
                    objective=objective,
                    title=f"KR {number}",
                    kind="increase",
                    start=0,
                    target=10,
                    owner=carol,
                    by=carol,
                )

    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(api.get(f"/orgs/{org.slug}/objectives").data) == 2
    add(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(f"/orgs/{org.slug}/objectives").data) == 20


def test_an_unknown_cycle_is_404(client, org, team, bob, cycle):
    response = OpenApiClient(client, token_for(bob, org)).get(
        f"/orgs/{org.slug}/objectives", cycle="nope"
    )
    assert response.status_code == 404


def test_the_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/orgs/{org}/key-results/{code}/check-ins" in document["paths"]
