"""Digest fixtures: time frozen on a Monday morning in Berlin (the default digest hour), and a
team week told through the real services: check-ins two weeks ago and last week, plans and a
problem carried over from the week before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tenfold.checkins import weekly
from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
"""Monday 23 November 2026, 08:30 in Berlin: half an hour after the digest is due."""
DUE = dt.datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
"""Monday 08:00 in Berlin, the organization's digest hour: the end of the digest's week."""
LAST_WEEK = dt.date(2026, 11, 16)
TWO_WEEKS_AGO = dt.date(2026, 11, 9)


def moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


def add_item(org: Any, user: Any, category: str, text: str, link: str = "") -> Any:
    return weekly.item_add(access=access_of(org, user), category=category, text=text, link=link)


@pytest.fixture
def story(clock, org, cycle, team, objective, key_result, alice, bob, carol) -> dict[str, Any]:
    """The Growth team's quarter up to Monday 23 November:

    - "Raise activation" (bob): 25 two weeks ago, 34 last week — the biggest mover;
    - "Cut time to first value" (carol): 9 two weeks ago, nothing since — stale;
    - "Reach 100 reviews" (bob): 10, then 100 last week — reached its target;
    - "Grow NPS" (bob): 29 last week with confidence 2 — at risk, and bob is unsure;
    - bob's problem "Waiting for analytics access", written two weeks ago and carried into
      last week, still open; bob and carol wrote plans for last week.
    """
    faster = key_result_create(
        objective=objective,
        title="Cut time to first value from 10 to 4 days",
        kind="decrease",
        start=Decimal(10),
        target=Decimal(4),
        unit_label="days",
        owner=carol,
        by=carol,
    )
    reviews = key_result_create(
        objective=objective,
        title="Reach 100 reviews",
        kind="increase",
        start=Decimal(0),
        target=Decimal(100),
        owner=bob,
        by=carol,
    )
    nps = key_result_create(
        objective=objective,
        title="Grow NPS from 20 to 50",
        kind="increase",
        start=Decimal(20),
        target=Decimal(50),
        owner=bob,
        by=carol,
    )
    clock.move_to(moment(TWO_WEEKS_AGO + dt.timedelta(days=1)))
    checkin_record(key_result=key_result, value=25, confidence=7, by=bob)
    checkin_record(key_result=faster, value=9, confidence=6, by=carol)
    checkin_record(key_result=reviews, value=10, confidence=8, by=bob)
    checkin_record(key_result=nps, value=24, confidence=5, by=bob)
    problem = add_item(org, bob, "problems", "Waiting for analytics access")
    clock.move_to(moment(LAST_WEEK + dt.timedelta(days=2)))
    checkin_record(
        key_result=key_result, value=34, confidence=8, note="Onboarding checklist shipped", by=bob
    )
    checkin_record(key_result=reviews, value=100, confidence=10, by=bob)
    checkin_record(key_result=nps, value=29, confidence=2, by=bob)
    plan = add_item(org, bob, "plans", "Interview five new customers", link=key_result.code)
    add_item(org, carol, "plans", "Draft the welcome email")
    clock.move_to(NOW)
    return {
        "activation": key_result,
        "faster": faster,
        "reviews": reviews,
        "nps": nps,
        "problem": problem,
        "plan": plan,
    }
