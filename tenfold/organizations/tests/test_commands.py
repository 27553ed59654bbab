"""tenfold createorg: an organization, its owner and a year of cycles; bad input writes nothing."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.accounts.models import User
from tenfold.conftest import PASSWORD
from tenfold.okrs.models import Cycle
from tenfold.organizations.management.commands import createorg
from tenfold.organizations.models import Membership, Organization

GOOD = "a-long-enough-pass"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def run(*args):
    out = io.StringIO()
    call_command("createorg", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def nothing_written():
    return not Organization.objects.exists() and not Cycle.objects.exists()


def test_it_makes_the_organization_a_new_owner_and_the_cycles_of_a_year(db):
    out = run(
        "Initech", "--owner", "Lumbergh@Example.com", "--password", GOOD,
        "--fiscal-year-start-month", "4", "--time-zone", "America/Chicago", "--year", "2027",
    )  # fmt: skip
    org = Organization.objects.get(slug="initech")
    owner = User.objects.get(email="lumbergh@example.com")
    assert owner.check_password(GOOD)
    assert Membership.objects.get(organization=org, user=owner).role == "owner"
    assert (org.fiscal_year_start_month, org.time_zone) == (4, "America/Chicago")
    names = list(org.cycles.order_by("start", "-end").values_list("name", flat=True))
    assert names == ["FY2027", "Q1 FY2027", "Q2 FY2027", "Q3 FY2027", "Q4 FY2027"]
    assert org.cycles.get(name="Q1 FY2027").start == dt.date(2026, 4, 1)
    assert "Created Initech at /initech/, owned by lumbergh@example.com." in out
    assert "FY2027, Q1 FY2027" in out


def test_it_defaults_to_the_current_year_and_a_slug_from_the_name(db):
    run("Acme Widgets", "--owner", "wile@example.com", "--password", GOOD)
    org = Organization.objects.get(slug="acme-widgets")
    assert org.cycles.filter(name="Q4 2026", start=dt.date(2026, 10, 1)).exists()
    assert org.time_zone == "UTC"


def test_an_existing_account_needs_no_password_and_keeps_its_own(alice):
    run("Second Shop", "--owner", alice.email, "--slug", "second", "--no-input")
    assert Membership.objects.get(organization__slug="second").user == alice
    run("Third Shop", "--owner", alice.email, "--password", "something-else-entirely")
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_it_asks_for_the_password_in_a_terminal(db, monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr(createorg.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(createorg.getpass, "getpass", lambda prompt: next(answers))
    run("Prompted", "--owner", "new@example.com")
    assert User.objects.get(email="new@example.com").check_password(GOOD)


def test_it_refuses_two_different_passwords(db, monkeypatch):
    answers = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr(createorg.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(createorg.getpass, "getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="differ"):
        run("Prompted", "--owner", "new@example.com")
    assert nothing_written() and not User.objects.exists()


def test_without_a_terminal_a_new_owner_needs_a_password(db, monkeypatch):
    monkeypatch.setattr(createorg.sys.stdin, "isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="needs a password: give --password"):
        run("Quiet", "--owner", "new@example.com")
    assert nothing_written() and not User.objects.exists()


def test_no_input_never_prompts(db, monkeypatch):
    monkeypatch.setattr(createorg.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(createorg.getpass, "getpass", pytest.fail)
    with pytest.raises(CommandError, match="needs a password"):
        run("Quiet", "--owner", "new@example.com", "--no-input")
    assert nothing_written()


OWNER = ["--owner", "a@example.com", "--password", GOOD]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["X", "--owner", "not-an-email", "--password", GOOD], "not a valid email"),
        (["X", "--owner", "a@example.com", "--password", "short"], "too short"),
        (["X", *OWNER, "--time-zone", "Mars/Base"], "time zone"),
        (["X", *OWNER, "--fiscal-year-start-month", "13"], "1 to 12"),
        (["X", *OWNER, "--year", "12"], "between 2000"),
        (["Admin", *OWNER], "reserved"),
        (["  ", *OWNER], "name"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(db, args, words):
    with pytest.raises(CommandError, match=words):
        run(*args)
    assert nothing_written()
    assert not User.objects.exists()  # not even the new owner's account


def test_it_refuses_a_taken_address_and_rolls_back_the_new_account(org):
    users = User.objects.count()
    with pytest.raises(CommandError, match="taken"):
        run("Acme", "--owner", "newcomer@example.com", "--password", GOOD)
    assert Organization.objects.count() == 1 and User.objects.count() == users
