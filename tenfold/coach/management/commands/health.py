"""tenfold health: the programme health check of an organization, or of one unit and the
units below it, for one cycle.

A report for the operator's shell: it reads, never writes, and exits with 0 whatever the
health (use --json and the `grade` field to act on it in a script). An unknown organization,
unit or cycle is an error."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from tenfold.coach.health import Health, as_dict, org_health, unit_health
from tenfold.okrs.models import Cycle
from tenfold.okrs.selectors import current_cycle
from tenfold.organizations.models import Organization, Unit

STATE_WIDTH = 14


class Command(BaseCommand):
    help = (
        "Print the health check of an organization's OKR programme (or of one unit and the "
        "units below it): the score, its grade, and each signal with its state, value, "
        "threshold and nudge."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org", required=True, metavar="SLUG", help="The organization's address."
        )
        parser.add_argument(
            "--unit", metavar="CODE", help="A unit's code: judge it and the units below it."
        )
        parser.add_argument(
            "--cycle", metavar="CODE", help="A cycle's code (default: the current cycle)."
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(
                _("No organization has the address %(slug)s.") % {"slug": options["org"]}
            )
        cycle = self._cycle(organization, options.get("cycle"))
        code = options.get("unit")
        if code:
            unit = Unit.objects.filter(organization=organization, code=code).first()
            if unit is None:
                raise CommandError(
                    _("No unit of %(org)s has the code %(code)s.")
                    % {"org": organization.slug, "code": code}
                )
            report = unit_health(organization, unit, cycle)
        else:
            report = org_health(organization, cycle)
        if options["json"]:
            self.stdout.write(json.dumps(as_dict(report), cls=DjangoJSONEncoder, indent=2))
        else:
            self.stdout.write(self._text(organization, report))

    def _cycle(self, organization: Organization, code: str | None) -> Cycle | None:
        if not code:
            return current_cycle(organization)
        found = Cycle.objects.filter(organization=organization, code=code).first()
        if found is None:
            raise CommandError(
                _("No cycle of %(org)s has the code %(code)s.")
                % {"org": organization.slug, "code": code}
            )
        return found

    def _text(self, organization: Organization, report: Health) -> str:
        name = report.unit_name or organization.name
        if report.cycle_code is None:
            return _("%(name)s has no cycle yet: nothing to check.") % {"name": name}
        score = "—" if report.score is None else f"{report.score}/100"
        lines = [
            f"{name} · {report.cycle_name}",
            _("Health: %(score)s (%(grade)s)") % {"score": score, "grade": report.grade_label},
            "",
        ]
        for signal in report.signals:
            figure = signal.value_label
            if signal.threshold_label:
                figure = f"{figure} ({signal.threshold_label})"
            line = f"[{signal.state_label:<{STATE_WIDTH}}] {signal.title}: {figure}"
            if signal.nudge:
                line += f" → {signal.nudge}"
            lines.append(line)
        if report.units:
            lines += ["", _("Weakest units:")]
            lines += [
                f"  {unit.score:>3}  {unit.name} ({unit.code}) — {unit.grade_label}"
                for unit in report.units
            ]
        return "\n".join(lines)
