"""Adoption fixtures: time frozen in the middle of the test quarter, and a fast stand-in for
the sandbox build where a test is about pages and permissions rather than the demo itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tenfold.adoption import services
from tenfold.adoption.models import ChecklistItem, Programme
from tenfold.adoption.services import checklist_ensure
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind
from tenfold.organizations.services import organization_create, person_add, unit_create

NOW = "2026-11-15 12:00:00+00:00"
TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def programme(org: Organization, team: Unit, alice: Any) -> Programme:
    """The checklist of Acme, laid out by alice (the owner), rollout "everyone"."""
    return checklist_ensure(organization=org, by=alice)


@pytest.fixture
def step(programme: Programme) -> ChecklistItem:
    """The first standard step ("learn"), owned by alice."""
    item = ChecklistItem.objects.get(programme=programme, key="learn")
    item.organization = programme.organization
    return item


def small_build(sandbox: Any, person: Any) -> Organization:
    """A stand-in for the demo build: an organization with the sandbox's address, one team
    the person leads and one made-up colleague, in a few milliseconds."""
    slug = sandbox.email_domain.split(".", 1)[0]
    owner_email = f"maya.okafor@{sandbox.email_domain}"
    from tenfold.accounts.models import User

    owner = User.objects.filter(email=owner_email).first() or User.objects.create_user(
        email=owner_email, name="Maya Okafor"
    )
    organization = organization_create(name="Northwind Labs (Sandbox)", slug=slug, owner=owner)
    company = Unit.objects.get(organization=organization, parent__isnull=True)
    team = unit_create(
        organization=organization, name=services.SANDBOX_TEAM, parent=company, by=owner
    )
    person_add(
        organization=organization,
        email=f"noah.fischer@{sandbox.email_domain}",
        name="Noah Fischer",
        units=[team],
        by=owner,
    )
    person_add(
        organization=organization,
        email=person.email,
        role=Role.LEAD,
        units=[team],
        lead_of=[team],
        by=owner,
    )
    assert team.kind == UnitKind.TEAM
    sandbox.organization = organization
    sandbox.build_seconds = 0.01
    return organization


@pytest.fixture
def fast_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_build", small_build)


def membership(org: Organization, user: Any) -> Membership:
    return Membership.objects.get(organization=org, user=user)
