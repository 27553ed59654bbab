"""How well the coach's rules separate good OKR text from text that needs work.

    .venv/bin/python -m tenfold.lib.coach.evaluate [FILE ...] [--json] [--show-errors] [--check]

Each FILE is JSON Lines: {"kind": "key_result"|"objective", "text": …, "label":
"good"|"needs_work", "lang": "en"|"zh"|"es", "why": …}. Without FILE, the labelled set and the
holdout set in tenfold/lib/tests/data/ are used. An item is checked as text only (no structured
values) and counts as *flagged* when `needs_work()` is true for its findings.

Figures, per file, kind and language: recall (share of needs_work items flagged), false-flag
rate (share of good items flagged), precision (share of flagged items that need work).
`--check` exits with status 1 when a file misses the key-result targets.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tenfold.lib.coach.checks import check_key_result, check_objective, needs_work
from tenfold.lib.coach.types import Finding, KeyResultText, ObjectiveText

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEFAULT_FILES = (DATA / "coach_labelled.jsonl", DATA / "coach_holdout.jsonl")
KINDS = ("key_result", "objective")
LABELS = ("good", "needs_work")

# The targets the rules are held to, on every file (the holdout included).
RECALL_TARGET = 0.90
FALSE_FLAG_TARGET = 0.10


@dataclass
class Item:
    kind: str
    text: str
    label: str
    lang: str
    why: str = ""
    line: int = 0


@dataclass
class Stats:
    good: int = 0
    needs_work: int = 0
    true_flags: int = 0  # needs_work, flagged
    false_flags: int = 0  # good, flagged

    def add(self, item: Item, flagged: bool) -> None:
        if item.label == "good":
            self.good += 1
            self.false_flags += flagged
        else:
            self.needs_work += 1
            self.true_flags += flagged

    @property
    def count(self) -> int:
        return self.good + self.needs_work

    @property
    def recall(self) -> float | None:
        return self.true_flags / self.needs_work if self.needs_work else None

    @property
    def false_flag_rate(self) -> float | None:
        return self.false_flags / self.good if self.good else None

    @property
    def precision(self) -> float | None:
        flagged = self.true_flags + self.false_flags
        return self.true_flags / flagged if flagged else None

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "good": self.good,
            "needs_work": self.needs_work,
            "recall": _round(self.recall),
            "false_flag_rate": _round(self.false_flag_rate),
            "precision": _round(self.precision),
        }


@dataclass
class Miss:
    file: str
    line: int
    kind: str
    lang: str
    label: str
    text: str
    why: str
    findings: list[str] = field(default_factory=list)


@dataclass
class FileReport:
    file: str
    stats: dict[str, dict[str, Stats]]  # kind → ("all" | lang) → Stats
    misses: list[Miss]
    invalid: list[str]

    def meets_targets(self) -> bool:
        overall = self.stats["key_result"]["all"]
        recall, false_flags = overall.recall, overall.false_flag_rate
        return (recall is None or recall >= RECALL_TARGET) and (
            false_flags is None or false_flags <= FALSE_FLAG_TARGET
        )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def load(path: Path) -> tuple[list[Item], list[str]]:
    """The items of a JSON Lines file, and a message for each line that could not be used."""
    items: list[Item] = []
    invalid: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                item = Item(
                    kind=data["kind"],
                    text=data["text"],
                    label=data["label"],
                    lang=data.get("lang", "en"),
                    why=data.get("why", ""),
                    line=number,
                )
            except (ValueError, KeyError, TypeError) as error:
                invalid.append(f"{path.name}:{number}: {error}")
                continue
            if item.kind not in KINDS or item.label not in LABELS:
                invalid.append(f"{path.name}:{number}: unknown kind or label")
                continue
            items.append(item)
    return items, invalid


def findings_for(item: Item) -> list[Finding]:
    if item.kind == "key_result":
        return check_key_result(KeyResultText(title=item.text))
    return check_objective(ObjectiveText(title=item.text, key_results=None))


def evaluate_items(name: str, items: Iterable[Item], invalid: Sequence[str] = ()) -> FileReport:
    stats: dict[str, dict[str, Stats]] = {kind: {"all": Stats()} for kind in KINDS}
    misses: list[Miss] = []
    for item in items:
        findings = findings_for(item)
        flagged = needs_work(findings)
        stats[item.kind]["all"].add(item, flagged)
        stats[item.kind].setdefault(item.lang, Stats()).add(item, flagged)
        if flagged != (item.label == "needs_work"):
            misses.append(
                Miss(
                    file=name,
                    line=item.line,
                    kind=item.kind,
                    lang=item.lang,
                    label=item.label,
                    text=item.text,
                    why=item.why,
                    findings=[f"{f.rule} ({f.severity})" for f in findings],
                )
            )
    return FileReport(file=name, stats=stats, misses=misses, invalid=list(invalid))


def evaluate(paths: Sequence[Path]) -> list[FileReport]:
    reports = []
    for path in paths:
        items, invalid = load(path)
        reports.append(evaluate_items(path.name, items, invalid))
    return reports


def _percent(value: float | None) -> str:
    return "   –  " if value is None else f"{value * 100:5.1f}%"


def render(reports: Sequence[FileReport], *, show_errors: bool = False) -> str:
    lines: list[str] = []
    for report in reports:
        lines.append(f"== {report.file}")
        lines.append(
            f"   {'kind':<11}{'lang':<5}{'items':>6}{'good':>6}{'needs':>6}"
            f"{'recall':>9}{'false flags':>13}{'precision':>11}"
        )
        for kind in KINDS:
            groups = report.stats[kind]
            for group in ["all", *sorted(g for g in groups if g != "all")]:
                s = groups[group]
                if not s.count:
                    continue
                lines.append(
                    f"   {kind:<11}{group:<5}{s.count:>6}{s.good:>6}{s.needs_work:>6}"
                    f"{_percent(s.recall):>9}{_percent(s.false_flag_rate):>13}"
                    f"{_percent(s.precision):>11}"
                )
        verdict = "met" if report.meets_targets() else "MISSED"
        lines.append(
            f"   key-result targets (recall ≥ {RECALL_TARGET:.0%}, false flags ≤ "
            f"{FALSE_FLAG_TARGET:.0%}): {verdict}"
        )
        for message in report.invalid:
            lines.append(f"   invalid line: {message}")
        if show_errors:
            for miss in report.misses:
                wrong = "missed" if miss.label == "needs_work" else "false flag"
                found = ", ".join(miss.findings) or "no findings"
                lines.append(
                    f"   {wrong:<10} {miss.kind:<10} {miss.lang} line {miss.line}: "
                    f"{miss.text[:90]!r} [{found}] — {miss.why}"
                )
        lines.append("")
    return "\n".join(lines)


def as_json(reports: Sequence[FileReport]) -> dict[str, object]:
    return {
        "targets": {"recall": RECALL_TARGET, "false_flag_rate": FALSE_FLAG_TARGET},
        "files": [
            {
                "file": report.file,
                "meets_targets": report.meets_targets(),
                "stats": {
                    kind: {group: s.as_dict() for group, s in groups.items()}
                    for kind, groups in report.stats.items()
                },
                "errors": [asdict(miss) for miss in report.misses],
                "invalid": report.invalid,
            }
            for report in reports
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tenfold.lib.coach.evaluate",
        description="Measure the coach's rules on labelled OKR texts.",
    )
    parser.add_argument("files", nargs="*", type=Path, help="JSON Lines files (default: both sets)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified items")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a file misses the targets"
    )
    args = parser.parse_args(argv)
    paths = args.files or [path for path in DEFAULT_FILES if path.exists()]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        parser.error("no such file: " + ", ".join(missing))
    reports = evaluate(paths)
    if args.json:
        print(json.dumps(as_json(reports), ensure_ascii=False, indent=2))
    else:
        print(render(reports, show_errors=args.show_errors))
    if args.check and not all(report.meets_targets() for report in reports):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
