"""Signing webhook requests, and checking a signature the way a receiver should.

The scheme follows the Standard Webhooks convention, so receivers can use any library that
speaks it. Each request carries three headers:

- `webhook-id`: the event's id ("msg_…"), the same on every retry: receivers use it to ignore
  an event they already processed;
- `webhook-timestamp`: when this attempt was made, in whole seconds since 1970 (UTC);
- `webhook-signature`: "v1," followed by the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`,
  keyed with the secret's bytes (the base64 text after "whsec_"). During a secret rotation the
  header holds two such signatures separated by a space, one per secret; either one matching is
  enough.

Signing the timestamp with the body lets a receiver refuse an old request replayed later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable, Mapping

PREFIX = "whsec_"
SECRET_BYTES = 24
TOLERANCE = 300
"""Seconds a receiver should accept between a request's timestamp and its own clock."""


class SignatureError(Exception):
    """A request whose signature headers are missing, stale or do not match."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_bytes(secret: str) -> bytes:
    """The key behind a "whsec_…" secret."""
    encoded = secret.strip()
    if encoded.startswith(PREFIX):
        encoded = encoded[len(PREFIX) :]
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise SignatureError("The secret is not valid base64 after “whsec_”.") from error


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One "v1,…" signature of a request."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(
    secrets_: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The signature headers of a request, signed with every secret given (the current one,
    and the previous one during a rotation)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in secrets_ if secret
        ),
    }


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    tolerance: int = TOLERANCE,
    *,
    now: float | None = None,
) -> None:
    """Check a received request; raise SignatureError unless one of its signatures was made
    with `secret` over exactly this body, at most `tolerance` seconds from now."""
    found = {key.lower(): value for key, value in headers.items()}
    message_id = found.get("webhook-id", "")
    stamp = found.get("webhook-timestamp", "")
    sent = found.get("webhook-signature", "")
    if not (message_id and stamp and sent):
        raise SignatureError("The webhook-id, webhook-timestamp or webhook-signature is missing.")
    try:
        timestamp = int(stamp)
    except ValueError as error:
        raise SignatureError("The timestamp is not a whole number of seconds.") from error
    clock = time.time() if now is None else now
    if abs(clock - timestamp) > tolerance:
        raise SignatureError("The timestamp is too far from the current time.")
    expected = signature(secret, message_id, timestamp, body).encode()
    for candidate in sent.split():
        if candidate.startswith("v1,") and hmac.compare_digest(candidate.encode(), expected):
            return
    raise SignatureError("No signature matches.")
