"""tenfold krs: list key results with their codes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenfold.okrs.models import KeyResult
from tenfold.okrs.selectors import current_cycle
from tenfold.organizations.models import Organization


class Command(BaseCommand):
    help = "List key results of a cycle with their codes, values and progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="Organization address (default: the only one).")
        parser.add_argument("--cycle", help="Cycle name, e.g. 'Q4 2026' (default: current).")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organization.objects.all()
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
        found = list(orgs[:2])
        if not found:
            raise CommandError("No such organization.")
        if len(found) > 1:
            raise CommandError("Several organizations exist: name one with --org.")
        org = found[0]
        krs = KeyResult.objects.filter(organization=org).select_related(
            "objective__cycle", "objective__unit"
        )
        if options["cycle"]:
            krs = krs.filter(objective__cycle__name=options["cycle"])
            if not krs.exists():
                raise CommandError(f"No key results in a cycle named {options['cycle']}.")
        else:
            cycle = current_cycle(org)
            krs = krs.filter(objective__cycle=cycle)
        for kr in krs.order_by("objective__unit__name", "objective__order", "order"):
            unit = kr.objective.unit.name if kr.objective.unit else "personal"
            current = "–" if kr.current is None else f"{kr.current.normalize():f}"
            self.stdout.write(
                f"{kr.code}  {kr.progress:>5.0%}  {current:>10} → "
                f"{kr.target.normalize():f}  [{unit}] {kr.title}"
            )
