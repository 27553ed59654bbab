from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.okrs.models import TEXT_MAX, VALUE_DIGITS, VALUE_PLACES, KeyResult
from tenfold.organizations.models import Organization


class Source(models.TextChoices):
    WEB = "web", _("Web")
    CLI = "cli", _("Command line")
    API = "api", _("API")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    INTEGRATION = "integration", _("Integration")
    IMPORT = "import", _("Import")
    MEETING = "meeting", _("Team meeting")


class CheckIn(models.Model):
    """One reading of a key result. Append-only: a correction is a new row that points at the
    one it supersedes, so the history always shows what was said at the time."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="checkins")
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    confidence = models.DecimalField(
        _("confidence"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="checkins"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.WEB)
    measured_at = models.DateTimeField(_("measured at"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    edit_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    class Meta:
        ordering = ("-measured_at", "-id")
        indexes = [models.Index(fields=["key_result", "-measured_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | (models.Q(confidence__gte=0) & models.Q(confidence__lte=1)),
                name="checkin_confidence_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value}"

    @property
    def confidence_out_of_ten(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 10)


ITEM_MAX = 500
"""Longest weekly item, in characters: a line, not a document."""


class Category(models.TextChoices):
    """The three built-in weekly categories. An organization may add its own (lessons learned,
    ideas, …); those are stored by the key the organization gave them."""

    PLANS = "plans", _("Plans")
    PROGRESS = "progress", _("Progress")
    PROBLEMS = "problems", _("Problems")


class WeeklyReport(models.Model):
    """One person's week: Plans, Progress, Problems and the organization's extra categories.

    `week` is the first day of the week in the organization's calendar (its week start, in
    its time zone). Unfinished plans and open problems of the person's previous report are
    carried in once the week has begun; `carried_in_at` records that it happened."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_reports"
    )
    week = models.DateField(_("week"))
    carried_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-week",)
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "person", "week"], name="weekly_report_once"
            )
        ]
        indexes = [models.Index(fields=["organization", "week"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.week}"


class WeeklyItem(models.Model):
    """A line of a weekly report, optionally linked to an objective or one of its key results
    (an item without a link is business as usual)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("category"), max_length=40)
    text = models.CharField(_("text"), max_length=ITEM_MAX)
    position = models.PositiveIntegerField(default=0)
    objective = models.ForeignKey(
        "okrs.Objective",
        verbose_name=_("objective"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="weekly_items",
    )
    key_result = models.ForeignKey(
        KeyResult,
        verbose_name=_("key result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="weekly_items",
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    """When a plan was completed (and moved to progress)."""
    resolved_at = models.DateTimeField(null=True, blank=True)
    """When a problem was marked resolved."""
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.WEB)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("position", "id")
        indexes = [models.Index(fields=["report", "category", "position"])]

    def __str__(self) -> str:
        return self.text
