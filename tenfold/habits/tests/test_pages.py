"""The leaderboard page per persona, on and off, sorted and as an htmx fragment; no progress or
score figure on it; and the same number of queries for 3 teams or 40."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create

from .conftest import HTMX, LAST_WEEK, THIS_WEEK, add_teams, check_in_weeks, fill_history, to_now

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body. The kudos routes take a check-in's and a weekly item's code (the
# `world` of the matrix test: bob's check-in and bob's plan, so bob meets his own work).
EXPECTED = {
    ("habits", "GET"): (302, 200, 200, 200, 200, 404),
    ("habits", "POST"): (302, 405, 405, 405, 405, 405),
    ("kudos_checkin", "GET"): (302, 405, 405, 405, 405, 405),
    ("kudos_checkin", "POST"): (302, 302, 400, 302, 403, 404),
    ("kudos_item", "GET"): (302, 405, 405, 405, 405, 405),
    ("kudos_item", "POST"): (302, 302, 400, 302, 404, 404),
}


@pytest.fixture
def world(org, team, key_result, bob, other_org):
    checkin = checkin_record(key_result=key_result, value=25, by=bob)
    report = WeeklyReport.objects.create(organization=org, person=bob, week=THIS_WEEK)
    item = WeeklyItem.objects.create(
        organization=org, report=report, category="plans", text="Bob's plan"
    )
    return {"kudos_checkin": checkin.code, "kudos_item": item.code}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(client, request, world, name, method):
    kwargs = {"org": "acme"}
    if name in world:
        kwargs["code"] = world[name]
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def page(client, org, user, query="", **headers):
    client.force_login(user)
    response = client.get(reverse("habits", args=[org.slug]) + query, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_when_off_the_page_says_so_and_shows_admins_the_setting(client, org, team, alice, bob):
    html = page(client, org, alice)
    assert 'data-testid="leaderboard-off"' in html
    assert reverse("settings_general", args=[org.slug]) + "#id_leaderboards_enabled" in html
    html = page(client, org, bob)
    assert 'data-testid="leaderboard-off"' in html and "An admin" in html
    assert reverse("settings_general", args=[org.slug]) not in html
    assert 'data-testid="scores-policy"' in html


def test_when_on_the_teams_are_ranked_with_their_habits(
    clock, client, on, cycle, company, team, alice, bob, carol, key_result
):
    teams, users, krs = add_teams(on, company, cycle, 2, people=2, key_results=1)
    fill_history(on, krs, users[:3], 3)  # both teams check in; one of team 2 wrote
    check_in_weeks(clock, key_result, carol, [LAST_WEEK])
    to_now(clock)
    html = page(client, on, bob)
    assert 'data-testid="scores-policy"' in html and "never results" in html
    assert "Q4 2026" in html
    names = re.findall(r'data-unit="(\w+)"', html)
    assert names == [teams[0].code, teams[1].code, team.code]  # 3, 3, then 1 week; by name
    assert ">3 weeks<" in html and ">1 week<" in html
    assert "2 of 2" in html and "1 of 2" in html
    by_participation = page(client, on, bob, "?sort=participation")
    assert re.findall(r'data-unit="(\w+)"', by_participation)[0] == teams[0].code
    assert 'aria-current="page">By weekly participation' in by_participation


def test_departments_join_the_board_on_request(clock, client, on, cycle, team, bob):
    product = team.parent
    to_now(clock)
    assert f'data-unit="{product.code}"' not in page(client, on, bob)
    assert f'data-unit="{product.code}"' in page(client, on, bob, "?departments=1")


def test_htmx_gets_the_board_alone_and_a_bad_sort_falls_back(clock, client, on, cycle, team, bob):
    to_now(clock)
    html = page(client, on, bob, "?sort=score", **HTMX)
    assert "<html" not in html and 'id="habits-board"' in html
    assert 'aria-current="page">By check-in streak' in html


def test_the_page_shows_no_progress_or_score_figure(
    clock, client, on, cycle, team, carol, objective
):
    kr = key_result_create(
        objective=objective, title="Odd figure", kind="increase", start=0, target=1000, by=carol
    )
    at_wednesday = THIS_WEEK - dt.timedelta(days=5)
    clock.move_to(dt.datetime.combine(at_wednesday, dt.time(10), tzinfo=dt.UTC))
    checkin_record(key_result=kr, value=Decimal("437"), confidence=3, by=carol)
    to_now(clock)
    kr.refresh_from_db()
    objective.refresh_from_db()
    assert kr.progress == Decimal("0.437")
    # Form tokens are random letters and digits: one could hold "437" by chance.
    html = re.sub(
        r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"', "", page(client, on, carol)
    )
    for figure in ("44 %", "43.7", "0.437", "437", "44%", f"{objective.progress:.2f}"):
        assert figure not in html
    for word in ("on track", "at risk", "off track", "Progress", "Confidence"):
        assert word not in html


def test_the_page_runs_the_same_queries_for_3_teams_or_40(
    clock, client, on, cycle, company, team, bob, django_assert_max_num_queries
):
    _teams, users, krs = add_teams(on, company, cycle, 3)
    fill_history(on, krs, users, 4)
    to_now(clock)
    client.force_login(bob)
    url = reverse("habits", args=[on.slug])
    client.get(url)  # the first visit remembers the organization in the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _teams, users, krs = add_teams(on, company, cycle, 37, prefix="More")
    fill_history(on, krs, users, 4)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('data-testid="habits-row"') == 41
    assert len(many) == len(few)
    with django_assert_max_num_queries(20):
        client.get(url + "?sort=participation&departments=1")


def test_the_board_comes_a_page_at_a_time_and_repeats_your_teams(
    clock, client, on, cycle, company, team, bob, monkeypatch
):
    from tenfold.habits import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    add_teams(on, company, cycle, 3, people=1, key_results=1, prefix="Alpha")
    to_now(clock)
    first = page(client, on, bob)
    assert first.count('data-testid="habits-row"') == 2
    assert 'rel="next"' in first and "1–2 of 4" in first
    assert f'data-unit="{team.code}"' not in first  # Growth comes last by name
    assert 'data-testid="habits-mine"' in first and "#4 Growth" in first
    last = page(client, on, bob, "?sort=streak&page=2")
    assert f'data-unit="{team.code}"' in last and 'rel="prev"' in last
