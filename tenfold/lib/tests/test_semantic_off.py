"""Without the optional extra (or with a broken one) semantic help reports why it is off and
never raises from `available()`. These tests fake the missing pieces, so they run with or
without the extra installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tenfold.lib import semantic


def test_without_numpy_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    real = semantic.importlib.util.find_spec

    def missing_numpy(name: str, *args: Any) -> Any:
        return None if name == "numpy" else real(name, *args)

    monkeypatch.setattr(semantic.importlib.util, "find_spec", missing_numpy)
    assert not semantic.available()
    assert "NumPy" in semantic.unavailable_reason()


def test_without_the_model_package_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    real = semantic.importlib.util.find_spec

    def missing_model(name: str, *args: Any) -> Any:
        return None if name == semantic.MODEL_PACKAGE else real(name, *args)

    monkeypatch.setattr(semantic.importlib.util, "find_spec", missing_model)
    assert not semantic.available()
    assert semantic.MODEL_PACKAGE in semantic.unavailable_reason()
    monkeypatch.setattr(semantic, "_model", None)
    with pytest.raises(semantic.SemanticUnavailable):
        semantic.embed(["text"])


def test_an_incomplete_model_folder_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setattr(semantic, "model_directory", lambda: tmp_path)
    assert not semantic.available()
    assert "model.safetensors" in semantic.unavailable_reason()


def test_available_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("broken installation")

    monkeypatch.setattr(semantic.importlib.util, "find_spec", broken)
    assert semantic.available() is False
    assert "broken installation" in semantic.unavailable_reason()


def test_importing_it_loads_neither_numpy_nor_the_model() -> None:
    # Django imports tenfold.coach.semantic at start-up; that must cost nothing and work
    # without the extra.
    code = (
        "import sys, django; django.setup(); before = set(sys.modules);"
        "import tenfold.coach.semantic, tenfold.lib.semantic.tokenizer;"
        "new = set(sys.modules) - before;"
        "print(sorted(m for m in new if m == 'numpy' or m.endswith(('.encoder', '.safetensors'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tenfold.settings"},
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.stdout.strip() == "[]"
