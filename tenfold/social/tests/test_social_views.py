"""Reactions, marking mentions read, the activity pages, and comments and reactions on the
objective page."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.social.models import Mention, Reaction
from tenfold.social.selectors import unread_mentions
from tenfold.social.services import comment_add, reaction_toggle

from .conftest import HTMX, access_of


def reactions_url(org, kind, code):
    return reverse("reactions", args=[org.slug, kind, code])


# --- reactions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 302), ("bob", 302), ("carol", 302), ("victor", 403), ("mallory", 404)],
)
def test_who_may_react(client, request, org, other_org, objective, persona, status):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reactions_url(org, "objective", objective.code), {"emoji": "rocket"})
    assert response.status_code == status
    assert Reaction.objects.count() == (1 if status == 302 else 0)


def test_a_reaction_toggles_with_htmx_and_answers_with_the_bar(client, org, bob, key_result):
    client.force_login(bob)
    url = reactions_url(org, "key-result", key_result.code)
    response = client.post(url, {"emoji": "party"}, headers=HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert f'id="reactions-key-result-{key_result.code}"' in text
    assert 'aria-pressed="true"' in text
    assert Reaction.objects.get().emoji == "party"
    again = client.post(url, {"emoji": "party"}, headers=HTMX).content.decode()
    assert 'aria-pressed="true"' not in again
    assert not Reaction.objects.exists()


def test_a_plain_reaction_returns_to_the_page_it_came_from(client, org, bob, objective):
    client.force_login(bob)
    page = reverse("objective", args=[org.slug, objective.code])
    url = reactions_url(org, "objective", objective.code)
    response = client.post(url, {"emoji": "heart", "next": page})
    assert response["Location"] == page
    outside = client.post(url, {"emoji": "eyes", "next": "https://evil.example/"})
    assert outside["Location"] == page  # the objective's page, never another site


def test_reacting_to_a_comment(client, org, bob, carol, objective):
    comment = comment_add(access=access_of(carol, org), target=objective, body="Ship it?")
    client.force_login(bob)
    response = client.post(reactions_url(org, "comment", comment.code), {"emoji": "thumbs_up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.code}")
    assert Reaction.objects.get().comment == comment


def test_a_bad_emoji_is_refused(client, org, bob, objective):
    client.force_login(bob)
    url = reactions_url(org, "objective", objective.code)
    assert client.post(url, {"emoji": "poo"}).status_code == 400
    htmx = client.post(url, {}, headers=HTMX)
    assert htmx.status_code == 200
    assert "Choose one of the offered reactions" in htmx.content.decode()
    assert not Reaction.objects.exists()


def test_reactions_answer_only_posts_and_known_kinds(client, org, bob, objective):
    client.force_login(bob)
    assert client.get(reactions_url(org, "objective", objective.code)).status_code == 405
    assert (
        client.post(reactions_url(org, "unit", objective.code), {"emoji": "eyes"}).status_code
        == 404
    )


# --- mentions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 302), ("bob", 302), ("carol", 302), ("victor", 302), ("mallory", 404)],
)
def test_everyone_in_the_organization_marks_their_mentions_read(
    client, request, org, other_org, team, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("mentions_read", args=[org.slug])).status_code == status


def test_marking_read_with_htmx_empties_the_panel(client, org, bob, carol, objective):
    comment_add(access=access_of(bob, org), target=objective, body="@carol please look")
    client.force_login(carol)
    response = client.post(reverse("mentions_read", args=[org.slug]), headers=HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="mentions-panel"' in text
    assert "Nobody has mentioned you" in text
    assert not Mention.objects.filter(read_at__isnull=True).exists()
    assert client.get(reverse("mentions_read", args=[org.slug])).status_code == 405


def test_the_mentions_panel_lists_unread_mentions(org, bob, carol, objective):
    comment_add(access=access_of(bob, org), target=objective, body="@carol <look>")
    request = RequestFactory().get("/")
    request.user = carol
    html = render_to_string(
        "social/_mentions_panel.html",
        {"org": org, "mentions": unread_mentions(access_of(carol, org))},
        request=request,
    )
    assert f"Bob Member mentioned you on “{objective.title}”" in html
    assert "@carol &lt;look&gt;" in html
    assert reverse("mentions_read", args=[org.slug]) in html


# --- activity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("victor", 200), ("mallory", 404)],
)
def test_who_sees_the_activity_pages(client, request, org, other_org, team, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("activity", args=[org.slug])).status_code == status
    assert client.get(reverse("unit_activity", args=[org.slug, team.code])).status_code == status


def test_the_activity_page_and_its_fragment(client, org, bob, objective, key_result):
    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(bob)
    page = client.get(reverse("activity", args=[org.slug])).content.decode()
    fragment = client.get(reverse("activity", args=[org.slug]), headers=HTMX).content.decode()
    assert "<html" in page
    assert "<html" not in fragment
    for text in (page, fragment):
        assert f"Bob Member checked in 34 on “{key_result.title}”" in text


def test_an_unknown_unit_is_a_404(client, org, bob, team):
    client.force_login(bob)
    assert client.get(reverse("unit_activity", args=[org.slug, "nosuchunit"])).status_code == 404


def test_the_activity_page_runs_the_same_queries_for_3_or_60_events_and_pages_back(
    client, org, bob, team, key_result, django_assert_num_queries
):
    client.force_login(bob)
    url = reverse("activity", args=[org.slug])
    unit_url = reverse("unit_activity", args=[org.slug, team.code])

    def add(count):
        for n in range(count):
            checkin_record(key_result=key_result, value=n, by=bob)

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with CaptureQueriesContext(connection) as small_unit:
        client.get(unit_url)
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    with django_assert_num_queries(len(small_unit.captured_queries)):
        client.get(unit_url)
    text = response.content.decode()
    assert text.count('data-testid="event"') == 50
    assert "?before=" in text
    before = text.split("?before=")[1].split('"')[0]
    older = client.get(url, {"before": before}).content.decode()
    assert older.count('data-testid="event"') > 0
    assert "?before=" not in older
    assert client.get(url, {"before": "junk"}).status_code == 200


# --- on the objective page -----------------------------------------------------------------


def test_the_objective_page_shows_counts_reactions_and_thread_links(
    client, org, bob, carol, objective, key_result
):
    comment_add(access=access_of(carol, org), target=key_result, body="One")
    comment_add(access=access_of(carol, org), target=key_result, body="Two")
    comment_add(access=access_of(carol, org), target=objective, body="Three")
    reaction_toggle(access=access_of(bob, org), target=key_result, emoji="rocket")
    client.force_login(bob)
    text = client.get(reverse("objective", args=[org.slug, objective.code])).content.decode()
    assert reverse("comments", args=[org.slug, "key-result", key_result.code]) in text
    assert reverse("comments", args=[org.slug, "objective", objective.code]) in text
    assert "2 comments" in text
    assert "1 comment<" in text
    assert f'id="reactions-key-result-{key_result.code}"' in text
    assert reverse("key_result", args=[org.slug, key_result.code]) in text


def test_the_objective_page_keeps_a_fixed_number_of_queries_with_comments(
    client, org, carol, objective, django_assert_num_queries, no_fragments
):
    from tenfold.okrs.services import key_result_create

    client.force_login(carol)
    url = reverse("objective", args=[org.slug, objective.code])

    def add(count):
        for n in range(count):
            kr = key_result_create(
                objective=objective, title=f"KR {n}", kind="increase", start=0, target=10, by=carol
            )
            comment_add(access=access_of(carol, org), target=kr, body="Hm")
            reaction_toggle(access=access_of(carol, org), target=kr, emoji="eyes")

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add(10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-testid="kr-social"') == 12
    assert response.content.decode().count("reaction-mine") == 12  # carol's own, marked
