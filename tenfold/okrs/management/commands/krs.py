"""tenfold krs: list key results with their codes, so people can check in from the shell."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.okrs.models import Cycle, KeyResult
from tenfold.okrs.selectors import current_cycle, organization_today
from tenfold.organizations.models import Organization
from tenfold.web.templatetags.tenfold import kr_value, pct


def organization_from(slug: str | None) -> Organization:
    """The organization at `slug`, or the only one there is."""
    if slug:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(_("No organization at the address “%(slug)s”.") % {"slug": slug})
        return org
    orgs = list(Organization.objects.order_by("slug")[:21])
    if not orgs:
        raise CommandError(_("There is no organization yet: create one with `tenfold createorg`."))
    if len(orgs) > 1:
        raise CommandError(
            _("Several organizations exist; choose one with --org: %(slugs)s")
            % {"slugs": ", ".join(org.slug for org in orgs[:20])}
        )
    return orgs[0]


def target_text(kr: KeyResult) -> str:
    if kr.kind == "keep_above":
        return "≥ " + kr_value(kr, "target")
    if kr.kind == "keep_below":
        return "≤ " + kr_value(kr, "target")
    if kr.kind == "milestone":
        return _("done")
    return kr_value(kr, "target")


class Command(BaseCommand):
    help = "List the key results of a cycle with their codes, current values, targets and progress."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help=("The organization's address (default: the only organization)."),
        )
        parser.add_argument(
            "--cycle",
            metavar="NAME",
            help=("Cycle name, e.g. “Q4 2026” (default: the current cycle)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_from(options["org"])
        if options["cycle"]:
            cycle = Cycle.objects.filter(organization=org, name=options["cycle"].strip()).first()
            if cycle is None:
                names = Cycle.objects.filter(organization=org).order_by("start")
                raise CommandError(
                    _("%(org)s has no cycle called “%(name)s”. Its cycles: %(names)s")
                    % {
                        "org": org.name,
                        "name": options["cycle"],
                        "names": ", ".join(c.name for c in names) or "–",
                    }
                )
        else:
            cycle = current_cycle(org, organization_today(org))
            if cycle is None:
                raise CommandError(_("%(org)s has no cycles yet.") % {"org": org.name})
        krs = list(
            # Personal-development goals stay between the person and their manager, and no
            # progress is ever printed beside a person's name (docs/scores-policy.md).
            KeyResult.objects.filter(organization=org, objective__cycle=cycle)
            .exclude(objective__level="personal")
            .select_related("objective__unit")
            .order_by(
                "objective__unit__order", "objective__unit__name", "objective__order", "order"
            )
        )
        self.stdout.write(
            _("Key results of %(cycle)s in %(org)s:") % {"cycle": cycle.name, "org": org.name}
        )
        if not krs:
            self.stdout.write(_("(none yet)"))
            return
        rows = [(_("Code"), _("Progress"), _("Current"), _("Target"), _("Team"), _("Key result"))]
        for kr in krs:
            objective = kr.objective
            owner = objective.unit.name if objective.unit else "–"
            rows.append((kr.code, pct(kr.progress), kr_value(kr), target_text(kr), owner, kr.title))
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        for row in rows:
            cells = [
                cell.rjust(w) if i in (1, 2, 3) else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=False))
            ]
            self.stdout.write("  ".join([*cells, row[5]]))
