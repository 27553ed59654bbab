from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization


class InboundStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    IGNORED = "ignored", _("Ignored")
    ERROR = "error", _("Error")


class Via(models.TextChoices):
    HTTP = "http", _("Web hook")
    MAILDIR = "maildir", _("Maildir")
    FILE = "file", _("File")


class InboundMessage(models.Model):
    """One email received at a reply address, and what became of it.

    The message itself is never stored (attachments least of all): only who it was for, what
    it added and why it was refused. A message applied once is recognised by its Message-ID
    and never applied again; the unique constraint settles two deliveries arriving at once."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    week = models.DateField(_("week"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    token_ok = models.BooleanField(_("reply address valid"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=InboundStatus)
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    """A stable code for what decided the status: too_large, auto_reply, no_token, forged,
    expired, unknown_user, not_member, invalid, empty, refused, internal."""
    summary = models.JSONField(_("what was added"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    via = models.CharField(_("received through"), max_length=10, choices=Via, default=Via.HTTP)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    """When the confirmation email went to the person; set once, so it is sent once."""

    class Meta:
        ordering = ("-received_at", "-id")
        indexes = [models.Index(fields=["organization", "-received_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=models.Q(status="applied") & ~models.Q(message_id=""),
                name="inbound_applied_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id or self.code} · {self.status}"

    @property
    def added_count(self) -> int:
        summary = self.summary if isinstance(self.summary, dict) else {}
        return len(summary.get("items", [])) + len(summary.get("checkins", []))
