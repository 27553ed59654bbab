from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from tenfold.organizations.models import Organization


class ImmutableAuditEvent(Exception):
    """Raised on any attempt to change or remove an audit event through the app: the log is
    append-only."""


def _refuse(what: str) -> NoReturn:
    raise ImmutableAuditEvent(f"Audit events cannot be {what}: the audit log is append-only.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Reads and inserts only. `update()`, `bulk_update()` and `delete()` refuse, so no
    service, view or command can rewrite history through the default manager."""

    def update(self, **kwargs: Any) -> NoReturn:
        """Refuse: events are never changed."""
        _refuse("changed")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        """Refuse: events are never changed."""
        _refuse("changed")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: events are written by `audit_record`, never updated in place."""
        _refuse("changed")

    def delete(self) -> NoReturn:
        """Refuse: events are only removed with their organization."""
        _refuse("deleted")


class AuditEvent(models.Model):
    """Every meaningful change, written by the service that made it. The activity feed,
    history views and "explain" pages read from here.

    Append-only: an event is written once and never changed or deleted through the app. The
    only ways an event leaves the table are the removal of its organization (recorded as a
    site-level event) and the removal of its actor's account (the event stays, without the
    actor)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="audit_events",
        null=True,
        blank=True,
        help_text="Empty for site-level events, such as the removal of an organization.",
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
    # A default rather than `auto_now_add`, so the demo and seed builders can write the time
    # a made-up event happened when they write it, instead of changing it afterwards.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["organization", "object_type", "object_code"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_repr}"

    def save(
        self,
        *,
        force_insert: Any = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Any = None,
    ) -> None:
        """Insert a new event; refuse to write over one that is already stored."""
        if not self._state.adding or force_update or update_fields is not None:
            _refuse("changed")
        # An explicit primary key must never turn the insert into an update of another row.
        super().save(force_insert=True, using=using)

    def delete(self, using: Any = None, keep_parents: bool = False) -> NoReturn:
        """Refuse: events are only removed with their organization."""
        _refuse("deleted")
