"""tenfold coach: files and organizations, text and JSON, exit codes for CI."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenfold.okrs.services import key_result_create

GOOD = """
objectives:
  - title: New customers succeed in their first week
    unit: Growth
    owner: carol@example.com
    aligned_to: Customers love us
    key_results:
      - Raise week-one activation from 30 % to 45 %
      - Cut time to first report from 3 days to 1 day
      - Grow weekly active teams from 400 to 650
"""

BAD = """
- title: Launch the new website
  key_results:
    - Launch the new website
    - Write 4 blog posts
"""


def run(*args: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("coach", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_good_file_passes(tmp_path: Path) -> None:
    code, out, _err = run(write(tmp_path, "good.yaml", GOOD))
    assert code == 0, out
    assert "0 problems" in out


def test_a_bad_file_fails_with_findings_and_rewrites(tmp_path: Path) -> None:
    code, out, _err = run(write(tmp_path, "bad.yaml", BAD))
    assert code == 1
    assert "kr.output" in out and "kr.counts_outputs" in out and "→" in out


def test_json_output_is_machine_readable(tmp_path: Path) -> None:
    code, out, _err = run(write(tmp_path, "bad.yaml", BAD), "--json")
    data = json.loads(out)
    assert code == 1
    (report,) = data["reports"]
    rules = {
        f["rule"] for o in report["objectives"] for kr in o["key_results"] for f in kr["findings"]
    }
    assert {"kr.output", "kr.counts_outputs"} <= rules
    assert data["summary"]["warning"] + data["summary"]["problem"] > 0


def test_fail_on_chooses_what_fails(tmp_path: Path) -> None:
    warnings_only = "- title: Delight new customers\n  key_results:\n    - Write 4 blog posts\n"
    path = write(tmp_path, "warn.yaml", warnings_only)
    assert run(path)[0] == 1
    assert run(path, "--fail-on", "problem")[0] == 0
    assert run(path, "--fail-on", "never")[0] == 0
    empty_kr = (
        "- title: Delight new customers\n  key_results:\n"
        "    - title: x\n      kind: increase\n      start: 5\n      target: 5\n"
    )
    assert run(write(tmp_path, "problem.yaml", empty_kr), "--fail-on", "problem")[0] == 1


def test_plain_text_and_stdin(tmp_path: Path, monkeypatch: Any) -> None:
    text = "Delight new customers\n- Raise activation from 30% to 45%\n"
    code, out, _err = run(write(tmp_path, "okrs.txt", text))
    assert "Delight new customers" in out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code2, out2, _err = run("-")
    assert "Delight new customers" in out2 and code2 == code


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("broken.yaml", "objectives: [unclosed", "not valid YAML"),
        ("empty.yaml", "", "empty"),
        ("shape.yaml", "- title: A\n  key_results: 3", "must be a list"),
        ("emoji.json", '{"objectives": [{"title": "🚀"}], ', "not valid JSON"),
    ],
)
def test_malformed_files_exit_2_with_a_message(
    tmp_path: Path, name: str, text: str, words: str
) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("coach", write(tmp_path, name, text))
    assert words in str(raised.value)
    assert raised.value.returncode == 2


def test_options_are_checked() -> None:
    with pytest.raises(CommandError, match="not both"):
        call_command("coach")
    with pytest.raises(CommandError, match="no such file"):
        call_command("coach", "/nonexistent/okrs.yaml")


@pytest.mark.django_db
def test_an_organization_cycle(org, cycle, team, objective, key_result, carol) -> None:
    key_result_create(
        objective=objective, title="Publish 4 blog posts", kind="reach", target=4, by=carol
    )
    code, out, _err = run("--org", org.slug, "--json")
    data = json.loads(out)
    (report,) = data["reports"]
    titles = [o["title"] for o in report["objectives"]]
    assert objective.title in titles
    assert code == 1  # "Publish 4 blog posts" counts outputs: it needs work
    text_code, text, _err = run("--org", org.slug, "--as", carol.email, "--cycle", cycle.code)
    assert "Publish 4 blog posts" in text and text_code == code


@pytest.mark.django_db
def test_organization_errors(org, cycle, team) -> None:
    with pytest.raises(CommandError, match="No organization"):
        call_command("coach", "--org", "nope")
    with pytest.raises(CommandError, match="not a member"):
        call_command("coach", "--org", org.slug, "--as", "nobody@example.com")
    with pytest.raises(CommandError, match="No cycle"):
        call_command("coach", "--org", org.slug, "--cycle", "zzz")
