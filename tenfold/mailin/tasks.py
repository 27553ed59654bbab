"""Background work of replies by email: the confirmation sent after a reply is read."""

from __future__ import annotations

from django.tasks import task


@task
def reply_confirm(message_id: int) -> bool:
    """Send the confirmation for one inbound message (idempotent: at most once)."""
    from .services import reply_confirm_send

    return reply_confirm_send(message_id=message_id)
