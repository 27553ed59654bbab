"""The rules of the ideas board, through its services: adding, voting once, commenting, who
may change what, and turning an idea into a draft objective."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.ideas.models import Idea, IdeaComment, IdeaStatus, IdeaVote
from tenfold.ideas.services import (
    comment_add,
    comment_delete,
    comment_edit,
    idea_add,
    idea_archive,
    idea_promote,
    idea_reopen,
    idea_update,
    vote_add,
    vote_remove,
    vote_toggle,
)
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle, CycleState, Objective, ObjectiveState
from tenfold.organizations.models import Unit


def written() -> tuple[int, int, int, int, int]:
    return (
        Idea.objects.count(),
        IdeaVote.objects.count(),
        IdeaComment.objects.count(),
        Objective.objects.count(),
        AuditEvent.objects.count(),
    )


def close(cycle: Cycle) -> None:
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.CLOSED)
    cycle.refresh_from_db()


# --- adding -----------------------------------------------------------------------------------


def test_an_idea_is_for_the_cycle_being_planned_by_default(as_of, bob, cycle, next_cycle):
    idea = idea_add(access=as_of(bob), question="blockers", text="  Too many meetings  ")
    assert (idea.text, idea.question, idea.status) == ("Too many meetings", "blockers", "open")
    assert idea.cycle == next_cycle
    assert idea.author == bob
    event = AuditEvent.objects.get(verb="idea.added")
    assert event.object_code == idea.code


def test_without_a_cycle_in_planning_the_active_one_is_the_default(as_of, bob, cycle):
    idea = idea_add(access=as_of(bob), question="problems", text="Trials stall on day 3")
    assert idea.cycle == cycle


def test_an_idea_may_be_for_no_particular_cycle(as_of, bob, cycle, next_cycle):
    idea = idea_add(access=as_of(bob), question="change", text="Demo days", cycle=None)
    assert idea.cycle is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": "   "}, "text", "Write something"),
        ({"text": "x" * 2001}, "text", "under 2000 characters"),
        ({"details": "y" * 2001}, "details", "under 2000 characters"),
        ({"question": "wishes"}, "question", "four questions"),
        ({"question": ""}, "question", "four questions"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    as_of, bob, cycle, fields, field, words
):
    before = written()
    data = {"question": "change", "text": "Fine idea", **fields}
    with pytest.raises(ValidationError) as caught:
        idea_add(access=as_of(bob), **data)
    assert words in " ".join(error_dict(caught.value)[field])
    assert written() == before


def test_a_closed_cycle_or_another_organizations_unit_is_refused(as_of, bob, cycle, other_org):
    close(cycle)
    foreign = Unit.objects.get(organization=other_org, parent__isnull=True)
    before = written()
    with pytest.raises(ValidationError) as caught:
        idea_add(access=as_of(bob), question="change", text="Hi", cycle=cycle, unit=foreign)
    fields = error_dict(caught.value)
    assert "closed" in fields["cycle"][0]
    assert "another organization" in fields["unit"][0]
    assert written() == before


def test_viewers_read_the_board_but_do_not_add_to_it(as_of, victor, cycle):
    with pytest.raises(PermissionDenied):
        idea_add(access=as_of(victor), question="change", text="Hello")
    assert not Idea.objects.exists()


# --- voting -----------------------------------------------------------------------------------


def test_a_person_votes_once(as_of, idea, carol):
    vote_add(access=as_of(carol), idea=idea)
    with pytest.raises(ValidationError) as caught:
        vote_add(access=as_of(carol), idea=idea)
    assert "already voted" in caught.value.messages[0]
    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert IdeaVote.objects.filter(idea=idea).count() == 1


def test_a_vote_can_be_taken_back(as_of, idea, carol, alice):
    vote_add(access=as_of(carol), idea=idea)
    vote_add(access=as_of(alice), idea=idea)
    updated = vote_remove(access=as_of(carol), idea=idea)
    assert updated.vote_count == 1
    assert list(IdeaVote.objects.values_list("user__email", flat=True)) == [alice.email]
    with pytest.raises(ValidationError) as caught:
        vote_remove(access=as_of(carol), idea=idea)
    assert "not voted" in caught.value.messages[0]


def test_toggling_votes_then_unvotes(as_of, idea, bob):
    idea, voted = vote_toggle(access=as_of(bob), idea=idea)
    assert (idea.vote_count, voted) == (1, True)
    idea, voted = vote_toggle(access=as_of(bob), idea=idea)
    assert (idea.vote_count, voted) == (0, False)
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="idea.").order_by("id")][
        -2:
    ] == ["idea.voted", "idea.unvoted"]


def test_viewers_do_not_vote(as_of, idea, victor):
    with pytest.raises(PermissionDenied):
        vote_toggle(access=as_of(victor), idea=idea)
    assert not IdeaVote.objects.exists()


def test_archived_ideas_take_no_votes(as_of, idea, bob, carol):
    idea_archive(access=as_of(bob), idea=idea)
    with pytest.raises(ValidationError) as caught:
        vote_add(access=as_of(carol), idea=idea)
    assert "archived" in caught.value.messages[0]


# --- editing, archiving -----------------------------------------------------------------------


def test_the_author_edits_an_idea(as_of, idea, bob, next_cycle):
    idea_update(
        access=as_of(bob),
        idea=idea,
        expected_version=idea.version,
        text="Buddy for every new customer",
        question="double_down",
        cycle=next_cycle,
    )
    idea.refresh_from_db()
    assert (idea.text, idea.question, idea.cycle, idea.version) == (
        "Buddy for every new customer",
        "double_down",
        next_cycle,
        2,
    )
    assert AuditEvent.objects.filter(verb="idea.updated", object_code=idea.code).exists()


def test_only_the_author_or_an_admin_edits_or_archives(as_of, idea, carol, alice):
    with pytest.raises(PermissionDenied):
        idea_update(access=as_of(carol), idea=idea, text="Mine now")
    with pytest.raises(PermissionDenied):
        idea_archive(access=as_of(carol), idea=idea)
    idea_update(access=as_of(alice), idea=idea, text="Edited by the owner")
    idea.refresh_from_db()
    assert idea.text == "Edited by the owner"


def test_a_stale_edit_is_refused(as_of, idea, bob, alice):
    idea_update(access=as_of(alice), idea=idea, text="First")
    with pytest.raises(ValidationError) as caught:
        idea_update(access=as_of(bob), idea=idea, expected_version=1, text="Second")
    assert caught.value.code == "conflict"
    idea.refresh_from_db()
    assert idea.text == "First"


def test_an_idea_keeps_a_cycle_that_closed_since(as_of, idea, bob, cycle):
    close(cycle)
    idea_update(access=as_of(bob), idea=idea, text="Still for that quarter")
    idea.refresh_from_db()
    assert idea.cycle == cycle


def test_archiving_twice_changes_nothing_and_reopening_restores(as_of, idea, bob):
    idea_archive(access=as_of(bob), idea=idea)
    idea_archive(access=as_of(bob), idea=idea)
    assert AuditEvent.objects.filter(verb="idea.archived").count() == 1
    idea_reopen(access=as_of(bob), idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


# --- comments ---------------------------------------------------------------------------------


def test_comments_are_added_edited_and_deleted_by_their_author(as_of, idea, carol):
    comment = comment_add(access=as_of(carol), idea=idea, body=" Let's try it in Growth ")
    assert comment.body == "Let's try it in Growth"
    comment_edit(access=as_of(carol), comment=comment, body="Let's try it in Growth first")
    comment.refresh_from_db()
    assert comment.body.endswith("first") and comment.edited_at is not None
    comment_delete(access=as_of(carol), comment=comment)
    assert not IdeaComment.objects.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"idea.comment_added", "idea.comment_edited", "idea.comment_deleted"} <= verbs


def test_only_the_author_edits_a_comment_and_an_admin_may_delete_it(as_of, idea, carol, bob, alice):
    comment = comment_add(access=as_of(carol), idea=idea, body="Good one")
    with pytest.raises(PermissionDenied):
        comment_edit(access=as_of(bob), comment=comment, body="Bad one")
    with pytest.raises(PermissionDenied):
        comment_edit(access=as_of(alice), comment=comment, body="Moderated")
    with pytest.raises(PermissionDenied):
        comment_delete(access=as_of(bob), comment=comment)
    comment_delete(access=as_of(alice), comment=comment)
    assert not IdeaComment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "z" * 2001])
def test_an_empty_or_long_comment_is_refused(as_of, idea, carol, body):
    before = written()
    with pytest.raises(ValidationError):
        comment_add(access=as_of(carol), idea=idea, body=body)
    assert written() == before


def test_viewers_and_archived_ideas_take_no_comments(as_of, idea, victor, bob):
    with pytest.raises(PermissionDenied):
        comment_add(access=as_of(victor), idea=idea, body="Hi")
    idea_archive(access=as_of(bob), idea=idea)
    with pytest.raises(ValidationError):
        comment_add(access=as_of(bob), idea=idea, body="Hi")
    assert not IdeaComment.objects.exists()


# --- promote ----------------------------------------------------------------------------------


def test_promote_drafts_an_objective_and_marks_the_idea(
    as_of, idea, carol, alice, team, next_cycle
):
    vote_add(access=as_of(alice), idea=idea)
    objective = idea_promote(access=as_of(carol), idea=idea, unit=team, cycle=next_cycle)
    assert objective.state == ObjectiveState.DRAFT
    assert (objective.unit, objective.cycle, objective.lead) == (team, next_cycle, carol)
    assert objective.title == "Pair new customers with a buddy for their first month"
    assert idea.text in objective.description
    assert "Churn is highest" in objective.description
    assert "ideas board" in objective.description
    idea.refresh_from_db()
    assert (idea.status, idea.promoted_to) == (IdeaStatus.PROMOTED, objective)
    event = AuditEvent.objects.get(verb="idea.promoted")
    assert (event.object_code, event.objective_code) == (idea.code, objective.code)


def test_a_long_idea_gets_a_short_title_and_keeps_its_words_in_the_description(
    as_of, bob, team, next_cycle
):
    text = (
        "Every team should publish a short changelog each Friday so that sales and support "
        "know what shipped without asking in chat all the time"
    )
    idea = idea_add(access=as_of(bob), question="change", text=text)
    objective = idea_promote(access=as_of(bob), idea=idea, unit=team, cycle=next_cycle)
    assert len(objective.title) <= 70 and objective.title.endswith("…")
    assert objective.description.startswith(text)


def test_promote_is_refused_without_the_right_to_create_in_the_unit(
    as_of, idea, bob, victor, company, team, next_cycle
):
    before = written()
    with pytest.raises(PermissionDenied):  # a team member cannot write company objectives
        idea_promote(access=as_of(bob), idea=idea, unit=company, cycle=next_cycle)
    with pytest.raises(PermissionDenied):
        idea_promote(access=as_of(victor), idea=idea, unit=team, cycle=next_cycle)
    assert written() == before
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


def test_promote_into_a_closed_cycle_is_refused(as_of, idea, carol, team, cycle):
    close(cycle)
    before = written()
    with pytest.raises(ValidationError) as caught:
        idea_promote(access=as_of(carol), idea=idea, unit=team, cycle=cycle)
    assert "closed" in error_dict(caught.value)["cycle"][0]
    assert written() == before
    idea.refresh_from_db()
    assert (idea.status, idea.promoted_to) == (IdeaStatus.OPEN, None)


def test_promote_needs_a_unit_and_a_cycle(as_of, idea, carol):
    with pytest.raises(ValidationError) as caught:
        idea_promote(access=as_of(carol), idea=idea, unit=None, cycle=None)
    assert set(error_dict(caught.value)) == {"unit", "cycle"}


def test_an_idea_is_promoted_once_and_not_while_archived(as_of, idea, carol, bob, team, cycle):
    idea_promote(access=as_of(carol), idea=idea, unit=team, cycle=cycle)
    with pytest.raises(ValidationError) as caught:
        idea_promote(access=as_of(carol), idea=idea, unit=team, cycle=cycle)
    assert "already became" in caught.value.messages[0]
    other = idea_add(access=as_of(bob), question="problems", text="Slow builds")
    idea_archive(access=as_of(bob), idea=other)
    with pytest.raises(ValidationError) as caught:
        idea_promote(access=as_of(carol), idea=other, unit=team, cycle=cycle)
    assert "archived" in caught.value.messages[0]
    assert Objective.objects.filter(ideas__isnull=False).count() == 1


def test_a_promoted_idea_archived_then_reopened_stays_promoted(
    as_of, idea, carol, bob, team, cycle
):
    idea_promote(access=as_of(carol), idea=idea, unit=team, cycle=cycle)
    idea_archive(access=as_of(bob), idea=idea)
    idea_reopen(access=as_of(bob), idea=idea)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.PROMOTED
