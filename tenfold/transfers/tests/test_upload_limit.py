"""The site's import page refuses an interchange file over MAX_UPLOAD with a message on the
form (400), and nothing is queued or kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenfold.transfers import services
from tenfold.transfers.models import Transfer

pytestmark = pytest.mark.django_db

LIMIT = 1024 * 1024


@pytest.fixture
def staff(alice: Any) -> Any:
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


def _post(client: Any, size: int) -> Any:
    document = SimpleUploadedFile("big.json", b"{" + b" " * (size - 2) + b"}")
    return client.post(reverse("transfer_import"), {"file": document, "slug": "newco"})


def test_a_file_over_the_limit_is_refused_on_the_form(
    client: Any, staff: Any, monkeypatch: pytest.MonkeyPatch, transfers_dir: Path
) -> None:
    monkeypatch.setattr(services, "MAX_UPLOAD", LIMIT)
    client.force_login(staff)
    response = _post(client, LIMIT + 1)
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not Transfer.objects.exists()
    assert not transfers_dir.exists() or not any(transfers_dir.iterdir())


def test_a_file_at_the_limit_passes_the_size_check(
    client: Any, staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the limit: one byte less and the import is queued."""
    monkeypatch.setattr(services, "MAX_UPLOAD", LIMIT)
    monkeypatch.setattr(services, "_enqueue_on_commit", lambda transfer: None)
    client.force_login(staff)
    response = _post(client, LIMIT)
    assert response.status_code == 302
    assert Transfer.objects.count() == 1
