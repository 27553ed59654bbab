"""The ideas endpoints of API v1, every response checked against the OpenAPI document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaVote
from tenfold.ideas.services import comment_add, idea_add, vote_add
from tenfold.okrs.models import Cycle, CycleState, Objective

from .conftest import access_of

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty body).
# The vote and unvote operations share one path: POST votes, DELETE takes the vote back.
EXPECTED = {
    ("api:list_ideas", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:list_ideas", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:create_idea", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:create_idea", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:get_one_idea", "GET"): (401, 200, 200, 200, 200, 404),
    ("api:get_one_idea", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:vote_idea", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:vote_idea", "POST"): (401, 200, 200, 200, 403, 404),
    ("api:unvote_idea", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:unvote_idea", "POST"): (401, 200, 200, 200, 403, 404),
    ("api:comment_idea", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:comment_idea", "POST"): (401, 400, 400, 400, 400, 404),
    ("api:promote_idea", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:promote_idea", "POST"): (401, 400, 400, 400, 400, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, idea, name, method
):
    kwargs = {"org": org.slug}
    if name not in ("api:list_ideas", "api:create_idea"):
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


@pytest.fixture
def api(client, org, team, carol) -> OpenApiClient:
    return OpenApiClient(client, token_for(carol, org))


def delete(api: OpenApiClient, path: str):
    response = api.client.delete("/api/v1" + path, headers=api._headers())
    return api._check("delete", path, response)


# --- reads ------------------------------------------------------------------------------------


def test_the_list_has_counts_and_my_votes_most_votes_first(api, org, team, cycle, bob, carol):
    bob_access = access_of(org, bob)
    quiet = idea_add(access=bob_access, question="change", text="Quiet")
    loved = idea_add(access=bob_access, question="blockers", text="Loved")
    vote_add(access=access_of(org, carol), idea=loved)
    vote_add(access=bob_access, idea=loved)
    comment_add(access=bob_access, idea=loved, body="Yes")
    response = api.get(f"/orgs/{org.slug}/ideas")
    assert response.status_code == 200
    rows = response.data
    assert [row["code"] for row in rows] == [loved.code, quiet.code]
    assert (rows[0]["votes"], rows[0]["voted"], rows[0]["comment_count"]) == (2, True, 1)
    assert (rows[1]["votes"], rows[1]["voted"]) == (0, False)
    assert rows[0]["question_text"] == "What stops us?"
    newest = api.get(f"/orgs/{org.slug}/ideas?sort=new").data
    assert [row["code"] for row in newest] == [loved.code, quiet.code]
    only = api.get(f"/orgs/{org.slug}/ideas?question=change").data
    assert [row["code"] for row in only] == [quiet.code]


def test_the_list_filters_by_unit_cycle_and_status(api, org, team, cycle, next_cycle, bob):
    access = access_of(org, bob)
    mine = idea_add(access=access, question="change", text="Growth", unit=team, cycle=cycle)
    idea_add(access=access, question="change", text="Everyone")
    by_unit = api.get(f"/orgs/{org.slug}/ideas?unit={team.code}").data
    assert [row["code"] for row in by_unit] == [mine.code]
    by_cycle = api.get(f"/orgs/{org.slug}/ideas?cycle={cycle.code}").data
    assert [row["code"] for row in by_cycle] == [mine.code]
    assert api.get(f"/orgs/{org.slug}/ideas?status=archived").data == []


@pytest.mark.parametrize(
    ("query", "field"),
    [("sort=best", "sort"), ("status=gone", "status"), ("question=why", "question")],
)
def test_unknown_filters_answer_400_naming_the_field(api, org, query, field):
    response = api.get(f"/orgs/{org.slug}/ideas?{query}")
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]


def test_an_unknown_unit_or_cycle_answers_400(api, org):
    response = api.get(f"/orgs/{org.slug}/ideas?unit=nope")
    assert response.status_code == 400 and "unit" in response.data["error"]["fields"]


def test_one_idea_comes_with_its_comments(api, org, idea, bob):
    comment_add(access=access_of(org, bob), idea=idea, body="First thought")
    data = api.get(f"/orgs/{org.slug}/ideas/{idea.code}").data
    assert data["code"] == idea.code and data["unit"]["code"] == idea.unit.code
    assert [c["body"] for c in data["comments"]] == ["First thought"]
    assert data["comments"][0]["author"]["email"] == bob.email


def test_another_organizations_idea_is_not_found(client, org, idea, other_org, mallory):
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/{other_org.slug}/ideas/{idea.code}").status_code == 404
    assert api.get(f"/orgs/{org.slug}/ideas").status_code == 404


# --- writes -----------------------------------------------------------------------------------


def test_create_takes_the_default_cycle_unless_told(api, org, team, cycle, next_cycle):
    response = api.post(
        f"/orgs/{org.slug}/ideas",
        {"question": "double_down", "text": "Weekly demos", "unit": team.code},
    )
    assert response.status_code == 201, response.data
    assert response.data["cycle"]["code"] == next_cycle.code
    assert response.data["unit"]["code"] == team.code
    assert response.data["author"]["email"] == "carol@example.com"
    none = api.post(f"/orgs/{org.slug}/ideas", {"question": "change", "text": "X", "cycle": None})
    assert none.data["cycle"] is None
    chosen = api.post(
        f"/orgs/{org.slug}/ideas", {"question": "change", "text": "Y", "cycle": cycle.code}
    )
    assert chosen.data["cycle"]["code"] == cycle.code


def test_bad_ideas_answer_400_with_fields_and_write_nothing(api, org, team, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    response = api.post(
        f"/orgs/{org.slug}/ideas",
        {"question": "whatever", "text": "", "cycle": cycle.code},
    )
    assert response.status_code == 400
    assert set(response.data["error"]["fields"]) == {"question", "text", "cycle"}
    assert not Idea.objects.exists()


def test_a_viewer_cannot_create_vote_or_comment(client, org, idea, victor):
    api = OpenApiClient(client, token_for(victor, org))
    assert (
        api.post(f"/orgs/{org.slug}/ideas", {"question": "change", "text": "Hi"}).status_code == 403
    )
    assert api.post(f"/orgs/{org.slug}/ideas/{idea.code}/vote", {}).status_code == 403
    assert (
        api.post(f"/orgs/{org.slug}/ideas/{idea.code}/comments", {"body": "Hi"}).status_code == 403
    )
    assert Idea.objects.count() == 1
    assert not IdeaVote.objects.exists() and not IdeaComment.objects.exists()


def test_vote_once_then_unvote(api, org, idea):
    path = f"/orgs/{org.slug}/ideas/{idea.code}/vote"
    first = api.post(path, {})
    assert (first.status_code, first.data) == (200, {"idea": idea.code, "votes": 1, "voted": True})
    twice = api.post(path, {})
    assert twice.status_code == 400 and "already voted" in twice.data["error"]["message"]
    back = delete(api, path)
    assert (back.status_code, back.data["votes"], back.data["voted"]) == (200, 0, False)
    again = delete(api, path)
    assert again.status_code == 400
    assert api.get(f"/orgs/{org.slug}/ideas/{idea.code}").data["voted"] is False


def test_comment_answers_201(api, org, idea):
    response = api.post(f"/orgs/{org.slug}/ideas/{idea.code}/comments", {"body": "Agreed"})
    assert response.status_code == 201
    assert response.data["body"] == "Agreed"
    too_long = api.post(f"/orgs/{org.slug}/ideas/{idea.code}/comments", {"body": "a" * 2001})
    assert too_long.status_code == 400 and "body" in too_long.data["error"]["fields"]


def test_promote_answers_201_with_the_objective(api, org, idea, team, next_cycle):
    response = api.post(
        f"/orgs/{org.slug}/ideas/{idea.code}/promote",
        {"unit": team.code, "cycle": next_cycle.code},
    )
    assert response.status_code == 201, response.data
    objective = Objective.objects.get(code=response.data["objective"])
    assert (response.data["state"], response.data["cycle"], response.data["idea"]) == (
        "draft",
        next_cycle.code,
        idea.code,
    )
    assert objective.unit == team
    idea.refresh_from_db()
    assert (idea.status, idea.promoted_to) == (IdeaStatus.PROMOTED, objective)
    listed = api.get(f"/orgs/{org.slug}/ideas?status=promoted").data
    assert listed[0]["promoted_to"] == objective.code


def test_promote_without_a_cycle_uses_the_ideas_own(api, org, idea, team, cycle):
    response = api.post(f"/orgs/{org.slug}/ideas/{idea.code}/promote", {"unit": team.code})
    assert response.status_code == 201
    assert response.data["cycle"] == cycle.code


def test_promote_is_refused_without_rights_or_into_a_closed_cycle(
    client, org, idea, bob, company, team, cycle
):
    api = OpenApiClient(client, token_for(bob, org))
    path = f"/orgs/{org.slug}/ideas/{idea.code}/promote"
    refused = api.post(path, {"unit": company.code, "cycle": cycle.code})
    assert refused.status_code == 403
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    closed = api.post(path, {"unit": team.code, "cycle": cycle.code})
    assert closed.status_code == 400 and "cycle" in closed.data["error"]["fields"]
    assert not Objective.objects.exists()


def test_the_list_runs_the_same_queries_for_few_and_many_ideas(
    api, org, team, cycle, alice, bob, carol, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_pages import _crowd

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/orgs/{org.slug}/ideas").status_code == 200
        return len(queries)

    count()  # the token records when it was last used, at most once a minute
    _crowd(org, team, cycle, [alice, bob, carol], 5)
    few = count()
    _crowd(org, team, cycle, [alice, bob, carol], 45)
    assert count() == few
    with django_assert_max_num_queries(10):
        assert len(api.get(f"/orgs/{org.slug}/ideas").data) == 50
