"""Writes of the social app: comments, reactions, mention read-state. The only write path, for
web, API and the team meeting alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.checkins.models import Source, WeeklyItem
from tenfold.checkins.weekly import can_see_report
from tenfold.okrs.models import Objective
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

from .mentions import find_handles, handle_map
from .models import BODY_MAX, GLYPHS, Comment, Emoji, Mention, Reaction
from .targets import field_of, kind_of, may_talk, may_view, objective_of, title_of

ALLOWED_SOURCES = frozenset(
    {Source.WEB, Source.API, Source.CLI, Source.EMAIL, Source.CHAT, Source.MEETING}
)


def _clean_body(body: Any) -> str:
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"body": [_("Write something before posting the comment.")]})
    if len(text) > BODY_MAX:
        raise ValidationError(
            {
                "body": [
                    _("Keep a comment under %(max)d characters (this one has %(len)d).")
                    % {"max": BODY_MAX, "len": len(text)}
                ]
            }
        )
    return text


def _require_talk(access: Access, target: Any) -> None:
    if not may_view(access, target):
        raise PermissionDenied(_("You cannot see this, so you cannot comment on it."))
    if not may_talk(access, target):
        raise PermissionDenied(_("Viewers can read the conversation but not take part in it."))


def _may_manage(access: Access, comment: Comment) -> bool:
    if not access.can_write or not may_view(access, comment):
        return False
    return comment.author_id == access.user_id or access.is_admin


def _could_see(membership: Membership, target: Any) -> bool:
    """Whether a mentioned person may see the target (so a mention never reveals it)."""
    if (
        isinstance(target, Objective)
        and target.visibility == "organization"
        and target.level != "personal"
    ):
        return True
    other = access_for(membership)
    if isinstance(target, WeeklyItem):
        return can_see_report(other, target.report)
    objective = objective_of(target)
    return objective is not None and other.can_view_objective(objective)


def resolve_mentions(access: Access, target: Any, body: str) -> list[Any]:
    """The people the @handles of `body` name: members of the organization who may see the
    target. Handles nobody answers to (or that would reveal the target) are left as text."""
    handles = find_handles(body)
    if not handles:
        return []
    from django.db.models import Q

    query = Q()
    for handle in handles:
        if "@" in handle:
            query |= Q(user__email__iexact=handle)
        else:
            query |= Q(user__email__istartswith=f"{handle}@")
    memberships = list(
        Membership.objects.filter(organization_id=access.membership.organization_id)
        .filter(query)
        .select_related("user")
    )
    by_handle = handle_map(m.user for m in memberships)
    membership_of = {m.user_id: m for m in memberships}
    people: dict[int, Any] = {}
    for handle in handles:
        person = by_handle.get(handle)
        if person is None or person.pk in people or person.pk == access.user_id:
            continue
        if _could_see(membership_of[person.pk], target):
            people[person.pk] = person
    return list(people.values())


def _sync_mentions(access: Access, comment: Comment, target: Any) -> list[Any]:
    people = resolve_mentions(access, target, comment.body)
    wanted = {person.pk for person in people}
    existing = set(comment.mentions.values_list("user_id", flat=True)) if comment.pk else set()
    comment.mentions.exclude(user_id__in=wanted).delete()
    Mention.objects.bulk_create(
        Mention(organization_id=comment.organization_id, comment=comment, user_id=user_id)
        for user_id in wanted - existing
    )
    return people


@transaction.atomic
def comment_add(*, access: Access, target: Any, body: str, source: str = "web") -> Comment:
    """Comment on an objective, key result, check-in or weekly item as the person of
    `access`; the @handles in the text become mentions."""
    kind_of(target)  # a programming error, not user input, when it is anything else
    if isinstance(target, Comment):
        raise ValueError("Comments do not nest; comment on the comment's target.")
    _require_talk(access, target)
    text = _clean_body(body)
    if source not in ALLOWED_SOURCES:
        raise ValidationError({"source": [_("Unknown source of a comment.")]})
    comment = Comment.objects.create(
        organization_id=access.membership.organization_id,
        author=access.membership.user,
        body=text,
        source=source,
        **{field_of(target): target},
    )
    people = _sync_mentions(access, comment, target)
    objective = objective_of(target)
    audit_record(
        organization=access.membership.organization,
        actor=access.membership.user,
        verb="comment.added",
        obj=comment,
        objective_code=objective.code if objective else "",
        changes={
            "target_kind": kind_of(target),
            "target": target.code,
            "target_title": title_of(target)[:200],
            "mentions": [person.email for person in people],
            "source": source,
        },
    )
    return comment


@transaction.atomic
def comment_edit(*, access: Access, comment: Comment, body: str) -> Comment:
    """Change a comment's text (its author, or an admin). Mentions follow the new text."""
    if comment.deleted_at is not None:
        raise ValidationError(_("This comment was deleted."))
    if not _may_manage(access, comment):
        raise PermissionDenied(_("Only the author or an admin may change this comment."))
    text = _clean_body(body)
    before = comment.body
    if text == before:
        return comment
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    target = comment.target
    _sync_mentions(access, comment, target)
    objective = objective_of(target)
    audit_record(
        organization=access.membership.organization,
        actor=access.membership.user,
        verb="comment.edited",
        obj=comment,
        objective_code=objective.code if objective else "",
        changes={"body": [before[:200], text[:200]]},
    )
    return comment


@transaction.atomic
def comment_delete(*, access: Access, comment: Comment) -> None:
    """Take a comment out of its thread (its author, or an admin). The row stays, hidden, so
    the audit trail still points at something."""
    if comment.deleted_at is not None:
        return
    if not _may_manage(access, comment):
        raise PermissionDenied(_("Only the author or an admin may delete this comment."))
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    objective = objective_of(comment.target)
    audit_record(
        organization=access.membership.organization,
        actor=access.membership.user,
        verb="comment.deleted",
        obj=comment,
        objective_code=objective.code if objective else "",
    )


def may_manage(access: Access, comment: Comment) -> bool:
    """Whether the person may edit or delete the comment."""
    return _may_manage(access, comment)


def parse_emoji(value: Any) -> str:
    """An emoji by name ("rocket") or as the character itself ("🚀")."""
    text = str(value or "").strip()
    if text in Emoji.values:
        return text
    for name, glyph in GLYPHS.items():
        if text in (glyph, glyph.rstrip("\ufe0f")):
            return str(name)
    raise ValidationError(
        {"emoji": [_("Choose one of the offered reactions: %(list)s") % {"list": _choices()}]}
    )


def _choices() -> str:
    return " ".join(GLYPHS.values())


@transaction.atomic
def reaction_toggle(*, access: Access, target: Any, emoji: str) -> bool:
    """Add the person's reaction to a target, or take it back when it is already there.
    Returns whether the reaction is now on. Reactions are acknowledgements, not changes to
    anyone's OKRs, so they write no audit event."""
    kind_of(target)
    _require_talk(access, target)
    name = parse_emoji(emoji)
    reaction, created = Reaction.objects.get_or_create(
        organization_id=access.membership.organization_id,
        user_id=access.user_id,
        emoji=name,
        **{field_of(target): target},
    )
    if not created:
        reaction.delete()
    return created


def mentions_mark_read(access: Access, ids: Iterable[int] | None = None) -> int:
    """Mark the person's unread mentions in this organization read (only `ids`, when given).
    Returns how many changed."""
    mentions = Mention.objects.filter(
        organization_id=access.membership.organization_id,
        user_id=access.user_id,
        read_at__isnull=True,
    )
    if ids is not None:
        mentions = mentions.filter(id__in=list(ids))
    return mentions.update(read_at=timezone.now())
