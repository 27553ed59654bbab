"""Eight people at once on the same key result and the same objective, through a real server.

Each of 8 clients posts 50 check-ins on one key result through the API and, every fifth
check-in, edits the title of the key result's objective: it reads the objective's version (from
the API or from the edit page), posts three check-ins while the others write, then sends its
change with the version it read (a PATCH, or the edit form). At the end each client sends one
edit on purpose with the version it read when it started, which someone has changed since.

What must hold, read from the database afterwards: every acknowledged check-in is stored once
and nothing else is (0 lost, 0 duplicated); the key result's current value is its newest
reading; each edit either succeeded, moving the version on by exactly one and showing in the
audit log as a change from the title its sender saw, or was refused as a conflict (409 from the
API, the form's conflict message on the web) and left no trace; no answer was a 5xx.

The server is `tenfold serve` (gunicorn, 2 processes × 4 threads) on a database committed for
real: a SQLite file, or a scratch PostgreSQL database when the suite runs on PostgreSQL.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tenfold.db.tests.served import (
    CONFLICT_TEXT,
    EditForm,
    Seeded,
    Stopwatch,
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

CLIENTS = 8
CHECKINS = 50
EDIT_EVERY = 5  # read at check-in 0, 5, 10, …; write two check-ins later


@dataclass
class Edit:
    via: str  # "api" or "web"
    title: str
    sent_version: int
    outcome: str = ""  # "ok" or "conflict"
    new_version: int | None = None
    stale_on_purpose: bool = False


@dataclass
class Tally:
    """What one client sent and was told."""

    statuses: Counter[int] = field(default_factory=Counter)
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (code, value)
    edits: list[Edit] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


class Person:
    """One client: a member of the team with an API token and a signed-in browser session."""

    def __init__(self, number: int, port: int, seeded: Seeded, tally: Tally) -> None:
        self.number, self.port, self.seeded, self.tally = number, port, seeded, tally
        self.token = seeded.people[number]["token"]
        self.session = seeded.people[number]["session"]
        self.api = f"/api/v1/orgs/{seeded.org}"

    def _seen(self, status: int, what: str, expected: tuple[int, ...], body: str) -> bool:
        self.tally.statuses[status] += 1
        if status not in expected:
            self.tally.unexpected.append(f"{what}: {status} {body[:300]}")
            return False
        return True

    def check_in(self, reading: int) -> None:
        value = str(self.number * 1000 + reading + 1)  # unique across every client
        reply = call(
            self.port,
            "POST",
            f"{self.api}/key-results/{self.seeded.key_result}/check-ins",
            token=self.token,
            data={"value": value, "confidence": 7, "note": f"client {self.number}, #{reading}"},
        )
        if self._seen(reply.status, "check-in", (201,), reply.text):
            answer = reply.json()["checkin"]
            assert answer["value"] == value
            self.tally.acknowledged.append((answer["code"], value))

    def read_version(self) -> int:
        reply = call(
            self.port, "GET", f"{self.api}/objectives/{self.seeded.objective}", token=self.token
        )
        assert self._seen(reply.status, "read", (200,), reply.text)
        return int(reply.json()["version"])

    def read_form(self) -> EditForm:
        form = open_edit_form(self.port, self.seeded, self.session)
        self.tally.statuses[200] += 1
        return form

    def edit_by_api(self, version: int, title: str, *, stale: bool = False) -> None:
        edit = Edit("api", title, version, stale_on_purpose=stale)
        reply = call(
            self.port,
            "PATCH",
            f"{self.api}/objectives/{self.seeded.objective}",
            token=self.token,
            data={"title": title, "version": version},
        )
        if self._seen(reply.status, "API edit", (200, 409), reply.text):
            if reply.status == 200:
                edit.outcome, edit.new_version = "ok", int(reply.json()["version"])
            else:
                assert reply.json()["error"]["code"] == "conflict"
                edit.outcome = "conflict"
            self.tally.edits.append(edit)

    def edit_by_form(self, form: EditForm, title: str, *, stale: bool = False) -> None:
        edit = Edit("web", title, form.version, stale_on_purpose=stale)
        reply = send_edit_form(self.port, self.seeded, form, title)
        if self._seen(reply.status, "form edit", (302, 400), reply.text):
            if reply.status == 302:
                edit.outcome, edit.new_version = "ok", form.version + 1
            else:
                # The form comes back with the conflict explained, the person's text kept.
                assert CONFLICT_TEXT in reply.text and title in reply.text
                edit.outcome = "conflict"
            self.tally.edits.append(edit)

    def run(self, start: threading.Barrier) -> None:
        start.wait()
        first = self.read_version()
        last_form: EditForm | None = None
        held: int | EditForm = first
        for reading in range(CHECKINS):
            turn, step = divmod(reading, EDIT_EVERY)
            by_api = (turn + self.number) % 2 == 0
            if step == 0:
                held = self.read_version() if by_api else self.read_form()
                if isinstance(held, EditForm):
                    last_form = held
            self.check_in(reading)
            if step == 2:
                title = f"Client {self.number}, edit {turn}"
                if isinstance(held, EditForm):
                    self.edit_by_form(held, title)
                else:
                    self.edit_by_api(held, title)
        # The version read at the start is out of date by now: someone's edit (maybe this
        # client's own) has succeeded since, so this one must be refused.
        title = f"Client {self.number}, stale edit"
        if self.number % 2 == 0 or last_form is None:
            self.edit_by_api(first, title, stale=True)
        else:
            stale_form = EditForm(first, last_form.csrf, last_form.cookies)
            self.edit_by_form(stale_form, title, stale=True)


def run_clients(port: int, seeded: Seeded) -> list[Tally]:
    tallies = [Tally() for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    failures: list[BaseException] = []

    def work(number: int) -> None:
        try:
            Person(number, port, seeded, tallies[number]).run(start)
        except BaseException as error:  # reported by the test, not lost in a thread
            failures.append(error)
            start.abort()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]
    assert not any(thread.is_alive() for thread in threads), "a client never finished"
    return tallies


@pytest.mark.django_db(transaction=True)
def test_eight_clients_lose_no_check_in_and_overwrite_no_edit(
    tmp_path: Path, tmp_path_factory: Any
) -> None:
    vendor = suite_vendor()
    watch = Stopwatch()
    with scratch_database(tmp_path) as url:
        env = child_env(tmp_path, url, tmp_path_factory.getbasetemp() / "served-static")
        watch.mark("copy")
        seeded = prepare(env)
        watch.mark("seed")
        with served(tmp_path, env) as server:
            watch.mark("start")
            tallies = run_clients(server.port, seeded)
            watch.mark("clients")
        watch.mark("stop")
        stored = inspect(env)
        watch.mark("read back")

    statuses: Counter[int] = Counter()
    for tally in tallies:
        statuses.update(tally.statuses)
    unexpected = [line for tally in tallies for line in tally.unexpected]
    acknowledged = [row for tally in tallies for row in tally.acknowledged]
    edits = [edit for tally in tallies for edit in tally.edits]
    won = sorted((e for e in edits if e.outcome == "ok"), key=lambda e: e.new_version or 0)
    refused = [e for e in edits if e.outcome == "conflict"]
    five_xx = sum(count for status, count in statuses.items() if status >= 500)
    print(
        f"concurrency ({vendor}): {CLIENTS} clients, {sum(statuses.values())} requests in "
        f"{watch.laps['clients']:.1f} s; check-ins {len(acknowledged)} acknowledged, "
        f"{len(stored['checkins'])} stored; edits {len(won)} ok, {len(refused)} refused "
        f"(409 API {sum(e.via == 'api' for e in refused)}, "
        f"conflict form {sum(e.via == 'web' for e in refused)}); 5xx {five_xx} "
        f"[{watch}]"
    )

    # Every answer was one the clients expect, and none was a server error.
    assert five_xx == 0 and not unexpected, unexpected[:5]

    # 0 lost, 0 duplicated: the stored check-ins are exactly the acknowledged ones.
    assert len(acknowledged) == CLIENTS * CHECKINS
    assert sorted(stored["checkins"]) == sorted([code, value] for code, value in acknowledged)
    assert len({value for _code, value in stored["checkins"]}) == CLIENTS * CHECKINS

    # The key result shows its newest reading, and progress rolls up without drift.
    newest = stored["newest"]
    assert stored["current"] == newest["value"]
    assert stored["last_checkin_at"] == newest["measured_at"]
    assert stored["drift"] == []

    # Every edit was answered, either way; the ones sent stale on purpose were all refused.
    assert len(edits) == CLIENTS * (CHECKINS // EDIT_EVERY + 1)
    assert all(e.outcome == "conflict" for e in edits if e.stale_on_purpose)
    assert won and refused

    # No silent overwrite: each accepted edit moved the version on by exactly one from the
    # version its sender read, and together they account for every step of the version.
    assert all(e.new_version == e.sent_version + 1 for e in won)
    assert [e.new_version for e in won] == list(range(seeded.version + 1, stored["version"] + 1))
    # The audit log holds each accepted edit once, in order, each one a change from the title
    # the previous one left: nobody's change was replaced without being seen.
    titles = [seeded.title, *(e.title for e in won)]
    assert stored["edits"] == [[before, after] for before, after in itertools.pairwise(titles)]
    assert stored["title"] == titles[-1]
    # A refused edit left no trace.
    assert not {e.title for e in refused} & {after for _before, after in stored["edits"]}
