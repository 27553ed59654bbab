"""Browser tests: Playwright driving Debian's Chromium against the live test server.

Chromium comes from the system (`apt-get install chromium`), never from a downloader. Where
it is missing the tests are skipped, unless TENFOLD_REQUIRE_BROWSER=1 (as in CI), which turns
a missing browser into a failure so a green run always means the journeys were driven.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(os.environ.get("TENFOLD_ARTIFACTS", "test-artifacts")) / "screenshots"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(page: Any, name: str, *, width: int | None = None) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots for a reviewer."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if width:
        page.set_viewport_size({"width": width, "height": 900})
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
