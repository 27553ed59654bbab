"""SQLite busy, through a real server: a write that finds the database locked by another
connection waits (SQLite retries until its busy timeout) and succeeds when the lock goes in
time; when the lock outlasts the timeout the person gets 503 "busy" (the API's error shape, or
a short page), never a 500, and nothing of the request is written.

The server runs with `TENFOLD_SQLITE_TIMEOUT=1` so that "longer than the timeout" takes one
second, not the default twenty.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
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
    open_edit_form,
    prepare,
    scratch_database,
    send_edit_form,
    served,
    suite_vendor,
)

TIMEOUT = 1  # seconds, the server's TENFOLD_SQLITE_TIMEOUT
SHORT_LOCK = 0.5

pytestmark = [
    pytest.mark.skipif(suite_vendor() != "sqlite", reason="SQLite's own locking"),
    # The server's database is copied from the suite's test database, which must exist.
    pytest.mark.django_db,
]


@dataclass
class Busy:
    port: int
    seeded: Seeded
    env: dict[str, str]
    path: Path
    log: Path


@pytest.fixture(scope="module")
def busy(tmp_path_factory: Any, django_db_setup: None, django_db_blocker: Any) -> Iterator[Busy]:
    folder = tmp_path_factory.mktemp("busy")
    static = tmp_path_factory.getbasetemp() / "served-static"
    with django_db_blocker.unblock(), scratch_database(folder) as url:
        env = child_env(folder, url, static, TENFOLD_SQLITE_TIMEOUT=str(TIMEOUT))
        seeded = prepare(env)
        with served(folder, env) as server:
            yield Busy(server.port, seeded, env, Path(url.removeprefix("sqlite:///")), server.log)


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another connection holds the database's write lock (what a long import would)."""
    holder = sqlite3.connect(path, isolation_level=None, timeout=10)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@dataclass
class Waited:
    """A request sent while the lock was held: when it was sent, when the lock went, when the
    answer came (time.monotonic())."""

    reply: Reply
    sent: float
    released: float
    answered: float

    @property
    def waited_for_the_lock(self) -> bool:
        return self.sent < self.released < self.answered


def during_a_short_lock(busy: Busy, request: Any) -> Waited:
    """Send a request while another connection holds the lock for SHORT_LOCK seconds."""
    locked, released = threading.Event(), []

    def hold() -> None:
        with write_lock(busy.path):
            locked.set()
            time.sleep(SHORT_LOCK)
        released.append(time.monotonic())

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(10)
    sent = time.monotonic()
    reply = request()
    answered = time.monotonic()
    holder.join()
    return Waited(reply, sent, released[0], answered)


def check_in(busy: Busy, value: int) -> Reply:
    seeded = busy.seeded
    return call(
        busy.port,
        "POST",
        f"/api/v1/orgs/{seeded.org}/key-results/{seeded.key_result}/check-ins",
        token=seeded.people[1]["token"],
        data={"value": value},
    )


def test_a_lock_shorter_than_the_timeout_is_waited_out(busy: Busy) -> None:
    form = open_edit_form(busy.port, busy.seeded, busy.seeded.people[2]["session"])
    stored = len(inspect(busy.env)["checkins"])

    checked_in = during_a_short_lock(busy, lambda: check_in(busy, 11))
    edited = during_a_short_lock(
        busy, lambda: send_edit_form(busy.port, busy.seeded, form, "Waited for the lock")
    )
    print(
        f"sqlite busy (timeout {TIMEOUT} s): lock held {SHORT_LOCK} s -> API check-in "
        f"{checked_in.reply.status} after {checked_in.reply.seconds:.2f} s, edit form "
        f"{edited.reply.status} after {edited.reply.seconds:.2f} s"
    )

    assert checked_in.reply.status == 201, checked_in.reply.text[:300]
    assert edited.reply.status == 302, edited.reply.text[:300]
    # Both were sent while the lock was held and answered once it had gone: they waited.
    assert checked_in.waited_for_the_lock and edited.waited_for_the_lock
    after = inspect(busy.env)
    assert len(after["checkins"]) == stored + 1
    assert after["title"] == "Waited for the lock"


def test_a_lock_longer_than_the_timeout_answers_503_and_writes_nothing(busy: Busy) -> None:
    seeded = busy.seeded
    form = open_edit_form(busy.port, seeded, seeded.people[3]["session"])
    before = inspect(busy.env)

    with write_lock(busy.path):
        api = check_in(busy, 22)
        page = send_edit_form(busy.port, seeded, form, "Never saved")
        read = call(
            busy.port,
            "GET",
            f"/api/v1/orgs/{seeded.org}/objectives/{seeded.objective}",
            token=seeded.people[3]["token"],
        )
    after = inspect(busy.env)
    print(
        f"sqlite busy (timeout {TIMEOUT} s): lock held past it -> API check-in {api.status} "
        f"after {api.seconds:.2f} s, edit form {page.status} after {page.seconds:.2f} s, "
        f"API read {read.status}; rows written {len(after['checkins']) - len(before['checkins'])}"
    )

    # The API: 503 in its error shape, with a hint of when to try again.
    assert api.status == 503, api.text[:500]
    assert api.json() == {
        "error": {
            "code": "busy",
            "message": "The database is busy with other changes. Wait a moment and try again.",
            "fields": {},
        }
    }
    assert api.headers["retry-after"] == "2"
    assert read.status == 503 and read.json()["error"]["code"] == "busy"
    # A page: the short 503 page, not a traceback.
    assert page.status == 503 and page.headers["content-type"].startswith("text/html")
    assert "The database is busy" in page.text and "Traceback" not in page.text
    # Each waited for the whole timeout first.
    assert api.seconds >= TIMEOUT * 0.9 and page.seconds >= TIMEOUT * 0.9
    # Nothing half-written: no check-in, no edit, no audit event.
    assert after == before

    # Once the lock is gone the same requests go through, on the same server.
    again = check_in(busy, 22)
    assert again.status == 201
    resent = send_edit_form(busy.port, seeded, form, "Saved the second time")
    assert resent.status == 302, resent.text[:300]
    assert "Internal Server Error" not in busy.log.read_text()
