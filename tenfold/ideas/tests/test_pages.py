"""Pages of the ideas board per persona, the htmx fragments (vote, add, comments), promoting
from the web, and constant query counts on the board."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaVote
from tenfold.ideas.services import comment_add, idea_add, idea_archive, vote_add
from tenfold.okrs.models import Objective, ObjectiveState

from .conftest import access_of

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body. The idea is Bob's, and so is the comment.
EXPECTED = {
    ("ideas", "GET"): (302, 200, 200, 200, 200, 404),
    ("ideas", "POST"): (302, 405, 405, 405, 405, 405),
    ("idea_add", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_add", "POST"): (302, 400, 400, 400, 403, 404),
    ("idea", "GET"): (302, 200, 200, 200, 200, 404),
    ("idea", "POST"): (302, 405, 405, 405, 405, 405),
    ("idea_edit", "GET"): (302, 200, 200, 403, 403, 404),
    ("idea_edit", "POST"): (302, 400, 400, 403, 403, 404),
    ("idea_archive", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_archive", "POST"): (302, 302, 302, 403, 403, 404),
    ("idea_reopen", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_reopen", "POST"): (302, 302, 302, 403, 403, 404),
    ("idea_vote", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_vote", "POST"): (302, 302, 302, 302, 403, 404),
    ("idea_comment_add", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_comment_add", "POST"): (302, 400, 400, 400, 403, 404),
    ("idea_promote", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_promote", "POST"): (302, 400, 400, 400, 403, 404),
    ("idea_comment_edit", "GET"): (302, 403, 200, 403, 403, 404),
    ("idea_comment_edit", "POST"): (302, 403, 400, 403, 403, 404),
    ("idea_comment_delete", "GET"): (302, 405, 405, 405, 405, 405),
    ("idea_comment_delete", "POST"): (302, 302, 404, 404, 404, 404),
}


@pytest.fixture
def comment(org, idea, bob) -> IdeaComment:
    return comment_add(access=access_of(org, bob), idea=idea, body="I would try it in Growth")


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, idea, comment, name, method
):
    kwargs = {"org": org.slug}
    if name.startswith("idea_comment_") and name != "idea_comment_add":
        kwargs["code"] = comment.code
    elif name not in ("ideas", "idea_add"):
        kwargs["code"] = idea.code
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_route_of_the_app_is_in_the_table():
    from tenfold.ideas.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


# --- the board --------------------------------------------------------------------------------


def board(client, org, **params) -> str:
    return client.get(reverse("ideas", args=[org.slug]), params).content.decode()


def test_the_board_asks_the_four_questions_and_sorts_by_votes(
    client, org, team, cycle, bob, carol, alice
):
    bob_access = access_of(org, bob)
    quiet = idea_add(access=bob_access, question="change", text="Quiet idea")
    loved = idea_add(access=bob_access, question="change", text="Loved idea")
    vote_add(access=access_of(org, carol), idea=loved)
    vote_add(access=access_of(org, alice), idea=loved)
    client.force_login(carol)
    page = board(client, org)
    for question in (
        "What could we change to get better results?",
        "What stops us?",
        "What works that we should double down on?",
        "What problems do we face?",
    ):
        assert question in page
    assert page.index("Loved idea") < page.index("Quiet idea")
    newest = board(client, org, sort="new")
    assert newest.index(quiet.text) > newest.index("Loved idea")  # loved was added last
    assert 'aria-pressed="true"' in page  # carol's own vote shows


def test_the_board_filters_by_unit_and_cycle(client, org, team, cycle, next_cycle, bob):
    access = access_of(org, bob)
    idea_add(access=access, question="change", text="For Growth next quarter", unit=team)
    idea_add(access=access, question="change", text="For everyone this quarter", cycle=cycle)
    client.force_login(bob)
    by_unit = board(client, org, unit=team.code)
    assert "For Growth next quarter" in by_unit and "For everyone this quarter" not in by_unit
    by_cycle = board(client, org, cycle=cycle.code)
    assert "For everyone this quarter" in by_cycle and "For Growth next quarter" not in by_cycle
    only = board(client, org, question="blockers")
    assert "For everyone this quarter" not in only


def test_archived_ideas_leave_the_open_board(client, org, idea, bob):
    idea_archive(access=access_of(org, bob), idea=idea)
    client.force_login(bob)
    assert idea.text not in board(client, org)
    assert idea.text in board(client, org, status="archived")


def test_a_viewer_reads_the_board_without_forms_or_vote_buttons(client, org, idea, victor):
    client.force_login(victor)
    page = board(client, org)
    assert idea.text in page
    assert reverse("idea_add", args=[org.slug]) not in page
    assert reverse("idea_vote", args=[org.slug, idea.code]) not in page


def test_the_board_shows_comment_counts(client, org, idea, bob, carol):
    comment_add(access=access_of(org, carol), idea=idea, body="One")
    comment_add(access=access_of(org, carol), idea=idea, body="Two")
    client.force_login(bob)
    assert "2 comments" in board(client, org)


# --- htmx: vote and add -----------------------------------------------------------------------


def test_voting_with_htmx_swaps_the_button_with_the_new_count(client, org, idea, carol):
    client.force_login(carol)
    url = reverse("idea_vote", args=[org.slug, idea.code])
    response = client.post(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="vote-{idea.code}"' in html
    assert (
        'aria-pressed="true"' in html
        and '<span class="vote-count" data-testid="vote-count">1<' in html
    )
    again = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-pressed="false"' in again and 'data-testid="vote-count">0<' in again
    assert not IdeaVote.objects.exists()


def test_a_plain_vote_redirects_back(client, org, idea, carol):
    client.force_login(carol)
    url = reverse("idea_vote", args=[org.slug, idea.code])
    back = reverse("ideas", args=[org.slug]) + "?sort=new"
    response = client.post(url, {"next": back})
    assert response.status_code == 302 and response.url == back
    assert IdeaVote.objects.filter(idea=idea, user=carol).exists()
    elsewhere = client.post(url, {"next": "https://evil.example/"})
    assert elsewhere.url == reverse("idea", args=[org.slug, idea.code])


def test_adding_with_htmx_returns_the_section_with_the_idea_and_a_fresh_form(
    client, org, team, cycle, bob
):
    client.force_login(bob)
    response = client.post(
        reverse("idea_add", args=[org.slug]),
        {"question": "blockers", "text": "Releases wait for one reviewer", "cycle": cycle.code},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="ideas-blockers"' in html and "ideas-change" not in html
    assert "Releases wait for one reviewer" in html
    assert "autofocus" in html  # the cursor goes back to the empty text box
    idea = Idea.objects.get()
    assert (idea.question, idea.cycle, idea.author) == ("blockers", cycle, bob)


def test_an_empty_idea_with_htmx_is_refused_in_place(client, org, team, cycle, bob):
    client.force_login(bob)
    response = client.post(
        reverse("idea_add", args=[org.slug]),
        {"question": "problems", "text": "  "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ideas-problems"' in html and "Write something first." in html
    assert not Idea.objects.exists()


def test_a_plain_add_redirects_and_a_bad_one_answers_400(client, org, team, cycle, bob):
    client.force_login(bob)
    url = reverse("idea_add", args=[org.slug])
    response = client.post(url, {"question": "change", "text": "Office hours", "unit": team.code})
    assert response.status_code == 302
    assert Idea.objects.get().unit == team
    bad = client.post(url, {"question": "change", "text": "x" * 2001})
    assert bad.status_code == 400
    assert "under 2000 characters" in bad.content.decode()
    assert Idea.objects.count() == 1


def test_no_cycle_may_be_chosen_and_an_absent_cycle_means_the_default(
    client, org, team, cycle, next_cycle, bob
):
    client.force_login(bob)
    url = reverse("idea_add", args=[org.slug])
    client.post(url, {"question": "change", "text": "Any time", "cycle": "none"})
    client.post(url, {"question": "change", "text": "Default"})
    assert dict(Idea.objects.values_list("text", "cycle")) == {
        "Any time": None,
        "Default": next_cycle.pk,
    }


# --- one idea ---------------------------------------------------------------------------------


def test_the_idea_page_shows_details_comments_and_the_forms_allowed(client, org, idea, bob, carol):
    comment_add(access=access_of(org, carol), idea=idea, body="Worth a try")
    client.force_login(carol)
    page = client.get(reverse("idea", args=[org.slug, idea.code])).content.decode()
    assert "Churn is highest" in page and "Worth a try" in page
    assert reverse("idea_edit", args=[org.slug, idea.code]) not in page  # not carol's idea
    assert reverse("idea_promote", args=[org.slug, idea.code]) in page  # carol leads Growth
    client.force_login(bob)
    page = client.get(reverse("idea", args=[org.slug, idea.code])).content.decode()
    assert reverse("idea_edit", args=[org.slug, idea.code]) in page


def test_a_viewer_sees_no_promote_or_comment_form(client, org, idea, victor):
    client.force_login(victor)
    page = client.get(reverse("idea", args=[org.slug, idea.code])).content.decode()
    assert reverse("idea_promote", args=[org.slug, idea.code]) not in page
    assert reverse("idea_comment_add", args=[org.slug, idea.code]) not in page


def test_commenting_with_htmx_returns_the_comments(client, org, idea, carol):
    client.force_login(carol)
    url = reverse("idea_comment_add", args=[org.slug, idea.code])
    response = client.post(url, {"body": "Let's pilot it"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="comments"' in html and "Let&#x27;s pilot it" in html and "1 comment" in html
    refused = client.post(url, {"body": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "Write something first." in refused
    assert IdeaComment.objects.count() == 1


def test_editing_a_comment_with_htmx_swaps_the_one_comment(client, org, idea, carol):
    comment = comment_add(access=access_of(org, carol), idea=idea, body="Frist")
    client.force_login(carol)
    url = reverse("idea_comment_edit", args=[org.slug, comment.code])
    form = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in form and "<textarea" in form and "Frist" in form
    saved = client.post(url, {"body": "First"}, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="comment-{comment.code}"' in saved and "First" in saved and "edited" in saved
    comment.refresh_from_db()
    assert comment.body == "First"


def test_deleting_a_comment_with_htmx_returns_the_comments(client, org, idea, carol):
    comment = comment_add(access=access_of(org, carol), idea=idea, body="Oops")
    client.force_login(carol)
    url = reverse("idea_comment_delete", args=[org.slug, comment.code])
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="comments"' in html and "Oops" not in html and "0 comments" in html
    assert not IdeaComment.objects.exists()


def test_the_author_edits_an_idea_on_its_page(client, org, idea, bob, next_cycle):
    client.force_login(bob)
    url = reverse("idea_edit", args=[org.slug, idea.code])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "question": "double_down",
            "text": "Buddies for all",
            "details": "",
            "unit": "",
            "cycle": next_cycle.code,
            "version": idea.version,
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert (idea.text, idea.question, idea.unit, idea.cycle) == (
        "Buddies for all",
        "double_down",
        None,
        next_cycle,
    )


def test_archive_and_reopen_from_the_idea_page(client, org, idea, bob):
    client.force_login(bob)
    client.post(reverse("idea_archive", args=[org.slug, idea.code]))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ARCHIVED
    client.post(reverse("idea_reopen", args=[org.slug, idea.code]))
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


# --- promote ----------------------------------------------------------------------------------


def test_promoting_opens_the_draft_objectives_edit_page(client, org, idea, carol, team, next_cycle):
    client.force_login(carol)
    response = client.post(
        reverse("idea_promote", args=[org.slug, idea.code]),
        {"unit": team.code, "cycle": next_cycle.code},
    )
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("objective_edit", args=[org.slug, objective.code])
    assert (objective.state, objective.unit, objective.cycle) == (
        ObjectiveState.DRAFT,
        team,
        next_cycle,
    )
    idea.refresh_from_db()
    assert idea.promoted_to == objective
    page = client.get(reverse("idea", args=[org.slug, idea.code])).content.decode()
    assert reverse("objective", args=[org.slug, objective.code]) in page


def test_promoting_into_a_unit_one_may_not_create_in_is_forbidden(
    client, org, idea, bob, company, cycle
):
    client.force_login(bob)
    response = client.post(
        reverse("idea_promote", args=[org.slug, idea.code]),
        {"unit": company.code, "cycle": cycle.code},
    )
    assert response.status_code == 403
    assert not Objective.objects.exists()


def test_promoting_a_promoted_idea_answers_400_with_the_reason(
    client, org, idea, carol, team, cycle
):
    client.force_login(carol)
    url = reverse("idea_promote", args=[org.slug, idea.code])
    client.post(url, {"unit": team.code, "cycle": cycle.code})
    again = client.post(url, {"unit": team.code, "cycle": cycle.code})
    assert again.status_code == 400
    assert "already became an objective" in again.content.decode()
    assert Objective.objects.count() == 1


# --- query counts -----------------------------------------------------------------------------


def _crowd(org, team, cycle, people, count: int) -> None:
    """`count` more ideas across the four questions, each with votes and comments."""
    questions = ("change", "blockers", "double_down", "problems")
    accesses = [access_of(org, person) for person in people]
    start = Idea.objects.count()
    for n in range(start, start + count):
        author = accesses[n % len(accesses)]
        idea = idea_add(
            access=author,
            question=questions[n % 4],
            text=f"Idea number {n}",
            unit=team if n % 2 else None,
            cycle=cycle,
        )
        for voter in accesses[: 1 + n % len(accesses)]:
            vote_add(access=voter, idea=idea)
        comment_add(access=author, idea=idea, body=f"Comment on {n}")
        comment_add(access=accesses[0], idea=idea, body="Plus one")


def test_the_board_runs_the_same_queries_for_5_and_50_ideas(
    client, org, team, cycle, alice, bob, carol, django_assert_max_num_queries
):
    client.force_login(bob)
    url = reverse("ideas", args=[org.slug])
    client.get(url)  # the first visit stores the organization in the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _crowd(org, team, cycle, [alice, bob, carol], 5)
    few = count()
    _crowd(org, team, cycle, [alice, bob, carol], 45)
    assert Idea.objects.count() == 50
    assert IdeaVote.objects.count() > 50 and IdeaComment.objects.count() == 100
    assert count() == few
    with django_assert_max_num_queries(15):
        page = client.get(url).content.decode()
    assert page.count('data-testid="idea"') == 50


def test_the_filtered_board_and_htmx_add_stay_constant_too(
    client, org, team, cycle, alice, bob, carol, django_assert_max_num_queries
):
    _crowd(org, team, cycle, [alice, bob, carol], 50)
    client.force_login(carol)
    client.get(reverse("ideas", args=[org.slug]))
    with django_assert_max_num_queries(15):
        client.get(reverse("ideas", args=[org.slug]), {"unit": team.code, "sort": "new"})
    with django_assert_max_num_queries(25):
        client.post(
            reverse("idea_add", args=[org.slug]),
            {"question": "change", "text": "One more"},
            HTTP_HX_REQUEST="true",
        )


def test_the_idea_page_runs_the_same_queries_for_2_and_40_comments(client, org, idea, bob, carol):
    client.force_login(bob)
    url = reverse("idea", args=[org.slug, idea.code])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for n in range(2):
        comment_add(access=access_of(org, carol), idea=idea, body=f"c{n}")
    few = count()
    for n in range(38):
        comment_add(access=access_of(org, bob if n % 2 else carol), idea=idea, body=f"d{n}")
    assert count() == few
