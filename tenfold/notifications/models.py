from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.organizations.models import Organization, Unit, Weekday


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


class Kind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly check-in reminder")
    STALE = "stale", _("Stale key result nudge")
    REVIEW = "review", _("Review reminder")
    TEAM_DIGEST = "team_digest", _("Team digest")
    COMPANY_DIGEST = "company_digest", _("Company digest")
    SUBSCRIBER_DIGEST = "subscriber_digest", _("Digest for subscribers")
    AT_RISK = "at_risk", _("At-risk alert")


# Kinds a person can switch off for themselves (the rest are for teams or outsiders).
PERSONAL_KINDS = (Kind.WEEKLY, Kind.STALE, Kind.REVIEW, Kind.TEAM_DIGEST, Kind.COMPANY_DIGEST)
# Nudges share one budget per person: at most one a day and three a week.
NUDGE_KINDS = (Kind.STALE,)


class Status(models.TextChoices):
    PENDING = "pending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """One notification to one recipient for one period. The unique constraint is what makes a
    send idempotent: a second worker, a retry or a restart finds the row and does not send
    again. A row is claimed (status pending, lease) before the message goes out, and marked
    sent after; a worker that dies in between leaves a pending row whose lease runs out, and
    the next tick sends it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.CharField(_("recipient"), max_length=160)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    period = models.CharField(_("period"), max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "kind", "period"], name="delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["user", "kind", "created_at"]),
            models.Index(fields=["status", "lease_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.period}): {self.status}"


class Preference(models.Model):
    """How one person wants to be reached in one organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    email = models.BooleanField(_("by email"), default=True)
    muted_until = models.DateField(
        _("pause everything until"),
        null=True,
        blank=True,
        help_text=_("Nothing is sent to you up to and including this day (holidays, leave)."),
    )
    kinds_off = models.JSONField(_("switched off"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Schedule(models.Model):
    """A team's own check-in day, hour and time zone, when it differs from the organization's."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="schedule")
    checkin_weekday = models.PositiveSmallIntegerField(
        _("check-in day"), choices=Weekday, null=True, blank=True
    )
    checkin_hour = models.PositiveSmallIntegerField(_("check-in hour"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    reminders = models.BooleanField(_("send weekly reminders"), default=True)

    def __str__(self) -> str:
        return f"{self.unit}"


class OrgSettings(models.Model):
    """What the organization sends, and when (its defaults; teams and people adjust)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="notification_settings"
    )
    weekly_reminders = models.BooleanField(_("weekly check-in reminders"), default=True)
    stale_nudges = models.BooleanField(_("nudges for stale key results"), default=True)
    review_reminder_days = models.PositiveSmallIntegerField(
        _("remind leads to review this many days before a cycle ends"),
        default=7,
        help_text=_("0 turns review reminders off."),
    )
    digests = models.BooleanField(_("weekly digests"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest day"), choices=Weekday, default=Weekday.MONDAY
    )
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=8)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization}"


def org_settings(organization: Organization) -> OrgSettings:
    found = getattr(organization, "_notification_settings", None)
    if found is None:
        found, _created = OrgSettings.objects.get_or_create(organization=organization)
        organization._notification_settings = found  # type: ignore[attr-defined]
    return found


class Heartbeat(models.Model):
    """When the worker's tick last ran, so the settings page can say whether a worker runs."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()
    summary = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%Y-%m-%d %H:%M}"
