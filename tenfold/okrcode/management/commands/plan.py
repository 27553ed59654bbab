"""tenfold plan: what `tenfold apply` would change to make Tenfold match OKR files.

    tenfold plan q4-2026/growth.yaml            # + create, ~ update field: old → new, - archive
    tenfold plan q4-2026/*.yaml --as carol@example.com   # also check what carol may change
    tenfold plan FILE --json

Exit status (like terraform's detailed exit code): 0 when there is nothing to do, 2 when there
are changes, 1 when a file cannot be read or applied (the message names file, line and field).
Nothing is written."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from ...cli import fail, load, person, print_plan
from ...plan import plan


class Command(BaseCommand):
    help = (
        "Show what applying OKR files (YAML, one per unit and cycle) would create, update, "
        "archive or delete. Exit status: 0 nothing to do, 2 changes, 1 errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help=_("OKR files to compare."))
        parser.add_argument(
            "--as",
            dest="email",
            metavar="EMAIL",
            help=_("Also check that this person may make every change."),
        )
        parser.add_argument("--json", action="store_true", help=_("Print JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        organization, documents = load(options["files"], self.stderr)
        user = person(options["email"], organization, self.stderr) if options["email"] else None
        try:
            found = plan(organization, documents, by=user)
        except PermissionDenied as denied:
            fail(self.stderr, [str(denied)])
        if options["json"]:
            self.stdout.write(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
        else:
            print_plan(self.stdout, found)
        if found.problems:
            if not options["json"]:
                fail(self.stderr, found.problems)
            sys.exit(1)
        if not found.empty:
            sys.exit(2)
