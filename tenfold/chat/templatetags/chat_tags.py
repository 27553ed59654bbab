"""The "Team chat" card of the unit page, for the people who manage the unit's channels."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import ChatChannel
from ..selectors import can_manage_chat

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_chat_summary(context: Any) -> dict[str, Any] | None:
    """How many channels the unit in the context has and how many are failing; None when the
    viewer does not manage them (the card is then not shown). One query."""
    unit, access = context.get("unit"), context.get("access")
    if unit is None or access is None or not can_manage_chat(access, unit):
        return None
    rows = list(ChatChannel.objects.filter(unit=unit).values_list("active", "last_error"))
    return {
        "count": len(rows),
        "active": sum(1 for active, _error in rows if active),
        "failing": sum(1 for active, error in rows if active and error),
    }
