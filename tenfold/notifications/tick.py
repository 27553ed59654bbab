"""The periodic tick: one pass over everything that may be due.

Each job is a function `run_due(now) -> int` (how many things it did) in its own app. A job that
fails is logged and the others still run; the next tick tries again, and the delivery rows make
sure nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

JOBS = (
    "tenfold.notifications.reminders.run_due",
    "tenfold.chat.jobs.run_due",
    "tenfold.digests.jobs.run_due",
    "tenfold.feeds.jobs.run_due",
    "tenfold.webhooks.jobs.run_due",
    "tenfold.transfers.jobs.run_due",
    "tenfold.apiguard.jobs.run_due",
    "tenfold.db.jobs.run_due",
)


@dataclass
class TickResult:
    done: dict[str, int]
    errors: dict[str, str]


def tick(now: dt.datetime | None = None, *, jobs: tuple[str, ...] = JOBS) -> TickResult:
    now = now or timezone.now()
    result = TickResult(done={}, errors={})
    for path in jobs:
        name = path.split(".")[1]
        try:
            job = import_string(path)
        except ImportError:
            continue
        try:
            result.done[name] = int(job(now) or 0)
        except Exception as error:  # one broken job must not stop the others
            log.exception("tick job %s failed", path)
            result.errors[name] = str(error) or type(error).__name__
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(
        name="tick", defaults={"at": now, "summary": {"done": result.done, "errors": result.errors}}
    )
    return result
