"""The services: comment_add/edit/delete, reaction_toggle, mentions_mark_read."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.okrs.services import objective_create
from tenfold.social.models import BODY_MAX, Comment, Mention, Reaction
from tenfold.social.services import (
    comment_add,
    comment_delete,
    comment_edit,
    mentions_mark_read,
    reaction_toggle,
)

from .conftest import access_of


def test_a_member_comments_on_an_objective_and_it_is_audited(org, bob, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="  Looks good  ")
    assert comment.body == "Looks good"
    assert comment.objective == objective
    assert comment.author == bob
    event = AuditEvent.objects.get(verb="comment.added")
    assert event.objective_code == objective.code
    assert event.object_code == comment.code
    assert event.changes["target_kind"] == "objective"
    assert event.changes["target_title"] == objective.title


@pytest.mark.parametrize("target_name", ["key_result", "checkin", "item"])
def test_comments_on_other_targets_carry_their_objective_code(
    request, org, bob, objective, target_name
):
    target = request.getfixturevalue(target_name)
    comment = comment_add(access=access_of(bob, org), target=target, body="Noted")
    assert comment.target == target
    assert AuditEvent.objects.get(verb="comment.added").objective_code == objective.code


def test_the_meeting_source_is_accepted(org, carol, objective):
    comment = comment_add(
        access=access_of(carol, org), target=objective, body="Agreed", source="meeting"
    )
    assert comment.source == "meeting"


def test_an_unknown_source_is_refused(org, carol, objective):
    with pytest.raises(ValidationError):
        comment_add(access=access_of(carol, org), target=objective, body="Hi", source="fax")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  ", "x" * (BODY_MAX + 1)])
def test_an_empty_or_oversize_body_writes_nothing(org, bob, objective, body):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        comment_add(access=access_of(bob, org), target=objective, body=body)
    assert "body" in caught.value.message_dict
    assert not Comment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_body_of_exactly_the_limit_is_fine(org, bob, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="x" * BODY_MAX)
    assert len(comment.body) == BODY_MAX


def test_a_viewer_cannot_comment(org, victor, objective):
    with pytest.raises(PermissionDenied):
        comment_add(access=access_of(victor, org), target=objective, body="Hello")
    assert not Comment.objects.exists()


def test_nobody_comments_on_what_they_cannot_see(org, bob, private_objective):
    with pytest.raises(PermissionDenied):
        comment_add(access=access_of(bob, org), target=private_objective, body="Hello")
    assert not Comment.objects.exists()


def test_a_target_of_another_organization_is_refused(org, alice, other_org, mallory):
    from tenfold.okrs.models import Cycle
    from tenfold.organizations.models import Unit

    foreign = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        unit=Unit.objects.get(organization=other_org),
        title="Globex secret",
        level="company",
        by=mallory,
    )
    with pytest.raises(PermissionDenied):
        comment_add(access=access_of(alice, org), target=foreign, body="Hello")
    with pytest.raises(PermissionDenied):
        reaction_toggle(access=access_of(alice, org), target=foreign, emoji="rocket")
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


# --- mentions ---------------------------------------------------------------------------------


def test_handles_become_mentions_of_members_who_may_see_the_target(org, bob, carol, objective):
    comment = comment_add(
        access=access_of(bob, org),
        target=objective,
        body="@carol and @alice@example.com, see this. @nobody @mallory @bob",
    )
    mentioned = set(Mention.objects.filter(comment=comment).values_list("user__email", flat=True))
    # Unknown handles and people of other organizations stay text; people never mention
    # themselves.
    assert mentioned == {"carol@example.com", "alice@example.com"}
    assert AuditEvent.objects.get(verb="comment.added").changes["mentions"] == [
        "carol@example.com",
        "alice@example.com",
    ]


def test_nobody_is_mentioned_into_something_they_cannot_see(org, alice, private_objective, bob):
    comment_add(access=access_of(alice, org), target=private_objective, body="@bob have a look")
    assert not Mention.objects.exists()


def test_an_ambiguous_local_part_mentions_nobody(org, alice, bob, objective):
    from tenfold.organizations.services import person_add

    person_add(organization=org, email="bob@elsewhere.example", by=alice)
    comment_add(access=access_of(alice, org), target=objective, body="@bob?")
    assert not Mention.objects.exists()
    comment_add(access=access_of(alice, org), target=objective, body="@bob@example.com!")
    assert Mention.objects.get().user == bob


def test_editing_a_comment_follows_its_new_mentions(org, bob, carol, alice, objective):
    access = access_of(bob, org)
    comment = comment_add(access=access, target=objective, body="@carol look")
    comment_edit(access=access, comment=comment, body="@alice look instead")
    comment.refresh_from_db()
    assert comment.edited_at is not None
    assert list(comment.mentions.values_list("user", flat=True)) == [alice.pk]
    assert AuditEvent.objects.filter(verb="comment.edited").count() == 1


def test_mentions_are_marked_read(org, bob, carol, objective):
    comment_add(access=access_of(bob, org), target=objective, body="@carol one")
    second = comment_add(access=access_of(bob, org), target=objective, body="@carol two")
    carol_access = access_of(carol, org)
    only = Mention.objects.get(comment=second)
    assert mentions_mark_read(carol_access, ids=[only.pk]) == 1
    assert Mention.objects.filter(read_at__isnull=True).count() == 1
    assert mentions_mark_read(access_of(bob, org)) == 0  # nobody else's
    assert mentions_mark_read(carol_access) == 1
    assert not Mention.objects.filter(read_at__isnull=True).exists()


# --- editing and deleting -----------------------------------------------------------------


def test_only_the_author_or_an_admin_edits_or_deletes(org, alice, bob, carol, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="Mine")
    with pytest.raises(PermissionDenied):
        comment_edit(access=access_of(carol, org), comment=comment, body="Hers now")
    with pytest.raises(PermissionDenied):
        comment_delete(access=access_of(carol, org), comment=comment)
    comment_edit(access=access_of(alice, org), comment=comment, body="Tidied by an admin")
    comment_delete(access=access_of(alice, org), comment=comment)
    comment.refresh_from_db()
    assert comment.body == "Tidied by an admin"
    assert comment.deleted_at is not None
    assert AuditEvent.objects.filter(verb="comment.deleted").count() == 1


def test_an_empty_edit_changes_nothing(org, bob, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="Keep me")
    with pytest.raises(ValidationError):
        comment_edit(access=access_of(bob, org), comment=comment, body=" ")
    comment.refresh_from_db()
    assert comment.body == "Keep me"
    assert comment.edited_at is None


def test_a_deleted_comment_cannot_be_edited(org, bob, objective):
    comment = comment_add(access=access_of(bob, org), target=objective, body="Gone soon")
    comment_delete(access=access_of(bob, org), comment=comment)
    with pytest.raises(ValidationError):
        comment_edit(access=access_of(bob, org), comment=comment, body="Back?")


# --- reactions ----------------------------------------------------------------------------


def test_a_reaction_toggles(org, bob, objective):
    access = access_of(bob, org)
    assert reaction_toggle(access=access, target=objective, emoji="rocket") is True
    assert Reaction.objects.get().emoji == "rocket"
    assert reaction_toggle(access=access, target=objective, emoji="🚀") is False
    assert not Reaction.objects.exists()


def test_reactions_on_comments_and_items(org, bob, carol, objective, item):
    comment = comment_add(access=access_of(bob, org), target=objective, body="Ship it")
    reaction_toggle(access=access_of(carol, org), target=comment, emoji="thumbs_up")
    reaction_toggle(access=access_of(carol, org), target=item, emoji="❤️")
    assert Reaction.objects.get(comment=comment).emoji == "thumbs_up"
    assert Reaction.objects.get(weekly_item=item).emoji == "heart"


def test_an_unknown_emoji_is_refused(org, bob, objective):
    with pytest.raises(ValidationError):
        reaction_toggle(access=access_of(bob, org), target=objective, emoji="💩")
    assert not Reaction.objects.exists()


def test_a_viewer_cannot_react(org, victor, objective):
    with pytest.raises(PermissionDenied):
        reaction_toggle(access=access_of(victor, org), target=objective, emoji="rocket")


def test_a_comment_has_exactly_one_target(org, bob, objective, key_result):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(organization=org, author=bob, body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            organization=org, author=bob, body="x", objective=objective, key_result=key_result
        )
