"""The dashboards' selectors: streak rules, what counts as a team's week, the fill-in share,
alignment counts, and the person lookup."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.http import Http404

from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.dashboards import (
    STREAK_WEEKS,
    checkin_marks,
    company_dashboard,
    fill_in_marks,
    fill_in_of,
    get_person,
    streak_length,
    team_dashboard,
)
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.organizations.selectors import unit_tree
from tenfold.organizations.services import person_add

START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
THIS_WEEK = dt.date(2026, 11, 9)
WEEK = dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock, day, hour=10):
    clock.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC))


def access_of(org, user):
    return access_for(Membership.objects.get(organization=org, user=user))


def weeks(*pairs):
    """{weeks ago: met} → marks keyed by week start."""
    return {THIS_WEEK - WEEK * ago: met for ago, met in pairs}


# --- streak rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "length"),
    [
        (weeks(), 0),
        (weeks((0, True), (1, True), (2, True)), 3),
        (weeks((0, False), (1, True), (2, True)), 2),  # this week is still open
        (weeks((1, True), (2, True), (3, False), (4, True)), 2),
        (weeks((0, True), (1, False), (2, True)), 1),
        (weeks((1, True), (2, None), (3, True)), 2),  # a week with nothing expected is skipped
        (weeks((1, False), (2, True)), 0),
    ],
)
def test_a_streak_counts_consecutive_weeks_ending_this_week_or_last(marks, length):
    assert streak_length(marks, THIS_WEEK, STREAK_WEEKS) == length


def test_a_streak_looks_back_no_further_than_its_span():
    marks = weeks(*((ago, True) for ago in range(40)))
    assert streak_length(marks, THIS_WEEK, 10) == 10


# --- check-in weeks ---------------------------------------------------------------------------


def test_key_results_count_from_the_first_full_week_after_they_were_written(
    clock, org, team, carol, objective, key_result
):
    at(clock, dt.date(2026, 11, 4))  # a Wednesday
    late = key_result_create(
        objective=objective, title="Late", kind="increase", start=0, target=10, by=carol
    )
    at(clock, dt.date(2026, 11, 3))
    checkin_record(key_result=key_result, value=21, by=carol)
    at(clock, NOW.date(), 12)
    marks = checkin_marks(access_of(org, carol), org, team, THIS_WEEK)
    assert marks[dt.date(2026, 11, 2)] is True  # "Late" was not expected yet
    assert marks[THIS_WEEK] is False  # now both are
    assert late.pk


def test_drafts_and_weeks_outside_the_cycle_expect_nothing(clock, org, cycle, team, carol):
    draft = objective_create(
        organization=org, cycle=cycle, unit=team, title="Idea", state="draft", by=carol
    )
    key_result_create(objective=draft, title="Maybe", kind="increase", start=0, target=1, by=carol)
    at(clock, NOW.date(), 12)
    marks = checkin_marks(access_of(org, carol), org, team, THIS_WEEK)
    assert set(marks.values()) == {None}


def test_check_in_weeks_follow_the_organizations_time_zone(clock, org, team, carol, key_result):
    # Sunday 8 November, 23:30 UTC is already Monday the 9th in Berlin.
    clock.move_to(dt.datetime(2026, 11, 8, 23, 30, tzinfo=dt.UTC))
    checkin_record(key_result=key_result, value=25, by=carol)
    at(clock, NOW.date(), 12)
    marks = checkin_marks(access_of(org, carol), org, team, THIS_WEEK)
    assert marks[THIS_WEEK] is True
    assert marks[dt.date(2026, 11, 2)] is False


# --- weeks written ----------------------------------------------------------------------------


def write(org, person, week, **fields):
    report, _ = WeeklyReport.objects.get_or_create(organization=org, person=person, week=week)
    return WeeklyItem.objects.create(
        organization=org, report=report, category="plans", text="A plan", **fields
    )


def test_the_fill_in_share_leaves_out_viewers_and_people_who_joined_later(
    clock, org, team, alice, bob, carol, victor
):
    last_week = THIS_WEEK - WEEK
    at(clock, dt.date(2026, 11, 5))
    person_add(organization=org, email="newcomer@example.com", by=alice)
    for person in (bob, victor):
        write(org, person, last_week)
    at(clock, NOW.date(), 12)
    share = fill_in_of(org, last_week)
    assert (share.filled, share.people) == (1, 3)
    assert share.share == Decimal(1) / 3


def test_the_fill_in_share_of_an_empty_week_is_unknown_not_zero(org):
    share = fill_in_of(org, THIS_WEEK)
    assert share.people == 1 and share.filled == 0
    org.memberships.all().delete()
    assert fill_in_of(org, THIS_WEEK).share is None


def test_a_finished_carried_plan_counts_as_writing_the_week(clock, org, team, bob, carol):
    from tenfold.checkins.selectors import unit_people

    earlier = write(org, bob, THIS_WEEK - 2 * WEEK)
    write(org, bob, THIS_WEEK - WEEK, carried_from=earlier, done_at=START + dt.timedelta(days=40))
    write(org, carol, THIS_WEEK - WEEK)
    at(clock, NOW.date(), 12)
    marks, filled, expected = fill_in_marks(org, unit_people(org, team), THIS_WEEK)
    assert marks[THIS_WEEK - WEEK] is True
    assert marks[THIS_WEEK - 2 * WEEK] is False
    assert (filled[THIS_WEEK], expected[THIS_WEEK]) == (0, 2)


# --- the dashboards as a whole ----------------------------------------------------------------


def test_alignment_counts_follow_key_results_and_ignore_other_levels(
    clock, org, cycle, company, team, alice, carol, objective
):
    top = objective_create(
        organization=org, cycle=cycle, unit=company, title="Be loved", state="active", by=alice
    )
    top_kr = key_result_create(
        objective=top, title="NPS 40", kind="increase", start=10, target=40, by=alice
    )
    department = objective_create(
        organization=org,
        cycle=cycle,
        unit=team.parent,
        title="Product delights",
        state="active",
        by=alice,
    )
    alignment_link(child=objective, parent_key_result=top_kr, by=carol)
    alignment_link(child=department, parent_objective=top, by=alice)
    at(clock, NOW.date(), 12)
    dash = company_dashboard(access_of(org, alice), org, cycle, unit_tree(org))
    assert [(o.title, o.team_count) for o in dash.company_objectives] == [("Be loved", 1)]


def test_the_team_dashboard_without_a_cycle_still_shows_habits(org, team, carol):
    dash = team_dashboard(access_of(org, carol), org, team, None)
    assert dash.objectives == [] and dash.cycle is None
    assert dash.checkin_streak.weeks == 0
    assert len(dash.checkin_streak.recent) == 8


def test_a_person_is_found_only_in_their_own_organization(org, team, bob, mallory, other_org):
    assert get_person(org, bob.pk).user == bob
    with pytest.raises(Http404):
        get_person(org, mallory.pk)
    with pytest.raises(Http404):
        get_person(other_org, bob.pk)
