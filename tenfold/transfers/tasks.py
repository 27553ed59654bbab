"""Background task of transfers, written against django.tasks; Huey runs it.

`run_transfer` takes the transfer's id and is safe to run twice: only a job still waiting is
claimed, so a second delivery of the same task finds it taken and does nothing.
"""

from __future__ import annotations

from django.tasks import task


@task
def run_transfer(transfer_id: int) -> str:
    from . import services

    return services.run(transfer_id)
