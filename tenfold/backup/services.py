"""Backing up, checking and restoring the whole site: what `tenfold backup` and
`tenfold restore` call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from tenfold.db.jobs import analyze
from tenfold.lib.longrun import Progress

from . import archive, native
from .drill import DrillResult, run_drill
from .files import JSON, POSTGRESQL, SQLITE, BackupError, detect, target_path
from .snapshot import consistent_read, left_out_models, project_models, snapshot

FORMATS = ("json", "native")


@dataclass
class BackupResult:
    summary: archive.Summary
    drill: DrillResult | None = None


def native_kind() -> str:
    """The kind of a native backup of the configured database."""
    if connection.vendor in (POSTGRESQL, SQLITE):
        return connection.vendor
    raise BackupError(
        _("Native backups need PostgreSQL or SQLite; this database is %(vendor)s.")
        % {"vendor": connection.vendor}
    )


def _native_summary(kind: str, path: Path) -> archive.Summary:
    rows = native.count_rows(project_models(json_format=False))
    return archive.Summary(kind=kind, path=path, rows=rows)


def backup_make(
    *,
    fmt: str = "json",
    out: str | None = None,
    drill: bool = False,
    progress: Progress | None = None,
) -> BackupResult:
    """Back up the whole site to one file (`out`: a file, or a folder for a dated name).
    With `drill`, restore the file into a scratch database and compare every table with the
    database as the backup saw it."""
    if fmt not in FORMATS:
        raise BackupError(_("Unknown backup format %(format)s.") % {"format": fmt})
    kind = JSON if fmt == "json" else native_kind()
    path = target_path(out, kind)
    same_ids = kind != JSON
    before = None
    left_out: dict[str, int] = {}
    with consistent_read():
        if kind == JSON:
            summary = archive.write_json(path, progress=progress)
        elif kind == POSTGRESQL:
            native.dump_postgresql(path)
            summary = _native_summary(kind, path)
        else:
            native.dump_sqlite(path)
            summary = _native_summary(kind, path)
        if drill:
            before = snapshot(project_models(json_format=not same_ids), same_ids=same_ids)
            if not same_ids:
                left_out = native.count_rows(left_out_models())
    result = BackupResult(summary=summary)
    if before is not None:
        result.drill = run_drill(path, kind, before, left_out)
    return result


def backup_check(*, path: Path) -> archive.Summary:
    """Check a backup file without writing anything to the database."""
    kind = detect(path)
    if kind == JSON:
        return archive.check_json(path)
    if kind == POSTGRESQL:
        native.check_postgresql(path)
    else:
        native.check_sqlite(path)
    return archive.Summary(kind=kind, path=path)


def backup_restore(
    *, path: Path, force: bool = False, progress: Progress | None = None
) -> archive.Summary:
    """Restore a backup file of any kind into the configured database; on any problem,
    change nothing and raise `BackupError`."""
    kind = detect(path)
    if kind == JSON:
        if force:
            raise BackupError(
                _("--force is for native backups: a JSON restore never replaces anything.")
            )
        summary = archive.restore_json(path, progress=progress)
        analyze()  # many rows arrived at once: fresh planner statistics
        return summary
    if kind == POSTGRESQL:
        native.restore_postgresql(path, force=force)
    else:
        native.restore_sqlite(path, force=force)
    return _native_summary(kind, path)
