"""Pictures of every main page of the demo organization, for the user guide.

Each page is taken in the light and the dark colour scheme at 1280×800 and in the light one at
phone width (390×844): what fits in the window, at one device pixel per CSS pixel, so a
picture stays small. They land in test-artifacts/screenshots as `<page>-light.png`,
`<page>-dark.png` and `<page>-phone.png` on every run, for a reviewer to look at.

With TENFOLD_SCREENSHOTS_TO_DOCS=1 (`make screenshots`) the ones the guide shows are copied to
docs/images/ as well; a plain test run never changes the tree."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from PIL import Image, ImageStat

from tenfold.organizations.models import Organization

from .conftest import ARTIFACTS
from .demo_pages import (
    DESKTOP,
    PAGE_NAMES,
    PHONE,
    demo_organization,
    main_pages,
    sessions,
    settled,
)

DOCS = Path(settings.BASE_DIR) / "docs"
DOCS_IMAGES = DOCS / "images"
TO_DOCS = os.environ.get("TENFOLD_SCREENSHOTS_TO_DOCS") == "1"
# The guide shows every page in the light scheme; these also in the dark one and on a phone.
DARK_IN_DOCS = {"my-week", "dashboard", "tree", "key-result"}
PHONE_IN_DOCS = {"my-week", "dashboard", "objective", "meeting"}


@pytest.fixture
def demo() -> Iterator[Organization]:
    with demo_organization() as org:
        yield org


def shoot(tab: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), scale="css", animations="disabled", caret="hide")
    return path


def brightness(path: Path) -> float:
    """The picture's mean grey level, 0 (black) to 255 (white)."""
    with Image.open(path) as picture:
        return float(ImageStat.Stat(picture.convert("L")).mean[0])


GUIDE_PICTURES = (
    {f"{page}-light" for page in PAGE_NAMES}
    | {f"{page}-dark" for page in DARK_IN_DOCS}
    | {f"{page}-phone" for page in PHONE_IN_DOCS}
)
# A picture of docs/images/ in a Markdown file: ![words](images/NAME.png)
PICTURE = re.compile(r"!\[([^\]]*)\]\(images/([^)\s]+)\.png\)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_main_page_is_pictured_light_dark_and_at_phone_width(
    browser: Any, live_server: Any, demo: Organization
) -> None:
    pages = main_pages(demo)
    states = sessions(browser, live_server.url)
    shots: dict[str, Path] = {}
    too_wide: list[str] = []
    for view, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        tabs: dict[str | None, Any] = {}
        try:
            for main in pages:
                if main.who not in tabs:
                    context = browser.new_context(
                        viewport=viewport,
                        locale="en-GB",
                        color_scheme="light",
                        storage_state=states[main.who],
                    )
                    context.set_default_timeout(20_000)
                    tabs[main.who] = context.new_page()
                tab = tabs[main.who]
                tab.emulate_media(color_scheme="light")
                response = tab.goto(f"{live_server.url}{main.path}")
                assert response is not None and response.status == 200, main
                settled(tab)
                if view == "phone":
                    # Tables scroll inside their own box: the page itself never scrolls sideways.
                    if tab.evaluate("document.documentElement.scrollWidth > innerWidth"):
                        too_wide.append(main.name)
                    shots[f"{main.name}-phone"] = shoot(tab, f"{main.name}-phone")
                    continue
                shots[f"{main.name}-light"] = shoot(tab, f"{main.name}-light")
                tab.emulate_media(color_scheme="dark")
                assert tab.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                shots[f"{main.name}-dark"] = shoot(tab, f"{main.name}-dark")
        finally:
            for tab in tabs.values():
                tab.context.close()

    assert len(shots) == 3 * len(pages)
    sizes = {}
    for name, path in shots.items():
        with Image.open(path) as picture:
            sizes[name] = picture.size
    wanted = {name: (PHONE if name.endswith("-phone") else DESKTOP) for name in shots}
    assert sizes == {name: (size["width"], size["height"]) for name, size in wanted.items()}
    # The dark pictures are of the dark scheme: clearly darker than the light ones.
    for main in pages:
        light = brightness(shots[f"{main.name}-light"])
        dark = brightness(shots[f"{main.name}-dark"])
        assert dark < light / 2, (main.name, light, dark)
    assert too_wide == []

    total = sum(path.stat().st_size for path in shots.values())
    print(f"\n{len(shots)} screenshots in {ARTIFACTS}, {total / 1e6:.1f} MB")
    if TO_DOCS:
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        chosen = sorted(GUIDE_PICTURES)
        for name in chosen:
            shutil.copyfile(shots[name], DOCS_IMAGES / f"{name}.png")
        print(f"{len(chosen)} copied to {DOCS_IMAGES}")


def test_the_guide_shows_every_picture_the_screenshots_refresh_and_no_other() -> None:
    """Each picture of docs/images/ is shown somewhere and `make screenshots` takes it again;
    none is missing, none is left behind, and they stay small enough to keep in the tree."""
    shown: set[str] = set()
    for text in sorted(DOCS.glob("*.md")):
        for alt, name in PICTURE.findall(text.read_text(encoding="utf-8")):
            shown.add(name)
            # Words a reader without the picture can use: what the screen is and shows.
            assert len(alt.split()) >= 4, (text.name, name, alt)
    present = {path.stem for path in DOCS_IMAGES.glob("*.png")}
    assert shown == GUIDE_PICTURES
    assert present == GUIDE_PICTURES
    sizes = {path.stem: path.stat().st_size for path in DOCS_IMAGES.glob("*.png")}
    assert max(sizes.values()) < 300_000, max(sizes.items(), key=lambda item: item[1])
    assert sum(sizes.values()) < 6_000_000
