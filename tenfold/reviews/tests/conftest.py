"""Fixtures of the review tests: a Growth cycle that has been moved to reviewing, so its
reviews are open."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import cycle_set_state, key_result_create, objective_create
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for
from tenfold.reviews.models import Review

NOW = "2026-12-20 12:00:00+00:00"
"""Near the end of the `cycle` fixture (1 Oct – 31 Dec 2026)."""


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(user: Any, org: Any) -> Access:
    return access_for(Membership.objects.get(organization=org, user=user))


def add_key_result(objective: Objective, by: Any, title: str, **fields: Any) -> KeyResult:
    fields.setdefault("kind", "increase")
    fields.setdefault("start", Decimal(0))
    fields.setdefault("target", Decimal(100))
    return key_result_create(objective=objective, title=title, by=by, **fields)


@pytest.fixture
def company_objective(org: Any, cycle: Any, company: Any, alice: Any) -> Objective:
    objective = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Become the tool teams reach for",
        type="aspirational",
        state="active",
        by=alice,
    )
    add_key_result(objective, alice, "Grow weekly active teams from 0 to 100")
    return objective


@pytest.fixture
def reviewing(cycle: Any, objective: Objective, key_result: KeyResult, bob: Any, alice: Any) -> Any:
    """The team has checked in (activation 20 → 33 of 40: progress 0.65) and the cycle has
    moved to reviewing, which opened the reviews."""
    checkin_record(key_result=key_result, value=Decimal(33), by=bob)
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    return cycle


@pytest.fixture
def review(reviewing: Any, team: Any) -> Review:
    return Review.objects.get(cycle=reviewing, unit=team)


@pytest.fixture
def company_review(reviewing: Any) -> Review:
    return Review.objects.get(cycle=reviewing, unit__isnull=True)
