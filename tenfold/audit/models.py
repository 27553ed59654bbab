from __future__ import annotations

from django.conf import settings
from django.db import models

from tenfold.organizations.models import Organization


class AuditEvent(models.Model):
    """Every meaningful change, written by the service that made it. The activity feed,
    history views and "explain" pages read from here."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=30)
    object_code = models.CharField(max_length=12)
    object_repr = models.CharField(max_length=200)
    objective_code = models.CharField(max_length=12, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["organization", "object_type", "object_code"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"
