"""tenfold reconcile: recompute stored progress and report drift."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenfold.okrs.rollup import reconcile
from tenfold.organizations.models import Organization


class Command(BaseCommand):
    help = "Recompute every key result's and objective's progress; report and fix drift."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Only this organization (its address).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; exit with status 1 if anything differs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"No organization at the address {options['org']}.")
        drift = reconcile(org, fix=not options["check"])
        for item in drift:
            self.stdout.write(
                f"{item.kind:10} {item.code}  {item.stored} → {item.computed}  {item.title}"
            )
        if not drift:
            self.stdout.write("No drift: every stored figure matches.")
        elif options["check"]:
            self.stderr.write(f"{len(drift)} stored figures differ (nothing changed).")
            sys.exit(1)
        else:
            self.stdout.write(f"Corrected {len(drift)} stored figures.")
