"""Rate limits per token, per signed-in person and per address."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection

from tenfold.apiguard import services
from tenfold.apiguard.models import RateCounter

from .conftest import PREFIX, token_for


@pytest.fixture(autouse=True)
def _early_in_a_window():
    """Windows start on the minute: each test starts 5 s into one, so the requests it counts
    never straddle two windows (a slow run could otherwise see its budget refilled)."""
    import time_machine

    with time_machine.travel("2026-11-16 12:00:05+00:00", tick=True):
        yield


@pytest.fixture
def limits(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_LIMIT_WRITES = 2
    settings.API_RATE_LIMIT_ANONYMOUS = 2
    settings.API_RATE_LIMIT_WINDOW = 60
    return settings


def get(client, path, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(PREFIX + path, headers=headers)


def test_every_answer_says_what_is_left_and_the_extra_request_gets_429(
    client, limits, team, org, bob, cycle
):
    token = token_for(bob, org)
    answers = [get(client, f"/orgs/{org.slug}/cycles", token) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["X-RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert {a["X-RateLimit-Limit"] for a in answers} == {"3"}
    reset = int(answers[0]["X-RateLimit-Reset"])
    assert 1 <= reset <= 60
    refused = answers[3]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "rate_limited"
    assert set(refused.json()["error"]) == {"code", "message", "fields"}


def test_each_token_has_its_own_budget(client, limits, team, org, bob, carol, cycle):
    bob_token, carol_token = token_for(bob, org), token_for(carol, org)
    for _ in range(3):
        get(client, f"/orgs/{org.slug}/cycles", bob_token)
    assert get(client, f"/orgs/{org.slug}/cycles", bob_token).status_code == 429
    assert get(client, f"/orgs/{org.slug}/cycles", carol_token).status_code == 200


def test_writes_have_a_smaller_budget_of_their_own(client, limits, org, bob, key_result):
    limits.API_RATE_LIMIT = 10
    token = token_for(bob, org)
    path = f"{PREFIX}/orgs/{org.slug}/key-results/{key_result.code}/check-ins"
    headers = {"Authorization": f"Bearer {token}"}

    def write():
        return client.post(path, json.dumps({"value": "30"}), "application/json", headers=headers)

    first, second, third = write(), write(), write()
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 429]
    assert second["X-RateLimit-Limit"] == "2" and second["X-RateLimit-Remaining"] == "0"
    assert key_result.checkins.count() == 2
    # Reading still works, and reports the larger budget.
    read = client.get(path, headers=headers)
    assert read.status_code == 200 and read["X-RateLimit-Limit"] == "10"


def test_anonymous_calls_are_counted_per_address(client, limits, org):
    answers = [get(client, "/me") for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    other = client.get(PREFIX + "/me", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 401


def test_an_unknown_token_counts_as_anonymous(client, limits, org):
    answers = [get(client, "/me", token="tf_nope") for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]


def test_a_signed_in_person_has_a_budget(client, limits, team, org, bob, cycle):
    client.force_login(bob)
    answers = [get(client, f"/orgs/{org.slug}/cycles") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]


def test_pages_outside_the_api_are_not_counted(client, limits, org, bob):
    client.force_login(bob)
    for _ in range(5):
        client.get("/")
    assert not RateCounter.objects.exists()


def test_a_limit_of_zero_turns_limits_off(client, settings, team, org, bob, cycle):
    settings.API_RATE_LIMIT = 0
    settings.API_RATE_LIMIT_WRITES = 0
    token = token_for(bob, org)
    answer = get(client, f"/orgs/{org.slug}/cycles", token)
    assert answer.status_code == 200 and "X-RateLimit-Limit" not in answer
    assert not RateCounter.objects.exists()


def test_the_budget_is_full_again_in_the_next_window(db, settings):
    settings.API_RATE_LIMIT_WINDOW = 60
    start = dt.datetime(2026, 11, 2, 9, 0, 10, tzinfo=dt.UTC)
    for _ in range(3):
        budget = services.rate_hit(limits={"token:1:all": 3}, now=start)
    assert budget is not None and budget.remaining == 0 and budget.reset_after == 50
    assert services.rate_hit(limits={"token:1:all": 3}, now=start).exceeded
    later = services.rate_hit(limits={"token:1:all": 3}, now=start + dt.timedelta(seconds=55))
    assert later is not None and later.used == 1 and later.reset_after == 55

    assert services.purge(start + dt.timedelta(seconds=61)) == 1
    assert RateCounter.objects.count() == 1


def test_the_tightest_budget_is_reported(db):
    budget = services.rate_hit(limits={"a:all": 100, "a:write": 5, "a:off": 0})
    assert budget is not None and (budget.limit, budget.remaining) == (5, 4)


def test_unknown_api_addresses_answer_in_the_error_shape(client, org, bob):
    answer = client.get(PREFIX + "/no/such/thing")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    barrier = threading.Barrier(6)
    now = dt.datetime(2026, 11, 2, 9, 0, 10, tzinfo=dt.UTC)

    def hit() -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            for _ in range(20):
                services.rate_hit(limits={"token:9:all": 1000}, now=now)
        finally:
            own.close()

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert RateCounter.objects.get(bucket="token:9:all").hits == 120
