"""tenfold import-sheet: import OKRs from a CSV, XLSX or Markdown file, as a person.

Prints the preview — what would be created, then every problem with its row number — and
imports only when there is no problem and `--dry-run` is not given. Exit status 1 when the
file has problems (nothing is written then)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.lib.longrun import BarProgress
from tenfold.organizations.cli import access_of, error_message
from tenfold.sheets import importing
from tenfold.sheets.reading import SheetError, check_size


class Command(BaseCommand):
    help = (
        "Import objectives and key results from a spreadsheet (CSV, XLSX or okr2go Markdown). "
        "Shows a preview first; imports everything or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The CSV, XLSX or Markdown file.")
        parser.add_argument("--org", metavar="SLUG", help="The organization's address.")
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help="Import as this person (their rights apply; they are the author).",
        )
        parser.add_argument(
            "--cycle", metavar="CODE", help="Cycle (code or name) for rows without one."
        )
        parser.add_argument(
            "--unit", metavar="CODE", help="Unit (code or name) for rows without one."
        )
        parser.add_argument("--sheet", metavar="NAME", help="The worksheet of an XLSX file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show the preview; write nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the preview as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        access = access_of(options["email"], options["org"])
        organization = access.membership.organization
        user = access.membership.user
        directory = importing.Directory(organization)
        cycle = unit = None
        if options["cycle"]:
            cycle, message = directory.cycle(options["cycle"])
            if message:
                raise CommandError(message)
        if options["unit"]:
            unit, message = directory.unit(options["unit"])
            if message:
                raise CommandError(message)
        path = options["file"]
        try:
            check_size(os.path.getsize(path))  # before reading a byte of it
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        except SheetError as error:
            raise CommandError(" ".join(error.messages)) from None
        result = importing.preview(
            organization,
            data,
            os.path.basename(path),
            cycle=cycle,
            unit=unit,
            by=user,
            sheet=options["sheet"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.show(result)
        if result.problems:
            raise CommandError(
                _("%(count)d problem(s); nothing was imported.") % {"count": len(result.problems)}
            )
        if options["dry_run"]:
            if not options["json"]:
                self.stdout.write(_("Dry run: nothing was written."))
            return
        bar = BarProgress()
        try:
            created = importing.apply(result, user, progress=bar)
        except ValidationError as error:
            raise CommandError(error_message(error)) from None
        finally:
            bar.finish()
        if not options["json"]:
            self.stdout.write(
                _("Imported %(objectives)d objectives and %(key_results)d key results.")
                % {
                    "objectives": len(created),
                    "key_results": result.key_result_count,
                }
            )

    def show(self, result: importing.Preview) -> None:
        write = self.stdout.write
        details = [result.kind.upper()]
        if result.sheet:
            details.append(_("sheet “%(name)s”") % {"name": result.sheet})
        if result.encoding:
            details.append(result.encoding)
        if result.header_row:
            details.append(_("header on row %(row)d") % {"row": result.header_row})
        write(f"{result.filename} ({', '.join(d for d in details if d)})")
        if result.ignored_columns:
            write(_("Not imported: %(columns)s") % {"columns": ", ".join(result.ignored_columns)})
        for plan in result.objectives:
            where = " · ".join(
                x
                for x in (
                    plan.cycle.name if plan.cycle else "",
                    plan.unit.name if plan.unit else "",
                )
                if x
            )
            write(f"\n{_('Row')} {plan.row}: {plan.title}  [{where}]")
            for kr in plan.key_results:
                numbers = f"{_plain(kr.fields['start'])} → {_plain(kr.fields['target'])}"
                now = f", {_('now')} {_plain(kr.current)}" if kr.check_in else ""
                owner = f" ({kr.owner.email})" if kr.owner else ""
                write(f"  {_('Row')} {kr.row}: {kr.title}  {numbers}{now}{owner}")
        write(
            "\n"
            + _("%(objectives)d objectives, %(key_results)d key results, %(checkins)d check-ins.")
            % {
                "objectives": result.objective_count,
                "key_results": result.key_result_count,
                "checkins": result.checkin_count,
            }
        )
        for warning in result.warnings:
            write(_("Note: %(text)s") % {"text": warning})
        for problem in result.problems:
            self.stderr.write(_("Problem: %(text)s") % {"text": problem})


def _plain(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value.normalize():f}"
