"""The shared pieces: the outbound guard, real SMTP, idempotent deliveries."""

from __future__ import annotations

import pytest

from tenfold.integrations import net
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.models import Delivery, Status
from tenfold.notifications.services import deliver, send_email


def test_loopback_is_refused_unless_allowed(db, org, receiver):
    with pytest.raises(net.UnsafeTarget):
        net.request("GET", receiver.url("/x"), organization=org)
    assert receiver.requests == []
    AllowedHost.objects.create(organization=org, host="127.0.0.1")
    answer = net.request("GET", receiver.url("/x"), organization=org)
    assert answer.status == 200 and answer.body == b"ok"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "http://user:pw@example.com/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest",
        "http://0.0.0.0/",
        "not a url",
    ],
)
def test_unsafe_targets(url):
    with pytest.raises(net.OutboundError):
        net.request("GET", url, allowed=[])


def test_real_smtp_receives(smtp):
    send_email(to="a@example.com", subject="Hello", text="plain", html="<p>html</p>")
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Hello"
    assert message.get_body(("plain",)).get_content().strip() == "plain"


def test_deliver_sends_once(db, org, smtp):
    calls = []

    def send():
        calls.append(1)
        return send_email(to="a@example.com", subject="Once", text="x")

    first = deliver(
        organization=org,
        recipient="r",
        channel="email",
        kind="weekly",
        period="2026-W01",
        send=send,
    )
    again = deliver(
        organization=org,
        recipient="r",
        channel="email",
        kind="weekly",
        period="2026-W01",
        send=send,
    )
    assert first.status == Status.SENT and again is None and len(calls) == 1
    assert len(smtp.wait_for(1)) == 1


def test_failed_send_is_kept_and_retried_after_the_pause(db, org):
    import datetime as dt

    from django.utils import timezone

    def broken():
        raise OSError("connection refused")

    now = timezone.now()
    row = deliver(
        organization=org,
        recipient="r",
        channel="email",
        kind="weekly",
        period="p",
        send=broken,
        now=now,
    )
    assert row.status == Status.PENDING and "refused" in row.error
    assert (
        deliver(
            organization=org,
            recipient="r",
            channel="email",
            kind="weekly",
            period="p",
            send=lambda: "ok",
            now=now,
        )
        is None
    )
    later = now + dt.timedelta(minutes=6)
    row = deliver(
        organization=org,
        recipient="r",
        channel="email",
        kind="weekly",
        period="p",
        send=lambda: "ok",
        now=later,
    )
    assert row.status == Status.SENT and Delivery.objects.count() == 1
