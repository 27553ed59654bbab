"""`tenfold load --scale-out`: two app servers and a worker that share nothing but one
PostgreSQL database, one Redis queue, the SECRET_KEY and the export directory.

It builds a small synthetic organization, starts server A and server B (`tenfold serve` on two
free loopback ports) and a `tenfold worker` on Redis, then checks what a load balancer without
sticky sessions needs:

1. a person signs in on A, and B accepts the same session cookie;
2. a check-in posted through B is visible when read through A;
3. an export started through A is run by the worker (neither server runs tasks) and its file
   is downloaded through B.

Everything is stopped and the organization removed at the end. Each step is timed.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from .load_http import LoadError, Process, Server, child_env, free_port, request, sign_in


def database_url() -> str:
    """A URL for the database this process uses (the test database too, under pytest)."""
    params = connection.settings_dict
    if connection.vendor != "postgresql":
        raise LoadError(
            _(
                "Scale-out needs PostgreSQL: several servers cannot share a SQLite file. "
                "Set DATABASE_URL=postgres://… (or pass --database)."
            )
        )
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{params['NAME']}"


def redis_reachable(url: str) -> str | None:
    """None when Redis answers at `url`, else why not."""
    if not url:
        return _("no Redis URL (set REDIS_URL=redis://127.0.0.1:6379/0 or pass --redis)")
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as error:
        return _("Redis at %(url)s does not answer (%(error)s)") % {"url": url, "error": error}
    return None


def _step(report: dict[str, Any], name: str, started: float, say: Callable[[str], None]) -> None:
    elapsed = round((time.monotonic() - started) * 1000)
    report["steps"].append({"step": name, "ok": True, "ms": elapsed})
    say(f"  ok  {name} ({elapsed} ms)")


def run_scale_out(*, redis_url: str, say: Callable[[str], None] = print) -> dict[str, Any]:
    from .seeding import seed_delete, seed_organization, targets

    url = database_url()
    problem = redis_reachable(redis_url)
    if problem:
        raise LoadError(_("Scale-out needs Redis: %(problem)s.") % {"problem": problem})
    slug = f"scaleout-{secrets.token_hex(3)}"
    scratch = Path(tempfile.mkdtemp(prefix="tenfold-scaleout-"))
    queue = f"scaleout-{secrets.token_hex(5)}"
    report: dict[str, Any] = {"organization": slug, "redis": redis_url, "steps": []}
    say(_("Building a small organization /%(slug)s/ …") % {"slug": slug})
    started = time.monotonic()
    organization = seed_organization(people=10, slug=slug)
    found = targets(organization)
    _step(report, _("organization built"), started, say)
    # What every app server and worker must share: the database, the queue, the key that signs
    # sessions and CSRF tokens, and the directory export files are written to.
    env = child_env(
        DATABASE_URL=url,
        REDIS_URL=redis_url,
        TENFOLD_TASKS="worker",
        TENFOLD_QUEUE_NAME=queue,
        SECRET_KEY=settings.SECRET_KEY,
        TENFOLD_TRANSFERS_DIR=str(scratch / "transfers"),
        TENFOLD_TICK_MINUTES="60",
        LOG_LEVEL="WARNING",
    )
    # Each server collects the static files into a folder of its own, as on separate machines.
    a, b = (
        Server(
            port=free_port(),
            workers=1,
            threads=2,
            env={**env, "STATIC_ROOT": str(scratch / f"static-{name}")},
            log=scratch / f"server-{name}.log",
        )
        for name in ("a", "b")
    )
    worker = Process(["worker", "--threads", "1"], env, scratch / "worker.log")
    processes: list[Process] = [a, b, worker]
    say(
        _("Starting server A on :%(a)s, server B on :%(b)s and a worker on Redis …")
        % {"a": a.port, "b": b.port}
    )
    started = time.monotonic()
    for process in processes:
        process.start()
    try:
        a.wait_ready()
        b.wait_ready()
        _step(report, _("two servers answer"), started, say)

        started = time.monotonic()
        member = sign_in(a.port, found.sign_in["member"], found.password)
        if member is None:
            raise LoadError(_("The member could not sign in on server A."))
        week = request(b.port, "GET", f"/{slug}/week/", headers=member.cookie_header())
        if week.status != 200:
            raise LoadError(
                _("Server B did not accept A's session: it answered %(status)s.")
                % {"status": week.status}
            )
        _step(report, _("signed in on A, session accepted by B"), started, say)

        started = time.monotonic()
        code = found.key_result_code
        value = "31.25"
        posted = request(
            b.port,
            "POST",
            f"/{slug}/key-results/{code}/check-in/",
            headers=member.post_headers(),
            body=f"{code}-value={value}&{code}-confidence=7&{code}-note=scale-out",
        )
        if posted.status not in (302, 303):
            raise LoadError(
                _("The check-in through B was refused (%(status)s).") % {"status": posted.status}
            )
        history = request(
            a.port,
            "GET",
            f"/api/v1/orgs/{slug}/key-results/{code}/check-ins",
            headers=member.cookie_header(),
        )
        if history.status != 200 or value not in history.body.decode():
            raise LoadError(_("The check-in written through B is not visible through A."))
        _step(report, _("check-in written through B, read through A"), started, say)

        started = time.monotonic()
        owner = sign_in(b.port, found.sign_in["owner"], found.password)
        if owner is None:
            raise LoadError(_("The owner could not sign in on server B."))
        headers = {**owner.post_headers(), "Content-Type": "application/json"}
        export = request(
            a.port,
            "POST",
            f"/api/v1/orgs/{slug}/exports",
            headers=headers,
            body=json.dumps({"format": "json"}),
        )
        if export.status != 202:
            raise LoadError(
                _("Server A refused to start an export (%(status)s).") % {"status": export.status}
            )
        export_code = json.loads(export.body)["code"]
        status = _wait_for_export(b.port, slug, export_code, owner.cookie_header(), worker)
        if status != "done":
            raise LoadError(
                _("The export ended %(status)s; see %(log)s.")
                % {"status": status, "log": worker.log}
            )
        download = request(
            b.port,
            "GET",
            f"/api/v1/orgs/{slug}/exports/{export_code}/download",
            headers=owner.cookie_header(),
        )
        if download.status != 200 or slug.encode() not in download.body:
            raise LoadError(
                _("Server B could not hand out the export (%(status)s).")
                % {"status": download.status}
            )
        _step(report, _("export started on A, run by the worker, downloaded from B"), started, say)
        report["ok"] = True
    except BaseException:
        for process in processes:
            tail = process.log_tail()
            if tail:
                say(f"--- {process.log.name}\n{tail}")
        raise
    finally:
        for process in processes:
            process.stop()
        seed_delete(organization)
        _forget_queue(redis_url, queue)
        shutil.rmtree(scratch, ignore_errors=True)
    say(_("Scale-out works: no sticky sessions needed, background work runs on the worker."))
    return report


def _wait_for_export(
    port: int, slug: str, code: str, headers: dict[str, str], worker: Process, timeout: float = 30
) -> str:
    deadline = time.monotonic() + timeout
    status = "queued"
    while time.monotonic() < deadline:
        answer = request(port, "GET", f"/api/v1/orgs/{slug}/exports/{code}", headers=headers)
        status = json.loads(answer.body).get("status", "unknown") if answer.status == 200 else "?"
        if status in ("done", "failed", "cancelled"):
            return status
        if not worker.running():
            raise LoadError(_("The worker stopped:") + "\n" + worker.log_tail())
        time.sleep(0.2)
    raise LoadError(
        _("The worker did not finish the export within %(seconds)s s (%(status)s).")
        % {"seconds": f"{timeout:.0f}", "status": status}
    )


def _forget_queue(url: str, queue: str) -> None:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2)
        for key in client.scan_iter(f"huey*{queue}*"):
            client.delete(key)
    except Exception:  # nosec B110  # best-effort cleanup of a benchmark's own queue
        pass
