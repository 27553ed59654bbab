"""Reads of chat channels, scoped to one organization, and who may manage them.

A unit's channels are managed by the leads of that unit (or of a unit above it) and by
admins; everyone else gets a 403, and other organizations a 404. Viewers never manage them,
even when they lead a unit on paper.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from tenfold.organizations.models import Unit
from tenfold.organizations.permissions import Access

from .models import CHAT_KINDS, ChatChannel


def can_manage_chat(access: Access, unit: Unit) -> bool:
    return access.can_write and (access.is_admin or unit.id in access.led_unit_ids)


def get_channel(access: Access, code: str) -> ChatChannel:
    """One channel of the person's organization, with its unit; 404 otherwise."""
    organization = access.membership.organization
    channel = (
        ChatChannel.objects.filter(organization=organization, code=(code or "").strip().lower())
        .select_related("unit")
        .first()
    )
    if channel is None:
        raise Http404
    channel.organization = organization
    return channel


def channels_of(unit: Unit) -> list[ChatChannel]:
    """The unit's channels, oldest first, from one query."""
    channels = list(ChatChannel.objects.filter(unit=unit))
    for channel in channels:
        channel.unit = unit
    return channels


def active_channels(unit: Unit, kind: str) -> list[ChatChannel]:
    """The channels of a unit that take `kind` now. The kinds are filtered here rather than in
    SQL: SQLite has no JSON containment, and a unit has a handful of channels at most."""
    return [
        channel
        for channel in ChatChannel.objects.filter(unit=unit, active=True)
        if kind in (channel.kinds or [])
    ]


def channel_data(channel: ChatChannel) -> dict[str, Any]:
    """A channel as the API and `tenfold chat list --json` give it: never the full URL."""
    unit = channel.unit
    return {
        "code": channel.code,
        "provider": channel.provider,
        "name": channel.name,
        "url_hint": channel.url_hint,
        "kinds": [kind for kind in CHAT_KINDS if kind in (channel.kinds or [])],
        "active": channel.active,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
        "last_sent_at": channel.last_sent_at,
        "last_error": channel.last_error,
        "last_error_at": channel.last_error_at,
        "created_at": channel.created_at,
    }
