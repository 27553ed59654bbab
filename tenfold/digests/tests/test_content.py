"""What a digest says, built from real check-ins, weekly items and reactions: what moved, what is
behind or stale, plans and problems, who may welcome a hand, highlights, and the cycle's
elapsed share — judged as of the end of the week, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.checkins.services import checkin_record
from tenfold.checkins.weekly import week_of
from tenfold.digests.selectors import (
    audience,
    company_digest,
    digest_data,
    may_read,
    team_digest,
    week_end_of,
)
from tenfold.habits.tests.test_scores_policy import json_violations
from tenfold.lib.progress import Status
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.services import unit_create

from .conftest import DUE, LAST_WEEK, TWO_WEEKS_AGO, access_of, add_item, moment

pytestmark = pytest.mark.django_db


def codes(lines):
    return [line.code for line in lines]


def test_the_week_is_the_one_that_just_ended_on_a_monday_morning(story, team):
    digest = team_digest(team, DUE)
    assert digest.week == LAST_WEEK
    assert digest.since == DUE - dt.timedelta(days=7)
    assert digest.until == DUE
    assert digest.as_of == dt.date(2026, 11, 23)
    assert digest.cycle is not None and digest.cycle.name == "Q4 2026"
    # 53 of the quarter's 92 days have passed.
    assert digest.elapsed == Decimal(53) / Decimal(92)


def test_movers_show_before_and_after_biggest_first(story, team):
    digest = team_digest(team, DUE)
    assert codes(digest.movers) == [
        story["reviews"].code,
        story["activation"].code,
        story["nps"].code,
    ]
    activation = digest.movers[1]
    assert (activation.before_value, activation.value) == (Decimal(25), Decimal(34))
    assert (activation.before_progress, activation.progress) == (Decimal("0.25"), Decimal("0.7"))
    assert activation.change == Decimal("0.45")
    assert activation.note == "Onboarding checklist shipped"
    assert digest.checkin_count == 3
    # The stale key result had no check-in this week: it did not move.
    assert story["faster"].code not in codes(digest.movers)


def test_at_risk_and_stale_follow_the_status_rules(story, team):
    digest = team_digest(team, DUE)
    assert codes(digest.at_risk) == [story["nps"].code]
    assert digest.at_risk[0].status == Status.AT_RISK
    assert codes(digest.stale) == [story["faster"].code]
    assert digest.key_result_counts == {
        "on_track": 1,
        "at_risk": 1,
        "off_track": 0,
        "stale": 1,
        "pending": 0,
        "done": 1,
    }


def test_plans_and_problems_come_from_the_weeks_reports(story, team):
    digest = team_digest(team, DUE)
    assert [(group.name, [item.text for item in group.plans]) for group in digest.plans] == [
        ("Bob Member", ["Interview five new customers"]),
        ("Carol Lead", ["Draft the welcome email"]),
    ]
    plan = digest.plans[0].plans[0]
    assert plan.link_title == "Raise activation from 20% to 40%"
    assert plan.link_url.endswith(f"/acme/key-results/{story['activation'].code}/")
    (problem,) = digest.problems
    assert (problem.text, problem.person_name, problem.weeks_open) == (
        "Waiting for analytics access",
        "Bob Member",
        2,
    )


def test_who_may_need_help_is_listed_by_name_with_reasons(story, team):
    digest = team_digest(team, DUE)
    notes = {
        note.name: [(r.kind, r.weeks, r.confidence, r.days) for r in note.reasons]
        for note in digest.needs_help
    }
    assert notes == {
        "Bob Member": [("problem", 2, 0, 0), ("confidence", 0, 2, 0)],
        "Carol Lead": [("quiet", 0, 0, 13)],
    }
    # In alphabetical order, never by any figure.
    assert [note.name for note in digest.needs_help] == ["Bob Member", "Carol Lead"]


def test_a_problem_of_one_week_and_a_confident_owner_need_no_help(
    clock, org, cycle, team, objective, key_result, bob
):
    clock.move_to(moment(LAST_WEEK + dt.timedelta(days=1)))
    checkin_record(key_result=key_result, value=30, confidence=9, by=bob)
    add_item(org, bob, "problems", "The staging server is slow")
    clock.move_to(DUE + dt.timedelta(minutes=30))
    digest = team_digest(team, DUE)
    assert [item.weeks_open for item in digest.problems] == [1]
    assert digest.needs_help == []


def test_highlights_name_targets_reached_objectives_moved_and_kudos(
    story, clock, org, team, alice, carol
):
    from tenfold.habits.services import kudos_toggle
    from tenfold.social.services import reaction_toggle

    last = team_digest(team, DUE)
    assert codes(last.reached) == [story["reviews"].code]
    (moved,) = last.moved_objectives
    assert moved.title == "Customers love onboarding"
    # From (0.25 + 1/6 + 0.1 + 4/30) / 4 to (0.7 + 1/6 + 1 + 0.3) / 4.
    assert abs(moved.change - Decimal("0.379167")) < Decimal("0.00001")
    assert (last.kudos, last.reactions) == (0, 0)
    # This Monday, carol gives bob kudos for a check-in, and alice celebrates the objective.
    checkin = story["reviews"].checkins.order_by("-measured_at").first()
    kudos_toggle(access=access_of(org, carol), target=checkin)
    reaction_toggle(access=access_of(org, alice), target=story["reviews"].objective, emoji="party")
    clock.shift(dt.timedelta(hours=1))
    this_week = team_digest(team, DUE + dt.timedelta(days=7))
    assert (this_week.kudos, this_week.reactions) == (1, 1)
    assert codes(this_week.reached) == []  # reached last week, not in this one
    assert team_digest(team, DUE).kudos == 0  # given after that week ended


def test_a_past_week_shows_the_values_that_stood_then(story, team, org):
    digest = team_digest(team, week_end_of(org, TWO_WEEKS_AGO))
    activation = next(line for line in digest.movers if line.code == story["activation"].code)
    assert (activation.before_value, activation.value) == (None, Decimal(25))
    assert activation.before_shown == Decimal(20)  # the start
    assert activation.status == Status.AT_RISK  # 25 % done at the half of the quarter
    assert codes(digest.reached) == []
    assert digest.week == TWO_WEEKS_AGO
    assert [item.text for item in digest.problems] == ["Waiting for analytics access"]


def test_the_week_not_over_yet_is_judged_as_of_now(story, team, org):
    digest = team_digest(team, week_end_of(org, week_of(org)))
    assert digest.until <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert digest.movers == [] and digest.checkin_count == 0
    assert codes(digest.stale) == [story["faster"].code]


def test_a_team_digest_shows_what_every_member_may_see(
    story, org, cycle, team, company, carol, alice
):
    private = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Hire a designer",
        lead=carol,
        visibility="private",
        state="active",
        by=carol,
    )
    key_result_create(
        objective=private, title="Sign 1 designer", kind="increase", start=0, target=1, by=carol
    )
    other = unit_create(organization=org, name="Sales", parent=company, by=alice)
    hidden = objective_create(
        organization=org,
        cycle=cycle,
        unit=other,
        title="Close the Q4 pipeline",
        visibility="unit",
        state="active",
        by=alice,
    )
    key_result_create(
        objective=hidden, title="Win 5 deals", kind="increase", start=0, target=5, by=alice
    )
    team_titles = {line.title for line in team_digest(team, DUE).objectives}
    assert team_titles == {"Customers love onboarding"}
    company = company_digest(org, DUE)
    assert company.key_result_total == 4  # neither the private nor Sales' unit-only one
    # An admin's own access sees more: the audience decides, not the reader.
    everything = company_digest(org, DUE, access=access_of(org, alice))
    assert everything.key_result_total == 6


def test_drafts_are_left_out(story, org, cycle, team, carol):
    draft = objective_create(
        organization=org, cycle=cycle, unit=team, title="Someday maybe", by=carol
    )
    key_result_create(
        objective=draft, title="Ten somethings", kind="increase", start=0, target=10, by=carol
    )
    assert team_digest(team, DUE).key_result_total == 4


def test_the_company_digest_names_teams_not_people(story, org, company, alice):
    idle = unit_create(organization=org, name="Support", parent=company, by=alice)
    digest = company_digest(org, DUE)
    help_by_team = {team.name: team for team in digest.teams_needing_help}
    growth = help_by_team["Growth"]
    assert (growth.long_problems, growth.low_confidence, growth.stale, growth.quiet) == (
        1,
        1,
        1,
        False,
    )
    assert help_by_team[idle.name].no_okrs
    assert digest.needs_help == [] and digest.plans == []
    assert digest.objectives == []  # no company-level objectives yet
    assert codes(digest.movers)[0] == story["reviews"].code


def test_a_team_silent_for_two_weeks_is_quiet(story, org, team):
    digest = company_digest(org, DUE + dt.timedelta(days=14), now=DUE + dt.timedelta(days=14))
    growth = next(t for t in digest.teams_needing_help if t.name == "Growth")
    assert growth.quiet


def test_company_objectives_and_their_movement(story, org, cycle, company, alice, team):
    from tenfold.okrs.services import alignment_link

    parent = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        level="company",
        title="Grow through delight",
        state="active",
        by=alice,
    )
    alignment_link(child=story["activation"].objective, parent_objective=parent, by=alice)
    digest = company_digest(org, DUE)
    (line,) = digest.objectives
    assert line.title == "Grow through delight"
    # Moved by the team objective aligned to it, the same way as stored progress.
    team_line = team_digest(team, DUE).objectives[0]
    assert line.progress == team_line.progress
    assert line.change == team_line.change
    assert digest.progress == line.progress


def test_the_data_names_nobody_beside_a_figure(story, team, org):
    data = digest_data(team_digest(team, DUE))
    assert json_violations(data) == []
    assert data["moved"][0]["key_result"] == story["reviews"].code
    assert data["needs_help"][0]["name"] == "Bob Member"
    limited = digest_data(team_digest(team, DUE), sections=["summary"], names=False)
    assert set(limited) >= {"summary", "week"}
    assert "plans" not in limited and "needs_help" not in limited and "moved" not in limited


def test_who_may_read_a_digest(org, team, company, alice, bob, carol, victor):
    assert may_read(access_of(org, bob), team)  # a member
    assert may_read(access_of(org, carol), team)  # its lead
    assert may_read(access_of(org, alice), team)  # an admin
    assert not may_read(access_of(org, victor), team)  # a viewer outside the team
    assert may_read(access_of(org, victor), None)  # everyone reads the company's
    reader = audience(org, team)
    assert reader.member_unit_ids == {team.id} and not reader.is_admin


def _grow(org, cycle, team, carol, bob, count):
    """`count` more objectives with two key results each, checked in before and during the
    digest's week."""
    for number in range(count):
        objective = objective_create(
            organization=org,
            cycle=cycle,
            unit=team,
            title=f"Objective {number}",
            state="active",
            by=carol,
        )
        for kr_number in range(2):
            kr = key_result_create(
                objective=objective,
                title=f"Key result {number}.{kr_number}",
                kind="increase",
                start=0,
                target=100,
                owner=bob,
                by=carol,
            )
            checkin_record(key_result=kr, value=10, measured_at=moment(TWO_WEEKS_AGO), by=bob)
            checkin_record(key_result=kr, value=40, measured_at=moment(LAST_WEEK), by=bob)


def test_a_digest_costs_the_same_queries_for_3_or_30_objectives(
    story, clock, org, cycle, team, carol, bob, django_assert_max_num_queries
):
    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as team_queries:
            team_digest(team, DUE)
        with CaptureQueriesContext(connection) as company_queries:
            company_digest(org, DUE)
        return len(team_queries), len(company_queries)

    _grow(org, cycle, team, carol, bob, 2)
    small = measure()
    _grow(org, cycle, team, carol, bob, 27)
    assert len(team_digest(team, DUE).objectives) == 10  # listed up to the limit…
    assert team_digest(team, DUE).objectives_total == 30  # …and counted
    large = measure()
    assert large == small
    with django_assert_max_num_queries(16):
        team_digest(team, DUE)
    with django_assert_max_num_queries(16):
        company_digest(org, DUE)


def test_an_old_week_reports_on_its_own_cycle(story, org, team, alice):
    from tenfold.okrs.models import CycleKind, CycleState
    from tenfold.okrs.services import cycle_create

    summer = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.CLOSED,
        by=alice,
    )
    digest = team_digest(team, week_end_of(org, dt.date(2026, 9, 14)))
    assert digest.cycle == summer
    assert digest.key_result_total == 0 and digest.movers == []
    assert team_digest(team, DUE).cycle.name == "Q4 2026"
