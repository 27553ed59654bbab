"""Materialized progress: kept right in the same transaction as the write that moves it, up
the alignment graph; `reconcile` finds and repairs drift."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.okrs.services import (
    alignment_link,
    alignment_unlink,
    key_result_create,
    key_result_delete,
    key_result_update,
    objective_create,
)
from tenfold.okrs.tests.helpers import NOW, refused, row_counts


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def progress(obj):
    return type(obj).objects.get(pk=obj.pk).progress


@pytest.fixture
def make(org, cycle, team, carol):
    def make(title, unit=team):
        return objective_create(organization=org, cycle=cycle, unit=unit, title=title, by=carol)

    return make


def measured(objective, by, *, value=None, weight=1):
    """A 0 → 100 key result on `objective`, checked in at `value` when given."""
    kr = key_result_create(
        objective=objective, title=f"K{weight}", start=0, target=100, weight=weight, by=by
    )
    if value is not None:
        checkin_record(key_result=kr, value=value, by=by)
    return kr


# --- check-ins --------------------------------------------------------------------------------


def test_a_check_in_moves_its_key_result_and_objective(key_result, objective, bob):
    checkin_record(key_result=key_result, value=30, by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress, key_result.progress_raw) == (
        30,
        D("0.5"),
        D("0.5"),
    )
    assert progress(objective) == D("0.5")


def test_a_check_in_past_the_target_stores_the_raw_progress_too(key_result, objective, bob):
    checkin_record(key_result=key_result, value=50, by=bob)
    key_result.refresh_from_db()
    assert (key_result.progress, key_result.progress_raw) == (1, D("1.5"))
    assert progress(objective) == 1


def test_a_check_in_and_its_roll_up_are_one_transaction(key_result, objective, bob, monkeypatch):
    def broken(objective):
        raise RuntimeError("roll-up failed")

    monkeypatch.setattr("tenfold.checkins.services.objective_refresh", broken)
    before = row_counts()
    with pytest.raises(RuntimeError):
        checkin_record(key_result=key_result, value=30, by=bob)
    assert row_counts() == before
    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress, key_result.last_checkin_at) == (None, 0, None)


def test_key_result_weights_are_respected(objective, key_result, carol, bob):
    key_result_update(key_result=key_result, weight=3, by=carol)
    checkin_record(key_result=key_result, value=40, by=bob)  # 1.0 with weight 3
    measured(objective, carol, value=0, weight=1)  # 0.0 with weight 1
    assert progress(objective) == D("0.75")


def test_a_key_result_with_weight_zero_does_not_count(objective, key_result, carol, bob):
    checkin_record(key_result=key_result, value=40, by=bob)
    measured(objective, carol, value=0, weight=0)
    assert progress(objective) == 1


def test_a_team_objective_moves_the_company_objective_it_aligns_to(
    make, company, objective, key_result, alice, bob, carol
):
    company_objective = make("Company", unit=company)
    other = make("Other team objective")
    measured(other, carol, value=0)
    alignment_link(child=objective, parent_objective=company_objective, weight="0.25", by=carol)
    alignment_link(child=other, parent_objective=company_objective, weight="0.75", by=carol)
    checkin_record(key_result=key_result, value=40, by=bob)  # objective at 1.0
    assert progress(company_objective) == D("0.25")
    checkin_record(key_result=other.key_results.get(), value=50, by=carol)
    assert progress(company_objective) == D("0.625")


def test_progress_walks_up_every_level(make, company, objective, key_result, bob, carol):
    department = make("Department", unit=company.children.get())
    top = make("Company", unit=company)
    alignment_link(child=objective, parent_objective=department, by=carol)
    alignment_link(child=department, parent_objective=top, by=carol)
    checkin_record(key_result=key_result, value=25, by=bob)
    assert [progress(o) for o in (objective, department, top)] == [D("0.25")] * 3


def test_an_objective_reached_along_two_paths_gets_both_updates(make, company, carol):
    a, b, c = make("A"), make("B"), make("C")
    top = make("Top", unit=company)
    for child, parent in ((a, b), (a, c), (b, top), (c, top)):
        alignment_link(child=child, parent_objective=parent, by=carol)
    kr = measured(a, carol)
    checkin_record(key_result=kr, value=50, by=carol)
    assert [progress(o) for o in (a, b, c, top)] == [D("0.5")] * 4


def test_an_objective_with_its_own_key_results_is_not_moved_by_aligned_ones(
    make, company, objective, key_result, alice, bob, carol
):
    company_objective = make("Company", unit=company)
    measured(company_objective, alice, value=10)
    alignment_link(child=objective, parent_objective=company_objective, by=carol)
    checkin_record(key_result=key_result, value=40, by=bob)
    assert progress(company_objective) == D("0.1")


def test_a_child_aligned_to_a_key_result_does_not_change_that_key_results_progress(
    make, objective, key_result, bob, carol
):
    child = make("Child")
    alignment_link(child=child, parent_key_result=key_result, by=carol)
    checkin_record(key_result=measured(child, carol), value=100, by=carol)
    assert (progress(child), progress(key_result), progress(objective)) == (1, 0, 0)


def test_a_late_check_in_does_not_replace_a_newer_value(key_result, objective, bob):
    checkin_record(key_result=key_result, value=30, confidence=8, by=bob)
    checkin_record(
        key_result=key_result,
        value=22,
        confidence=3,
        measured_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        by=bob,
    )
    key_result.refresh_from_db()
    assert (key_result.current, key_result.last_confidence, key_result.progress) == (
        30,
        D("0.8"),
        D("0.5"),
    )
    assert key_result.last_checkin_at == dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
    assert progress(objective) == D("0.5")
    assert CheckIn.objects.filter(key_result=key_result).count() == 2


def test_a_newer_check_in_replaces_an_older_one(key_result, bob):
    checkin_record(
        key_result=key_result,
        value=22,
        measured_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        by=bob,
    )
    checkin_record(key_result=key_result, value=35, by=bob)
    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress) == (35, D("0.75"))


# --- editing key results and links ------------------------------------------------------------


def test_changing_the_target_recomputes_the_key_result_and_its_objective(
    key_result, objective, bob, carol
):
    checkin_record(key_result=key_result, value=30, by=bob)
    key_result_update(key_result=key_result, target=D(60), by=carol)
    key_result.refresh_from_db()
    assert (key_result.progress, progress(objective)) == (D("0.25"), D("0.25"))


def test_changing_a_weight_recomputes_the_objective(objective, key_result, bob, carol):
    checkin_record(key_result=key_result, value=40, by=bob)
    measured(objective, carol, value=0)
    assert progress(objective) == D("0.5")
    key_result_update(key_result=key_result, weight=0, by=carol)
    assert progress(objective) == 0


def test_a_key_result_with_check_ins_cannot_be_deleted(key_result, objective, bob, carol):
    checkin_record(key_result=key_result, value=30, by=bob)
    message = refused("__all__", key_result_delete, key_result=key_result, by=carol)
    assert "has check-ins" in message
    assert KeyResult.objects.filter(pk=key_result.pk).exists()


def test_deleting_a_key_result_recomputes_its_objective(objective, key_result, bob, carol):
    checkin_record(key_result=key_result, value=40, by=bob)
    unused = measured(objective, carol)
    assert progress(objective) == D("0.5")
    before = row_counts()
    key_result_delete(key_result=unused, by=carol)
    assert progress(objective) == 1
    assert row_counts()["KeyResult"] == before["KeyResult"] - 1
    assert row_counts()["AuditEvent"] == before["AuditEvent"] + 1


def test_linking_moves_the_parent_at_once(make, company, objective, key_result, bob, carol):
    checkin_record(key_result=key_result, value=30, by=bob)
    top = make("Company", unit=company)
    assert progress(top) == 0
    alignment_link(child=objective, parent_objective=top, by=carol)
    assert progress(top) == D("0.5")


def test_unlinking_recomputes_the_parent(make, company, objective, key_result, bob, carol):
    top = make("Company", unit=company)
    idle = make("Idle")
    link = alignment_link(child=objective, parent_objective=top, by=carol)
    alignment_link(child=idle, parent_objective=top, by=carol)
    checkin_record(key_result=key_result, value=40, by=bob)
    assert progress(top) == D("0.5")
    alignment_unlink(link=link, by=carol)
    assert progress(top) == 0


def test_the_longest_accepted_values_come_back_unchanged(objective, carol):
    kr = key_result_create(
        objective=objective,
        title="Tiny span",
        kind="decrease",
        start=D("99999999999.9999"),
        target=D("99999999999.9998"),
        by=carol,
    )
    checkin_record(key_result=kr, value=D("-99999999999.9999"), by=carol)
    kr.refresh_from_db()
    assert (kr.start, kr.target, kr.current) == (
        D("99999999999.9999"),
        D("99999999999.9998"),
        D("-99999999999.9999"),
    )
    assert kr.progress == 1
    assert kr.progress_raw > 10**15


# --- reconcile --------------------------------------------------------------------------------


@pytest.fixture
def busy(make, company, objective, key_result, alice, bob, carol):
    """Some ordinary use: check-ins, an edit, alignment up two levels, a late check-in."""
    top = make("Company", unit=company)
    other = make("Other")
    alignment_link(child=objective, parent_objective=top, weight="0.4", by=carol)
    alignment_link(child=other, parent_objective=top, weight="0.6", by=carol)
    checkin_record(key_result=key_result, value=30, by=bob)
    checkin_record(key_result=measured(other, carol), value=80, by=carol)
    checkin_record(
        key_result=key_result,
        value=21,
        measured_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        by=bob,
    )
    key_result_update(key_result=key_result, target=D(50), by=carol)
    return top


def test_reconcile_finds_no_drift_after_ordinary_use(busy):
    assert progress(busy) == D("0.6133")  # 0.4 × 0.3333 + 0.6 × 0.8
    assert reconcile() == []


def test_reconcile_reports_and_repairs_a_corrupted_objective(busy, objective):
    Objective.objects.filter(pk=objective.pk).update(progress=D("0.9"))
    drift = reconcile()
    assert [(d.kind, d.code, d.stored, d.computed) for d in drift] == [
        ("objective", objective.code, D("0.9"), D("0.3333"))
    ]
    assert progress(objective) == D("0.3333")
    assert reconcile() == []


def test_reconcile_reports_and_repairs_a_corrupted_key_result(busy, key_result):
    KeyResult.objects.filter(pk=key_result.pk).update(progress=D("0.99"), progress_raw=D("0.99"))
    drift = reconcile()
    assert [(d.kind, d.code, d.stored, d.computed) for d in drift] == [
        ("key_result", key_result.code, D("0.99"), D("0.3333"))
    ]
    key_result.refresh_from_db()
    assert (key_result.progress, key_result.progress_raw) == (D("0.3333"), D("0.3333"))


def test_reconcile_without_fix_only_reports(busy, objective, key_result):
    Objective.objects.filter(pk=busy.pk).update(progress=D("0.1"))
    KeyResult.objects.filter(pk=key_result.pk).update(progress=D("0.99"))
    first = reconcile(fix=False)
    assert {d.code for d in first} == {busy.code, key_result.code}
    assert progress(busy) == D("0.1")
    assert progress(key_result) == D("0.99")
    assert reconcile(fix=False) == first


def test_reconcile_of_one_organization_leaves_the_others_alone(busy, other_org):
    Objective.objects.filter(pk=busy.pk).update(progress=D("0.1"))
    assert reconcile(other_org) == []
    assert progress(busy) == D("0.1")
    assert [d.code for d in reconcile(busy.organization)] == [busy.code]


def test_reconcile_repairs_the_whole_chain_above_a_corrupted_key_result(busy, key_result):
    KeyResult.objects.filter(pk=key_result.pk).update(current=D(50))  # as if an import wrote it
    drift = reconcile()
    assert {d.kind for d in drift} == {"key_result", "objective"}
    assert progress(key_result) == 1
    assert progress(busy) == D("0.88")  # 0.4 × 1 + 0.6 × 0.8
