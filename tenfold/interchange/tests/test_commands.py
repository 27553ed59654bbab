from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tenfold.organizations.models import Organization

from .helpers import delete_organization, export_text, normalise

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_writes_json_to_standard_output(rich: Organization) -> None:
    text = run("export", "--org", "acme", "--format", "json")
    assert normalise(text) == normalise(export_text(rich))


def test_export_then_import_through_files(rich: Organization, tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    run("export", "--org", "acme", "--format", "json", "--out", str(path))
    assert json.loads(path.read_text())["organization"]["slug"] == "acme"
    assert list(tmp_path.iterdir()) == [path]

    out = run("import", str(path), "--dry-run", "--slug", "acme-copy")
    assert "objectives: " in out and "nothing was written" in out
    assert not Organization.objects.filter(slug="acme-copy").exists()

    delete_organization(rich)
    assert "Imported Acme at /acme/." in run("import", str(path))
    assert Organization.objects.filter(slug="acme").exists()


def test_import_under_another_address_makes_a_copy(rich: Organization, tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text(export_text(rich))
    run("import", str(path), "--slug", "acme-copy")
    copy = Organization.objects.get(slug="acme-copy")
    assert copy.code != rich.code

    def shape(text: str) -> list[str]:
        # The copy's rows have new codes: compare what is left once codes are blanked out.
        data = normalise(text, slug=True)
        codes = {rich.code, copy.code}
        for section in data.values():
            for row in section if isinstance(section, list) else [section]:
                if isinstance(row, dict) and "code" in row:
                    codes.add(row["code"])
        blanked = json.dumps(data, sort_keys=True)
        for code in codes:
            blanked = blanked.replace(f'"{code}"', '"*"')
        return sorted(json.loads(blanked).items().__repr__())

    original, copied = export_text(rich), export_text(copy)
    assert len(copied) == len(original.replace(rich.slug, copy.slug, 1))
    assert shape(copied) == shape(original)


def test_import_refuses_an_existing_organization(rich: Organization, tmp_path: Path) -> None:
    path = tmp_path / "acme.json"
    path.write_text(export_text(rich))
    with pytest.raises(CommandError, match="already exists"):
        run("import", str(path))


def test_import_sends_spreadsheets_to_import_sheet(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "okrs.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(CommandError, match="tenfold import-sheet"):
        run("import", str(path))


def test_import_lists_the_problems_of_a_bad_file(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text('{"format": "tenfold", "format_version": 7}')
    with pytest.raises(CommandError, match="format version 7; this Tenfold reads up to 1"):
        run("import", str(path))


def test_export_names_an_unknown_organization_or_cycle(rich: Organization) -> None:
    with pytest.raises(CommandError, match="no organization"):
        run("export", "--org", "nope", "--format", "json")
    with pytest.raises(CommandError, match="leave out --cycle"):
        run("export", "--org", "acme", "--format", "json", "--cycle", "x")
    with pytest.raises(CommandError, match="no cycle"):
        run("export", "--org", "acme", "--format", "csv", "--cycle", "nope")


def test_export_hands_other_formats_to_their_writers(
    rich: Organization, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cycle: Any
) -> None:
    calls: list[tuple[str, Any]] = []

    def export_sheet(
        organization: Any, fmt: str, stream: Any, *, cycle: Any = None, progress: Any = None
    ) -> int:
        calls.append((fmt, cycle))
        stream.write(b"a,b\r\n")
        return 1

    def export_files(
        organization: Any, directory: Path, *, cycle: Any = None, progress: Any = None
    ) -> list[Path]:
        calls.append(("yaml", cycle))
        target = directory / "q.yaml"
        target.write_text("x")
        return [target]

    monkeypatch.setattr("tenfold.sheets.exporting.export_sheet", export_sheet)
    monkeypatch.setattr("tenfold.okrcode.files.export_files", export_files)
    assert run("export", "--org", "acme", "--format", "csv", "--cycle", cycle.code) == "a,b\r\n"
    out = tmp_path / "o.xlsx"
    run("export", "--org", "acme", "--format", "xlsx", "--out", str(out))
    assert out.read_bytes() == b"a,b\r\n"
    assert str(tmp_path / "y" / "q.yaml") in run(
        "export", "--org", "acme", "--format", "yaml", "--out", str(tmp_path / "y")
    )
    assert calls == [("csv", cycle), ("xlsx", None), ("yaml", None)]
