"""tenfold mail-inbound: apply replies to reminder emails from a Maildir or a file."""

from __future__ import annotations

import mailbox
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.mailin.models import InboundStatus, Via
from tenfold.mailin.services import ReplyOutcome, reply_apply_safely


def _read(handle: Any) -> bytes:
    """At most one byte more than a message may have: enough to know it is too large."""
    data = handle.read(settings.INBOUND_MAX_BYTES + 1)
    return bytes(data)


class _Box:
    """A Maildir opened with the standard library, plus the one thing it lacks on Python 3.12:
    marking a message as seen without rewriting it (new/KEY → cur/KEY:2,S, a rename)."""

    def __init__(self, path: Path) -> None:
        for sub in ("new", "cur", "tmp"):
            if not (path / sub).is_dir():
                raise CommandError(
                    _("%(path)s is not a Maildir (it has no new/, cur/ and tmp/ folders).")
                    % {"path": path}
                )
        self.path = path
        self.box = mailbox.Maildir(str(path), factory=None, create=False)
        self.colon = self.box.colon
        keys = set(self.box.keys())
        self.files: dict[str, tuple[str, str]] = {}
        for sub in ("new", "cur"):
            for name in os.listdir(path / sub):
                key = name.split(self.colon)[0]
                if key in keys:
                    self.files[key] = (sub, name)

    def unseen(self) -> list[str]:
        """Keys of the messages not yet handled: everything in new/, and what is in cur/
        without the S (seen) flag, oldest first."""
        keys = []
        for key, (sub, name) in self.files.items():
            flags = name.split(self.colon + "2,", 1)[1] if self.colon + "2," in name else ""
            if sub == "new" or "S" not in flags:
                keys.append(key)
        return sorted(keys, key=lambda key: self._mtime(key))

    def _mtime(self, key: str) -> float:
        sub, name = self.files[key]
        try:
            return (self.path / sub / name).stat().st_mtime
        except OSError:
            return 0.0

    def size(self, key: str) -> int:
        sub, name = self.files[key]
        return (self.path / sub / name).stat().st_size

    def read(self, key: str) -> bytes:
        handle = self.box.get_file(key)
        try:
            return _read(handle)
        finally:
            handle.close()

    def mark_seen(self, key: str) -> None:
        sub, name = self.files[key]
        info = name.split(self.colon + "2,", 1)[1] if self.colon + "2," in name else ""
        flags = "".join(sorted(set(info) | {"S"}))
        target = f"{key}{self.colon}2,{flags}"
        os.replace(self.path / sub / name, self.path / "cur" / target)
        self.files[key] = ("cur", target)


class Command(BaseCommand):
    help = (
        "Apply replies to reminder emails (plans, progress, problems, check-ins). Read every "
        "new message of a Maildir and mark each one seen, so the next run skips it; or read "
        "one message from a file. Run it from cron every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--maildir",
            metavar="PATH",
            help="A Maildir the reply domain's mail is delivered to.",
        )
        source.add_argument("--file", metavar="PATH", help="One raw email message (.eml).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what each message would add; change nothing and mark nothing seen.",
        )

    def _show(self, name: str, outcome: ReplyOutcome, dry_run: bool) -> None:
        status = outcome.status
        if dry_run and status == InboundStatus.APPLIED:
            head = _("%(name)s: would add") % {"name": name}
        else:
            head = f"{name}: {status}" + (f" ({outcome.reason})" if outcome.reason else "")
        writer = self.stdout if status != InboundStatus.ERROR else self.stderr
        writer.write(head)
        for line in outcome.added:
            self.stdout.write(f"  + {line}")
        for line in outcome.errors:
            self.stdout.write(f"  ! {line}")
        for line in outcome.warnings:
            self.stdout.write(f"  ~ {line}")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        if options["file"]:
            self._file(Path(options["file"]), dry_run)
        else:
            self._maildir(Path(options["maildir"]), dry_run)

    def _file(self, path: Path, dry_run: bool) -> None:
        try:
            size = path.stat().st_size
            with open(path, "rb") as handle:
                raw = _read(handle)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from error
        outcome = reply_apply_safely(raw=raw, size=size, via=Via.FILE, dry_run=dry_run)
        self._show(path.name, outcome, dry_run)
        if outcome.status in (InboundStatus.REJECTED, InboundStatus.ERROR):
            raise CommandError(
                _("The message was not applied: %(errors)s") % {"errors": " ".join(outcome.errors)}
            )

    def _maildir(self, path: Path, dry_run: bool) -> None:
        if not path.is_dir():
            raise CommandError(_("There is no folder %(path)s.") % {"path": path})
        box = _Box(path)
        counts: dict[str, int] = {}
        for key in box.unseen():
            try:
                size = box.size(key)
                raw = box.read(key)
            except OSError as error:  # removed by another reader meanwhile
                self.stderr.write(f"{key}: {error.strerror}")
                continue
            outcome = reply_apply_safely(raw=raw, size=size, via=Via.MAILDIR, dry_run=dry_run)
            self._show(key, outcome, dry_run)
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            # A fault may be fixed by the next release: leave that message for the next run.
            if not dry_run and outcome.status != InboundStatus.ERROR:
                box.mark_seen(key)
        total = sum(counts.values())
        if not total:
            self.stdout.write(_("No new messages."))
            return
        parts = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(_("%(total)d message(s): %(parts)s.") % {"total": total, "parts": parts})
