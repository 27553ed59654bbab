"""tenfold seed: build a deterministic synthetic organization of N people."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.bench.seeding import (
    MAX_PEOPLE,
    MIN_PEOPLE,
    PASSWORD,
    SeedStats,
    check_parameters,
    default_slug,
    parameters_of,
    seed_delete,
    seed_organization,
    seeded_parameters,
    sign_in,
)
from tenfold.lib.longrun import BarProgress, Cancelled
from tenfold.lib.validation import error_dict
from tenfold.organizations.models import Organization


class Command(BaseCommand):
    help = _(
        "Build a synthetic organization shaped like a real one, for benchmarks: about one "
        "team per ten people, four closed quarters and the active one, weekly check-ins and "
        "weekly reports. The same people, seed and day always give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            required=True,
            metavar="N",
            help=_("How many people (%(low)d to %(high)d).")
            % {"low": MIN_PEOPLE, "high": MAX_PEOPLE},
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            metavar="S",
            help=_("Seed of the random choices (default: 1)."),
        )
        parser.add_argument(
            "--slug",
            metavar="SLUG",
            help=_("Address of the organization (default: synthetic-N, or synthetic-N-sS)."),
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_("Build the organization as it is on this day (default: today)."),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete the synthetic organization at that address first and rebuild it."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, seed = options["people"], options["seed"]
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    _("“%(value)s” is not a date; write it as YYYY-MM-DD.")
                    % {"value": options["today"]}
                ) from None
        errors = check_parameters(people=people, seed=seed, slug=options["slug"], today=today)
        if errors:
            raise CommandError(" ".join(m for ms in errors.fields.values() for m in ms))
        slug = options["slug"] or default_slug(people, seed)

        existing = Organization.objects.filter(slug=slug).first()
        if existing is not None:
            built = seeded_parameters(existing)
            if built is None:
                raise CommandError(
                    _(
                        "The address /%(slug)s/ belongs to an organization that was not built "
                        "by `tenfold seed`; choose another address with --slug."
                    )
                    % {"slug": slug}
                )
            wanted = parameters_of(people=people, seed=seed, today=today)
            same = all(built.get(key) == value for key, value in wanted.items())
            if same and not options["reset"]:
                self.stdout.write(
                    _(
                        "/%(slug)s/ already holds the synthetic organization of %(people)d "
                        "people, seed %(seed)d, as of %(today)s; reusing it "
                        "(use --reset to rebuild it)."
                    )
                    % {"slug": slug, "people": people, "seed": seed, "today": built["today"]}
                )
                self._sign_in(slug)
                return
            if not options["reset"] and built.get("format") != wanted["format"]:
                raise CommandError(
                    _(
                        "/%(slug)s/ holds a synthetic organization built by an earlier version "
                        "of this command; use --reset to rebuild it."
                    )
                    % {"slug": slug}
                )
            if not options["reset"]:
                raise CommandError(
                    _(
                        "/%(slug)s/ holds a synthetic organization built with other parameters "
                        "(%(people)s people, seed %(seed)s, as of %(today)s); use --reset to "
                        "replace it, or another --slug."
                    )
                    % {
                        "slug": slug,
                        "people": built.get("people"),
                        "seed": built.get("seed"),
                        "today": built.get("today"),
                    }
                )
            started = time.monotonic()
            seed_delete(existing)
            self.stdout.write(
                _("Removed the previous synthetic organization in %(seconds).1f s.")
                % {"seconds": time.monotonic() - started}
            )

        progress = BarProgress()
        stats = SeedStats()
        started = time.monotonic()
        try:
            organization = seed_organization(
                people=people, seed=seed, slug=slug, today=today, progress=progress, stats=stats
            )
        except ValidationError as error:
            progress.finish()
            messages = [m for ms in error_dict(error).values() for m in ms]
            raise CommandError(" ".join(messages)) from error
        except (KeyboardInterrupt, Cancelled) as stop:
            progress.finish()
            raise CommandError(_("Seeding cancelled; nothing was written.")) from stop
        elapsed = time.monotonic() - started
        self.stdout.write(
            _("Built %(name)s at /%(slug)s/ in %(seconds).1f s.")
            % {"name": organization.name, "slug": slug, "seconds": elapsed}
        )
        self.stdout.write(_("Rows written:"))
        for label, count in stats.counts.items():
            self.stdout.write(f"  {label:28} {count:>10,}")
        self.stdout.write(_("Seconds per phase:"))
        for phase, seconds in stats.phases.items():
            self.stdout.write(f"  {phase:28} {seconds:>10.1f}")
        self._sign_in(slug)

    def _sign_in(self, slug: str) -> None:
        self.stdout.write(
            _("Sign in as any of these with the password %(password)s:") % {"password": PASSWORD}
        )
        for role, email in sign_in(slug).items():
            self.stdout.write(f"  {role:8} {email}")
