"""Calendar fixtures: time frozen on Sunday 15 November 2026 (inside the test quarter), Acme in
New York with Thursday 9:00 check-ins, a quarter in planning after the active one and a closed
one before it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.okrs.services import cycle_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now(request: Any) -> Any:
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


@pytest.fixture
def new_york(org: Any) -> Any:
    org.time_zone = "America/New_York"
    org.checkin_weekday = 3  # Thursday
    org.checkin_hour = 9
    org.save(update_fields=["time_zone", "checkin_weekday", "checkin_hour"])
    return org


@pytest.fixture
def cycles(org: Any, alice: Any, cycle: Cycle) -> list[Cycle]:
    before = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.CLOSED,
        by=alice,
    )
    after = cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.PLANNING,
        by=alice,
    )
    return [before, cycle, after]
