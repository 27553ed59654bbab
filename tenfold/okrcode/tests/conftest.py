"""A small organization whose OKRs are exported, edited and applied back."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tenfold.accounts.models import User
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.organizations.models import Organization, Unit


@dataclass
class World:
    org: Organization
    cycle: Cycle
    company: Unit
    team: Unit
    mission: Objective
    revenue: KeyResult
    onboarding: Objective
    activation: KeyResult
    setup_time: KeyResult


@pytest.fixture
def world(org: Organization, cycle: Cycle, company: Unit, team: Unit, alice: User, bob: User,
          carol: User) -> World:  # fmt: skip
    mission = objective_create(
        organization=org, cycle=cycle, unit=company, title="Customers succeed with us",
        lead=alice, state="active", by=alice,
    )  # fmt: skip
    revenue = key_result_create(
        objective=mission, title="Grow net revenue retention from 95% to 110%", kind="increase",
        start=Decimal(95), target=Decimal(110), unit_label="%", owner=alice, by=alice,
    )  # fmt: skip
    onboarding = objective_create(
        organization=org, cycle=cycle, unit=team, title="Make onboarding effortless",
        description="New teams get value in their first week.\nNo hand-holding.",
        lead=carol, state="active", by=carol,
    )  # fmt: skip
    activation = key_result_create(
        objective=onboarding, title="Raise activation from 20% to 40%", kind="increase",
        start=Decimal(20), target=Decimal(40), unit_label="%", owner=bob, by=carol,
    )  # fmt: skip
    setup_time = key_result_create(
        objective=onboarding, title="Cut setup time from 3 days to 1.5 days", kind="decrease",
        start=Decimal(3), target=Decimal("1.5"), unit_label="days", weight=Decimal(2), by=carol,
    )  # fmt: skip
    alignment_link(child=onboarding, parent_key_result=revenue, weight=Decimal("0.5"), by=carol)
    return World(
        org=org, cycle=cycle, company=company, team=team, mission=mission, revenue=revenue,
        onboarding=onboarding, activation=activation, setup_time=setup_time,
    )  # fmt: skip


def team_file(directory: Path) -> Path:
    (path,) = [p for p in directory.rglob("*.yaml") if p.name == "growth.yaml"]
    return path


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (old, text)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def snapshot(org: Organization) -> dict[str, Any]:
    """What apply must leave alone when there is nothing to do."""
    from tenfold.audit.models import AuditEvent
    from tenfold.okrs.models import Alignment

    return {
        "events": AuditEvent.objects.filter(organization=org).count(),
        "objectives": sorted(
            Objective.objects.filter(organization=org).values_list("code", "version", "state")
        ),
        "key_results": sorted(
            KeyResult.objects.filter(organization=org).values_list("code", "version", "title")
        ),
        "links": sorted(
            Alignment.objects.filter(organization=org).values_list("child__code", "weight")
        ),
    }
