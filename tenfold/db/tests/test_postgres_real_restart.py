"""PostgreSQL restarted for real under load: `pg_ctlcluster <version> main restart` while six
clients read and check in through the production server (2 processes). Requests caught in
the outage answer 503 "unavailable", none answers 500, each server process serves again within
seconds of PostgreSQL being back without being restarted itself, and every acknowledged
check-in is stored.

A restart cuts off every connection to the cluster, those of any test running beside this one
included, so the drill runs alone and only when asked: `make drill-postgres-restart` (which sets
TENFOLD_PG_RESTART_DRILL=1 and runs one test process). test_postgres_restart.py covers the
same ground inside the ordinary suite by ending its own database's connections only.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, LiteralString
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from tenfold.db.tests.served import (
    Reply,
    Seeded,
    Stopwatch,
    call,
    child_env,
    inspect,
    prepare,
    scratch_database,
    served,
    suite_vendor,
)

CLUSTERS = Path("/etc/postgresql")
CLUSTER_NAME = "main"

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("TENFOLD_PG_RESTART_DRILL") != "1",
        reason="restarts PostgreSQL, cutting off anything else using it: run it alone with "
        "`make drill-postgres-restart` (TENFOLD_PG_RESTART_DRILL=1)",
    ),
    pytest.mark.skipif(
        suite_vendor() != "postgresql", reason="the suite runs on SQLite: nothing to restart"
    ),
    pytest.mark.skipif(
        shutil.which("pg_ctlcluster") is None,
        reason="pg_ctlcluster (Debian's postgresql-common) is not installed: the cluster "
        "cannot be restarted from here",
    ),
    # The server's database is copied from the suite's test database, which must exist. The
    # test opens no transaction of its own: the restart would break the connection holding it.
    pytest.mark.django_db(transaction=True),
]

CLIENTS = 6
STEADY_SECONDS = 2.0  # load before the restart, and again once PostgreSQL is back
RECOVERY_SECONDS = 5.0  # every answer after this long past PostgreSQL's return is a success
UNAVAILABLE_TEXT = "The database cannot be reached right now."


def cluster_version() -> str:
    """The newest installed cluster version (the highest folder of /etc/postgresql)."""
    found = [path.name for path in CLUSTERS.iterdir() if path.is_dir()] if CLUSTERS.is_dir() else []
    if not found:
        pytest.skip(f"no cluster under {CLUSTERS}")
    return max(found, key=lambda name: [int(part) for part in name.split(".") if part.isdigit()])


def pg_ctlcluster(version: str, action: str) -> None:
    subprocess.run(  # nosec B603 B607  # a fixed command: the test machine's cluster
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER_NAME, action],
        check=True,
        capture_output=True,
        timeout=90,
    )


def accepting(url: str) -> bool:
    parts = urlsplit(url)
    done = subprocess.run(  # nosec B603 B607
        ["pg_isready", "-q", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)],
        check=False,
        timeout=10,
    )
    return done.returncode == 0


def wait_until_accepting(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not accepting(url):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def leave_running(url: str, version: str) -> None:
    """Whatever happened in the drill, the cluster is left running for whatever comes next."""
    if not accepting(url):
        pg_ctlcluster(version, "start")
        assert wait_until_accepting(url, 30), "PostgreSQL did not come back within 30 s"


def admin_query(url: str, query: LiteralString, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    from tenfold.bench.run import with_database_name

    with psycopg.connect(with_database_name(url, "postgres"), autocommit=True) as admin:
        return admin.execute(query, params).fetchall()


def backends(url: str) -> dict[int, float]:
    """The backends serving the scratch database: client port -> seconds between the start of
    PostgreSQL and the opening of the connection."""
    rows = admin_query(
        url,
        "SELECT client_port, extract(epoch FROM backend_start - pg_postmaster_start_time())"
        " FROM pg_stat_activity WHERE datname = %s AND client_port IS NOT NULL",
        urlsplit(url).path.lstrip("/"),
    )
    return {port: float(seconds) for port, seconds in rows}


def connected_ports(pid: int, remote_port: int) -> set[int]:
    """Local ports of the process's established TCP connections to `remote_port`: its sockets
    (/proc/<pid>/fd) found in the kernel's TCP table (/proc/net/tcp, tcp6)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if (
                state == "01"
                and inode in inodes
                and int(remote.rsplit(":", 1)[1], 16) == remote_port
            ):
                found.add(int(local.rsplit(":", 1)[1], 16))
    return found


def connections_of(pids: list[int], url: str) -> dict[int, list[float]]:
    """For each server process, its connections PostgreSQL serves now, each as the seconds
    between the start of PostgreSQL and the opening of the connection."""
    serving = backends(url)
    port = urlsplit(url).port or 5432
    return {
        pid: sorted(serving[local] for local in connected_ports(pid, port) if local in serving)
        for pid in pids
    }


def commits_on_disk(url: str) -> str:
    """The URL without the test suite's `synchronous_commit=off` (the Makefile's PG_TEST_URL):
    the server commits as in production, each acknowledged check-in on disk first."""
    parts = urlsplit(url)
    kept = [
        (key, value)
        for key, value in parse_qsl(parts.query)
        if not (key == "options" and "synchronous_commit" in value)
    ]
    return urlunsplit(parts._replace(query=urlencode(kept)))


@dataclass
class Database:
    folder: Path
    url: str
    env: dict[str, str]
    seeded: Seeded
    ready_at: float  # when the seeded copy was ready (time.monotonic)


@pytest.fixture(scope="module")
def database(
    tmp_path_factory: Any, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("real-restart")
    static = tmp_path_factory.getbasetemp() / "served-static"
    with django_db_blocker.unblock(), scratch_database(folder) as url:
        env = child_env(folder, url, static, DATABASE_URL=commits_on_disk(url))
        yield Database(folder, url, env, prepare(env), time.monotonic())


@dataclass
class Answer:
    kind: str  # check_in, read or page
    status: int
    started: float
    ended: float
    clean: bool  # a 503 in the expected shape (or not a 503)


@dataclass
class Load:
    answers: list[Answer] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # code -> value, answered 201
    refused: set[str] = field(default_factory=set)  # values of check-ins answered 503
    failures: list[str] = field(default_factory=list)

    def statuses(self, since: float = 0.0, until: float = float("inf")) -> Counter[int]:
        return Counter(a.status for a in self.answers if since <= a.started < until)


def clean_503(kind: str, reply: Reply) -> bool:
    """The "unavailable" answer: the API's error shape, or the short page, with Retry-After."""
    if reply.headers.get("retry-after") != "2":
        return False
    if kind == "page":
        return UNAVAILABLE_TEXT in reply.text and "Traceback" not in reply.text
    return bool(reply.json()["error"]["code"] == "unavailable")


def run_load(
    port: int, seeded: Seeded, load: Load, stop: threading.Event
) -> list[threading.Thread]:
    """CLIENTS people each sending, in turn, a check-in through the API, a read of the key
    result through the API and the objective's page, until `stop` is set."""
    guard = threading.Lock()
    s = seeded

    def person(number: int) -> None:
        token = s.people[number]["token"]
        cookies = {s.session_cookie: s.people[number]["session"]}
        values = itertools.count(number * 100_000 + 1)
        key_result = f"/api/v1/orgs/{s.org}/key-results/{s.key_result}"
        for kind in itertools.cycle(["check_in", "read", "page"]):
            if stop.is_set():
                return
            value = next(values)
            started = time.monotonic()
            try:
                if kind == "check_in":
                    reply = call(
                        port, "POST", f"{key_result}/check-ins", token=token, data={"value": value}
                    )
                elif kind == "read":
                    reply = call(port, "GET", key_result, token=token)
                else:
                    reply = call(
                        port, "GET", f"/{s.org}/objectives/{s.objective}/", cookies=cookies
                    )
            except OSError as error:  # the server dropping a connection is a failure too
                with guard:
                    load.failures.append(f"{kind}: {error!r}")
                continue
            clean = reply.status != 503 or clean_503(kind, reply)
            with guard:
                load.answers.append(Answer(kind, reply.status, started, time.monotonic(), clean))
                if reply.status not in (200, 201, 503) or not clean:
                    load.failures.append(f"{kind}: {reply.status} {reply.text[:300]}")
                if kind == "check_in" and reply.status == 201:
                    load.acknowledged[reply.json()["checkin"]["code"]] = str(value)
                elif kind == "check_in" and reply.status == 503:
                    load.refused.add(str(value))

    threads = [threading.Thread(target=person, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def test_a_real_restart_answers_503_meanwhile_and_the_same_processes_recover(
    database: Database,
) -> None:
    version = cluster_version()
    url = database.url
    watch = Stopwatch()
    watch.last = database.ready_at
    load, stop = Load(), threading.Event()
    with served(database.folder, database.env, "server-real-restart") as server:
        pids = server.worker_pids()
        began_at = admin_query(url, "SELECT pg_postmaster_start_time()")[0][0]
        watch.mark("server start")
        threads = run_load(server.port, database.seeded, load, stop)
        try:
            time.sleep(STEADY_SECONDS)
            connected_before = connections_of(pids, url)
            watch.mark("load")
            restart_at = time.monotonic()
            pg_ctlcluster(version, "restart")
            assert wait_until_accepting(url, 30), "PostgreSQL did not come back"
            back_at = time.monotonic()
            watch.mark("restart")
            time.sleep(STEADY_SECONDS)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
            leave_running(url, version)
        watch.mark("load after")
        restarted_at = admin_query(url, "SELECT pg_postmaster_start_time()")[0][0]
        connected_after = connections_of(pids, url)
        pids_after = server.worker_pids()
        log = server.log.read_text()
    # Every check-in stored came from the load: the seed records none.
    stored = dict(inspect(database.env)["checkins"])
    watch.mark("checks")

    answers = load.answers
    statuses = load.statuses()
    unavailable = [a for a in answers if a.status == 503]
    server_errors = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    first_503 = min((a.started for a in unavailable), default=restart_at)
    last_503 = max((a.ended for a in unavailable), default=restart_at)
    # The last 503 against the moment PostgreSQL accepted connections again: negative when the
    # server was serving again before pg_ctlcluster had returned.
    recovery = last_503 - back_at
    after = load.statuses(since=last_503)
    # Each process's first connection to the restarted PostgreSQL (its connections are kept,
    # so the oldest one it holds is the first it opened), in seconds after PostgreSQL started.
    reconnected = [min(connected_after[pid], default=float("inf")) for pid in pids]
    # Check-ins stored but never acknowledged: committed just before the answer was lost, so
    # their senders were told 503 and cannot know. Each must be one of those.
    acknowledged_values = set(load.acknowledged.values())
    in_doubt = {value for value in stored.values() if value not in acknowledged_values}
    print(
        f"\npostgresql {version} restarted for real under load ({CLIENTS} clients, 2 server "
        f"processes): {len(answers)} requests, {statuses[503]} answered 503, "
        f"{statuses[500]} answered 500, {server_errors} other 5xx; pg_ctlcluster restart "
        f"{back_at - restart_at:.1f} s, 503 answers from {first_503 - restart_at:.1f} s to "
        f"{last_503 - restart_at:.1f} s into it (the last {recovery:+.1f} s from PostgreSQL "
        f"accepting again); then {after.total()} requests, {after[200] + after[201]} ok; each "
        f"server process reconnected {', '.join(f'{s:.1f}' for s in reconnected)} s after "
        f"PostgreSQL started (connections before {[len(c) for c in connected_before.values()]}, "
        f"after {[len(c) for c in connected_after.values()]}); server processes restarted: "
        f"{len(set(pids) - set(pids_after))}; check-ins acknowledged {len(load.acknowledged)}, "
        f"stored {len(stored)} (answered 503 yet stored: {len(in_doubt)}); {watch}"
    )

    # The cluster really restarted, in the middle of the load.
    assert restarted_at > began_at
    assert load.statuses(until=restart_at).total() > 0 and after.total() > 0
    # No 500, no other server error, no dropped connection, every 503 the clean one...
    assert statuses[500] == 0 and server_errors == 0, load.failures[:5]
    assert not load.failures, load.failures[:5]
    assert set(statuses) <= {200, 201, 503}
    # ...and 503 only while PostgreSQL was away: the load reached the outage, nothing failed
    # before the restart began, and all was served again soon after PostgreSQL was back.
    assert unavailable and all(a.clean for a in unavailable)
    assert all(a.ended > restart_at for a in unavailable)
    assert recovery <= RECOVERY_SECONDS
    # Both server processes, the same ones, serve from the restarted PostgreSQL: each opened
    # connections of its own to it, soon after it started.
    assert pids_after == pids and len(pids) == 2 and log.count("Booting worker") == 2
    assert all(connected_before[pid] for pid in pids), connected_before
    assert all(seconds <= RECOVERY_SECONDS for seconds in reconnected), connected_after
    assert "Internal Server Error" not in log
    # Not one acknowledged check-in lost, none stored twice, and nothing stored beyond them
    # but check-ins answered 503: the count stored is the count acknowledged, plus those.
    assert set(load.acknowledged) <= set(stored)
    assert len(set(stored.values())) == len(stored)
    assert in_doubt <= load.refused
    assert len(stored) == len(load.acknowledged) + len(in_doubt)
