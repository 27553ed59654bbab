"""Reads for the replies-by-email pages and API."""

from __future__ import annotations

from tenfold.organizations.models import Organization

from .models import InboundMessage

RECENT = 50


def recent_messages(organization: Organization, *, limit: int = RECENT) -> list[InboundMessage]:
    """The organization's latest inbound messages, newest first, with their senders' accounts
    (one query whatever the number)."""
    return list(
        InboundMessage.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-received_at", "-id")[:limit]
    )
