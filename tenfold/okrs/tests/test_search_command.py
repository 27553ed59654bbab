"""tenfold search: what it prints, as whom, and its refusals."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.okrs.services import objective_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_quarter() -> Any:
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines are cut to $COLUMNS when it is set; these tests read whole lines."""
    monkeypatch.delenv("COLUMNS", raising=False)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("search", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_a_table_of_what_the_person_may_see(
    org, cycle, team, objective, key_result, alice, bob, carol
) -> None:
    objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Secret onboarding plan",
        visibility="private",
        lead=carol,
        by=carol,
    )
    text = run("onboarding", "--as", bob.email)
    assert text.splitlines() == [
        "Kind       Code        Title                      Context",
        f"Objective  {objective.code}  Customers love onboarding  Growth · Q4 2026",
    ]
    text = run("onboarding", "--as", carol.email, "--org", "acme")
    lines = text.splitlines()
    assert len(lines) == 3
    assert "Customers love onboarding" in lines[1] and "Secret onboarding plan" in lines[2]
    assert all(line.endswith("  Growth · Q4 2026") for line in lines[1:])


def test_words_may_come_as_separate_arguments(org, team, objective, key_result, bob) -> None:
    text = run("raise", "ACTIVATION", "--as", bob.email)
    assert f"Key result  {key_result.code}  Raise activation from 20% to 40%" in text
    assert "Customers love onboarding · Growth · Q4 2026" in text


def test_it_says_when_nothing_matches(org, team, bob) -> None:
    assert run("zebra", "--as", bob.email) == "Nothing matches “zebra”.\n"


def test_it_says_when_more_match_than_shown(org, cycle, team, alice, bob) -> None:
    for n in range(3):
        objective_create(organization=org, cycle=cycle, unit=team, title=f"Launch {n}", by=alice)
    text = run("launch", "--as", bob.email, "--limit", "2")
    assert len(text.splitlines()) == 1 + 2 + 1
    assert text.splitlines()[-1] == (
        "More match than shown (objective): add a word, or raise --limit."
    )


def test_json_is_the_api_s_shape(org, team, objective, bob, settings) -> None:
    settings.SITE_URL = "https://okrs.example.com"
    data = json.loads(run("customers", "--as", bob.email, "--json"))
    assert set(data) == {"query", "cycle", "objectives", "key_results", "people", "units", "more"}
    assert data["objectives"] == [
        {
            "kind": "objective",
            "code": objective.code,
            "title": "Customers love onboarding",
            "context": "Growth · Q4 2026",
            "cycle": "Q4 2026",
            "current_cycle": True,
            "url": f"https://okrs.example.com/acme/objectives/{objective.code}/",
        }
    ]


def test_a_query_too_long_is_refused(org, team, bob) -> None:
    with pytest.raises(CommandError) as caught:
        run("x" * 101, "--as", bob.email)
    assert str(caught.value) == "q: Search for at most 100 characters (this has 101)."


def test_a_blank_query_is_refused(org, team, bob) -> None:
    with pytest.raises(CommandError) as caught:
        run("  ", "--as", bob.email)
    assert "Type a few letters of a title, a name or a code to search for." in str(caught.value)


def test_an_outsider_finds_nothing_of_another_organization(org, other_org, team, mallory) -> None:
    with pytest.raises(CommandError) as caught:
        run("growth", "--as", mallory.email, "--org", "acme")
    assert str(caught.value) == "mallory@example.com is not a member of that organization."
    assert run("growth", "--as", mallory.email) == "Nothing matches “growth”.\n"


def test_a_limit_out_of_range_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tenfold", "search", "x", "--as", "a@b.c", "--limit", "99"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "give a whole number from 1 to 25" in result.stderr
