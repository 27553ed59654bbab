"""Tenfold's semgrep rules (.semgrep/tenfold.yml): the source has no finding, and each rule
fires on its bad examples (.semgrep/cases/bad) exactly on the lines marked `expect: <rule>`
and stays quiet on the good ones (.semgrep/cases/good), allow-listed files included.

One semgrep run over both, offline. Without the semgrep program the tests are skipped, except
in CI (CI=true), where they fail: CI must run them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tenfold.conftest import not_on_postgresql

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / ".semgrep"
CASES = RULES / "cases"
EXPECT = re.compile(r"expect: ([a-z0-9-]+)")

pytestmark = not_on_postgresql


def semgrep_program() -> str | None:
    beside = Path(sys.executable).parent / "semgrep"
    return str(beside) if beside.exists() else shutil.which("semgrep")


@pytest.fixture(scope="module")
def scan() -> dict[str, Any]:
    program = semgrep_program()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("semgrep is not installed: `make dev` installs it (dev dependencies).")
        pytest.skip("semgrep is not installed (`make dev` installs it); CI runs these tests.")
    finished = subprocess.run(
        [
            program,
            "scan",
            "--config",
            str(RULES),
            "--metrics=off",
            "--disable-version-check",
            "--json",
            "--quiet",
            "tenfold",
            str(CASES.relative_to(ROOT)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode in (0, 1), finished.stderr
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


def rule_of(finding: dict[str, Any]) -> str:
    """The rule's own id, without the prefix semgrep adds from the config's folder."""
    return str(finding["check_id"]).rsplit(".", 1)[-1]


def findings_under(scan: dict[str, Any], folder: str) -> set[tuple[str, int, str]]:
    return {
        (finding["path"], finding["start"]["line"], rule_of(finding))
        for finding in scan["results"]
        if finding["path"].startswith(folder)
    }


def expected_in(folder: Path) -> set[tuple[str, int, str]]:
    """(path, line, rule) for every line that follows an `expect: <rule>` comment."""
    expected = set()
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            for rule in EXPECT.findall(line):
                expected.add((str(path.relative_to(ROOT)), number + 1, rule))
    return expected


def rule_ids() -> set[str]:
    text = (RULES / "tenfold.yml").read_text(encoding="utf-8")
    return set(re.findall(r"^  - id: ([a-z0-9-]+)$", text, flags=re.MULTILINE))


def test_semgrep_read_every_file_without_an_error(scan: dict[str, Any]) -> None:
    assert scan["errors"] == []
    scanned = scan["paths"]["scanned"]
    assert any(path.startswith("tenfold/web/views/") for path in scanned)
    assert any(path.startswith("tenfold/api/") for path in scanned)
    assert any("/templates/" in path for path in scanned)


def test_the_source_has_no_finding(scan: dict[str, Any]) -> None:
    assert sorted(findings_under(scan, "tenfold/")) == []


def test_each_rule_fires_on_exactly_the_marked_lines_of_its_bad_cases(
    scan: dict[str, Any],
) -> None:
    expected = expected_in(CASES / "bad")
    assert {rule for _path, _line, rule in expected} == rule_ids()
    assert sorted(findings_under(scan, ".semgrep/cases/bad/")) == sorted(expected)


def test_the_good_cases_and_the_allow_listed_files_have_no_finding(
    scan: dict[str, Any],
) -> None:
    assert expected_in(CASES / "good") == set()
    assert sorted(findings_under(scan, ".semgrep/cases/good/")) == []
