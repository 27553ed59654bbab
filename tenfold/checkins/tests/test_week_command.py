"""tenfold week: each subcommand, JSON that parses, and bad input that exits non-zero with a
message and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.checkins.management.commands.week import Command
from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Cycle
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Unit
from tenfold.organizations.services import organization_create

NOW = "2026-11-11 10:00:00+00:00"  # a Wednesday; the week began on Monday the 9th


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("week", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def as_bob(*args: str) -> str:
    return run(*args, "--as", "bob@example.com")


def written() -> tuple[int, int]:
    return WeeklyItem.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def plan(team) -> WeeklyItem:
    as_bob("add", "plans", "Ship the trial flow")
    return WeeklyItem.objects.get()


# --- show -----------------------------------------------------------------------------------


def test_show_lists_each_category_with_codes_links_and_key_results(
    team, bob, key_result, objective
):
    checkin_record(key_result=key_result, value="28", confidence=7, note="", source="web", by=bob)
    as_bob("add", "plans", "Ship the trial flow", "--link", key_result.code)
    as_bob("add", "problems", "Staging is slow")
    item = WeeklyItem.objects.get(text="Ship the trial flow")
    out = as_bob("show")
    assert "Week of 2026-11-09 · Bob Member · Acme" in out
    assert "Plans (1)" in out and "Progress (0)" in out and "Problems (1)" in out
    assert f"{item.code}  Ship the trial flow  → {key_result.code} “{key_result.title}”" in out
    assert "(nothing yet)" in out
    assert "Key results to update" in out
    assert f"{key_result.code}  {key_result.title}: 28 % of 40 %" in out
    assert "confidence 7/10" in out


def test_show_marks_items_carried_over_from_last_week(team):
    with time_machine.travel("2026-11-04 10:00:00+00:00", tick=False):
        as_bob("add", "plans", "Write the onboarding guide")
    out = as_bob("show")
    assert "Write the onboarding guide  (carried over)" in out
    earlier = as_bob("show", "--week", "2026-11-05")
    assert "Week of 2026-11-02" in earlier
    assert "(carried over)" not in earlier


def test_show_json_has_the_apis_item_shape(team, key_result):
    as_bob("add", "plans", "Ship the trial flow", "--link", key_result.code)
    data = json.loads(as_bob("show", "--json"))
    assert data["week"] == "2026-11-09"
    assert data["organization"] == "acme"
    assert data["person"] == {"name": "Bob Member", "email": "bob@example.com"}
    assert [c["key"] for c in data["categories"]] == ["plans", "progress", "problems"]
    assert data["plans_count"] == 1
    [item] = data["items"]
    assert item["text"] == "Ship the trial flow" and item["source"] == "cli"
    assert item["link"] == {
        "type": "key_result",
        "code": key_result.code,
        "title": key_result.title,
    }
    assert item["carried_from"] is None and item["link_hidden"] is False
    assert [kr["code"] for kr in data["key_results"]] == [key_result.code]


def test_show_an_empty_week_writes_nothing(team):
    data = json.loads(as_bob("show", "--json"))
    assert data["items"] == [] and data["key_results"] == []
    assert not WeeklyReport.objects.exists()


# --- changes --------------------------------------------------------------------------------


def test_add_takes_a_category_by_name_and_the_text_in_several_words(team, bob, objective):
    out = as_bob("add", "Problems", "Staging", "is", "slow", "--link", objective.code)
    item = WeeklyItem.objects.get()
    assert (item.category, item.text, item.source) == ("problems", "Staging is slow", "cli")
    assert item.objective == objective and item.key_result is None
    assert item.report.person == bob and item.report.week == dt.date(2026, 11, 9)
    assert out.strip() == f"Added to Problems: “Staging is slow” ({item.code})."


def test_add_to_next_week(team):
    as_bob("add", "plans", "Plan the offsite", "--week", "2026-11-20")
    assert WeeklyItem.objects.get().report.week == dt.date(2026, 11, 16)


def test_done_moves_a_plan_to_progress_and_undo_brings_it_back(plan):
    out = as_bob("done", plan.code)
    plan.refresh_from_db()
    assert plan.category == "progress" and plan.done_at is not None
    assert "Progress" in out
    as_bob("done", plan.code.upper(), "--undo")
    plan.refresh_from_db()
    assert plan.category == "plans" and plan.done_at is None


def test_move_to_another_category(plan):
    out = as_bob("move", plan.code, "problems")
    plan.refresh_from_db()
    assert plan.category == "problems"
    assert out.strip() == "Moved to Problems: “Ship the trial flow”."


def test_resolve_and_reopen_a_problem(plan):
    as_bob("move", plan.code, "problems")
    as_bob("resolve", plan.code)
    plan.refresh_from_db()
    assert plan.resolved_at is not None
    assert "(resolved)" in as_bob("show")
    as_bob("resolve", plan.code, "--reopen")
    plan.refresh_from_db()
    assert plan.resolved_at is None


def test_edit_text_and_link(plan, key_result):
    as_bob("edit", plan.code, "--text", "Ship it", "--link", key_result.code)
    plan.refresh_from_db()
    assert plan.text == "Ship it" and plan.key_result == key_result
    as_bob("edit", plan.code, "--link", "")
    plan.refresh_from_db()
    assert plan.text == "Ship it" and plan.key_result is None


def test_delete(plan):
    assert as_bob("delete", plan.code).strip() == "Deleted “Ship the trial flow”."
    assert not WeeklyItem.objects.exists()


def test_the_org_is_chosen_with_org_when_the_person_has_several(team, bob):
    organization_create(name="Side Project", slug="side", owner=bob)
    run("add", "plans", "Side work", "--as", "bob@example.com", "--org", "side")
    assert WeeklyItem.objects.get().organization.slug == "side"


# --- refusals -------------------------------------------------------------------------------


@pytest.fixture
def foreign_kr(other_org, mallory):
    objective = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        unit=Unit.objects.get(organization=other_org, parent__isnull=True),
        title="Globex grows",
        state="active",
        by=mallory,
    )
    return key_result_create(
        objective=objective, title="Widgets", kind="increase", start=0, target=10, by=mallory
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["add", "plans", " ", "--as", "bob@example.com"], "text: "),
        (["add", "plans", "x" * 501, "--as", "bob@example.com"], "under 500 characters"),
        (["add", "someday", "Fine", "--as", "bob@example.com"], "category: "),
        (["add", "plans", "Fine", "--link", "nope", "--as", "bob@example.com"], "link: "),
        (["add", "plans", "Fine", "--week", "2026-11-02", "--as", "bob@example.com"], "week: "),
        (["add", "plans", "Fine", "--week", "soon", "--as", "bob@example.com"], "YYYY-MM-DD"),
        (["add", "plans", "Fine", "--as", "victor@example.com"], "Your role"),
        (["add", "plans", "Fine", "--as", "nobody@example.com"], "Nobody signs in as"),
        (["add", "plans", "Fine", "--as", "bob@example.com", "--org", "globex"], "not a member"),
        (["done", "zzzzzz", "--as", "bob@example.com"], "No item “zzzzzz”"),
        (["add", "plans", "Fine"], "--as"),
        (["show", "--as", "bob@example.com", "--week", "2026-13-01"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(team, other_org, args, words):
    before = written()
    with pytest.raises(CommandError, match=words.replace("(", r"\(")):
        run(*args)
    assert written() == before


def test_a_link_to_another_organizations_key_result_is_refused(team, foreign_kr):
    with pytest.raises(CommandError, match="link: "):
        as_bob("add", "plans", "Borrow widgets", "--link", foreign_kr.code)
    assert not WeeklyItem.objects.exists()


def test_someone_elses_item_is_not_found_and_stays(plan, carol, mallory, other_org):
    with pytest.raises(CommandError, match="No item"):
        run("delete", plan.code, "--as", "mallory@example.com")
    with pytest.raises(CommandError, match="Only the owner"):
        run("edit", plan.code, "--text", "Lead's words", "--as", "carol@example.com")
    plan.refresh_from_db()
    assert plan.text == "Ship the trial flow"


def test_resolving_a_plan_is_refused(plan):
    with pytest.raises(CommandError, match="Only problems"):
        as_bob("resolve", plan.code)
    plan.refresh_from_db()
    assert plan.resolved_at is None


def test_edit_without_a_change_says_what_to_give(plan):
    with pytest.raises(CommandError, match="--text"):
        as_bob("edit", plan.code)


def test_several_organizations_need_org(team, bob):
    organization_create(name="Side Project", slug="side", owner=bob)
    with pytest.raises(CommandError, match=r"several organizations.*acme, side"):
        as_bob("show")


def test_a_refusal_exits_with_status_one_and_says_why(team, capsys, monkeypatch):
    # run_from_argv closes every database connection when it ends, which would also close the
    # test's own transaction on PostgreSQL.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    before = written()
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["tenfold", "week", "add", "plans", "", "--as", "bob@example.com"])
    assert exit_.value.code == 1
    assert "Write what the item is about." in capsys.readouterr().err
    assert written() == before
