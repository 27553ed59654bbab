"""The measurement: the labelled and holdout sets meet the targets, and the evaluation command
reports what it promises."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tenfold.lib.coach import evaluate
from tenfold.lib.coach.evaluate import DEFAULT_FILES, FALSE_FLAG_TARGET, RECALL_TARGET

LABELLED, HOLDOUT = DEFAULT_FILES


def read(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("path", DEFAULT_FILES, ids=["labelled", "holdout"])
def test_each_set_meets_the_targets(path):
    (report,) = evaluate.evaluate([path])
    key_results = report.stats["key_result"]["all"]
    assert key_results.recall is not None and key_results.recall >= RECALL_TARGET
    assert key_results.false_flag_rate is not None
    assert key_results.false_flag_rate <= FALSE_FLAG_TARGET
    assert report.invalid == []
    assert report.meets_targets()


def test_the_labelled_set_has_the_promised_shape():
    items = read(LABELLED)
    assert len(items) >= 180
    kinds = Counter(item["kind"] for item in items)
    assert kinds["key_result"] >= 110
    labels = Counter(item["label"] for item in items if item["kind"] == "key_result")
    assert abs(labels["good"] - labels["needs_work"]) <= 0.2 * kinds["key_result"]
    languages = Counter(item["lang"] for item in items)
    assert languages["zh"] >= 35 and languages["es"] >= 35
    assert all(item["why"].strip() for item in items)


def test_the_holdout_is_separate():
    holdout = read(HOLDOUT)
    assert len(holdout) >= 60
    assert {item["lang"] for item in holdout} == {"en", "zh", "es"}
    labelled = {item["text"] for item in read(LABELLED)}
    assert not labelled & {item["text"] for item in holdout}


def test_the_report_by_language_and_kind(capsys):
    assert evaluate.main([]) == 0
    out = capsys.readouterr().out
    assert "coach_labelled.jsonl" in out and "coach_holdout.jsonl" in out
    for label in ("key_result", "objective", "recall", "false flags", "precision", " zh ", " es "):
        assert label in out


def test_json_output(capsys):
    evaluate.main(["--json", str(LABELLED)])
    data = json.loads(capsys.readouterr().out)
    (file,) = data["files"]
    stats = file["stats"]["key_result"]
    assert set(stats) >= {"all", "en", "zh", "es"}
    assert stats["all"]["count"] == stats["all"]["good"] + stats["all"]["needs_work"]
    assert {"recall", "false_flag_rate", "precision"} <= set(stats["all"])
    assert data["targets"] == {"recall": RECALL_TARGET, "false_flag_rate": FALSE_FLAG_TARGET}


def test_errors_and_bad_lines_are_reported(tmp_path, capsys):
    path = tmp_path / "set.jsonl"
    rows = [
        {"kind": "key_result", "text": "Raise NPS from 32 to 45", "label": "needs_work",
         "lang": "en", "why": "mislabelled on purpose"},
        {"kind": "key_result", "text": "Launch the app", "label": "needs_work", "lang": "en",
         "why": "task"},
        {"kind": "objective", "text": "Launch the app", "label": "good", "lang": "en",
         "why": "mislabelled on purpose"},
    ]  # fmt: skip
    path.write_text(
        "\n".join(json.dumps(row) for row in rows) + "\nnot json\n" + '{"kind": "other"}\n',
        encoding="utf-8",
    )
    assert evaluate.main([str(path), "--show-errors", "--check"]) == 1
    out = capsys.readouterr().out
    assert "Raise NPS from 32 to 45" in out and "missed" in out
    assert "false flag" in out
    assert out.count("invalid line") == 2
    (report,) = evaluate.evaluate([path])
    stats = report.stats["key_result"]["all"]
    assert (stats.recall, stats.false_flag_rate, stats.precision) == (0.5, None, 1.0)
    assert report.stats["objective"]["all"].false_flag_rate == 1.0


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit):
        evaluate.main([str(tmp_path / "nope.jsonl")])
