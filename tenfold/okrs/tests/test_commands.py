import datetime as dt
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.checkins.models import CheckIn
from tenfold.okrs.demo import build_demo
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.organizations.models import Organization


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_checkin_moves_the_objective(objective, key_result, bob):
    out = run("checkin", key_result.code, "30", "--as", bob.email, "--confidence", "6")
    assert "50%" in out
    assert CheckIn.objects.get().source == "cli"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nope", "3", "--as", "bob@example.com"], "No key result"),
        (["{kr}", "abc", "--as", "bob@example.com"], "not a number"),
        (["{kr}", "3", "--as", "mallory@example.com"], "not a member"),
        (["{kr}", "3", "--as", "victor@example.com"], "may not"),
        (["{kr}", "3", "--as", "bob@example.com", "--confidence", "12"], "0 to 10"),
    ],
)
def test_checkin_refuses_bad_input(key_result, bob, mallory, victor, args, words):
    args = [a.replace("{kr}", key_result.code) for a in args]
    with pytest.raises(CommandError, match=words):
        run("checkin", *args)
    assert CheckIn.objects.count() == 0


def test_reconcile_check_fails_on_drift_and_repair_fixes_it(objective, key_result):
    Objective.objects.filter(pk=objective.pk).update(progress=D("0.7"))
    with pytest.raises(SystemExit):
        run("reconcile", "--check")
    assert "Corrected 1" in run("reconcile")
    assert "No drift" in run("reconcile", "--check")


def test_createorg_makes_an_organization_owner_and_cycles(db):
    out = run(
        "createorg",
        "Initech",
        "--owner",
        "lumbergh@example.com",
        "--password",
        "a-long-enough-pass",
        "--fiscal-year-start-month",
        "4",
        "--year",
        "2027",
    )
    org = Organization.objects.get(slug="initech")
    assert "5 cycles" in out
    assert org.cycles.filter(name="Q1 FY2027", start=dt.date(2026, 4, 1)).exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["X", "--owner", "not-an-email", "--password", "a-long-enough-pass"], "valid email"),
        (["X", "--owner", "a@example.com", "--password", "short"], "too short"),
        (
            [
                "X",
                "--owner",
                "a@example.com",
                "--password",
                "a-long-enough-pass",
                "--time-zone",
                "Mars/Base",
            ],
            "time zone",
        ),
        (["Admin", "--owner", "a@example.com", "--password", "a-long-enough-pass"], "reserved"),
    ],
)
def test_createorg_refuses_bad_input(db, args, words):
    with pytest.raises(CommandError, match=words):
        run("createorg", *args)
    assert Organization.objects.count() == 0


def test_the_demo_is_believable_and_consistent(db):
    org, logins = build_demo(dt.date(2026, 11, 15))
    assert set(logins) >= {"owner", "member", "team lead", "viewer"}
    assert org.memberships.count() >= 50
    assert org.units.filter(kind="team").count() == 8
    current = org.cycles.get(name="Q4 2026")
    assert current.state == "active" and org.cycles.get(name="Q3 2026").state == "closed"
    company = Objective.objects.filter(cycle=current, level="company")
    assert all(o.progress > 0 for o in company)
    assert KeyResult.objects.filter(organization=org, kind="milestone").exists()
    assert KeyResult.objects.filter(organization=org, owner__isnull=True).exists()
    assert KeyResult.objects.filter(organization=org, last_checkin_at__isnull=True).exists()
    assert reconcile(org, fix=False) == []


def test_the_demo_command_builds_once_and_resets(db):
    out = run("demo")
    assert "maya.okafor@example.com" in out
    run("demo")
    assert Organization.objects.count() == 1
    first = Organization.objects.get().pk
    run("demo", "--reset")
    assert Organization.objects.get().pk != first


def test_krs_lists_codes(objective, key_result):
    assert key_result.code in run("krs", "--org", "acme")
