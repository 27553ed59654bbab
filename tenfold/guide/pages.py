"""The user guide inside the app: the Markdown files of `docs/` (and the README, the
operator's manual), drawn as pages under /help/. One source for the repository and the app.

Links between the files become links between the pages, pictures are served from
`docs/images/`, and headings get the anchors GitHub gives them, so `planning.md#approval`
works in both places. Raw HTML in the files is shown as text, never passed through."""

from __future__ import annotations

import functools
import re
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from markdown_it.token import Token

README = "readme"
"""The slug of the operator's manual, which lives at the top of the repository."""

SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_("Start here"), ("getting-started", "method", "user-guide", "troubleshooting")),
    (
        _("The cycle"),
        ("planning", "tree", "dashboards", "numbers", "reviews", "carryover", "kpis"),
    ),
    (
        _("The coach"),
        ("coach", "semantic", "health", "adoption", "ideas", "scores-policy"),
    ),
    (
        _("Reminders and integrations"),
        ("notifications", "digests", "calendars", "chat", "feeds", "webhooks", "reply-by-email"),
    ),
    (
        _("Data in and out"),
        ("interchange", "spreadsheets", "transfers", "okrs-as-code", "cli"),
    ),
    (_("The API"), ("api", "api-okrs", "api-directory")),
    (
        _("Running Tenfold"),
        (README, "configuration", "security", "backup", "scaling", "benchmarks", "decisions"),
    ),
)
"""The guide's table of contents. A file of `docs/` left out here is not served."""

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
IMAGE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}\.(png|svg|jpg|jpeg|webp)$")


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    html: SafeString


def docs_dir() -> Path:
    return Path(getattr(settings, "TENFOLD_DOCS_DIR", settings.BASE_DIR / "docs"))


def listed() -> list[str]:
    return [slug for _title, slugs in SECTIONS for slug in slugs]


def source_of(slug: str) -> Path | None:
    """The file behind a page, or None for anything not in the table of contents."""
    if not SLUG.match(slug) or slug not in listed():
        return None
    path = docs_dir().parent / "README.md" if slug == README else docs_dir() / f"{slug}.md"
    return path if path.is_file() else None


def image_path(name: str) -> Path | None:
    """A picture of `docs/images/`, by a plain file name only (no folders, no dots first)."""
    if not IMAGE.match(name):
        return None
    path = docs_dir() / "images" / name
    return path if path.is_file() else None


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def picture_size(name: str) -> tuple[int, int] | None:
    """Width and height of a PNG of `docs/images/`, from its header. Drawn with its size, a
    picture has its room kept before it arrives, so the text below does not jump as it loads."""
    path = image_path(name)
    if path is None or path.suffix != ".png":
        return None
    with path.open("rb") as file:
        head = file.read(24)
    if len(head) < 24 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return (width, height) if width and height else None


def page(slug: str) -> Page | None:
    path = source_of(slug)
    if path is None:
        return None
    return _drawn(slug, str(path), path.stat().st_mtime_ns)


def contents() -> list[tuple[Any, list[Page]]]:
    """The table of contents: each section's pages that exist, with their titles."""
    found = []
    for title, slugs in SECTIONS:
        pages = [p for slug in slugs if (p := page(slug)) is not None]
        if pages:
            found.append((title, pages))
    return found


def anchor_of(text: str, seen: dict[str, int]) -> str:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens; a
    repeated heading gets -1, -2, …"""
    text = unicodedata.normalize("NFKC", text).lower()
    base = re.sub(r"[^\w\- ]", "", text).strip().replace(" ", "-")
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def _target(href: str, from_readme: bool) -> str:
    """Where a link of the file points inside the app; outside links are left as written."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith(("#", "/")):
        return href
    path, _hash, fragment = href.partition("#")
    if from_readme and path.startswith("docs/"):
        path = path[len("docs/") :]
    suffix = f"#{fragment}" if fragment else ""
    if path in ("README.md", "../README.md"):
        return reverse("guide_page", args=[README]) + suffix
    if path.endswith(".md") and "/" not in path:
        slug = path[: -len(".md")]
        if slug in listed():
            return reverse("guide_page", args=[slug]) + suffix
    if path.startswith("images/") and IMAGE.match(path[len("images/") :]):
        return reverse("guide_image", args=[path[len("images/") :]])
    # Anything else of the repository (source files, the schema) is not served.
    return reverse("guide_index")


def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table"])


@functools.lru_cache(maxsize=128)
def _drawn(slug: str, path: str, _mtime: int) -> Page:
    text = Path(path).read_text(encoding="utf-8")
    md = _renderer()
    tokens = md.parse(text)
    seen: dict[str, int] = {}
    title = slug
    summary = ""
    from_readme = slug == README
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            words = "".join(
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            )
            token.attrSet("id", anchor_of(words, seen))
            if token.tag == "h1" and title == slug:
                title = words
        elif token.type == "paragraph_open" and not summary:
            summary = _plain(tokens[index + 1])
        if token.type == "inline":
            for child in token.children or []:
                _rewrite(child, from_readme)
    html = md.renderer.render(tokens, md.options, {})
    # Tables scroll sideways on a phone instead of widening the page.
    html = html.replace("<table>", '<div class="table-scroll"><table>').replace(
        "</table>", "</table></div>"
    )
    return Page(slug=slug, title=title, summary=summary[:240], html=mark_safe(html))  # nosec B308 B703  # text escaped by markdown-it, raw HTML off


def _rewrite(token: Token, from_readme: bool) -> None:
    if token.type == "link_open":
        href = str(token.attrGet("href") or "")
        token.attrSet("href", _target(href, from_readme))
    elif token.type == "image":
        src = str(token.attrGet("src") or "")
        token.attrSet("src", _target(src, from_readme))
        token.attrSet("loading", "lazy")
        local = src[len("docs/") :] if from_readme and src.startswith("docs/") else src
        size = picture_size(local[len("images/") :]) if local.startswith("images/") else None
        if size:
            token.attrSet("width", str(size[0]))
            token.attrSet("height", str(size[1]))


def _plain(inline: Token) -> str:
    words = [
        child.content for child in inline.children or [] if child.type in ("text", "code_inline")
    ]
    return re.sub(r"\s+", " ", " ".join(words)).strip()
