"""`tenfold bench` from start to end: prepare the database, seed, serve, measure, compare.

Everything that touches the benchmark database goes through child processes with
``DATABASE_URL`` set (`tenfold migrate`, `tenfold seed`, `tenfold serve`, export, import,
reconcile, and `tenfold.bench.targets`), so the database the command itself is configured
with is never touched. The raw-SQL floors use a plain DB-API connection of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .floors import FloorDatabase, floor_p50, floor_params
from .measure import (
    BenchError,
    Client,
    Measured,
    all_counts,
    items_for,
    measure_item,
    query_counts,
)
from .report import machine_notes, markdown, size_differences
from .server import HOST, Server

WARMUP = 3
FLOOR_RUNS_MIN = 15
REBUILDS_MIN = 3


class Toucher:
    """Moves one organization's change counter from outside the server, as any write
    would, so the next kept page is rebuilt from the database."""

    def __init__(self, url: str, organization_id: int) -> None:
        self.database = FloorDatabase(url)
        self.statement = self.database.sql(
            "UPDATE organizations_changecounter SET number = number + 1 WHERE organization_id = %s"
        )
        self.organization_id = organization_id
        cursor = self.database.connection.cursor()
        cursor.execute(
            self.database.sql(
                "SELECT 1 FROM organizations_changecounter WHERE organization_id = %s"
            ),
            (organization_id,),
        )
        if cursor.fetchone() is None:
            cursor.execute(
                self.database.sql(
                    "INSERT INTO organizations_changecounter (organization_id, number)"
                    " VALUES (%s, 1)"
                ),
                (organization_id,),
            )
        self.database.connection.commit()

    def __call__(self) -> None:
        self.database.connection.cursor().execute(self.statement, (self.organization_id,))
        self.database.connection.commit()

    def close(self) -> None:
        self.database.close()


@dataclass
class Options:
    people: int
    seed: int = 1
    database: str | None = None
    out: Path | None = None
    markdown: Path | None = None
    requests: int = 30
    baseline: int | None = None
    workers: int = 2
    commands: bool = True
    timeout: float = 60


def bench_dir() -> Path:
    return Path(settings.DATA_DIR) / "bench"


def default_database() -> str:
    return f"sqlite:///{bench_dir() / 'bench.sqlite3'}"


def org_slug(people: int, seed: int) -> str:
    """The address `tenfold seed` gives by default, so an organization seeded by hand into
    the benchmark database is reused."""
    from .seeding import default_slug

    return default_slug(people, seed)


def vendor_of(url: str) -> str:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql", "pgsql"):
        return "postgresql"
    raise BenchError(
        _("--database must be a sqlite:///PATH or postgres://… URL, not “%(url)s”.") % {"url": url}
    )


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE when it is missing (connecting to the `postgres` database to do so)."""
    import psycopg
    from psycopg import sql

    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name:
        raise BenchError(_("The PostgreSQL URL names no database."))
    try:
        with psycopg.connect(with_database_name(url, "postgres"), autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if found is None:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as error:
        raise BenchError(
            _("Cannot use PostgreSQL at %(url)s: %(error)s") % {"url": url, "error": error}
        ) from error


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = unquote(urlsplit(url).path.lstrip("/"))
    with psycopg.connect(with_database_name(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


class Bench:
    def __init__(self, options: Options, say: Callable[[str], None]) -> None:
        self.options = options
        self.say = say
        self.url = options.database or default_database()
        self.vendor = vendor_of(self.url)
        self.work = bench_dir()
        self.work.mkdir(parents=True, exist_ok=True)
        self.template: subprocess.Popen[bytes] | None = None

    # --- child processes ----------------------------------------------------------------------

    def env(self, url: str | None = None, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("TENFOLD_SERVER_TIMING", None)
        env["DATABASE_URL"] = url or self.url
        env["TENFOLD_QUEUE_PATH"] = str(self.work / "queue.sqlite3")
        env["DJANGO_SETTINGS_MODULE"] = "tenfold.settings"
        env.update(extra)
        return env

    def tenfold(self, *args: str, url: str | None = None, quiet: bool = True) -> float:
        """Run `tenfold ARGS` against the benchmark database; seconds it took."""
        shown: Any = subprocess.PIPE
        if not quiet:
            try:
                shown = sys.stderr.fileno()  # its progress, where ours goes
            except (AttributeError, OSError, ValueError):
                shown = subprocess.PIPE  # a captured stream (tests)
        started = time.monotonic()
        result = subprocess.run(  # nosec B603  # this Python running tenfold itself
            [sys.executable, "-m", "tenfold", *args],
            env=self.env(url),
            stdout=shown,
            stderr=subprocess.PIPE if quiet else None,
            check=False,
        )
        elapsed = time.monotonic() - started
        if result.returncode != 0:
            output = ((result.stderr or b"") + (result.stdout or b"")).decode(errors="replace")
            raise BenchError(
                _("`tenfold %(args)s` failed (exit status %(status)s):\n%(output)s")
                % {
                    "args": " ".join(args),
                    "status": result.returncode,
                    "output": "\n".join(output.strip().splitlines()[-15:]),
                }
            )
        return elapsed

    def targets(self, *slugs: str) -> dict[str, dict[str, Any]]:
        result = subprocess.run(  # nosec B603  # this Python running tenfold itself
            [sys.executable, "-m", "tenfold.bench.targets", *slugs],
            env=self.env(),
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            raise BenchError(
                _("Could not find what to measure in %(slugs)s:\n%(error)s")
                % {
                    "slugs": ", ".join(slugs),
                    "error": result.stderr.decode(errors="replace").strip()[-1500:],
                }
            )
        found: dict[str, dict[str, Any]] = json.loads(result.stdout)
        return found

    # --- steps --------------------------------------------------------------------------------

    def prepare(self) -> None:
        if self.vendor == "postgresql":
            ensure_postgres_database(self.url)
        else:
            folder = Path(unquote(urlsplit(self.url).path)[1:]).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise BenchError(
                    _("Cannot use %(url)s: %(error)s") % {"url": self.url, "error": error}
                ) from error
        if self.options.commands:
            # The empty database the import goes into migrates meanwhile.
            self.template = self.start_template()
        self.say(_("Migrating the benchmark database…"))
        self.tenfold("migrate", "--no-input")

    def organizations(self, sizes: list[int]) -> list[dict[str, Any]]:
        """The seeded organization of each size: reused when present, else seeded."""
        slugs = [org_slug(people, self.options.seed) for people in sizes]
        found = self.targets(*slugs)
        missing = [slug for slug in slugs if not found[slug]["exists"]]
        seconds: dict[str, float] = {}
        for people, slug in zip(sizes, slugs, strict=True):
            if slug not in missing:
                self.say(_("Reusing %(slug)s.") % {"slug": slug})
                continue
            self.say(_("Seeding %(people)s people as %(slug)s…") % {"people": people, "slug": slug})
            seconds[slug] = self.tenfold(
                "seed",
                "--people",
                str(people),
                "--seed",
                str(self.options.seed),
                "--slug",
                slug,
                quiet=False,
            )
            self.say(_("Seeded in %(seconds).1f s.") % {"seconds": seconds[slug]})
        if missing:
            found.update(self.targets(*missing))
        for slug, elapsed in seconds.items():
            found[slug]["seed_seconds"] = round(elapsed, 1)
        return [found[slug] for slug in slugs]

    def sign_in(self, server: Server, targets: dict[str, Any]) -> tuple[dict[str, Client], dict]:
        timeout = self.options.timeout
        clients = {
            "admin": Client(HOST, server.port, timeout=timeout),
            "member": Client(HOST, server.port, timeout=timeout),
            "api": Client(HOST, server.port, timeout=timeout),
        }
        clients["admin"].sign_in(targets["admin"]["email"], targets["password"])
        clients["member"].sign_in(targets["member"]["email"], targets["password"])
        extra = {"api": {"Authorization": f"Bearer {targets['token']}"}}
        return clients, extra

    def measure(self, server: Server, targets: dict[str, Any]) -> list[Measured]:
        clients, extra = self.sign_in(server, targets)
        touch = Toucher(self.url, targets["org"]["id"])
        rebuilds = max(self.options.requests // 3, REBUILDS_MIN)
        measured = []
        try:
            for item in items_for(targets):
                self.say(_("Measuring %(name)s…") % {"name": item.name})
                measured.append(
                    measure_item(
                        item,
                        clients[item.session],
                        requests=self.options.requests,
                        warmup=WARMUP,
                        extra_headers=extra.get(item.session),
                        rebuilds=rebuilds,
                        touch=touch,
                    )
                )
        finally:
            touch.close()
            for client in clients.values():
                client.close()
        return measured

    def baseline_counts(self, server: Server, targets: dict[str, Any]) -> dict[str, int]:
        clients, extra = self.sign_in(server, targets)
        touch = Toucher(self.url, targets["org"]["id"])
        try:
            return query_counts(items_for(targets), clients, extra, touch)
        finally:
            touch.close()
            for client in clients.values():
                client.close()

    def floors(self, targets: dict[str, Any], measured: list[Measured]) -> None:
        self.say(_("Measuring the raw-SQL floors…"))
        params = floor_params(targets)
        runs = max(self.options.requests, FLOOR_RUNS_MIN)
        try:
            database = FloorDatabase(self.url)
        except Exception as error:  # any driver's error means the same here
            raise BenchError(_("Cannot open the database for the floors: %s") % error) from error
        try:
            for row in measured:
                row.floor_ms = floor_p50(database, row.name, params, runs=runs)
        finally:
            database.close()

    def commands(self, slug: str) -> dict[str, float]:
        """Wall-clock seconds of a JSON export, its import into an empty database, and a
        reconciliation of the organization."""
        export = self.work / f"{slug}.json"
        self.say(_("Timing export, import and reconcile…"))
        timings = {
            "export": self.tenfold(
                "export", "--org", slug, "--format", "json", "--out", str(export)
            )
        }
        target = self.empty_database()
        try:
            timings["import"] = self.tenfold("import", str(export), url=target)
        finally:
            self.discard(target)
            export.unlink(missing_ok=True)
        timings["reconcile"] = self.tenfold("reconcile", "--org", slug)
        return {name: round(seconds, 2) for name, seconds in timings.items()}

    def template_url(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.work / 'empty.sqlite3'}"
        base = unquote(urlsplit(self.url).path.lstrip("/"))
        return with_database_name(self.url, f"{base}_empty")

    def start_template(self) -> subprocess.Popen[bytes]:
        """Migrate the empty template database in the background."""
        url = self.template_url()
        if self.vendor == "postgresql":
            ensure_postgres_database(url)
        return subprocess.Popen(  # nosec B603  # this Python running tenfold itself
            [sys.executable, "-m", "tenfold", "migrate", "--no-input"],
            env=self.env(url),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_template(self) -> None:
        process, self.template = self.template, None
        if process is None:
            return
        _out, error = process.communicate()
        if process.returncode != 0:
            raise BenchError(
                _("Could not migrate the empty database for the import:\n%(error)s")
                % {"error": error.decode(errors="replace").strip()[-1500:]}
            )

    def stop_template(self) -> None:
        process, self.template = self.template, None
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(10)

    def empty_database(self) -> str:
        """A freshly migrated, empty database to import into, copied from the template."""
        self.wait_template()
        if self.vendor == "sqlite":
            template = unquote(urlsplit(self.template_url()).path)[1:]
            path = self.work / "import.sqlite3"
            self.discard(f"sqlite:///{path}")
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"
        base = unquote(urlsplit(self.url).path.lstrip("/"))
        copy = with_database_name(self.url, f"{base}_import")
        drop_postgres_database(copy)
        import psycopg
        from psycopg import sql

        with psycopg.connect(with_database_name(self.url, "postgres"), autocommit=True) as pg:
            pg.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(f"{base}_import"), sql.Identifier(f"{base}_empty")
                )
            )
        return copy

    def discard(self, url: str) -> None:
        if self.vendor == "sqlite":
            path = unquote(urlsplit(url).path)[1:]
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            drop_postgres_database(url)

    # --- the whole run ------------------------------------------------------------------------

    def run(self) -> tuple[dict[str, Any], int]:
        try:
            return self._run()
        finally:
            self.stop_template()

    def _run(self) -> tuple[dict[str, Any], int]:
        options = self.options
        started = time.monotonic()
        self.prepare()
        sizes = [options.people] + ([options.baseline] if options.baseline else [])
        found = self.organizations(sizes)
        main, small = found[0], (found[1] if options.baseline else None)
        self.wait_template()  # nothing else runs while the server is measured
        log = self.work / "server.log"
        server_env = self.env(TENFOLD_SERVER_TIMING="1", TENFOLD_API_RATE_LIMIT="1000000")
        self.say(_("Starting the server…"))
        with Server(server_env, log, workers=options.workers) as server:
            measured = self.measure(server, main)
            rss = server.worker_rss_mb()
            baseline = self.baseline_counts(server, small) if small else None
        self.floors(main, measured)
        timings = self.commands(main["org"]["slug"]) if options.commands else {}
        result: dict[str, Any] = {
            "people": options.people,
            "seed": options.seed,
            "organization": main["org"]["slug"],
            "database": self.vendor,
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine_notes(),
            "server": {"workers": options.workers, "threads": 4},
            "requests": options.requests,
            "warmup": WARMUP,
            "items": [row.as_dict() for row in measured],
            "commands": timings,
            "workers_rss_mb": rss,
        }
        if main.get("seed_seconds") is not None:
            result["seed_seconds"] = main["seed_seconds"]
        status = 0
        failed = [row.name for row in measured if row.error]
        if failed:
            result["failed"] = failed
            status = 1
        if small is not None and baseline is not None:
            differing = size_differences(all_counts(measured), baseline)
            result["baseline"] = {
                "people": options.baseline,
                "organization": small["org"]["slug"],
                "queries": baseline,
                "differing": [name for name, _small, _large in differing],
            }
            if differing:
                status = 1
        result["seconds"] = round(time.monotonic() - started, 1)
        return result, status


def write_outputs(result: dict[str, Any], options: Options) -> str:
    table = markdown(result)
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if options.markdown:
        options.markdown.parent.mkdir(parents=True, exist_ok=True)
        options.markdown.write_text(table, encoding="utf-8")
    return table
