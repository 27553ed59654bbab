"""The commands against a live server with a real token: the same answers as on the local
database, writes that land, and failures that say what is wrong in one line."""

from __future__ import annotations

import datetime as dt
import re
import socket
from decimal import Decimal

import pytest
import time_machine
from django.core.management import CommandError

from tenfold.accounts.services import api_token_create
from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.checkins.services import checkin_record

from .conftest import run

pytestmark = pytest.mark.django_db(transaction=True)

NOW = "2026-11-11 10:00:00+00:00"  # a Wednesday in Q4 2026; the week began on the 9th


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(key_result, bob):
    checkin_record(key_result=key_result, value="24", confidence=6, note="", source="web", by=bob)
    return key_result


def local(name: str, *args: str):
    return run(name, *args, "--as", "bob@example.com")


# --- okrs ---------------------------------------------------------------------------------------


def test_okrs_lists_the_cycle_as_on_the_local_database(remote, history, objective):
    out = remote("okrs").out
    assert "Objectives of Q4 2026 in Acme:" in out
    assert objective.code in out and history.code in out
    assert "24 %" in out and "40 %" in out and "6/10" in out
    assert out == local("okrs").out


def test_okrs_json_is_the_api_shape_and_matches_local(remote, history, objective):
    data = remote("okrs", "list", "--json").json()
    assert [o["code"] for o in data] == [objective.code]
    [kr] = data[0]["key_results"]
    assert kr["code"] == history.code and Decimal(kr["current"]) == 24 and kr["confidence"] == 6
    assert data == local("okrs", "--json").json()


def test_okrs_filters_by_cycle_unit_and_mine(remote, history, objective, team):
    assert remote("okrs", "--cycle", "q4 2026", "--json").json()[0]["code"] == objective.code
    assert remote("okrs", "--unit", team.code, "--json").json()[0]["code"] == objective.code
    assert remote("okrs", "--unit", "Nowhere", "--json").json() == []
    # Bob owns the key result but does not lead the objective.
    [mine] = remote("okrs", "--mine", "--json").json()
    assert [kr["code"] for kr in mine["key_results"]] == [history.code]
    with pytest.raises(CommandError, match="No cycle “Q9 1999”") as failure:
        remote("okrs", "--cycle", "Q9 1999")
    assert failure.value.returncode == 5


def test_okrs_show_an_objective_and_a_key_result_with_its_check_ins(remote, history, objective):
    out = remote("okrs", "show", objective.code).out
    assert out.startswith(f"{objective.title}  ({objective.code})")
    assert "Growth · Q4 2026" in out and history.title in out
    out = remote("okrs", "show", history.code).out
    assert "24 % of 40 %" in out and "Bob Member" in out and "2026-11-11" in out
    data = remote("okrs", "show", history.code, "--json").json()
    assert data["code"] == history.code and len(data["checkins"]) == 1
    assert data == local("okrs", "show", history.code, "--json").json()


def test_okrs_show_of_an_unknown_code_exits_not_found(remote, history):
    with pytest.raises(CommandError, match="No objective or key result “zzzz”") as failure:
        remote("okrs", "show", "zzzz")
    assert failure.value.returncode == 5


def test_okrs_codes_lists_codes_and_titles_for_completion(remote, history, objective):
    lines = remote("okrs", "--codes").out.splitlines()
    assert lines == [f"{objective.code}\t{objective.title}", f"{history.code}\t{history.title}"]


# --- checkin -----------------------------------------------------------------------------------


def test_checkin_records_value_confidence_and_note_as_the_token_owner(remote, history, bob):
    out = remote("checkin", history.code, "30", "--confidence", "8", "-m", "Trial flow shipped").out
    checkin = CheckIn.objects.latest("id")
    assert (checkin.value, checkin.confidence, checkin.note) == (
        Decimal(30),
        Decimal("0.8"),
        "Trial flow shipped",
    )
    assert checkin.author == bob and checkin.source == "api"
    assert f"Recorded 30 % on “{history.title}”: progress 50 % (target 40 %)." in out
    assert "Objective “Customers love onboarding”: 20 % → 50 %." in out


def test_checkin_prints_what_local_mode_prints(remote, history, objective):
    first, second = remote("checkin", history.code, "28").out.splitlines()
    again_first, again_second = local("checkin", history.code, "28").out.splitlines()
    assert (
        first
        == again_first
        == (f"Recorded 28 % on “{history.title}”: progress 40 % (target 40 %).")
    )
    assert second == "Objective “Customers love onboarding”: 20 % → 40 %."
    assert again_second == "Objective “Customers love onboarding”: 40 % → 40 %."


def test_checkin_json_is_the_api_result(remote, history):
    data = remote("checkin", history.code, "26", "--note", "steady", "--json").json()
    assert data["checkin"]["key_result"] == history.code
    assert data["checkin"]["note"] == "steady"
    assert Decimal(data["key_result_progress"]) == Decimal("0.3")


def test_checkin_for_a_past_day_is_recorded_at_noon_that_day(remote, history):
    out = remote("checkin", history.code, "22", "--date", "2026-11-02").out
    checkin = CheckIn.objects.latest("id")
    assert checkin.measured_at.date() == dt.date(2026, 11, 2)
    assert "a newer check-in still sets the current value" in out


def test_checkin_refused_input_names_the_field_and_writes_nothing(remote, history):
    before = CheckIn.objects.count()
    with pytest.raises(CommandError, match=r"value: .*lots") as failure:
        remote("checkin", history.code, "lots")
    assert failure.value.returncode == 1
    with pytest.raises(CommandError, match="confidence"):
        remote("checkin", history.code, "30", "--confidence", "12")
    assert CheckIn.objects.count() == before


def test_checkin_on_an_unknown_key_result_exits_not_found(remote, history):
    with pytest.raises(CommandError, match="No key result has the code “nope”") as failure:
        remote("checkin", "nope", "3")
    assert failure.value.returncode == 5


def test_a_read_only_token_cannot_check_in(live_server, history, org, bob):
    _row, token = api_token_create(user=bob, organization=org, name="ro", by=bob, read_only=True)
    with pytest.raises(CommandError, match="may only read") as failure:
        run("checkin", history.code, "30", "--url", live_server.url, "--token", token)
    assert failure.value.returncode == 4
    assert CheckIn.objects.filter(key_result=history).count() == 1
    assert token not in str(failure.value)


def test_as_must_match_the_token_owner(remote, history):
    with pytest.raises(
        CommandError, match=re.escape("The token belongs to bob@example.com")
    ) as failure:
        remote("checkin", history.code, "30", "--as", "carol@example.com")
    assert failure.value.returncode == 4


# --- week --------------------------------------------------------------------------------------


def test_week_show_prints_what_local_mode_prints(remote, history):
    local("week", "add", "plans", "Ship the trial flow", "--link", history.code)
    local("week", "add", "problems", "Staging is slow")
    out = remote("week", "show").out
    assert "Week of 2026-11-09 · Bob Member · Acme" in out
    assert f"Ship the trial flow  → {history.code} “{history.title}”" in out
    assert f"{history.code}  {history.title}: 24 % of 40 %" in out
    assert out == local("week", "show").out


def test_week_show_json_matches_local(remote, history):
    local("week", "add", "plans", "Ship the trial flow")
    remote_data = remote("week", "show", "--json").json()
    local_data = local("week", "show", "--json").json()
    assert remote_data["items"][0]["text"] == "Ship the trial flow"
    assert remote_data["week"] == local_data["week"] == "2026-11-09"
    for key in ("organization", "person", "categories", "plans_count"):
        assert remote_data[key] == local_data[key]
    assert [kr["code"] for kr in remote_data["key_results"]] == [history.code]
    assert remote_data["key_results"][0]["confidence"] == 6


def test_week_add_done_move_resolve_edit_delete(remote, team):
    out = remote("week", "add", "Plans", "Write", "the", "guide").out
    item = WeeklyItem.objects.get()
    assert out == f"Added to Plans: “Write the guide” ({item.code}).\n"
    assert item.source == "api"
    assert remote("week", "done", item.code).out == "Done, now in Progress: “Write the guide”.\n"
    item.refresh_from_db()
    assert item.category == "progress" and item.done_at is not None
    assert remote("week", "move", item.code, "problems").out.startswith("Moved to Problems")
    assert remote("week", "resolve", item.code).out == "Resolved: “Write the guide”.\n"
    assert remote("week", "edit", item.code, "--text", "Guide").out == "Saved “Guide”.\n"
    assert remote("week", "delete", item.code).out == "Deleted “Guide”.\n"
    assert not WeeklyItem.objects.exists()


def test_week_refusals_name_the_field_and_unknown_items_exit_not_found(remote, team):
    with pytest.raises(CommandError, match="category") as failure:
        remote("week", "add", "someday", "Maybe")
    assert failure.value.returncode == 1
    with pytest.raises(CommandError, match="No item “nope” in a week you can see") as failure:
        remote("week", "done", "nope")
    assert failure.value.returncode == 5
    assert not WeeklyItem.objects.exists()


# --- connection and token trouble --------------------------------------------------------------


def test_a_bad_token_is_refused_with_a_clear_message(live_server, history):
    secret = "tf_00000000_not-a-real-token"
    with pytest.raises(CommandError, match="The token was refused") as failure:
        run("okrs", "--url", live_server.url, "--token", secret)
    assert failure.value.returncode == 4
    assert secret not in str(failure.value)


def test_an_unreachable_server_is_named(history):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        CommandError, match=re.escape(f"Cannot reach http://127.0.0.1:{port}")
    ) as failure:
        run("okrs", "--url", f"http://127.0.0.1:{port}", "--token", "tf_x_y")
    assert failure.value.returncode == 3


def test_the_environment_gives_url_and_token_and_local_overrides_it(
    live_server, bob_token, history, monkeypatch, tmp_path
):
    monkeypatch.setenv("TENFOLD_URL", live_server.url)
    monkeypatch.setenv("TENFOLD_TOKEN", bob_token)
    assert history.code in run("okrs").out
    monkeypatch.delenv("TENFOLD_TOKEN")
    token_file = tmp_path / "token"
    token_file.write_text(bob_token + "\n")
    monkeypatch.setenv("TENFOLD_TOKEN_FILE", str(token_file))
    assert history.code in run("okrs").out
    monkeypatch.delenv("TENFOLD_TOKEN_FILE")
    with pytest.raises(CommandError, match="No token for") as failure:
        run("okrs")
    assert failure.value.returncode == 4
    # --local ignores the server and asks who you are instead.
    with pytest.raises(CommandError, match="--as EMAIL"):
        run("okrs", "--local")
    assert history.code in run("okrs", "--local", "--as", "bob@example.com").out
