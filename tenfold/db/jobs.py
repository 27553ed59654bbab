"""The database's part of the periodic tick (``tenfold.notifications.tick``): planner statistics.

SQLite never gathers statistics by itself. Without them it may walk a whole table where an index
would do (after a large import, a dashboard query took minutes instead of milliseconds). So on
SQLite the tick samples every table with ``ANALYZE`` (bounded by ``analysis_limit``, a second or
two at 10,000 people) when no statistics exist and then once a day. PostgreSQL's autovacuum keeps
its own statistics: nothing to do there.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

HEARTBEAT = "sqlite-analyze"
EVERY = dt.timedelta(hours=24)
# Rows sampled per index; SQLite's own suggestion for a quick but useful ANALYZE.
ANALYSIS_LIMIT = 1000


def analyze() -> None:
    """Refresh the planner statistics of every table (SQLite: sampled; PostgreSQL: ANALYZE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


def _has_statistics() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return cursor.fetchone() is not None


def run_due(now: dt.datetime) -> int:
    """Analyze an SQLite database that has no statistics yet, or none from the last day."""
    if connection.vendor != "sqlite":
        return 0
    from tenfold.notifications.models import Heartbeat

    last = Heartbeat.objects.filter(name=HEARTBEAT).values_list("at", flat=True).first()
    if last is not None and now - last < EVERY and _has_statistics():
        return 0
    analyze()
    Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"at": now})
    return 1
