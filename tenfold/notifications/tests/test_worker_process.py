"""Real worker processes: `tenfold worker` on the SQLite queue and on Redis runs what the
application enqueues, keeps queued work across a kill and a restart, and its tick sends
reminders to a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tenfold.notifications.testing import smtp_server

TENFOLD = str(Path(sys.executable).with_name("tenfold"))


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(
        TENFOLD_DATA_DIR=str(tmp_path),
        DATABASE_URL="",
        TENFOLD_TASKS="worker",
        TENFOLD_QUEUE_NAME=f"test-{uuid.uuid4().hex[:10]}",
        TENFOLD_TICK_MINUTES="60",
        REDIS_URL="",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TENFOLD, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


class Worker:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log.open("a")
        self.process = subprocess.Popen(
            [TENFOLD, "worker", "--threads", "1"],
            env=self.env,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


@pytest.fixture
def worker_factory(tmp_path: Path) -> Iterator:
    started: list[Worker] = []

    def make(env: dict[str, str]) -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(started)}.log")
        started.append(worker)
        return worker

    yield make
    for worker in started:
        worker.kill()


# The queue tests do not touch the suite's database (the queue is a SQLite file or Redis), so
# the PostgreSQL run of the suite does not repeat them.
queue_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the queue does not depend on the database; run once, in the SQLite suite",
)


def _kill_restart_cycle(env: dict[str, str], worker_factory) -> None:
    # Nobody is running: the check waits, gives up with a clear message, and its task stays queued.
    lonely = _run(env, "worker", "--ping", "--timeout", "1")
    assert lonely.returncode == 1 and "No worker answered" in lonely.stderr
    worker = worker_factory(env)
    worker.start()
    answered = _run(env, "worker", "--ping", "--timeout", "30")
    assert answered.returncode == 0, answered.stderr
    assert "answered" in answered.stdout
    worker.kill()  # no clean shutdown
    queued = subprocess.Popen(
        [TENFOLD, "worker", "--ping", "--timeout", "40"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # the check's task waits in the queue while no worker runs
    again = worker_factory(env)
    again.start()
    out, err = queued.communicate(timeout=60)
    assert queued.returncode == 0, err
    assert "answered" in out


@queue_only
def test_a_worker_on_the_sqlite_queue_survives_a_kill(tmp_path, worker_factory):
    _kill_restart_cycle(_env(tmp_path), worker_factory)


@queue_only
def test_a_worker_on_redis_survives_a_kill(tmp_path, worker_factory):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("TENFOLD_REQUIRE_REDIS"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = _env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0")
    try:
        _kill_restart_cycle(env, worker_factory)
    finally:
        client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
        for key in client.scan_iter(f"huey*{env['TENFOLD_QUEUE_NAME']}*"):
            client.delete(key)


SETUP = """
import datetime as dt
from django.utils import timezone
from tenfold.organizations.services import organization_create, person_add
from tenfold.accounts.models import User
owner = User.objects.create_user(email="owner@example.com", password="x", name="Olga Owner")
now = timezone.now()
org = organization_create(name="Initech", slug="initech", owner=owner, time_zone="UTC")
org.checkin_weekday = now.weekday()
org.checkin_hour = now.hour
org.save()
for n in range(3):
    User.objects.create_user(email=f"p{n}@example.com", password="x", name=f"Person {n}")
    person_add(organization=org, email=f"p{n}@example.com", by=owner)
"""


@pytest.fixture
def database_url() -> Iterator[str]:
    """The worker's own database on the suite's engine: a SQLite file in the data directory, or
    a throwaway PostgreSQL database when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield ""
        return
    import psycopg

    name = f"tenfold_worker_{uuid.uuid4().hex[:10]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_workers_tick_sends_reminders_to_a_real_mail_server(tmp_path, database_url):
    with smtp_server() as inbox:
        env = _env(
            tmp_path,
            DATABASE_URL=database_url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(inbox.port),
            EMAIL_USE_TLS="false",
        )
        assert _run(env, "migrate", "-v", "0", timeout=120).returncode == 0
        made = _run(env, "shell", "-c", SETUP)
        assert made.returncode == 0, made.stderr
        first = _run(env, "worker", "--once")
        assert first.returncode == 0, first.stderr
        assert "notifications: 4" in first.stdout
        messages = inbox.wait_for(4)
        assert sorted(m["To"] for m in messages) == [
            "owner@example.com",
            "p0@example.com",
            "p1@example.com",
            "p2@example.com",
        ]
        second = _run(env, "worker", "--once")  # a second tick in the same hour sends nothing
        assert "notifications: 0" in second.stdout
        time.sleep(0.3)
        assert len(inbox.messages) == 4
