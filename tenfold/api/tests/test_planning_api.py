"""The planning API: the board, propose / approve / return / activate, the approval queue.
Every response is checked against the OpenAPI document."""

# The planning fixtures are imported from the rules' tests; pytest passes them by name.
# ruff: noqa: F811

from __future__ import annotations

from tenfold.audit.models import AuditEvent
from tenfold.okrs import planning as plans
from tenfold.okrs.models import Objective, ObjectiveState
from tenfold.okrs.services import alignment_link, objective_create
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
from tenfold.organizations.services import person_add
from tenfold.social.models import Comment

from .conftest import token_for


def state_of(objective: Objective) -> str:
    return Objective.objects.get(pk=objective.pk).state


def test_the_board_of_the_cycle_being_planned(api_client, client, org, goal, draft, team, bob):
    aligned = objective_create(
        organization=org, cycle=goal.cycle, unit=team, title="Guided setup", by=bob
    )
    alignment_link(child=aligned, parent_objective=goal, by=bob)
    plans.proposal_submit(access=access_of(org, bob), objective=aligned, by=bob)
    client.force_login(bob)
    response = api_client.get("/orgs/acme/planning")
    assert response.status_code == 200
    data = response.data
    assert data["cycle"]["code"] == goal.cycle.code and data["approval_required"] is True
    assert [o["code"] for o in data["company_objectives"]] == [goal.code]
    assert data["company_objectives"][0]["description"].startswith("New customers")
    growth = next(lane for lane in data["units"] if lane["unit"]["name"] == "Growth")
    assert growth["may_create"] is True
    assert [c["code"] for c in growth["backlog"]] == [draft.code]
    assert growth["backlog"][0]["may_propose"] is True
    [row] = growth["rows"]
    assert row["supports"] == goal.code
    [card] = row["objectives"]
    assert card["code"] == aligned.code and card["state"] == "proposed"
    assert card["proposed_by"]["email"] == bob.email and card["aligned_to"] == [goal.code]


def test_the_board_of_a_chosen_cycle_and_of_an_unknown_one(
    api_client, client, org, cycle, team, bob, next_cycle
):
    client.force_login(bob)
    response = api_client.get("/orgs/acme/planning", cycle=cycle.code)
    assert response.status_code == 200 and response.data["cycle"]["code"] == cycle.code
    assert api_client.get("/orgs/acme/planning", cycle="nope").status_code == 404


def test_another_organization_is_not_found(
    api_client, client, org, goal, draft, mallory, other_org
):
    client.force_login(mallory)
    assert api_client.get("/orgs/acme/planning").status_code == 404
    assert api_client.post(f"/orgs/acme/objectives/{draft.code}/propose", {}).status_code == 404
    assert api_client.get("/orgs/acme/approvals").status_code == 404


def test_a_token_opens_only_its_own_organization(api_client, org, goal, bob, mallory, other_org):
    api_client.token = token_for(mallory, other_org)
    assert api_client.get("/orgs/acme/planning").status_code == 404


def test_propose_then_approve_with_tokens(api_client, org, draft, bob, dana):
    api_client.token = token_for(bob, org)
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/propose", {})
    assert response.status_code == 200
    assert (
        response.data["state"] == "proposed" and response.data["proposed_by"]["email"] == bob.email
    )
    assert response.data["may_approve"] is False
    api_client.token = token_for(dana, org)
    assert api_client.get("/orgs/acme/approvals").data[0]["code"] == draft.code
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/approve", {})
    assert response.status_code == 200 and response.data["state"] == "approved"
    assert api_client.get("/orgs/acme/approvals").data == []


def test_a_viewer_cannot_propose(api_client, client, org, draft, victor):
    client.force_login(victor)
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/propose", {})
    assert response.status_code == 403 and response.data["error"]["code"] == "forbidden"
    assert state_of(draft) == ObjectiveState.DRAFT


def test_the_team_cannot_approve(api_client, client, org, proposal, carol):
    client.force_login(carol)
    response = api_client.post(f"/orgs/acme/objectives/{proposal.code}/approve", {})
    assert response.status_code == 403
    assert state_of(proposal) == ObjectiveState.PROPOSED


def test_approving_your_own_teams_proposal_is_refused_with_a_message(
    api_client, client, org, draft, team, dana, alice
):
    person_add(organization=org, email=dana.email, units=[team], by=alice)
    plans.proposal_submit(access=access_of(org, dana), objective=draft, by=dana)
    events = AuditEvent.objects.count()
    client.force_login(dana)
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/approve", {})
    assert response.status_code == 403
    assert "someone else approves" in response.data["error"]["message"]
    assert state_of(draft) == ObjectiveState.PROPOSED
    assert AuditEvent.objects.count() == events


def test_returning_needs_a_comment(api_client, client, org, proposal, dana):
    client.force_login(dana)
    response = api_client.post(f"/orgs/acme/objectives/{proposal.code}/return", {"comment": " "})
    assert response.status_code == 400
    assert "comment" in response.data["error"]["fields"]
    response = api_client.post(f"/orgs/acme/objectives/{proposal.code}/return", {})
    assert response.status_code == 400
    assert state_of(proposal) == ObjectiveState.PROPOSED and not Comment.objects.exists()


def test_returning_with_a_comment(api_client, client, org, proposal, dana):
    client.force_login(dana)
    response = api_client.post(
        f"/orgs/acme/objectives/{proposal.code}/return", {"comment": "Which number moves?"}
    )
    assert response.status_code == 200
    assert response.data["state"] == "draft" and response.data["returned"] is True
    assert response.data["comments"] == 1
    assert Comment.objects.get().body == "Which number moves?"


def test_with_approval_off_proposing_is_refused_and_activating_works(
    api_client, client, org, approval_off, draft, bob
):
    client.force_login(bob)
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/propose", {})
    assert response.status_code == 400 and "Approval is off" in response.data["error"]["message"]
    response = api_client.post(f"/orgs/acme/objectives/{draft.code}/activate", {})
    assert response.status_code == 200 and response.data["state"] == "active"


def test_the_queue_is_empty_for_people_who_approve_nothing(
    api_client, client, org, proposal, victor
):
    client.force_login(victor)
    response = api_client.get("/orgs/acme/approvals")
    assert response.status_code == 200 and response.data == []


def test_anonymous_callers_are_refused(api_client, org, draft):
    assert api_client.get("/orgs/acme/planning").status_code == 401
    assert api_client.post(f"/orgs/acme/objectives/{draft.code}/propose", {}).status_code == 401
