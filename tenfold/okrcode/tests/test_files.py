"""Writing and reading OKR files: canonical export, strict reading with file/line/field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tenfold.coach.okrfile import read_path
from tenfold.okrcode.files import (
    FileProblems,
    export_files,
    export_texts,
    parse_document,
    read_documents,
    with_codes,
)
from tenfold.okrs.services import objective_create

from .conftest import World, team_file

GOOD = """\
# Growth's OKRs
tenfold: 1
organization: acme
cycle: Q4 2026
unit: Growth
objectives:
  - title: Make onboarding effortless   # the one that matters
    type: aspirational
    owner: Carol@Example.com
    aligned_to: [abc234defg, {code: hjk567mnpq, weight: 0.25}]
    key_results:
      - title: Raise activation from 20% to 40%
        kind: increase
        start: 20
        target: 40.5
        unit_label: "%"
        weight: 2
      - code: rst789uvwx
        title: Ship the guide
        kind: milestone
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(FileProblems) as caught:
        parse_document(text, "okrs/growth.yaml")
    return [str(p) for p in caught.value.problems]


def test_it_reads_a_file_into_the_desired_state() -> None:
    document = parse_document(GOOD, "growth.yaml")
    assert (document.organization, document.cycle, document.unit) == ("acme", "Q4 2026", "Growth")
    (objective,) = document.objectives
    assert objective.code is None and objective.type == "aspirational"
    assert objective.owner == "carol@example.com"
    assert [(link.code, link.weight) for link in objective.aligned_to] == [
        ("abc234defg", Decimal(1)),
        ("hjk567mnpq", Decimal("0.25")),
    ]
    first, second = objective.key_results
    assert (first.start, first.target, first.weight) == (Decimal(20), Decimal("40.5"), 2)
    assert first.line == 12 and first.line_of("target") == 15
    assert second.code == "rst789uvwx" and second.kind == "milestone"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("    type:", "    tpye:"), "line 8, “tpye”: unknown field; did you mean “type”?"),
        (("kind: increase", "kind: grow"), "line 13, “kind”: “grow” is not one of increase"),
        (("start: 20", "start: twenty"), "line 14, “start”: “twenty” is not a number."),
        (("weight: 2", "weight: [2]"), "line 17, “weight”: “[2]” is not a number."),
        (("owner: Carol@Example.com", "owner: carol"), "line 9, “owner”: give the person's"),
        (("tenfold: 1", "tenfold: 2"), "line 2, “tenfold”: this file is written in format 2"),
        (("0.25}", "1.5}"), "line 10, “weight”: a contribution is a share between 0 and 1"),
        (("- title: Make", "- titel: Make"), "line 7, “title”: this is required."),
        (("cycle: Q4 2026\n", ""), "“cycle”: this is required."),
        (("type: aspirational", "type: aspirational\n    type: committed"), "line 9"),
        (("kind: milestone", "kind: milestone\n  bad: [unclosed"), "not valid YAML"),
        (("code: rst789uvwx", "code: not-a-code!"), "line 18, “code”: “not-a-code!” is not"),
    ],
)
def test_a_bad_file_is_refused_naming_file_line_and_field(
    edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in GOOD
    found = problems_of(GOOD.replace(old, new, 1))
    assert any(p.startswith("okrs/growth.yaml") and expected in p for p in found), found


def test_every_problem_of_every_file_is_listed_at_once(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD.replace("kind: increase", "kind: grow"), encoding="utf-8")
    second.write_text(GOOD.replace("tenfold: 1", "tenfold: 1\nextra: 2"), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        read_documents([first, second])
    texts = [str(p) for p in caught.value.problems]
    assert len(texts) == 2
    assert "a.yaml, line 13, “kind”" in texts[0] and "b.yaml, line 3, “extra”" in texts[1]


def test_files_that_are_not_yaml_text_are_refused(tmp_path: Path) -> None:
    binary, latin, missing = tmp_path / "x.yaml", tmp_path / "l.yaml", tmp_path / "none.yaml"
    binary.write_bytes(b"\x00\x01tenfold: 1")
    latin.write_bytes("title: Caf\xe9".encode("latin-1"))
    with pytest.raises(FileProblems) as caught:
        read_documents([binary, latin, missing])
    texts = " ".join(str(p) for p in caught.value.problems)
    assert "binary" in texts and "not UTF-8" in texts and "none.yaml: cannot be read" in texts


def test_the_export_is_one_readable_file_per_unit_and_cycle(world: World, tmp_path: Path) -> None:
    paths = export_files(world.org, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "q4-2026/acme.yaml",
        "q4-2026/growth.yaml",
    ]
    text = team_file(tmp_path).read_text(encoding="utf-8")
    assert f"cycle: {world.cycle.code}  # Q4 2026\n" in text
    assert f"unit: {world.team.code}  # Growth\nlevel: team\n" in text
    assert "not in this file: they come from check-ins" in text
    assert "description: |-\n      New teams get value in their first week.\n" in text
    assert f"    aligned_to:\n      - code: {world.revenue.code}\n        weight: 0.5\n" in text
    assert "        start: 3\n        target: 1.5\n        unit_label: days\n" in text
    assert "current:" not in text and "progress:" not in text
    document = parse_document(text, "growth.yaml")
    assert [kr.code for kr in document.objectives[0].key_results] == [
        world.activation.code,
        world.setup_time.code,
    ]


def test_the_export_is_deterministic(world: World, tmp_path: Path) -> None:
    first = export_texts(world.org)
    second = export_texts(world.org, cycle=world.cycle)
    assert first == second
    export_files(world.org, tmp_path)
    again = {p.relative_to(tmp_path).as_posix(): p.read_text() for p in tmp_path.rglob("*.yaml")}
    assert again == first


def test_objectives_keep_their_order_and_personal_goals_stay_out(world: World, bob: object) -> None:
    later = objective_create(
        organization=world.org, cycle=world.cycle, unit=world.team, title="Support that delights",
        by=bob,
    )  # fmt: skip
    objective_create(
        organization=world.org, cycle=world.cycle, owner_person=bob, level="personal",
        title="Learn SQL", by=bob,
    )  # fmt: skip
    texts = export_texts(world.org)
    assert list(texts) == ["q4-2026/acme.yaml", "q4-2026/growth.yaml"]
    growth = texts["q4-2026/growth.yaml"]
    assert growth.index(world.onboarding.code) < growth.index(later.code)
    assert "Learn SQL" not in "".join(texts.values())


def test_the_coach_reads_an_exported_file(world: World, tmp_path: Path) -> None:
    export_files(world.org, tmp_path)
    found = read_path(team_file(tmp_path))
    ((unit, objective),) = found.objectives
    assert unit == world.team.code and objective.level == "team"
    assert objective.aligned is True and objective.has_owner is True
    assert [kr.unit for kr in objective.key_results or []] == ["%", "days"]


def test_codes_are_written_into_the_file_as_it_was_written() -> None:
    document = parse_document(GOOD, "growth.yaml")
    objective = document.objectives[0]
    text = with_codes(
        document, {id(objective): "new2345678", id(objective.key_results[0]): "kr23456789"}
    )
    assert text is not None
    assert "# Growth's OKRs\n" in text and "# the one that matters" in text
    assert "  - code: new2345678\n    title: Make onboarding effortless" in text
    assert "      - code: kr23456789\n        title: Raise activation" in text
    again = parse_document(text, "growth.yaml")
    assert again.objectives[0].code == "new2345678"
    assert [kr.code for kr in again.objectives[0].key_results] == ["kr23456789", "rst789uvwx"]


def test_flow_style_objectives_are_not_patched() -> None:
    document = parse_document(
        "tenfold: 1\norganization: a\ncycle: c\nunit: u\nobjectives: [{title: Fast}]\n", "f.yaml"
    )
    assert with_codes(document, {id(document.objectives[0]): "abc2345678"}) is None
