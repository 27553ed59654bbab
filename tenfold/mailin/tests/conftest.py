"""Fixtures for replies by email: time frozen on a Wednesday inside the test quarter, replies
switched on, reply tokens for the personas, and replies built like a mail client would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.mailin.models import InboundMessage
from tenfold.mailin.tokens import make_token

NOW = "2026-11-18 12:00:00+00:00"  # a Wednesday; Acme's week began on Monday 16 November
WEEK = dt.date(2026, 11, 16)
DOMAIN = "reply.example.com"
SECRET = "inbound-secret-for-tests"
DATA = Path(__file__).with_name("data")


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _replies_on(settings: Any) -> None:
    settings.REPLY_DOMAIN = DOMAIN
    settings.INBOUND_SECRET = SECRET
    settings.SITE_URL = "https://okr.example.com"


def token_of(user: Any, org: Any, week: dt.date = WEEK, **kwargs: Any) -> str:
    return make_token(user_id=user.pk, organization_id=org.pk, week=week, **kwargs)


def address_of(token: str) -> str:
    return f"reply+{token}@{DOMAIN}"


def build_reply(
    *,
    token: str,
    body: str,
    sender: str = "bob@example.com",
    subject: str = "Re: Your week at Acme",
    message_id: str | None = None,
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A reply as a mail client sends it: text/plain (and HTML when given), UTF-8."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address_of(token)
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="mail.example.com")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_bytes()


def sample(name: str, *, token: str, kr_code: str = "nokrcode") -> bytes:
    """A raw message from tests/data with its reply token and key-result code filled in."""
    raw = (DATA / name).read_bytes()
    return raw.replace(b"TOKEN", token.encode()).replace(b"KRCODE", kr_code.encode())


@pytest.fixture
def bob_token(org: Any, team: Any, bob: Any) -> str:
    return token_of(bob, org)


@pytest.fixture
def reply(bob_token: str) -> Callable[..., bytes]:
    """`reply(body, **kwargs)`: a reply from Bob to his reminder of this week."""
    return lambda body, **kwargs: build_reply(
        token=kwargs.pop("token", bob_token), body=body, **kwargs
    )


def counts() -> tuple[int, int, int]:
    """Weekly items, check-ins and applied messages: what a refused reply must leave alone."""
    return (
        WeeklyItem.objects.count(),
        CheckIn.objects.count(),
        InboundMessage.objects.filter(status="applied").count(),
    )
