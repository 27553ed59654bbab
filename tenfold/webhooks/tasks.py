"""Background tasks of the webhooks app, written against django.tasks; Huey runs them.

`deliver_event` runs after every audit entry whose organization has an active webhook; it makes
the deliveries and enqueues one `send_delivery` per delivery, so a slow receiver holds up
nobody else's. Both take ids and are safe to run twice: the deliveries are unique per webhook
and event, and an attempt is only made by whoever claims the row.
"""

from __future__ import annotations

from django.tasks import task

from . import sending


@task
def deliver_event(audit_event_id: int) -> int:
    made = sending.dispatch(audit_event_id)
    for delivery_id in made:
        send_delivery.enqueue(delivery_id)
    return len(made)


@task
def send_delivery(delivery_id: int) -> str:
    return sending.send_due(delivery_id)
