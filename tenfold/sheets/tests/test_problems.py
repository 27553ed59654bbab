"""Bad input gets a clear message naming the row and column, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import KeyResult, Objective
from tenfold.sheets import importing, reading

from .conftest import preview_of, xlsx

pytestmark = pytest.mark.django_db


def _nothing_written(before: tuple[int, int, int]) -> None:
    assert (
        Objective.objects.count(),
        KeyResult.objects.count(),
        CheckIn.objects.count(),
    ) == before


@pytest.fixture
def counts(org, team, cycle) -> tuple[int, int, int]:
    return (Objective.objects.count(), KeyResult.objects.count(), CheckIn.objects.count())


def _refused(preview: importing.Preview, by) -> None:
    with pytest.raises(ValidationError) as caught:
        importing.apply(preview, by)
    assert "nothing was imported" in str(caught.value)


def test_a_corrupt_xlsx(org, alice, counts):
    damaged = xlsx([["Objective", "Key result", "Target"], ["A", "B", 1]])[:300]
    preview = preview_of(org, damaged, "plan.xlsx", alice)
    (problem,) = preview.problems
    assert "not a readable XLSX" in problem.message
    _refused(preview, alice)
    junk = preview_of(org, b"PK\x03\x04 not a zip at all", "plan.xlsx", alice)
    assert "not a readable XLSX" in junk.problems[0].message
    _nothing_written(counts)


def test_an_old_xls_workbook(org, alice):
    preview = preview_of(org, b"\xd0\xcf\x11\xe0 old binary", "plan.xls", alice)
    assert ".xlsx or .csv" in preview.problems[0].message


def test_wrong_columns_list_what_was_found_and_expected(org, alice, counts):
    text = "Name,Email,Phone\nAda,ada@example.com,123\n"
    preview = preview_of(org, text.encode(), "people.csv", alice)
    (problem,) = preview.problems
    assert "“Name”, “Email”, “Phone”" in problem.message
    assert "Objective" in problem.message and "Key result" in problem.message
    _refused(preview, alice)
    _nothing_written(counts)


def test_a_file_over_the_configured_limit(org, alice, settings, counts):
    settings.TENFOLD_IMPORT_MAX_BYTES = 100
    text = ("Objective,Key result,Target\n" + "A,B,1\n" * 30).encode()
    preview = preview_of(org, text, "big.csv", alice)
    (problem,) = preview.problems
    assert "100 B" in problem.message and "can be imported" in problem.message
    _nothing_written(counts)


def test_a_50_mb_file_is_refused_before_parsing(org, alice, monkeypatch, counts):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(reading, "decode", must_not_run)
    monkeypatch.setattr(reading, "read_xlsx", must_not_run)
    data = b"Objective,Key result,Target\n" + b"x" * (50 * 1024 * 1024)
    preview = preview_of(org, data, "huge.csv", alice)
    (problem,) = preview.problems
    assert "50.0 MB" in problem.message
    _nothing_written(counts)


def test_unknown_owner_unit_and_cycle_are_named_with_their_rows(org, alice, counts):
    text = (
        "Objective,Key result,Owner,Team,Cycle,Target\n"
        "A,First,bob@example.com,Growth,Q4 2026,10\n"
        "A,Second,nobody@example.com,Growth,Q4 2026,10\n"
        "B,Third,bob@example.com,Marketing,Q4 2026,10\n"
        "C,Fourth,bob@example.com,Growth,Q9 2031,10\n"
        "C,Fifth,bob@example.com,Growth,Q9 2031,abc\n"
    )
    preview = preview_of(org, text.encode(), "x.csv", alice)
    found = {(p.row, p.column) for p in preview.problems}
    assert found == {
        (3, "Owner"),
        (4, "Team"),
        (5, "Cycle"),
        (6, "Cycle"),
        (6, "Target"),
    }
    messages = {p.row: p.message for p in preview.problems}
    assert "nobody@example.com" in messages[3]
    assert "Marketing" in messages[4] and "Growth" in messages[4]  # the units there are
    assert "Q9 2031" in messages[5] and "Q4 2026" in messages[5]
    assert str(preview.problems[0]).startswith("Row 3, Owner:")
    _refused(preview, alice)
    _nothing_written(counts)


def test_a_target_the_services_refuse(org, team, alice, counts):
    text = "Objective,Key result,Kind,Start,Target\nA,Grow,increase,10,5\nA,Flat,,3,3\n"
    preview = preview_of(org, text.encode(), "x.csv", alice, unit=team)
    assert [(p.row, p.column) for p in preview.problems] == [(2, "Target"), (3, "Target")]
    assert "above the start" in preview.problems[0].message
    _nothing_written(counts)


def test_key_results_before_any_objective_and_rows_without_titles(org, team, cycle, alice):
    text = "Objective,Key result,Target\n,Orphan,3\nA,,\n,,\n"
    preview = preview_of(org, text.encode(), "x.csv", alice, unit=team)
    assert [p.row for p in preview.problems] == [2], [str(p) for p in preview.problems]
    assert "before any objective" in preview.problems[0].message


def test_a_member_may_not_import_into_another_unit(org, team, company, bob, counts):
    text = "Objective,Key result,Team,Target\nA,B,Growth,3\nC,D,Product,4\n"
    preview = preview_of(org, text.encode(), "x.csv", bob)
    assert [(p.row, p.column) for p in preview.problems] == [(3, "Team")]
    assert "may not create objectives for “Product”" in preview.problems[0].message
    _nothing_written(counts)


def test_a_closed_cycle(org, team, cycle, alice, counts):
    cycle.state = "closed"
    cycle.save()
    preview = preview_of(org, b"Objective,Key result,Target\nA,B,3\n", "x.csv", alice, unit=team)
    assert "closed" in preview.problems[0].message
    assert preview.problems[0].column is None or preview.problems[0].row == 2
    _nothing_written(counts)


def test_a_failure_half_way_leaves_nothing(org, team, cycle, alice, monkeypatch, counts):
    text = "Objective,Key result,Start,Target,Current\nA,One,0,10,2\nB,Two,0,10,3\n"
    preview = preview_of(org, text.encode(), "x.csv", alice, unit=team)
    assert preview.ok
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError({"value": ["The reading was refused."]})
        return real(**kwargs)

    real = importing.checkin_record
    monkeypatch.setattr(importing, "checkin_record", failing)
    with pytest.raises(ValidationError) as caught:
        importing.apply(preview, alice)
    assert "Row 3" in str(caught.value) and "refused" in str(caught.value)
    _nothing_written(counts)


def test_a_cancelled_import_leaves_nothing(org, team, cycle, alice, counts):
    from tenfold.lib.longrun import Cancelled, Progress

    class StopAfterOne(Progress):
        steps = 0

        def step(self, done, total=None, label=""):
            self.steps += 1

        def cancelled(self):
            return self.steps >= 1

    text = "Objective,Key result,Target\nA,One,10\nB,Two,10\n"
    preview = preview_of(org, text.encode(), "x.csv", alice, unit=team)
    with pytest.raises(Cancelled):
        importing.apply(preview, alice, progress=StopAfterOne())
    _nothing_written(counts)


def test_a_person_outside_the_organization_cannot_preview(org, team, mallory):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview_of(org, b"Objective,Key result\nA,B\n", "x.csv", mallory)


def test_a_confidence_out_of_range_names_its_row(org, team, cycle, alice, counts):
    text = (
        "Objective,Key result,Team,Cycle,Start,Target,Current,Confidence\n"
        f"Grow,Reach 40 trials,{team.name},{cycle.name},0,40,10,42\n"
    )
    preview = preview_of(org, text.encode(), "plan.csv", alice)
    (problem,) = [p for p in preview.problems if p.column == "Confidence"]
    assert problem.row == 2 and "“42”" in problem.message
    _refused(preview, alice)
    _nothing_written(counts)
