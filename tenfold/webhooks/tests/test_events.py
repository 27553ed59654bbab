"""From the audit log to the receiver: each event type, made by a real service call, arrives
at a real HTTP receiver with the payload the docs describe."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import transaction

from tenfold.checkins.services import checkin_correct, checkin_record
from tenfold.ideas.services import idea_add
from tenfold.okrs.models import CycleState
from tenfold.okrs.services import (
    cycle_set_state,
    key_result_create,
    key_result_delete,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)
from tenfold.reviews.models import Review
from tenfold.reviews.services import review_submit, review_update
from tenfold.social.services import comment_add
from tenfold.webhooks import sending
from tenfold.webhooks.events import EVENT_KEYS
from tenfold.webhooks.models import DeliveryStatus, WebhookDelivery
from tenfold.webhooks.services import webhook_create, webhook_update
from tenfold.webhooks.tasks import deliver_event

from .conftest import access_of

SITE = "http://127.0.0.1:8000"


def bodies(receiver: Any, count: int | None = None) -> list[dict[str, Any]]:
    """What the receiver got, parsed, in the order it arrived."""
    if count is not None:
        receiver.wait_for(count)
    return [json.loads(request.body) for request in receiver.requests]


def one(receiver: Any, event_type: str) -> dict[str, Any]:
    found = [body for body in bodies(receiver) if body["type"] == event_type]
    assert len(found) == 1, [body["type"] for body in bodies(receiver)]
    return found[0]


def types(receiver: Any) -> list[str]:
    return sorted(body["type"] for body in bodies(receiver))


# --- objectives -------------------------------------------------------------------------------


def test_an_objective_created_arrives_with_its_envelope(
    org, cycle, team, carol, webhook, receiver, committed
):
    made = committed(
        lambda: objective_create(
            organization=org, cycle=cycle, unit=team, title="Ship faster", lead=carol, by=carol
        )
    )
    body = one(receiver, "objective.created")
    assert set(body) == {"type", "id", "timestamp", "organization", "data"}
    assert body["id"].startswith("msg_")
    assert body["timestamp"] == "2026-11-15T12:00:00+00:00"
    assert body["organization"] == "acme"
    data = body["data"]
    assert data["object"] == {
        "type": "objective",
        "code": made.code,
        "title": "Ship faster",
        "url": f"{SITE}/acme/objectives/{made.code}/",
    }
    assert data["actor"] == {"name": "Carol Lead", "email": "carol@example.com"}
    assert data["changes"]["title"] == "Ship faster"
    assert data["objective"]["state"] == "draft"  # Acme asks for approval of team objectives
    assert data["objective"]["unit"] == {"code": team.code, "name": "Growth"}
    assert data["objective"]["cycle"] == {"code": cycle.code, "name": "Q4 2026"}
    assert data["objective"]["progress"] == "0"
    request = receiver.requests[0]
    assert request.headers["webhook-id"] == body["id"]
    assert request.headers["content-type"] == "application/json"


def test_an_objective_updated_and_its_state_changed(objective, carol, webhook, receiver, committed):
    committed(
        lambda: objective_update(objective=objective, title="Customers adore onboarding", by=carol)
    )
    committed(lambda: objective_set_state(objective=objective, state="closed", by=carol))
    updated = one(receiver, "objective.updated")
    assert updated["data"]["changes"] == {
        "title": ["Customers love onboarding", "Customers adore onboarding"]
    }
    assert updated["data"]["object"]["title"] == "Customers adore onboarding"
    moved = one(receiver, "objective.state_changed")
    assert moved["data"]["changes"] == {"state": ["active", "closed"]}
    assert moved["data"]["objective"]["state"] == "closed"


# --- key results ------------------------------------------------------------------------------


def test_key_results_created_updated_and_deleted(
    objective, bob, carol, webhook, receiver, committed
):
    kr = committed(
        lambda: key_result_create(
            objective=objective,
            title="Cut setup time from 30 to 10 minutes",
            kind="decrease",
            start=Decimal(30),
            target=Decimal(10),
            unit_label="min",
            owner=bob,
            by=carol,
        )
    )
    committed(lambda: key_result_update(key_result=kr, target=Decimal(12), by=carol))
    committed(lambda: key_result_delete(key_result=kr, by=carol))
    created = one(receiver, "key_result.created")
    assert created["data"]["object"] == {
        "type": "key_result",
        "code": kr.code,
        "title": "Cut setup time from 30 to 10 minutes",
        "url": f"{SITE}/acme/key-results/{kr.code}/",
    }
    assert created["data"]["key_result"]["start"] == "30"
    assert created["data"]["key_result"]["target"] == "10"
    assert created["data"]["key_result"]["owner"]["email"] == "bob@example.com"
    assert created["data"]["objective"]["code"] == objective.code
    updated = one(receiver, "key_result.updated")
    assert updated["data"]["changes"]["target"] == ["10", "12"]
    deleted = one(receiver, "key_result.deleted")
    # Gone from the database: what the audit log kept, and where it lived.
    assert deleted["data"]["object"]["code"] == kr.code
    assert deleted["data"]["object"]["title"] == "Cut setup time from 30 to 10 minutes"
    assert deleted["data"]["object"]["url"] == f"{SITE}/acme/objectives/{objective.code}/"
    assert "key_result" not in deleted["data"]


# --- check-ins --------------------------------------------------------------------------------


def test_a_checkin_carries_the_key_results_new_value_and_progress(
    key_result, bob, webhook, receiver, committed
):
    checkin = committed(
        lambda: checkin_record(
            key_result=key_result, value=30, confidence=7, note="Good week", by=bob
        )
    )
    body = one(receiver, "checkin.recorded")
    data = body["data"]
    assert data["object"]["type"] == "checkin"
    assert data["object"]["code"] == checkin.code
    assert data["checkin"]["value"] == "30"
    assert data["checkin"]["confidence"] == "0.7"
    assert data["checkin"]["note"] == "Good week"
    assert data["checkin"]["author"]["email"] == "bob@example.com"
    assert data["key_result"]["current"] == "30"
    assert data["key_result"]["progress"] == "0.5"
    assert data["key_result"]["status"] == "on_track"
    assert data["objective"]["progress"] == "0.5"


def test_a_first_checkin_changes_the_status_from_pending(
    key_result, bob, webhook, receiver, committed
):
    committed(lambda: checkin_record(key_result=key_result, value=20, by=bob))
    moved = one(receiver, "key_result.status_changed")
    # Still at the start value, almost halfway through the quarter: more than 0.4 behind.
    assert moved["data"]["status"] == {"before": "pending", "after": "off_track"}
    assert moved["data"]["object"]["type"] == "key_result"
    assert moved["data"]["object"]["code"] == key_result.code
    assert moved["id"] != one(receiver, "checkin.recorded")["id"]


def test_a_checkin_that_keeps_the_status_gives_no_status_event(
    key_result, bob, webhook, receiver, committed
):
    committed(lambda: checkin_record(key_result=key_result, value=30, by=bob))
    committed(lambda: checkin_record(key_result=key_result, value=31, by=bob))
    assert types(receiver) == ["checkin.recorded", "checkin.recorded", "key_result.status_changed"]


def test_a_correction_names_the_original_and_can_move_the_status(
    key_result, bob, webhook, receiver, committed
):
    original = committed(lambda: checkin_record(key_result=key_result, value=30, by=bob))
    correction = committed(
        lambda: checkin_correct(checkin=original, value=21, reason="Typo", by=bob)
    )
    body = one(receiver, "checkin.corrected")
    assert body["data"]["checkin"]["code"] == correction.code
    assert body["data"]["checkin"]["corrects"] == original.code
    assert body["data"]["checkin"]["reason"] == "Typo"
    assert body["data"]["changes"]["value"] == ["30", "21"]
    assert body["data"]["key_result"]["current"] == "21"
    statuses = [
        b["data"]["status"] for b in bodies(receiver) if b["type"] == "key_result.status_changed"
    ]
    assert statuses == [
        {"before": "pending", "after": "on_track"},
        {"before": "on_track", "after": "off_track"},
    ]


# --- cycles, comments, reviews ----------------------------------------------------------------


def test_closing_a_cycle_gives_the_state_change_and_cycle_closed(
    org, cycle, alice, webhook, receiver, committed
):
    committed(lambda: cycle_set_state(cycle=cycle, state=CycleState.REVIEWING, by=alice))
    assert types(receiver) == ["cycle.state_changed"]
    committed(lambda: cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=alice))
    closed = one(receiver, "cycle.closed")
    assert closed["data"]["cycle"]["state"] == "closed"
    assert closed["data"]["cycle"]["start"] == "2026-10-01"
    assert closed["data"]["changes"] == {"state": ["reviewing", "closed"]}
    assert closed["data"]["object"]["url"] == f"{SITE}/acme/cycles/{cycle.code}/reviews/"
    assert [
        b["data"]["changes"]["state"][1]
        for b in bodies(receiver)
        if b["type"] == "cycle.state_changed"
    ] == [
        "reviewing",
        "closed",
    ]


def test_a_comment_carries_its_text_and_target(org, objective, bob, webhook, receiver, committed):
    comment = committed(
        lambda: comment_add(access=access_of(org, bob), target=objective, body="Nice one @carol")
    )
    body = one(receiver, "comment.added")
    data = body["data"]
    assert data["object"]["type"] == "comment"
    assert data["object"]["code"] == comment.code
    assert (
        data["object"]["url"] == f"{SITE}/acme/objectives/{objective.code}/#comment-{comment.code}"
    )
    assert data["comment"]["body"] == "Nice one @carol"
    assert data["comment"]["target"] == {
        "type": "objective",
        "code": objective.code,
        "title": "Customers love onboarding",
    }
    assert data["comment"]["mentions"] == ["carol@example.com"]
    assert data["objective"]["code"] == objective.code


def test_a_submitted_review_carries_its_summary(
    org, cycle, team, carol, webhook, receiver, committed
):
    review = Review.objects.create(organization=org, cycle=cycle, unit=team)
    carol_access = access_of(org, carol)
    review_update(access=carol_access, review=review, summary="We learned to ship smaller.")
    committed(lambda: review_submit(access=carol_access, review=review))
    body = one(receiver, "review.submitted")
    assert body["data"]["object"]["url"] == f"{SITE}/acme/reviews/{review.code}/"
    assert body["data"]["review"]["summary"] == "We learned to ship smaller."
    assert body["data"]["review"]["unit"] == {"code": team.code, "name": "Growth"}
    assert body["data"]["review"]["submitted_by"]["email"] == "carol@example.com"


# --- who gets what ----------------------------------------------------------------------------


def test_a_webhook_gets_only_the_event_types_it_chose(
    org, alice, key_result, bob, allowed, receiver, committed
):
    webhook_create(
        organization=org,
        name="Only check-ins",
        url=receiver.url("/only"),
        event_types=["checkin.recorded"],
        by=alice,
    )
    committed(lambda: checkin_record(key_result=key_result, value=30, by=bob))
    committed(lambda: key_result_update(key_result=key_result, title="Activation to 40%", by=bob))
    assert types(receiver) == ["checkin.recorded"]
    assert WebhookDelivery.objects.count() == 1


def test_objectives_not_everyone_sees_stay_out_unless_the_webhook_includes_them(
    org, cycle, team, carol, alice, webhook, receiver, committed
):
    wide = webhook_create(
        organization=org,
        name="Private ok",
        url=receiver.url("/wide"),
        include_private=True,
        by=alice,
    )
    committed(
        lambda: objective_create(
            organization=org,
            cycle=cycle,
            unit=team,
            title="Quiet reorganisation",
            visibility="private",
            by=carol,
        )
    )
    assert [request.path for request in receiver.wait_for(1)] == ["/wide"]
    assert not WebhookDelivery.objects.filter(webhook=webhook).exists()
    assert WebhookDelivery.objects.get(webhook=wide).event_type == "objective.created"


def test_a_webhook_that_is_off_gets_nothing(
    org, objective, carol, alice, webhook, receiver, committed
):
    webhook_update(webhook=webhook, active=False, by=alice)
    committed(lambda: objective_update(objective=objective, title="Renamed", by=carol))
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_verbs_webhooks_do_not_hear_about_send_nothing(
    org, team, cycle, bob, webhook, receiver, committed
):
    committed(
        lambda: idea_add(access=access_of(org, bob), question="change", text="Fewer meetings")
    )
    assert receiver.requests == []


def test_nothing_is_sent_for_a_change_that_was_rolled_back(
    objective, carol, webhook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                objective_update(objective=objective, title="Never happened", by=carol)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert receiver.requests == []


def test_an_organization_without_webhooks_costs_one_query(
    objective, carol, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks() as callbacks:
        objective_update(objective=objective, title="Quietly renamed", by=carol)
    assert len(callbacks) == 1
    with django_assert_num_queries(1):
        callbacks[0]()
    assert not WebhookDelivery.objects.exists()


def test_the_task_is_cheap_without_webhooks_and_safe_to_run_twice(
    objective, carol, org, alice, allowed, receiver, django_assert_num_queries
):
    objective_update(objective=objective, title="Renamed", by=carol)  # no commit: nothing queued
    audit_id = org.audit_events.get(verb="objective.updated").id
    with django_assert_num_queries(1):
        assert deliver_event.call(audit_id) == 0
    webhook_create(organization=org, name="Late", url=receiver.url("/late"), by=alice)
    assert deliver_event.call(audit_id) == 1
    assert deliver_event.call(audit_id) == 0  # the delivery exists: nothing new, nothing resent
    receiver.wait_for(1)
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SUCCEEDED


def test_every_event_type_is_documented():
    from pathlib import Path

    docs = (Path(__file__).parents[3] / "docs" / "webhooks.md").read_text()
    for key in (*EVENT_KEYS, "webhook.test"):
        assert f"`{key}`" in docs, key
        assert f'"type": "{key}"' in docs, f"no example payload for {key}"


def test_payload_bodies_are_compact_utf8_json(webhook):
    assert sending.body_of({"title": "Café", "n": 1}) == '{"title":"Café","n":1}'.encode()
