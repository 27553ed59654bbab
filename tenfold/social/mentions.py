"""@mentions in comment text: finding handles and rendering them. Pure text rules, no
database: resolving handles to people happens in the services.

A person's handle is the local part of their email address (``@bob`` for bob@example.com) or
the whole address (``@bob@example.com``), compared without regard to case."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

MAX_MENTIONS = 20
"""Most people one comment may notify; handles beyond this stay plain text."""

_HANDLE = re.compile(
    r"(?<![\w@.+-])@([a-z0-9][a-z0-9._%+-]*(?:@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?)",
    re.IGNORECASE,
)
_TRAILING = "._%+-"
"""Characters allowed inside a handle that read as punctuation at its end ("thanks @bob.")."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    handle: str
    """Lowercased, without the @."""


def mention_spans(text: str) -> list[Span]:
    """Every @handle in `text`, in order, with the exact characters it covers."""
    spans: list[Span] = []
    for match in _HANDLE.finditer(text):
        raw = match.group(1).rstrip(_TRAILING)
        if not raw:
            continue
        spans.append(Span(match.start(), match.start() + 1 + len(raw), raw.lower()))
    return spans


def find_handles(text: str) -> list[str]:
    """The distinct handles of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for span in mention_spans(text):
        seen.setdefault(span.handle, None)
    return list(seen)[:MAX_MENTIONS]


def handles_of(email: str) -> tuple[str, str]:
    address = email.lower()
    return address.split("@", 1)[0], address


def handle_map(people: Iterable[Any]) -> dict[str, Any]:
    """{handle: person} for the given people. A local part two of them share is left out, so
    only the full address names either of them."""
    by_handle: dict[str, Any] = {}
    shared: set[str] = set()
    for person in people:
        local, address = handles_of(person.email)
        by_handle[address] = person
        if local in by_handle and by_handle[local] is not person:
            shared.add(local)
        by_handle.setdefault(local, person)
    for local in shared:
        del by_handle[local]
    return by_handle


def render_body(text: str, mentioned: Iterable[Any]) -> SafeString:
    """Comment text as HTML: everything escaped, line breaks kept, and the handles of the
    people the comment mentions shown as their highlighted name. Handles of anyone else stay
    as the text that was typed."""
    people = handle_map(mentioned)
    parts: list[str] = []
    position = 0
    for span in mention_spans(text):
        person = people.get(span.handle)
        if person is None:
            continue
        parts.append(escape(text[position : span.start]))
        parts.append(
            format_html(
                '<span class="mention" title="{}">@{}</span>', person.email, person.display_name
            )
        )
        position = span.end
    parts.append(escape(text[position:]))
    # Every part above went through escape() or format_html(), so the joined string is safe.
    return mark_safe("".join(parts).replace("\n", "<br>"))
