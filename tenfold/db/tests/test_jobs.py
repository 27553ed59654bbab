"""The tick keeps SQLite's planner statistics: at once when there are none, then daily."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tenfold.db import jobs
from tenfold.notifications.models import Heartbeat
from tenfold.notifications.tick import JOBS
from tenfold.organizations.models import Organization

pytestmark = pytest.mark.django_db


def statistics_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return int(cursor.fetchone()[0])


def test_the_tick_runs_it() -> None:
    assert "tenfold.db.jobs.run_due" in JOBS


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_is_analyzed_when_it_has_no_statistics_then_once_a_day(
    org: Organization,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    now = timezone.now()
    assert jobs.run_due(now) == 1
    assert statistics_rows() > 0
    assert Heartbeat.objects.get(name=jobs.HEARTBEAT).at == now
    assert jobs.run_due(now + dt.timedelta(hours=23)) == 0
    with connection.cursor() as cursor:  # statistics lost (a restored copy): analyzed again
        cursor.execute("DROP TABLE sqlite_stat1")
    assert jobs.run_due(now + dt.timedelta(hours=23)) == 1
    assert jobs.run_due(now + dt.timedelta(hours=47)) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_keeps_its_own() -> None:
    assert jobs.run_due(timezone.now()) == 0
    assert not Heartbeat.objects.filter(name=jobs.HEARTBEAT).exists()
