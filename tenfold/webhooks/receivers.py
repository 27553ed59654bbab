"""Listening to the audit log: every new entry whose verb webhooks hear about is handed to the
`deliver_event` task once the change that wrote it is committed (never for a change that was
rolled back)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tenfold.audit.models import AuditEvent

from .events import VERBS


def audit_event_saved(sender: Any, instance: AuditEvent, created: bool, **kwargs: Any) -> None:
    organization_id = instance.organization_id
    if not created or kwargs.get("raw") or instance.verb not in VERBS or organization_id is None:
        return
    audit_id = instance.pk
    transaction.on_commit(lambda: _enqueue(audit_id, organization_id), robust=True)


def _enqueue(audit_id: int, organization_id: int) -> None:
    """Enqueue the task only when the organization has an active webhook: one query, and
    organizations without webhooks never touch the queue."""
    from .models import Webhook
    from .tasks import deliver_event

    if Webhook.objects.filter(organization_id=organization_id, active=True).exists():
        deliver_event.enqueue(audit_id)
