"""tenfold bench: seed (or reuse) an organization, serve it, and measure every main page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.bench.measure import BenchError
from tenfold.bench.run import Bench, Options, vendor_of, write_outputs

MAX_PEOPLE = 200_000


class Command(BaseCommand):
    help = _(
        "Measure Tenfold at a given size: seed (or reuse) a synthetic organization in a "
        "benchmark database, start the production server, and report the p50 and p95 server "
        "time, SQL queries and raw-SQL floor of every main page, plus export, import and "
        "reconcile times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, required=True, help=_("Size of the organization to measure.")
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=_("Seed of the synthetic data (default: 1).")
        )
        parser.add_argument(
            "--database",
            metavar="URL",
            help=_(
                "Benchmark database: sqlite:///PATH or postgres://…/NAME (created when "
                "missing). Default: a SQLite file under the data directory's bench/."
            ),
        )
        parser.add_argument("--out", metavar="FILE", help=_("Write the results as JSON here."))
        parser.add_argument(
            "--markdown", metavar="FILE", help=_("Write the results table as Markdown here.")
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=30,
            help=_("Timed requests per item, after the warm-up (default: 30)."),
        )
        parser.add_argument(
            "--baseline",
            type=int,
            metavar="M",
            help=_(
                "Also seed an M-person organization and fail (exit status 1) if any item's "
                "query count differs between the two sizes."
            ),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help=_("Server worker processes (default: 2)."),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=60,
            help=_(
                "Seconds to wait for one answer before the item counts as failed (default: 60)."
            ),
        )
        parser.add_argument(
            "--skip-commands",
            action="store_true",
            help=_("Do not time export, import and reconcile."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, baseline = options["people"], options["baseline"]
        if not 1 <= people <= MAX_PEOPLE:
            raise CommandError(
                _("--people must be between 1 and %(max)s.") % {"max": f"{MAX_PEOPLE:,}"}
            )
        if baseline is not None and not 1 <= baseline <= MAX_PEOPLE:
            raise CommandError(
                _("--baseline must be between 1 and %(max)s.") % {"max": f"{MAX_PEOPLE:,}"}
            )
        if baseline is not None and baseline == people:
            raise CommandError(_("--baseline must be a different size from --people."))
        if options["requests"] < 1:
            raise CommandError(_("--requests must be at least 1."))
        if options["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        if options["timeout"] <= 0:
            raise CommandError(_("--timeout must be more than 0 seconds."))
        try:
            if options["database"]:
                vendor_of(options["database"])
            bench = Bench(
                Options(
                    people=people,
                    seed=options["seed"],
                    database=options["database"],
                    out=Path(options["out"]) if options["out"] else None,
                    markdown=Path(options["markdown"]) if options["markdown"] else None,
                    requests=options["requests"],
                    baseline=baseline,
                    workers=options["workers"],
                    commands=not options["skip_commands"],
                    timeout=options["timeout"],
                ),
                say=lambda line: self.stderr.write(line),
            )
            result, status = bench.run()
        except BenchError as error:
            raise CommandError(str(error)) from error
        except KeyboardInterrupt as stop:
            raise CommandError(_("Benchmark interrupted; the server was stopped.")) from stop
        self.stdout.write(write_outputs(result, bench.options))
        if status:
            raise CommandError(failure_message(result), returncode=1)


def failure_message(result: dict[str, Any]) -> str:
    """Why the run failed: items that could not be measured, query counts that grow."""
    parts = []
    if result.get("failed"):
        parts.append(_("Could not measure: %(items)s.") % {"items": ", ".join(result["failed"])})
    baseline = result.get("baseline") or {}
    if baseline.get("differing"):
        parts.append(
            _(
                "Query counts grow with size: %(items)s differ between %(small)s and "
                "%(large)s people."
            )
            % {
                "items": ", ".join(baseline["differing"]),
                "small": f"{baseline['people']:,}",
                "large": f"{result['people']:,}",
            }
        )
    return " ".join(parts)
