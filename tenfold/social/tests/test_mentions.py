"""Finding and rendering @handles: pure text rules, no database."""

from dataclasses import dataclass

import pytest

from tenfold.social.mentions import MAX_MENTIONS, find_handles, handle_map, render_body


@dataclass
class Person:
    email: str
    display_name: str


BOB = Person("bob@example.com", "Bob Member")


@pytest.mark.parametrize(
    ("text", "handles"),
    [
        ("@bob can you look?", ["bob"]),
        ("thanks @Bob.", ["bob"]),
        ("ask @bob@example.com, then @carol!", ["bob@example.com", "carol"]),
        ("(@bob) and @bob again", ["bob"]),
        ("mail me at someone@example.com", []),
        ("@ nobody, @@double", []),
        ("@first.last-name, hi", ["first.last-name"]),
    ],
)
def test_it_finds_the_handles_in_a_text(text, handles):
    assert find_handles(text) == handles


def test_it_keeps_at_most_the_mention_limit():
    text = " ".join(f"@person{n}" for n in range(MAX_MENTIONS + 5))
    assert len(find_handles(text)) == MAX_MENTIONS


def test_a_local_part_two_people_share_only_works_as_the_full_address():
    other = Person("bob@globex.example", "Other Bob")
    handles = handle_map([BOB, other])
    assert "bob" not in handles
    assert handles["bob@example.com"] is BOB
    assert handles["bob@globex.example"] is other


def test_it_highlights_mentioned_people_and_leaves_unknown_handles_as_text():
    html = render_body("Hi @bob and @nobody", [BOB])
    assert html == 'Hi <span class="mention" title="bob@example.com">@Bob Member</span> and @nobody'


def test_it_escapes_everything_the_author_typed():
    evil = Person("bob@example.com", "<b>Bob</b>")
    html = render_body("<script>alert(1)</script> @bob\nnext line", [evil])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "@&lt;b&gt;Bob&lt;/b&gt;" in html
    assert html.endswith("<br>next line")
