"""tenfold checkin, krs and reconcile: happy paths, and bad input that changes nothing."""

import io
import re
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import cycle_set_state, key_result_create, objective_create


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- checkin ----------------------------------------------------------------------------------


def test_checkin_records_a_cli_check_in_and_moves_the_objective(objective, key_result, bob):
    out = run(
        "checkin", key_result.code, "30", "--as", "Bob@Example.com", "--confidence", "6",
        "--note", "Halfway there.",
    )  # fmt: skip
    checkin = CheckIn.objects.get()
    assert (checkin.source, checkin.value, checkin.confidence) == ("cli", D(30), D("0.6"))
    assert checkin.author == bob and checkin.note == "Halfway there."
    objective.refresh_from_db()
    assert objective.progress == D("0.5")
    assert "progress 50 %" in out
    assert "Objective “Customers love onboarding”: 0 % → 50 %" in out
    assert AuditEvent.objects.filter(verb="checkin.recorded", object_code=key_result.code).exists()


def test_checkin_says_when_a_key_result_is_past_its_target(key_result, carol):
    out = run("checkin", key_result.code, "50", "--as", carol.email)
    assert "progress 100 %" in out and "150 %" in out


def test_checkin_takes_a_negative_value(key_result, carol):
    run("checkin", key_result.code, "-5", "--as", carol.email)
    assert KeyResult.objects.get().current == D(-5)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope", "3", "--as", "bob@example.com"], "No key result has the code"),
        (["{kr}", "abc", "--as", "bob@example.com"], "not a number"),
        (["{kr}", "3", "--as", "nobody@example.com"], "not a member"),
        (["{kr}", "3", "--as", "mallory@example.com"], "not a member"),
        (["{kr}", "3", "--as", "victor@example.com"], "may not check in"),
        (["{kr}", "3", "--as", "bob@example.com", "--confidence", "12"], "0 to 10"),
        (["{kr}", "3", "--as", "bob@example.com", "--confidence", "high"], "0 to 10"),
        (["{kr}", "1e30", "--as", "bob@example.com"], "too large"),
    ],
)
def test_checkin_refuses_bad_input_and_writes_nothing(
    objective, key_result, bob, mallory, victor, args, words
):
    args = [a.replace("{kr}", key_result.code) for a in args]
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=words):
        run("checkin", *args)
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == events
    key_result.refresh_from_db()
    objective.refresh_from_db()
    assert key_result.current is None and objective.progress == 0


def test_checkin_refuses_a_closed_cycle(cycle, key_result, bob, alice):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    with pytest.raises(CommandError, match="closed"):
        run("checkin", key_result.code, "30", "--as", bob.email)
    assert CheckIn.objects.count() == 0


# --- krs --------------------------------------------------------------------------------------


def test_krs_lists_the_current_cycle_with_codes_values_and_progress(key_result, carol):
    run("checkin", key_result.code, "25", "--as", carol.email)
    out = run("krs", "--org", "acme")
    assert "Key results of Q4 2026 in Acme" in out
    line = next(line for line in out.splitlines() if key_result.code in line)
    assert "25 %" in line and "40" in line and "Growth" in line
    assert "Raise activation from 20% to 40%" in line


def test_krs_uses_the_only_organization_and_a_named_cycle(key_result):
    assert key_result.code in run("krs", "--cycle", "Q4 2026")


def test_krs_shows_thresholds_and_says_when_there_is_nothing(org, cycle, team, carol):
    assert "(none yet)" in run("krs")
    objective = objective_create(
        organization=org, cycle=cycle, unit=team, title="Calm", state="active", by=carol
    )
    key_result_create(
        objective=objective, title="Keep p95 below 300 ms", kind="keep_below", target=300,
        unit_label="ms", by=carol,
    )  # fmt: skip
    assert "≤ 300 ms" in run("krs")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--org", "nope"], "No organization at the address"),
        (["--org", "acme", "--cycle", "Q9 2031"], "no cycle called"),
    ],
)
def test_krs_refuses_unknown_names(cycle, args, words):
    with pytest.raises(CommandError, match=words):
        run("krs", *args)


def test_krs_asks_which_organization_when_there_are_several(cycle, other_org):
    with pytest.raises(CommandError, match="acme, globex"):
        run("krs")


def test_krs_without_any_organization(db):
    with pytest.raises(CommandError, match="createorg"):
        run("krs")


# --- reconcile --------------------------------------------------------------------------------


def test_reconcile_reports_no_drift_on_a_consistent_database(key_result, carol):
    run("checkin", key_result.code, "30", "--as", carol.email)
    assert "No drift: all 1 key results and 1 objectives match." in run("reconcile", "--check")


def test_reconcile_check_fails_on_drift_changes_nothing_and_repair_fixes_it(
    objective, key_result, carol
):
    run("checkin", key_result.code, "30", "--as", carol.email)
    Objective.objects.filter(pk=objective.pk).update(progress=D("0.7"))
    KeyResult.objects.filter(pk=key_result.pk).update(progress=D("0.1"))

    with pytest.raises(CommandError, match="2 stored figures differ") as failure:
        run("reconcile", "--check")
    assert failure.value.returncode == 1
    assert Objective.objects.get().progress == D("0.7")
    assert KeyResult.objects.get().progress == D("0.1")

    out = run("reconcile", "--org", "acme")
    assert objective.code in out and key_result.code in out
    assert re.search(r"objective .* 70\.00 % → +50\.00 %  Customers love onboarding", out)
    assert "Corrected 2 stored figures." in out
    assert Objective.objects.get().progress == D("0.5")
    assert KeyResult.objects.get().progress == D("0.5")
    assert "No drift" in run("reconcile", "--check")


def test_reconcile_limits_itself_to_one_organization(objective, key_result, other_org):
    Objective.objects.filter(pk=objective.pk).update(progress=D("0.7"))
    assert "No drift" in run("reconcile", "--check", "--org", "globex")
    with pytest.raises(CommandError):
        run("reconcile", "--check", "--org", "acme")


def test_reconcile_refuses_an_unknown_organization(db):
    with pytest.raises(CommandError, match="No organization"):
        run("reconcile", "--org", "nope")
