"""tenfold export: write an organization out as interchange JSON, OKRs-as-code YAML, a
spreadsheet (CSV, XLSX) or Markdown."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.lib.longrun import BarProgress, Cancelled
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Organization

FORMATS = ("json", "yaml", "csv", "xlsx", "md")


class Command(BaseCommand):
    help = (
        "Export an organization: json (everything, lossless, for `tenfold import`), yaml (OKRs "
        "as code, one file per unit and cycle), csv, xlsx or md (OKRs as a table)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, metavar="SLUG", help="The organization.")
        parser.add_argument("--format", required=True, choices=FORMATS, dest="fmt")
        parser.add_argument(
            "--out",
            default="-",
            metavar="PATH",
            help=(
                "Where to write: a file, or - for standard output (the default); for yaml a "
                "directory (default: the current one)."
            ),
        )
        parser.add_argument(
            "--cycle",
            metavar="CODE",
            help="Only this cycle (yaml, csv, xlsx and md; json always holds everything).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["org"]).first()
        if organization is None:
            raise CommandError(_("There is no organization “%(slug)s”.") % {"slug": options["org"]})
        fmt = options["fmt"]
        cycle = None
        if options["cycle"]:
            if fmt == "json":
                raise CommandError(
                    _("The JSON export always holds the whole organization; leave out --cycle.")
                )
            cycle = Cycle.objects.filter(organization=organization, code=options["cycle"]).first()
            if cycle is None:
                raise CommandError(
                    _("%(org)s has no cycle with the code “%(code)s”.")
                    % {"org": organization.name, "code": options["cycle"]}
                )
        progress = BarProgress()
        try:
            if fmt == "json":
                self._json(organization, options["out"], progress)
            elif fmt == "yaml":
                self._yaml(organization, options["out"], cycle, progress)
            else:
                self._sheet(organization, fmt, options["out"], cycle, progress)
        except (KeyboardInterrupt, Cancelled) as stop:
            progress.finish()
            raise CommandError(_("Export cancelled; no file was written.")) from stop
        progress.finish()

    def _json(self, organization: Organization, out: str, progress: BarProgress) -> None:
        from tenfold.interchange.exporting import dump

        if out == "-":
            stream: Any = self.stdout._out
            dump(organization, stream, progress=progress)
            return
        with _replacing(Path(out), "w") as stream:
            dump(organization, stream, progress=progress)
        self.stderr.write(_("Wrote %(path)s.") % {"path": out})

    def _yaml(
        self, organization: Organization, out: str, cycle: Cycle | None, progress: BarProgress
    ) -> None:
        from tenfold.okrcode.files import export_files

        directory = Path("." if out == "-" else out)
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("For yaml, --out names a directory."))
        directory.mkdir(parents=True, exist_ok=True)
        written = export_files(organization, directory, cycle=cycle, progress=progress)
        progress.finish()
        for path in written:
            self.stdout.write(str(path))

    def _sheet(
        self,
        organization: Organization,
        fmt: str,
        out: str,
        cycle: Cycle | None,
        progress: BarProgress,
    ) -> None:
        from tenfold.sheets.exporting import export_sheet

        if out != "-":
            with _replacing(Path(out), "wb") as stream:
                count = export_sheet(organization, fmt, stream, cycle=cycle, progress=progress)
            self.stderr.write(
                _("Wrote %(count)s rows to %(path)s.") % {"count": count, "path": out}
            )
            return
        text: Any = self.stdout._out
        if fmt == "xlsx" and text.isatty():
            raise CommandError(_("An xlsx file cannot be shown on a terminal; give --out FILE."))
        binary = getattr(text, "buffer", None)
        if binary is not None:
            text.flush()
            export_sheet(organization, fmt, binary, cycle=cycle, progress=progress)
            binary.flush()
        else:  # a text stream (tests): the format is text too
            buffer = io.BytesIO()
            export_sheet(organization, fmt, buffer, cycle=cycle, progress=progress)
            text.write(buffer.getvalue().decode("utf-8-sig"))


@contextlib.contextmanager
def _replacing(path: Path, mode: str) -> Any:
    """Write next to `path` and move the result into place at the end, so a failed or
    cancelled export leaves no half-written file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        if "b" in mode:
            with os.fdopen(handle, "wb") as binary:
                yield binary
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as text:
                yield text
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
