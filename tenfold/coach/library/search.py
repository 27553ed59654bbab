"""Searching the library: case- and accent-insensitive, every word of the query must appear,
in the active language or in English, and Chinese matches on substrings (it has no spaces)."""

from __future__ import annotations

import unicodedata
from functools import cache

from .catalogue import _examples, language_key
from .model import Example

MAX_QUERY = 200
# Punctuation people type around words; a query "churn," still finds "churn".
EDGES = "\"'“”‘’«»¿?¡!.,;:()[]{}，。、；：？！（）《》「」"


def fold(text: str) -> str:
    """Text for comparing: compatibility forms unified (full-width letters, ligatures), accents
    dropped (é → e, ñ → n), case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare).casefold()


def terms(query: str) -> list[str]:
    words = (fold(word).strip(EDGES) for word in (query or "")[:MAX_QUERY].split())
    return [word for word in words if word]


def _haystack(example: Example) -> str:
    parts = [
        example.title,
        example.description,
        example.function_label,
        example.note,
        *example.plans,
        *(kr.title for kr in example.key_results),
        *(kr.unit_label for kr in example.key_results),
    ]
    return fold("\n".join(part for part in parts if part))


@cache
def _index(language: str) -> tuple[tuple[Example, str, str], ...]:
    """Each example of `language` with the text a query is matched against (its own words and
    the English ones) and its folded title, for ranking."""
    english = _examples("en")
    return tuple(
        (
            local,
            _haystack(local) + ("" if language == "en" else "\n" + _haystack(source)),
            fold(local.title + "\n" + source.title),
        )
        for local, source in zip(_examples(language), english, strict=True)
    )


def search(query: str, function: str | None = None, language: str | None = None) -> list[Example]:
    """Examples matching every word of `query` (all of them when it is empty), optionally of
    one function. Those whose title holds every word come first; otherwise catalogue order."""
    words = terms(query)
    found: list[tuple[int, int, Example]] = []
    for position, (item, text, title) in enumerate(_index(language_key(language))):
        if function and item.function != function:
            continue
        if all(word in text for word in words):
            in_title = bool(words) and all(word in title for word in words)
            found.append((0 if in_title else 1, position, item))
    return [item for _rank, _position, item in sorted(found, key=lambda row: row[:2])]
