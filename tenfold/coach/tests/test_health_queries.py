"""The facts a health report reads from the database, the reports built on them, and the
guard that their number of queries does not grow with the organization."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenfold.accounts.models import User
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.coach.health import State, org_health, unit_health
from tenfold.coach.health.selectors import gather
from tenfold.okrs.models import Alignment, Cycle, CycleState, KeyResult, Objective
from tenfold.organizations.models import Membership, Role, Unit, UnitMember
from tenfold.reviews.models import Review, ReviewScore
from tenfold.social.models import Comment, Reaction

NOW = "2026-11-15 12:00:00+00:00"
TODAY = dt.date(2026, 11, 15)
THIS_WEEK = dt.date(2026, 11, 9)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def make_objective(org: Any, cycle: Any, unit: Any, title: str, **fields: Any) -> Objective:
    fields.setdefault("state", "active")
    fields.setdefault("level", "team")
    return Objective.objects.create(organization=org, cycle=cycle, unit=unit, title=title, **fields)


def make_kr(objective: Objective, title: str, **fields: Any) -> KeyResult:
    fields.setdefault("target", Decimal(10))
    return KeyResult.objects.create(
        organization=objective.organization, objective=objective, title=title, **fields
    )


def signals(report: Any) -> dict[str, Any]:
    return {s.key: s for s in report.signals}


# --- facts ----------------------------------------------------------------------------------


def test_feedback_counts_comments_and_reactions_of_the_last_four_weeks(
    org, cycle, team, objective, key_result, bob
):
    checkin = CheckIn.objects.create(
        organization=org, key_result=key_result, value=25, author=bob, measured_at=at(TODAY)
    )
    Comment.objects.create(organization=org, author=bob, body="a", objective=objective)
    Comment.objects.create(organization=org, author=bob, body="b", key_result=key_result)
    on_checkin = Comment.objects.create(organization=org, author=bob, body="c", checkin=checkin)
    Comment.objects.create(
        organization=org, author=bob, body="gone", objective=objective, deleted_at=timezone.now()
    )
    old = Comment.objects.create(organization=org, author=bob, body="old", objective=objective)
    Comment.objects.filter(pk=old.pk).update(created_at=at(TODAY - dt.timedelta(days=28)))
    Reaction.objects.create(organization=org, user=bob, emoji="heart", objective=objective)
    Reaction.objects.create(organization=org, user=bob, emoji="eyes", comment=on_checkin)
    # Talk about another cycle's objective does not count.
    other = Cycle.objects.create(
        organization=org, name="Q1 2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    elsewhere = make_objective(org, other, team, "Later")
    Comment.objects.create(organization=org, author=bob, body="x", objective=elsewhere)

    facts, _units = gather(org, cycle)
    (row,) = facts.objectives
    assert row.feedback == 5


def test_first_confidence_is_the_first_one_given_while_drafting(org, cycle, objective, bob):
    early = make_kr(objective, "Early")
    late = make_kr(objective, "Late")
    for kr, day, confidence in (
        (early, dt.date(2026, 10, 5), "1.0"),
        (early, dt.date(2026, 10, 12), "0.5"),
        (late, dt.date(2026, 10, 25), "1.0"),  # after the drafting weeks
    ):
        CheckIn.objects.create(
            organization=org,
            key_result=kr,
            value=1,
            confidence=Decimal(confidence),
            author=bob,
            measured_at=at(day),
        )
    facts, _units = gather(org, cycle)
    found = {row.title: row.first_confidence for row in facts.key_results}
    assert found == {"Early": Decimal("1.0"), "Late": None}


def test_creators_inside_and_outside_the_team(org, cycle, team, alice, carol):
    make_objective(org, cycle, team, "Ours", created_by=carol)
    make_objective(org, cycle, team, "Pushed", created_by=alice)  # owner, not in Growth
    make_objective(org, cycle, team, "Imported", created_by=None)
    facts, _units = gather(org, cycle)
    found = {row.title: row.creator_inside for row in facts.objectives}
    assert found == {"Ours": True, "Pushed": False, "Imported": None}


def test_team_key_results_know_what_they_could_copy(org, cycle, company, team, alice):
    goal = make_objective(org, cycle, company, "Grow", level="company")
    revenue = make_kr(goal, "Grow revenue to 2M")
    make_kr(goal, "Keep churn below 3 %")
    via_objective = make_objective(org, cycle, team, "Via the objective")
    make_kr(via_objective, "grow revenue to 2M!")
    via_kr = make_objective(org, cycle, team, "Via the key result")
    make_kr(via_kr, "Double the trials")
    Alignment.objects.create(organization=org, child=via_objective, parent_objective=goal)
    Alignment.objects.create(organization=org, child=via_kr, parent_key_result=revenue)

    facts, _units = gather(org, cycle)
    parents = {row.title: sorted(p.title for p in row.parents) for row in facts.key_results}
    # The company's own key results align to nothing, so they have nothing to copy.
    assert parents == {
        "Grow revenue to 2M": [],
        "Keep churn below 3 %": [],
        "grow revenue to 2M!": ["Grow revenue to 2M", "Keep churn below 3 %"],
        "Double the trials": ["Grow revenue to 2M"],
    }
    report = signals(org_health(org, cycle))
    assert report["copied_key_results"].state is State.PROBLEM  # 1 of 2
    assert report["copied_key_results"].items[0].note == "same as “Grow revenue to 2M”"


def test_scores_come_from_the_last_reviewed_cycle(org, cycle, team, carol):
    q3 = Cycle.objects.create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        state=CycleState.CLOSED,
    )
    last = make_objective(org, q3, team, "Last quarter")
    krs = [make_kr(last, f"KR {n}") for n in range(4)]
    unit_review = Review.objects.create(organization=org, cycle=q3, unit=team)
    company_review = Review.objects.create(organization=org, cycle=q3, unit=None)
    for kr in krs:
        ReviewScore.objects.create(review=unit_review, key_result=kr, proposed=Decimal("1.0"))
    # The company review scored one of them again, lower: the team's own score counts.
    ReviewScore.objects.create(
        review=company_review,
        key_result=krs[0],
        proposed=Decimal("1.0"),
        adjusted=Decimal("0.5"),
        reason="x",
    )
    facts, _units = gather(org, cycle)
    assert facts.context.scored_cycle_name == "Q3 2026"
    assert sorted(row.score for row in facts.scores) == [Decimal("1.0")] * 4
    report = signals(org_health(org, cycle))
    assert report["perfect_scores"].state is State.PROBLEM
    assert "Q3 2026" in report["perfect_scores"].evidence


def test_plans_of_the_last_two_weeks_by_person(org, cycle, team, objective, bob, carol, victor):
    def plans(person: Any, week: dt.date, linked: int, unlinked: int) -> None:
        report = WeeklyReport.objects.create(organization=org, person=person, week=week)
        for n in range(linked + unlinked):
            WeeklyItem.objects.create(
                organization=org,
                report=report,
                category="plans",
                text=f"plan {n}",
                objective=objective if n < linked else None,
            )
        # What got done is progress, not a plan.
        WeeklyItem.objects.create(organization=org, report=report, category="progress", text="x")

    plans(bob, THIS_WEEK, 1, 2)
    plans(bob, THIS_WEEK - dt.timedelta(weeks=1), 0, 1)
    plans(bob, THIS_WEEK - dt.timedelta(weeks=2), 5, 0)  # too old
    plans(carol, THIS_WEEK, 0, 2)
    plans(victor, THIS_WEEK, 0, 4)  # viewers write no weeks and are not counted
    facts, _units = gather(org, cycle)
    found = {row.name: (row.plans, row.linked) for row in facts.people}
    assert found == {
        "Alice Owner": (0, 0),
        "Bob Member": (4, 1),
        "Carol Lead": (2, 0),
    }


def test_leaders_are_admins_and_unit_leads_who_checked_in_or_not(
    org, cycle, team, key_result, carol
):
    CheckIn.objects.create(
        organization=org, key_result=key_result, value=1, author=carol, measured_at=at(TODAY)
    )
    facts, _units = gather(org, cycle)
    found = {row.name: (row.is_admin, row.checked_in) for row in facts.leaders}
    assert found == {"Alice Owner": (True, False), "Carol Lead": (False, True)}
    team_facts, _units = gather(org, cycle, scope=team)
    assert [row.name for row in team_facts.leaders] == ["Carol Lead"]


def test_the_first_cycle_is_the_earliest_one(org, cycle):
    later = Cycle.objects.create(
        organization=org, name="Q1 2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    assert gather(org, cycle)[0].context.first_cycle
    assert not gather(org, later)[0].context.first_cycle


def test_a_closed_cycle_is_judged_as_it_stood_on_its_last_day(org, cycle, key_result, bob):
    q3 = Cycle.objects.create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        state=CycleState.CLOSED,
    )
    assert gather(org, q3)[0].context.today == dt.date(2026, 9, 30)
    assert gather(org, cycle)[0].context.today == TODAY


# --- reports ------------------------------------------------------------------------------------


def test_an_organization_without_a_cycle_has_an_empty_report(org):
    report = org_health(org, None)
    assert (report.score, report.grade.value, report.signals) == (None, "unknown", ())


def test_a_units_report_has_the_numbers_the_organization_lists_for_it(
    org, cycle, company, team, objective, key_result, carol, bob
):
    sales = Unit.objects.create(organization=org, name="Sales", parent=company)
    pushed = make_objective(org, cycle, sales, "Sell more", created_by=carol)
    make_kr(pushed, "Close deals")
    CheckIn.objects.create(
        organization=org, key_result=key_result, value=30, author=bob, measured_at=at(TODAY)
    )
    report = org_health(org, cycle)
    listed = {row.code: row.score for row in report.units}
    assert listed[team.code] == unit_health(org, team, cycle).score
    assert listed[sales.code] == unit_health(org, sales, cycle).score
    assert listed[sales.code] < listed[team.code]
    assert report.units[0].code == sales.code  # weakest first
    # The company unit's report is the organization's.
    assert unit_health(org, company, cycle).score == report.score


def test_a_unit_report_covers_the_units_below_it(org, cycle, team, objective, key_result):
    department = team.parent
    report = unit_health(org, department, cycle)
    assert [row.code for row in report.units] == [team.code]
    by_key = signals(report)
    assert by_key["private_objectives"].evidence.startswith("0 of 1 objective")
    assert by_key["company_objectives"].state is State.NOT_APPLICABLE


# --- queries do not grow with the organization ----------------------------------------------------


def populate(org: Any, cycle: Any, company: Unit, teams: int, people_per_team: int) -> None:
    """`teams` teams of `people_per_team` people, each team with two aligned objectives of three
    key results, check-ins, comments, reactions, weekly plans and end-of-cycle scores."""
    serial = itertools.count(Unit.objects.count() * 1000 + User.objects.count())
    goal = make_objective(org, cycle, company, "Company goal", level="company")
    for _ in range(teams):
        n = next(serial)
        unit = Unit.objects.create(organization=org, name=f"Team {n}", parent=company)
        review = Review.objects.create(organization=org, cycle=cycle, unit=unit)
        users = User.objects.bulk_create(
            [
                User(email=f"p{n}-{k}@example.com", name=f"Person {n}-{k}")
                for k in range(people_per_team)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(organization=org, user=u, role=Role.MEMBER) for u in users]
        )
        UnitMember.objects.bulk_create(
            [
                UnitMember(organization=org, unit=unit, user=u, is_lead=k == 0)
                for k, u in enumerate(users)
            ]
        )
        reports = WeeklyReport.objects.bulk_create(
            [WeeklyReport(organization=org, person=u, week=THIS_WEEK) for u in users]
        )
        for objective_n in range(2):
            objective = make_objective(
                org,
                cycle,
                unit,
                f"Objective {n}-{objective_n}",
                created_by=users[0],
                visibility="private" if objective_n else "organization",
            )
            Alignment.objects.create(organization=org, child=objective, parent_objective=goal)
            krs = KeyResult.objects.bulk_create(
                [
                    KeyResult(
                        organization=org,
                        objective=objective,
                        title=f"Raise X{k} from 1 to 2",
                        target=Decimal(2),
                        owner=users[k % len(users)],
                        last_checkin_at=at(TODAY - dt.timedelta(days=3 * k)),
                    )
                    for k in range(3)
                ]
            )
            checkins = CheckIn.objects.bulk_create(
                [
                    CheckIn(
                        organization=org,
                        key_result=kr,
                        value=1,
                        confidence=Decimal("1.0"),
                        author=users[0],
                        measured_at=at(dt.date(2026, 10, 5)),
                    )
                    for kr in krs
                ]
            )
            ReviewScore.objects.bulk_create(
                [ReviewScore(review=review, key_result=kr, proposed=Decimal("1.0")) for kr in krs]
            )
            Comment.objects.create(
                organization=org, author=users[0], body="Nice", checkin=checkins[0]
            )
            Reaction.objects.create(
                organization=org, user=users[-1], emoji="heart", objective=objective
            )
        WeeklyItem.objects.bulk_create(
            [WeeklyItem(organization=org, report=r, category="plans", text="Plan") for r in reports]
        )


def count_queries(call: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_queries_do_not_grow_with_units_and_people(org, cycle, company, team):
    populate(org, cycle, company, teams=2, people_per_team=2)
    small_org = count_queries(lambda: org_health(org, cycle))
    small_unit = count_queries(lambda: unit_health(org, team.parent, cycle))
    populate(org, cycle, company, teams=25, people_per_team=6)
    # Nest some teams under the department too, so the unit report has rows below it.
    Unit.objects.filter(organization=org, name__startswith="Team ").update(parent=team.parent)
    assert count_queries(lambda: org_health(org, cycle)) == small_org
    assert count_queries(lambda: unit_health(org, team.parent, cycle)) == small_unit
    assert small_org <= 16 and small_unit <= 16
    report = org_health(org, cycle)
    assert len(report.units) == 10 and report.units_judged >= 27
