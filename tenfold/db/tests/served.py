"""A real server on a committed database, for tests that need several processes at once.

The suite's own database lives inside one test transaction (or in memory, on SQLite), which
other processes cannot see. These tests make a database of their own instead: a SQLite file in
a temporary folder, or, when the suite runs on PostgreSQL, a scratch database on the same
PostgreSQL server, created for the test and dropped after it; either starts as a copy of the
suite's migrated test database. A child process seeds it, `tenfold serve` (gunicorn, 2 workers
× 4 threads) serves it, and another child reads what was stored at the end: the test process
itself never opens that database through Django.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from tenfold.bench.run import with_database_name
from tenfold.bench.server import HOST, Server

PEOPLE = 8
SECRET = "served-database-tests-only-" + "x" * 24
SCRATCH_PREFIX = "tenfold_served_"


def suite_vendor() -> str:
    """The engine the suite runs on, from DATABASE_URL as tenfold/settings.py reads it."""
    return "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


# --- the database ------------------------------------------------------------------------------


def _admin_url(url: str) -> str:
    return with_database_name(url, "postgres")


def _database_name(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/"))


@contextmanager
def scratch_database(folder: Path) -> Iterator[str]:
    """The URL of a database on the suite's engine holding the migrated schema and no rows,
    removed afterwards.

    It is copied from the suite's own test database (which pytest-django has migrated, and
    which holds nothing committed between tests) rather than migrated again: a SQLite backup,
    or a PostgreSQL CREATE DATABASE … TEMPLATE. Call it where that database exists and no
    transaction holds it open: in a test marked `django_db(transaction=True)`, or in a module
    fixture (set up before a test's transaction begins) under `django_db_blocker.unblock()`.
    Should the copy be refused, the database starts empty and `prepare` migrates it."""
    from django.db import connection, connections

    if suite_vendor() == "sqlite":
        path = folder / "served.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        yield f"sqlite:///{path}"
        return
    import psycopg
    from psycopg import sql

    url = with_database_name(os.environ["DATABASE_URL"], SCRATCH_PREFIX + uuid.uuid4().hex[:12])
    name = sql.Identifier(_database_name(url))
    template = sql.Identifier(connection.settings_dict["NAME"])
    connections.close_all()  # a template must have no one connected to it
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, template))
        except psycopg.errors.ObjectInUse:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield url
    finally:
        with psycopg.connect(_admin_url(url), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def terminate_connections(url: str) -> int:
    """End every server process connected to the database (what a restart does to them);
    how many there were. The cluster itself keeps running, so tests beside this one that use
    other databases are not disturbed."""
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (_database_name(url),),
        ).fetchall()
    return sum(1 for (ended,) in rows if ended)


def child_env(folder: Path, url: str, static: Path, **extra: str) -> dict[str, str]:
    """The environment of the children: the database, folders of this test, nothing read from
    the developer's .env, and the production defaults rather than the test suite's. `static`
    is where `tenfold serve` collects static files: one folder for the test session, so only
    the first server of a session copies them all."""
    ignored = {"PYTEST_VERSION", "BEHIND_TLS_PROXY", "REDIS_URL", "WEB_CONCURRENCY", "STATIC_ROOT"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ignored and not key.startswith("TENFOLD_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tenfold.settings",
        TENFOLD_ENV_FILE=str(folder / "no.env"),
        DATABASE_URL=url,
        SECRET_KEY=SECRET,
        TENFOLD_DATA_DIR=str(folder),
        STATIC_ROOT=str(static),
        TENFOLD_QUEUE_PATH=str(folder / "queue.sqlite3"),
        TENFOLD_TASKS="immediate",
        TENFOLD_DEBUG="0",
        # Pages and API answers built from the database every time they are asked for, so a
        # client that reads a version and then writes races only against other writers.
        TENFOLD_FRAGMENT_LAG="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _child(env: dict[str, str], function: str, timeout: float = 120) -> Any:
    """Run `function` of this module in a fresh Django process; what it printed, as JSON."""
    code = (
        "import django; django.setup(); "
        f"from tenfold.db.tests.served import {function}; {function}()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(env: dict[str, str]) -> Seeded:
    """Migrate the database and seed it (in a child process)."""
    return Seeded(**_child(env, "prepare_main", timeout=180))


def inspect(env: dict[str, str]) -> dict[str, Any]:
    """What the database holds now (in a child process)."""
    return dict(_child(env, "inspect_main"))


@dataclass
class Seeded:
    """What the seed made: one team of PEOPLE, one objective with one key result."""

    org: str
    objective: str
    key_result: str
    form: dict[str, str]
    people: list[dict[str, str]]
    session_cookie: str
    title: str
    version: int


def prepare_main() -> None:
    """(child) Migrate if the copy was refused, then seed a team whose members each have an API
    token and a signed-in session."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps(seed()))


def seed() -> dict[str, Any]:
    """One organization with a team of PEOPLE members (the first owns the organization), an
    active quarter, an objective of the team and a key result; what the clients need to know."""
    from django.conf import settings
    from django.test import Client

    from tenfold.accounts.models import User
    from tenfold.accounts.services import api_token_create
    from tenfold.okrs.models import CycleKind, CycleState
    from tenfold.okrs.services import cycle_create, key_result_create, objective_create
    from tenfold.organizations.models import Unit
    from tenfold.organizations.services import organization_create, person_add, unit_create

    # No passwords: hashing eight with the production hasher takes seconds, and the people
    # are signed in below without one.
    users = [
        User.objects.create_user(email=f"person{n}@example.com", password=None, name=f"Person {n}")
        for n in range(PEOPLE)
    ]
    owner = users[0]
    org = organization_create(name="Served", slug="served", owner=owner, time_zone="UTC")
    company = Unit.objects.get(organization=org, parent__isnull=True)
    team = unit_create(organization=org, name="Writers", parent=company, by=owner)
    for user in users:
        person_add(organization=org, email=user.email, units=[team], by=owner)
    today = dt.datetime.now(dt.UTC).date()
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last = (first + dt.timedelta(days=95)).replace(day=1) - dt.timedelta(days=1)
    cycle = cycle_create(
        organization=org,
        name="This quarter",
        start=first,
        end=last,
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=owner,
    )
    objective = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Every change is kept",
        state="active",
        by=owner,
    )
    kr = key_result_create(
        objective=objective,
        title="Readings recorded",
        kind="increase",
        start=0,
        target=10_000,
        owner=owner,
        by=owner,
    )
    people = []
    for n, user in enumerate(users):
        _row, token = api_token_create(user=user, organization=org, name=f"client {n}", by=user)
        browser = Client()
        browser.force_login(user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        people.append({"email": user.email, "token": token, "session": session})
    return {
        "org": org.slug,
        "objective": objective.code,
        "key_result": kr.code,
        "form": {
            "unit": team.code,
            "description": objective.description,
            "type": objective.type,
            "visibility": objective.visibility,
            "lead": "",
        },
        "people": people,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "title": objective.title,
        "version": objective.version,
    }


def _number(value: Decimal) -> str:
    """A stored decimal as plain digits without padding zeros (1000, not 1E+3 or 1000.0000)."""
    return format(value.normalize(), "f")


def inspect_main() -> None:
    """(child) The seeded key result and objective as stored: every check-in, the current
    value and its newest reading, the objective's edits from the audit log, and any drift
    between stored and recomputed progress."""
    from tenfold.audit.models import AuditEvent
    from tenfold.checkins.models import CheckIn
    from tenfold.checkins.services import latest_reading
    from tenfold.okrs.models import KeyResult, Objective
    from tenfold.okrs.rollup import reconcile

    kr = KeyResult.objects.get(organization__slug="served")
    objective = Objective.objects.get(pk=kr.objective_id)
    newest = latest_reading(kr)
    edits = (
        AuditEvent.objects.filter(verb="objective.updated", object_code=objective.code)
        .order_by("id")
        .values_list("changes", flat=True)
    )
    checkins = CheckIn.objects.filter(key_result=kr).values_list("code", "value")
    print(
        json.dumps(
            {
                "checkins": [[code, _number(value)] for code, value in checkins],
                "current": None if kr.current is None else _number(kr.current),
                "last_checkin_at": kr.last_checkin_at.isoformat() if kr.last_checkin_at else None,
                "newest": None
                if newest is None
                else {
                    "code": newest.code,
                    "value": _number(newest.value),
                    "measured_at": newest.measured_at.isoformat(),
                },
                "title": objective.title,
                "version": objective.version,
                "edits": [list(change.get("title", [None, None])) for change in edits],
                "drift": [f"{row.kind} {row.code}" for row in reconcile(fix=False)],
            }
        )
    )


# --- the server and its clients ---------------------------------------------------------------


@contextmanager
def served(folder: Path, env: dict[str, str], name: str = "server") -> Iterator[Server]:
    """`tenfold serve` on the prepared database, stopped afterwards whatever happens."""
    with Server(env, folder / f"{name}.log", workers=2) as server:
        yield server


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def call(
    port: int,
    method: str,
    path: str,
    *,
    token: str | None = None,
    cookies: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    timeout: float = 60,
) -> Reply:
    """One request on a connection of its own. A request is never sent twice: a retry after
    a dropped keep-alive connection could record a check-in twice and hide a duplicate."""
    headers = {"Connection": "close", "Accept": "application/json, text/html"}
    body: bytes | None = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookies:
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        body = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return send(port, method, path, body=body, headers=headers, timeout=timeout)


def send(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None,
    headers: dict[str, str],
    timeout: float = 60,
) -> Reply:
    """Send one request as it is given, on a connection of its own, and read the answer."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        jar: SimpleCookie = SimpleCookie()
        for line in response.headers.get_all("Set-Cookie") or []:
            jar.load(line)
        return Reply(
            status=response.status,
            body=content,
            headers={key.lower(): value for key, value in response.getheaders()},
            cookies={key: morsel.value for key, morsel in jar.items()},
            seconds=time.monotonic() - started,
        )
    finally:
        connection.close()


def hidden_value(page: str, name: str) -> str:
    """The value of a form's input called `name` (the CSRF token, the version)."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            if found:
                return found.group(1)
    raise AssertionError(f"no input {name!r} in the page")


@dataclass
class EditForm:
    """The objective's edit form as a person's browser holds it: the version it was built
    from, and the CSRF token and cookie to send it back with."""

    version: int
    csrf: str
    cookies: dict[str, str]


def open_edit_form(port: int, seeded: Seeded, session: str) -> EditForm:
    cookies = {seeded.session_cookie: session}
    page = call(port, "GET", f"/{seeded.org}/objectives/{seeded.objective}/edit/", cookies=cookies)
    assert page.status == 200, (page.status, page.text[:500])
    cookies = {**cookies, **page.cookies}
    return EditForm(
        version=int(hidden_value(page.text, "version")),
        csrf=hidden_value(page.text, "csrfmiddlewaretoken"),
        cookies=cookies,
    )


def send_edit_form(port: int, seeded: Seeded, form: EditForm, title: str) -> Reply:
    fields = {
        **seeded.form,
        "title": title,
        "version": form.version,
        "csrfmiddlewaretoken": form.csrf,
    }
    return call(
        port,
        "POST",
        f"/{seeded.org}/objectives/{seeded.objective}/edit/",
        cookies=form.cookies,
        form=fields,
    )


CONFLICT_TEXT = "Someone else changed this"


class Stopwatch:
    """Seconds spent in each phase of a test, one after the other, for the line it prints."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.last = time.monotonic()

    def mark(self, name: str) -> None:
        """The phase called `name` ends now (it began at the previous mark)."""
        now = time.monotonic()
        self.laps[name] = self.laps.get(name, 0.0) + now - self.last
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.laps.items())
