"""tenfold apply: make Tenfold match OKR files, as one person, all or nothing.

    tenfold apply q4-2026/growth.yaml --as carol@example.com          # shows the plan, asks
    tenfold apply q4-2026/*.yaml --as carol@example.com --yes         # for scripts and CI

The person given with --as must be allowed to make every change (the same rules as the web);
otherwise nothing changes. New objectives and key results get codes, written back into their
files, so applying the same files again changes nothing. Exit status: 0 applied or nothing to
do, 1 refused or failed (nothing changed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from ...cli import fail, headline, load, person, print_plan
from ...plan import PlanError, apply, plan


class Command(BaseCommand):
    help = (
        "Apply OKR files (YAML, one per unit and cycle): create, update and archive objectives "
        "and key results so Tenfold matches them, in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("OKR files to apply."))
        parser.add_argument(
            "--as",
            dest="email",
            required=True,
            metavar="EMAIL",
            help=_("The person making the changes; they must be allowed to make each one."),
        )
        parser.add_argument(
            "--yes", action="store_true", help=_("Apply without asking for confirmation.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization, documents = load(options["files"], self.stderr)
        user = person(options["email"], organization, self.stderr)
        try:
            found = plan(organization, documents, by=user)
        except PermissionDenied as denied:
            fail(self.stderr, [str(denied)])
        if found.problems:
            print_plan(self.stdout, found)
            self.stderr.write(_("Nothing was changed."))
            fail(self.stderr, found.problems)
        if found.empty:
            self.stdout.write(_("No changes: the files and Tenfold agree."))
            return
        print_plan(self.stdout, found)
        if not options["yes"] and not self._confirmed():
            self.stdout.write(_("Nothing was changed."))
            return
        try:
            done = apply(found, user)
        except PlanError as error:
            self.stderr.write(_("Nothing was changed."))
            fail(self.stderr, error.problems)
        for change in done.changes:
            self.stdout.write(_("Done: %(change)s") % {"change": headline(change)})
        for path in done.written:
            self.stdout.write(_("Wrote the new codes into %(path)s.") % {"path": path})
        self.stdout.write(_("Applied %(count)s changes.") % {"count": len(done.changes)})

    def _confirmed(self) -> bool:
        self.stdout.write(_("Apply these changes? Type “yes” to go on: "), ending="")
        self.stdout.flush()
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip().lower() in ("yes", "y", _("yes"))
