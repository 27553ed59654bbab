"""tenfold import: import a whole organization from an interchange JSON file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.db.jobs import analyze
from tenfold.interchange.importing import InterchangeError, dry_run, load
from tenfold.lib.longrun import BarProgress, Cancelled

SHEETS = {".csv", ".tsv", ".xlsx", ".xls", ".md", ".markdown"}
CODE_FILES = {".yaml", ".yml"}


class Command(BaseCommand):
    help = (
        "Import a whole organization from a file written by `tenfold export --format json`. "
        "The organization must not exist here yet; nothing is written when anything is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The JSON file, or - for standard input.")
        parser.add_argument(
            "--slug", metavar="NEW", help="Import under this address instead of the file's."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and show what it holds; write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        suffix = Path(name).suffix.lower()
        if suffix in SHEETS:
            raise CommandError(
                _(
                    "%(file)s is a spreadsheet or a Markdown table, not an interchange file: "
                    "import it with `tenfold import-sheet %(file)s`."
                )
                % {"file": name}
            )
        if suffix in CODE_FILES:
            raise CommandError(
                _(
                    "%(file)s is an OKRs-as-code file: preview it with `tenfold plan %(file)s` "
                    "and apply it with `tenfold apply %(file)s`."
                )
                % {"file": name}
            )
        try:
            text = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": name, "error": error.strerror}
            ) from error
        progress = BarProgress()
        try:
            if options["dry_run"]:
                counts = dry_run(text, progress=progress, slug=options["slug"])
            else:
                organization = load(text, progress=progress, slug=options["slug"])
        except InterchangeError as error:
            progress.finish()
            raise CommandError(
                "\n".join([_("Nothing was imported:"), *(f"  {m}" for m in error.messages)])
            ) from error
        except (KeyboardInterrupt, Cancelled) as stop:
            progress.finish()
            raise CommandError(_("Import cancelled; nothing was written.")) from stop
        progress.finish()
        if not options["dry_run"]:
            # A whole organization arrived at once: give the query planner fresh statistics.
            analyze()
        if options["dry_run"]:
            self.stdout.write(_("The file can be imported. It holds:"))
            for section, count in counts.items():
                self.stdout.write(f"  {section}: {count}")
            self.stdout.write(_("Dry run: nothing was written."))
            return
        self.stdout.write(
            _("Imported %(name)s at /%(slug)s/.")
            % {"name": organization.name, "slug": organization.slug}
        )
