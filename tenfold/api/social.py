"""API endpoints for comments, reactions, mentions and the activity feed. Like the rest of
API v1: a scoped fetch, the same Access rules as the web pages, the same services."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from tenfold.social import services
from tenfold.social.models import GLYPHS, Comment, Emoji
from tenfold.social.selectors import (
    activity,
    get_comment,
    get_target,
    mentions_of,
    reaction_bar,
    reactions_for,
    thread,
)
from tenfold.social.targets import FIELD_KINDS, kind_of, may_talk

from .paging import ChangedPageIn, paginate, since
from .schemas import ErrorOut, PersonOut
from .views import person, scoped

router: Router = Router(tags=["comments"])

CommentKind = Literal["objective", "key-result", "check-in", "item"]
ReactionKind = Literal["objective", "key-result", "check-in", "item", "comment"]


class CommentIn(Schema):
    target_kind: CommentKind
    target: str = Field(description="Code of the objective, key result, check-in or item")
    body: str = Field(description="Up to 5000 characters; @handles mention people")


class CommentOut(Schema):
    code: str
    target_kind: CommentKind
    target: str
    author: PersonOut | None
    body: str
    mentions: list[str] = Field(description="Email addresses of the people it mentions")
    source: str
    created_at: dt.datetime
    edited_at: dt.datetime | None


class ReactionIn(Schema):
    target_kind: ReactionKind
    target: str = Field(description="Code of the target")
    emoji: str = Field(description="A reaction's name (thumbs_up, party, …) or the emoji itself")


class ReactionCountOut(Schema):
    emoji: str
    glyph: str
    count: int
    mine: bool


class ReactionResult(Schema):
    on: bool = Field(description="Whether your reaction is now there (false: taken back)")
    reactions: list[ReactionCountOut]


class MentionOut(Schema):
    comment: CommentOut
    target_title: str
    url: str = Field(description="Where the comment is shown in the web app")
    read_at: dt.datetime | None
    created_at: dt.datetime


class EventOut(Schema):
    id: int
    verb: str
    actor: PersonOut | None
    sentence: str = Field(description="The event told in the caller's language")
    object_type: str
    object_code: str
    objective: str | None = Field(None, description="Code of the objective it concerns")
    created_at: dt.datetime


class ActivityOut(Schema):
    events: list[EventOut]
    older: int | None = Field(description="Pass as `before` for the next, older page")


def _target_of(comment: Comment) -> tuple[str, str]:
    for field, kind in FIELD_KINDS.items():
        if getattr(comment, f"{field}_id", None):
            return kind, getattr(comment, field).code
    return "", ""


def comment_out(comment: Comment, mentioned: list[Any] | None = None) -> dict[str, Any]:
    kind, code = _target_of(comment)
    if mentioned is None:
        mentioned = [m.user for m in comment.mentions.all()]
    return {
        "code": comment.code,
        "target_kind": kind,
        "target": code,
        "author": person(comment.author),
        "body": comment.body,
        "mentions": [user.email for user in mentioned],
        "source": comment.source,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


@router.get(
    "/orgs/{org}/comments",
    response=list[CommentOut],
    summary="List the comments on a target",
)
def list_comments(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    target_kind: CommentKind,
    target: str,
    page: Query[ChangedPageIn],
) -> list[dict[str, Any]]:
    """Oldest first. Paginated (`limit`, `offset`; X-Total-Count and Link headers);
    `updated_since` keeps the comments written or edited since then."""
    _organization, access = scoped(request, org)
    found = get_target(access, target_kind, target)
    moment = since(page.updated_since)
    rows = [
        comment
        for comment in thread(access, found)
        if moment is None or (comment.edited_at or comment.created_at) >= moment
    ]
    return [comment_out(comment) for comment in paginate(request, response, rows, page)]


@router.post(
    "/orgs/{org}/comments",
    response={201: CommentOut, 400: ErrorOut, 403: ErrorOut},
    summary="Comment on a target",
)
def create_comment(request: HttpRequest, org: str, payload: CommentIn) -> Status[dict[str, Any]]:
    _organization, access = scoped(request, org)
    found = get_target(access, payload.target_kind, payload.target)
    comment = services.comment_add(access=access, target=found, body=payload.body, source="api")
    mentioned = [m.user for m in comment.mentions.select_related("user")]
    return Status(201, comment_out(comment, mentioned))


@router.delete(
    "/orgs/{org}/comments/{code}",
    response={204: None, 403: ErrorOut},
    summary="Delete a comment (its author, or an admin)",
)
def delete_comment(request: HttpRequest, org: str, code: str) -> Status[None]:
    _organization, access = scoped(request, org)
    comment = get_comment(access, code)
    services.comment_delete(access=access, comment=comment)
    return Status(204, None)


@router.post(
    "/orgs/{org}/reactions",
    response={200: ReactionResult, 400: ErrorOut, 403: ErrorOut},
    summary="Add or take back a reaction",
)
def toggle_reaction(request: HttpRequest, org: str, payload: ReactionIn) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    found = get_target(access, payload.target_kind, payload.target)
    if not may_talk(access, found):
        raise PermissionDenied(_("Viewers can see reactions but not add their own."))
    on = services.reaction_toggle(access=access, target=found, emoji=payload.emoji)
    counts = reactions_for(kind_of(found), [found.pk], access.user_id).get(found.pk)
    return {
        "on": on,
        "reactions": [
            {"emoji": r.emoji, "glyph": GLYPHS[Emoji(r.emoji)], "count": r.count, "mine": r.mine}
            for r in reaction_bar(counts)
            if r.count
        ],
    }


@router.get(
    "/orgs/{org}/mentions",
    response=list[MentionOut],
    summary="Comments that mention you, newest first (at most 100)",
)
def list_mentions(request: HttpRequest, org: str, unread: bool = False) -> list[dict[str, Any]]:
    _organization, access = scoped(request, org)
    mentions = mentions_of(access, unread=unread, limit=100)
    return [
        {
            "comment": comment_out(mention.comment, mentioned=[]),
            "target_title": mention.target_title,  # type: ignore[attr-defined]
            "url": request.build_absolute_uri(mention.url),  # type: ignore[attr-defined]
            "read_at": mention.read_at,
            "created_at": mention.created_at,
        }
        for mention in mentions
    ]


@router.get(
    "/orgs/{org}/activity",
    response=ActivityOut,
    tags=["activity"],
    summary="What happened in the organization, newest first, 50 at a time",
)
def list_activity(request: HttpRequest, org: str, before: int | None = None) -> dict[str, Any]:
    _organization, access = scoped(request, org)
    page = activity(access, before=before)
    return {
        "events": [
            {
                "id": event.pk,
                "verb": event.verb,
                "actor": person(event.actor),
                "sentence": event.sentence,
                "object_type": event.object_type,
                "object_code": event.object_code,
                "objective": event.objective_code or None,
                "created_at": event.created_at,
            }
            for event in page.entries
        ],
        "older": page.older,
    }
