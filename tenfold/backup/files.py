"""Backup files on disk: what kind a file is, where a new one goes, and writing it safely.

A file's kind is read from its first bytes, never from its name: a JSON backup is a ZIP
archive, a PostgreSQL backup is `pg_dump`'s custom format, an SQLite backup is an SQLite
database file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

JSON = "json"
POSTGRESQL = "postgresql"
SQLITE = "sqlite"

MAGIC = {
    b"PK\x03\x04": JSON,
    b"PGDMP": POSTGRESQL,
    b"SQLite format 3\x00": SQLITE,
}

SUFFIXES = {JSON: ".zip", POSTGRESQL: ".pgdump", SQLITE: ".sqlite3"}


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def detect(path: Path) -> str:
    """The kind of backup `path` holds (`JSON`, `POSTGRESQL` or `SQLITE`); raises
    `BackupError` for a missing, unreadable or unknown file."""
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except FileNotFoundError:
        raise BackupError(_("There is no file %(path)s.") % {"path": path}) from None
    except IsADirectoryError:
        raise BackupError(_("%(path)s is a folder, not a backup file.") % {"path": path}) from None
    except OSError as error:
        raise BackupError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    if not head:
        raise BackupError(_("%(path)s is empty.") % {"path": path})
    raise BackupError(
        _("%(path)s is not a Tenfold backup (neither a JSON backup, a pg_dump file nor SQLite).")
        % {"path": path}
    )


def target_path(out: str | None, kind: str, now: dt.datetime | None = None) -> Path:
    """Where a new backup goes: `out` itself, or a dated name inside `out` when it is a folder
    (the current folder by default), such as `tenfold-backup-20260301-0200.zip`."""
    if out and not Path(out).is_dir():
        if out.endswith(("/", os.sep)):
            raise BackupError(_("There is no folder %(path)s.") % {"path": out})
        return Path(out)
    moment = (now or timezone.now()).astimezone(dt.UTC)
    name = f"tenfold-backup-{moment:%Y%m%d-%H%M%S}{SUFFIXES[kind]}"
    return Path(out or ".") / name


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path`, readable by its owner only (a backup holds password
    hashes and integration secrets), moved into place when the block ends without error: a
    failed or interrupted backup never leaves half a file under the final name."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(_("There is no folder %(path)s.") % {"path": folder})
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
