"""tenfold coach: the coach's findings on OKRs written in files, or on an organization's cycle.

    tenfold coach okrs.yaml team.txt          # files: YAML, JSON or plain text ("-" reads stdin)
    tenfold coach --org acme [--cycle CODE]   # the cycle as stored, seen by --as (or an owner)
    tenfold coach … --json                    # machine-readable
    tenfold coach … --fail-on problem         # only problems fail (default: warnings too)

Exit codes: 0 when nothing needs work, 1 when something does (a warning or a problem; with
--fail-on problem only problems, with --fail-on never nothing), 2 when a file or an option
cannot be read. So a CI job can run it on OKRs kept as code."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.lib.coach import (
    Context,
    Finding,
    Severity,
    check_cycle,
    check_key_result,
    check_objective,
    check_unit,
)
from tenfold.okrs.selectors import current_cycle, get_cycle
from tenfold.organizations.models import Membership, Organization, Role
from tenfold.organizations.permissions import access_for

from ...okrfile import OkrFile, OkrFileError, read_bytes, read_path
from ...services import advice_data, counts, cycle_advice, finding_data, ordered

MARK = {Severity.PROBLEM: "✗", Severity.WARNING: "!", Severity.INFO: "·"}


class Command(BaseCommand):
    help = "Check OKRs with the coach: files (YAML, JSON or text) or an organization's cycle."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help=_("OKR files to check; - reads stdin."))
        parser.add_argument("--org", help=_("Check the OKRs stored for this organization."))
        parser.add_argument("--cycle", help=_("The cycle's code (default: the current one)."))
        parser.add_argument(
            "--as", dest="email", help=_("Whose view to check (default: an owner).")
        )
        parser.add_argument(
            "--first-cycle", action="store_true", help=_("Apply first-cycle rules to files.")
        )
        parser.add_argument("--json", action="store_true", help=_("Print JSON."))
        parser.add_argument(
            "--fail-on",
            choices=("warning", "problem", "never"),
            default="warning",
            help=_("Exit 1 on warnings and problems (default), on problems only, or never."),
        )
        parser.add_argument(
            "--quiet", action="store_true", help=_("Print problems and warnings only.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[str] = options["files"]
        if bool(files) == bool(options["org"]):
            raise CommandError(_("Give OKR files to check, or --org ORG (not both)."), returncode=2)
        reports = self._org(options) if options["org"] else self._files(files, options)
        found = [f for report in reports for f in report["_all"]]
        tally = counts(found)
        if options["json"]:
            clean = [{k: v for k, v in r.items() if k != "_all"} for r in reports]
            self.stdout.write(
                json.dumps({"reports": clean, "summary": tally}, ensure_ascii=False, indent=2)
            )
        else:
            for report in reports:
                self._print(report, quiet=options["quiet"])
            self.stdout.write(
                _("%(problem)s problems, %(warning)s warnings, %(info)s hints.") % tally
            )
        fail_on = options["fail_on"]
        failing = 0 if fail_on == "never" else tally["problem"]
        if fail_on == "warning":
            failing += tally["warning"]
        if failing:
            sys.exit(1)

    # --- files --------------------------------------------------------------------------------

    def _files(self, files: list[str], options: dict[str, Any]) -> list[dict[str, Any]]:
        reports = []
        for path in files:
            try:
                okr_file = (
                    read_bytes(sys.stdin.buffer.read(), name="-")
                    if path == "-"
                    else read_path(path)
                )
            except OkrFileError as error:
                raise CommandError(str(error), returncode=2) from None
            except OSError as error:
                raise CommandError(
                    _("%(path)s cannot be read: %(reason)s")
                    % {"path": path, "reason": error.strerror},
                    returncode=2,
                ) from None
            context = Context(first_cycle=options["first_cycle"] or okr_file.first_cycle)
            reports.append(file_report(path, okr_file, context))
        return reports

    # --- an organization ----------------------------------------------------------------------

    def _org(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(
                _("No organization at “%(slug)s”.") % {"slug": options["org"]}, returncode=2
            )
        memberships = Membership.objects.filter(organization=organization).select_related(
            "organization", "user"
        )
        if options["email"]:
            user = User.objects.filter(email__iexact=options["email"].strip()).first()
            membership = memberships.filter(user=user).first() if user else None
            if membership is None:
                raise CommandError(
                    _("%(email)s is not a member of that organization.")
                    % {"email": options["email"]},
                    returncode=2,
                )
        else:
            membership = memberships.filter(role=Role.OWNER).order_by("id").first()
            if membership is None:
                raise CommandError(_("That organization has no owner."), returncode=2)
        access = access_for(membership)
        try:
            cycle = (
                get_cycle(organization, options["cycle"])
                if options["cycle"]
                else current_cycle(organization)
            )
        except Http404:
            raise CommandError(
                _("No cycle “%(code)s” here.") % {"code": options["cycle"]}, returncode=2
            ) from None
        if cycle is None:
            raise CommandError(_("This organization has no cycle yet."), returncode=2)
        advice = cycle_advice(access, cycle)
        objectives = []
        for unit in advice.units:
            for item in unit.objectives:
                objectives.append(
                    {**advice_data(item), "unit": unit.unit.name if unit.unit else ""}
                )
        set_findings = list(advice.findings) + [f for u in advice.units for f in u.findings]
        return [
            {
                "source": f"{organization.slug}/{cycle.name}",
                "findings": [finding_data(f) for f in set_findings],
                "objectives": objectives,
                "counts": advice.counts,
                "_all": advice.all_findings,
            }
        ]

    # --- printing -----------------------------------------------------------------------------

    def _print(self, report: dict[str, Any], *, quiet: bool) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(report["source"]))
        for finding in report["findings"]:
            self._line(finding, "  ", quiet)
        for objective in report["objectives"]:
            own = [f for f in objective["findings"] if not quiet or f["severity"] != "info"]
            krs = [
                (kr, [f for f in kr["findings"] if not quiet or f["severity"] != "info"])
                for kr in objective["key_results"]
            ]
            if quiet and not own and not any(f for _kr, f in krs):
                continue
            mark = (
                "✓ "
                if not objective["findings"]
                and not any(kr["findings"] for kr in objective["key_results"])
                else ""
            )
            unit = f" [{objective['unit']}]" if objective.get("unit") else ""
            self.stdout.write(f"  {mark}{objective['title']}{unit}")
            for finding in own:
                self._line(finding, "    ", quiet)
            for kr, findings in krs:
                if findings or not quiet:
                    self.stdout.write(f"    – {kr['title']}")
                for finding in findings:
                    self._line(finding, "        ", quiet)

    def _line(self, finding: dict[str, str], indent: str, quiet: bool) -> None:
        if quiet and finding["severity"] == "info":
            return
        mark = MARK[Severity(finding["severity"])]
        text = f"{indent}{mark} {finding['message']} ({finding['rule']})"
        style = {
            "problem": self.style.ERROR,
            "warning": self.style.WARNING,
        }.get(finding["severity"], lambda s: s)
        self.stdout.write(style(text))
        self.stdout.write(f"{indent}  {finding['suggestion']}")
        if finding["rewrite"]:
            self.stdout.write(f"{indent}  → {finding['rewrite']}")


def file_report(path: str, okr_file: OkrFile, context: Context) -> dict[str, Any]:
    """The findings on one file: each objective and key result, each unit's set, and the
    organization as a whole when the file holds company objectives."""
    everything: list[Finding] = []
    objectives = []
    for unit, objective in okr_file.objectives:
        own = ordered(check_objective(objective, context=context, with_key_results=False))
        everything.extend(own)
        krs = []
        for kr in objective.key_results or []:
            found = ordered(check_key_result(kr, objective=objective, context=context))
            everything.extend(found)
            krs.append({"title": kr.title, "findings": [finding_data(f) for f in found]})
        objectives.append(
            {
                "title": objective.title,
                "unit": unit,
                "findings": [finding_data(f) for f in own],
                "key_results": krs,
            }
        )
    set_findings: list[Finding] = []
    units = okr_file.by_unit()
    for unit, items in units.items():
        level = items[0].level if items else "team"
        set_findings.extend(check_unit(items, level=level, name=unit, context=context))
    if okr_file.whole_organization:
        company = [o for _u, o in okr_file.objectives if o.level == "company"]
        others = {unit: [o for o in items if o.level != "company"] for unit, items in units.items()}
        set_findings.extend(
            check_cycle(company, {k: v for k, v in others.items() if v}, context=context)
        )
    set_findings = ordered(set_findings)
    everything.extend(set_findings)
    return {
        "source": path,
        "findings": [finding_data(f) for f in set_findings],
        "objectives": objectives,
        "counts": counts(everything),
        "_all": everything,
    }
