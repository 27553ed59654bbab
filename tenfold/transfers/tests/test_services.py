"""Running exports and imports in the background: progress reaches the row, a cancel stops the
work and leaves nothing behind, a failure is recorded with its reason, expired files go."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Organization
from tenfold.organizations.services import organization_create
from tenfold.transfers import services, storage
from tenfold.transfers.models import Format, Kind, Status, Transfer
from tenfold.transfers.selectors import live

from .conftest import export_row, fake_module, finished_export, stepping_exporter, use_exporter

pytestmark = pytest.mark.django_db


def files_in(folder: Any) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- exports --------------------------------------------------------------------------------------


def test_an_export_records_its_progress_on_the_row_step_by_step(
    org, alice, monkeypatch, save_every_step, transfers_dir
):
    seen = []

    def watch(number: int, code: str) -> None:
        row = Transfer.objects.get(code=code)
        seen.append((row.status, row.done, row.total, row.label))

    use_exporter(monkeypatch, stepping_exporter(4, after_step=watch))
    transfer = services.start_export(org, alice, "json")
    assert services.run(transfer.pk) == Status.DONE

    assert seen == [("running", n, 4, f"Item {n}") for n in range(1, 5)]
    transfer.refresh_from_db()
    assert (transfer.status, transfer.done, transfer.total) == ("done", 4, 4)
    assert transfer.started_at is not None and transfer.finished_at is not None
    path = storage.path_of(transfer.file_name)
    assert path.parent == transfers_dir
    assert path.read_text().splitlines() == [f"acme item {n}" for n in range(1, 5)]
    assert transfer.size == path.stat().st_size
    assert transfer.download_name.startswith("acme-") and transfer.download_name.endswith(".json")
    assert files_in(transfers_dir) == [transfer.file_name]  # no part file, no side files


def test_an_exporter_in_a_transaction_of_its_own_reports_through_the_side_file(
    org, alice, monkeypatch, save_every_step, transfers_dir
):
    """Its writes to the row would stay invisible (and lock the row) until it ends."""
    seen = []

    def watch(number: int, code: str) -> None:
        row = Transfer.objects.get(code=code)
        seen.append((row.done, live(row).done))

    inner = stepping_exporter(3, after_step=watch)

    def snapshot_exporter(*args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            inner(*args, **kwargs)

    use_exporter(monkeypatch, snapshot_exporter)
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)
    assert seen == [(0, 1), (0, 2), (0, 3)]
    transfer.refresh_from_db()
    assert (transfer.status, transfer.done) == ("done", 3)
    assert files_in(transfers_dir) == [transfer.file_name]


def test_progress_is_saved_at_most_twice_a_second(org, alice, monkeypatch):
    clock = {"now": 1000.0}
    monkeypatch.setattr(services.time, "monotonic", lambda: clock["now"])
    saves = []
    original = services.DbProgress.save

    def counted(self: Any) -> None:
        saves.append(self.done)
        original(self)

    monkeypatch.setattr(services.DbProgress, "save", counted)

    def tick(number: int, code: str) -> None:
        clock["now"] += 0.1

    use_exporter(monkeypatch, stepping_exporter(20, after_step=tick))
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)
    # Steps 0.1 s apart: one save every fifth step, plus the last step (done == total).
    assert saves == [1, 6, 11, 16, 20]


def test_an_export_enqueued_on_commit_runs_and_finishes(
    org, alice, monkeypatch, django_capture_on_commit_callbacks
):
    use_exporter(monkeypatch, stepping_exporter(3))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        transfer = services.start_export(org, alice, "json")
    assert len(queued) == 1
    transfer.refresh_from_db()
    assert transfer.status == Status.DONE
    assert AuditEvent.objects.filter(verb="transfer.export_started", object_code=transfer.code)


def test_a_cancel_written_to_the_row_stops_the_export_and_leaves_no_file(
    org, alice, monkeypatch, save_every_step, transfers_dir
):
    def cancel_after_two(number: int, code: str) -> None:
        if number == 2:  # what the web request does, as seen by the worker: the row changes
            Transfer.objects.filter(code=code).update(cancel_requested=True)

    use_exporter(monkeypatch, stepping_exporter(10, after_step=cancel_after_two))
    transfer = services.start_export(org, alice, "json")
    assert services.run(transfer.pk) == Status.CANCELLED

    transfer.refresh_from_db()
    assert transfer.status == Status.CANCELLED
    assert transfer.done == 2
    assert transfer.file_name == ""
    assert files_in(transfers_dir) == []


def test_cancel_through_the_service_reaches_a_running_export_at_once(
    org, alice, monkeypatch, transfers_dir
):
    """The side file stops the work at the next check, without waiting for the row's read."""

    def cancel_after_three(number: int, code: str) -> None:
        if number == 3:
            services.cancel(Transfer.objects.get(code=code), alice)

    use_exporter(monkeypatch, stepping_exporter(50, after_step=cancel_after_three))
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)

    transfer.refresh_from_db()
    assert transfer.status == Status.CANCELLED and transfer.cancel_requested
    assert files_in(transfers_dir) == []
    assert AuditEvent.objects.filter(verb="transfer.export_cancelled").count() == 1


def test_a_waiting_export_is_cancelled_at_once_and_never_runs(org, alice, monkeypatch):
    ran = []
    use_exporter(monkeypatch, lambda *args, **kwargs: ran.append(1))
    transfer = services.start_export(org, alice, "json")
    transfer = services.cancel(transfer, alice)
    assert transfer.status == Status.CANCELLED and transfer.finished_at is not None
    assert services.run(transfer.pk) == Status.CANCELLED
    assert ran == []


def test_a_finished_transfer_cannot_be_cancelled(org, alice, transfers_dir):
    transfer = finished_export(org, alice, transfers_dir)
    with pytest.raises(ValidationError) as caught:
        services.cancel(transfer, alice)
    assert caught.value.code == "conflict"


def test_running_the_same_job_twice_does_the_work_once(org, alice, monkeypatch):
    calls = []
    exporter = stepping_exporter(2)

    def counted(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        exporter(*args, **kwargs)

    use_exporter(monkeypatch, counted)
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)
    assert services.run(transfer.pk) == Status.DONE
    assert calls == [1]
    assert services.run(999_999) == "gone"


def test_a_failing_exporter_fails_the_job_with_its_message_and_no_file(
    org, alice, monkeypatch, transfers_dir
):
    def broken(organization: Any, path: Any, **kwargs: Any) -> None:
        path.write_text("half a file")
        raise RuntimeError("the disk is full")

    use_exporter(monkeypatch, broken)
    transfer = services.start_export(org, alice, "json")
    assert services.run(transfer.pk) == Status.FAILED
    transfer.refresh_from_db()
    assert transfer.error == "the disk is full"
    assert transfer.file_name == ""
    assert files_in(transfers_dir) == []


def test_a_missing_exporter_fails_the_job_with_a_clear_message(
    org, alice, monkeypatch, transfers_dir
):
    monkeypatch.setitem(sys.modules, "tenfold.interchange.exporting", None)  # not importable
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)
    transfer.refresh_from_db()
    assert transfer.status == Status.FAILED
    assert transfer.error.startswith("The JSON export is not available in this installation")
    assert files_in(transfers_dir) == []


def test_the_json_export_streams_text_into_the_interchange_dump(org, alice, monkeypatch):
    def dump(organization: Any, stream: Any, *, progress: Any = None) -> None:
        assert isinstance(stream, io.TextIOBase)
        progress.step(1, 1, "Organization")
        json.dump({"organization": organization.slug, "name": "Zoë"}, stream, ensure_ascii=False)

    fake_module(monkeypatch, "tenfold.interchange.exporting", dump=dump)
    transfer = services.start_export(org, alice, "json")
    services.run(transfer.pk)
    transfer.refresh_from_db()
    content = storage.path_of(transfer.file_name).read_text(encoding="utf-8")
    assert json.loads(content) == {"organization": "acme", "name": "Zoë"}
    assert transfer.content_type == "application/json"


def test_the_yaml_export_zips_the_files_written_for_the_cycle(org, alice, cycle, monkeypatch):
    def export_files(organization: Any, directory: Any, *, cycle: Any = None, progress: Any = None):
        (directory / "growth").mkdir()
        paths = [directory / "company.yaml", directory / "growth" / "q4.yaml"]
        for number, path in enumerate(paths, 1):
            path.write_text(f"cycle: {cycle.name}\n")
            progress.step(number, len(paths))
        return paths

    fake_module(monkeypatch, "tenfold.okrcode.files", export_files=export_files)
    transfer = services.start_export(org, alice, "yaml", cycle)
    services.run(transfer.pk)
    transfer.refresh_from_db()
    assert transfer.status == Status.DONE, transfer.error
    assert transfer.file_name.endswith(".zip")
    assert transfer.download_name.startswith("acme-q4-2026-")
    with zipfile.ZipFile(storage.path_of(transfer.file_name)) as archive:
        assert sorted(archive.namelist()) == ["company.yaml", "growth/q4.yaml"]
        assert archive.read("growth/q4.yaml") == b"cycle: Q4 2026\n"
    assert files_in(storage.directory()) == [transfer.file_name]  # the folder is gone


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md"])
def test_the_sheet_exports_get_their_format_and_cycle(org, alice, cycle, monkeypatch, fmt):
    seen = {}

    def export_sheet(organization: Any, fmt: str, stream: Any, *, cycle: Any = None, progress=None):
        seen.update(fmt=fmt, cycle=cycle)
        return stream.write(b"Objective,Key result\n")

    fake_module(monkeypatch, "tenfold.sheets.exporting", export_sheet=export_sheet)
    transfer = services.start_export(org, alice, fmt, cycle)
    services.run(transfer.pk)
    transfer.refresh_from_db()
    assert transfer.status == Status.DONE, transfer.error
    assert seen == {"fmt": fmt, "cycle": cycle}
    assert transfer.file_name.endswith("." + fmt)
    assert storage.path_of(transfer.file_name).read_bytes() == b"Objective,Key result\n"


def test_an_export_of_a_cycle_deleted_meanwhile_fails_clearly(org, alice, cycle, monkeypatch):
    use_exporter(monkeypatch, stepping_exporter(1), "csv")
    transfer = services.start_export(org, alice, "csv", cycle)
    Transfer.objects.filter(pk=transfer.pk).update(params={"cycle": "gone123"})
    services.run(transfer.pk)
    transfer.refresh_from_db()
    assert transfer.status == Status.FAILED
    assert transfer.error == "The cycle gone123 no longer exists."


def test_start_export_refuses_bad_requests(org, alice, bob, team, other_org, cycle):
    with pytest.raises(ValidationError) as caught:
        services.start_export(org, alice, "pdf")
    assert "format" in caught.value.message_dict
    foreign = other_org.cycles.get()
    with pytest.raises(ValidationError) as caught:
        services.start_export(org, alice, "csv", foreign)
    assert "cycle" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.start_export(org, alice, "json", cycle)
    assert "cycle" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.start_export(org, bob, "json")
    assert not Transfer.objects.exists()


def test_only_a_few_exports_run_at_once_per_organization(org, alice, other_org, mallory):
    for _ in range(services.MAX_ACTIVE):
        services.start_export(org, alice, "json")
    with pytest.raises(ValidationError) as caught:
        services.start_export(org, alice, "json")
    assert caught.value.code == "conflict"
    services.start_export(other_org, mallory, "json")  # another organization is not held up


def test_purging_deletes_expired_files_and_rows_and_fails_lost_jobs(org, alice, transfers_dir):
    now = timezone.now()
    old = finished_export(org, alice, transfers_dir)
    Transfer.objects.filter(pk=old.pk).update(expires_at=now - dt.timedelta(seconds=1))
    fresh = finished_export(org, alice, transfers_dir)
    lost = export_row(org, alice, status=Status.RUNNING)
    Transfer.objects.filter(pk=lost.pk).update(created_at=now - dt.timedelta(hours=25))
    waiting = export_row(org, alice)

    assert services.purge_expired(now) == 1

    assert not Transfer.objects.filter(pk=old.pk).exists()
    assert files_in(transfers_dir) == [fresh.file_name]
    lost.refresh_from_db()
    assert lost.status == Status.FAILED and "stopped without finishing" in lost.error
    waiting.refresh_from_db()
    assert waiting.status == Status.QUEUED


def test_the_tick_job_purges(org, alice, transfers_dir):
    from tenfold.transfers.jobs import run_due

    old = finished_export(org, alice, transfers_dir)
    assert run_due(old.expires_at + dt.timedelta(minutes=1)) == 1
    assert files_in(transfers_dir) == []


# --- imports --------------------------------------------------------------------------------------


@pytest.fixture
def staff(alice: Any) -> Any:
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


def upload(content: bytes = b'{"format": "tenfold", "version": 1}') -> SimpleUploadedFile:
    return SimpleUploadedFile("acme.json", content, content_type="application/json")


def stepping_load(
    owner: Any, items: int = 5, *, after_step: Any = None, fail_at: int | None = None
) -> Any:
    """An importer that makes the organization first, then steps through items."""

    def load(stream: Any, *, progress: Any = None, slug: str | None = None) -> Organization:
        document = json.load(stream)
        assert document["format"] == "tenfold"
        made = organization_create(name="Imported", slug=slug or "imported", owner=owner)
        for number in range(1, items + 1):
            progress.check()
            if number == fail_at:
                raise ValidationError({"objectives[3].cycle": "No cycle with code q9."})
            progress.step(number, items, f"Objective {number}")
            if after_step is not None:
                after_step(number)
        return made

    return load


def test_an_import_makes_the_organization_and_shows_its_progress_while_running(
    staff, monkeypatch, transfers_dir
):
    seen = []

    def watch(number: int) -> None:
        seen.append(live(Transfer.objects.get(kind=Kind.IMPORT)).done)

    fake_module(
        monkeypatch,
        "tenfold.interchange.importing",
        load=stepping_load(staff, 3, after_step=watch),
    )
    monkeypatch.setattr(services, "SAVE_EVERY", 0)
    transfer = services.start_import(staff, upload(), slug="newco")
    assert transfer.kind == Kind.IMPORT and transfer.organization is None
    assert services.run(transfer.pk) == Status.DONE

    assert seen == [1, 2, 3]  # through the side file: the row is inside the transaction
    transfer.refresh_from_db()
    assert transfer.organization == Organization.objects.get(slug="newco")
    assert (transfer.done, transfer.total) == (3, 3)
    assert files_in(transfers_dir) == []  # the upload and the side files are gone


def test_a_cancelled_import_leaves_nothing_in_the_database(staff, monkeypatch, transfers_dir):
    def cancel_after_two(number: int) -> None:
        if number == 2:
            services.cancel(Transfer.objects.get(kind=Kind.IMPORT), staff)

    fake_module(
        monkeypatch,
        "tenfold.interchange.importing",
        load=stepping_load(staff, 10, after_step=cancel_after_two),
    )
    transfer = services.start_import(staff, upload(), slug="newco")
    organizations = Organization.objects.count()
    assert services.run(transfer.pk) == Status.CANCELLED

    assert not Organization.objects.filter(slug="newco").exists()
    assert Organization.objects.count() == organizations
    transfer.refresh_from_db()
    assert transfer.status == Status.CANCELLED and transfer.organization is None
    assert files_in(transfers_dir) == []


def test_a_failed_import_names_the_field_and_writes_nothing(staff, monkeypatch, transfers_dir):
    fake_module(
        monkeypatch, "tenfold.interchange.importing", load=stepping_load(staff, 5, fail_at=3)
    )
    transfer = services.start_import(staff, upload(), slug="newco")
    assert services.run(transfer.pk) == Status.FAILED
    transfer.refresh_from_db()
    assert transfer.error == "objectives[3].cycle: No cycle with code q9."
    assert not Organization.objects.filter(slug="newco").exists()
    assert files_in(transfers_dir) == []


def test_an_import_of_a_file_that_is_not_utf8_fails_clearly(staff, monkeypatch):
    fake_module(monkeypatch, "tenfold.interchange.importing", load=stepping_load(staff))
    transfer = services.start_import(staff, upload("{'name': 'Zoë'}".encode("utf-16")))
    services.run(transfer.pk)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.error) == ("failed", "The file is not UTF-8 text.")


def test_only_staff_import_and_bad_uploads_are_refused(alice, staff, org, bob):
    with pytest.raises(PermissionDenied):
        services.start_import(bob, upload())
    with pytest.raises(ValidationError) as caught:
        services.start_import(staff, upload(b""))
    assert "file" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.start_import(staff, upload(), slug="acme")  # taken
    assert "slug" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.start_import(staff, upload(), slug="not a slug!")
    assert "slug" in caught.value.message_dict
    assert not Transfer.objects.exists()


def test_uploads_larger_than_the_limit_are_refused(staff, monkeypatch):
    monkeypatch.setattr(services, "MAX_UPLOAD", 10)
    with pytest.raises(ValidationError) as caught:
        services.start_import(staff, upload(b"x" * 11))
    assert "file" in caught.value.message_dict


def test_transfer_formats_are_the_five_of_the_interchange():
    assert Format.values == ["json", "yaml", "csv", "xlsx", "md"]
