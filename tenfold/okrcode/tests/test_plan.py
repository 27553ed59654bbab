"""plan and apply: comparing files with what is stored, and making it so, idempotently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tenfold.accounts.models import User
from tenfold.checkins.services import checkin_record
from tenfold.okrcode.files import export_files, read_documents
from tenfold.okrcode.plan import Plan, PlanError, apply, plan
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Organization

from .conftest import World, replace, snapshot, team_file


def planned(org: Organization, paths: list[Path], by: Any = None) -> Plan:
    return plan(org, read_documents(paths), by=by)


def summary(found: Plan) -> list[tuple[str, str, str]]:
    return [(c.action, c.what, c.code) for c in found.changes]


def test_an_export_plans_to_nothing(world: World, tmp_path: Path, carol: User) -> None:
    paths = export_files(world.org, tmp_path)
    found = planned(world.org, paths)
    assert found.empty and not found.problems
    assert planned(world.org, paths[1:], by=carol).empty


def test_edits_show_field_by_field(world: World, tmp_path: Path) -> None:
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    replace(path, "title: Make onboarding effortless", "title: Onboarding in one sitting")
    replace(path, "target: 40", "target: 45")
    replace(path, "owner: bob@example.com", "owner: carol@example.com")
    replace(path, "weight: 0.5", "weight: 0.75")
    replace(path, "    type: committed", "    type: aspirational")
    found = planned(world.org, [path])
    assert not found.problems
    assert summary(found) == [
        ("update", "objective", world.onboarding.code),
        ("update", "key_result", world.activation.code),
        ("unlink", "alignment", world.onboarding.code),
        ("link", "alignment", world.onboarding.code),
    ]
    objective, kr, _unlink, link = found.changes
    assert objective.fields == [
        ("title", "Make onboarding effortless", "Onboarding in one sitting"),
        ("type", "committed", "aspirational"),
    ]
    assert kr.fields == [
        ("target", Decimal(40), Decimal(45)),
        ("owner", "bob@example.com", "carol@example.com"),
    ]
    assert link.fields == [("weight", Decimal("0.5"), Decimal("0.75"))]
    assert found.counts() == {"create": 0, "update": 4, "archive": 0, "delete": 0}


def test_apply_then_plan_again_is_empty_and_a_second_apply_changes_nothing(
    world: World, tmp_path: Path, carol: User
) -> None:
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    replace(path, "title: Make onboarding effortless", "title: Onboarding in one sitting")
    ticket_lines = (
        "      - title: Halve support tickets from 80 to 40 a week\n"
        "        kind: decrease\n        start: 80\n        target: 40\n"
    )
    replace(path, "        weight: 2\n", "        weight: 2\n" + ticket_lines)
    with path.open("a", encoding="utf-8") as stream:
        stream.write(
            "\n  # written by hand\n  - title: Support that feels personal\n"
            "    owner: bob@example.com\n    aligned_to: [" + world.mission.code + "]\n"
            "    key_results:\n      - title: Answer within 1 hour, from 6 hours\n"
            "        kind: decrease\n        start: 6\n        target: 1\n"
        )
    done = apply(planned(world.org, [path]), carol)
    assert [(c.action, c.what) for c in done.changes] == [
        ("create", "objective"),
        ("update", "objective"),
        ("create", "key_result"),
        ("create", "key_result"),
        ("link", "alignment"),
    ]
    assert done.written == [path]
    text = path.read_text(encoding="utf-8")
    assert "# written by hand" in text  # the rest of the file is kept as written
    new = Objective.objects.get(title="Support that feels personal")
    assert f"  - code: {new.code}\n    title: Support that feels personal" in text
    assert new.lead.email == "bob@example.com" and new.unit == world.team
    assert new.parent_links.get().parent_objective == world.mission
    ticket = KeyResult.objects.get(title__startswith="Halve support tickets")
    assert ticket.objective == world.onboarding and f"code: {ticket.code}" in text

    before = snapshot(world.org)
    again = planned(world.org, [path], by=carol)
    assert again.empty and not again.problems
    second = apply(again, carol)
    assert second.changes == [] and second.written == []
    assert path.read_text(encoding="utf-8") == text
    assert snapshot(world.org) == before


def test_an_objective_removed_from_its_file_is_archived_not_deleted(
    world: World, tmp_path: Path, carol: User
) -> None:
    draft = objective_create(
        organization=world.org, cycle=world.cycle, unit=world.team, title="Docs people finish",
        by=carol,
    )  # fmt: skip
    key_result_create(objective=draft, title="Finish rate from 10% to 30%", start=10, target=30,
                      by=carol)  # fmt: skip
    assert draft.state == "draft"
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n  - code: " + draft.code)] + "\n", encoding="utf-8")
    found = planned(world.org, [path])
    assert summary(found) == [("archive", "objective", draft.code)]
    apply(found, carol)
    draft.refresh_from_db()
    assert draft.state == "closed" and draft.key_results.count() == 1
    assert planned(world.org, [path]).empty
    # Listing it again opens it again.
    path.write_text(text, encoding="utf-8")
    found = planned(world.org, [path])
    assert summary(found) == [("reopen", "objective", draft.code)]
    apply(found, carol)
    draft.refresh_from_db()
    assert draft.state == "active"
    assert planned(world.org, [path]).empty


def test_a_key_result_removed_is_deleted_unless_it_has_check_ins(
    world: World, tmp_path: Path, carol: User
) -> None:
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    text = path.read_text(encoding="utf-8")
    start = text.index(f"      - code: {world.setup_time.code}")
    path.write_text(text[:start], encoding="utf-8")
    assert summary(planned(world.org, [path])) == [("delete", "key_result", world.setup_time.code)]
    checkin_record(key_result=world.setup_time, value=2, by=carol)
    before = snapshot(world.org)
    found = planned(world.org, [path])
    assert found.changes == []
    (problem,) = found.problems
    assert str(problem).startswith(f"{path}, line 20, “key_results”: the key result")
    assert "has check-ins, so it is kept" in str(problem)
    with pytest.raises(PlanError):
        apply(found, carol)
    assert snapshot(world.org) == before


BAD_EDITS = [
    (("owner: carol@example.com", "owner: nobody@example.com"), "line 13, “owner”: nobody"),
    (("cycle: ", "cycle: Q1 2031  # "), "line 6, “cycle”: no cycle has the code or name"),
    (("unit: ", "unit: Marketing  # "), "line 7, “unit”: no unit has the code or name"),
    (("level: team", "level: company"), "line 8, “level”: Growth is a team"),
    (("organization: acme", "organization: globex"), "“organization”: this file is for"),
    (("- code: {revenue}", "- code: zzzzzzzzzz"), "“aligned_to”: no objective or key result"),
    (("- code: {onboarding}", "- code: zzzzzzzzzz"), "line 10, “code”: no objective has"),
    (("- code: {activation}", "- code: {revenue}"), "line 21, “code”: the key result"),
    (("target: 40", "target: 10"), "line 25, “target”: To increase, the target must be above"),
    (("- code: {revenue}", "- code: {foreign}"), "“aligned_to”: no objective or key result"),
    (("- code: {onboarding}", "- code: {foreign}"), "line 10, “code”: no objective has"),
]


@pytest.mark.parametrize(("edit", "expected"), BAD_EDITS)
def test_bad_references_name_file_line_and_field_and_nothing_is_written(
    world: World, tmp_path: Path, carol: User, other_org: Organization, mallory: User,
    edit: tuple[str, str], expected: str,
) -> None:  # fmt: skip
    foreign = objective_create(
        organization=other_org, cycle=other_org.cycles.get(), unit=other_org.units.get(),
        title="Theirs", by=mallory,
    )  # fmt: skip
    export_files(world.org, tmp_path)
    path = team_file(tmp_path)
    codes = {
        "revenue": world.revenue.code,
        "onboarding": world.onboarding.code,
        "activation": world.activation.code,
        "foreign": foreign.code,
    }
    replace(path, "title: Make onboarding effortless", "title: Onboarding in one sitting")
    replace(path, edit[0].format(**codes), edit[1].format(**codes))
    before = snapshot(world.org)
    found = planned(world.org, [path], by=carol)
    texts = [str(p) for p in found.problems]
    assert any(t.startswith(str(path)) and expected in t for t in texts), texts
    with pytest.raises(PlanError):
        apply(found, carol)
    assert snapshot(world.org) == before
    assert "Onboarding in one sitting" in path.read_text(encoding="utf-8")


def test_changes_the_person_may_not_make_are_refused(
    world: World, tmp_path: Path, bob: User, victor: User
) -> None:
    paths = export_files(world.org, tmp_path)
    company, team = paths
    replace(company, "title: Customers succeed with us", "title: Customers thrive")
    replace(team, "title: Make onboarding effortless", "title: Onboarding in one sitting")
    before = snapshot(world.org)
    as_bob = planned(world.org, paths, by=bob)  # a member of Growth, not of the company
    (problem,) = as_bob.problems
    assert str(problem).startswith(f"{company}, line 10: you may not edit the objective")
    with pytest.raises(PlanError):
        apply(as_bob, bob)
    as_victor = planned(world.org, [team], by=victor)  # a viewer
    assert len(as_victor.problems) == 1
    assert snapshot(world.org) == before
    assert planned(world.org, [team], by=bob).problems == []


def test_a_refusal_by_a_service_rolls_everything_back(
    world: World, tmp_path: Path, carol: User, alice: User
) -> None:
    paths = export_files(world.org, tmp_path)
    company, _team = paths
    replace(company, "title: Customers succeed with us", "title: Customers thrive")
    # The company objective aligned to the team objective that moves it: a loop.
    replace(
        company, "    owner: alice", f"    aligned_to: [{world.onboarding.code}]\n    owner: alice"
    )
    before = snapshot(world.org)
    found = planned(world.org, [company], by=alice)
    assert not found.problems
    with pytest.raises(PlanError) as caught:
        apply(found, alice)
    assert "loop" in str(caught.value) and str(company) in str(caught.value)
    assert snapshot(world.org) == before


def test_planning_runs_the_same_queries_for_ten_or_forty_objectives(
    world: World, tmp_path: Path, carol: User, bob: User, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(count: int) -> list[Path]:
        for index in range(count):
            objective = objective_create(
                organization=world.org, cycle=world.cycle, unit=world.team,
                title=f"Objective number {index}", lead=bob, by=carol,
            )  # fmt: skip
            for n in range(3):
                key_result_create(objective=objective, title=f"KR {n} from 1 to 5", start=1,
                                  target=5, owner=bob, by=carol)  # fmt: skip
        return export_files(world.org, tmp_path)

    counts = []
    for count in (10, 30):
        paths = grow(count)
        documents = read_documents(paths)
        with CaptureQueriesContext(connection) as queries:
            found = plan(world.org, documents, by=carol)
        assert found.empty and not found.problems
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        plan(world.org, documents, by=carol)


def test_an_owner_who_has_left_does_not_block_an_unchanged_file(
    world: World, tmp_path: Path
) -> None:
    from tenfold.organizations.models import Membership

    paths = export_files(world.org, tmp_path)
    Membership.objects.filter(organization=world.org, user__email="bob@example.com").delete()
    found = planned(world.org, paths)
    assert found.empty and not found.problems
    # Naming them anew is refused: they are no longer a member.
    replace(paths[1], "    owner: carol@example.com", "    owner: bob@example.com")
    (problem,) = planned(world.org, paths).problems
    assert "“owner”: nobody in this organization signs in as bob@example.com" in str(problem)
