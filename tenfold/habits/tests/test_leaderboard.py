"""The leaderboard's rules with crafted weeks: the check-in streak (the team dashboard's, for
every team at once), weekly participation, departments, visibility, sorting, and the switch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenfold.checkins.services import checkin_record
from tenfold.habits.selectors import (
    TeamHabits,
    leaderboard,
    leaderboard_data,
    sort_rows,
)
from tenfold.okrs.dashboards import Streak, team_dashboard
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Role, Unit
from tenfold.organizations.services import person_add, unit_create

from .conftest import (
    LAST_WEEK,
    THIS_WEEK,
    WEEK,
    access_of,
    at,
    check_in_weeks,
    to_now,
    write_week,
)


def row_of(board, unit):
    (row,) = [row for row in board.rows if row.unit.id == unit.id]
    return row


def weeks_ago(*numbers):
    return [THIS_WEEK - WEEK * n for n in numbers]


# --- the check-in streak ----------------------------------------------------------------------


def test_the_streak_is_the_one_the_team_dashboard_shows(clock, on, cycle, team, carol, key_result):
    check_in_weeks(clock, key_result, carol, weeks_ago(4, 2, 1))
    to_now(clock)
    access = access_of(on, carol)
    row = row_of(leaderboard(on, access), team)
    assert row.streak.weeks == 2  # last week and the one before; three weeks ago was missed
    assert row.streak == team_dashboard(access, on, team, cycle).checkin_streak
    assert [mark.met for mark in row.streak.recent][-5:] == [True, False, True, True, False]


def test_this_week_counts_once_it_qualifies_and_never_breaks_a_streak(
    clock, on, cycle, team, carol, key_result
):
    check_in_weeks(clock, key_result, carol, weeks_ago(2, 1))
    to_now(clock)
    assert row_of(leaderboard(on, None), team).streak.weeks == 2  # this week is still open
    checkin_record(key_result=key_result, value=30, by=carol)
    row = row_of(leaderboard(on, None), team)
    assert (row.streak.weeks, row.streak.this_week_met) == (3, True)


def test_every_key_result_must_be_checked_in_and_new_ones_count_from_the_next_week(
    clock, on, cycle, team, carol, objective, key_result
):
    at(clock, LAST_WEEK + dt.timedelta(days=2))  # written on the Wednesday of last week
    second = key_result_create(
        objective=objective, title="Second", kind="increase", start=0, target=10, by=carol
    )
    check_in_weeks(clock, key_result, carol, weeks_ago(2, 1, 0))
    to_now(clock)
    access = access_of(on, carol)
    row = row_of(leaderboard(on, access), team)
    marks = {mark.week: mark.met for mark in row.streak.recent}
    assert marks[LAST_WEEK] is True  # "Second" was not expected yet
    assert marks[THIS_WEEK] is False  # now it is, and it has no check-in
    assert row.streak.weeks == 2
    checkin_record(key_result=second, value=1, by=carol)
    after = row_of(leaderboard(on, access), team)
    assert after.streak.weeks == 3
    assert after.streak == team_dashboard(access, on, team, cycle).checkin_streak


def test_drafts_and_weeks_outside_the_cycle_expect_nothing(clock, on, cycle, team, carol):
    draft = objective_create(
        organization=on, cycle=cycle, unit=team, title="Idea", state="draft", by=carol
    )
    key_result_create(objective=draft, title="Maybe", kind="increase", start=0, target=1, by=carol)
    to_now(clock)
    row = row_of(leaderboard(on, None), team)
    assert row.streak.weeks == 0
    assert {mark.met for mark in row.streak.recent} == {None}
    assert row.key_results == 0


def test_weeks_follow_the_organizations_time_zone(clock, on, cycle, team, carol, key_result):
    # Sunday 8 November, 23:30 UTC is already Monday the 9th in Berlin.
    clock.move_to(dt.datetime(2026, 11, 8, 23, 30, tzinfo=dt.UTC))
    checkin_record(key_result=key_result, value=25, by=carol)
    to_now(clock)
    marks = {m.week: m.met for m in row_of(leaderboard(on, None), team).streak.recent}
    assert (marks[THIS_WEEK], marks[LAST_WEEK]) == (True, False)


def test_a_private_objective_counts_only_for_those_who_may_see_it(
    clock, on, cycle, team, bob, carol, key_result
):
    hidden = objective_create(
        organization=on,
        cycle=cycle,
        unit=team,
        title="Quiet plan",
        visibility="private",
        state="active",
        lead=carol,
        by=carol,
    )
    key_result_create(
        objective=hidden, title="Unseen", kind="increase", start=0, target=1, by=carol
    )
    check_in_weeks(clock, key_result, carol, weeks_ago(2, 1))
    to_now(clock)
    assert row_of(leaderboard(on, access_of(on, bob)), team).streak.weeks == 2
    assert row_of(leaderboard(on, access_of(on, carol)), team).streak.weeks == 0
    assert row_of(leaderboard(on, None), team).streak.weeks == 0  # the operator counts all


def test_the_number_of_key_results_is_the_current_cycles(clock, on, cycle, team, key_result):
    to_now(clock)
    assert row_of(leaderboard(on, None), team).key_results == 1


# --- weekly participation ---------------------------------------------------------------------


def test_participation_is_the_share_of_the_team_who_wrote_last_week(
    clock, on, cycle, team, alice, bob, carol
):
    person_add(
        organization=on, email="watcher@example.com", role=Role.VIEWER, units=[team], by=alice
    )
    at(clock, LAST_WEEK + dt.timedelta(days=1))
    person_add(organization=on, email="newcomer@example.com", units=[team], by=alice)
    write_week(on, bob, LAST_WEEK)
    write_week(on, carol, THIS_WEEK)  # this week is not the one counted
    to_now(clock)
    row = row_of(leaderboard(on, None), team)
    assert (row.wrote, row.people) == (1, 2)  # viewers and later joiners are left out
    assert row.participation == Decimal("0.5")


def test_only_items_written_or_plans_finished_count_as_writing_the_week(
    clock, on, cycle, team, bob, carol
):
    earlier = write_week(on, bob, LAST_WEEK - WEEK)
    write_week(on, bob, LAST_WEEK, carried_from=earlier)  # carried over, nothing more
    earlier_plan = write_week(on, carol, LAST_WEEK - WEEK)
    write_week(on, carol, LAST_WEEK, carried_from=earlier_plan, done_at=dt.datetime.now(dt.UTC))
    to_now(clock)
    row = row_of(leaderboard(on, None), team)
    assert (row.wrote, row.people) == (1, 2)


def test_a_team_without_people_has_no_share(clock, on, cycle, team, company, alice):
    empty = unit_create(organization=on, name="Empty", parent=company, by=alice)
    to_now(clock)
    row = row_of(leaderboard(on, None), empty)
    assert (row.wrote, row.people, row.participation) == (0, 0, None)


def test_departments_are_ranked_only_when_asked_and_count_their_teams_people(
    clock, on, cycle, team, bob
):
    product = Unit.objects.get(organization=on, name="Product")
    write_week(on, bob, LAST_WEEK)
    to_now(clock)
    assert [row.unit for row in leaderboard(on, None).rows] == [team]
    board = leaderboard(on, None, departments=True)
    assert {row.unit.name for row in board.rows} == {"Growth", "Product"}
    assert (row_of(board, product).wrote, row_of(board, product).people) == (1, 2)
    assert row_of(board, team).parent == product


# --- sorting, the switch, the shape ----------------------------------------------------------


def habits(name, code, streak, wrote, people):
    return TeamHabits(
        unit=Unit(name=name, code=code),
        parent=None,
        streak=Streak(streak),
        wrote=wrote,
        people=people,
        key_results=3,
    )


ROWS = [
    habits("gamma", "c", 3, 1, 4),
    habits("Beta", "b", 5, 0, 0),
    habits("alpha", "a", 3, 2, 4),
    habits("Delta", "d", 0, 0, 4),
]


def test_sorting_by_streak_breaks_ties_by_name():
    rows = sort_rows(list(ROWS), "streak")
    assert [(row.rank, row.unit.name) for row in rows] == [
        (1, "Beta"),
        (2, "alpha"),
        (3, "gamma"),
        (4, "Delta"),
    ]


def test_sorting_by_participation_puts_teams_without_people_last():
    rows = sort_rows(list(ROWS), "participation")
    assert [row.unit.name for row in rows] == ["alpha", "gamma", "Delta", "Beta"]


def test_an_unknown_sort_is_a_programming_error(on):
    with pytest.raises(ValueError, match="sort"):
        leaderboard(on, None, sort="score")


def test_nothing_is_counted_when_the_organization_has_not_turned_it_on(
    clock, org, cycle, team, carol, key_result, django_assert_max_num_queries
):
    check_in_weeks(clock, key_result, carol, weeks_ago(1))
    to_now(clock)
    with django_assert_max_num_queries(4):  # the week and the cycle, no habit is read
        board = leaderboard(org, None)
    assert (board.enabled, board.rows) == (False, [])
    assert leaderboard_data(board)["teams"] == []


def test_the_data_carries_habits_and_no_progress_or_score(clock, on, cycle, team, key_result):
    to_now(clock)
    data = leaderboard_data(leaderboard(on, None))
    (team_data,) = data["teams"]
    words = ("progress", "score", "confidence", "status", "current", "target")
    keys = {*data, *team_data}
    assert not [key for key in keys if any(word in key for word in words)]
    assert team_data["unit"]["code"] == team.code
