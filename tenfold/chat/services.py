"""Writes for team chat: channels (add, change, remove, test) and sending messages to them.

`send_to_unit()` is what reminders, digests and alerts call: it posts one `ChatMessage` to
every active channel of a unit that takes that kind of message, each through
`tenfold.notifications.services.deliver`, so each channel gets it once per period however
often the tick runs. `post_message()` is the bare post, used by `deliver`'s sender and by the
"Send test message" button; it raises `ChatError` with a message for people and keeps that
message on the channel.

Channel services take the `access` of the person acting and refuse with PermissionDenied what
they may not do; bad input is a ValidationError keyed by field, and nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.integrations import net
from tenfold.lib.validation import Errors
from tenfold.notifications.models import Delivery, Kind
from tenfold.notifications.models import Status as DeliveryStatus
from tenfold.notifications.services import deliver, site_url
from tenfold.organizations.models import Unit, UnitKind
from tenfold.organizations.permissions import Access

from .layouts import ChatMessage, Link, Tone, payload_for
from .models import (
    CHANNELS_PER_UNIT,
    CHAT_KINDS,
    NAME_MAX,
    PROVIDER_DOMAINS,
    URL_MAX,
    ChatChannel,
    Provider,
    hint_of,
    kind_label,
)
from .selectors import active_channels, can_manage_chat

TIMEOUT = 10.0
ANSWER_MAX = 64_000
"""Chat services answer "ok" or a short error; nothing longer is worth reading."""


class ChatError(Exception):
    """A message could not be posted; `str()` says why, for people."""


# --- sending ----------------------------------------------------------------------------------


def _provider_name(provider: str) -> str:
    return str(Provider(provider).label) if provider in Provider.values else provider


def _record(channel: ChatChannel, *, error: str, now: dt.datetime) -> None:
    """Keep the outcome on the channel (outside any caller's rollback: it is a plain update of
    the row, and what the page shows next time)."""
    if error:
        changes: dict[str, Any] = {"last_error": error[:2000], "last_error_at": now}
    else:
        changes = {"last_sent_at": now, "last_error": "", "last_error_at": None}
    ChatChannel.objects.filter(pk=channel.pk).update(**changes)
    for name, value in changes.items():
        setattr(channel, name, value)


def post_message(channel: ChatChannel, message: ChatMessage) -> None:
    """POST the message to the channel's webhook, as JSON, within 10 seconds. Raises
    ChatError (after storing its text as the channel's `last_error`) when the address is
    refused, the request fails, or the service answers anything but 2xx."""
    now = timezone.now()
    body = json.dumps(payload_for(channel.provider, message), ensure_ascii=False).encode()
    service = _provider_name(channel.provider)
    try:
        response = net.request(
            "POST",
            channel.webhook_url,
            organization=channel.organization_id,
            body=body,
            headers={"Content-Type": "application/json; charset=utf-8"},
            timeout=TIMEOUT,
            max_bytes=ANSWER_MAX,
        )
    except net.OutboundError as error:
        text = _("%(service)s could not be reached: %(reason)s") % {
            "service": service,
            "reason": str(error),
        }
        _record(channel, error=text, now=now)
        raise ChatError(text) from error
    if not response.ok:
        said = " ".join(response.text().split())[:200]
        text = _("%(service)s answered with status %(status)d%(said)s") % {
            "service": service,
            "status": response.status,
            "said": f": {said}" if said else "",
        }
        _record(channel, error=text, now=now)
        raise ChatError(text)
    _record(channel, error="", now=now)


def recipient_of(channel: ChatChannel) -> str:
    """The delivery recipient of a channel: deliveries are unique per recipient and period."""
    return f"chat:{channel.code}"


def deliver_to_channels(
    channels: Iterable[ChatChannel],
    *,
    unit: Unit,
    kind: str,
    message: ChatMessage,
    period: str,
    now: dt.datetime | None = None,
) -> list[Delivery | None]:
    """Send `message` once per period to each of `channels` (all of `unit`); the delivery row
    of each, or None where there was nothing to do (already sent, or another worker has it)."""
    rows: list[Delivery | None] = []
    for channel in channels:

        def send(channel: ChatChannel = channel) -> str:
            post_message(channel, message)
            return message.title

        rows.append(
            deliver(
                organization=unit.organization,
                recipient=recipient_of(channel),
                channel=channel.provider,
                kind=kind,
                period=period,
                unit=unit,
                now=now,
                send=send,
            )
        )
    return rows


def send_to_unit(
    *,
    unit: Unit,
    kind: str,
    message: ChatMessage,
    period: str,
    now: dt.datetime | None = None,
) -> int:
    """Post `message` to every active channel of `unit` that takes `kind` (one of
    `CHAT_KINDS`), once per `period` and channel. Returns how many channels got it in this
    call; failures are recorded on the delivery row and the channel, and `deliver` tries them
    again on a later call with the same period."""
    channels = active_channels(unit, kind)
    if not channels:
        return 0
    rows = deliver_to_channels(
        channels, unit=unit, kind=kind, message=message, period=period, now=now
    )
    return sum(1 for row in rows if row is not None and row.status == DeliveryStatus.SENT)


def all_settled(channels: Iterable[ChatChannel], *, kind: str, period: str) -> bool:
    """Whether every channel's delivery of this period is finished: sent, or failed for
    good. One query."""
    recipients = [recipient_of(channel) for channel in channels]
    if not recipients:
        return True
    return not Delivery.objects.filter(
        recipient__in=recipients, kind=kind, period=period, status=DeliveryStatus.PENDING
    ).exists()


# --- channels ---------------------------------------------------------------------------------


def default_kinds(unit: Unit) -> list[str]:
    """What a new channel receives unless chosen otherwise: the reminder, the digest that
    fits the unit, and at-risk alerts."""
    digest = Kind.COMPANY_DIGEST if unit.kind == UnitKind.COMPANY else Kind.TEAM_DIGEST
    return [str(Kind.WEEKLY), str(digest), str(Kind.AT_RISK)]


def url_warning(provider: str, url: str) -> str:
    """A gentle word when the URL's host is not one the provider uses. Not an error: proxies
    and self-hosted relays are legitimate."""
    try:
        _scheme, host, _port, _path = net.check_url(url)
    except net.UnsafeTarget:
        return ""
    host = host.lower().rstrip(".")
    domains = PROVIDER_DOMAINS.get(provider, ())
    if any(host == domain or host.endswith("." + domain) for domain in domains):
        return ""
    return _(
        "%(host)s is not an address %(service)s usually gives out. That is fine for a proxy "
        "or a relay of your own; otherwise check that you copied the whole URL."
    ) % {"host": host, "service": _provider_name(provider)}


def _require(access: Access, unit: Unit) -> None:
    if unit.organization_id != access.membership.organization_id:
        raise PermissionDenied(_("That unit belongs to another organization."))
    if not can_manage_chat(access, unit):
        raise PermissionDenied(
            _("Only the unit's leads and the organization's admins manage its chat channels.")
        )


def _clean_kinds(errors: Errors, kinds: Any) -> list[str]:
    if isinstance(kinds, str):
        kinds = [part.strip() for part in kinds.split(",") if part.strip()]
    chosen = [str(kind) for kind in (kinds or [])]
    unknown = [kind for kind in chosen if kind not in CHAT_KINDS]
    if unknown:
        errors.add(
            "kinds",
            _("Unknown kind of message: %(kinds)s. Choose from %(known)s.")
            % {"kinds": ", ".join(unknown), "known": ", ".join(CHAT_KINDS)},
        )
    elif not chosen:
        errors.add(
            "kinds",
            _("Choose at least one kind of message. To pause the channel, switch it off."),
        )
    return [kind for kind in CHAT_KINDS if kind in chosen]


def _clean_name(errors: Errors, name: Any) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        errors.add("name", _("Give the channel a name, such as #growth-team."))
    elif len(name) > NAME_MAX:
        errors.add("name", _("Keep the name under %(limit)d characters.") % {"limit": NAME_MAX + 1})
    return name


def _clean_url(errors: Errors, url: Any) -> str:
    url = str(url or "").strip()
    if not url:
        errors.add("url", _("Paste the channel's incoming webhook URL."))
        return url
    if len(url) > URL_MAX:
        errors.add("url", _("This address is too long to be a webhook URL."))
        return url
    try:
        net.check_url(url)
    except net.UnsafeTarget as error:
        errors.add("url", str(error))
    return url


@transaction.atomic
def channel_create(
    *,
    access: Access,
    unit: Unit,
    provider: str,
    name: str,
    url: str,
    kinds: Iterable[str] | str | None = None,
) -> ChatChannel:
    """Add a Slack or Teams channel to a unit. `kinds` defaults to `default_kinds(unit)`."""
    _require(access, unit)
    errors = Errors()
    if provider not in Provider.values:
        errors.add("provider", _("Choose Slack or Microsoft Teams."))
    clean_name = _clean_name(errors, name)
    clean_url = _clean_url(errors, url)
    chosen = _clean_kinds(errors, default_kinds(unit) if kinds is None else kinds)
    # Counted under a lock on the unit so two leads adding at once cannot pass the cap.
    Unit.objects.select_for_update(of=("self",)).filter(pk=unit.pk).first()
    if ChatChannel.objects.filter(unit=unit).count() >= CHANNELS_PER_UNIT:
        errors.add(
            "__all__",
            _("A unit can post to at most %(n)d channels. Remove one first.")
            % {"n": CHANNELS_PER_UNIT},
        )
    errors.raise_if_any()
    channel = ChatChannel.objects.create(
        organization=access.membership.organization,
        unit=unit,
        provider=provider,
        name=clean_name,
        webhook_url=clean_url,
        kinds=chosen,
        created_by=access.membership.user,
    )
    audit_record(
        organization=channel.organization,
        actor=access.membership.user,
        verb="chat.channel_added",
        obj=channel,
        changes={
            "unit": unit,
            "provider": provider,
            "name": clean_name,
            "url": hint_of(clean_url),  # never the secret part
            "kinds": chosen,
        },
    )
    return channel


@transaction.atomic
def channel_update(
    *,
    access: Access,
    channel: ChatChannel,
    name: str | None = None,
    kinds: Iterable[str] | str | None = None,
    active: bool | None = None,
    url: str | None = None,
) -> ChatChannel:
    """Rename a channel, choose what it receives, switch it on or off, or give it a new URL
    (a rotated webhook). Arguments left None stay as they are."""
    _require(access, channel.unit)
    errors = Errors()
    before: dict[str, Any] = {
        "name": channel.name,
        "kinds": list(channel.kinds or []),
        "active": channel.active,
        "url": channel.url_hint,
    }
    after = dict(before)
    if name is not None:
        after["name"] = _clean_name(errors, name)
    if kinds is not None:
        after["kinds"] = _clean_kinds(errors, kinds)
    if active is not None:
        after["active"] = bool(active)
    new_url = _clean_url(errors, url) if url is not None and url.strip() else None
    errors.raise_if_any()
    changes = {key: [before[key], value] for key, value in after.items() if value != before[key]}
    if new_url is not None and new_url != channel.webhook_url:
        channel.webhook_url = new_url
        changes["url"] = [before["url"], hint_of(new_url)]
    if not changes:
        return channel
    channel.name = after["name"]
    channel.kinds = after["kinds"]
    channel.active = after["active"]
    if "url" in changes or "active" in changes:
        channel.last_error = ""
        channel.last_error_at = None
    channel.save()
    audit_record(
        organization=channel.organization,
        actor=access.membership.user,
        verb="chat.channel_changed",
        obj=channel,
        changes=changes,
    )
    return channel


@transaction.atomic
def channel_delete(*, access: Access, channel: ChatChannel) -> None:
    _require(access, channel.unit)
    audit_record(
        organization=channel.organization,
        actor=access.membership.user,
        verb="chat.channel_removed",
        obj=channel,
        changes={"unit": channel.unit, "provider": channel.provider, "name": channel.name},
    )
    channel.delete()


def hello_message(channel: ChatChannel, by: Any) -> ChatMessage:
    unit = channel.unit
    kinds = ", ".join(kind_label(kind) for kind in CHAT_KINDS if kind in (channel.kinds or []))
    return ChatMessage(
        title=_("Tenfold is connected to %(channel)s") % {"channel": channel.name},
        text=_("This is a test message. From now on %(unit)s posts its OKR updates here.")
        % {"unit": unit.name},
        facts=[
            (_("Unit"), unit.name),
            (_("Receives"), kinds or _("nothing yet")),
            (_("Sent by"), getattr(by, "display_name", "") or str(by)),
        ],
        link=Link(
            _("Open %(unit)s in Tenfold") % {"unit": unit.name},
            site_url("unit", org=channel.organization.slug, code=unit.code),
        ),
        tone=Tone.GOOD,
        footer=_("Sent from Tenfold by the “Send test message” button."),
    )


def channel_test(*, access: Access, channel: ChatChannel) -> None:
    """Post a test message now, not through the delivery log (it may be sent any number of
    times). Raises ChatError with the reason when it does not arrive; the channel keeps it."""
    _require(access, channel.unit)
    post_message(channel, hello_message(channel, access.membership.user))


__all__ = [
    "ChatError",
    "ChatMessage",
    "channel_create",
    "channel_delete",
    "channel_test",
    "channel_update",
    "post_message",
    "send_to_unit",
    "url_warning",
]
