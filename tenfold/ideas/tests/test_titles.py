"""Titles drafted from ideas: short, whole words, never empty for real text."""

from __future__ import annotations

import pytest

from tenfold.ideas.titles import TITLE_LIMIT, title_from


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Ship smaller releases every week", "Ship smaller releases every week"),
        ("Ship smaller releases.", "Ship smaller releases"),
        ("  Fewer   meetings on Fridays  ", "Fewer meetings on Fridays"),
        ("Why do trials stall?", "Why do trials stall?"),
        ("Faster onboarding\nBecause the first week decides churn.", "Faster onboarding"),
        (
            "Answer support tickets within a day. Today customers wait three days on average "
            "and many of them leave before we answer.",
            "Answer support tickets within a day",
        ),
        ("", ""),
        ("\n \n", ""),
    ],
)
def test_it_keeps_the_first_line_or_sentence(text, title):
    assert title_from(text) == title


def test_a_long_sentence_is_cut_at_a_whole_word_with_an_ellipsis():
    text = (
        "We should stop starting new projects before the ones we already have are finished "
        "because half-done work costs us every week"
    )
    title = title_from(text)
    assert len(title) <= TITLE_LIMIT
    assert title.endswith("…")
    assert text.startswith(title[:-1])
    assert text[len(title) - 1] == " "  # the cut falls between words


def test_one_endless_word_is_cut_where_it_must_be():
    title = title_from("x" * 300)
    assert title == "x" * (TITLE_LIMIT - 1) + "…"


@pytest.mark.parametrize("length", [1, 10, 69, 70, 71, 140, 2000])
def test_titles_never_exceed_the_limit(length):
    text = " ".join(["word"] * length)[:length]
    assert len(title_from(text)) <= TITLE_LIMIT
