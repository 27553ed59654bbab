"""Starting, running, cancelling and clearing away transfers (background imports and exports).

`start_export` and `start_import` write the row and enqueue `tasks.run_transfer` once the
request's transaction has committed; the task calls `run`, which does the work with a
`DbProgress` so the page and the API see how far it is, and stops at the next
`progress.check()` after somebody asked to cancel.

The exporters and the importer belong to other apps and are imported when a job runs: an
installation where one of them is missing fails that job with a clear message instead of
failing to start.

Files: the work writes to ``<name>.part`` and renames it once complete, so a download never
sees half a file; a cancelled or failed job leaves no file behind. An import runs inside one
database transaction, so a cancelled or failed import leaves nothing in the database either.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import zipfile
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_slug
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.longrun import Cancelled, Progress
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Membership, Organization, Role

from . import storage
from .models import ACTIVE, EXTENSIONS, Format, Kind, Status, Transfer

log = logging.getLogger(__name__)

SAVE_EVERY = 0.5  # seconds: progress reaches the row at most twice a second
MAX_ACTIVE = 3  # running or waiting exports per organization
MAX_UPLOAD = 200 * 1024 * 1024  # bytes of an uploaded interchange document
# A job still queued or running this long after it was created has lost its worker (a restart,
# a crash): the tick marks it failed so the page stops showing it as running.
STALE_AFTER = dt.timedelta(hours=24)


class TransferError(Exception):
    """A job cannot go on; the message is shown to people as it is."""


# --- progress -------------------------------------------------------------------------------------


class DbProgress(Progress):
    """Stores a job's figures on its row (at most twice a second) and reads the cancel request
    from the row and from the transfers directory.

    Work that runs inside a database transaction of its own (an import; an exporter that reads
    from one consistent snapshot) cannot make its writes visible before it ends, and writing the
    row from there would lock it against the cancel request. While the work is deeper in
    transactions than where the job started, the figures go to the side file of `storage`
    instead, where pages and the API read them."""

    def __init__(self, transfer: Transfer) -> None:
        self.transfer_id = transfer.pk
        self.code = transfer.code
        self.depth = len(connection.atomic_blocks)
        self.done = 0
        self.total: int | None = None
        self.label = ""
        self.saved_at = 0.0
        self.read_at = 0.0
        self.stop = False

    @property
    def in_transaction(self) -> bool:
        return len(connection.atomic_blocks) > self.depth

    def step(self, done: int, total: int | None = None, label: str = "") -> None:
        self.done, self.total, self.label = max(0, int(done)), total, str(label)[:200]
        finished = total is not None and done >= total
        if finished or time.monotonic() - self.saved_at >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        self.saved_at = time.monotonic()
        total = None if self.total is None else max(0, int(self.total))
        if self.in_transaction:
            storage.write_progress(self.code, self.done, total, self.label)
        else:
            Transfer.objects.filter(pk=self.transfer_id).update(
                done=self.done, total=total, label=self.label
            )

    def cancelled(self) -> bool:
        if self.stop or storage.cancel_requested(self.code):
            self.stop = True
            return True
        if time.monotonic() - self.read_at >= SAVE_EVERY:
            self.read_at = time.monotonic()
            self.stop = bool(
                Transfer.objects.filter(pk=self.transfer_id)
                .values_list("cancel_requested", flat=True)
                .first()
            )
        return self.stop

    def finish(self) -> None:
        self.save()


# --- exporters ------------------------------------------------------------------------------------


def _lazy(module: str, name: str, what: str) -> Callable[..., Any]:
    try:
        found: Callable[..., Any] = getattr(import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise TransferError(
            _("The %(what)s export is not available in this installation (%(error)s).")
            % {"what": what, "error": error}
        ) from error
    return found


def export_json(
    organization: Organization, path: Path, *, fmt: str, cycle: Cycle | None, progress: Progress
) -> None:
    dump = _lazy("tenfold.interchange.exporting", "dump", "JSON")
    with path.open("w", encoding="utf-8", newline="\n") as stream:
        dump(organization, stream, progress=progress)


def export_yaml(
    organization: Organization, path: Path, *, fmt: str, cycle: Cycle | None, progress: Progress
) -> None:
    export_files = _lazy("tenfold.okrcode.files", "export_files", "YAML")
    folder = path.with_name(path.name + ".d")
    storage.remove(folder)
    folder.mkdir()
    try:
        written = export_files(organization, folder, cycle=cycle, progress=progress)
        files = sorted({Path(p) for p in written} or {p for p in folder.rglob("*") if p.is_file()})
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in files:
                progress.check()
                archive.write(file, file.relative_to(folder).as_posix())
    finally:
        storage.remove(folder)


def export_sheet(
    organization: Organization, path: Path, *, fmt: str, cycle: Cycle | None, progress: Progress
) -> None:
    write = _lazy("tenfold.sheets.exporting", "export_sheet", fmt.upper())
    with path.open("wb") as stream:
        write(organization, fmt, stream, cycle=cycle, progress=progress)


Exporter = Callable[..., None]
# Format → function(organization, path, *, fmt, cycle, progress) that writes the whole file at
# path (tests put fakes here).
EXPORTERS: dict[str, Exporter] = {
    Format.JSON: export_json,
    Format.YAML: export_yaml,
    Format.CSV: export_sheet,
    Format.XLSX: export_sheet,
    Format.MD: export_sheet,
}


def import_json(stream: Any, *, progress: Progress, slug: str | None) -> Any:
    load = _lazy("tenfold.interchange.importing", "load", "JSON")
    return load(stream, progress=progress, slug=slug)


# --- starting -------------------------------------------------------------------------------------


def enqueue(transfer_id: int) -> None:
    from .tasks import run_transfer

    run_transfer.enqueue(transfer_id)


def _enqueue_on_commit(transfer: Transfer) -> None:
    pk = transfer.pk
    transaction.on_commit(lambda: enqueue(pk))


def _require_admin(organization: Organization, by: Any) -> None:
    allowed = Membership.objects.filter(
        organization=organization, user=by, role__in=(Role.OWNER, Role.ADMIN)
    ).exists()
    if not allowed:
        raise PermissionDenied(_("Only owners and admins export the organization's data."))


def may_import(user: Any) -> bool:
    """Importing makes a whole new organization: a matter for the people who run the site."""
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))


def _download_name(organization: Organization, fmt: str, cycle: Cycle | None) -> str:
    parts = [organization.slug]
    if cycle is not None:
        parts.append(slugify(cycle.name) or cycle.code)
    parts.append(timezone.localdate().isoformat())
    return "-".join(parts) + "." + EXTENSIONS[fmt]


@transaction.atomic
def start_export(
    organization: Organization, by: Any, fmt: str, cycle: Cycle | None = None
) -> Transfer:
    """Queue an export of the organization (or, for the formats that allow it, of one cycle)."""
    _require_admin(organization, by)
    if fmt not in Format.values:
        raise ValidationError(
            {"format": _("Choose one of: %(formats)s.") % {"formats": ", ".join(Format.values)}}
        )
    if cycle is not None and cycle.organization_id != organization.pk:
        raise ValidationError({"cycle": _("This cycle is not in the organization.")})
    if cycle is not None and fmt == Format.JSON:
        raise ValidationError(
            {
                "cycle": _(
                    "The JSON export always holds the whole organization; leave the cycle out."
                )
            }
        )
    running = Transfer.objects.filter(
        organization=organization, kind=Kind.EXPORT, status__in=ACTIVE
    ).count()
    if running >= MAX_ACTIVE:
        raise ValidationError(
            _("%(count)d exports are already under way; wait for one to finish or cancel it.")
            % {"count": running},
            code="conflict",
        )
    transfer = Transfer.objects.create(
        organization=organization,
        kind=Kind.EXPORT,
        format=fmt,
        params={"cycle": cycle.code, "cycle_name": cycle.name} if cycle is not None else {},
        download_name=_download_name(organization, fmt, cycle),
        created_by=by,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="transfer.export_started",
        obj=transfer,
        changes={"format": fmt, "cycle": cycle.code if cycle else None},
    )
    _enqueue_on_commit(transfer)
    return transfer


def start_import(by: Any, uploaded_file: UploadedFile, slug: str | None = None) -> Transfer:
    """Queue the import of a whole organization from an interchange document (site staff)."""
    if not may_import(by):
        raise PermissionDenied(_("Only the site's staff import whole organizations."))
    slug = (slug or "").strip().lower() or None
    if slug is not None:
        try:
            validate_slug(slug)
        except ValidationError as error:
            raise ValidationError({"slug": error.messages}) from error
        if Organization.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": _("The address “%(slug)s” is taken.") % {"slug": slug}})
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > MAX_UPLOAD:
        raise ValidationError(
            {
                "file": _("The file is larger than %(limit)d MB.")
                % {"limit": MAX_UPLOAD // (1024 * 1024)}
            }
        )
    with transaction.atomic():
        transfer = Transfer.objects.create(
            kind=Kind.IMPORT,
            format=Format.JSON,
            download_name=Path(uploaded_file.name or "upload.json").name[:200],
            created_by=by,
        )
        upload = f"{transfer.code}.upload"
        target = storage.path_of(upload)
        try:
            with target.open("wb") as stream:
                for chunk in uploaded_file.chunks():
                    stream.write(chunk)
        except OSError:
            storage.remove(target)
            raise
        transfer.params = {"slug": slug, "upload": upload}
        transfer.size = size
        transfer.save(update_fields=["params", "size"])
        _enqueue_on_commit(transfer)
    return transfer


# --- running --------------------------------------------------------------------------------------


def _message(error: BaseException) -> str:
    if isinstance(error, ValidationError):
        parts = []
        for field, messages in error_dict(error).items():
            text = " ".join(messages)
            parts.append(text if field == "__all__" else f"{field}: {text}")
        return " ".join(parts)[:2000]
    return (str(error) or type(error).__name__)[:2000]


def _finish(transfer: Transfer, status: str, **fields: Any) -> None:
    Transfer.objects.filter(pk=transfer.pk).update(
        status=status, finished_at=timezone.now(), **fields
    )
    storage.clear_side_files(transfer.code)


def run(transfer_id: int) -> str:
    """The task's body: do the job once. A second run of the same job does nothing, and so
    does a run of a job that was cancelled while it waited."""
    claimed = Transfer.objects.filter(pk=transfer_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), label=""
    )
    transfer = Transfer.objects.select_related("organization").filter(pk=transfer_id).first()
    if transfer is None:
        return "gone"
    if not claimed:
        return transfer.status
    if transfer.kind == Kind.IMPORT:
        _run_import(transfer)
    else:
        _run_export(transfer)
    return Transfer.objects.values_list("status", flat=True).get(pk=transfer_id)


def _cycle_of(transfer: Transfer) -> Cycle | None:
    code = (transfer.params or {}).get("cycle")
    if not code:
        return None
    cycle = Cycle.objects.filter(organization=transfer.organization, code=code).first()
    if cycle is None:
        raise TransferError(_("The cycle %(code)s no longer exists.") % {"code": code})
    return cycle


def _run_export(transfer: Transfer) -> None:
    final = storage.path_of(f"{transfer.code}.{EXTENSIONS[transfer.format]}")
    part = final.with_name(final.name + ".part")
    progress = DbProgress(transfer)
    try:
        progress.check()
        exporter = EXPORTERS.get(transfer.format)
        if exporter is None:
            raise TransferError(_("Unknown format %(format)s.") % {"format": transfer.format})
        assert transfer.organization is not None
        exporter(
            transfer.organization,
            part,
            fmt=transfer.format,
            cycle=_cycle_of(transfer),
            progress=progress,
        )
        os.replace(part, final)
    except Cancelled:
        storage.remove(part)
        _finish(transfer, Status.CANCELLED, label="")
    except Exception as error:
        if not isinstance(error, TransferError | ValidationError):
            log.exception("export %s failed", transfer.code)
        storage.remove(part)
        _finish(transfer, Status.FAILED, error=_message(error), label="")
    else:
        done = progress.total if progress.total is not None else progress.done
        _finish(
            transfer,
            Status.DONE,
            file_name=final.name,
            size=final.stat().st_size,
            done=done,
            total=progress.total if progress.total is not None else done,
            label="",
        )


def _run_import(transfer: Transfer) -> None:
    params = transfer.params or {}
    upload = storage.path_of(params.get("upload") or f"{transfer.code}.upload")
    slug = params.get("slug")
    progress = DbProgress(transfer)
    try:
        if not upload.exists():
            raise TransferError(_("The uploaded file is gone; upload it again."))
        with upload.open(encoding="utf-8-sig") as stream, transaction.atomic():
            result = import_json(stream, progress=progress, slug=slug)
            progress.check()  # a cancel during the last step still undoes everything
    except Cancelled:
        _finish(transfer, Status.CANCELLED, label="")
    except UnicodeDecodeError:
        _finish(transfer, Status.FAILED, error=_("The file is not UTF-8 text."), label="")
    except Exception as error:
        if not isinstance(error, TransferError | ValidationError):
            log.exception("import %s failed", transfer.code)
        _finish(transfer, Status.FAILED, error=_message(error), label="")
    else:
        organization = result if isinstance(result, Organization) else None
        organization = organization or getattr(result, "organization", None)
        if organization is None and slug:
            organization = Organization.objects.filter(slug=slug).first()
        done = progress.total if progress.total is not None else progress.done
        _finish(
            transfer,
            Status.DONE,
            organization=organization,
            done=done,
            total=done,
            label="",
        )
    finally:
        storage.remove(upload)


# --- cancelling and clearing away -----------------------------------------------------------------


def cancel(transfer: Transfer, by: Any) -> Transfer:
    """Ask a job to stop. One still waiting is cancelled at once; a running one stops at its
    next check and leaves nothing behind.

    No transaction is opened before the request is on disk: on SQLite a running import holds
    the write lock, and the side file is what lets it notice the request and let go."""
    if not transfer.is_active:
        raise ValidationError(_("This job has already finished."), code="conflict")
    storage.request_cancel(transfer.code)
    with transaction.atomic():
        stopped = Transfer.objects.filter(pk=transfer.pk, status=Status.QUEUED).update(
            status=Status.CANCELLED, cancel_requested=True, finished_at=timezone.now(), label=""
        )
        if not stopped:
            Transfer.objects.filter(pk=transfer.pk, status__in=ACTIVE).update(cancel_requested=True)
        if transfer.organization is not None:
            audit_record(
                organization=transfer.organization,
                actor=by,
                verb=f"transfer.{transfer.kind}_cancelled",
                obj=transfer,
            )
    if stopped:
        storage.clear_side_files(transfer.code)
        _remove_upload(transfer)
    transfer.refresh_from_db()
    return transfer


def _remove_upload(transfer: Transfer) -> None:
    upload = (transfer.params or {}).get("upload")
    if upload:
        storage.remove(storage.path_of(upload))


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the transfers (rows and files) whose week is over, and mark failed the jobs that
    lost their worker. Returns how many transfers were deleted."""
    now = now or timezone.now()
    stale = Transfer.objects.filter(status__in=ACTIVE, created_at__lt=now - STALE_AFTER)
    for transfer in stale:
        storage.remove(storage.path_of(f"{transfer.code}.{EXTENSIONS[transfer.format]}.part"))
        _remove_upload(transfer)
        _finish(transfer, Status.FAILED, error=_("The job stopped without finishing."), label="")
    expired = list(Transfer.objects.filter(expires_at__lte=now).exclude(status__in=ACTIVE))
    for transfer in expired:
        if transfer.file_name:
            storage.remove(storage.path_of(transfer.file_name))
        _remove_upload(transfer)
        storage.clear_side_files(transfer.code)
    Transfer.objects.filter(pk__in=[t.pk for t in expired]).delete()
    return len(expired)
