"""`tenfold mail-inbound`: a real Maildir in a temporary folder, and single files."""

from __future__ import annotations

import mailbox
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenfold.checkins.models import WeeklyItem
from tenfold.mailin.models import InboundMessage

from .conftest import counts, sample


def run(*args: str) -> str:
    out = StringIO()
    call_command("mail-inbound", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def maildir(tmp_path: Path, bob_token: str, reply) -> Path:
    """A Maildir holding three new messages: a good reply, a forged one, an out-of-office."""
    path = tmp_path / "replies"
    box = mailbox.Maildir(str(path), create=True)
    box.add(reply("Plans: from the Maildir", message_id="<md-1@x>"))
    box.add(reply("Plans: forged", token="a" * 48, message_id="<md-2@x>"))
    box.add(sample("autoreply.eml", token=bob_token))
    box.close()
    return path


def names(path: Path, sub: str) -> list[str]:
    return sorted(os.listdir(path / sub))


def test_a_maildir_is_applied_once_and_its_messages_marked_seen(maildir, bob):
    output = run("--maildir", str(maildir))
    assert "applied" in output and "forged" in output and "auto_reply" in output
    assert "3 message(s)" in output
    assert list(WeeklyItem.objects.values_list("text", flat=True)) == ["from the Maildir"]
    assert sorted(InboundMessage.objects.values_list("status", flat=True)) == [
        "applied",
        "ignored",
        "rejected",
    ]
    assert names(maildir, "new") == []
    seen = names(maildir, "cur")
    assert len(seen) == 3 and all(name.endswith(":2,S") for name in seen)
    # The second run finds nothing new and changes nothing.
    before = counts(), InboundMessage.objects.count()
    assert "No new messages." in run("--maildir", str(maildir))
    assert (counts(), InboundMessage.objects.count()) == before


def test_a_message_moved_to_cur_without_the_seen_flag_is_still_read(tmp_path, bob, reply):
    path = tmp_path / "box"
    box = mailbox.Maildir(str(path), create=True)
    message = mailbox.MaildirMessage(reply("Plans: read by a mail client first"))
    message.set_subdir("cur")
    message.set_flags("F")
    box.add(message)
    box.close()
    run("--maildir", str(path))
    assert WeeklyItem.objects.get().text == "read by a mail client first"
    [name] = names(path, "cur")
    assert name.endswith(":2,FS")  # the flag it had is kept


def test_a_dry_run_changes_nothing_and_marks_nothing(maildir, bob):
    output = run("--maildir", str(maildir), "--dry-run")
    assert "would add" in output and "+ Plans: from the Maildir" in output
    assert counts() == (0, 0, 0) and InboundMessage.objects.count() == 0
    assert len(names(maildir, "new")) == 3


def test_a_message_that_failed_is_left_for_the_next_run(maildir, bob, monkeypatch):
    from tenfold.mailin import services

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "item_add", broken)
    run("--maildir", str(maildir))
    assert len(names(maildir, "new")) == 1  # the good reply, which met the fault
    monkeypatch.undo()
    run("--maildir", str(maildir))
    assert WeeklyItem.objects.get().text == "from the Maildir"
    assert names(maildir, "new") == []


def test_an_oversized_file_in_the_maildir_is_refused_unread(settings, tmp_path, bob, reply):
    settings.INBOUND_MAX_BYTES = 2000
    path = tmp_path / "box"
    box = mailbox.Maildir(str(path), create=True)
    box.add(reply("Plans: huge\n" + "z" * 50_000, message_id="<huge@x>"))
    box.close()
    output = run("--maildir", str(path))
    assert "too_large" in output
    row = InboundMessage.objects.get()
    assert (row.reason, row.user, row.size > 50_000) == ("too_large", bob, True)
    assert WeeklyItem.objects.count() == 0


def test_one_file(tmp_path, bob, reply):
    path = tmp_path / "reply.eml"
    path.write_bytes(reply("Progress: from a file"))
    output = run("--file", str(path))
    assert "applied" in output
    row = InboundMessage.objects.get()
    assert (row.via, row.status) == ("file", "applied")
    assert WeeklyItem.objects.get().category == "progress"


def test_one_file_that_is_refused_fails_with_the_reason(tmp_path, team, reply):
    path = tmp_path / "reply.eml"
    path.write_bytes(reply("Plans: x", token="a" * 48))
    with pytest.raises(CommandError, match="not made by this Tenfold"):
        run("--file", str(path))
    assert WeeklyItem.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--file", "/nonexistent/reply.eml"), "Cannot read"),
        (("--maildir", "/nonexistent/box"), "There is no folder"),
        ((), "one of the arguments --maildir --file is required"),
    ],
)
def test_bad_arguments_are_clear_errors(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_folder_that_is_not_a_maildir_is_refused(db, tmp_path):
    (tmp_path / "new").mkdir()
    with pytest.raises(CommandError, match="is not a Maildir"):
        run("--maildir", str(tmp_path))
