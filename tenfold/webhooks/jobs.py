"""The webhooks' part of the periodic tick: retry the deliveries whose next attempt is due."""

from __future__ import annotations

import datetime as dt
import time

from .models import DeliveryStatus, WebhookDelivery
from .sending import attempt, claim

BATCH = 50
"""Most deliveries tried in one tick; the rest wait for the next one."""
BUDGET_SECONDS = 60.0
"""No new attempt is started once a tick has spent this long on webhooks, so one tick never
runs into the next even when many receivers time out."""


def run_due(now: dt.datetime) -> int:
    """Attempt every pending delivery due by `now` (one query when none is). Each is claimed
    first, so a delivery that another worker is already sending is skipped. Returns how many
    attempts were made."""
    due = list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:BATCH]
    )
    made = 0
    started = time.monotonic()
    for delivery_id in due:
        if time.monotonic() - started > BUDGET_SECONDS:
            break
        delivery = claim(delivery_id, now)
        if delivery is None:
            continue
        attempt(delivery, now)
        made += 1
    return made
