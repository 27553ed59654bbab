"""Running the commands, emptying the database and rewriting archives for the tests."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection

from tenfold.backup.snapshot import project_models


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def empty_database() -> None:
    """Delete every row a backup holds, leaving what `migrate` makes (content types and
    permissions): the database as freshly migrated. Inside a test's transaction the foreign
    keys are checked at commit, which never comes, so the order does not matter."""
    assert connection.in_atomic_block
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in project_models(json_format=False):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


def rewrite(
    source: Path,
    target: Path,
    *,
    change: dict[str, Callable[[bytes], bytes | None]] | None = None,
    fix_manifest: bool = True,
    manifest: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Copy an archive, changing parts (a function returning None drops the part) and, with
    `fix_manifest`, recording the changed parts' checksums and sizes as a careful forger
    would, so only the checks behind the checksums can catch the change."""
    change = change or {}
    with zipfile.ZipFile(source) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    data = json.loads(parts["manifest.json"])
    for name, edit in change.items():
        new = edit(parts[name])
        if new is None:
            del parts[name]
            continue
        parts[name] = new
        if fix_manifest:
            for part in data["parts"]:
                if part["name"] == name:
                    part["sha256"] = hashlib.sha256(new).hexdigest()
                    part["size"] = len(new)
    if manifest is not None:
        manifest(data)
    parts["manifest.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(target, "w") as new_archive:
        for name, content in parts.items():
            new_archive.writestr(name, content)
