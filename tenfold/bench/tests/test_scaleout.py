"""Scale-out for real: two `tenfold serve` processes and a `tenfold worker` on one PostgreSQL
database and Redis work as one (`tenfold load --scale-out`). Needs PostgreSQL and Redis; CI has
both and sets TENFOLD_REQUIRE_REDIS=1, so a missing Redis fails there instead of skipping."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.conf import global_settings
from django.core.management import call_command
from django.db import connection

from tenfold.bench.scaleout import redis_reachable

REDIS_URL = os.environ.get("TENFOLD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url() -> str:
    problem = redis_reachable(REDIS_URL)
    if problem:
        if os.environ.get("TENFOLD_REQUIRE_REDIS"):
            pytest.fail(problem)
        pytest.skip(problem)
    return REDIS_URL


@pytest.mark.django_db(transaction=True)
def test_two_servers_and_a_worker_work_as_one(settings, redis_url):
    if connection.vendor != "postgresql":
        pytest.skip("scale-out runs on PostgreSQL only (the PostgreSQL run of the suite has it)")
    # The servers are separate processes with the production password hashers: the accounts
    # made here must use one of those, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    out = StringIO()
    call_command("load", "--scale-out", "--redis", redis_url, stdout=out)
    text = out.getvalue()
    assert "session accepted by B" in text
    assert "check-in written through B, read through A" in text
    assert "run by the worker, downloaded from B" in text
    assert "Scale-out works" in text


@pytest.mark.django_db
def test_scale_out_refuses_sqlite_with_a_clear_reason(redis_url):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is about SQLite")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("load", "--scale-out", "--redis", redis_url, stdout=StringIO())
