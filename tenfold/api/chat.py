"""API endpoints for team chat: a unit's Slack and Teams channels (list, add, change, remove)
and a test message.

The same rules as the pages: the unit's leads and the organization's admins manage its
channels (403 for everyone else), other organizations get 404. The webhook URL is write-only:
answers show its host and last characters (`url_hint`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.chat import services
from tenfold.chat.models import CHAT_KINDS
from tenfold.chat.selectors import can_manage_chat, channel_data, channels_of, get_channel
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit

from .schemas import ErrorOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Chat"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
KINDS = ", ".join(CHAT_KINDS)


class ChatChannelOut(Schema):
    code: str
    provider: str = Field(description="slack or teams")
    name: str
    url_hint: str = Field(description="Host and last characters of the webhook URL")
    kinds: list[str] = Field(description=f"What it receives, among: {KINDS}")
    active: bool
    unit: UnitRef
    last_sent_at: dt.datetime | None
    last_error: str = Field(description="Why the last message failed; empty after a success")
    last_error_at: dt.datetime | None
    created_at: dt.datetime


class ChatChannelIn(Schema):
    provider: str = Field(description="slack or teams")
    name: str = Field(description="How people recognise it, e.g. #growth-team")
    url: str = Field(description="The channel's incoming webhook URL")
    kinds: list[str] | None = Field(
        None,
        description=(
            f"What it receives, among: {KINDS}. Leave out for the weekly reminder, the "
            "unit's digest and at-risk alerts"
        ),
    )


class ChatChannelPatch(Schema):
    name: str | None = None
    kinds: list[str] | None = Field(None, description=f"Among: {KINDS}")
    active: bool | None = Field(None, description="false pauses every message")
    url: str | None = Field(None, description="A new webhook URL, when the old one was replaced")


class ChatTestOut(Schema):
    sent: bool
    error: str = Field(description="Why the test message did not arrive; empty when it did")
    warning: str = Field(
        description="A note when the URL's host is not one the provider usually uses"
    )


def _unit(request: HttpRequest, org: str, code: str) -> tuple[Organization, Access, Unit]:
    organization, access = scoped(request, org)
    unit = get_unit(organization, code.strip().lower())
    if not can_manage_chat(access, unit):
        raise PermissionDenied(_("Only the unit's leads and admins manage its chat channels."))
    unit.organization = organization
    return organization, access, unit


def _channel(request: HttpRequest, org: str, code: str) -> tuple[Access, Any]:
    _organization, access = scoped(request, org)
    channel = get_channel(access, code)
    if not can_manage_chat(access, channel.unit):
        raise PermissionDenied(_("Only the unit's leads and admins manage its chat channels."))
    return access, channel


@router.get(
    "/orgs/{org}/units/{code}/chat-channels",
    response={200: list[ChatChannelOut], **WRITE_ERRORS},
    summary="Chat channels of a unit",
)
def list_unit_chat(request: HttpRequest, org: str, code: str) -> list[dict[str, Any]]:
    _organization, _access, unit = _unit(request, org, code)
    return [channel_data(channel) for channel in channels_of(unit)]


@router.post(
    "/orgs/{org}/units/{code}/chat-channels",
    response={201: ChatChannelOut, **WRITE_ERRORS},
    summary="Add a Slack or Teams channel to a unit",
)
def add_unit_chat(
    request: HttpRequest, org: str, code: str, payload: ChatChannelIn
) -> Status[dict[str, Any]]:
    """Any http(s) URL is accepted (a relay of your own is fine); one on a private network
    needs an admin's allowance before messages reach it."""
    _organization, access, unit = _unit(request, org, code)
    channel = services.channel_create(
        access=access,
        unit=unit,
        provider=payload.provider,
        name=payload.name,
        url=payload.url,
        kinds=payload.kinds,
    )
    return Status(201, channel_data(channel))


@router.patch(
    "/orgs/{org}/chat-channels/{code}",
    response={200: ChatChannelOut, **WRITE_ERRORS},
    summary="Change a chat channel",
)
def update_chat_channel(
    request: HttpRequest, org: str, code: str, payload: ChatChannelPatch
) -> dict[str, Any]:
    """Only the fields sent change."""
    access, channel = _channel(request, org, code)
    channel = services.channel_update(
        access=access,
        channel=channel,
        name=payload.name,
        kinds=payload.kinds,
        active=payload.active,
        url=payload.url,
    )
    return channel_data(channel)


@router.delete(
    "/orgs/{org}/chat-channels/{code}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Remove a chat channel",
)
def delete_chat_channel(request: HttpRequest, org: str, code: str) -> Status[None]:
    access, channel = _channel(request, org, code)
    services.channel_delete(access=access, channel=channel)
    return Status(204, None)


@router.post(
    "/orgs/{org}/chat-channels/{code}/test",
    response={200: ChatTestOut, 403: ErrorOut, 404: ErrorOut},
    summary="Send a test message to a chat channel",
)
def test_chat_channel(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Posts now and waits for the answer (up to 10 seconds). `sent` says whether the
    service took it; when not, `error` says why (also kept as the channel's `last_error`)."""
    access, channel = _channel(request, org, code)
    error = ""
    try:
        services.channel_test(access=access, channel=channel)
    except services.ChatError as problem:
        error = str(problem)
    return {
        "sent": not error,
        "error": error,
        "warning": services.url_warning(channel.provider, channel.webhook_url),
    }
