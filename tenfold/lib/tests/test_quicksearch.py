"""The text rules of quick search, without a database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tenfold.lib.quicksearch import (
    MAX_WORDS,
    QUERY_MAX,
    clean_query,
    label_matches,
    query_words,
)


def refusal(text: str | None) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        clean_query(text)
    messages = caught.value.message_dict
    assert list(messages) == ["q"]
    return caught.value.error_dict["q"][0].code or "", messages["q"][0]


def test_it_keeps_the_words_and_makes_white_space_one_space() -> None:
    assert clean_query("  Grow \t the\n\nbase  ") == "Grow the base"


def test_it_drops_control_characters_a_database_would_refuse() -> None:
    assert clean_query("on\x00board\x07ing") == "on board ing"
    assert clean_query("\u200bgrowth") == "growth"  # a zero-width space is not printable


@pytest.mark.parametrize("text", [None, "", "   ", "\x00\t\n"])
def test_an_empty_query_is_refused_with_a_message(text: str | None) -> None:
    code, message = refusal(text)
    assert code == "required"
    assert message == "Type a few letters of a title, a name or a code to search for."


def test_a_query_longer_than_the_limit_is_refused_and_says_how_long_it_is() -> None:
    assert clean_query("a" * QUERY_MAX) == "a" * QUERY_MAX
    code, message = refusal("a" * (QUERY_MAX + 1))
    assert code == "max_length"
    assert message == "Search for at most 100 characters (this has 101)."


def test_white_space_does_not_count_toward_the_limit() -> None:
    assert clean_query(" " * 500 + "growth" + " " * 500) == "growth"


def test_words_are_distinct_in_lower_case_longest_first() -> None:
    assert query_words("Grow the GROW base") == ["base", "grow", "the"]


def test_a_word_inside_another_word_adds_nothing() -> None:
    assert query_words("on onboarding board") == ["onboarding"]


def test_at_most_six_words_are_matched() -> None:
    words = query_words("alpha bravo charlie delta echo foxtrot golf hotel")
    assert len(words) == MAX_WORDS == 6
    assert words == ["charlie", "foxtrot", "alpha", "bravo", "delta", "hotel"]


def test_a_label_matches_when_every_word_is_in_it_or_its_keywords() -> None:
    assert label_matches("my week", "Go to my week")
    assert label_matches("WEEK go", "Go to my week")
    assert label_matches("plans", "Go to my week", "plans progress problems")
    assert not label_matches("team week", "Go to my week")


@given(st.text(max_size=300))
def test_a_cleaned_query_is_clean_and_cleaning_it_again_changes_nothing(text: str) -> None:
    try:
        cleaned = clean_query(text)
    except ValidationError:
        return
    assert 0 < len(cleaned) <= QUERY_MAX
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert all(char.isprintable() for char in cleaned)
    assert clean_query(cleaned) == cleaned
    assert 1 <= len(query_words(cleaned)) <= MAX_WORDS
