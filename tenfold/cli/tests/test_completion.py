"""Completion scripts list the commands, subcommands and options, and bash runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import run

BASH = shutil.which("bash")


@pytest.fixture(scope="module")
def scripts() -> dict[str, str]:
    return {shell: run("completion", shell).out for shell in ("bash", "zsh", "fish")}


def test_every_script_names_the_commands_and_subcommands(scripts):
    for text in scripts.values():
        for word in ("checkin", "week", "okrs", "completion", "confidence", "json", "url"):
            assert word in text
    assert "--confidence" in scripts["bash"] and "--confidence" in scripts["zsh"]
    assert "-n '__fish_seen_subcommand_from checkin' -l confidence" in scripts["fish"]
    assert "show) words='--as" in scripts["bash"]
    assert "'show:The week" in scripts["zsh"]
    assert (
        "complete -c tenfold -n '__fish_seen_subcommand_from okrs; and not "
        "__fish_seen_subcommand_from list show' -a 'list show'" in scripts["fish"]
    )
    assert "compdef _tenfold tenfold" in scripts["zsh"]
    assert "complete -o default -F _tenfold tenfold" in scripts["bash"]


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_accepts_the_script(scripts, tmp_path):
    path = tmp_path / "tenfold.bash"
    path.write_text(scripts["bash"])
    subprocess.run([BASH, "-n", str(path)], check=True)


def complete(script: Path, words: list[str], path: str) -> list[str]:
    """What bash offers after `words` (the last one is being typed)."""
    quoted = " ".join(f"'{w}'" for w in words)
    program = (
        f"source {script}; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; "
        '_tenfold; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    result = subprocess.run(
        [BASH, "--norc", "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PATH": path},
    )
    return result.stdout.split()


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_completes_commands_subcommands_options_and_codes(scripts, tmp_path):
    script = tmp_path / "tenfold.bash"
    script.write_text(scripts["bash"])
    # A stand-in `tenfold` that answers `okrs --codes` as a server would.
    fake = tmp_path / "bin" / "tenfold"
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nprintf "7hq2m4kx9c\\tRaise activation\\n"\n')
    fake.chmod(0o755)
    path = f"{fake.parent}:{os.environ.get('PATH', '')}"
    assert complete(script, ["tenfold", "checki"], path) == ["checkin"]
    assert complete(script, ["tenfold", "week", "mo"], path) == ["move"]
    assert complete(script, ["tenfold", "week", "done", "--un"], path) == ["--undo"]
    assert complete(script, ["tenfold", "okrs", "show", "7h"], path) == ["7hq2m4kx9c"]
    assert "7hq2m4kx9c" in complete(script, ["tenfold", "checkin", ""], path)
    assert "7hq2m4kx9c" not in complete(script, ["tenfold", "week", ""], path)
    assert "--confidence" in complete(
        script, ["tenfold", "checkin", "7hq2m4kx9c", "3", "--c"], path
    )


def test_an_unknown_shell_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="invalid choice"):
        run("completion", "tcsh")
