"""Background tasks of the notifications app, written against django.tasks; Huey runs them.

The periodic trigger is Huey's (django.tasks has no schedule of its own): every
`TENFOLD_TICK_MINUTES` the consumer enqueues `run_tick`, which does one pass over what is due.
"""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .tick import tick


@task
def run_tick() -> dict[str, object]:
    result = tick()
    return {"done": result.done, "errors": result.errors}


@db_periodic_task(crontab(minute=f"*/{max(1, settings.WORKER_TICK_MINUTES)}"))
def periodic_tick() -> None:
    run_tick.enqueue()


@task
def ping(token: str) -> str:
    """Answers with its argument: `tenfold worker --ping` checks that a worker runs."""
    return token
