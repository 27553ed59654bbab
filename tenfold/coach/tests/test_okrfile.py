"""Reading OKR files: YAML, JSON and plain text, and clear refusals for everything else."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tenfold.coach.okrfile import MAX_BYTES, OkrFileError, read_bytes, read_path, read_text

YAML = """
scope: organization
first_cycle: true
objectives:
  - title: Customers love their first week
    level: company
    key_results:
      - Raise week-one activation from 30 % to 45 %
  - title: Onboarding that explains itself
    unit: Growth
    type: aspirational
    aligned_to: Customers love their first week
    owner: carol@example.com
    key_results:
      - title: Cut time to first report from 3 days to 1 day
        kind: decrease
        start: 3
        target: 1
        unit: days
      - title: Launch the new onboarding emails
"""


def test_yaml_with_units_levels_and_structured_key_results() -> None:
    found = read_text(YAML, name="okrs.yaml", suffix=".yaml")
    assert found.whole_organization and found.first_cycle
    (company_unit, company), (unit, team) = found.objectives
    assert company.level == "company" and company_unit == ""
    assert unit == "Growth" and team.type == "aspirational" and team.aligned is True
    assert team.has_owner is True
    first, second = team.key_results or []
    assert (first.kind, first.start, first.target, first.unit) == (
        "decrease",
        Decimal(3),
        Decimal(1),
        "days",
    )
    assert second.kind is None and second.start is None
    assert list(found.by_unit()) == ["", "Growth"]


def test_json_list_of_objectives() -> None:
    found = read_text('[{"title": "Happier support", "key_results": ["Raise CSAT from 80 to 90"]}]')
    assert [o.title for _u, o in found.objectives] == ["Happier support"]
    assert not found.whole_organization


def test_plain_text_objectives_and_bulleted_key_results() -> None:
    text = (
        "# Delight new customers\n- Raise activation from 30% to 45%\n  Cut churn to 2%\n\n"
        "目标：提升客户满意度\n1. 将 NPS 从 30 提高到 45\n"
    )
    found = read_text(text, name="okrs.md", suffix=".md")
    titles = [(o.title, [kr.title for kr in o.key_results or []]) for _u, o in found.objectives]
    assert titles == [
        ("Delight new customers", ["Raise activation from 30% to 45%", "Cut churn to 2%"]),
        ("提升客户满意度", ["将 NPS 从 30 提高到 45"]),
    ]


@pytest.mark.parametrize(
    ("text", "suffix", "words"),
    [
        ("", ".yaml", "empty"),
        ("   \n\n", "", "empty"),
        ("objectives: [unclosed", ".yaml", "line 1"),
        ('{"objectives": [', ".json", "not valid JSON"),
        ("objectives: 3", ".yaml", "must be a list"),
        ("objectives: []", ".yaml", "no objective"),
        ("- title: ''", ".yaml", "“title” is empty"),
        ("- key_results: [a]", ".yaml", "“title” is missing"),
        ("- title: A\n  key_results: nope", ".yaml", "must be a list"),
        ("- title: A\n  type: moonshot", ".yaml", "committed, aspirational"),
        ("- title: A\n  key_results: [{title: B, start: lots}]", ".yaml", "must be a number"),
        ("- title: A\n  key_results: [{title: B, target: .nan}]", ".yaml", "must be a number"),
        ("- title: A\n  key_results: [{title: B, kind: maybe}]", ".yaml", "increase"),
        ("just: a mapping", ".yaml", "expected a list of objectives"),
        ("- Raise NPS from 30 to 40", ".txt", "before any objective"),
        ("a\x00b", "", "binary"),
    ],
)
def test_malformed_files_get_a_clear_message(text: str, suffix: str, words: str) -> None:
    with pytest.raises(OkrFileError) as raised:
        read_text(text, name="f", suffix=suffix)
    assert words in str(raised.value)


def test_not_utf8_and_too_large_and_missing(tmp_path: Path) -> None:
    with pytest.raises(OkrFileError, match="not UTF-8"):
        read_bytes(b"\xff\xfe\x00bad", name="x")
    with pytest.raises(OkrFileError, match="larger than"):
        read_bytes(b"a" * (MAX_BYTES + 1), name="x")
    with pytest.raises(OkrFileError, match="no such file"):
        read_path(tmp_path / "nope.yaml")
    with pytest.raises(OkrFileError, match="folder"):
        read_path(tmp_path)


def test_emoji_and_mixed_scripts_are_read_as_text() -> None:
    found = read_text("🚀 Make onboarding магия 好\n- 🎯🎯🎯\n")
    ((_u, objective),) = found.objectives
    assert objective.title.startswith("🚀") and objective.key_results[0].title == "🎯🎯🎯"


def test_a_unit_file_names_its_unit_and_level_once_at_the_top() -> None:
    text = """
tenfold: 1
organization: acme
cycle: Q4 2026
unit: Growth
level: department
objectives:
  - code: ab23cd45ef
    title: New customers succeed in their first week
    aligned_to: [{code: gh67jk89mn, weight: 0.5}]
    key_results:
      - title: Raise week-one activation from 30 % to 45 %
        kind: increase
        start: 30
        target: 45
        unit_label: "%"
  - title: Support answers within the hour
    level: team
"""
    found = read_text(text, name="growth.yaml", suffix=".yaml")
    (unit, first), (_unit, second) = found.objectives
    assert unit == "Growth" and first.level == "department" and first.aligned is True
    assert (first.key_results or [])[0].unit == "%"
    assert second.level == "team"  # the objective's own value wins
