"""tenfold reconcile: recompute stored progress from scratch and report (and fix) drift."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.organizations.models import Organization


def percent(value: Any) -> str:
    return f"{value * 100:.2f} %"


class Command(BaseCommand):
    help = (
        "Recompute every key result's and objective's stored progress from its inputs; report "
        "the differences and correct them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--org",
            metavar="SLUG",
            help=("Only this organization (its address); default: all of them."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=("Change nothing; exit with status 1 if any stored figure differs."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(
                    _("No organization at the address “%(slug)s”.") % {"slug": options["org"]}
                )
        drift = reconcile(org, fix=not options["check"])
        kinds = {"key_result": _("key result"), "objective": _("objective")}
        for item in drift:
            self.stdout.write(
                f"{kinds.get(item.kind, item.kind):12} {item.code:12} "
                f"{percent(item.stored):>9} → {percent(item.computed):>9}  {item.title}"
            )
        if not drift:
            scope = {} if org is None else {"organization": org}
            self.stdout.write(
                _("No drift: all %(krs)d key results and %(objectives)d objectives match.")
                % {
                    "krs": KeyResult.objects.filter(**scope).count(),
                    "objectives": Objective.objects.filter(**scope).count(),
                }
            )
        elif options["check"]:
            raise CommandError(
                _("%(count)d stored figures differ from their inputs; nothing was changed.")
                % {"count": len(drift)},
                returncode=1,
            )
        else:
            self.stdout.write(_("Corrected %(count)d stored figures.") % {"count": len(drift)})
