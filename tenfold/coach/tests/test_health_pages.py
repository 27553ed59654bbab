"""The health check pages: who may open them, what they show, the cycle switcher, and a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tenfold.okrs.models import Cycle, CycleState, Objective
from tenfold.organizations.models import Unit

from .test_health_queries import populate

NOW = "2026-11-15 12:00:00+00:00"
PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows for tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
EXPECTED = {
    ("health", "GET"): (302, 200, 403, 403, 403, 404),
    ("health", "POST"): (302, 405, 405, 405, 405, 405),
    ("health_unit", "GET"): (302, 200, 403, 200, 403, 404),
    ("health_unit", "POST"): (302, 405, 405, 405, 405, 405),
}


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def url_of(name: str, org: Any, team: Any, **query: str) -> str:
    args = [org.slug] if name == "health" else [org.slug, team.code]
    url = reverse(name, args=args)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, objective, other_org, name, method
):
    url = url_of(name, org, team)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_a_department_lead_sees_the_teams_below_but_not_the_organization(
    client, org, team, cycle, carol
):
    department = team.parent
    sales = Unit.objects.create(organization=org, name="Sales", parent=department.parent)
    client.force_login(carol)
    assert client.get(url_of("health_unit", org, department)).status_code == 403
    team.members.filter(user=carol).update(is_lead=False)
    department.members.create(organization=org, user=carol, is_lead=True)
    assert client.get(url_of("health_unit", org, department)).status_code == 200
    assert client.get(url_of("health_unit", org, team)).status_code == 200
    assert client.get(url_of("health_unit", org, sales)).status_code == 403
    assert client.get(url_of("health", org, team)).status_code == 403


def test_an_unknown_unit_or_cycle_is_not_found(client, org, team, cycle, alice):
    client.force_login(alice)
    assert client.get(reverse("health_unit", args=[org.slug, "nope"])).status_code == 404
    assert client.get(url_of("health", org, team, cycle="nope")).status_code == 404


def test_the_organization_page_shows_score_signals_and_weakest_units(
    client, org, team, cycle, objective, key_result, alice
):
    client.force_login(alice)
    response = client.get(url_of("health", org, team))
    assert response.status_code == 200
    report = response.context["report"]
    html = response.content.decode()
    assert f'data-testid="health-score">{report.score}' in html
    assert f'data-grade="{report.grade.value}"' in html
    for signal in report.signals:
        assert f'data-signal="{signal.key}" data-state="{signal.state.value}"' in html
    # A problem names its evidence with links and says what to do, with a link.
    assert "There is no company objective in Q4 2026" in html
    assert reverse("objective_new", args=[org.slug]) + f"?cycle={cycle.code}" in html
    assert reverse("health_unit", args=[org.slug, team.code]) + f"?cycle={cycle.code}" in html
    assert "Do now:" in html


def test_the_unit_page_names_the_unit_and_links_back(client, org, team, cycle, objective, alice):
    client.force_login(alice)
    response = client.get(url_of("health_unit", org, team))
    html = response.content.decode()
    assert "Health of Growth" in html
    assert reverse("health", args=[org.slug]) + f"?cycle={cycle.code}" in html
    assert response.context["report"].unit_code == team.code


def test_the_cycle_switcher_picks_a_cycle_and_htmx_gets_the_report_only(
    client, org, team, cycle, objective, alice
):
    q3 = Cycle.objects.create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        state=CycleState.CLOSED,
    )
    Objective.objects.create(
        organization=org, cycle=q3, unit=team, title="Old", visibility="private", state="closed"
    )
    client.force_login(alice)
    page = client.get(url_of("health", org, team))
    assert page.context["cycle"] == cycle
    assert f"?cycle={q3.code}" in page.content.decode()  # the switcher offers it
    fragment = client.get(
        url_of("health", org, team, cycle=q3.code), headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<section id="cycle"')
    assert "<html" not in html
    assert "1 of 1 objective is private" in html


def test_an_organization_without_cycles_says_so(client, org, team, alice):
    client.force_login(alice)
    response = client.get(url_of("health", org, team))
    assert response.status_code == 200
    assert "Nothing to check before the first cycle" in response.content.decode()


def test_the_pages_run_a_constant_number_of_queries(
    client, org, company, team, cycle, alice, django_assert_max_num_queries
):
    populate(org, cycle, company, teams=3, people_per_team=2)
    client.force_login(alice)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url_of("health", org, team))
    populate(org, cycle, company, teams=20, people_per_team=5)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url_of("health", org, team)).status_code == 200
    with django_assert_max_num_queries(len(small)):
        assert client.get(url_of("health_unit", org, company)).status_code == 200
