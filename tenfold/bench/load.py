"""`tenfold load`: a bounded load test of the production server on loopback.

It starts `tenfold serve` (gunicorn) on a free port of 127.0.0.1 against the current database,
signs several people of the organization in through the sign-in form, makes a read-only API
token, and prepares the requests of a morning's mix: company dashboards, alignment trees and
their expansions, unit and objective pages, my week, API reads, and a share of check-ins
(posted like the browser does, with the CSRF token). Every prepared request is sent once
first (a warm-up that also proves each one answers 2xx/3xx), then wrk sends the mix for a
fixed time over a fixed number of connections. At the end the server is stopped and the
token revoked; the result holds requests/s, latency percentiles, errors, server time per kind
of request and each server worker's resident memory.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from tenfold.accounts.models import ApiToken, User
from tenfold.organizations.models import Organization, Unit, UnitKind

from .load_http import (
    LoadError,
    Server,
    Visitor,
    child_env,
    cpu_seconds,
    free_port,
    request,
    resident_mb,
    sign_in,
)
from .load_script import Call, lua_script, parse_output

# The read mix of a working morning, in parts of the reads (the write share comes on top):
# people open their week and the pages around their team; the API polls a little.
READ_MIX: dict[str, float] = {
    "dashboard": 12,
    "tree": 8,
    "tree_expand": 14,
    "unit": 12,
    "objective": 16,
    "my_week": 16,
    "api_list": 10,
    "api_detail": 12,
}
WRITE_KIND = "checkin"
# Targets of the issue, reported beside the figures.
TARGET_RPS = 300
TARGET_P95_MS = 200
TARGET_RSS_MB = 250


def mix(write_share: float) -> dict[str, float]:
    """Weights per kind, in percent of all requests."""
    if not 0 <= write_share < 1:
        raise LoadError(_("The write share must be at least 0 and below 1."))
    reads = sum(READ_MIX.values())
    weights = {name: 100 * (1 - write_share) * part / reads for name, part in READ_MIX.items()}
    weights[WRITE_KIND] = 100 * write_share
    return weights


@dataclass
class Options:
    people: int | None = None
    duration: int = 30
    connections: int = 16
    workers: int = 2
    threads: int = 4
    write_share: float = 0.05
    sign_in: int = 8
    org: str | None = None
    password: str | None = None
    timeout: float = 5.0
    seed: int = 1


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise LoadError(
            _(
                "wrk is not installed. On Debian or Ubuntu: apt-get install -y wrk "
                "(as root), then run this again."
            )
        )
    return path


# --- choosing the organization and the people ---------------------------------------------


def _seed_defaults(organization: Organization) -> tuple[list[str], str | None]:
    """The fixed accounts and the password of a synthetic organization (`tenfold seed`);
    nothing for another organization."""
    from . import seeding

    accounts = getattr(seeding, "sign_in", None)
    if accounts is None:  # pragma: no cover - the seeding module always offers them
        return [], None
    emails = list(accounts(organization.slug).values())
    if not User.objects.filter(email__in=emails, memberships__organization=organization).exists():
        return [], None
    return emails, seeding.PASSWORD


def choose_organization(slug: str | None) -> tuple[Organization, int]:
    """The organization named, else the one with the most people; and its number of people."""
    organizations = Organization.objects.annotate(size=Count("memberships")).order_by("-size")
    if slug:
        organizations = organizations.filter(slug=slug)
    chosen = organizations.first()
    if chosen is None:
        raise LoadError(
            _("No organization at /%(slug)s/ in this database.") % {"slug": slug}
            if slug
            else _("This database holds no organization: run `tenfold seed` or `tenfold demo`.")
        )
    return chosen, int(chosen.size)


def plan_people(organization: Organization, options: Options) -> tuple[list[str], str]:
    """Whom to sign in, in order of preference, and with which password."""
    from tenfold.okrs.demo import PASSWORD as DEMO_PASSWORD
    from tenfold.okrs.demo import demo_logins
    from tenfold.okrs.models import KeyResult, ObjectiveState
    from tenfold.okrs.selectors import current_cycle

    seeded, seeded_password = _seed_defaults(organization)
    password = options.password or seeded_password or DEMO_PASSWORD
    members = User.objects.filter(memberships__organization=organization, is_active=True)
    wanted = seeded + [email for _role, email, _name in demo_logins()]
    # People who own key results of the current cycle can post check-ins: sign those in too.
    cycle = current_cycle(organization)
    owners: list[str] = []
    if cycle is not None:
        owners = list(
            KeyResult.objects.filter(objective__cycle=cycle, objective__state=ObjectiveState.ACTIVE)
            .exclude(owner__isnull=True)
            .order_by("owner_id")
            .values_list("owner__email", flat=True)
            .distinct()[: options.sign_in * 4]
        )
    member_emails = set(members.filter(email__in=wanted + owners).values_list("email", flat=True))
    candidates: list[str] = []
    for email in [*wanted, *owners]:
        if email in member_emails and email not in candidates:
            candidates.append(email)
    if not candidates:
        candidates = list(members.order_by("id").values_list("email", flat=True)[:50])
    return candidates, password


def plan_calls(
    organization: Organization,
    visitors: list[Visitor],
    token: str,
    *,
    rng: random.Random,
    per_kind: int = 24,
) -> list[Call]:
    """The prepared requests, each kind spread over the signed-in people."""
    from tenfold.okrs.models import Objective, ObjectiveState, Visibility
    from tenfold.okrs.selectors import current_cycle

    slug = organization.slug
    cycle = current_cycle(organization)
    calls: list[Call] = []

    def person(index: int) -> Visitor:
        return visitors[index % len(visitors)]

    def page(kind: str, index: int, path: str, *, htmx: bool = False) -> None:
        headers = dict(person(index).cookie_header())
        if htmx:
            headers["HX-Request"] = "true"
        calls.append(Call(kind, "GET", path, headers))

    for index, _visitor in enumerate(visitors):
        page("dashboard", index, f"/{slug}/dashboard/")
        page("tree", index, f"/{slug}/tree/")
        page("my_week", index, f"/{slug}/week/")
    bearer = {"Authorization": f"Bearer {token}"}
    calls.append(Call("api_list", "GET", f"/api/v1/orgs/{slug}/objectives", bearer))

    units = list(
        Unit.objects.filter(organization=organization, parent__isnull=False)
        .order_by("id")
        .values_list("code", "kind")
    )
    teams = [code for code, kind in units if kind == UnitKind.TEAM] or [c for c, _ in units]
    parents = set(
        Unit.objects.filter(organization=organization, children__isnull=False).values_list(
            "code", flat=True
        )
    )
    for index, code in enumerate(_sample(rng, teams, per_kind)):
        page("unit", index, f"/{slug}/units/{code}/")
    expandable = [code for code, _kind in units if code in parents]
    for index, code in enumerate(_sample(rng, expandable, per_kind // 2)):
        page("tree_expand", index, f"/{slug}/tree/units/{code}/", htmx=True)

    if cycle is not None:
        objectives = list(
            Objective.objects.filter(
                organization=organization,
                cycle=cycle,
                state=ObjectiveState.ACTIVE,
                visibility=Visibility.ORGANIZATION,
            )
            .order_by("id")
            .values_list("code", flat=True)[:2000]
        )
        for index, code in enumerate(_sample(rng, objectives, per_kind)):
            page("objective", index, f"/{slug}/objectives/{code}/")
            page("tree_expand", index, f"/{slug}/tree/objectives/{code}/", htmx=True)
            calls.append(
                Call("api_detail", "GET", f"/api/v1/orgs/{slug}/objectives/{code}", bearer)
            )
        calls.extend(_checkin_calls(organization, cycle, visitors, rng))
    return calls


def _checkin_calls(
    organization: Organization, cycle: Any, visitors: list[Visitor], rng: random.Random
) -> list[Call]:
    from tenfold.okrs.models import KeyResult, KeyResultKind, ObjectiveState

    calls = []
    by_email = {visitor.email: visitor for visitor in visitors}
    rows = (
        KeyResult.objects.filter(
            objective__organization=organization,
            objective__cycle=cycle,
            objective__state=ObjectiveState.ACTIVE,
            owner__email__in=list(by_email),
        )
        .exclude(kind=KeyResultKind.MILESTONE)
        .order_by("id")
        .values_list("code", "start", "target", "owner__email")
    )
    per_person: dict[str, int] = {}
    for code, start, target, email in rows:
        if per_person.get(email, 0) >= 3:
            continue
        per_person[email] = per_person.get(email, 0) + 1
        visitor = by_email[email]
        low, high = Decimal(start or 0), Decimal(target)
        for step in (3, 5, 7):
            value = (low + (high - low) * step / 10).quantize(Decimal("0.01"))
            body = f"{code}-value={value}&{code}-confidence={rng.randint(4, 9)}&{code}-note=load"
            calls.append(
                Call(
                    WRITE_KIND,
                    "POST",
                    f"/{organization.slug}/key-results/{code}/check-in/",
                    visitor.post_headers(htmx=True),
                    body,
                )
            )
    return calls


def _sample(rng: random.Random, items: list[str], count: int) -> list[str]:
    return rng.sample(items, count) if len(items) > count else list(items)


# --- running -------------------------------------------------------------------------------------


def warm_up(
    port: int, calls: Iterable[Call], timeout: float = 30.0
) -> tuple[list[Call], dict[str, Any], list[str], set[str]]:
    """Send every prepared request once, in turn: keep those answering 2xx/3xx, and note the
    server's own time per kind with one client (the unloaded figure beside the loaded one)."""
    kept: list[Call] = []
    failed: list[str] = []
    too_slow: set[str] = set()
    timings: dict[str, list[tuple[float, float, int]]] = {}
    for call in calls:
        if call.kind in too_slow:
            failed.append(f"{call.method} {call.path} → skipped, its kind timed out")
            continue
        try:
            answer = request(
                port, call.method, call.path, headers=call.headers, body=call.body, timeout=timeout
            )
        except TimeoutError:
            # One page that takes longer than this would hold a server thread for the whole
            # load: leave its kind out (and report it) rather than measure a stuck server.
            failed.append(f"{call.method} {call.path} → timed out after {timeout:g} s")
            too_slow.add(call.kind)
            continue
        if not 200 <= answer.status < 400:
            failed.append(f"{call.method} {call.path} → {answer.status}")
            continue
        kept.append(call)
        app, db, queries = answer.server_timing()
        if app is not None:
            timings.setdefault(call.kind, []).append((app, db or 0.0, queries or 0))
    idle = {
        kind: {
            "server_p50_ms": round(statistics.median(t[0] for t in rows), 2),
            "db_p50_ms": round(statistics.median(t[1] for t in rows), 2),
            "queries_max": max(t[2] for t in rows),
        }
        for kind, rows in timings.items()
    }
    return kept, idle, failed, too_slow


def run_wrk(
    port: int, script: Path, options: Options, sample: Callable[[], None] | None = None
) -> str:
    """wrk for a fixed time on loopback; one connection per wrk thread (see load_script).
    `sample` is called about once a second while it runs."""
    command = [
        wrk_path(),
        "--threads",
        str(options.connections),
        "--connections",
        str(options.connections),
        "--duration",
        f"{options.duration}s",
        "--timeout",
        f"{options.timeout:g}s",
        "--latency",
        "--script",
        str(script),
        f"http://127.0.0.1:{port}/",
    ]
    deadline = time.monotonic() + options.duration + options.timeout + 60
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)  # nosec B603  # wrk, fixed arguments
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise LoadError(_("wrk did not stop by itself; it was stopped."))
            if sample is not None:
                sample()
            time.sleep(1.0)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise LoadError(
                _("wrk failed (%(code)s): %(error)s")
                % {"code": process.returncode, "error": err.read().strip()}
            )
        return out.read()


def database_label() -> str:
    vendor = connection.vendor
    return "postgresql" if vendor == "postgresql" else vendor


class DatabaseCpu:
    """CPU time of the PostgreSQL backends serving this database (the server's connections),
    when PostgreSQL runs on this machine. Sampled during the load, so a backend that closes
    (the server renews connections after 60 s) loses at most the last second of its count.
    Not measured on SQLite, which works inside the server's processes and is counted there."""

    def __init__(self) -> None:
        self.enabled = connection.vendor == "postgresql"
        self.start: dict[int, float] = {}
        self.last: dict[int, float] = {}

    def _read(self) -> dict[int, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            )
            pids = [row[0] for row in cursor.fetchall()]
        return {pid: cpu_seconds([pid]) for pid in pids if Path(f"/proc/{pid}").exists()}

    def begin(self) -> None:
        if self.enabled:
            self.start = self._read()
            self.last = dict(self.start)

    def sample(self) -> None:
        if self.enabled:
            self.last.update(self._read())

    def used(self) -> float | None:
        """CPU seconds used since `begin`."""
        if not self.enabled:
            return None
        self.sample()
        return sum(seconds - self.start.get(pid, 0.0) for pid, seconds in self.last.items())


def server_env(scratch: Path) -> dict[str, str]:
    """The server's environment: this process's database, Server-Timing on, and the API's rate
    limits off (the load sends hundreds of requests a second with one token, far beyond any
    person's budget; a limited token would measure the limiter)."""
    return child_env(
        TENFOLD_SERVER_TIMING="1",
        TENFOLD_API_RATE_LIMIT="0",
        TENFOLD_API_RATE_LIMIT_WRITES="0",
        TENFOLD_TASKS="worker",
        TENFOLD_TRANSFERS_DIR=str(scratch / "transfers"),
        LOG_LEVEL="WARNING",
    )


def run_load(options: Options, say: Callable[[str], None] = print) -> dict[str, Any]:
    """The whole measurement; returns the result document."""
    from tenfold.accounts.services import api_token_create, api_token_revoke

    wrk = wrk_path()
    organization, size = choose_organization(options.org)
    if options.people and options.people != size:
        say(
            _("Note: /%(slug)s/ has %(size)s people, not %(people)s; measuring it as it is.")
            % {"slug": organization.slug, "size": size, "people": options.people}
        )
    candidates, password = plan_people(organization, options)
    rng = random.Random(options.seed)  # nosec B311  # repeatable test traffic, not a secret
    scratch = Path(tempfile.mkdtemp(prefix="tenfold-load-"))
    port = free_port()
    server = Server(
        port=port,
        workers=options.workers,
        threads=options.threads,
        env=server_env(scratch),
        log=scratch / "server.log",
    )
    token_row: ApiToken | None = None
    say(
        _("Starting the server on 127.0.0.1:%(port)s (%(workers)s workers × %(threads)s threads)…")
        % {"port": port, "workers": options.workers, "threads": options.threads}
    )
    server.start()
    try:
        server.wait_ready()
        visitors: list[Visitor] = []
        for email in candidates:
            if len(visitors) >= options.sign_in:
                break
            visitor = sign_in(port, email, password)
            if visitor is not None:
                visitors.append(visitor)
        if not visitors:
            raise LoadError(
                _(
                    "Nobody could sign in with the given password; pass --password "
                    "(the seeded organization's password, or the demo's)."
                )
            )
        say(
            _("Signed in %(count)s people of /%(slug)s/ (%(size)s people).")
            % {"count": len(visitors), "slug": organization.slug, "size": size}
        )
        owner = User.objects.get(email=visitors[0].email)
        token_row, token = api_token_create(
            user=owner, organization=organization, name="tenfold load", read_only=True, by=owner
        )
        calls = plan_calls(organization, visitors, token, rng=rng)
        say(_("Warming up: each of %(count)s prepared requests once…") % {"count": len(calls)})
        calls, idle, failed, too_slow = warm_up(port, calls)
        if failed:
            say(
                _("%(count)s prepared requests were refused and are left out:")
                % {"count": len(failed)}
            )
            for line in failed[:10]:
                say(f"  {line}")
        if too_slow:
            # The timed-out requests still run in the server: start it afresh so they do not
            # take CPU from the measurement. Sessions live in the database and stay valid.
            say(_("Restarting the server so that no timed-out request keeps running…"))
            server.stop()
            server.start()
            server.wait_ready()
        weights = mix(options.write_share)
        script = scratch / "load.lua"
        script.write_text(lua_script(calls, weights, seed=options.seed))
        before = cpu_seconds(server.worker_pids())
        database = DatabaseCpu()
        database.begin()
        say(
            _("Load: %(connections)s connections for %(duration)s s (%(share)s check-ins)…")
            % {
                "connections": options.connections,
                "duration": options.duration,
                "share": f"{options.write_share:.0%}",
            }
        )
        output = run_wrk(port, script, options, sample=database.sample)
        workers = server.worker_pids()
        cpu = cpu_seconds(workers) - before
        database_used = database.used()
        memory = [resident_mb(pid) for pid in workers]
    finally:
        server.stop()
        if token_row is not None:
            api_token_revoke(token=token_row, by=None)
        shutil.rmtree(scratch, ignore_errors=True)
    result = parse_output(output)
    for endpoint in result["endpoints"]:
        endpoint["one_client"] = idle.get(endpoint["name"])
    requests = result["requests"] or 1
    kinds_sent = {endpoint["name"] for endpoint in result["endpoints"]}
    document = {
        "organization": organization.slug,
        "people": size,
        "database": database_label(),
        "server": {"workers": options.workers, "threads": options.threads, "class": "gthread"},
        "connections": options.connections,
        "duration_s": options.duration,
        "write_share": options.write_share,
        "signed_in": len(visitors),
        "prepared_requests": len(calls),
        "left_out": failed,
        "left_out_kinds": sorted(too_slow),
        "weights": {k: round(v, 2) for k, v in weights.items() if k in kinds_sent},
        **result,
        "server_cpu_ms_per_request": round(cpu * 1000 / requests, 2),
        "database_cpu_ms_per_request": (
            round(database_used * 1000 / requests, 2) if database_used is not None else None
        ),
        "worker_rss_mb": memory,
        "wrk": wrk,
        # Other work on the machine changes every figure: the load average says how busy it was.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    document["targets"] = {
        "requests_per_s": {"target": TARGET_RPS, "met": result["requests_per_s"] >= TARGET_RPS},
        "p95_ms": {"target": TARGET_P95_MS, "met": result["latency_ms"]["p95"] <= TARGET_P95_MS},
        "errors": {"target": 0, "met": result["errors"]["total"] == 0},
        "worker_rss_mb": {
            "target": TARGET_RSS_MB,
            "met": all(m is not None and m <= TARGET_RSS_MB for m in memory),
        },
    }
    if settings.DEBUG:
        document["warning"] = "TENFOLD_DEBUG is on: figures are not representative."
    return document


def summary_lines(document: dict[str, Any]) -> list[str]:
    """The result for a person: the headline, the targets, then per kind of request."""
    latency, errors = document["latency_ms"], document["errors"]
    lines = [
        f"{document['database']}, /{document['organization']}/ with {document['people']} people, "
        f"{document['server']['workers']} workers × {document['server']['threads']} threads, "
        f"{document['connections']} connections, {document['duration_s']} s",
        f"  {document['requests_per_s']:.1f} requests/s ({document['requests']} requests); "
        f"latency p50 {latency['p50']} ms, p95 {latency['p95']} ms, p99 {latency['p99']} ms",
        f"  errors: {errors['total']} (socket {errors['socket']}, timeouts {errors['timeouts']}, "
        f"non-2xx/3xx {errors['non_2xx_3xx']})",
        f"  CPU per request: server {document['server_cpu_ms_per_request']} ms, "
        f"database {document.get('database_cpu_ms_per_request') or '-'} ms; worker memory: "
        + ", ".join(f"{m} MB" for m in document["worker_rss_mb"]),
        *(
            [_("  left out (timed out with one client): %(kinds)s") % {"kinds": ", ".join(slow)}]
            if (slow := document.get("left_out_kinds"))
            else []
        ),
        "  targets: "
        + ", ".join(
            f"{name} {'met' if target['met'] else 'NOT met'}"
            for name, target in document["targets"].items()
        ),
        "",
        f"  {'kind':<12} {'share':>6} {'errors':>6} {'srv p50':>8} {'srv p95':>8} "
        f"{'db mean':>8} {'cpu mean':>8} {'queries':>7} {'alone':>8}",
    ]

    def shown(value: Any) -> str:
        return "-" if value is None else f"{value:g}"

    for row in document["endpoints"]:
        idle = (row.get("one_client") or {}).get("server_p50_ms")
        lines.append(
            f"  {row['name']:<12} {row['share']:>6.1%} {row['errors']:>6} "
            f"{shown(row['server_p50_ms']):>8} {shown(row['server_p95_ms']):>8} "
            f"{shown(row['db_mean_ms']):>8} {shown(row.get('cpu_mean_ms')):>8} "
            f"{shown(row['queries_mean']):>7} {shown(idle):>8}"
        )
    return lines
