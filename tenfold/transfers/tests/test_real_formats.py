"""Transfers with the real exporters and the real importer of the interchange format: what the
background job writes is what those functions write, and a JSON export imports back."""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenfold.interchange.tests.helpers import delete_organization
from tenfold.okrs.models import Objective
from tenfold.organizations.models import Organization
from tenfold.transfers import services, storage
from tenfold.transfers.models import Status

pytestmark = pytest.mark.django_db


def exported(org, alice, fmt, cycle=None):
    transfer = services.start_export(org, alice, fmt, cycle)
    assert services.run(transfer.pk) == Status.DONE, transfer.__class__.objects.get(
        pk=transfer.pk
    ).error
    transfer.refresh_from_db()
    return transfer, storage.path_of(transfer.file_name)


def test_a_json_export_imports_back_as_the_same_organization(org, objective, key_result, alice):
    transfer, path = exported(org, alice, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert objective.code in json.dumps(document)
    assert transfer.total and transfer.done == transfer.total

    content = path.read_bytes()
    delete_organization(org)  # make room: codes are unique site-wide
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    upload = SimpleUploadedFile("acme.json", content, content_type="application/json")
    imported = services.start_import(alice, upload)
    assert services.run(imported.pk) == Status.DONE, imported.__class__.objects.get(
        pk=imported.pk
    ).error
    imported.refresh_from_db()
    assert imported.organization is not None and imported.organization.slug == "acme"
    assert Objective.objects.get(code=objective.code).title == objective.title


def test_an_import_of_a_document_that_is_not_json_fails_and_writes_nothing(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    before = Organization.objects.count()
    upload = SimpleUploadedFile("broken.json", b'{"format": ', content_type="application/json")
    transfer = services.start_import(alice, upload)
    assert services.run(transfer.pk) == Status.FAILED
    transfer.refresh_from_db()
    assert "JSON" in transfer.error
    assert Organization.objects.count() == before


def test_a_yaml_export_is_a_zip_of_the_okr_files(org, objective, key_result, alice, cycle):
    _transfer, path = exported(org, alice, "yaml", cycle)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names and all(name.endswith((".yaml", ".yml")) for name in names)
        assert any(objective.title in archive.read(name).decode() for name in names)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md"])
def test_the_sheet_exports_write_their_files(org, objective, key_result, alice, fmt):
    _transfer, path = exported(org, alice, fmt)
    content = path.read_bytes()
    if fmt == "xlsx":
        assert content.startswith(b"PK")  # a zip container
    else:
        assert key_result.title in content.decode("utf-8-sig")
