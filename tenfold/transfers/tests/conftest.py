"""Transfer fixtures: a private transfers directory per test, and fake exporters and importers
that step through a known number of items, so progress, cancelling and failing can be watched
without the real exporters."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tenfold.lib.longrun import Progress
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for
from tenfold.transfers import services
from tenfold.transfers.models import Format, Kind, Status, Transfer


@pytest.fixture(autouse=True)
def transfers_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "transfers"
    settings.TRANSFERS_DIR = str(folder)
    return folder


@pytest.fixture
def save_every_step(monkeypatch: Any) -> None:
    """Progress reaches the row on every step instead of twice a second."""
    monkeypatch.setattr(services, "SAVE_EVERY", 0)


def access_of(org: Any, user: Any) -> Access:
    return access_for(Membership.objects.get(organization=org, user=user))


def stepping_exporter(
    items: int = 5, *, after_step: Callable[[int, Any], None] | None = None
) -> Callable[..., None]:
    """An exporter that writes one line per item, reporting each step and checking for a
    cancel request between them; `after_step(i, transfer_code)` runs after step i."""

    def export(organization: Any, path: Path, *, fmt: str, cycle: Any, progress: Progress) -> None:
        with path.open("w", encoding="utf-8") as stream:
            for number in range(1, items + 1):
                progress.check()
                stream.write(f"{organization.slug} item {number}\n")
                progress.step(number, items, f"Item {number}")
                if after_step is not None:
                    after_step(number, path.name.split(".")[0])

    return export


def use_exporter(monkeypatch: Any, exporter: Callable[..., None], fmt: str = Format.JSON) -> None:
    monkeypatch.setitem(services.EXPORTERS, fmt, exporter)


def fake_module(monkeypatch: Any, name: str, **functions: Any) -> types.ModuleType:
    """Stand in for a module that another app provides (or has not written yet)."""
    module = types.ModuleType(name)
    for key, value in functions.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)
    return module


def export_row(org: Any, by: Any, **fields: Any) -> Transfer:
    """A transfer row made directly, for pages and permissions."""
    values: dict[str, Any] = {
        "organization": org,
        "kind": Kind.EXPORT,
        "format": Format.JSON,
        "status": Status.QUEUED,
        "created_by": by,
        "download_name": f"{org.slug}-export.json",
    }
    values.update(fields)
    return Transfer.objects.create(**values)


def finished_export(
    org: Any, by: Any, folder: Path, content: bytes = b'{"ok": true}\n'
) -> Transfer:
    transfer = export_row(org, by, status=Status.DONE, done=3, total=3)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{transfer.code}.json"
    (folder / name).write_bytes(content)
    transfer.file_name = name
    transfer.size = len(content)
    transfer.save()
    return transfer
