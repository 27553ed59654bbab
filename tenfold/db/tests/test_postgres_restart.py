"""PostgreSQL going away under a running server: every server process connected to the
database is terminated (as a restart of PostgreSQL does) while requests flow. Requests caught
in the middle may answer 503 "unavailable", none answers 500, and the requests after it are
served by the same server processes, which open new connections on their own.

A real restart of the cluster would cut off every other test running beside this one, so the
test ends the connections to its own scratch database instead (`pg_terminate_backend`): the
server sees the same thing, its connections closed by the server side. The real restart
(`pg_ctlcluster … restart` under load) is a drill of its own, run alone:
test_postgres_real_restart.py, `make drill-postgres-restart`.

Kept connections are checked at the start of each request (`CONN_HEALTH_CHECKS`), so one that
died while idle is replaced without anyone noticing; the last test turns the check off to show
what it saves.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tenfold.db.tests.served import (
    Reply,
    Seeded,
    call,
    child_env,
    inspect,
    prepare,
    scratch_database,
    served,
    suite_vendor,
    terminate_connections,
)

pytestmark = [
    pytest.mark.skipif(suite_vendor() != "postgresql", reason="PostgreSQL's connections"),
    # The server's database is copied from the suite's test database, which must exist.
    pytest.mark.django_db,
]

KILLS = 3
FLOWING_CLIENTS = 6


@dataclass
class Database:
    folder: Path
    url: str
    env: dict[str, str]
    seeded: Seeded


@pytest.fixture(scope="module")
def database(
    tmp_path_factory: Any, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("restart")
    static = tmp_path_factory.getbasetemp() / "served-static"
    with django_db_blocker.unblock(), scratch_database(folder) as url:
        env = child_env(folder, url, static)
        yield Database(folder, url, env, prepare(env))


class Requests:
    """A person's requests in turn: a check-in through the API, the key result through the
    API, the objective's page in the browser."""

    def __init__(self, port: int, seeded: Seeded, number: int) -> None:
        self.port, self.seeded = port, seeded
        self.token = seeded.people[number]["token"]
        self.cookies = {seeded.session_cookie: seeded.people[number]["session"]}
        self.values = itertools.count(number * 100_000 + 1)

    def check_in(self) -> Reply:
        s = self.seeded
        return call(
            self.port,
            "POST",
            f"/api/v1/orgs/{s.org}/key-results/{s.key_result}/check-ins",
            token=self.token,
            data={"value": next(self.values)},
        )

    def read(self) -> Reply:
        s = self.seeded
        return call(
            self.port, "GET", f"/api/v1/orgs/{s.org}/key-results/{s.key_result}", token=self.token
        )

    def page(self) -> Reply:
        s = self.seeded
        return call(self.port, "GET", f"/{s.org}/objectives/{s.objective}/", cookies=self.cookies)

    def cycle(self) -> list[Callable[[], Reply]]:
        return [self.check_in, self.read, self.page]


@dataclass
class Outcome:
    statuses: Counter[int]
    acknowledged: list[str]  # codes of the check-ins answered 201
    refused_checkins: int  # check-ins answered 503: stored or not, the client cannot know
    failures: list[str]

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def flow(port: int, seeded: Seeded, clients: int, until: threading.Event | int) -> Outcome:
    """`clients` people sending requests in turn, until the event is set (or `until` rounds)."""
    outcome = Outcome(Counter(), [], 0, [])
    guard = threading.Lock()

    def person(number: int) -> None:
        requests = Requests(port, seeded, number)
        for round_ in itertools.count():
            if isinstance(until, int) and round_ >= until:
                return
            for send in requests.cycle():
                if isinstance(until, threading.Event) and until.is_set():
                    return
                try:
                    reply = send()
                except OSError as error:  # a dropped connection would be a failure too
                    with guard:
                        outcome.failures.append(f"{send.__name__}: {error!r}")
                    continue
                with guard:
                    outcome.statuses[reply.status] += 1
                    if reply.status not in (200, 201, 503):
                        outcome.failures.append(
                            f"{send.__name__}: {reply.status} {reply.text[:300]}"
                        )
                    if send.__name__ == "check_in":
                        if reply.status == 201:
                            outcome.acknowledged.append(reply.json()["checkin"]["code"])
                        elif reply.status == 503:
                            outcome.refused_checkins += 1
                    if (
                        reply.status == 503
                        and send.__name__ != "page"
                        and reply.json()["error"]["code"] != "unavailable"
                    ):
                        outcome.failures.append(f"{send.__name__}: {reply.text[:300]}")

    threads = [threading.Thread(target=person, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcome


def test_requests_survive_the_database_ending_every_connection(database: Database) -> None:
    with served(database.folder, database.env, "server-checked") as server:
        started_pids = server.worker_pids()
        before = len(inspect(database.env)["checkins"])
        stop = threading.Event()
        flowing: list[Outcome] = []
        runner = threading.Thread(
            target=lambda: flowing.append(flow(server.port, database.seeded, FLOWING_CLIENTS, stop))
        )
        runner.start()
        ended = []
        for _kill in range(KILLS):
            time.sleep(0.8)
            ended.append(terminate_connections(database.url))
        time.sleep(0.8)
        stop.set()
        runner.join(timeout=120)
        during = flowing[0]

        after = flow(server.port, database.seeded, 8, 3)
        # Now while nothing runs: every kept connection dies idle, and the health check
        # replaces each one before the request that would have used it.
        idle_killed = terminate_connections(database.url)
        idle = flow(server.port, database.seeded, 8, 2)
        pids = server.worker_pids()
        log = server.log.read_text()
    stored = {code for code, _value in inspect(database.env)["checkins"]}

    print(
        f"postgresql restart: {KILLS} times all connections ended ({', '.join(map(str, ended))} "
        f"backends) while {FLOWING_CLIENTS} clients sent {during.requests} requests: "
        f"{sum(n for s, n in during.statuses.items() if s < 300)} ok, "
        f"{during.statuses[503]} answered 503, {during.statuses[500]} answered 500; "
        f"after: {after.requests} requests, {after.statuses[200] + after.statuses[201]} ok; "
        f"{idle_killed} idle connections ended, then {idle.requests} requests, "
        f"{idle.statuses[200] + idle.statuses[201]} ok; server processes restarted: 0"
    )

    assert all(count > 0 for count in ended), ended  # the server had connections to lose
    assert not during.failures, during.failures[:5]
    assert during.statuses[500] == 0 and set(during.statuses) <= {200, 201, 503}
    # Afterwards everything is served again, by the same processes.
    assert after.requests == 8 * 3 * 3 and set(after.statuses) <= {200, 201}, after.failures
    assert idle_killed > 0
    assert idle.requests == 8 * 2 * 3 and set(idle.statuses) <= {200, 201}, idle.failures
    # No server process was restarted to get there.
    assert pids == started_pids and log.count("Booting worker") == 2
    # Every acknowledged check-in is stored. A check-in answered 503 may have been committed
    # just before its connection went (its sender cannot tell): at most those are extra.
    acknowledged = set(during.acknowledged + after.acknowledged + idle.acknowledged)
    assert acknowledged <= stored
    assert len(stored) - before - len(acknowledged) <= during.refused_checkins
    assert "Internal Server Error" not in log


def test_without_the_health_check_an_idle_connection_lost_answers_503_once(
    database: Database,
) -> None:
    env = {**database.env, "TENFOLD_PG_HEALTH_CHECKS": "0"}
    with served(database.folder, env, "server-unchecked") as server:
        warm = flow(server.port, database.seeded, 8, 2)
        killed = terminate_connections(database.url)
        first = flow(server.port, database.seeded, 8, 2)
        then = flow(server.port, database.seeded, 8, 2)
    print(
        f"postgresql, health check off: {killed} idle connections ended; next "
        f"{first.requests} requests: {first.statuses[503]} answered 503, "
        f"{first.statuses[500]} answered 500; then {then.requests} requests, "
        f"{then.statuses[200] + then.statuses[201]} ok"
    )
    assert set(warm.statuses) <= {200, 201} and killed > 0
    # The first use of each dead connection fails, as a 503, never a 500...
    assert first.statuses[503] > 0 and first.statuses[500] == 0, first.failures
    # ...and the broken connection is dropped at the end of that request, so the server
    # recovers by itself.
    assert set(then.statuses) <= {200, 201}, then.failures
