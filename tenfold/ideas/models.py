"""The ideas board: answers to the four brainstorming questions, upvoted and discussed.

METHOD §11: before a brainstorming meeting people answer four questions; the answers are
collected in one shared place, commented on for about a week and upvoted, and the most upvoted
become candidate objectives or improvement key results. `Idea.promoted_to` remembers the draft
objective an idea became.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization, Unit

TEXT_MAX = 2000
"""Longest idea, in characters: a few sentences, not a document."""
DETAILS_MAX = 2000
"""Longest explanation under an idea. With the idea itself it fits an objective's description
when the idea is promoted."""
BODY_MAX = 2000
"""Longest comment on an idea."""


class Question(models.TextChoices):
    """The four questions asked before a brainstorm. The keys are stable: the API, the CLI and
    exports use them; only the labels are translated."""

    CHANGE = "change", _("What could we change to get better results?")
    BLOCKERS = "blockers", _("What stops us?")
    DOUBLE_DOWN = "double_down", _("What works that we should double down on?")
    PROBLEMS = "problems", _("What problems do we face?")


PROMPTS: dict[str, Any] = {
    Question.CHANGE: _(
        "A habit, a process, an experiment: one thing that would move our results if we did "
        "it differently."
    ),
    Question.BLOCKERS: _(
        "What slows us down or gets in the way: missing tools, unclear decisions, too many "
        "priorities at once."
    ),
    Question.DOUBLE_DOWN: _(
        "Something that already pays off and deserves more of our time, people or money."
    ),
    Question.PROBLEMS: _(
        "Problems of our customers, our product or our team that we should face next cycle."
    ),
}
"""A short nudge under each question, so people know what kind of answer helps."""


class IdeaStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PROMOTED = "promoted", _("Became an objective")
    ARCHIVED = "archived", _("Archived")


class Idea(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ideas")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    question = models.CharField(_("question"), max_length=20, choices=Question)
    text = models.TextField(_("idea"), max_length=TEXT_MAX)
    details = models.TextField(_("details"), max_length=DETAILS_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="ideas",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("for the unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        help_text=_("Empty for an idea about the whole organization."),
    )
    cycle = models.ForeignKey(
        "okrs.Cycle",
        verbose_name=_("for the cycle"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus, default=IdeaStatus.OPEN
    )
    promoted_to = models.ForeignKey(
        "okrs.Objective",
        verbose_name=_("became the objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    # Kept by the vote services under a row lock, so the board sorts by votes with an index
    # instead of counting every idea's votes on each visit.
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-vote_count", "-created_at", "-id")
        indexes = [
            # The board: one organization's ideas in one status, most votes or newest first.
            models.Index(
                fields=["organization", "status", "-vote_count", "-created_at"],
                name="idea_board_votes",
            ),
            models.Index(fields=["organization", "status", "-created_at"], name="idea_board_new"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(question__in=Question.values), name="idea_question_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=IdeaStatus.values), name="idea_status_known"
            ),
            models.CheckConstraint(condition=models.Q(vote_count__gte=0), name="idea_votes_gte_0"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status == IdeaStatus.OPEN

    @property
    def prompt(self) -> str:
        return str(PROMPTS.get(self.question, ""))


class IdeaVote(models.Model):
    """One person's upvote. One per person and idea; taking it back deletes the row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="idea_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.idea_id}"


class IdeaComment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["idea", "created_at"], name="idea_comment_thread")]

    def __str__(self) -> str:
        return self.body[:80]
