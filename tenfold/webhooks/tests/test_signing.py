"""Signatures: the Standard Webhooks scheme, checked against a vector computed outside Tenfold
(openssl) and against the algorithm as the docs describe it."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from tenfold.webhooks import signing
from tenfold.webhooks.signing import SignatureError, verify

# Key bytes 0x01…0x18; expected value from
#   printf '%s' 'msg_2Kq7.1700000000.{"type":"webhook.test","n":1}' \
#     | openssl dgst -sha256 -mac HMAC -macopt hexkey:0102…18 -binary | base64
SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY"
BODY = b'{"type":"webhook.test","n":1}'
EXPECTED = "v1,8x+zZ1KFxS2/pOs+FmBCfLqi+yIF3Hr7piWNds4uoUY="


def documented(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The algorithm as docs/webhooks.md tells receivers to compute it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def test_the_signature_matches_a_vector_computed_with_openssl():
    assert signing.signature(SECRET, "msg_2Kq7", 1700000000, BODY) == EXPECTED
    assert documented(SECRET, "msg_2Kq7", 1700000000, BODY) == EXPECTED


def test_the_headers_carry_id_timestamp_and_signature():
    headers = signing.headers([SECRET], "msg_2Kq7", 1700000000, BODY)
    assert headers == {
        "webhook-id": "msg_2Kq7",
        "webhook-timestamp": "1700000000",
        "webhook-signature": EXPECTED,
    }


def test_a_new_secret_is_24_random_bytes_in_base64():
    one, two = signing.new_secret(), signing.new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(base64.b64decode(one.removeprefix("whsec_"))) == 24


def headers_for(secret: str = SECRET, timestamp: int = 1700000000, body: bytes = BODY):
    return signing.headers([secret], "msg_2Kq7", timestamp, body)


def test_verify_accepts_a_good_request_within_the_tolerance():
    verify(SECRET, headers_for(), BODY, now=1700000000 + 299)
    verify(SECRET, headers_for(), BODY, now=1700000000 - 299)
    # Header names are case-insensitive, as HTTP has them.
    upper = {key.upper(): value for key, value in headers_for().items()}
    verify(SECRET, upper, BODY, now=1700000000)


@pytest.mark.parametrize(
    ("secret", "headers", "body", "now", "reason"),
    [
        (SECRET, headers_for(), BODY + b" ", 1700000000, "No signature matches"),
        (signing.new_secret(), headers_for(), BODY, 1700000000, "No signature matches"),
        (SECRET, headers_for(), BODY, 1700000000 + 301, "too far"),
        (SECRET, headers_for(), BODY, 1700000000 - 301, "too far"),
        (SECRET, {"webhook-id": "msg_2Kq7"}, BODY, 1700000000, "missing"),
        (
            SECRET,
            {**headers_for(), "webhook-timestamp": "soon"},
            BODY,
            1700000000,
            "whole number",
        ),
        (
            SECRET,
            {**headers_for(), "webhook-signature": EXPECTED.replace("v1,", "v2,")},
            BODY,
            1700000000,
            "No signature matches",
        ),
    ],
    ids=["body", "secret", "late", "early", "missing", "timestamp", "version"],
)
def test_verify_refuses_what_was_not_signed_so(secret, headers, body, now, reason):
    with pytest.raises(SignatureError, match=reason):
        verify(secret, headers, body, now=now)


def test_during_a_rotation_either_signature_is_enough():
    old, new = SECRET, signing.new_secret()
    headers = signing.headers([new, old], "msg_2Kq7", 1700000000, BODY)
    assert len(headers["webhook-signature"].split()) == 2
    verify(old, headers, BODY, now=1700000000)
    verify(new, headers, BODY, now=1700000000)
    with pytest.raises(SignatureError):
        verify(signing.new_secret(), headers, BODY, now=1700000000)


def test_a_secret_that_is_not_base64_is_refused_clearly():
    with pytest.raises(SignatureError, match="base64"):
        signing.signature("whsec_not*base64", "msg_1", 1, b"{}")
