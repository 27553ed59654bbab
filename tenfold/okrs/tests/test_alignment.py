"""Aligning objectives: a child chooses the objective or key result it contributes to; loops,
other organizations and cycles that do not contain the child's are refused."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Alignment, Cycle
from tenfold.okrs.services import (
    alignment_link,
    alignment_unlink,
    cycle_create,
    key_result_create,
    objective_create,
)
from tenfold.okrs.tests.helpers import NOW, refused, row_counts


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def make(org, cycle, team, carol):
    def make(title, unit=team, in_cycle=cycle):
        return objective_create(organization=org, cycle=in_cycle, unit=unit, title=title, by=carol)

    return make


def test_linking_writes_the_alignment_and_one_audit_event(make, carol):
    child, parent = make("Child"), make("Parent")
    before = row_counts()
    link = alignment_link(child=child, parent_objective=parent, weight="0.25", by=carol)
    after = row_counts()
    assert (after["Alignment"], after["AuditEvent"]) == (
        before["Alignment"] + 1,
        before["AuditEvent"] + 1,
    )
    assert (link.parent, link.weight) == (parent, D("0.25"))
    event = AuditEvent.objects.get(verb="alignment.linked")
    assert event.changes == {"parent": parent.code, "weight": "0.25"}


def test_a_child_can_align_to_a_key_result(make, carol):
    child, parent = make("Child"), make("Parent")
    kr = key_result_create(objective=parent, title="K", start=0, target=1, by=carol)
    link = alignment_link(child=child, parent_key_result=kr, by=carol)
    assert link.parent == kr


@pytest.mark.parametrize("weight", ["-0.1", "1.01", "abc", "NaN", "inf"])
def test_a_contribution_outside_zero_to_one_is_refused(make, carol, weight):
    child, parent = make("Child"), make("Parent")
    message = refused(
        "weight", alignment_link, child=child, parent_objective=parent, weight=weight, by=carol
    )
    assert "between 0 and 1" in message


def test_aligning_an_objective_to_itself_is_refused(make, carol):
    a = make("A")
    assert "loop" in refused("parent", alignment_link, child=a, parent_objective=a, by=carol)


def test_aligning_back_to_a_child_is_refused(make, carol):
    a, b = make("A"), make("B")
    alignment_link(child=a, parent_objective=b, by=carol)
    assert "loop" in refused("parent", alignment_link, child=b, parent_objective=a, by=carol)


def test_a_longer_loop_is_refused(make, carol):
    a, b, c = make("A"), make("B"), make("C")
    alignment_link(child=a, parent_objective=b, by=carol)
    alignment_link(child=b, parent_objective=c, by=carol)
    assert "loop" in refused("parent", alignment_link, child=c, parent_objective=a, by=carol)


def test_a_loop_through_a_key_result_is_refused(make, carol):
    a, b = make("A"), make("B")
    kr = key_result_create(objective=b, title="K", start=0, target=1, by=carol)
    alignment_link(child=a, parent_key_result=kr, by=carol)
    assert "loop" in refused("parent", alignment_link, child=b, parent_objective=a, by=carol)


def test_a_loop_closed_by_a_key_result_link_is_refused(make, carol):
    a, b = make("A"), make("B")
    alignment_link(child=a, parent_objective=b, by=carol)
    kr = key_result_create(objective=a, title="K", start=0, target=1, by=carol)
    assert "loop" in refused("parent", alignment_link, child=b, parent_key_result=kr, by=carol)


def test_aligning_to_another_organizations_objective_is_refused(make, carol, other_org, mallory):
    theirs = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        unit=other_org.units.get(),
        title="Theirs",
        by=mallory,
    )
    message = refused(
        "parent", alignment_link, child=make("Ours"), parent_objective=theirs, by=carol
    )
    assert "another organization" in message


def test_aligning_to_another_organizations_key_result_is_refused(make, carol, other_org, mallory):
    theirs = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        unit=other_org.units.get(),
        title="Theirs",
        by=mallory,
    )
    kr = key_result_create(objective=theirs, title="K", start=0, target=1, by=mallory)
    message = refused("parent", alignment_link, child=make("Ours"), parent_key_result=kr, by=carol)
    assert "another organization" in message


def test_aligning_twice_to_the_same_parent_is_refused(make, carol):
    child, parent = make("Child"), make("Parent")
    alignment_link(child=child, parent_objective=parent, by=carol)
    message = refused("parent", alignment_link, child=child, parent_objective=parent, by=carol)
    assert "already aligned" in message


def test_a_child_may_align_to_an_objective_of_a_cycle_that_contains_its_own(
    org, company, make, alice, carol
):
    year = cycle_create(
        organization=org,
        name="2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        kind="year",
        state="active",
        by=alice,
    )
    yearly = make("Yearly", unit=company, in_cycle=year)
    assert alignment_link(child=make("Quarterly"), parent_objective=yearly, by=carol)


def test_a_child_may_not_align_to_an_objective_of_a_shorter_cycle(org, company, make, alice, carol):
    year = cycle_create(
        organization=org,
        name="2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        kind="year",
        state="active",
        by=alice,
    )
    yearly = make("Yearly", unit=company, in_cycle=year)
    message = refused(
        "parent", alignment_link, child=yearly, parent_objective=make("Quarterly"), by=carol
    )
    assert "same cycle" in message


def test_a_link_needs_exactly_one_parent(make, carol):
    a, b = make("A"), make("B")
    kr = key_result_create(objective=b, title="K", start=0, target=1, by=carol)
    refused("parent", alignment_link, child=a, by=carol)
    refused("parent", alignment_link, child=a, parent_objective=b, parent_key_result=kr, by=carol)


def test_unlinking_removes_the_link_and_writes_one_audit_event(make, carol):
    child, parent = make("Child"), make("Parent")
    link = alignment_link(child=child, parent_objective=parent, by=carol)
    events = AuditEvent.objects.count()
    alignment_unlink(link=link, by=carol)
    assert not Alignment.objects.exists()
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.filter(verb="alignment.unlinked", object_code=child.code).exists()


def test_a_refused_link_raises_a_validation_error_not_a_database_error(make, carol):
    a = make("A")
    with pytest.raises(ValidationError):
        alignment_link(child=a, parent_objective=a, weight="x", by=carol)
