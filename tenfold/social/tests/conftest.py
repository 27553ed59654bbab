"""Fixtures of the social tests: check-ins, weekly items, private objectives and a quick way
to get a persona's Access."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import objective_create
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import access_to
from tenfold.organizations.services import unit_create

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def access_of(user: Any, org: Any) -> Access:
    return access_to(user, org.slug)[1]


@pytest.fixture
def checkin(key_result: Any, bob: Any) -> Any:
    return checkin_record(key_result=key_result, value=30, confidence=7, note="Good", by=bob)


@pytest.fixture
def item(org: Any, bob: Any, objective: Any) -> WeeklyItem:
    """A plan in bob's week, linked to the team's objective."""
    report = WeeklyReport.objects.create(organization=org, person=bob, week=dt.date(2026, 11, 9))
    return WeeklyItem.objects.create(
        organization=org,
        report=report,
        category="plans",
        text="Interview five trial users",
        objective=objective,
        added_by=bob,
    )


@pytest.fixture
def private_objective(org: Any, cycle: Any, company: Any, alice: Any, team: Any) -> Any:
    """A private objective of another team that only alice (the owner) may see."""
    other_team = unit_create(organization=org, name="Finance", parent=company, by=alice)
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=other_team,
        title="Renegotiate the office lease",
        visibility="private",
        lead=alice,
        state="active",
        by=alice,
    )
