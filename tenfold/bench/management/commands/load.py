"""tenfold load: a bounded load test of the production server on loopback, or (--scale-out) the
check that two servers and a worker share one PostgreSQL database and one Redis queue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.bench.load import Options, run_load, summary_lines
from tenfold.bench.load_http import LoadError

# Set in the child that `--database` starts, so it measures instead of starting another.
CHILD_MARK = "TENFOLD_LOAD_DATABASE_SET"


class Command(BaseCommand):
    help = _(
        "Load-test the production server on 127.0.0.1 for a fixed time with a mixed workload "
        "(pages, htmx fragments, API reads, check-ins) and report requests/s, latency, errors "
        "and memory; with --scale-out, check two servers and a worker on PostgreSQL and Redis."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database",
            help=_(
                "Database URL to measure (postgres://… or sqlite:////path/file.sqlite3); "
                "default: the configured one."
            ),
        )
        parser.add_argument(
            "--people",
            type=int,
            help=_("The size the organization is expected to have (only checked and reported)."),
        )
        parser.add_argument("--org", help=_("The organization's address (default: the largest)."))
        parser.add_argument(
            "--duration", type=int, default=30, help=_("Seconds of load (default: %(default)s).")
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=16,
            help=_("Open connections, each waiting for its answer (default: %(default)s)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help=_("Server worker processes (default: %(default)s)."),
        )
        parser.add_argument(
            "--threads", type=int, default=4, help=_("Threads per worker (default: %(default)s).")
        )
        parser.add_argument(
            "--write-share",
            type=float,
            default=0.05,
            help=_("Share of requests that are check-ins (default: %(default)s)."),
        )
        parser.add_argument(
            "--sign-in", type=int, default=8, help=_("People to sign in (default: %(default)s).")
        )
        parser.add_argument(
            "--password",
            help=_("Password of the people signed in (default: the seeded or demo password)."),
        )
        parser.add_argument("--out", help=_("Write the result as JSON to this file."))
        parser.add_argument(
            "--scale-out",
            action="store_true",
            help=_(
                "Instead of a load: start two servers and a worker on one PostgreSQL database "
                "and Redis (REDIS_URL or --redis) and check that they work as one."
            ),
        )
        parser.add_argument("--redis", help=_("Redis URL for --scale-out (default: $REDIS_URL)."))

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["database"]
        if url and os.environ.get(CHILD_MARK) != url:
            self._run_on(url)
            return
        try:
            if options["scale_out"]:
                self._scale_out(options)
            else:
                self._load(options)
        except LoadError as error:
            raise CommandError(str(error)) from error

    def _run_on(self, url: str) -> None:
        """Settings are read once per process: measure another database in a child process."""
        argv = [a for a in sys.argv[1:] if a]
        if "load" not in argv:
            raise CommandError(
                _("Run --database from the command line: tenfold load --database URL")
            )
        env = {**os.environ, "DATABASE_URL": url, CHILD_MARK: url}
        finished = subprocess.run([sys.executable, "-m", "tenfold", *argv], env=env, check=False)  # nosec B603  # tenfold itself
        if finished.returncode:
            raise CommandError(
                _("The measurement failed (see above)."), returncode=finished.returncode
            )

    def _load(self, options: dict[str, Any]) -> None:
        for name in ("duration", "connections", "workers", "threads", "sign_in"):
            if options[name] < 1:
                raise CommandError(
                    _("--%(name)s must be at least 1.") % {"name": name.replace("_", "-")}
                )
        run = Options(
            people=options["people"],
            duration=options["duration"],
            connections=options["connections"],
            workers=options["workers"],
            threads=options["threads"],
            write_share=options["write_share"],
            sign_in=options["sign_in"],
            org=options["org"],
            password=options["password"],
        )
        document = run_load(run, say=self._say)
        for line in summary_lines(document):
            self.stdout.write(line)
        if options["out"]:
            path = Path(options["out"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(document, indent=2) + "\n")
            self.stdout.write(_("Wrote %(path)s.") % {"path": path})

    def _scale_out(self, options: dict[str, Any]) -> None:
        from tenfold.bench.scaleout import run_scale_out

        redis_url = options["redis"] or os.environ.get("REDIS_URL", "")
        report = run_scale_out(redis_url=redis_url, say=self._say)
        if options["out"]:
            Path(options["out"]).write_text(json.dumps(report, indent=2) + "\n")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
