"""The dashboards: the company's, a team's and a person's page, as each persona sees them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.organizations.models import UnitKind
from tenfold.organizations.services import person_add, unit_create

START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
"""Everything the fixtures create is made on the cycle's first day."""
MID_CYCLE = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
"""A Sunday. In Berlin (Monday weeks) this week began on 9 November, last week on 2 November;
45 of the cycle's 92 days have passed."""
THIS_WEEK = dt.date(2026, 11, 9)
LAST_WEEK = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock, day: dt.date, hour: int = 10) -> None:
    clock.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC))


def make_kr(objective, by, title, *, start=0, target=100, owner=None):
    return key_result_create(
        objective=objective,
        title=title,
        kind="increase",
        start=Decimal(start),
        target=Decimal(target),
        owner=owner,
        by=by,
    )


def check_in(clock, kr, value, day, by):
    at(clock, day)
    checkin_record(key_result=kr, value=value, by=by)


def write(org, person, week, text, category="plans", **fields):
    report, _ = WeeklyReport.objects.get_or_create(organization=org, person=person, week=week)
    return WeeklyItem.objects.create(
        organization=org, report=report, category=category, text=text, **fields
    )


def dashboard_url(org, **query):
    url = reverse("dashboard", kwargs={"org": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def team_url(org, unit):
    return reverse("team_dashboard", kwargs={"org": org.slug, "code": unit.code})


def person_url(org, user):
    return reverse("person", kwargs={"org": org.slug, "user_id": user.pk})


@pytest.fixture
def statuses(clock, org, cycle, team, objective, key_result, bob, carol):
    """One key result in each status on 15 November (expected progress 0.49)."""
    on_track = key_result  # 20 → 40, at 30: half way
    at_risk = make_kr(objective, carol, "Cut churn", owner=bob)
    off_track = make_kr(objective, carol, "Win partners", owner=carol)
    stale = make_kr(objective, carol, "Grow referrals", owner=bob)
    pending = make_kr(objective, carol, "Launch the app", owner=bob)
    done = make_kr(objective, carol, "Hire a designer", owner=carol)
    check_in(clock, stale, 60, dt.date(2026, 10, 20), bob)  # 26 days before: stale
    for kr, value in ((on_track, 30), (at_risk, 20), (off_track, 5), (done, 100)):
        check_in(clock, kr, value, dt.date(2026, 11, 13), carol)
    at(clock, MID_CYCLE.date(), 12)
    return {
        "on_track": on_track,
        "at_risk": at_risk,
        "off_track": off_track,
        "stale": stale,
        "pending": pending,
        "done": done,
    }


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- the company dashboard --------------------------------------------------------------------


def test_the_company_dashboard_counts_key_results_by_status(client, org, alice, statuses):
    response = get(client, alice, dashboard_url(org))
    dash = response.context["dash"]
    assert dash.key_result_counts == {
        "on_track": 1,
        "at_risk": 1,
        "off_track": 1,
        "stale": 1,
        "pending": 1,
        "done": 1,
    }
    assert dash.objective_total == 1
    assert dash.elapsed == Decimal(45) / Decimal(92)
    html = response.content.decode()
    assert 'data-testid="key-result-statuses"' in html
    assert "On track" in html and "Off track" in html and "Stale" in html


def test_the_heatmap_counts_each_units_own_key_results(client, org, alice, team, statuses):
    dash = get(client, alice, dashboard_url(org)).context["dash"]
    rows = {row.label: row for row in dash.heatmap.rows}
    assert set(rows) == {"Product", "Growth"}
    assert [cell.count for cell in rows["Growth"].cells] == [1, 1, 1, 1, 1, 1]
    assert [cell.count for cell in rows["Product"].cells] == [0] * 6
    assert rows["Product"].depth == 0 and rows["Growth"].depth == 1
    assert {cell.level for cell in rows["Growth"].cells} == {4}


def test_key_results_behind_are_listed_furthest_behind_first(client, org, alice, statuses):
    response = get(client, alice, dashboard_url(org))
    dash = response.context["dash"]
    assert [kr.title for kr in dash.behind] == ["Win partners", "Cut churn"]
    assert dash.behind[0].gap == Decimal(45) / Decimal(92) - Decimal("0.05")
    assert [kr.title for kr in dash.stale] == ["Grow referrals"]
    html = response.content.decode()
    # Owners link to their page.
    assert (
        reverse("person", kwargs={"org": org.slug, "user_id": statuses["stale"].owner_id}) in html
    )


def test_company_objectives_show_how_many_team_objectives_align(
    clock, client, org, cycle, company, alice, carol, objective, statuses
):
    at(clock, START.date())
    top = objective_create(
        organization=org, cycle=cycle, unit=company, title="Be loved", state="active", by=alice
    )
    department = objective_create(
        organization=org,
        cycle=cycle,
        unit=objective.unit.parent,
        title="Product delights",
        state="active",
        by=alice,
    )
    alignment_link(child=department, parent_objective=top, by=alice)
    alignment_link(child=objective, parent_objective=department, by=carol)
    at(clock, MID_CYCLE.date(), 12)
    dash = get(client, alice, dashboard_url(org)).context["dash"]
    assert [(o.title, o.team_count) for o in dash.company_objectives] == [("Be loved", 1)]


def test_teams_without_okrs_and_quiet_teams_are_listed(
    clock, client, org, company, alice, team, statuses
):
    at(clock, START.date())
    quiet = unit_create(organization=org, name="Billing", parent=company, by=alice)
    at(clock, MID_CYCLE.date(), 12)
    dash = get(client, alice, dashboard_url(org)).context["dash"]
    assert [unit.name for unit in dash.teams_without_okrs] == ["Billing"]
    assert [unit.name for unit in dash.quiet_teams] == ["Billing"]
    assert quiet.kind == UnitKind.TEAM


def test_a_team_whose_last_check_in_is_old_is_quiet(clock, client, org, alice, team, key_result):
    check_in(clock, key_result, 25, dt.date(2026, 10, 30), alice)  # 16 days before
    at(clock, MID_CYCLE.date(), 12)
    dash = get(client, alice, dashboard_url(org)).context["dash"]
    assert [unit.name for unit in dash.quiet_teams] == ["Growth"]


def test_the_fill_in_share_counts_people_who_wrote_last_week(
    client, org, alice, bob, carol, victor, statuses
):
    write(org, bob, LAST_WEEK, "Call three customers")
    write(org, carol, THIS_WEEK, "Not last week")
    dash = get(client, victor, dashboard_url(org)).context["dash"]
    # Alice, Bob and Carol could write; Victor only reads.
    assert (dash.fill_in.filled, dash.fill_in.people) == (1, 3)
    assert dash.fill_in.week == LAST_WEEK


def test_items_only_carried_in_do_not_count_as_writing_the_week(client, org, alice, bob, statuses):
    earlier = write(org, bob, LAST_WEEK - dt.timedelta(days=7), "Old plan")
    write(org, bob, LAST_WEEK, "Old plan", carried_from=earlier)
    dash = get(client, alice, dashboard_url(org)).context["dash"]
    assert dash.fill_in.filled == 0


def test_hidden_objectives_count_only_for_those_who_may_see_them(
    clock, client, org, cycle, team, alice, bob, carol, victor, statuses
):
    at(clock, START.date())
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet acquisition",
        visibility="private",
        lead=carol,
        state="active",
        by=carol,
    )
    hidden_kr = make_kr(secret, carol, "Sign the term sheet", owner=carol)
    check_in(clock, hidden_kr, 1, dt.date(2026, 11, 13), carol)
    at(clock, MID_CYCLE.date(), 12)

    for persona in (alice, carol):
        response = get(client, persona, dashboard_url(org))
        assert response.context["dash"].key_result_counts["off_track"] == 2
        assert "Sign the term sheet" in response.content.decode()
    for persona in (bob, victor):
        response = get(client, persona, dashboard_url(org))
        dash = response.context["dash"]
        assert dash.key_result_counts["off_track"] == 1
        assert dash.objective_total == 1
        assert sum(row.total for row in dash.heatmap.rows) == 6
        assert "Sign the term sheet" not in response.content.decode()
        assert "Quiet acquisition" not in response.content.decode()


def test_another_cycle_can_be_chosen(clock, client, org, alice, statuses):
    from tenfold.okrs.services import cycle_create

    at(clock, START.date())
    earlier = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind="quarter",
        state="closed",
        by=alice,
    )
    at(clock, MID_CYCLE.date(), 12)
    response = get(client, alice, dashboard_url(org, cycle=earlier.code))
    assert response.context["dash"].key_result_total == 0
    assert response.context["dash"].elapsed == 1
    client.force_login(alice)
    assert client.get(dashboard_url(org, cycle="nope")).status_code == 404


def test_htmx_gets_only_the_cycle_part(client, org, alice, statuses):
    client.force_login(alice)
    response = client.get(dashboard_url(org), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="cycle"' in html
    assert "<html" not in html


def test_without_a_cycle_the_dashboard_says_what_is_missing(client, org, alice, team):
    response = get(client, alice, dashboard_url(org))
    assert not response.context["dash"]  # nothing to sum up
    assert reverse("settings_cycles", args=[org.slug]) in response.content.decode()


def test_the_top_bar_links_to_the_dashboard(client, org, bob, team):
    response = get(client, bob, reverse("company", args=[org.slug]))
    assert dashboard_url(org) in response.content.decode()


# --- the team dashboard -----------------------------------------------------------------------


@pytest.fixture
def team_weeks(clock, org, team, bob, carol, key_result):
    """Check-ins in the weeks of 5 and 12 October, none in the week of 19 October, then in the
    weeks of 26 October and 2 November. Both people wrote their weeks from 26 October on;
    Carol missed the week of 19 October."""
    for day in (5, 13, 27):
        check_in(clock, key_result, 22 + day / 10, dt.date(2026, 10, day), bob)
    check_in(clock, key_result, 30, dt.date(2026, 11, 3), bob)
    for week in (dt.date(2026, 10, 19), dt.date(2026, 10, 26), LAST_WEEK):
        write(org, bob, week, "Bob's plan")
    for week in (dt.date(2026, 10, 26), LAST_WEEK):
        write(org, carol, week, "Carol's plan")
    at(clock, MID_CYCLE.date(), 12)


def test_streaks_end_last_week_while_this_week_is_open(client, org, team, carol, team_weeks):
    dash = get(client, carol, team_url(org, team)).context["dash"]
    assert dash.checkin_streak.weeks == 2
    assert dash.fill_in_streak.weeks == 2
    assert [mark.met for mark in dash.checkin_streak.recent][-4:] == [False, True, True, False]
    assert not dash.checkin_streak.this_week_met


def test_a_week_done_already_extends_the_streak(
    clock, client, org, team, bob, carol, key_result, team_weeks
):
    check_in(clock, key_result, 31, dt.date(2026, 11, 10), bob)
    write(org, bob, THIS_WEEK, "Ship it")
    write(org, carol, THIS_WEEK, "Review it")
    at(clock, MID_CYCLE.date(), 12)
    response = get(client, carol, team_url(org, team))
    dash = response.context["dash"]
    assert dash.checkin_streak.weeks == 3
    assert dash.fill_in_streak.weeks == 3
    assert (dash.wrote_this_week, dash.expected_this_week) == (2, 2)
    html = response.content.decode()
    assert 'data-testid="checkin-streak-weeks">3<' in html


def test_a_key_result_without_any_check_in_breaks_the_streak(
    clock, client, org, team, carol, objective, team_weeks
):
    at(clock, START.date())
    make_kr(objective, carol, "Never checked in")
    at(clock, MID_CYCLE.date(), 12)
    dash = get(client, carol, team_url(org, team)).context["dash"]
    assert dash.checkin_streak.weeks == 0


def test_the_team_dashboard_shows_this_weeks_plans_and_open_problems(
    clock, client, org, team, bob, carol, key_result
):
    at(clock, MID_CYCLE.date(), 12)
    write(org, bob, THIS_WEEK, "Interview five customers", objective=key_result.objective)
    write(org, carol, THIS_WEEK, "Analytics are broken", category="problems")
    write(org, bob, LAST_WEEK, "Waiting for legal", category="problems")
    write(org, bob, LAST_WEEK, "Old plan, not this week")
    write(
        org,
        bob,
        THIS_WEEK,
        "Solved already",
        category="problems",
        resolved_at=dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
    )
    response = get(client, carol, team_url(org, team))
    dash = response.context["dash"]
    assert [item.text for item in dash.plans] == ["Interview five customers"]
    assert sorted(item.text for item in dash.problems) == [
        "Analytics are broken",
        "Waiting for legal",
    ]
    html = response.content.decode()
    assert person_url(org, bob) in html
    assert "from last week" in html


def test_a_problem_carried_into_this_week_is_listed_once(clock, client, org, team, bob, carol):
    at(clock, MID_CYCLE.date(), 12)
    old = write(org, bob, LAST_WEEK, "Waiting for legal", category="problems")
    write(org, bob, THIS_WEEK, "Waiting for legal", category="problems", carried_from=old)
    dash = get(client, carol, team_url(org, team)).context["dash"]
    assert [item.report.week for item in dash.problems] == [THIS_WEEK]


def test_people_outside_the_team_see_its_okrs_and_habits_but_not_its_week(
    clock, client, org, team, bob, victor, key_result
):
    at(clock, MID_CYCLE.date(), 12)
    write(org, bob, THIS_WEEK, "Interview five customers")
    response = get(client, victor, team_url(org, team))
    dash = response.context["dash"]
    assert not dash.shows_week
    assert dash.plans == [] and dash.problems == []
    html = response.content.decode()
    assert "Interview five customers" not in html
    assert key_result.objective.title in html
    assert person_url(org, bob) in html  # the key result's owner


def test_private_links_of_plans_are_hidden(clock, client, org, cycle, team, alice, bob, carol):
    at(clock, START.date())
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet acquisition",
        visibility="private",
        lead=carol,
        state="active",
        by=carol,
    )
    at(clock, MID_CYCLE.date(), 12)
    write(org, bob, THIS_WEEK, "Prepare the numbers", objective=secret)
    html = get(client, bob, team_url(org, team)).content.decode()
    assert "Prepare the numbers" in html
    assert "Quiet acquisition" not in html


# --- the person page --------------------------------------------------------------------------


def test_the_person_page_shows_what_someone_owns_leads_and_contributes_to(
    client, org, team, bob, carol, victor, objective, key_result, statuses
):
    write(org, bob, THIS_WEEK, "Interview", objective=objective, key_result=key_result)
    write(org, bob, THIS_WEEK - dt.timedelta(weeks=6), "Too long ago", objective=objective)
    response = get(client, victor, person_url(org, bob))
    page = response.context["page"]
    assert [kr.title for kr in page.key_results] == [
        key_result.title,
        "Cut churn",
        "Grow referrals",
        "Launch the app",
    ]
    assert page.objectives == []
    assert [(c.objective, c.key_results) for c in page.contributions] == [(objective, [key_result])]
    assert [member.unit.name for member in page.units] == ["Growth"]

    led = get(client, victor, person_url(org, carol)).context["page"]
    assert [o.title for o in led.objectives] == [objective.title]
    assert led.contributions == []


def test_the_person_page_gives_no_score_or_percentage(client, org, team, bob, statuses):
    html = get(client, bob, person_url(org, bob)).content.decode()
    assert 'class="progress' not in html
    assert "progress-value" not in html
    assert "this is you" in html


def test_the_person_page_leaves_out_what_the_viewer_may_not_see(
    clock, client, org, cycle, team, alice, bob, carol, victor
):
    at(clock, START.date())
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet acquisition",
        visibility="private",
        lead=carol,
        state="active",
        by=carol,
    )
    make_kr(secret, carol, "Sign the term sheet", owner=bob)
    at(clock, MID_CYCLE.date(), 12)
    write(org, bob, THIS_WEEK, "Numbers", objective=secret)

    seen = get(client, victor, person_url(org, bob)).context["page"]
    assert seen.key_results == [] and seen.contributions == []
    led = get(client, victor, person_url(org, carol)).context["page"]
    assert led.objectives == []

    own = get(client, carol, person_url(org, bob)).context["page"]
    assert [kr.title for kr in own.key_results] == ["Sign the term sheet"]
    assert [c.objective.title for c in own.contributions] == ["Quiet acquisition"]


# --- who may open them ------------------------------------------------------------------------


def urls(org, team, person):
    return [dashboard_url(org), team_url(org, team), person_url(org, person)]


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor"])
def test_everyone_in_the_organization_may_open_the_dashboards(
    client, org, team, key_result, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    for url in urls(org, team, request.getfixturevalue("bob")):
        assert client.get(url).status_code == 200, url


def test_other_organizations_get_not_found(client, org, team, bob, mallory, other_org):
    client.force_login(mallory)
    for url in urls(org, team, bob):
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, org, team, bob):
    for url in urls(org, team, bob):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_people_of_other_organizations_and_unknown_ids_are_not_found(
    client, org, team, bob, mallory, other_org
):
    client.force_login(bob)
    assert client.get(person_url(org, mallory)).status_code == 404
    assert client.get(reverse("person", args=[org.slug, 999_999])).status_code == 404
    other_team = reverse("team_dashboard", args=[org.slug, "NOPE"])
    assert client.get(other_team).status_code == 404


def test_posting_is_not_allowed(client, org, team, bob):
    client.force_login(bob)
    for url in urls(org, team, bob):
        assert client.post(url).status_code == 405


# --- queries ----------------------------------------------------------------------------------


def grow(clock, org, cycle, parent, alice, teams: int, tag: str) -> None:
    """`teams` more teams, each with a person, an objective, two key results (one checked in),
    and weekly items linked to them."""
    at(clock, START.date())
    for n in range(teams):
        unit = unit_create(organization=org, name=f"{tag} team {n}", parent=parent, by=alice)
        membership = person_add(
            organization=org, email=f"{tag}{n}@example.com", units=[unit], by=alice
        )
        objective = objective_create(
            organization=org, cycle=cycle, unit=unit, title=f"{tag} {n}", state="active", by=alice
        )
        first = make_kr(objective, alice, "First", owner=membership.user)
        make_kr(objective, alice, "Second", owner=alice)
        check_in(clock, first, 10 + n % 50, dt.date(2026, 10, 20 + n % 10), alice)
        at(clock, START.date())
        write(org, membership.user, LAST_WEEK, "Plan", objective=objective, key_result=first)
        write(org, membership.user, THIS_WEEK, "Problem", category="problems")
    at(clock, MID_CYCLE.date(), 12)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_the_company_dashboard_runs_the_same_queries_for_5_or_40_teams(
    clock,
    client,
    org,
    cycle,
    company,
    team,
    alice,
    persona,
    request,
    django_assert_num_queries,
    no_fragments,
):
    grow(clock, org, cycle, company, alice, 5, "small")
    client.force_login(request.getfixturevalue(persona))
    client.get(dashboard_url(org))  # the first visit stores the organization in the session
    small = count_queries(client, dashboard_url(org))
    grow(clock, org, cycle, company, alice, 35, "large")
    with django_assert_num_queries(small):
        response = client.get(dashboard_url(org))
    assert len(response.context["dash"].heatmap.rows) == 2 + 40
    assert small <= 20


def test_the_team_dashboard_runs_the_same_queries_for_5_or_40_people(
    clock, client, org, cycle, company, team, key_result, alice, carol, django_assert_num_queries
):
    grow(clock, org, cycle, team, alice, 5, "small")
    client.force_login(carol)
    client.get(team_url(org, team))
    small = count_queries(client, team_url(org, team))
    grow(clock, org, cycle, team, alice, 35, "large")
    at(clock, START.date())
    for n in range(10):
        objective = objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Growth {n}", state="active", by=carol
        )
        make_kr(objective, carol, "More")
    at(clock, MID_CYCLE.date(), 12)
    with django_assert_num_queries(small):
        response = client.get(team_url(org, team))
    assert response.context["dash"].people_count == 2 + 40
    assert len(response.context["dash"].problems) == 40
    assert small <= 20


def test_the_person_page_runs_the_same_queries_for_few_or_many_okrs(
    clock, client, org, cycle, company, team, alice, django_assert_num_queries
):
    grow(clock, org, cycle, company, alice, 2, "small")
    client.force_login(alice)
    client.get(person_url(org, alice))
    small = count_queries(client, person_url(org, alice))
    grow(clock, org, cycle, company, alice, 20, "large")
    with django_assert_num_queries(small):
        response = client.get(person_url(org, alice))
    assert len(response.context["page"].key_results) == 22
    assert small <= 15
