"""tenfold restore: bring a site back from a file written by `tenfold backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.backup.files import JSON, BackupError
from tenfold.backup.services import backup_check, backup_restore
from tenfold.lib.longrun import BarProgress, Cancelled

from .backup import describe, kind_name


class Command(BaseCommand):
    help = (
        "Restore a file written by `tenfold backup`; its kind is read from the file. A JSON "
        "backup goes into a database without any of its organizations or accounts; a native "
        "one replaces the whole database (only when it is empty, unless --force). Anything "
        "wrong changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Native backups only: replace a database that is not empty.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the file (checksums, structure); change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        progress = BarProgress()
        try:
            if options["check"]:
                summary = backup_check(path=path)
            else:
                summary = backup_restore(path=path, force=options["force"], progress=progress)
        except BackupError as error:
            progress.finish()
            raise CommandError(error.message) from error
        except (KeyboardInterrupt, Cancelled) as stop:
            progress.finish()
            raise CommandError(_("Restore cancelled; nothing was changed.")) from stop
        progress.finish()
        kind = kind_name(summary.kind)
        if options["check"]:
            message = _("%(path)s is a sound backup (%(kind)s).")
            if summary.kind == JSON:
                message = _("%(path)s is a sound backup (%(kind)s); every checksum matches:")
            self.stdout.write(message % {"path": path, "kind": kind})
        else:
            self.stdout.write(_("Restored %(path)s (%(kind)s):") % {"path": path, "kind": kind})
        if summary.parts or summary.rows:
            for line in describe(summary):
                self.stdout.write(f"  {line}")
        if not options["check"] and summary.kind != JSON:
            self.stdout.write(
                _("If the backup comes from an older Tenfold, run `tenfold migrate` now.")
            )
