"""Where transfer files live: one directory, `TRANSFERS_DIR` (by default `transfers/` inside the
data directory), shared by the web servers and the workers.

Besides the finished files it holds, per running job, two small side files:

- ``<code>.progress``: the latest figures of a job that runs inside a database transaction (an
  import). Its writes to the job's row would stay invisible until the transaction ends, so the
  figures travel through this file instead;
- ``<code>.cancel``: present once somebody asked the job to stop. On SQLite an import holds the
  database's write lock for its whole run, so a cancel request could not reach the row before
  the import ends; the file reaches it at once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings


def directory() -> Path:
    configured = getattr(settings, "TRANSFERS_DIR", None)
    path = Path(configured) if configured else Path(settings.DATA_DIR) / "transfers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(name: str) -> Path:
    """The absolute path of a file name kept on a transfer row (names never hold a directory,
    so a row cannot point outside the transfers directory)."""
    return directory() / Path(name).name


def remove(path: Path) -> None:
    try:
        if path.is_dir():
            for child in sorted(path.rglob("*"), reverse=True):
                child.rmdir() if child.is_dir() else child.unlink()
            path.rmdir()
        else:
            path.unlink()
    except FileNotFoundError:
        pass


def _side(code: str, suffix: str) -> Path:
    return directory() / f"{code}.{suffix}"


def write_progress(code: str, done: int, total: int | None, label: str) -> None:
    target = _side(code, "progress")
    temporary = target.with_suffix(".progress-new")
    temporary.write_text(json.dumps({"done": done, "total": total, "label": label}))
    os.replace(temporary, target)  # readers see the old figures or the new, never half


def read_progress(code: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_side(code, "progress").read_text())
    except (FileNotFoundError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def request_cancel(code: str) -> None:
    _side(code, "cancel").touch()


def cancel_requested(code: str) -> bool:
    return _side(code, "cancel").exists()


def clear_side_files(code: str) -> None:
    for suffix in ("progress", "progress-new", "cancel"):
        remove(_side(code, suffix))
