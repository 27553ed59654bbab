"""Sending for real, to an HTTP receiver on loopback: signatures a receiver can check, retries
with backoff driven by the tick, receivers that fail, refuse, hang or cannot be reached, claims
that keep two workers from sending the same attempt, and secret rotation."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from typing import Any

import pytest
from django.db import connection

from tenfold.audit.models import AuditEvent
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.testing import Answer
from tenfold.notifications.tick import tick
from tenfold.okrs.services import objective_update
from tenfold.webhooks import jobs, sending
from tenfold.webhooks.events import Event
from tenfold.webhooks.models import Webhook, WebhookDelivery
from tenfold.webhooks.services import (
    delivery_retry,
    webhook_create,
    webhook_delete,
    webhook_rotate_secret,
    webhook_send_test,
    webhook_update,
)
from tenfold.webhooks.signing import verify

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def documented_check(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A receiver's check written from docs/webhooks.md alone, without Tenfold's code."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = headers["webhook-id"] + "." + headers["webhook-timestamp"] + "." + body.decode()
    expected = base64.b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1)[1] for part in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)


def docs_snippet() -> Any:
    """The receiver's check as docs/webhooks.md prints it, run as it stands."""
    from pathlib import Path

    docs = (Path(__file__).parents[3] / "docs" / "webhooks.md").read_text()
    code = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)
    return namespace["is_from_tenfold"]


def queue(webhook: Webhook, event_type: str = "objective.updated", n: int = 0) -> WebhookDelivery:
    """A delivery due now, as the audit log's task makes them."""
    event = Event(
        type=event_type,
        id=f"msg_test{n}",
        data={"object": {"type": "objective", "code": "abc", "title": "T", "url": None}},
        timestamp=NOW.isoformat(),
        organization=webhook.organization.slug,
    )
    delivery, _made = sending._delivery_for(webhook, event, NOW)
    return delivery


def fresh(delivery: WebhookDelivery) -> WebhookDelivery:
    return WebhookDelivery.objects.get(pk=delivery.pk)


# --- a good delivery --------------------------------------------------------------------------


def test_the_receiver_can_verify_the_signature_as_documented(
    objective, carol, webhook, receiver, committed
):
    committed(lambda: objective_update(objective=objective, title="Signed", by=carol))
    request = receiver.wait_for(1)[0]
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert request.headers["webhook-signature"].startswith("v1,")
    assert documented_check(webhook.secret, request.headers, request.body)
    verify(webhook.secret, request.headers, request.body)
    assert not documented_check(webhook.secret, request.headers, request.body + b" ")
    check = docs_snippet()
    assert check(webhook.secret, request.headers, request.body)
    assert not check(webhook.secret, request.headers, request.body.replace(b"Signed", b"Forged"))
    delivery = WebhookDelivery.objects.get()
    assert request.headers["webhook-id"] == delivery.event_id
    assert json.loads(request.body) == delivery.payload
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert delivery.response_excerpt == "ok"
    assert delivery.error == "" and delivery.next_attempt_at is None
    assert delivery.duration_ms is not None


def test_only_the_first_1000_characters_of_an_answer_are_kept(webhook, receiver):
    receiver.answers["/hook"] = Answer(status=200, body=b"x" * 5000)
    delivery = queue(webhook)
    assert jobs.run_due(NOW) == 1
    assert fresh(delivery).response_excerpt == "x" * 1000


# --- retries ----------------------------------------------------------------------------------


def flaky(*statuses: int) -> Any:
    """An answer that replies with these statuses in turn, then 200."""
    left = list(statuses)

    def answer(_request: Any) -> Answer:
        return Answer(status=left.pop(0) if left else 200, body=b"busy" if left else b"ok")

    return answer


def test_a_failed_attempt_is_retried_after_a_minute_with_the_same_id(
    webhook, receiver, time_machine
):
    receiver.answers["/hook"] = flaky(500)
    delivery = queue(webhook)
    assert jobs.run_due(NOW) == 1
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert "500" in delivery.error
    assert delivery.next_attempt_at == NOW + MINUTE
    time_machine.move_to(NOW + 30 * dt.timedelta(seconds=1))
    assert jobs.run_due(NOW + 30 * dt.timedelta(seconds=1)) == 0  # not due yet
    time_machine.move_to(NOW + MINUTE)
    assert jobs.run_due(NOW + MINUTE) == 1
    delivery = fresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 2, 200)
    assert delivery.error == ""
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.event_id
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) == 60
    assert documented_check(webhook.secret, second.headers, second.body)


def test_the_backoff_grows_then_the_delivery_is_given_up(webhook, receiver, time_machine):
    receiver.answers["/hook"] = Answer(status=503, body=b"down")
    delivery = queue(webhook)
    moment = NOW
    waits = []
    for _attempt in range(6):
        time_machine.move_to(moment)
        assert jobs.run_due(moment) == 1
        delivery = fresh(delivery)
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - moment)
            moment = delivery.next_attempt_at
    assert waits == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=30),
        dt.timedelta(hours=2),
        dt.timedelta(hours=8),
    ]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 6, 503)
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 6
    assert jobs.run_due(moment + dt.timedelta(days=1)) == 0
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 1 and webhook.active


def test_the_tick_runs_the_retries(webhook, receiver):
    receiver.answers["/hook"] = flaky(500)
    queue(webhook)
    assert tick(NOW, jobs=("tenfold.webhooks.jobs.run_due",)).done == {"webhooks": 1}
    assert tick(NOW + MINUTE, jobs=("tenfold.webhooks.jobs.run_due",)).done == {"webhooks": 1}
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_nothing_due_costs_one_query(webhook, django_assert_num_queries):
    queue(webhook)
    WebhookDelivery.objects.update(next_attempt_at=NOW + MINUTE)
    with django_assert_num_queries(1):
        assert jobs.run_due(NOW) == 0


def test_a_webhook_is_switched_off_after_too_many_lost_events(
    webhook, receiver, monkeypatch, alice
):
    monkeypatch.setattr(sending, "BACKOFF", ())
    monkeypatch.setattr(sending, "AUTO_DISABLE_AFTER", 2)
    receiver.answers["/hook"] = Answer(status=410, body=b"gone")
    queue(webhook, n=1)
    queue(webhook, n=2)
    third = queue(webhook, n=3)
    WebhookDelivery.objects.filter(pk=third.pk).update(next_attempt_at=NOW + MINUTE)
    assert jobs.run_due(NOW) == 2
    webhook.refresh_from_db()
    assert not webhook.active
    assert webhook.consecutive_failures == 2
    assert "2 events in a row" in webhook.disabled_reason and "410" in webhook.disabled_reason
    assert AuditEvent.objects.filter(verb="webhook.disabled", object_code=webhook.code).exists()
    # What was still waiting is not sent to a webhook that is off; the log says why.
    assert jobs.run_due(NOW + MINUTE) == 1
    assert len(receiver.requests) == 2
    third = fresh(third)
    assert third.status == "failed" and "switched off" in third.error
    # Switching it on again starts afresh.
    webhook_update(webhook=webhook, active=True, by=alice)
    webhook.refresh_from_db()
    assert (webhook.consecutive_failures, webhook.disabled_reason) == (0, "")


def test_a_success_resets_the_failure_count(webhook, receiver):
    Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=3)
    queue(webhook)
    jobs.run_due(NOW)
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 0


# --- receivers that fail in other ways --------------------------------------------------------


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def test_an_unreachable_receiver_is_recorded_as_an_error(org, alice, allowed):
    webhook = webhook_create(
        organization=org, name="Gone", url=f"http://127.0.0.1:{closed_port()}/hook", by=alice
    )
    delivery = queue(webhook)
    started = time.monotonic()
    assert jobs.run_due(NOW) == 1
    assert time.monotonic() - started < 2
    delivery = fresh(delivery)
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.response_status is None
    assert "request failed" in delivery.error.lower()
    assert delivery.next_attempt_at == NOW + MINUTE


def test_a_slow_receiver_times_out_and_is_recorded(webhook, receiver, monkeypatch):
    monkeypatch.setattr(sending, "TIMEOUT", 0.3)
    receiver.answers["/hook"] = Answer(status=200, body=b"late", delay=1.5)
    delivery = queue(webhook)
    started = time.monotonic()
    assert jobs.run_due(NOW) == 1
    assert time.monotonic() - started < 1.2
    delivery = fresh(delivery)
    assert delivery.status == "pending"
    assert delivery.response_status is None
    assert "No answer within 0.3 seconds" in delivery.error
    assert delivery.duration_ms is not None and 250 <= delivery.duration_ms < 1200


def test_a_private_address_is_refused_without_an_allowed_host(org, alice, receiver):
    assert not AllowedHost.objects.exists()
    webhook = webhook_create(organization=org, name="Inside", url=receiver.url("/hook"), by=alice)
    delivery = queue(webhook)
    assert jobs.run_due(NOW) == 1
    delivery = fresh(delivery)
    assert "private or local network" in delivery.error
    assert delivery.response_status is None
    assert receiver.requests == []


# --- claims -----------------------------------------------------------------------------------


def test_a_claimed_delivery_is_not_claimed_again(webhook):
    delivery = queue(webhook)
    assert sending.claim(delivery.pk, NOW) is not None
    assert sending.claim(delivery.pk, NOW) is None
    # Until the lease runs out: a worker that died mid-attempt is retried.
    assert sending.claim(delivery.pk, NOW + sending.LEASE) is not None
    assert fresh(delivery).attempts == 2


def test_a_delivery_in_progress_is_left_alone_by_the_tick(webhook, receiver):
    delivery = queue(webhook)
    sending.claim(delivery.pk, NOW)
    assert jobs.run_due(NOW + MINUTE) == 0
    assert receiver.requests == []


def test_the_tick_sends_nothing_for_a_deleted_webhook(webhook, receiver, alice):
    queue(webhook)
    webhook_delete(webhook=webhook, by=alice)
    assert jobs.run_due(NOW) == 0
    assert receiver.requests == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_delivery_once(org, alice, allowed, receiver):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections: PostgreSQL")
    webhook = webhook_create(organization=org, name="Busy", url=receiver.url("/hook"), by=alice)
    receiver.answers["/hook"] = Answer(status=200, body=b"ok", delay=0.05)
    for n in range(8):
        queue(webhook, n=n)
    done: list[int] = []
    gate = threading.Barrier(2)

    def worker() -> None:
        from django.db import connections

        try:
            gate.wait()
            done.append(jobs.run_due(NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sum(done) == 8
    assert len(receiver.wait_for(8)) == 8
    assert sorted(r.headers["webhook-id"] for r in receiver.requests) == sorted(
        f"msg_test{n}" for n in range(8)
    )
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}


# --- on request -------------------------------------------------------------------------------


def test_a_test_event_is_sent_at_once_and_recorded(webhook, receiver, alice):
    delivery = webhook_send_test(webhook=webhook, by=alice)
    assert (delivery.status, delivery.response_status, delivery.attempts) == ("succeeded", 200, 1)
    request = receiver.wait_for(1)[0]
    body = json.loads(request.body)
    assert body["type"] == "webhook.test"
    assert body["data"]["actor"]["email"] == "alice@example.com"
    assert body["data"]["object"]["code"] == webhook.code
    assert documented_check(webhook.secret, request.headers, request.body)


def test_a_failed_test_event_is_not_retried(webhook, receiver, alice):
    receiver.answers["/hook"] = Answer(status=401, body=b"bad signature")
    delivery = webhook_send_test(webhook=webhook, by=alice)
    assert (delivery.status, delivery.response_status) == ("failed", 401)
    assert delivery.response_excerpt == "bad signature"
    assert jobs.run_due(NOW + dt.timedelta(days=1)) == 0
    webhook.refresh_from_db()
    assert webhook.consecutive_failures == 0  # tests do not count toward switching off


def test_a_webhook_that_is_off_can_still_be_tested(webhook, receiver, alice):
    webhook_update(webhook=webhook, active=False, by=alice)
    assert webhook_send_test(webhook=webhook, by=alice).status == "succeeded"


def test_a_failed_delivery_can_be_sent_again_by_hand(webhook, receiver, alice, monkeypatch):
    monkeypatch.setattr(sending, "BACKOFF", ())
    receiver.answers["/hook"] = flaky(500)
    delivery = queue(webhook)
    jobs.run_due(NOW)
    assert fresh(delivery).status == "failed"
    again = delivery_retry(delivery=fresh(delivery), by=alice)
    assert (again.status, again.attempts, again.response_status) == ("succeeded", 2, 200)
    assert again.event_id == delivery.event_id


def test_only_a_failed_delivery_can_be_sent_again(webhook, receiver, alice):
    from django.core.exceptions import ValidationError

    delivery = queue(webhook)
    with pytest.raises(ValidationError, match="Only a failed delivery"):
        delivery_retry(delivery=delivery, by=alice)
    assert receiver.requests == []


# --- secret rotation --------------------------------------------------------------------------


def test_after_a_rotation_both_secrets_sign_for_a_day(webhook, receiver, alice, time_machine):
    old = webhook.secret
    webhook_rotate_secret(webhook=webhook, by=alice)
    assert webhook.secret != old and webhook.secret.startswith("whsec_")
    webhook_send_test(webhook=webhook, by=alice)
    request = receiver.wait_for(1)[0]
    assert len(request.headers["webhook-signature"].split()) == 2
    assert documented_check(webhook.secret, request.headers, request.body)
    assert documented_check(old, request.headers, request.body)
    assert docs_snippet()(old, request.headers, request.body)
    time_machine.move_to(NOW + dt.timedelta(hours=24, seconds=1))
    webhook_send_test(webhook=webhook, by=alice)
    later = receiver.wait_for(2)[1]
    assert len(later.headers["webhook-signature"].split()) == 1
    assert documented_check(webhook.secret, later.headers, later.body)
    assert not documented_check(old, later.headers, later.body)
    assert AuditEvent.objects.filter(verb="webhook.secret_rotated").count() == 1
