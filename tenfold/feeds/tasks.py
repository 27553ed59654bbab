"""Background tasks of data feeds, written against django.tasks; Huey runs them.

`sync_source` fetches one feed's value and records it. The tick enqueues it for every pull that
falls due (see `jobs.run_due`), and "Sync now" enqueues it once the request's transaction has
committed. It takes an id and is safe to run twice: a second run of an unchanged value records
nothing.
"""

from __future__ import annotations

from django.tasks import task


@task
def sync_source(source_id: int) -> str:
    from . import services
    from .models import DataSource

    source = (
        DataSource.objects.select_related(
            "organization", "created_by", "key_result__objective__cycle"
        )
        .filter(pk=source_id)
        .first()
    )
    if source is None or not source.is_pull:
        return "gone"
    return services.source_sync(source=source).message
