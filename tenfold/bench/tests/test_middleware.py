"""Server-Timing: the server's own time and its SQL query count on every response."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenfold.accounts.models import User
from tenfold.organizations.models import Organization

TIMING = re.compile(
    r'^app;dur=([0-9.]+), db;dur=([0-9.]+);desc="queries=(\d+)", cpu;dur=([0-9.]+)$'
)


@pytest.fixture
def timed(settings: Any) -> None:
    settings.MIDDLEWARE = ["tenfold.bench.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]


def test_a_page_reports_its_time_and_queries(
    timed: None, client: Client, alice: User, org: Organization
) -> None:
    client.force_login(alice)
    client.get(f"/{org.slug}/")  # warm: the first request loads what later ones keep
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/{org.slug}/")
    assert response.status_code == 200
    match = TIMING.match(response["Server-Timing"])
    assert match, response["Server-Timing"]
    app_ms, db_ms, queries = float(match[1]), float(match[2]), int(match[3])
    assert 0 < db_ms <= app_ms
    assert 0 < float(match[4]) <= app_ms + 1  # processor time, within the wall-clock time
    assert queries == len(captured) > 0
    assert response["X-Tenfold-Queries"] == str(queries)


def test_a_page_without_queries_says_zero(timed: None, client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response["X-Tenfold-Queries"] in {"0", "1"}
    assert 'desc="queries=' in response["Server-Timing"]


def test_it_is_off_unless_asked(client: Client, db: None) -> None:
    assert "Server-Timing" not in client.get("/healthz")
