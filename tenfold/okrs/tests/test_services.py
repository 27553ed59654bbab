import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Alignment, Cycle, KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    cycles_create_for_year,
    key_result_create,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def counts():
    return [
        m.objects.count() for m in (Objective, KeyResult, CheckIn, Alignment, AuditEvent, Cycle)
    ]


def refused(field, fn, **kwargs):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        fn(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert counts() == before
    return caught.value.message_dict[field][0]


def test_writes_leave_one_audit_event_each(org, cycle, team, carol):
    before = AuditEvent.objects.count()
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="A", by=carol)
    key_result_create(objective=objective, title="K", kind="increase", start=0, target=1, by=carol)
    assert AuditEvent.objects.count() == before + 2


@pytest.mark.parametrize(
    ("kind", "start", "target", "field", "words"),
    [
        ("increase", 5, 5, "target", "must differ"),
        ("decrease", 5, 5, "target", "must differ"),
        ("reach", 5, 5, "target", "must differ"),
        ("increase", 10, 5, "target", "above the start"),
        ("decrease", 5, 10, "target", "below the start"),
        ("increase", "abc", 5, "start", "not a number"),
        ("increase", "NaN", 5, "start", "not a number"),
        ("increase", 0, "1e400", "target", "too large"),
        ("bogus", 0, 1, "kind", "Unknown kind"),
    ],
)
def test_bad_key_results_are_refused(objective, carol, kind, start, target, field, words):
    message = refused(
        field,
        key_result_create,
        objective=objective,
        title="K",
        kind=kind,
        start=start,
        target=target,
        by=carol,
    )
    assert words in message


@pytest.mark.parametrize(("weight", "words"), [(-1, "negative"), ("x", "number")])
def test_bad_weights_are_refused(objective, carol, weight, words):
    message = refused(
        "weight",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        weight=weight,
        by=carol,
    )
    assert words in message


def test_currency_needs_a_code(objective, carol):
    refused(
        "currency",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        value_format="currency",
        currency="E",
        by=carol,
    )


def test_owner_from_another_organization_is_refused(objective, carol, mallory, other_org):
    refused(
        "owner",
        key_result_create,
        objective=objective,
        title="K",
        kind="increase",
        start=0,
        target=1,
        owner=mallory,
        by=carol,
    )


@pytest.mark.parametrize(("title", "description"), [("", ""), ("x" * 201, ""), ("ok", "y" * 5001)])
def test_objective_text_limits(org, cycle, team, carol, title, description):
    field = "title" if not title or len(title) > 200 else "description"
    refused(
        field,
        objective_create,
        organization=org,
        cycle=cycle,
        unit=team,
        title=title,
        description=description,
        by=carol,
    )


def test_a_cycle_must_end_after_it_starts(org, alice):
    for end in (dt.date(2027, 1, 1), dt.date(2027, 1, 31)):
        refused(
            "end",
            cycle_create,
            organization=org,
            name="X",
            start=dt.date(2027, 1, 31),
            end=end,
            by=alice,
        )


def test_alignment_loops_are_refused(org, cycle, team, carol):
    a, b, c = (
        objective_create(organization=org, cycle=cycle, unit=team, title=t, by=carol) for t in "ABC"
    )
    alignment_link(child=a, parent_objective=b, by=carol)
    alignment_link(child=b, parent_objective=c, by=carol)
    assert "loop" in refused("parent", alignment_link, child=c, parent_objective=a, by=carol)
    kr = key_result_create(objective=a, title="K", kind="increase", start=0, target=1, by=carol)
    assert "loop" in refused("parent", alignment_link, child=c, parent_key_result=kr, by=carol)
    refused("parent", alignment_link, child=a, parent_objective=a, by=carol)


def test_aligning_to_another_organization_is_refused(objective, carol, other_org, mallory):
    cycle = Cycle.objects.get(organization=other_org)
    theirs = objective_create(
        organization=other_org, cycle=cycle, unit=other_org.units.get(), title="Theirs", by=mallory
    )
    refused("parent", alignment_link, child=objective, parent_objective=theirs, by=carol)


@pytest.mark.parametrize(
    ("value", "confidence", "field"),
    [
        ("abc", None, "value"),
        ("inf", None, "value"),
        ("", None, "value"),
        ("1", 11, "confidence"),
        ("1", "3.5", "confidence"),
    ],
)
def test_bad_check_ins_are_refused(key_result, bob, value, confidence, field):
    refused(
        field, checkin_record, key_result=key_result, value=value, confidence=confidence, by=bob
    )


def test_future_and_closed_cycle_check_ins_are_refused(key_result, cycle, alice, bob):
    refused(
        "measured_at",
        checkin_record,
        key_result=key_result,
        value=1,
        by=bob,
        measured_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    assert "closed" in refused("__all__", checkin_record, key_result=key_result, value=1, by=bob)


def test_a_check_in_rolls_up_to_a_company_objective(
    org, cycle, company, alice, bob, objective, key_result
):
    company_objective = objective_create(
        organization=org, cycle=cycle, unit=company, title="Company", by=alice
    )
    alignment_link(child=objective, parent_objective=company_objective, weight="0.5", by=alice)
    checkin_record(key_result=key_result, value=30, confidence=7, by=bob)
    company_objective.refresh_from_db()
    assert company_objective.progress == D("0.5")
    assert CheckIn.objects.get().confidence == D("0.7")


def test_a_late_check_in_does_not_replace_a_newer_value(key_result, bob):
    checkin_record(key_result=key_result, value=30, by=bob)
    checkin_record(
        key_result=key_result, value=22, by=bob, measured_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    )
    key_result.refresh_from_db()
    assert key_result.current == 30
    assert CheckIn.objects.count() == 2


def test_changing_a_target_recomputes_progress(key_result, objective, bob, carol):
    checkin_record(key_result=key_result, value=30, by=bob)
    key_result_update(key_result=key_result, target=D(60), by=carol)
    objective.refresh_from_db()
    assert objective.progress == D("0.25")


def test_stale_versions_are_conflicts(objective, carol):
    with pytest.raises(ValidationError) as caught:
        objective_update(objective=objective, title="New", expected_version=0, by=carol)
    assert caught.value.code == "conflict"
    objective.refresh_from_db()
    assert objective.title == "Customers love onboarding"


def test_approval_rules(org, cycle, team, carol, alice):
    objective = objective_create(organization=org, cycle=cycle, unit=team, title="A", by=carol)
    assert objective.state == "draft"
    with pytest.raises(ValidationError):
        objective_set_state(objective=objective, state="active", by=carol)
    objective_set_state(objective=objective, state="proposed", by=carol)
    with pytest.raises(ValidationError):
        objective_set_state(objective=objective, state="approved", by=carol)
    objective_set_state(objective=objective, state="approved", by=alice, may_approve=True)
    objective_set_state(objective=objective, state="active", by=carol)
    assert objective.state == "active"


def test_reconcile_reports_and_fixes_drift(objective, key_result, bob):
    checkin_record(key_result=key_result, value=30, by=bob)
    assert reconcile() == []
    Objective.objects.filter(pk=objective.pk).update(progress=D("0.9"))
    assert [d.code for d in reconcile(fix=False)] == [objective.code]
    assert len(reconcile()) == 1
    objective.refresh_from_db()
    assert objective.progress == D("0.5")


@pytest.mark.parametrize(("length", "count"), [("quarter", 5), ("month", 13), ("six_weeks", 9)])
def test_cycles_for_a_year_are_made_once(org, alice, length, count):
    org.cycle_length = length
    org.save()
    made = cycles_create_for_year(organization=org, year=2027, by=alice)
    assert len(made) == count
    assert len(cycles_create_for_year(organization=org, year=2027, by=alice)) == 1
