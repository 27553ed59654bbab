"""The tick's job for data feeds: start the pulls that are due.

`run_due(now)` is called every few minutes by `tenfold.notifications.tick`. With nothing due it
costs one indexed query. Each due feed is claimed with a compare-and-set on its `next_run_at`
(an UPDATE that only matches the value this worker read), so two workers that see the same feed
never both start it; the winner moves `next_run_at` to the next scheduled moment before the pull
runs, so a pull that fails or crashes waits for its next turn instead of looping. A tick that
comes late runs each overdue feed once, not once per missed slot.
"""

from __future__ import annotations

import datetime as dt

from tenfold.lib.feeds import next_run
from tenfold.lib.schedule import zone
from tenfold.okrs.models import CycleState

from .models import DataSource, Kind
from .tasks import sync_source

BATCH = 200
"""Feeds started per tick at most; the rest wait for the next tick (still due, still first)."""


def run_due(now: dt.datetime) -> int:
    due = list(
        DataSource.objects.filter(enabled=True, next_run_at__lte=now)
        .exclude(kind=Kind.PUSH)
        .exclude(key_result__objective__cycle__state=CycleState.CLOSED)
        .order_by("next_run_at", "id")
        .values_list(
            "id",
            "next_run_at",
            "schedule",
            "schedule_hour",
            "schedule_weekday",
            "organization__time_zone",
        )[:BATCH]
    )
    started = 0
    for source_id, was, schedule, hour, weekday, time_zone in due:
        upcoming = next_run(now, schedule, hour=hour, weekday=weekday, tz=zone(time_zone))
        claimed = DataSource.objects.filter(pk=source_id, enabled=True, next_run_at=was).update(
            next_run_at=upcoming
        )
        if claimed:
            sync_source.enqueue(source_id)
            started += 1
    return started
