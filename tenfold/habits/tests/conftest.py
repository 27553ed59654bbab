"""Fixtures of the habits tests: a clock that starts on the first day of the test cycle (so the
personas, teams and key results exist from then on) and is moved to the weeks a test crafts,
an organization with leaderboards on, and builders for many teams at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tenfold.accounts.models import User
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import KeyResult, Objective
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.organizations.permissions import Access, access_for

START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)  # a Sunday
THIS_WEEK = dt.date(2026, 11, 9)
LAST_WEEK = dt.date(2026, 11, 2)
WEEK = dt.timedelta(days=7)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock: Any, day: dt.date, hour: int = 10) -> None:
    """Move the clock to `hour` o'clock UTC on `day` (in Berlin, an hour or two later)."""
    clock.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC))


def to_now(clock: Any) -> None:
    clock.move_to(NOW)


def access_of(org: Organization, user: Any) -> Access:
    return access_for(Membership.objects.get(organization=org, user=user))


@pytest.fixture
def on(org: Organization) -> Organization:
    """The organization with habit leaderboards turned on."""
    org.leaderboards_enabled = True
    org.save(update_fields=["leaderboards_enabled"])
    return org


def check_in_weeks(clock: Any, key_result: KeyResult, by: Any, weeks: list[dt.date]) -> None:
    """One check-in on the Wednesday of each week."""
    for week in weeks:
        at(clock, week + dt.timedelta(days=2))
        checkin_record(key_result=key_result, value=Decimal(25), by=by)


def write_week(org: Organization, person: Any, week: dt.date, **fields: Any) -> WeeklyItem:
    report, _created = WeeklyReport.objects.get_or_create(
        organization=org, person=person, week=week
    )
    return WeeklyItem.objects.create(
        organization=org, report=report, category="plans", text="A plan", **fields
    )


def add_teams(
    org: Organization,
    parent: Unit,
    cycle: Any,
    count: int,
    *,
    people: int = 5,
    key_results: int = 3,
    prefix: str = "Team",
) -> tuple[list[Unit], list[User], list[KeyResult]]:
    """`count` teams under `parent`, each with people, an active objective with key results
    checked in every week of the cycle so far, and last week written by most of its people.
    Bulk inserts: thousands of rows in a moment."""
    start = Unit.objects.filter(organization=org).count()
    teams = Unit.objects.bulk_create(
        Unit(organization=org, name=f"{prefix} {start + n:04d}", kind="team", parent=parent)
        for n in range(count)
    )
    users = User.objects.bulk_create(
        User(email=f"{prefix.lower()}{start + n}-{p}@example.com", name=f"P{start + n}-{p}")
        for n in range(count)
        for p in range(people)
    )
    Membership.objects.bulk_create(
        Membership(organization=org, user=user, role=Role.MEMBER) for user in users
    )
    UnitMember.objects.bulk_create(
        UnitMember(organization=org, unit=teams[index // people], user=user)
        for index, user in enumerate(users)
    )
    objectives = Objective.objects.bulk_create(
        Objective(organization=org, cycle=cycle, unit=team, title="Grow", state="active")
        for team in teams
    )
    krs = KeyResult.objects.bulk_create(
        KeyResult(organization=org, objective=objective, title=f"KR {k}", target=Decimal(10))
        for objective in objectives
        for k in range(key_results)
    )
    return teams, users, krs


def fill_history(org: Organization, krs: list[KeyResult], users: list[Any], weeks: int) -> None:
    """A check-in for every key result in each of the last `weeks` weeks, and last week
    written by every person; bulk inserts."""
    CheckIn.objects.bulk_create(
        CheckIn(
            organization=org,
            key_result=kr,
            value=Decimal(5),
            measured_at=dt.datetime.combine(
                THIS_WEEK - WEEK * ago + dt.timedelta(days=2), dt.time(10), tzinfo=dt.UTC
            ),
        )
        for kr in krs
        for ago in range(1, weeks + 1)
    )
    reports = WeeklyReport.objects.bulk_create(
        WeeklyReport(organization=org, person=user, week=LAST_WEEK) for user in users
    )
    WeeklyItem.objects.bulk_create(
        WeeklyItem(organization=org, report=report, category="plans", text="Plan")
        for report in reports
    )
