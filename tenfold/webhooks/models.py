"""Outbound webhooks: an organization's subscriptions to its own events, and one row per event
sent (or being sent) to each subscription.

A webhook is an address Tenfold POSTs signed JSON to whenever something it subscribes to happens
(the event types are in `events.EVENT_TYPES`). Every send is a `WebhookDelivery`: its attempts,
the receiver's answer and, while it keeps failing, when the next attempt is due. The delivery
rows are what make sending safe to repeat: one row per (webhook, event), and an attempt is only
made by whoever claimed the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization

NAME_MAX = 100
URL_MAX = 2000
EXCERPT_MAX = 1000
"""How much of a receiver's answer is kept on the delivery: enough to read an error message."""


class Webhook(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhooks"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    url = models.CharField(_("address"), max_length=URL_MAX)
    secret = models.CharField(_("signing secret"), max_length=80)
    # After a rotation the old secret still signs (beside the new one) for a grace period, so a
    # receiver can switch over without rejecting anything in between.
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    event_types = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("Empty for every event, including event types added later."),
    )
    include_private = models.BooleanField(
        _("include restricted objectives"),
        default=False,
        help_text=_(
            "Also send events about objectives that not everyone in the organization may see "
            "(unit-only, private and personal ones) and comments on weekly plans."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(
        default=0,
        help_text=_("Events given up on in a row since the last delivery that got through."),
    )
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name", "id")
        indexes = [models.Index(fields=["organization", "active"], name="webhook_org_active")]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str, *, restricted: bool = False) -> bool:
        """Whether this webhook subscribes to an event type (no choice means every type), and
        to events about objectives not everyone may see."""
        if restricted and not self.include_private:
            return False
        return not self.event_types or event_type in self.event_types

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        try:
            return urlsplit(self.url).hostname or ""
        except ValueError:
            return ""


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one webhook, with the outcome of its latest attempt."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    event_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # While pending: when the next attempt may be made. An attempt in progress pushes it a few
    # minutes ahead (the claim), so a worker that dies mid-attempt is retried, not forgotten.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="webhook_event_once"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values),
                name="webhook_delivery_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook_id}"

    @property
    def is_test(self) -> bool:
        return self.event_type == "webhook.test"

    @property
    def payload_text(self) -> str:
        """The payload as readable JSON, for the delivery log."""
        import json

        return json.dumps(self.payload, indent=2, ensure_ascii=False)
