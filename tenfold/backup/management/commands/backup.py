"""tenfold backup: the whole site in one file, as JSON or in the database's own format."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tenfold.backup.archive import Summary
from tenfold.backup.drill import DrillResult
from tenfold.backup.files import JSON, POSTGRESQL, BackupError
from tenfold.backup.services import FORMATS, backup_make
from tenfold.lib.longrun import BarProgress, Cancelled


def describe(summary: Summary) -> list[str]:
    """What a backup holds, in a few lines (also used by `tenfold restore`)."""
    if summary.kind == JSON:
        site = next(part for part in summary.parts if part.organization is None)
        lines = [
            _("organizations: %(organizations)s, accounts: %(accounts)s, rows: %(rows)s")
            % {
                "organizations": len(summary.organizations),
                "accounts": site.rows.get("accounts.User", 0),
                "rows": summary.total_rows,
            }
        ]
        lines.append(
            "  "
            + _("%(part)s (accounts, groups, integrations, delivery logs), rows: %(rows)s")
            % {"part": site.name, "rows": sum(site.rows.values())}
        )
        for part in summary.organizations:
            assert part.organization is not None
            lines.append(
                "  "
                + _("%(part)s (%(name)s), rows: %(rows)s")
                % {
                    "part": part.name,
                    "name": part.organization["name"],
                    "rows": sum(part.rows.values()),
                }
            )
        return lines
    return [
        _(
            "organizations: %(organizations)s, accounts: %(accounts)s, rows: %(rows)s, "
            "tables: %(tables)s"
        )
        % {
            "organizations": summary.rows.get("organizations.Organization", 0),
            "accounts": summary.rows.get("accounts.User", 0),
            "rows": summary.total_rows,
            "tables": len(summary.rows),
        }
    ]


def kind_name(kind: str) -> str:
    return {
        JSON: _("JSON"),
        POSTGRESQL: _("PostgreSQL, pg_dump custom format"),
    }.get(kind, _("SQLite database file"))


def drill_lines(drill: DrillResult) -> list[str]:
    """The drill's figures, and each table that differs with a few of its rows."""
    comparison = drill.comparison
    lines = [
        _(
            "Drill: restored into a scratch database in %(seconds).1f s; tables compared: "
            "%(tables)s, rows compared: %(rows)s, differences: %(differences)s."
        )
        % {
            "seconds": drill.seconds,
            "tables": len(comparison.tables),
            "rows": comparison.rows,
            "differences": comparison.differences,
        }
    ]
    if comparison.left_out:
        left = ", ".join(f"{label} ({count})" for label, count in comparison.left_out.items())
        lines.append(
            "  " + _("Left out of JSON backups on purpose (rows): %(tables)s") % {"tables": left}
        )
    for table in comparison.tables:
        if table.differences:
            lines.append(
                "  "
                + _("%(table)s: missing or changed: %(missing)s, extra: %(extra)s")
                % {"table": table.label, "missing": table.missing, "extra": table.extra}
            )
            lines.extend(f"    {example}" for example in table.examples)
    return lines


class Command(BaseCommand):
    help = (
        "Back up the whole site (every organization, every account) to one file: json (the "
        "default; portable between SQLite and PostgreSQL) or native (pg_dump's custom format on "
        "PostgreSQL, a copy of the database file on SQLite). Restore it with `tenfold restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="json",
            dest="fmt",
            help="json (the default) or native (the database's own format).",
        )
        parser.add_argument(
            "--out",
            metavar="PATH",
            help=(
                "The file to write, or a folder to write a dated file into (default: the "
                "current folder)."
            ),
        )
        parser.add_argument(
            "--drill",
            action="store_true",
            help=(
                "Then restore the backup into a scratch database and compare every table with "
                "this one; fails on any difference."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = BarProgress()
        try:
            result = backup_make(
                fmt=options["fmt"], out=options["out"], drill=options["drill"], progress=progress
            )
        except BackupError as error:
            progress.finish()
            raise CommandError(error.message) from error
        except (KeyboardInterrupt, Cancelled) as stop:
            progress.finish()
            raise CommandError(_("Backup cancelled; no file was written.")) from stop
        progress.finish()
        summary = result.summary
        size = summary.path.stat().st_size
        self.stdout.write(
            _("Wrote %(path)s (%(kind)s, bytes: %(size)s):")
            % {"path": summary.path, "kind": kind_name(summary.kind), "size": size}
        )
        for line in describe(summary):
            self.stdout.write(f"  {line}")
        if result.drill is None:
            return
        for line in drill_lines(result.drill):
            self.stdout.write(line)
        if result.drill.comparison.differences:
            raise CommandError(
                _("The drill found differences after the restore: %(count)s.")
                % {"count": result.drill.comparison.differences}
            )
