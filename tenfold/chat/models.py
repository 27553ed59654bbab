"""Team chat channels: Slack and Microsoft Teams incoming webhooks, one row per channel a unit
posts to, and what the at-risk alerts last saw of each key result."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.notifications.models import Kind
from tenfold.organizations.models import Organization, Unit

NAME_MAX = 80
URL_MAX = 2000
CHANNELS_PER_UNIT = 10
"""A unit rarely needs more than two or three; the cap keeps a mistake from fanning out."""


class Provider(models.TextChoices):
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


CHAT_KINDS: tuple[str, ...] = (
    Kind.WEEKLY,
    Kind.TEAM_DIGEST,
    Kind.COMPANY_DIGEST,
    Kind.AT_RISK,
)
"""What a channel can receive: the weekly check-in reminder, the team's and the company's
digests, and alerts when a key result turns at risk, off track or stale."""

PROVIDER_DOMAINS: dict[str, tuple[str, ...]] = {
    Provider.SLACK: ("slack.com",),
    # Classic connectors, and the Workflows (Power Automate) URLs that replace them.
    Provider.TEAMS: (
        "webhook.office.com",
        "office.com",
        "logic.azure.com",
        "powerautomate.com",
        "powerplatform.com",
    ),
}


def kind_label(kind: str) -> str:
    return str(Kind(kind).label) if kind in Kind.values else kind


class ChatChannel(models.Model):
    """A channel of a unit's Slack workspace or Teams team, reached by its incoming-webhook
    URL. The URL is a credential (whoever has it can post), so pages and the API only show
    its host and last characters."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="chat_channels"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="chat_channels")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    provider = models.CharField(_("chat service"), max_length=10, choices=Provider)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    webhook_url = models.CharField(_("incoming webhook URL"), max_length=URL_MAX)
    kinds = models.JSONField(_("messages it receives"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_sent_at = models.DateTimeField(_("last message sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["unit", "active"], name="chat_channel_unit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider__in=Provider.values), name="chat_provider_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def takes(self, kind: str) -> bool:
        return self.active and kind in (self.kinds or [])

    @property
    def host(self) -> str:
        try:
            return urlsplit(self.webhook_url).hostname or ""
        except ValueError:
            return ""

    @property
    def url_hint(self) -> str:
        """Enough of the URL to recognise it, not enough to use it."""
        return hint_of(self.webhook_url)

    @property
    def kind_labels(self) -> list[str]:
        return [kind_label(kind) for kind in CHAT_KINDS if kind in (self.kinds or [])]


def hint_of(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    tail = url.rstrip("/")[-4:] if len(url) > len(host) + 12 else ""
    return f"{host}/…{tail}" if tail else f"{host}/…"


class AlertState(models.Model):
    """The status the at-risk alerts last saw for one key result, and the alert it still owes.

    `last_status` changes whenever the computed status changes; when the new status is one
    that alerts (at risk, off track, stale), `owed` holds the alert's period key until every
    channel has it (sent, or failed for good), so a failing channel is retried by the tick
    without a second alert for the same change."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    key_result = models.OneToOneField(
        "okrs.KeyResult", on_delete=models.CASCADE, related_name="chat_alert_state"
    )
    last_status = models.CharField(max_length=12)
    owed = models.CharField(max_length=60, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["organization", "owed"], name="chat_alert_owed")]

    def __str__(self) -> str:
        return f"{self.key_result_id}: {self.last_status}"
