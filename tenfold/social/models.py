"""Conversation around OKRs: comments, emoji reactions and @mentions.

A comment or reaction points at exactly one target through one of several nullable foreign
keys (a check constraint enforces "exactly one"), rather than a generic relation: the database
keeps referential integrity, and counting for many targets of one kind is a single indexed
query."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.checkins.models import Source
from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization

BODY_MAX = 5000
"""Longest comment, in characters."""

COMMENT_TARGETS = ("objective", "key_result", "checkin", "weekly_item")
"""The foreign keys a comment may point at; exactly one is set."""

REACTION_TARGETS = (*COMMENT_TARGETS, "comment")


class Emoji(models.TextChoices):
    """The small, fixed set of reactions. Stored by name so the database never depends on how
    a client encodes an emoji."""

    THUMBS_UP = "thumbs_up", _("thumbs up")
    PARTY = "party", _("celebrate")
    HEART = "heart", _("love it")
    EYES = "eyes", _("looking into it")
    ROCKET = "rocket", _("ship it")
    THINKING = "thinking", _("hmm, thinking")


GLYPHS = {
    Emoji.THUMBS_UP: "👍",
    Emoji.PARTY: "🎉",
    Emoji.HEART: "❤️",
    Emoji.EYES: "👀",
    Emoji.ROCKET: "🚀",
    Emoji.THINKING: "🤔",
}


def exactly_one(fields: tuple[str, ...]) -> models.Q:
    """A condition true when exactly one of `fields` is not null."""
    condition = models.Q()
    for chosen in fields:
        one = models.Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                one &= models.Q(**{f"{other}__isnull": True})
        condition |= one
    return condition


class Comment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX)
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.WEB)
    objective = models.ForeignKey(
        "okrs.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    weekly_item = models.ForeignKey(
        "checkins.WeeklyItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    """Soft delete: the row stays for the audit trail, every read leaves it out."""

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(COMMENT_TARGETS), name="comment_one_target"
            ),
        ]
        # Threads and counts filter on one target column and order by time.
        indexes = [
            models.Index(fields=[field, "created_at"], name=f"comment_{field}_idx")
            for field in COMMENT_TARGETS
        ]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def target(self) -> Any:
        for field in COMMENT_TARGETS:
            if getattr(self, f"{field}_id") is not None:
                return getattr(self, field)
        return None


class Reaction(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    emoji = models.CharField(max_length=12, choices=Emoji)
    objective = models.ForeignKey(
        "okrs.Objective", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key_result = models.ForeignKey(
        "okrs.KeyResult", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    weekly_item = models.ForeignKey(
        "checkins.WeeklyItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=exactly_one(REACTION_TARGETS), name="reaction_one_target"
            ),
            *(
                models.UniqueConstraint(
                    fields=[field, "user", "emoji"],
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"reaction_once_{field}",
                )
                for field in REACTION_TARGETS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.emoji}"


class Mention(models.Model):
    """Someone named in a comment with @handle; unread until they mark it read."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="mention_once"),
        ]
        indexes = [
            models.Index(fields=["user", "organization", "read_at"], name="mention_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.comment_id}"
