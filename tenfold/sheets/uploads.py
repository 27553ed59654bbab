"""The uploaded file, kept between the preview and the import.

It lives in the data directory under a random name that starts with the organization's code;
the person's session holds the name, so only the session that uploaded it (in that
organization) can reach it. It is removed after the import, when discarded, or — if the
person walks away — by the next upload after a day.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from tenfold.organizations.models import Organization

SESSION_KEY = "sheet_import"
KEEP_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def folder() -> Path:
    configured = getattr(settings, "IMPORTS_DIR", None)
    path = Path(configured) if configured else Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(organization: Organization, token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    return folder() / f"{organization.code}-{token}"


def keep(session: Any, organization: Organization, upload: Any, **choices: str) -> None:
    """Store the upload and remember it in the session, replacing an earlier one."""
    discard(session, organization)
    _prune()
    token = secrets.token_hex(16)
    path = _path(organization, token)
    assert path is not None
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    session[SESSION_KEY] = {
        "org": organization.code,
        "token": token,
        "name": str(upload.name)[:200],
        **choices,
    }


def kept(session: Any, organization: Organization) -> tuple[dict[str, str], bytes] | None:
    """The remembered choices and the file's bytes, or None."""
    entry = session.get(SESSION_KEY)
    if not entry or entry.get("org") != organization.code:
        return None
    path = _path(organization, entry.get("token", ""))
    if path is None or not path.exists():
        return None
    return entry, path.read_bytes()


def discard(session: Any, organization: Organization) -> None:
    entry = session.get(SESSION_KEY)
    if not entry:
        return
    if entry.get("org") == organization.code:
        path = _path(organization, entry.get("token", ""))
        if path is not None:
            path.unlink(missing_ok=True)
    session.pop(SESSION_KEY, None)


def _prune() -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
