"""Sandboxes built from the real demo: a private copy per person, in which they lead one team;
nothing leaks into the organization it was opened from; reset and delete clean up the made-up
people. Each build takes a few seconds, so the journeys are few and long."""

from __future__ import annotations

import re
import time

from django.contrib.auth.hashers import is_password_usable

from tenfold.accounts.models import User
from tenfold.adoption.models import Sandbox
from tenfold.adoption.services import sandbox_delete, sandbox_open, sandbox_reset
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, WeeklyReport
from tenfold.kpis.models import Kpi
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.organizations.permissions import access_for
from tenfold.organizations.services import person_add

BUILD_LIMIT = 30
"""Seconds. A build takes about four on a quiet developer machine; this only catches a build
that has become an order of magnitude slower."""


def snapshot(org):
    """What a sandbox must never change in a real organization (its own audit lines about the
    sandbox aside)."""
    return (
        sorted(Objective.objects.filter(organization=org).values_list("code", "title")),
        sorted(KeyResult.objects.filter(organization=org).values_list("code", "current")),
        CheckIn.objects.filter(organization=org).count(),
        sorted(Membership.objects.filter(organization=org).values_list("user__email", "role")),
        sorted(UnitMember.objects.filter(organization=org).values_list("unit_id", "user_id")),
        Unit.objects.filter(organization=org).count(),
        Cycle.objects.filter(organization=org).count(),
        AuditEvent.objects.filter(organization=org).exclude(verb__startswith="adoption.").count(),
    )


def people_of(sandbox):
    return User.objects.filter(email__endswith=f"@{sandbox.email_domain}")


def test_a_sandbox_is_a_private_copy_of_the_demo_that_resets_and_deletes_cleanly(
    org, team, objective, key_result, alice, bob, carol
):
    before = snapshot(org)
    started = time.monotonic()
    sandbox, built = sandbox_open(person=carol, home=org)
    seconds = time.monotonic() - started
    print(f"\nsandbox build: {seconds:.2f} s (measured by the service: {sandbox.build_seconds} s)")
    assert built and seconds < BUILD_LIMIT
    box = sandbox.organization

    # Marked as a sandbox, at its own address, with people of its own.
    assert re.fullmatch(r"sandbox-[a-z2-9]{6}", box.slug)
    assert "Sandbox" in box.name and box.name.startswith("Northwind Labs")
    assert sandbox.email_domain == f"{box.slug}.example.com"
    people = people_of(sandbox)
    assert 55 <= people.count() <= 65
    assert not User.objects.filter(email__endswith="@example.com", email__startswith="maya.")
    assert not any(is_password_usable(u.password) for u in people)
    # The demo's quarter is all there.
    assert Cycle.objects.get(organization=box, name="Q3 2026").state == "closed"
    assert Cycle.objects.get(organization=box, name="Q4 2026").state == "active"
    assert CheckIn.objects.filter(organization=box).count() > 150
    assert WeeklyReport.objects.filter(organization=box).exists()
    assert Kpi.objects.filter(organization=box).count() >= 4

    # Carol is a member of the sandbox who leads its Onboarding team, and nothing more.
    membership = Membership.objects.get(organization=box, user=carol)
    assert membership.role == Role.LEAD
    led = UnitMember.objects.filter(organization=box, user=carol)
    assert [(u.unit.name, u.is_lead) for u in led] == [("Onboarding", True)]
    access = access_for(membership)
    ours = Objective.objects.filter(organization=box, unit__name="Onboarding").first()
    theirs = Objective.objects.filter(organization=box, unit__name="Platform").first()
    assert access.can_edit_objective(ours) and not access.can_edit_objective(theirs)
    assert not access.is_admin

    # Nothing leaked into Acme; Carol's other memberships are untouched.
    assert snapshot(org) == before
    assert set(Membership.objects.filter(user=carol).values_list("organization", flat=True)) == {
        org.pk,
        box.pk,
    }
    assert AuditEvent.objects.filter(organization=org, verb="adoption.sandbox_opened").count()

    # Opening again goes to the same sandbox.
    again, built = sandbox_open(person=carol, home=org)
    assert not built and again.organization == box

    # Reset: rebuilt from scratch at the same address, with fresh people.
    old_people = set(people.values_list("id", flat=True))
    objective_code = ours.code
    rebuilt = sandbox_reset(person=carol)
    assert rebuilt is not None and rebuilt.organization.slug == box.slug
    assert not Organization.objects.filter(pk=box.pk).exists()
    assert not Objective.objects.filter(code=objective_code).exists()
    new_people = set(people_of(rebuilt).values_list("id", flat=True))
    assert new_people and not old_people & new_people
    assert not User.objects.filter(id__in=old_people).exists()
    assert Membership.objects.get(organization=rebuilt.organization, user=carol).role == "lead"

    # A made-up person who also joined a real organization survives the deletion.
    noah = people_of(rebuilt).get(email__startswith="noah.fischer@")
    person_add(organization=org, email=noah.email, by=alice)
    after_join = snapshot(org)

    assert sandbox_delete(person=carol)
    assert not Organization.objects.filter(slug=box.slug).exists()
    assert list(people_of(rebuilt)) == [noah]
    assert User.objects.filter(pk=carol.pk).exists() and User.objects.filter(pk=bob.pk).exists()
    assert not Sandbox.objects.exists()
    assert snapshot(org) == after_join
    assert not sandbox_delete(person=carol)
    assert sandbox_reset(person=carol) is None


def test_two_people_get_two_sandboxes_that_share_nobody(org, team, alice, carol):
    first, _ = sandbox_open(person=alice, home=org)
    second, _ = sandbox_open(person=carol, home=org)
    assert first.organization.slug != second.organization.slug
    assert first.email_domain != second.email_domain
    theirs = set(people_of(first).values_list("id", flat=True))
    ours = set(people_of(second).values_list("id", flat=True))
    assert theirs and ours and not theirs & ours
    second_objectives = Objective.objects.filter(organization=second.organization).count()

    assert sandbox_delete(person=alice)
    assert not people_of(first).exists()
    assert Objective.objects.filter(organization=second.organization).count() == second_objectives
    assert people_of(second).count() == len(ours)
    assert Membership.objects.get(organization=second.organization, user=carol).role == "lead"


def test_an_organization_whose_address_merely_looks_like_a_sandbox_is_not_one(alice):
    from tenfold.adoption.selectors import sandbox_for_org
    from tenfold.organizations.services import organization_create

    lookalike = organization_create(name="Sandbox Games", slug="sandbox-games", owner=alice)
    assert sandbox_for_org(lookalike) is None
    assert sandbox_for_org(None) is None
