"""tenfold okrs on the local database, as a person: the same view that person has on the web,
in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.services import unit_create

from .conftest import run


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-11 10:00:00+00:00", tick=False):
        yield


def as_carol(*args: str):
    return run("okrs", *args, "--as", "carol@example.com")


def test_the_list_shows_objectives_and_key_results_with_their_numbers(key_result, objective, bob):
    checkin_record(key_result=key_result, value="26", confidence=7, note="", source="web", by=bob)
    out = as_carol().out
    lines = out.splitlines()
    assert lines[0] == "Objectives of Q4 2026 in Acme:"
    assert lines[1].split() == [
        "Code",
        "Progress",
        "Status",
        "Confidence",
        "Current",
        "Target",
        "Team",
        "Title",
    ]
    assert lines[2].startswith(objective.code) and lines[2].endswith("Customers love onboarding")
    assert "Growth" in lines[2]
    assert lines[3].startswith(key_result.code)
    assert lines[3].split()[1:4] == ["30", "%", "On"]
    assert "7/10" in lines[3] and "26 %" in lines[3] and lines[3].endswith(key_result.title)


def test_json_is_the_api_shape(key_result, objective):
    [data] = as_carol("--json").json()
    assert data["code"] == objective.code and data["unit"]["name"] == "Growth"
    [kr] = data["key_results"]
    assert kr["code"] == key_result.code
    assert Decimal(kr["target"]) == 40 and kr["status"] == "pending" and kr["confidence"] is None


def test_a_cycle_by_code_or_name_and_an_unknown_one(cycle, key_result):
    assert as_carol("--cycle", cycle.code, "--json").json()[0]["cycle"] == cycle.code
    assert as_carol("--cycle", "q4 2026", "--json").json()[0]["cycle"] == cycle.code
    with pytest.raises(CommandError, match=r"No cycle “Q1 1990”\. Cycles: .*Q4 2026") as failure:
        as_carol("--cycle", "Q1 1990")
    assert failure.value.returncode == 5


def test_unit_and_mine_narrow_the_list(org, cycle, team, company, alice, key_result, objective):
    other_team = unit_create(organization=org, name="Platform", parent=company, by=alice)
    other = objective_create(
        organization=org,
        cycle=cycle,
        unit=other_team,
        title="Fast builds",
        lead=alice,
        state="active",
        by=alice,
    )
    assert {o["code"] for o in as_carol("--json").json()} == {other.code, objective.code}
    assert [o["code"] for o in as_carol("--unit", "platform", "--json").json()] == [other.code]
    assert [o["code"] for o in as_carol("--unit", team.code, "--json").json()] == [objective.code]
    # Carol leads the onboarding objective; Bob owns only its key result.
    assert [o["code"] for o in as_carol("--mine", "--json").json()] == [objective.code]
    [bobs] = run("okrs", "--mine", "--json", "--as", "bob@example.com").json()
    assert [kr["code"] for kr in bobs["key_results"]] == [key_result.code]
    assert run("okrs", "--mine", "--json", "--as", "alice@example.com").json()[0]["code"] == (
        other.code
    )


def test_show_an_objective_and_a_key_result(key_result, objective, bob):
    checkin_record(
        key_result=key_result, value="25", confidence=5, note="slow week", source="web", by=bob
    )
    out = as_carol("show", objective.code).out
    assert out.splitlines()[0] == f"{objective.title}  ({objective.code})"
    assert "Growth · Q4 2026 · Committed · Active · lead Carol Lead" in out
    assert key_result.code in out
    out = as_carol("show", key_result.code.upper()).out
    assert "25 % of 40 % · progress 25 % · " in out
    assert "Bob Member" in out and "slow week" in out
    data = as_carol("show", key_result.code, "--json").json()
    assert [c["note"] for c in data["checkins"]] == ["slow week"]
    assert as_carol("show", key_result.code, "--checkins", "0", "--json").json()["checkins"] == []


def test_unknown_codes_and_missing_words_are_explained(key_result, other_org):
    with pytest.raises(CommandError, match="No objective or key result “nope”") as failure:
        as_carol("show", "nope")
    assert failure.value.returncode == 5
    with pytest.raises(CommandError, match="Say which OKR to show"):
        as_carol("show")
    with pytest.raises(CommandError, match="--as EMAIL"):
        run("okrs")
    with pytest.raises(CommandError, match="not a member"):
        run("okrs", "--as", "mallory@example.com", "--org", "acme")


def test_someone_from_another_organization_sees_none_of_it(key_result, other_org):
    assert run("okrs", "--as", "mallory@example.com", "--json").json() == []
    with pytest.raises(CommandError):
        run("okrs", "show", key_result.code, "--as", "mallory@example.com")


def test_lines_fit_the_width_given_by_columns(key_result, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    lines = as_carol().out.splitlines()
    assert max(len(line) for line in lines[1:]) <= 70
    assert lines[3].endswith("…")


def build(org, cycle, team, carol, objectives: int) -> None:
    for i in range(objectives):
        objective = objective_create(
            organization=org,
            cycle=cycle,
            unit=team,
            title=f"Objective {i}",
            lead=carol,
            state="active",
            by=carol,
        )
        for j in range(3):
            key_result_create(
                objective=objective,
                title=f"Key result {i}.{j}",
                kind="increase",
                start=Decimal(0),
                target=Decimal(10),
                by=carol,
            )


def test_the_list_takes_the_same_queries_for_any_number_of_okrs(
    org, cycle, team, carol, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build(org, cycle, team, carol, 2)
    with CaptureQueriesContext(connection) as small:
        assert len(as_carol("--json").json()) == 2
    build(org, cycle, team, carol, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(as_carol("--json").json()) == 12
