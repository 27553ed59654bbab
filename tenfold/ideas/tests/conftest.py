"""Ideas fixtures: time frozen inside the test quarter, a quarter in planning after it, the
personas' access, and an idea of Bob's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tenfold.ideas.models import Idea
from tenfold.ideas.services import idea_add
from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.okrs.services import cycle_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


@pytest.fixture
def as_of(org: Any, team: Any) -> Any:
    """`as_of(user)`: that persona's access to Acme."""
    return lambda user: access_of(org, user)


@pytest.fixture
def next_cycle(org: Any, alice: Any, cycle: Cycle) -> Cycle:
    """The quarter after the active one, being planned."""
    return cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.PLANNING,
        by=alice,
    )


@pytest.fixture
def idea(org: Any, team: Any, bob: Any, cycle: Cycle) -> Idea:
    return idea_add(
        access=access_of(org, bob),
        question="change",
        text="Pair new customers with a buddy for their first month",
        details="Churn is highest in the first four weeks.",
        unit=team,
    )
