"""tenfold health: the report as text or JSON; unknown organizations, units and cycles are
errors, a poor health is not."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.coach.health import as_dict, org_health, unit_health

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("health", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_text_shows_score_grade_and_one_line_per_signal(org, team, cycle, objective):
    report = org_health(org, cycle)
    out = run("--org", "acme")
    lines = out.splitlines()
    assert lines[0] == "Acme · Q4 2026"
    assert lines[1] == f"Health: {report.score}/100 ({report.grade_label})"
    signal_lines = [line for line in lines if line.startswith("[")]
    assert len(signal_lines) == len(report.signals) == 19
    company = next(line for line in signal_lines if "Company objectives" in line)
    assert company.startswith("[problem")
    assert "0 (problem below 1, watch above 5)" in company
    assert "→ Leaders: write one to three company objectives" in company
    assert "Weakest units:" in out and team.code in out


def test_json_is_the_api_report(org, team, cycle, objective):
    data = json.loads(run("--org", "acme", "--unit", team.code, "--cycle", cycle.code, "--json"))
    expected = json.loads(json.dumps(as_dict(unit_health(org, team, cycle)), default=str))
    assert data == expected
    assert data["unit"]["code"] == team.code


def test_an_organization_without_cycles_is_reported_not_refused(org):
    assert run("--org", "acme") == "Acme has no cycle yet: nothing to check.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "nope"), "No organization has the address nope."),
        (("--org", "acme", "--unit", "nope"), "No unit of acme has the code nope."),
        (("--org", "acme", "--cycle", "nope"), "No cycle of acme has the code nope."),
    ],
)
def test_unknown_names_are_errors(org, team, cycle, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_poor_health_still_exits_cleanly(org, team, cycle, objective):
    assert org_health(org, cycle).grade.value in ("at_risk", "needs_attention")
    run("--org", "acme")  # no SystemExit, no CommandError
