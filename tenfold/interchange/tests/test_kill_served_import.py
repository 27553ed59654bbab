"""Kill drills for imports that people start through the web pages: the process doing the
import is killed with SIGKILL while it writes, and nothing it wrote is left behind.

Two imports are uploaded through the production server (`tenfold serve`, on a database of
its own: see tenfold/db/tests/served.py), signed in with a session:

- **an organization**, on the site's import page (`/transfers/imports/`, site staff), from the
  JSON export of `tenfold seed --people 60`. It is a background job. It runs where the
  installation runs its tasks, so it is drilled in both places: inside the server
  (`TENFOLD_TASKS=immediate`: the upload's request runs it, and the server's process group is
  killed) and in `tenfold worker` (the default: the server answers the upload at once, the
  worker imports, and the worker's and the server's process groups are both killed, as when the
  machine goes down);
- **a spreadsheet** of OKRs (`/<org>/import/`: upload → preview → import), a CSV of
  `SHEET_OBJECTIVES` objectives with `SHEET_KEY_RESULTS` key results each and a current value
  on every key result (a check-in each). It runs inside the request that confirms the preview;
  the server's process group is killed.

Each drill first runs one complete import, then starts the same one again and kills it while
the database shows it writing: on PostgreSQL a connection holds a transaction id; on SQLite the
write lock is held and, for the organization, the write-ahead log has grown (the probes of
test_kill_import.py; `_sheet_writing` says why the spreadsheet's writes do not reach the log
before they commit). The organization import dies once its job tells, from inside its
transaction, that `KILL_AT` of its rows are written; the spreadsheet import, which tells
nothing, `SHEET_KILL_AT` of a complete one's writing time after it began to write.

A fresh process then counts every table's rows, which must be those counted just before the
upload that was killed. The one row allowed to differ is the organization import's job
(`transfers_transfer`): the upload's request commits it before the import starts, and it stays
"running" until the tick marks it failed a day later (checked too, with the clock moved on).
Then the server (and the worker) start again and the same upload succeeds.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tenfold.bench.server import Server
from tenfold.db.tests.served import (
    Reply,
    Seeded,
    Stopwatch,
    call,
    child_env,
    hidden_value,
    prepare,
    scratch_database,
    send,
    served,
    suite_vendor,
)
from tenfold.interchange.tests.test_kill_import import (
    COUNTS,
    TENFOLD,
    Drill,
    _run,
    _state,
    _wal,
    _writing,
)

pytestmark = [pytest.mark.django_db]

PEOPLE = 60
"""People of the exported organization (as in test_kill_import.py: some 27,000 rows)."""
SHEET_OBJECTIVES = 80
SHEET_KEY_RESULTS = 4
KILL_AT = 0.4
"""The organization import is killed once its job tells it has written this share of its rows
(and the database shows it writing)."""
SHEET_KILL_AT = 0.3
"""The spreadsheet import, which tells no progress, is killed this share of a complete
import's writing time after it begins to write (a share well below 1, as one run of it on a
busy machine can be twice as fast as another)."""
JOBS = "transfers_transfer"

STAFF = """
from tenfold.accounts.models import User
User.objects.filter(email="person0@example.com").update(is_staff=True)
"""

JOB = """
import json
from tenfold.transfers.models import Transfer
rows = Transfer.objects.filter(kind="import").order_by("id")
print(json.dumps([[t.code, t.status, t.organization_id] for t in rows]))
"""

SWEEP = """
import datetime as dt, json
from django.utils import timezone
from tenfold.transfers.services import STALE_AFTER, purge_expired
from tenfold.transfers.models import Transfer
purge_expired(timezone.now() + STALE_AFTER + dt.timedelta(hours=1))
rows = Transfer.objects.filter(kind="import").order_by("id")
print(json.dumps([[t.code, t.status, t.error] for t in rows]))
"""


@dataclass
class Site:
    folder: Path
    url: str
    env: dict[str, str]
    seeded: Seeded
    document: Path
    sheet: bytes

    def drill(self) -> Drill:
        """What test_kill_import's probes take: the folder and URL of the database."""
        return Drill(self.folder, self.url, self.env, self.document)

    def with_tasks(self, mode: str) -> dict[str, str]:
        """The environment, with background work run by `mode` (immediate or worker)."""
        return {**self.env, "TENFOLD_TASKS": mode}

    @property
    def cookies(self) -> dict[str, str]:
        """The owner of `served` (person0), signed in; made site staff by the fixture."""
        return {self.seeded.session_cookie: self.seeded.people[0]["session"]}


def _sheet() -> bytes:
    """The CSV: one row per key result, under its objective's title. (Titles do not start
    with "Objective 12": the reader takes such a number for the file's own numbering and
    drops it.)"""
    lines = ["Objective,Key result,Owner,Start,Target,Current"]
    for number in range(SHEET_OBJECTIVES):
        for kr in range(SHEET_KEY_RESULTS):
            owner = f"person{(number + kr) % 8}@example.com"
            lines.append(
                f"Grow region {number:04},Measure {kr} of region {number:04},{owner},0,100,{kr + 1}"
            )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: Any, django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("kill-served-import")
    static = tmp_path_factory.getbasetemp() / "served-static"
    with django_db_blocker.unblock(), scratch_database(folder) as url:
        # The worker's periodic tick writes rows of its own: once an hour, so that it cannot
        # fall between the two counts (see `_worker`).
        env = child_env(folder, url, static, TENFOLD_TICK_MINUTES="60")
        seeded = prepare(env)
        _run(env, "seed", "--people", str(PEOPLE), "--slug", "source")
        document = folder / "source.json"
        _run(env, "export", "--org", "source", "--format", "json", "--out", str(document))
        _run(env, "shell", "-c", STAFF)
        yield Site(folder, url, env, seeded, document, _sheet())


# --- the browser ----------------------------------------------------------------------------


def post_files(
    port: int,
    path: str,
    *,
    cookies: dict[str, str],
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes]],
    timeout: float = 120,
) -> Reply:
    """A form posted as multipart/form-data, as a browser uploads a file."""
    boundary = uuid.uuid4().hex
    chunks: list[bytes] = []
    for name, value in fields.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    headers = {
        "Connection": "close",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{key}={value}" for key, value in cookies.items()),
    }
    return send(port, "POST", path, body=b"".join(chunks), headers=headers, timeout=timeout)


@dataclass
class Form:
    """A page's form as the browser holds it: the CSRF token and the cookies to send back."""

    csrf: str
    cookies: dict[str, str]


def open_form(port: int, path: str, cookies: dict[str, str]) -> Form:
    page = call(port, "GET", path, cookies=cookies)
    assert page.status == 200, (path, page.status, page.text[:500])
    return Form(hidden_value(page.text, "csrfmiddlewaretoken"), {**cookies, **page.cookies})


class Background:
    """A request sent from a thread of its own, which the kill may leave without an answer."""

    def __init__(self, send: Callable[[], Reply]) -> None:
        self.reply: Reply | None = None
        self.error: BaseException | None = None
        self.finished = 0.0
        self.thread = threading.Thread(target=self._run, args=(send,))
        self.thread.start()

    def _run(self, send: Callable[[], Reply]) -> None:
        try:
            self.reply = send()
        except OSError as error:  # the connection dies with the server
            self.error = error
        self.finished = time.monotonic()

    def join(self) -> None:
        self.thread.join(120)
        assert not self.thread.is_alive()


# --- the processes --------------------------------------------------------------------------


@contextmanager
def _worker(folder: Path, env: dict[str, str], name: str) -> Iterator[subprocess.Popen[bytes]]:
    """`tenfold worker` in a process group of its own, killed afterwards whatever happens.

    Its tick (which writes rows: a heartbeat, reminders) is looked at when it starts and then
    every 60 s, and runs when the minute is a full hour (`TENFOLD_TICK_MINUTES=60`). A drill
    counts the tables after a complete import the worker ran since it started (so after any
    tick at its start), then kills it a few seconds later, before its second look: no tick
    can fall between the two counts."""
    with (folder / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            [TENFOLD, "worker"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _kill(*processes: subprocess.Popen[bytes]) -> None:
    """SIGKILL to each process group (a gunicorn master and its workers die together)."""
    for process in processes:
        os.killpg(process.pid, signal.SIGKILL)
    for process in processes:
        process.wait(10)
        assert process.returncode == -signal.SIGKILL


def _server_process(server: Server) -> subprocess.Popen[bytes]:
    assert server.process is not None
    return server.process


def _wait_writing(writing: Callable[[], bool], wait: float, patience: float) -> bool:
    """Sleep `wait` seconds, then up to `patience` more until `writing()` says the import
    writes; whether it does."""
    time.sleep(wait)
    deadline = time.monotonic() + patience
    while not writing() and time.monotonic() < deadline:
        time.sleep(0.02)
    return writing()


def _share_written(transfers: Path) -> float:
    """The share of its rows the running import job has told it wrote (0 until it tells)."""
    for path in transfers.glob("*.progress"):
        try:
            figures = json.loads(path.read_text())  # replaced whole, never half written
        except (OSError, ValueError):
            continue  # gone in between: the job ended
        if figures.get("total"):
            return float(figures["done"]) / figures["total"]
    return 0.0


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, int]:
    assert after["tables"].keys() == before["tables"].keys()
    return {
        table: after["tables"][table] - count
        for table, count in before["tables"].items()
        if after["tables"][table] != count
    }


def _counts_and(site: Site, code: str) -> tuple[dict[str, Any], Any]:
    """`_state` (every table's row count, the organizations), then what `code` prints as its
    last line, in one fresh process."""
    lines = _run(site.env, "shell", "-c", COUNTS + code).stdout.strip().splitlines()
    return json.loads(lines[-2]), json.loads(lines[-1])


# --- the organization import ----------------------------------------------------------------

IMPORT_PAGE = "/transfers/imports/"
ROW = re.compile(r'<tr id="transfer-(\w+)"[^>]*\bdata-status="(\w+)"')


def _upload_document(site: Site, port: int, slug: str) -> Reply:
    form = open_form(port, IMPORT_PAGE, site.cookies)
    return post_files(
        port,
        IMPORT_PAGE,
        cookies=form.cookies,
        fields={"csrfmiddlewaretoken": form.csrf, "slug": slug},
        files={"file": ("source.json", site.document.read_bytes())},
    )


def _jobs_on_page(site: Site, port: int) -> dict[str, str]:
    """The import jobs the staff's page lists: code → status."""
    page = call(port, "GET", IMPORT_PAGE, cookies=site.cookies)
    assert page.status == 200, page.text[:500]
    return dict(ROW.findall(page.text))


def _new_job(site: Site, port: int, known: dict[str, str]) -> tuple[str, str] | None:
    """The job started since the page listed `known`, with its status (None before)."""
    new = [
        (code, status) for code, status in _jobs_on_page(site, port).items() if code not in known
    ]
    assert len(new) <= 1, new
    return new[0] if new else None


def _wait_for(
    site: Site, port: int, known: dict[str, str], statuses: set[str], patience: float = 60
) -> str:
    """Poll the staff's page until the new job's row shows one of `statuses`."""
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        job = _new_job(site, port, known)
        if job is not None and job[1] in statuses:
            return job[1]
        time.sleep(0.05)
    raise AssertionError(f"the job did not reach {statuses} in {patience} s: {job}")


def _import_to_the_end(site: Site, port: int, slug: str, in_worker: bool) -> float:
    """Upload the document and wait until its job is done; the seconds the import ran.

    In the server the upload's request runs it, and answers once it is done; in the worker
    the server answers at once, and the job's row on the page shows when the worker took it
    and when it ended."""
    known = _jobs_on_page(site, port)
    reply = _upload_document(site, port, slug)
    assert reply.status == 302, (reply.status, reply.text[:1000])
    if not in_worker:
        job = _new_job(site, port, known)
        assert job is not None and job[1] == "done", job
        return reply.seconds
    _wait_for(site, port, known, {"running", "done"})
    started = time.monotonic()
    assert _wait_for(site, port, known, {"done", "failed", "cancelled"}) == "done"
    return time.monotonic() - started


@pytest.mark.parametrize("placement", ["server", "worker"])
def test_an_organization_import_killed_while_it_writes_leaves_no_partial_data(
    site: Site, placement: str
) -> None:
    in_worker = placement == "worker"
    env = site.with_tasks("worker" if in_worker else "immediate")
    measured, killed = f"measured-{placement}", f"killed-{placement}"
    transfers = site.folder / "transfers"
    laps = Stopwatch()

    with ExitStack() as stack:
        worker = None
        if in_worker:  # started first, so it boots while the server does
            worker = stack.enter_context(_worker(site.folder, env, f"worker-{placement}"))
        worker_started = time.monotonic()
        server = stack.enter_context(served(site.folder, env, f"org-{placement}"))
        laps.mark("server")
        full = _import_to_the_end(site, server.port, measured, in_worker)
        laps.mark("measured import")
        before = _state(site.env)
        assert measured in before["orgs"] and killed not in before["orgs"]
        laps.mark("counts")

        wal_before = _wal(site.drill())
        known = _jobs_on_page(site, server.port)
        upload = Background(lambda: _upload_document(site, server.port, killed))
        # The clock starts when the job is taken (the worker may wait a moment to look).
        _wait_for(site, server.port, known, {"running"})
        launched = time.monotonic()
        # Writing, as the database shows, and past KILL_AT of its rows as the job tells from
        # inside its transaction (`DbProgress` writes the side file only there).
        writing = _wait_writing(
            lambda: _writing(site.drill(), wal_before) and _share_written(transfers) >= KILL_AT,
            0,
            60,
        )
        share = _share_written(transfers)
        progress = [path.read_text() for path in transfers.glob("*.progress")]
        killed_after = time.monotonic() - launched
        victims = [_server_process(server)] + ([worker] if worker is not None else [])
        alive = all(process.poll() is None for process in victims)
        _kill(*victims)
        upload.join()
        laps.mark("killed import")
        # See _worker: no tick of the worker's could fall between the two counts.
        assert worker is None or time.monotonic() - worker_started < 59
    assert alive and writing, "the import was not writing when the processes were killed"
    assert len(progress) == 1 and json.loads(progress[0])["done"] > 0, progress
    if in_worker:
        assert upload.reply is not None and upload.reply.status == 302  # answered at once
    else:
        assert upload.reply is None and upload.error is not None  # it died with the server

    after, jobs = _counts_and(site, JOB)
    code = jobs[-1][0]
    left_behind = sorted(path.suffix for path in transfers.glob(f"{code}.*"))
    differences = _differences(before, after)
    laps.mark("counts")

    with ExitStack() as stack:
        if in_worker:
            stack.enter_context(_worker(site.folder, env, f"worker-{placement}-again"))
        server = stack.enter_context(served(site.folder, env, f"org-{placement}-again"))
        again = _import_to_the_end(site, server.port, killed, in_worker)
    laps.mark("import after restart")
    # The counts first: the sweep changes rows, it does not add or remove any.
    final, swept = _counts_and(site, SWEEP)
    swept_away = sorted(path.suffix for path in transfers.glob(f"{code}.*"))
    imported = {table: n for table, n in _differences(after, final).items() if table != JOBS}
    laps.mark("counts")

    partial = {table: n for table, n in differences.items() if table != JOBS}
    print(
        f"\nkill served organization import ({suite_vendor()}, import in the {placement}): "
        f"{PEOPLE} people, {sum(imported.values())} rows, full import {full:.1f} s, killed "
        f"{killed_after:.1f} s into it while writing, {share:.0%} of its rows written, "
        f"{sum(abs(n) for n in partial.values())} partial rows, org left: "
        f"{killed in after['orgs']}, job left {jobs[-1][1]!r} with files {left_behind} "
        f"(a day later the tick marks it {swept[-2][1]!r} and leaves {swept_away}), import "
        f"after restart {again:.1f} s ({laps})"
    )
    assert killed not in after["orgs"]
    assert partial == {}
    # The upload's own request committed the job before the import began; it stays, alone.
    assert differences == {JOBS: 1}
    assert jobs[-1][1:] == ["running", None]
    assert left_behind == [".progress", ".upload"]
    # The tick's sweep for jobs that lost their worker marks it failed a day later and
    # removes its files; the retried upload made the organization.
    assert swept[-2][0] == code and swept[-2][1] == "failed" and swept_away == []
    assert swept[-1][1] == "done"
    assert killed in final["orgs"]
    assert sum(imported.values()) > 10_000


# --- the spreadsheet import -----------------------------------------------------------------


def _sheet_paths(site: Site) -> tuple[str, str]:
    org = site.seeded.org
    return f"/{org}/import/", f"/{org}/import/preview/"


def _upload_sheet(site: Site, port: int) -> Form:
    """Upload the sheet; the form of its preview, to confirm the import with."""
    upload_path, preview_path = _sheet_paths(site)
    form = open_form(port, upload_path, site.cookies)
    reply = post_files(
        port,
        upload_path,
        cookies=form.cookies,
        fields={"csrfmiddlewaretoken": form.csrf, "cycle": "", "unit": site.seeded.form["unit"]},
        files={"file": ("okrs.csv", site.sheet)},
    )
    assert reply.status == 302 and reply.headers["location"] == preview_path, reply.text[:1000]
    return Form(form.csrf, {**form.cookies, **reply.cookies})


def _preview(site: Site, port: int, form: Form) -> None:
    """Open the preview page, which reads and checks the file and writes nothing."""
    _upload_path, preview_path = _sheet_paths(site)
    page = call(port, "GET", preview_path, cookies=form.cookies, timeout=120)
    assert page.status == 200, (page.status, page.text[:1000])
    expected = f"Import {SHEET_OBJECTIVES} objectives and {SHEET_OBJECTIVES * SHEET_KEY_RESULTS}"
    assert expected in page.text


def _confirm(site: Site, port: int, form: Form) -> Reply:
    _upload, preview_path = _sheet_paths(site)
    return call(
        port,
        "POST",
        preview_path,
        cookies=form.cookies,
        form={"csrfmiddlewaretoken": form.csrf, "action": "import"},
        timeout=120,
    )


def _holds_the_write_lock(site: Site) -> bool:
    """(SQLite) Whether a connection holds the database's write lock: another one cannot
    begin an IMMEDIATE transaction."""
    probe = sqlite3.connect(site.folder / "served.sqlite3", timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()  # closing without a commit rolls the empty transaction back
    return False


def _sheet_writing(site: Site, wal_before: tuple[int, int]) -> bool:
    """Whether the spreadsheet import is inside its write transaction.

    On PostgreSQL, as for the organization import: a connection holds a transaction id. On
    SQLite the write-ahead log does not show it: an import of this size fits in SQLite's page
    cache and reaches the log only when it commits. The write lock does: transactions begin
    IMMEDIATE, taking the lock at once, and confirming a preview opens exactly one, the
    import's (the reading and checking before it open none). Seen twice, 50 ms apart, so a
    short write of another request cannot pass for it."""
    if suite_vendor() != "sqlite":
        return _writing(site.drill(), wal_before)
    if not _holds_the_write_lock(site):
        return False
    time.sleep(0.05)
    return _holds_the_write_lock(site)


def test_a_spreadsheet_import_killed_while_it_writes_leaves_no_partial_data(site: Site) -> None:
    rows = SHEET_OBJECTIVES * SHEET_KEY_RESULTS
    laps = Stopwatch()
    with served(site.folder, site.env, "sheet") as server:
        laps.mark("server")
        # Confirming reads and checks the file again, then writes: timed from the moment
        # the database shows it writing to the answer.
        form = _upload_sheet(site, server.port)
        _preview(site, server.port, form)
        wal_before = _wal(site.drill())
        measured = Background(lambda: _confirm(site, server.port, form))
        assert _wait_writing(lambda: _sheet_writing(site, wal_before), 0, 120)
        began = time.monotonic()
        measured.join()
        assert measured.reply is not None and measured.reply.status == 302, measured.error
        full, writing_time = measured.reply.seconds, measured.finished - began
        laps.mark("measured import")

        form = _upload_sheet(site, server.port)
        _preview(site, server.port, form)
        before = _state(site.env)
        laps.mark("counts")
        wal_before = _wal(site.drill())
        launched = time.monotonic()
        confirm = Background(lambda: _confirm(site, server.port, form))
        assert _wait_writing(lambda: _sheet_writing(site, wal_before), 0, 120)
        time.sleep(SHEET_KILL_AT * writing_time)
        writing = _sheet_writing(site, wal_before) and confirm.reply is None
        killed_after = time.monotonic() - launched
        alive = _server_process(server).poll() is None
        _kill(_server_process(server))
        confirm.join()
        laps.mark("killed import")
    answered = None if confirm.reply is None else (confirm.reply.status, confirm.reply.headers)
    assert alive and writing, (
        f"the import was not writing when the server was killed ({killed_after:.1f} s after "
        f"confirming; a complete one wrote for {writing_time:.1f} s; answered: {answered})"
    )
    assert confirm.reply is None and confirm.error is not None  # it died with the server

    after = _state(site.env)
    partial = _differences(before, after)
    laps.mark("counts")

    with served(site.folder, site.env, "sheet-again") as server:
        form = _upload_sheet(site, server.port)
        _preview(site, server.port, form)
        again = _confirm(site, server.port, form)
    laps.mark("import after restart")
    final = _state(site.env)
    imported = _differences(after, final)
    laps.mark("counts")

    print(
        f"\nkill served spreadsheet import ({suite_vendor()}): {rows} rows "
        f"({SHEET_OBJECTIVES} objectives, {rows} key results, each with a check-in), "
        f"{sum(imported.values())} rows written, confirming took {full:.1f} s "
        f"(writing {writing_time:.1f} s of it), killed {killed_after:.1f} s after "
        f"confirming, while writing, {sum(abs(n) for n in partial.values())} partial rows, "
        f"import after restart {again.seconds:.1f} s ({laps})"
    )
    assert partial == {}
    assert again.status == 302, (again.status, again.text[:1000])
    assert imported["okrs_objective"] == SHEET_OBJECTIVES
    assert imported["okrs_keyresult"] == rows
    assert imported["checkins_checkin"] == rows
