"""The text rules of quick search: what a query may be, the words it is split into, and
whether a short label (a palette action) matches it. No database; `tenfold.okrs.search`
turns the words into queries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

QUERY_MAX = 100
"""Characters a query may have: more than any title people type from memory."""
MAX_WORDS = 6
"""Words a query is matched by; later ones are ignored, so the SQL stays small."""


def clean_query(text: str | None) -> str:
    """The query as it is searched for: control characters dropped (PostgreSQL refuses a NUL
    in a string) and runs of white space made one space. Empty, or longer than `QUERY_MAX`,
    it is refused with a message for the field `q`."""
    kept = "".join(char if char.isprintable() else " " for char in text or "")
    cleaned = " ".join(kept.split())
    if not cleaned:
        message = _("Type a few letters of a title, a name or a code to search for.")
        raise ValidationError({"q": ValidationError(message, code="required")})
    if len(cleaned) > QUERY_MAX:
        message = _("Search for at most %(max)d characters (this has %(length)d).") % {
            "max": QUERY_MAX,
            "length": len(cleaned),
        }
        raise ValidationError({"q": ValidationError(message, code="max_length")})
    return cleaned


def query_words(query: str) -> list[str]:
    """The distinct words of a cleaned query, in lower case, longest first (the rarest, so a
    database that stops at the first failing condition stops early), at most `MAX_WORDS`. A
    word that is part of another word adds nothing and is left out."""
    words: list[str] = []
    for word in sorted(set(query.lower().split()), key=lambda w: (-len(w), w)):
        if not any(word in longer for longer in words):
            words.append(word)
    return words[:MAX_WORDS]


def label_matches(query: str, *texts: str) -> bool:
    """Whether every word of the query occurs in one of the texts (a label, its keywords),
    ignoring case. Used for the palette's actions, which are few and live in memory."""
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in query_words(query))
