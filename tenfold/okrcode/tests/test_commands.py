"""tenfold plan and tenfold apply: output, exit codes, confirmation and refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tenfold.okrcode.files import export_files
from tenfold.okrs.models import Objective

from .conftest import World, replace, snapshot, team_file


def run(*args: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def edited(world: World, tmp_path: Path) -> Path:
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    replace(path, "title: Make onboarding effortless", "title: Onboarding in one sitting")
    return path


def test_plan_exits_0_when_the_files_match(world: World, tmp_path: Path) -> None:
    paths = [str(p) for p in export_files(world.org, tmp_path)]
    code, out, err = run("plan", *paths, "--as", "carol@example.com")
    assert (code, err) == (0, "")
    assert "No changes" in out


def test_plan_exits_2_and_shows_each_change(world: World, edited: Path) -> None:
    with edited.open("a", encoding="utf-8") as stream:
        stream.write("  - title: Support that feels personal\n")
    code, out, _err = run("plan", str(edited))
    assert code == 2
    assert f"~ update objective {world.onboarding.code} “Make onboarding effortless”" in out
    assert "      title: “Make onboarding effortless” → “Onboarding in one sitting”" in out
    assert "+ create objective “Support that feels personal” in Growth" in out
    assert "Plan: 1 to create, 1 to update, 0 to archive, 0 to delete." in out
    code, out, _err = run("plan", str(edited), "--json")
    data = json.loads(out)
    assert code == 2 and data["summary"]["update"] == 1
    assert data["changes"][1]["fields"] == {
        "title": ["Make onboarding effortless", "Onboarding in one sitting"]
    }
    assert Objective.objects.filter(title="Support that feels personal").count() == 0


def test_plan_exits_1_naming_file_line_and_field(world: World, edited: Path) -> None:
    replace(edited, "kind: decrease", "kind: shrink")
    code, out, err = run("plan", str(edited))
    assert code == 1 and out == ""
    assert f"{edited}, line 31, “kind”: “shrink” is not one of increase" in err
    replace(edited, "kind: shrink", "kind: decrease")
    replace(edited, "owner: bob@", "owner: zoe@")
    code, out, err = run("plan", str(edited), "--json")
    assert code == 1
    (problem,) = json.loads(out)["problems"]
    assert (problem["line"], problem["field"]) == (27, "owner")


def test_apply_with_yes_applies_and_the_next_plan_is_empty(world: World, edited: Path) -> None:
    with edited.open("a", encoding="utf-8") as stream:
        stream.write("  - title: Support that feels personal\n")
    code, out, err = run("apply", str(edited), "--as", "carol@example.com", "--yes")
    assert (code, err) == (0, "")
    assert "Done: + create objective “Support that feels personal” in Growth" in out
    assert f"Wrote the new codes into {edited}." in out
    created = Objective.objects.get(title="Support that feels personal")
    assert f"code: {created.code}" in edited.read_text(encoding="utf-8")
    before = snapshot(world.org)
    assert run("plan", str(edited))[0] == 0
    code, out, _err = run("apply", str(edited), "--as", "carol@example.com", "--yes")
    assert code == 0 and "No changes" in out
    assert snapshot(world.org) == before


def test_apply_asks_first(world: World, edited: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda: "no")
    code, out, _err = run("apply", str(edited), "--as", "carol@example.com")
    assert code == 0 and "Apply these changes?" in out and "Nothing was changed." in out
    assert Objective.objects.get(pk=world.onboarding.pk).title == "Make onboarding effortless"
    monkeypatch.setattr("builtins.input", lambda: "yes")
    code, out, _err = run("apply", str(edited), "--as", "carol@example.com")
    assert code == 0 and "Applied 1 changes." in out
    assert Objective.objects.get(pk=world.onboarding.pk).title == "Onboarding in one sitting"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("victor@example.com", "line 10: you may not edit the objective"),
        ("mallory@example.com", "mallory@example.com is not a member of acme."),
        ("nobody@example.com", "Nobody signs in as nobody@example.com."),
    ],
)
def test_apply_refuses_whoever_may_not_make_the_changes(
    world: World, edited: Path, mallory: Any, email: str, message: str
) -> None:
    before = snapshot(world.org)
    text = edited.read_text(encoding="utf-8")
    code, _out, err = run("apply", str(edited), "--as", email, "--yes")
    assert code == 1 and message in err
    assert snapshot(world.org) == before
    assert edited.read_text(encoding="utf-8") == text


def test_the_coach_command_checks_an_exported_file(world: World, tmp_path: Path) -> None:
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    code, out, err = run("coach", str(path))
    assert code in (0, 1) and err == ""  # 2 would mean the file could not be read
    assert "Make onboarding effortless" in out


def test_tenfold_export_yaml_writes_files_that_plan_to_nothing(
    world: World, tmp_path: Path
) -> None:
    code, out, _err = run("export", "--org", "acme", "--format", "yaml", "--out", str(tmp_path))
    assert code == 0
    paths = sorted(str(p) for p in tmp_path.rglob("*.yaml"))
    assert sorted(out.split()) == paths and len(paths) == 2
    assert run("plan", *paths, "--as", "alice@example.com")[0] == 0


def test_apply_of_a_broken_file_changes_nothing(world: World, edited: Path) -> None:
    replace(edited, "    key_results:\n", "    key_results: [\n")
    before = snapshot(world.org)
    code, out, err = run("apply", str(edited), "--as", "carol@example.com", "--yes")
    assert code == 1 and out == ""
    assert f"{edited}, line " in err and "this is not valid YAML" in err
    assert snapshot(world.org) == before
