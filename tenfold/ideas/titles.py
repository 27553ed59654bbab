"""Turning an idea into an objective's title. Pure text rules, no database."""

from __future__ import annotations

import re

TITLE_LIMIT = 70
"""METHOD §2: about 70 characters is a good upper bound for an objective's title."""
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TRAILING = " \t,;:-–—."


def title_from(text: str, limit: int = TITLE_LIMIT) -> str:
    """A short title for an objective drafted from `text`: its first line if that is short
    enough, else its first sentence, else the first words that fit, ending with "…".

    The team rewrites the title anyway; the point is a readable starting place, never a cut in
    the middle of a word."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    first = " ".join(lines[0].split())
    if len(first) <= limit:
        return first.rstrip(_TRAILING)
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0].strip()
    if len(sentence) <= limit:
        return sentence.rstrip(_TRAILING)
    room = limit - len(ELLIPSIS)
    cut = first[: room + 1]
    space = cut.rfind(" ")
    # A single very long word is cut where it must be; otherwise at the last whole word.
    words = cut[:space] if space > room // 2 else first[:room]
    return words.rstrip(_TRAILING + "!?") + ELLIPSIS
