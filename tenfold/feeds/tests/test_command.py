"""tenfold feed: show, set, test, sync, push, rotate and delete, as a person; bad input exits
with a message and writes nothing."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.feeds.models import DataSource
from tenfold.okrs.models import KeyResult

from .conftest import json_answer


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("feed", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written() -> tuple[int, int, int]:
    return DataSource.objects.count(), CheckIn.objects.count(), AuditEvent.objects.count()


def test_set_a_json_pull_then_show_it(org, key_result, carol, receiver, loopback):
    out = run(
        "set",
        key_result.code,
        "--as",
        "carol@example.com",
        "--kind",
        "url",
        "--url",
        receiver.url("/m.json"),
        "--format",
        "json",
        "--path",
        "data.total",
        "--header",
        "Authorization: Bearer cli-s3cret",
        "--schedule",
        "weekly",
        "--hour",
        "7",
        "--weekday",
        "fri",
    )
    assert "Feed saved." in out and "cli-s3cret" not in out
    row = DataSource.objects.get()
    assert (row.schedule, row.schedule_hour, row.schedule_weekday) == ("weekly", 7, 4)
    assert row.headers == {"Authorization": "Bearer cli-s3cret"}
    shown = run("show", key_result.code, "--as", "carol@example.com")
    assert "data.total" in shown and "Authorization" in shown and "cli-s3cret" not in shown
    data = json.loads(run("show", key_result.code, "--as", "carol@example.com", "--json"))
    assert (data["kind"], data["header_names"]) == ("url", ["Authorization"])


def test_test_and_sync_print_the_outcome(org, key_result, url_feed, carol, receiver):
    assert "The feed reads 31.5" in run("test", key_result.code, "--as", "carol@example.com")
    assert not CheckIn.objects.exists()
    assert "Recorded 31.5." in run("sync", key_result.code, "--as", "carol@example.com")
    assert "No change" in run("sync", key_result.code, "--as", "carol@example.com")
    receiver.answers["/metrics.json"] = json_answer("{}", status=500)
    with pytest.raises(CommandError, match="HTTP status 500"):
        run("sync", key_result.code, "--as", "carol@example.com")
    assert DataSource.objects.get().last_status == "error"


def test_push_prints_the_address_once_and_takes_values(org, key_result, bob, carol):
    out = run("set", key_result.code, "--as", "carol@example.com", "--kind", "push")
    assert "/feeds/tff_" in out
    assert "Recorded 12.5." in run("push", key_result.code, "12.5", "--as", "bob@example.com")
    assert KeyResult.objects.get(pk=key_result.pk).current == Decimal("12.5")
    assert CheckIn.objects.get().author == bob
    rotated = run("rotate", key_result.code, "--as", "carol@example.com")
    assert "/feeds/tff_" in rotated and "no longer works" in rotated
    assert "deleted" in run("delete", key_result.code, "--as", "carol@example.com")
    assert not DataSource.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nokr", "--as", "carol@example.com"), "No key result has the code"),
        (("show", "{kr}", "--as", "carol@example.com"), "has no feed"),
        (("show", "{kr}", "--as", "victor@example.com"), "Only the key result's owner"),
        (("set", "{kr}", "--as", "victor@example.com", "--kind", "push"), "Only the key"),
        (("set", "{kr}", "--as", "carol@example.com", "--kind", "url"), "url: Give the address"),
        (
            (
                "set",
                "{kr}",
                "--as",
                "carol@example.com",
                "--kind",
                "sql",
                "--connection",
                "postgresql://r@db.example.com/m",
                "--query",
                "DELETE FROM t",
            ),
            "query: Only a read query",
        ),
        (("sync", "{kr}", "--as", "carol@example.com"), "has no feed"),
        (("push", "{kr}", "3", "--as", "carol@example.com"), "has no feed"),
        (("delete", "{kr}", "--as", "carol@example.com"), "no feed to delete"),
        (("show", "{kr}", "--as", "nobody@example.com"), "Nobody signs in as"),
    ],
)
def test_bad_input_exits_with_a_message_and_changes_nothing(org, key_result, team, args, message):
    before = written()
    with pytest.raises(CommandError, match=message):
        run(*(a.format(kr=key_result.code) for a in args))
    assert written() == before


def test_a_bad_pushed_value_changes_nothing(org, key_result, push_feed, bob):
    before = written()
    with pytest.raises(CommandError, match="“lots” is not a number"):
        run("push", key_result.code, "lots", "--as", "bob@example.com")
    assert written() == before
