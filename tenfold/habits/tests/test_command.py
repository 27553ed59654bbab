"""tenfold habits: the leaderboard in the shell, as a table or JSON; off, sorted, as a person;
bad input exits with a message."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.okrs.services import key_result_create, objective_create

from .conftest import LAST_WEEK, THIS_WEEK, WEEK, check_in_weeks, to_now, write_week


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("habits", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_when_off_it_says_so(org, team):
    out = run("--org", "acme")
    assert "off in Acme" in out and "Settings → General" in out
    assert json.loads(run("--org", "acme", "--json"))["teams"] == []


def test_the_table_ranks_teams_by_their_habits(clock, on, cycle, team, bob, carol, key_result):
    check_in_weeks(clock, key_result, carol, [LAST_WEEK - WEEK, LAST_WEEK])
    write_week(on, bob, LAST_WEEK)
    to_now(clock)
    lines = run("--org", "acme").splitlines()
    assert lines[0] == "Habits in Acme · cycle Q4 2026 · week of 2026-11-09"
    (row,) = [line for line in lines if "Growth" in line]
    assert row.split() == ["1", "Growth", "2", "wk", "1/2", "(50", "%)", "1"]
    assert "never rank" in lines[-1]


def test_json_has_the_habits_and_nothing_else(clock, on, cycle, team, key_result):
    to_now(clock)
    data = json.loads(run("--org", "acme", "--json", "--sort", "participation", "--departments"))
    assert data["sort"] == "participation" and data["departments"] is True
    assert {row["unit"]["name"] for row in data["teams"]} == {"Growth", "Product"}
    text = json.dumps(data)
    assert "progress" not in text and "score" not in text


def test_as_a_person_it_counts_what_they_may_see(clock, on, cycle, team, bob, carol, key_result):
    hidden = objective_create(
        organization=on,
        cycle=cycle,
        unit=team,
        title="Quiet",
        visibility="private",
        state="active",
        lead=carol,
        by=carol,
    )
    key_result_create(
        objective=hidden, title="Unseen", kind="increase", start=0, target=1, by=carol
    )
    check_in_weeks(clock, key_result, carol, [LAST_WEEK])
    to_now(clock)
    as_bob = json.loads(run("--org", "acme", "--json", "--as", "bob@example.com"))
    everything = json.loads(run("--org", "acme", "--json"))
    assert (as_bob["teams"][0]["checkin_streak"], everything["teams"][0]["checkin_streak"]) == (
        1,
        0,
    )
    assert as_bob["week"] == THIS_WEEK.isoformat()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--org", "nowhere"), "No organization"),
        (("--org", "acme", "--as", "nobody@example.com"), "Nobody"),
        (("--org", "acme", "--as", "mallory@example.com"), "not a member"),
        ((), "Several organizations"),
    ],
)
def test_bad_input_exits_with_a_message(org, team, other_org, mallory, args, words):
    with pytest.raises(CommandError, match=words):
        run(*args)


def test_an_unknown_sort_is_refused(org):
    with pytest.raises(CommandError, match="invalid choice"):
        run("--org", "acme", "--sort", "score")


def test_the_only_organization_is_the_default(org, team):
    assert "Acme" in run()
