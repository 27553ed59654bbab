"""The planning board, the approval queue, the alignment session and the proposal actions,
per persona; htmx answers; constant query counts."""

# The planning fixtures are imported from the rules' tests; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.okrs import planning as plans
from tenfold.okrs.models import Objective, ObjectiveState
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.okrs.tests.test_planning import (  # noqa: F401  (fixtures)
    access_of,
    approval_off,
    dana,
    dept,
    draft,
    goal,
    next_cycle,
    proposal,
)
from tenfold.organizations.models import UnitKind
from tenfold.organizations.services import person_add, unit_create
from tenfold.social.models import Comment

HTMX = {"HTTP_HX_REQUEST": "true"}


def board_url(org: Any, cycle: Any) -> str:
    return reverse("planning", kwargs={"org": org.slug, "code": cycle.code})


def action_url(name: str, org: Any, objective: Any) -> str:
    return reverse(name, kwargs={"org": org.slug, "code": objective.code})


def state_of(objective: Objective) -> str:
    return Objective.objects.get(pk=objective.pk).state


# --- the board ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor", "dana"])
def test_every_member_sees_the_board(client, org, goal, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(board_url(org, goal.cycle))
    assert response.status_code == 200
    body = response.content.decode()
    assert goal.title in body and "New customers give up" in body  # the company's why
    assert "Growth" in body and "Product" in body
    assert draft.title in body  # in Growth's backlog
    assert "Approval is on" in body


def test_the_board_of_another_organization_is_not_found(client, org, goal, mallory, other_org):
    client.force_login(mallory)
    assert client.get(board_url(org, goal.cycle)).status_code == 404
    assert client.get(reverse("planning_next", kwargs={"org": org.slug})).status_code == 404
    assert client.get(reverse("approvals", kwargs={"org": org.slug})).status_code == 404
    session = reverse("alignment_session", kwargs={"org": org.slug, "code": goal.cycle.code})
    assert client.get(session).status_code == 404


def test_a_cycle_code_of_another_organization_is_not_found(client, org, other_org, alice):
    client.force_login(alice)
    theirs = other_org.cycles.get()
    assert client.get(board_url(org, theirs)).status_code == 404


def test_the_next_cycle_board_shows_the_cycle_in_planning(client, org, cycle, team, goal, bob):
    client.force_login(bob)
    response = client.get(reverse("planning_next", kwargs={"org": org.slug}))
    assert response.status_code == 200
    assert response.context["board"].cycle == goal.cycle


def test_the_next_cycle_board_without_any_cycle_says_so(client, org, alice):
    client.force_login(alice)
    response = client.get(reverse("planning_next", kwargs={"org": org.slug}))
    assert response.status_code == 200
    assert "Nothing to plan yet" in response.content.decode()


def test_team_members_get_propose_and_new_draft_but_viewers_do_not(
    client, org, team, draft, bob, victor
):
    new_draft = reverse("objective_new", kwargs={"org": org.slug})
    new_draft += f"?unit={team.code}&amp;cycle={draft.cycle.code}"
    client.force_login(bob)
    body = client.get(board_url(org, draft.cycle)).content.decode()
    assert action_url("objective_propose", org, draft) in body
    assert new_draft in body
    client.force_login(victor)
    body = client.get(board_url(org, draft.cycle)).content.decode()
    assert action_url("objective_propose", org, draft) not in body
    assert new_draft not in body


def test_leads_above_see_approve_and_return(client, org, proposal, dana, carol):
    client.force_login(dana)
    body = client.get(board_url(org, proposal.cycle)).content.decode()
    assert action_url("objective_approve", org, proposal) in body
    assert action_url("objective_return", org, proposal) in body
    client.force_login(carol)
    body = client.get(board_url(org, proposal.cycle)).content.decode()
    assert action_url("objective_approve", org, proposal) not in body


def test_with_approval_off_the_board_says_so_and_offers_activation(
    client, org, approval_off, draft, bob
):
    client.force_login(bob)
    body = client.get(board_url(org, draft.cycle)).content.decode()
    assert "Approval is off" in body
    assert action_url("objective_propose", org, draft) not in body
    assert action_url("objective_activate", org, draft) in body


def test_each_card_links_to_its_comment_thread(client, org, proposal, bob):
    client.force_login(bob)
    body = client.get(board_url(org, proposal.cycle)).content.decode()
    assert reverse("comments", args=[org.slug, "objective", proposal.code]) in body


# --- actions ----------------------------------------------------------------------------------


def test_proposing_redirects_back_to_the_board(client, org, draft, bob):
    client.force_login(bob)
    response = client.post(action_url("objective_propose", org, draft))
    assert response.status_code == 302
    assert response["Location"] == board_url(org, draft.cycle) + f"#plan-{draft.code}"
    assert state_of(draft) == ObjectiveState.PROPOSED


def test_proposing_with_htmx_answers_the_updated_board(client, org, draft, bob):
    client.force_login(bob)
    response = client.post(action_url("objective_propose", org, draft), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="board"')
    assert "<html" not in body
    card = response.context["board"].card(draft.code)
    assert card.objective.state == ObjectiveState.PROPOSED and not card.in_backlog


def test_a_viewer_may_not_propose(client, org, draft, victor):
    client.force_login(victor)
    assert client.post(action_url("objective_propose", org, draft)).status_code == 403
    assert client.post(action_url("objective_propose", org, draft), **HTMX).status_code == 403
    assert state_of(draft) == ObjectiveState.DRAFT


def test_the_team_may_not_approve_its_own_proposal(client, org, proposal, bob, carol):
    for user in (bob, carol):
        client.force_login(user)
        assert client.post(action_url("objective_approve", org, proposal)).status_code == 403
    assert state_of(proposal) == ObjectiveState.PROPOSED


def test_the_lead_above_approves_from_the_board_with_htmx(client, org, proposal, dana):
    client.force_login(dana)
    response = client.post(action_url("objective_approve", org, proposal), **HTMX)
    assert response.status_code == 200
    assert state_of(proposal) == ObjectiveState.APPROVED
    assert "Approved" in response.content.decode()


def test_approving_your_own_teams_proposal_is_refused_with_the_reason(
    client, org, draft, team, dana, alice
):
    person_add(organization=org, email=dana.email, units=[team], by=alice)
    plans.proposal_submit(access=access_of(org, dana), objective=draft, by=dana)
    events = AuditEvent.objects.count()
    client.force_login(dana)
    response = client.post(action_url("objective_approve", org, draft))
    assert response.status_code == 403
    assert "someone else approves" in response.content.decode()
    response = client.post(action_url("objective_approve", org, draft), **HTMX)
    assert response.status_code == 200
    assert "someone else approves" in response.content.decode()
    assert state_of(draft) == ObjectiveState.PROPOSED
    assert AuditEvent.objects.count() == events


def test_returning_without_a_comment_is_refused_on_the_card(client, org, proposal, dana):
    client.force_login(dana)
    response = client.post(action_url("objective_return", org, proposal), {"comment": " "})
    assert response.status_code == 400
    assert "Say what should change" in response.content.decode()
    response = client.post(action_url("objective_return", org, proposal), {"comment": ""}, **HTMX)
    assert response.status_code == 200
    card = response.context["board"].card(proposal.code)
    assert card.errors and "Say what should change" in card.errors[0]
    assert state_of(proposal) == ObjectiveState.PROPOSED
    assert not Comment.objects.exists()


def test_returning_with_a_comment_sends_it_back_and_posts_the_comment(client, org, proposal, dana):
    client.force_login(dana)
    response = client.post(
        action_url("objective_return", org, proposal),
        {"comment": "What number moves?"},
        **HTMX,
    )
    assert response.status_code == 200
    assert state_of(proposal) == ObjectiveState.DRAFT
    assert Comment.objects.get().body == "What number moves?"
    assert "Returned" in response.content.decode()


def test_activating_a_draft_when_approval_is_off(client, org, approval_off, draft, bob):
    client.force_login(bob)
    response = client.post(action_url("objective_activate", org, draft))
    assert response.status_code == 302
    assert state_of(draft) == ObjectiveState.ACTIVE


def test_activating_a_draft_when_approval_is_on_is_refused(client, org, draft, bob):
    client.force_login(bob)
    response = client.post(action_url("objective_activate", org, draft))
    assert response.status_code == 400
    assert "Propose it first" in response.content.decode()
    assert state_of(draft) == ObjectiveState.DRAFT


def test_actions_are_post_only(client, org, draft, bob):
    client.force_login(bob)
    assert client.get(action_url("objective_propose", org, draft)).status_code == 405


def test_another_organizations_objective_is_not_found(client, org, draft, mallory, other_org):
    client.force_login(mallory)
    assert client.post(action_url("objective_propose", org, draft)).status_code == 404


# --- the approval queue ---------------------------------------------------------------------


def test_the_queue_lists_proposals_waiting_for_the_viewer(client, org, proposal, dana, bob):
    url = reverse("approvals", kwargs={"org": org.slug})
    client.force_login(dana)
    response = client.get(url)
    assert response.status_code == 200
    assert [card.code for card in response.context["queue"]] == [proposal.code]
    assert proposal.title in response.content.decode()
    client.force_login(bob)
    response = client.get(url)
    assert response.context["queue"] == []
    assert "Nothing waits for you" in response.content.decode()


def test_approving_from_the_queue_answers_the_queue(client, org, proposal, dana):
    client.force_login(dana)
    response = client.post(
        action_url("objective_approve", org, proposal), {"from": "approvals"}, **HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="queue"')
    assert response.context["queue"] == []
    response = client.post(action_url("objective_approve", org, proposal), {"from": "approvals"})
    assert response.status_code == 400  # already approved: said, and nothing changes
    assert "Only a proposal" in response.content.decode()


def test_a_plain_post_from_the_queue_redirects_to_the_queue(client, org, proposal, dana):
    client.force_login(dana)
    response = client.post(
        action_url("objective_return", org, proposal), {"from": "approvals", "comment": "Why?"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("approvals", kwargs={"org": org.slug})


def test_with_approval_off_the_queue_says_so(client, org, approval_off, dana):
    client.force_login(dana)
    body = client.get(reverse("approvals", kwargs={"org": org.slug})).content.decode()
    assert "Approval is off" in body


# --- the alignment session ----------------------------------------------------------------


def session_url(org: Any, cycle: Any) -> str:
    return reverse("alignment_session", kwargs={"org": org.slug, "code": cycle.code})


def test_the_session_shows_supporters_with_key_results_and_what_is_not_aligned(
    client, org, next_cycle, goal, team, bob, carol, victor
):
    aligned = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Guided setup", by=bob
    )
    key_result_create(objective=aligned, title="Setup done in a day", start=40, target=80, by=bob)
    alignment_link(child=aligned, parent_objective=goal, by=bob)
    plans.proposal_submit(access=access_of(org, bob), objective=aligned, by=bob)
    loose = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Fix the docs", by=bob
    )
    plans.proposal_submit(access=access_of(org, bob), objective=loose, by=bob)
    align_link = reverse("objective", kwargs={"org": org.slug, "code": loose.code}) + "#alignment"

    client.force_login(carol)
    response = client.get(session_url(org, next_cycle))
    assert response.status_code == 200
    body = response.content.decode()
    assert goal.title in body and "Guided setup" in body and "Setup done in a day" in body
    assert "Not aligned yet" in body and "Fix the docs" in body
    assert align_link in body
    assert "push" not in body.lower()

    client.force_login(victor)
    body = client.get(session_url(org, next_cycle)).content.decode()
    assert "Fix the docs" in body and align_link not in body


def test_the_session_spotlights_the_team_presenting(client, org, next_cycle, goal, proposal, bob):
    client.force_login(bob)
    unit = proposal.unit
    response = client.get(session_url(org, next_cycle), {"unit": unit.code})
    assert response.context["presenting"] == unit.code
    response = client.get(session_url(org, next_cycle), {"unit": "nope"})
    assert response.context["presenting"] == ""


# --- query counts ---------------------------------------------------------------------------


def build(org, cycle, goal, alice, size):
    """`size` teams, each with a backlog draft, a proposal aligned to the company objective
    through a key result, and an unaligned proposal."""
    kr = goal.key_results.first() or key_result_create(
        objective=goal, title="Activation", start=10, target=20, by=alice
    )
    company = goal.unit
    count = company.children.count()
    for number in range(count, count + size):
        unit = unit_create(
            organization=org, name=f"Team {number}", parent=company, kind=UnitKind.TEAM, by=alice
        )
        objective_create(organization=org, cycle=cycle, unit=unit, title="Idea", by=alice)
        aligned = objective_create(organization=org, cycle=cycle, unit=unit, title="Up", by=alice)
        key_result_create(objective=aligned, title="More", start=1, target=2, by=alice)
        alignment_link(child=aligned, parent_key_result=kr, by=alice)
        loose = objective_create(organization=org, cycle=cycle, unit=unit, title="Loose", by=alice)
        for objective in (aligned, loose):
            plans.proposal_submit(access=access_of(org, alice), objective=objective, by=alice)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["planning", "alignment_session", "approvals"])
@pytest.mark.parametrize("persona", ["alice", "bob", "dana"])
def test_pages_run_the_same_queries_for_3_or_30_teams(
    client, org, next_cycle, goal, alice, team, persona, page, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    kwargs = {"org": org.slug} | ({} if page == "approvals" else {"code": next_cycle.code})
    url = reverse(page, kwargs=kwargs)
    build(org, next_cycle, goal, alice, 3)
    client.get(url)  # the first visit also stores the organization in the session
    small = count_queries(client, url)
    build(org, next_cycle, goal, alice, 27)
    with django_assert_num_queries(small):
        response = client.get(url)
    if page == "planning":
        assert len(response.context["board"].lanes) == 30 + 2
    assert small <= 20
