"""The user guide served inside the app (/help/), drawn from docs/ and the README."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tenfold.guide import pages

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.fixture
def docs(tmp_path: Path, settings) -> Path:
    """A docs folder of our own, so the rules are tested on text the test controls."""
    folder = tmp_path / "docs"
    (folder / "images").mkdir(parents=True)
    settings.TENFOLD_DOCS_DIR = folder
    pages._drawn.cache_clear()
    yield folder
    pages._drawn.cache_clear()


def test_every_listed_page_exists_in_the_repository() -> None:
    missing = [slug for slug in pages.listed() if pages.source_of(slug) is None]
    assert missing == []


def test_every_page_of_docs_is_in_the_contents_or_left_out_on_purpose() -> None:
    left_out = {"development", "interchange.schema"}
    files = {path.stem for path in DOCS.glob("*.md")} | {"interchange.schema"}
    assert files - set(pages.listed()) <= left_out


def test_the_index_lists_the_sections_for_anyone(client: Client) -> None:
    reply = client.get(reverse("guide_index"))
    assert reply.status_code == 200
    text = reply.content.decode()
    for slug in ("getting-started", "method", "troubleshooting", "planning", "readme"):
        assert f'href="/help/{slug}/"' in text
    assert "The method in short" in text


def test_a_page_is_drawn_with_headings_tables_and_its_links_made_local(client: Client) -> None:
    reply = client.get(reverse("guide_page", args=["user-guide"]))
    assert reply.status_code == 200
    text = reply.content.decode()
    assert '<h1 id="user-guide">User guide</h1>' in text
    assert '<div class="table-scroll"><table>' in text
    assert 'href="/help/planning/"' in text
    assert 'href="planning.md"' not in text
    assert 'aria-current="page">User guide</a>' in text


def test_the_readme_links_into_docs_become_pages(client: Client) -> None:
    text = client.get(reverse("guide_page", args=["readme"])).content.decode()
    assert 'href="docs/' not in text
    assert re.search(r'href="/help/[a-z-]+/(#[a-z0-9-]+)?"', text)


def test_unknown_and_unlisted_pages_are_404(client: Client) -> None:
    for slug in ("no-such-page", "development", "README"):
        assert client.get(f"/help/{slug}/").status_code == 404


def test_anchors_follow_github_and_repeat_with_a_number() -> None:
    seen: dict[str, int] = {}
    assert pages.anchor_of("When the database is busy, or restarts", seen) == (
        "when-the-database-is-busy-or-restarts"
    )
    assert pages.anchor_of("Notes", seen) == "notes"
    assert pages.anchor_of("Notes", seen) == "notes-1"
    assert pages.anchor_of("API v1: `GET /orgs`", seen) == "api-v1-get-orgs"


def test_raw_html_in_a_file_is_shown_as_text(docs: Path, client: Client) -> None:
    (docs / "user-guide.md").write_text(
        "# Guide\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[link](javascript:alert(3)) and [other](planning.md#first-steps)\n"
    )
    text = client.get("/help/user-guide/").content.decode()
    body = text.split('class="guide-text card">', 1)[1]
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert "<img src=x" not in body
    assert 'href="javascript:' not in body
    assert 'href="/help/planning/#first-steps"' in body


def test_links_to_files_outside_the_guide_go_to_the_index(docs: Path) -> None:
    (docs / "cli.md").write_text("# CLI\n\nSee [the code](../tenfold/cli/main.py) and [x](x.md).\n")
    page = pages.page("cli")
    assert page is not None
    assert page.html.count('href="/help/"') == 2


def test_a_changed_file_is_drawn_again(docs: Path) -> None:
    path = docs / "method.md"
    path.write_text("# One\n\nFirst words.\n")
    assert pages.page("method").title == "One"
    import os

    path.write_text("# Two\n\nOther words.\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    page = pages.page("method")
    assert page.title == "Two" and page.summary == "Other words."


def test_pictures_are_served_by_plain_name_only(docs: Path, client: Client) -> None:
    (docs / "images" / "dashboard-light.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (docs / "secret.txt").write_text("not for you")
    reply = client.get("/help/images/dashboard-light.png")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "image/png"
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert b"".join(reply.streaming_content).startswith(b"\x89PNG")
    for name in ("..%2Fsecret.txt", "secret.txt", ".hidden.png", "missing.png", "a%2Fb.png"):
        assert client.get(f"/help/images/{name}").status_code == 404


def test_pictures_in_a_page_point_at_the_served_pictures(docs: Path) -> None:
    (docs / "tree.md").write_text("# Tree\n\n![The tree](images/tree-light.png)\n")
    page = pages.page("tree")
    assert page is not None
    assert 'src="/help/images/tree-light.png"' in page.html
    assert 'loading="lazy"' in page.html


def test_a_picture_is_drawn_with_its_size_so_the_text_keeps_still(docs: Path) -> None:
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 1280, 800)
    (docs / "images" / "tree-light.png").write_bytes(header + b"\x08\x02\x00\x00\x00")
    (docs / "images" / "broken.png").write_bytes(b"not a picture")
    (docs / "tree.md").write_text(
        "# Tree\n\n![The tree](images/tree-light.png) ![Broken](images/broken.png)\n"
        "![Missing](images/missing.png)\n"
    )
    page = pages.page("tree")
    assert page is not None
    assert (
        'src="/help/images/tree-light.png" alt="The tree" loading="lazy" width="1280" height="800"'
        in page.html
    )
    assert 'src="/help/images/broken.png" alt="Broken" loading="lazy" />' in page.html
    assert 'alt="Missing" loading="lazy" />' in page.html


def test_help_is_a_reserved_organization_address(alice) -> None:
    from django.core.exceptions import ValidationError

    from tenfold.organizations.services import organization_create

    with pytest.raises(ValidationError, match="reserved"):
        organization_create(name="Help", slug="help", owner=alice)
