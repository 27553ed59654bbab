"""Planning rules: who proposes, who approves or returns, what the board, the queue and the
alignment session show. Fixtures here are shared by the web and API planning tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.okrs import planning as plans
from tenfold.okrs.models import Cycle, CycleKind, CycleState, Objective, ObjectiveState
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership, Organization, Role, Unit
from tenfold.organizations.permissions import Access, access_for
from tenfold.organizations.services import organization_update, person_add
from tenfold.social.models import Comment

# --- fixtures (imported by the web and API tests) -----------------------------------------


@pytest.fixture(autouse=True)
def _today() -> Any:
    """Mid Q4 2026, while Q1 2027 is being planned."""
    with time_machine.travel("2026-11-18 12:00:00+00:00", tick=True):
        yield


def access_of(org: Organization, user: Any) -> Access:
    return access_for(Membership.objects.get(organization=org, user=user))


@pytest.fixture
def dept(team: Unit) -> Unit:
    assert team.parent is not None
    return team.parent


@pytest.fixture
def dana(org: Organization, dept: Unit, alice: Any) -> Any:
    """Dana leads the Product department, the unit above Growth: she approves Growth's
    proposals."""
    return person_add(
        organization=org,
        email="dana@example.com",
        name="Dana Department",
        role=Role.LEAD,
        lead_of=[dept],
        by=alice,
    ).user


@pytest.fixture
def next_cycle(org: Organization, alice: Any) -> Cycle:
    return cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.PLANNING,
        by=alice,
    )


@pytest.fixture
def goal(org: Organization, next_cycle: Cycle, company: Unit, alice: Any) -> Objective:
    """A company objective for the next cycle, with its why."""
    return objective_create(
        organization=org,
        cycle=next_cycle,
        unit=company,
        title="Become the easiest tool to start with",
        description="New customers give up before they see any value.",
        by=alice,
    )


@pytest.fixture
def draft(org: Organization, next_cycle: Cycle, team: Unit, bob: Any) -> Objective:
    return objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Onboarding in one sitting", by=bob
    )


@pytest.fixture
def proposal(org: Organization, draft: Objective, bob: Any) -> Objective:
    return plans.proposal_submit(access=access_of(org, bob), objective=draft, by=bob)


def state_of(objective: Objective) -> str:
    return Objective.objects.get(pk=objective.pk).state


# --- proposing --------------------------------------------------------------------------------


def test_a_team_member_proposes_the_teams_draft(org, draft, bob):
    plans.proposal_submit(access=access_of(org, bob), objective=draft, by=bob)
    assert state_of(draft) == ObjectiveState.PROPOSED
    event = AuditEvent.objects.filter(verb="objective.state_changed").get()
    assert event.actor == bob and event.changes == {"state": ["draft", "proposed"]}
    found = plans.proposals_of(org.id, [draft.code])[draft.code]
    assert found.proposed_by == bob and not found.returned


def test_a_viewer_cannot_propose(org, draft, victor):
    with pytest.raises(PermissionDenied):
        plans.proposal_submit(access=access_of(org, victor), objective=draft, by=victor)
    assert state_of(draft) == ObjectiveState.DRAFT


def test_a_member_of_another_team_cannot_propose(org, draft, company, alice):
    other = person_add(organization=org, email="ed@example.com", by=alice).user
    with pytest.raises(PermissionDenied):
        plans.proposal_submit(access=access_of(org, other), objective=draft, by=other)


def test_only_a_draft_is_proposed(org, objective, bob):
    with pytest.raises(ValidationError, match="Only a draft"):
        plans.proposal_submit(access=access_of(org, bob), objective=objective, by=bob)


def test_a_company_objective_is_not_proposed(org, goal, alice):
    with pytest.raises(ValidationError, match="needs no approval"):
        plans.proposal_submit(access=access_of(org, alice), objective=goal, by=alice)


def test_nothing_is_proposed_in_a_closed_cycle(org, draft, next_cycle, bob, alice):
    cycle_set_state(cycle=next_cycle, state=CycleState.ACTIVE, by=alice)
    cycle_set_state(cycle=next_cycle, state=CycleState.CLOSED, by=alice)
    with pytest.raises(ValidationError, match="closed"):
        plans.proposal_submit(access=access_of(org, bob), objective=draft, by=bob)


# --- approving --------------------------------------------------------------------------------


def test_a_lead_of_the_unit_above_approves(org, proposal, dana):
    plans.proposal_approve(access=access_of(org, dana), objective=proposal, by=dana)
    assert state_of(proposal) == ObjectiveState.APPROVED


def test_an_admin_approves(org, proposal, alice):
    plans.proposal_approve(access=access_of(org, alice), objective=proposal, by=alice)
    assert state_of(proposal) == ObjectiveState.APPROVED


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_the_team_itself_and_viewers_do_not_approve(org, proposal, persona, request):
    user = request.getfixturevalue(persona)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        plans.proposal_approve(access=access_of(org, user), objective=proposal, by=user)
    assert state_of(proposal) == ObjectiveState.PROPOSED
    assert AuditEvent.objects.count() == events


def test_approving_your_own_teams_proposal_is_refused_and_writes_nothing(
    org, draft, team, dana, alice
):
    person_add(organization=org, email=dana.email, units=[team], by=alice)  # Dana joins Growth
    plans.proposal_submit(access=access_of(org, dana), objective=draft, by=dana)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="your own team, so someone else approves"):
        plans.proposal_approve(access=access_of(org, dana), objective=draft, by=dana)
    assert state_of(draft) == ObjectiveState.PROPOSED
    assert AuditEvent.objects.count() == events


def test_a_lead_above_who_is_in_the_team_approves_what_someone_else_proposed(
    org, proposal, team, dana, alice
):
    person_add(organization=org, email=dana.email, units=[team], by=alice)
    plans.proposal_approve(access=access_of(org, dana), objective=proposal, by=dana)
    assert state_of(proposal) == ObjectiveState.APPROVED


def test_an_admin_may_approve_what_they_proposed_for_their_own_team(org, draft, team, alice):
    person_add(organization=org, email=alice.email, units=[team], by=alice)
    plans.proposal_submit(access=access_of(org, alice), objective=draft, by=alice)
    plans.proposal_approve(access=access_of(org, alice), objective=draft, by=alice)
    assert state_of(draft) == ObjectiveState.APPROVED


def test_only_a_proposal_is_approved(org, draft, dana):
    with pytest.raises(ValidationError, match="Only a proposal"):
        plans.proposal_approve(access=access_of(org, dana), objective=draft, by=dana)


# --- returning --------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_returning_needs_a_comment_and_writes_nothing_without_one(org, proposal, dana, comment):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        plans.proposal_return(
            access=access_of(org, dana), objective=proposal, comment=comment, by=dana
        )
    assert "comment" in caught.value.message_dict
    assert state_of(proposal) == ObjectiveState.PROPOSED
    assert AuditEvent.objects.count() == events and not Comment.objects.exists()


def test_returning_puts_the_proposal_back_to_draft_with_the_comment_on_its_thread(
    org, proposal, dana
):
    plans.proposal_return(
        access=access_of(org, dana),
        objective=proposal,
        comment="Which number tells us onboarding got easier?",
        by=dana,
    )
    assert state_of(proposal) == ObjectiveState.DRAFT
    comment = Comment.objects.get()
    assert (comment.objective_id, comment.author) == (proposal.pk, dana)
    assert comment.body == "Which number tells us onboarding got easier?"
    found = plans.proposals_of(org.id, [proposal.code])[proposal.code]
    assert found.returned and found.returned_by == dana


def test_a_too_long_return_comment_is_refused_and_writes_nothing(org, proposal, dana):
    with pytest.raises(ValidationError) as caught:
        plans.proposal_return(
            access=access_of(org, dana), objective=proposal, comment="x" * 6000, by=dana
        )
    assert "comment" in caught.value.message_dict
    assert state_of(proposal) == ObjectiveState.PROPOSED
    assert not Comment.objects.exists()


def test_the_team_cannot_return_its_own_proposal(org, proposal, carol):
    with pytest.raises(PermissionDenied):
        plans.proposal_return(
            access=access_of(org, carol), objective=proposal, comment="Never mind", by=carol
        )


# --- approval off and activation --------------------------------------------------------------


@pytest.fixture
def approval_off(org: Organization, alice: Any) -> Organization:
    return organization_update(organization=org, approval_required=False, by=alice)


def test_with_approval_off_nothing_is_proposed_and_the_team_activates(
    org, approval_off, draft, bob
):
    draft.organization = approval_off
    with pytest.raises(ValidationError, match="Approval is off"):
        plans.proposal_submit(access=access_of(org, bob), objective=draft, by=bob)
    plans.plan_activate(access=access_of(org, bob), objective=draft, by=bob)
    assert state_of(draft) == ObjectiveState.ACTIVE


def test_with_approval_off_the_queue_is_empty(org, approval_off, dana):
    assert plans.approval_queue(access_of(org, dana), approval_off) == []


def test_with_approval_on_a_draft_is_proposed_before_it_is_activated(org, draft, bob, carol):
    for user in (bob, carol):
        with pytest.raises(ValidationError, match="Propose it first"):
            plans.plan_activate(access=access_of(org, user), objective=draft, by=user)
    assert state_of(draft) == ObjectiveState.DRAFT


def test_an_approved_objective_is_activated_by_its_team(org, proposal, dana, bob):
    plans.proposal_approve(access=access_of(org, dana), objective=proposal, by=dana)
    plans.plan_activate(access=access_of(org, bob), objective=proposal, by=bob)
    assert state_of(proposal) == ObjectiveState.ACTIVE


# --- reads ------------------------------------------------------------------------------------


def test_the_planning_cycle_is_the_earliest_in_planning_else_the_current(
    org, cycle, next_cycle, alice
):
    later = cycle_create(
        organization=org,
        name="Q2 2027",
        start=dt.date(2027, 4, 1),
        end=dt.date(2027, 6, 30),
        kind=CycleKind.QUARTER,
        by=alice,
    )
    cycle_create(
        organization=org,
        name="FY 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 12, 31),
        kind=CycleKind.YEAR,
        by=alice,
    )
    assert plans.planning_cycle(org) == next_cycle
    cycle_set_state(cycle=next_cycle, state=CycleState.ACTIVE, by=alice)
    assert plans.planning_cycle(org) == later
    cycle_set_state(cycle=later, state=CycleState.ACTIVE, by=alice)
    assert plans.planning_cycle(org).kind == CycleKind.YEAR


def test_the_planning_cycle_falls_back_to_the_current_one(org, cycle):
    assert plans.planning_cycle(org) == cycle


def _where(board: plans.Board, code: str) -> str:
    for lane in board.lanes:
        if any(card.code == code for card in lane.backlog):
            return f"{lane.unit.name}/backlog"
        for row, cell in zip(board.rows, lane.cells, strict=True):
            if any(card.code == code for card in cell):
                return f"{lane.unit.name}/{row.key}"
    return ""


def test_the_board_puts_each_objective_beside_the_company_objective_it_supports(
    org, next_cycle, goal, draft, dept, team, bob, carol, dana, alice
):
    department_goal = objective_create(
        organization=org, cycle=next_cycle, unit=dept, title="Self-serve first", by=dana
    )
    alignment_link(child=department_goal, parent_objective=goal, by=dana)
    plans.proposal_submit(
        access=access_of(org, dana), objective=department_goal, by=dana
    )  # a department proposes too
    through = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Guided setup", by=carol
    )
    kr = key_result_create(
        objective=department_goal, title="Trials that finish setup", start=10, target=30, by=dana
    )
    alignment_link(child=through, parent_key_result=kr, by=carol)
    plans.proposal_submit(access=access_of(org, carol), objective=through, by=carol)
    loose = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Fix the docs", by=bob
    )
    plans.proposal_submit(access=access_of(org, bob), objective=loose, by=bob)
    returned = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Webinars", by=bob
    )
    plans.proposal_submit(access=access_of(org, bob), objective=returned, by=bob)
    plans.proposal_return(
        access=access_of(org, dana), objective=returned, comment="Outcome?", by=dana
    )

    board = plans.planning_board(access_of(org, bob), org, next_cycle)
    assert [card.code for card in board.company] == [goal.code]
    assert [lane.unit.name for lane in board.lanes] == ["Product", "Growth"]
    assert _where(board, department_goal.code) == f"Product/o-{goal.code}"
    assert _where(board, through.code) == f"Growth/o-{goal.code}"
    assert _where(board, loose.code) == "Growth/unaligned"
    assert _where(board, draft.code) == "Growth/backlog"
    assert _where(board, returned.code) == "Growth/unaligned"
    card = board.card(returned.code)
    assert card is not None and card.returned and card.comments == 1
    assert [row.key for row in board.rows] == [f"o-{goal.code}", "unaligned"]


@pytest.mark.parametrize(
    ("persona", "on_draft", "on_proposal"),
    [
        ("alice", {"propose", "activate"}, {"approve", "return"}),
        ("bob", {"propose"}, set()),
        ("carol", {"propose"}, set()),
        ("dana", {"propose", "activate"}, {"approve", "return"}),
        ("victor", set(), set()),
    ],
)
def test_the_board_shows_each_persona_what_it_may_do(
    org, next_cycle, team, bob, dana, persona, on_draft, on_proposal, request
):
    draft = objective_create(organization=org, cycle=next_cycle, unit=team, title="A", by=bob)
    proposed = objective_create(organization=org, cycle=next_cycle, unit=team, title="B", by=bob)
    plans.proposal_submit(access=access_of(org, bob), objective=proposed, by=bob)
    board = plans.planning_board(access_of(org, request.getfixturevalue(persona)), org, next_cycle)

    def actions(code: str) -> set[str]:
        card = board.card(code)
        assert card is not None
        return {
            name
            for name in ("propose", "approve", "return", "activate")
            if getattr(card, f"can_{name}")
        }

    assert actions(draft.code) == on_draft
    assert actions(proposed.code) == on_proposal


def test_the_board_hides_another_teams_unit_only_drafts(org, next_cycle, company, dept, alice, bob):
    from tenfold.organizations.services import unit_create

    other = unit_create(organization=org, name="Sales", parent=company, by=alice)
    hidden = objective_create(
        organization=org,
        cycle=next_cycle,
        unit=other,
        title="Secret plan",
        visibility="unit",
        by=alice,
    )
    assert plans.planning_board(access_of(org, bob), org, next_cycle).card(hidden.code) is None
    assert plans.planning_board(access_of(org, alice), org, next_cycle).card(hidden.code)


def test_the_queue_lists_what_waits_for_the_viewer(org, proposal, draft, team, dana, alice):
    assert [c.code for c in plans.approval_queue(access_of(org, dana), org)] == [proposal.code]
    assert [c.code for c in plans.approval_queue(access_of(org, alice), org)] == [proposal.code]
    for persona in ("bob", "carol", "victor"):
        user = Membership.objects.get(organization=org, user__email=f"{persona}@example.com")
        assert plans.approval_queue(access_for(user), org) == []


def test_the_queue_leaves_out_what_the_viewer_proposed_for_their_own_team(
    org, draft, team, dana, alice
):
    person_add(organization=org, email=dana.email, units=[team], by=alice)
    plans.proposal_submit(access=access_of(org, dana), objective=draft, by=dana)
    assert plans.approval_queue(access_of(org, dana), org) == []
    board = plans.planning_board(access_of(org, dana), org, draft.cycle)
    card = board.card(draft.code)
    assert card is not None and not card.can_approve and card.can_return
    assert "someone else approves" in card.refusal


def test_the_session_groups_presented_objectives_under_company_objectives(
    org, next_cycle, goal, draft, team, bob, dana
):
    aligned = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Guided setup", by=bob
    )
    alignment_link(child=aligned, parent_objective=goal, by=bob)
    plans.proposal_submit(access=access_of(org, bob), objective=aligned, by=bob)
    loose = objective_create(
        organization=org, cycle=next_cycle, unit=team, title="Fix the docs", by=bob
    )
    plans.proposal_submit(access=access_of(org, bob), objective=loose, by=bob)
    plans.proposal_approve(access=access_of(org, dana), objective=loose, by=dana)
    alignment_link(child=draft, parent_objective=goal, by=bob)  # drafts are not presented

    session = plans.alignment_session(access_of(org, bob), org, next_cycle)
    assert [node.card.code for node in session.company] == [goal.code]
    assert [node.card.code for node in session.company[0].children] == [aligned.code]
    assert [node.card.code for node in session.unaligned] == [loose.code]
    assert session.elsewhere == []
    assert [unit.name for unit in session.units] == ["Growth"]
    assert session.unaligned[0].card.can_edit


# --- the command ----------------------------------------------------------------------------


def run(*args: str) -> str:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("proposals", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_proposes_lists_and_approves(org, draft, bob, dana):
    assert "Proposed “Onboarding in one sitting”" in run("propose", draft.code, "--as", bob.email)
    listed = run("list", "--as", dana.email)
    assert draft.code in listed and "Growth" in listed and "proposed by Bob Member" in listed
    assert "Approved" in run("approve", draft.code.upper(), "--as", "DANA@example.com")
    assert state_of(draft) == ObjectiveState.APPROVED
    assert "Nothing waits" in run("list", "--as", dana.email)


def test_the_command_returns_with_a_comment(org, proposal, dana):
    out = run("return", proposal.code, "--as", dana.email, "--comment", "Which number?")
    assert "Returned" in out
    assert state_of(proposal) == ObjectiveState.DRAFT
    assert Comment.objects.get().body == "Which number?"


def test_the_command_says_when_approval_is_off(org, approval_off, dana):
    assert "Approval is off" in run("list", "--as", dana.email)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["approve", "{code}", "--as", "nobody@example.com"], "Nobody has the email"),
        (["approve", "nope", "--as", "dana@example.com"], "No objective with the code"),
        (["approve", "{code}", "--as", "mallory@example.com"], "No objective with the code"),
        (["approve", "{code}", "--as", "carol@example.com"], "lead of the unit above"),
        (["propose", "{code}", "--as", "victor@example.com"], "Only the team"),
        (["propose", "{code}", "--as", "bob@example.com"], "Only a draft"),
        (["return", "{code}", "--as", "dana@example.com", "--comment", " "], "comment: Say what"),
        (["list", "--as", "dana@example.com", "--org", "globex"], "not a member"),
    ],
)
def test_the_command_refuses_and_writes_nothing(
    org, proposal, dana, mallory, other_org, args, words
):
    from django.core.management import CommandError

    args = [arg.replace("{code}", proposal.code) for arg in args]
    events = AuditEvent.objects.count()
    with pytest.raises(CommandError, match=words):
        run(*args)
    assert AuditEvent.objects.count() == events
    assert state_of(proposal) == ObjectiveState.PROPOSED


def test_the_command_refuses_to_approve_your_own_teams_proposal(org, draft, team, dana, alice):
    from django.core.management import CommandError

    person_add(organization=org, email=dana.email, units=[team], by=alice)
    run("propose", draft.code, "--as", dana.email)
    with pytest.raises(CommandError, match="someone else approves"):
        run("approve", draft.code, "--as", dana.email)
    assert state_of(draft) == ObjectiveState.PROPOSED


def test_a_past_cycle_nobody_opened_is_not_the_one_being_planned(org, cycle, next_cycle, alice):
    cycle_create(
        organization=org,
        name="Q1 2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        kind=CycleKind.QUARTER,
        by=alice,
    )
    assert plans.planning_cycle(org) == next_cycle
