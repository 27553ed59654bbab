"""Reads of the social app, scoped to a viewer. Every list here runs a fixed number of
queries, whatever the number of comments, reactions or targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.okrs.selectors import get_key_result, get_objective, visible_objectives
from tenfold.organizations.models import UnitMember
from tenfold.organizations.permissions import Access

from .mentions import render_body
from .models import GLYPHS, Comment, Emoji, Mention, Reaction
from .targets import (
    COMMENT_KINDS,
    REACTION_KINDS,
    kind_of,
    may_view,
    page_url,
    thread_url,
    title_of,
)

_COMMENT_TARGET_RELATIONS = (
    "objective",
    "key_result__objective",
    "checkin__key_result__objective",
    "weekly_item__report",
    "weekly_item__objective",
    "weekly_item__key_result__objective",
)


def get_target(access: Access, kind: str, code: str) -> Any:
    """The target of `kind` with `code`, if the viewer may see it; 404 otherwise (another
    organization's, hidden, deleted, or an unknown kind)."""
    org_id = access.membership.organization_id
    target: Any
    if kind == "objective":
        return get_objective(access, code)
    if kind == "key-result":
        return get_key_result(access, code)
    if kind == "check-in":
        target = (
            CheckIn.objects.filter(organization_id=org_id, code=code)
            .select_related("key_result__objective__cycle", "key_result__objective__unit")
            .first()
        )
    elif kind == "item":
        target = (
            WeeklyItem.objects.filter(organization_id=org_id, code=code)
            .select_related("report__person", "objective", "key_result__objective")
            .first()
        )
    elif kind == "comment":
        target = get_comment(access, code)
    else:
        raise Http404
    if target is None or not may_view(access, target):
        raise Http404
    return target


def get_comment(access: Access, code: str) -> Comment:
    comment = (
        Comment.objects.filter(
            organization_id=access.membership.organization_id, code=code, deleted_at__isnull=True
        )
        .select_related("author", *_COMMENT_TARGET_RELATIONS)
        .first()
    )
    if comment is None or not may_view(access, comment):
        raise Http404
    return comment


# --- counts and reactions for lists ----------------------------------------------------------


def comment_counts(kind: str, ids: Iterable[int]) -> dict[int, int]:
    """{target id: number of comments} for targets of one kind, in one query. Targets
    without comments are absent."""
    field = COMMENT_KINDS[kind]
    wanted = list(ids)
    if not wanted:
        return {}
    rows = (
        Comment.objects.filter(**{f"{field}_id__in": wanted}, deleted_at__isnull=True)
        .values_list(f"{field}_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {target_id: n for target_id, n in rows}


@dataclass(frozen=True)
class ReactionCount:
    emoji: str
    count: int
    mine: bool

    @property
    def glyph(self) -> str:
        return GLYPHS[Emoji(self.emoji)]

    @property
    def label(self) -> str:
        return str(Emoji(self.emoji).label)


def reactions_for(kind: str, ids: Iterable[int], user_id: int) -> dict[int, list[ReactionCount]]:
    """{target id: [reaction counts in the offered order]} for targets of one kind, in one
    query; `mine` says whether `user_id` gave that reaction. Targets without reactions are
    absent."""
    field = REACTION_KINDS[kind]
    wanted = list(ids)
    if not wanted:
        return {}
    rows = (
        Reaction.objects.filter(**{f"{field}_id__in": wanted})
        .values_list(f"{field}_id", "emoji")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=user_id)))
        .order_by()
    )
    order = {value: index for index, value in enumerate(Emoji.values)}
    result: dict[int, list[ReactionCount]] = {}
    for target_id, emoji, n, mine in rows:
        result.setdefault(target_id, []).append(ReactionCount(emoji, n, bool(mine)))
    for counts in result.values():
        counts.sort(key=lambda item: order.get(item.emoji, 99))
    return result


def reaction_bar(counts: Iterable[ReactionCount] | None) -> list[ReactionCount]:
    """Every offered reaction, with the given counts filled in: what the reaction bar shows."""
    given = {item.emoji: item for item in counts or ()}
    return [given.get(value) or ReactionCount(value, 0, False) for value in Emoji.values]


@dataclass
class Social:
    """What a page shows under one target: its comment count and reaction bar."""

    kind: str
    code: str
    count: int
    reactions: list[ReactionCount]


def social_of(kind: str, targets: list[Any], user_id: int) -> dict[int, Social]:
    """Comment counts and reaction bars for many targets of one kind, in two queries."""
    ids = [target.pk for target in targets]
    counts = comment_counts(kind, ids) if kind in COMMENT_KINDS else {}
    reactions = reactions_for(kind, ids, user_id)
    return {
        target.pk: Social(
            kind=kind,
            code=target.code,
            count=counts.get(target.pk, 0),
            reactions=reaction_bar(reactions.get(target.pk)),
        )
        for target in targets
    }


# --- a thread -----------------------------------------------------------------------------


def thread(access: Access, target: Any) -> list[Comment]:
    """The comments on a target, oldest first, decorated as `decorate` says; three queries
    whatever the length of the thread."""
    field = COMMENT_KINDS[kind_of(target)]
    comments = list(
        Comment.objects.filter(**{field: target}, deleted_at__isnull=True)
        .select_related("author")
        .prefetch_related("mentions__user")
        .order_by("created_at", "id")
    )
    return decorate(access, target, comments)


def decorate(access: Access, target: Any, comments: list[Comment]) -> list[Comment]:
    """Give each comment of one target `html` (its rendered text), `can_manage` and
    `reaction_list`. Reactions come from one query; mentions should be prefetched."""
    field = COMMENT_KINDS[kind_of(target)]
    reactions = reactions_for("comment", [c.pk for c in comments], access.user_id)
    # The same rule as services.may_manage, with the target's visibility decided once for the
    # whole thread rather than once per comment.
    may_write = access.can_write and may_view(access, target)
    for comment in comments:
        setattr(comment, field, target)
        comment.html = render_body(  # type: ignore[attr-defined]
            comment.body, [m.user for m in comment.mentions.all()]
        )
        comment.can_manage = may_write and (  # type: ignore[attr-defined]
            comment.author_id == access.user_id or access.is_admin
        )
        comment.reaction_list = reaction_bar(reactions.get(comment.pk))  # type: ignore[attr-defined]
    return comments


# --- mentions -----------------------------------------------------------------------------


def _report_people_q(access: Access, path: str) -> Q:
    """People whose weeks the viewer may see (`can_see_report`, as a query on `path`)."""
    shared = UnitMember.objects.filter(
        organization_id=access.membership.organization_id,
        unit_id__in=access.member_unit_ids | access.led_unit_ids,
    ).values("user_id")
    return Q(**{path: access.user_id}) | Q(**{f"{path}__in": shared})


def _visible_comment_q(access: Access, prefix: str = "") -> Q:
    """Comments whose target the viewer may see, as a query."""
    if access.is_admin:
        return Q()
    objectives = visible_objectives(access).values("id")
    return (
        Q(**{f"{prefix}objective__in": objectives})
        | Q(**{f"{prefix}key_result__objective__in": objectives})
        | Q(**{f"{prefix}checkin__key_result__objective__in": objectives})
        | _report_people_q(access, f"{prefix}weekly_item__report__person_id")
    )


def unread_mentions(access: Access, limit: int = 10) -> list[Mention]:
    """The viewer's unread mentions in this organization, newest first, each with
    `target_title` and `url`; one query. Mentions of deleted comments, or of things the
    viewer can no longer see, are left out."""
    return mentions_of(access, unread=True, limit=limit)


def mentions_of(access: Access, *, unread: bool, limit: int) -> list[Mention]:
    """The viewer's mentions (only the unread ones, if `unread`), as `unread_mentions`."""
    slug = access.membership.organization.slug
    mentions = Mention.objects.filter(
        organization_id=access.membership.organization_id,
        user_id=access.user_id,
        comment__deleted_at__isnull=True,
    )
    if unread:
        mentions = mentions.filter(read_at__isnull=True)
    rows = list(
        mentions.filter(_visible_comment_q(access, "comment__"))
        .select_related(
            "comment__author",
            "comment__objective",
            "comment__key_result__objective",
            "comment__checkin__key_result__objective",
            "comment__weekly_item",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    for mention in rows:
        comment = mention.comment
        target = comment.target
        mention.target_title = title_of(target)  # type: ignore[attr-defined]
        if comment.weekly_item_id:
            url = thread_url(slug, "item", comment.weekly_item.code)  # type: ignore[union-attr]
        else:
            url = page_url(slug, target)
        mention.url = url if "#" in url else f"{url}#comment-{comment.code}"  # type: ignore[attr-defined]
    return rows


# --- activity -----------------------------------------------------------------------------

FEED_VERBS = (
    "objective.created",
    "objective.updated",
    "objective.state_changed",
    "key_result.created",
    "key_result.updated",
    "key_result.deleted",
    "checkin.recorded",
    "alignment.linked",
    "alignment.unlinked",
    "initiative.created",
    "initiative.updated",
    "cycle.created",
    "cycle.state_changed",
    "unit.created",
    "weekly.item_added",
    "weekly.item_done",
    "weekly.item_moved",
    "weekly.item_resolved",
    "comment.added",
)
"""What the activity feed tells. Changes to settings, people and tokens stay in the audit log
only."""

PAGE_SIZE = 50


def _visible_events_q(access: Access) -> Q:
    """Events the viewer may read, decided in the database for a whole page at once: events
    of an objective only when the viewer sees that objective; weekly items and comments only
    when the viewer sees their target."""
    visible = visible_objectives(access).values("code")
    condition = Q(objective_code="") | Q(objective_code__in=visible)
    if access.is_admin:
        return condition
    items = WeeklyItem.objects.filter(code=OuterRef("object_code")).filter(
        _report_people_q(access, "report__person_id")
    )
    comments = Comment.objects.filter(code=OuterRef("object_code")).filter(
        _visible_comment_q(access)
    )
    return (
        condition
        & (~Q(object_type="weeklyitem") | Q(Exists(items)))
        & (~Q(object_type="comment") | Q(Exists(comments)))
    )


def _unit_events_q(unit: Any) -> Q:
    """Events about a unit: its objectives, its members' weekly items and the comments on
    them."""
    from tenfold.okrs.models import Objective

    codes = Objective.objects.filter(organization_id=unit.organization_id, unit=unit).values("code")
    members = UnitMember.objects.filter(unit=unit).values("user_id")
    items = WeeklyItem.objects.filter(code=OuterRef("object_code"), report__person_id__in=members)
    comments = Comment.objects.filter(
        code=OuterRef("object_code"), weekly_item__report__person_id__in=members
    )
    return (
        Q(objective_code__in=codes)
        | (Q(object_type="weeklyitem") & Q(Exists(items)))
        | (Q(object_type="comment") & Q(Exists(comments)))
    )


@dataclass
class ActivityPage:
    entries: list[Any]
    older: int | None
    """The `before` of the next, older page; None on the last page."""


def activity(
    access: Access, *, unit: Any = None, before: int | None = None, limit: int = PAGE_SIZE
) -> ActivityPage:
    """The organization's (or one unit's) activity, newest first: audit events the viewer may
    read, each with `sentence` and `url`. Keyset pagination on (time, id); one query, two for
    an older page."""
    from .activity import describe, event_url

    organization = access.membership.organization
    events = AuditEvent.objects.filter(organization_id=organization.pk, verb__in=FEED_VERBS).filter(
        _visible_events_q(access)
    )
    if unit is not None:
        events = events.filter(_unit_events_q(unit))
    if before is not None:
        # Keyset on (time, id): events are listed by when they happened, which is not always
        # the order they were written in (imported or backdated history).
        cursor = (
            AuditEvent.objects.filter(organization_id=organization.pk, pk=before)
            .values_list("created_at", flat=True)
            .first()
        )
        if cursor is None:
            events = events.none()
        else:
            events = events.filter(Q(created_at__lt=cursor) | Q(created_at=cursor, id__lt=before))
    rows = list(events.select_related("actor").order_by("-created_at", "-id")[: limit + 1])
    older = rows[limit - 1].pk if len(rows) > limit else None
    rows = rows[:limit]
    for event in rows:
        event.sentence = describe(event, organization)  # type: ignore[attr-defined]
        event.url = event_url(event, organization.slug)  # type: ignore[attr-defined]
    return ActivityPage(entries=rows, older=older)
