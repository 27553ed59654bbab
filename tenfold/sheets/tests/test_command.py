"""tenfold import-sheet FILE --org SLUG --as EMAIL [--cycle] [--unit] [--dry-run] [--json]."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenfold.okrs.models import KeyResult, Objective

pytestmark = pytest.mark.django_db

GOOD = (
    "Objective,Key result,Owner,Start,Target,Current\n"
    "Customers love onboarding,Activation,bob@example.com,20,40,30\n"
    "Customers love onboarding,Calls,bob@example.com,0,10,\n"
)


@pytest.fixture
def sheet(tmp_path):
    def write(text: str, name: str = "okrs.csv") -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import-sheet", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_prints_the_preview_and_writes_nothing(org, team, cycle, sheet):
    out, _err = run(
        sheet(GOOD), "--org", "acme", "--as", "carol@example.com", "--unit", "Growth", "--dry-run"
    )
    assert "Row 2: Customers love onboarding  [Q4 2026 · Growth]" in out
    assert "Row 2: Activation  20 → 40, now 30 (bob@example.com)" in out
    assert "1 objectives, 2 key results, 1 check-ins." in out
    assert "Dry run" in out
    assert not Objective.objects.exists()


def test_it_imports(org, team, cycle, sheet):
    out, _err = run(
        sheet(GOOD), "--as", "alice@example.com", "--unit", team.code, "--cycle", "Q4 2026"
    )
    assert "Imported 1 objectives and 2 key results." in out
    assert KeyResult.objects.filter(objective__unit=team).count() == 2


def test_problems_exit_with_status_1_and_rows(org, team, cycle, sheet):
    bad = GOOD + "Second,Broken,nobody@example.com,0,abc,\n"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command(
            "import-sheet", sheet(bad), "--org", "acme", "--as", "alice@example.com",
            "--unit", "Growth", stdout=out, stderr=err,
        )  # fmt: skip
    assert "Problem: Row 4, Owner:" in err.getvalue()
    assert "Problem: Row 4, Target: “abc” is not a number." in err.getvalue()
    assert not Objective.objects.exists()


def test_json_output(org, team, cycle, sheet):
    out, _err = run(
        sheet(GOOD), "--org", "acme", "--as", "alice@example.com", "--unit", "Growth",
        "--dry-run", "--json",
    )  # fmt: skip
    body = json.loads(out)
    assert body["ok"] is True and body["counts"]["key_results"] == 2
    assert not Objective.objects.exists()


def test_json_output_with_problems_still_prints_them(org, team, cycle, sheet):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import-sheet", sheet("Name,Email\nA,B\n"), "--as", "alice@example.com", "--json",
            stdout=out, stderr=io.StringIO(),
        )  # fmt: skip
    assert "Columns found" in json.loads(out.getvalue())["problems"][0]["message"]


def test_clear_errors_for_bad_arguments(org, team, cycle, sheet, settings, tmp_path):
    with pytest.raises(CommandError, match="No unit is called"):
        run(sheet(GOOD), "--as", "alice@example.com", "--unit", "Nope")
    with pytest.raises(CommandError, match="No cycle is called"):
        run(sheet(GOOD), "--as", "alice@example.com", "--cycle", "Q1 1999")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.csv"), "--as", "alice@example.com")
    settings.TENFOLD_IMPORT_MAX_BYTES = 10
    with pytest.raises(CommandError, match="can be imported"):
        run(sheet(GOOD), "--as", "alice@example.com")
    with pytest.raises(CommandError, match="Nobody signs in as"):
        run(sheet(GOOD), "--org", "acme", "--as", "nobody@example.com")
