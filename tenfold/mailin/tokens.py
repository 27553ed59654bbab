"""Reply addresses: `reply+<token>@REPLY_DOMAIN`, where the token says who may add to which
organization's week, and proves that Tenfold wrote it.

Why a signed token and not a random one kept in a table: the reminder code makes one address
per person and week, thousands a week in a large organization, and almost none are answered.
A stateless token needs no row per reminder, nothing to clean up, and keeps working after a
restore from backup. What it must survive decided its form:

- **Lower-casing.** Mail systems may change the case of an address's local part (RFC 5321
  says they should not; several do). Django's `signing.dumps()` produces base64, where case
  matters, so the token is base32 (a-z, 2-7) of the signed bytes and is read back
  case-insensitively.
- **Length.** A local part holds 64 characters. `signing.dumps()` with its 43-character
  signature and JSON payload does not fit once base32-encoded, so the payload is packed (a
  version byte, the user and organization ids, the week's ordinal and the issue time) and the
  signature is a truncated HMAC-SHA256 (13 bytes, 104 bits: an attacker must guess it online,
  one message at a time). 30 bytes become 48 characters; "reply+" and the token make 54.
- **Keys.** The signature comes from Django's own primitive (`salted_hmac` with a salt of this
  module and SECRET_KEY), checked against SECRET_KEY_FALLBACKS too, so rotating the secret key
  the Django way keeps fresh reminders answerable.

Tokens expire after `MAX_AGE` (14 days: two weekly reminders). The token is the only proof of
who is answering: a message is never matched to a person by its sender address, which anyone
can forge. A valid token sent from another address (a forwarding alias, a second mailbox) is
accepted; the reply log and the confirmation, which always goes to the person's own address,
say so.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.organizations.models import Membership, Organization

MAX_AGE = dt.timedelta(days=14)
"""How long a reply address keeps working after the reminder was sent."""

VERSION = 1
SALT = "tenfold.mailin.tokens.reply"
PAYLOAD = struct.Struct(">BIIII")  # version, user id, organization id, week ordinal, issued at
MAC_BYTES = 13
TOKEN_LENGTH = (PAYLOAD.size + MAC_BYTES) * 8 // 5  # 48 base32 characters, no padding
LOCAL_PART = "reply"
_LIMIT = 2**32


class TokenError(Exception):
    """A reply token that cannot be used. `reason` is a stable code (malformed, forged,
    expired, unknown_user, not_member); str() is a message for people."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ReplyTarget:
    """Whose week a reply adds to."""

    user: User
    organization: Organization
    week: dt.date
    membership: Membership
    issued_at: dt.datetime


def _mac(payload: bytes, secret: str | bytes) -> bytes:
    return salted_hmac(SALT, payload, secret=secret, algorithm="sha256").digest()[:MAC_BYTES]


def make_token(
    *, user_id: int, organization_id: int, week: dt.date, issued_at: dt.datetime | None = None
) -> str:
    """The token for one person, organization and week (lower-case base32, 48 characters)."""
    issued = int((issued_at or timezone.now()).timestamp())
    if not (0 < user_id < _LIMIT and 0 < organization_id < _LIMIT):
        raise ValueError("ids out of range for a reply token")
    payload = PAYLOAD.pack(VERSION, user_id, organization_id, week.toordinal(), issued)
    raw = payload + _mac(payload, settings.SECRET_KEY)
    return base64.b32encode(raw).decode("ascii").lower()


def reply_address(*, user: User, organization: Organization, week: dt.date) -> str | None:
    """The Reply-To for a reminder about `week`: reply+<token>@REPLY_DOMAIN, or None when
    replies by email are off (settings.REPLY_DOMAIN is empty)."""
    domain = (getattr(settings, "REPLY_DOMAIN", "") or "").strip().lstrip("@")
    if not domain:
        return None
    try:
        token = make_token(user_id=user.pk, organization_id=organization.pk, week=week)
    except ValueError:
        return None
    return f"{LOCAL_PART}+{token}@{domain}"


def _payload(token: str) -> tuple[int, int, int, dt.date, dt.datetime]:
    clean = (token or "").strip().upper()
    malformed = TokenError(
        "malformed", _("The reply address is incomplete; answer the reminder email itself.")
    )
    if len(clean) != TOKEN_LENGTH:
        raise malformed
    try:
        raw = base64.b32decode(clean)
    except (binascii.Error, ValueError):
        raise malformed from None
    payload, mac = raw[: PAYLOAD.size], raw[PAYLOAD.size :]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(mac, _mac(payload, secret)) for secret in secrets):
        raise TokenError(
            "forged", _("The reply address was not made by this Tenfold; nothing was added.")
        )
    version, user_id, organization_id, ordinal, issued = PAYLOAD.unpack(payload)
    if version != VERSION:
        raise malformed
    try:
        week = dt.date.fromordinal(ordinal)
    except ValueError:
        raise malformed from None
    return version, user_id, organization_id, week, dt.datetime.fromtimestamp(issued, tz=dt.UTC)


def read_token(token: str, *, now: dt.datetime | None = None) -> ReplyTarget:
    """Who a reply token stands for, after checking its signature and age and that the person
    still belongs to the organization. Raises TokenError otherwise."""
    _version, user_id, organization_id, week, issued_at = _payload(token)
    now = now or timezone.now()
    if now - issued_at > MAX_AGE:
        raise TokenError(
            "expired",
            _(
                "This reminder is more than %(days)d days old, so its reply address no longer "
                "works; update your week on the web or answer a newer reminder."
            )
            % {"days": MAX_AGE.days},
        )
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(user_id=user_id, organization_id=organization_id, user__is_active=True)
        .first()
    )
    if membership is None:
        if not User.objects.filter(pk=user_id, is_active=True).exists():
            raise TokenError(
                "unknown_user", _("The person this reply address was made for has no account.")
            )
        raise TokenError(
            "not_member",
            _("The person this reply address was made for no longer belongs to the organization."),
        )
    return ReplyTarget(
        user=membership.user,
        organization=membership.organization,
        week=week,
        membership=membership,
        issued_at=issued_at,
    )
