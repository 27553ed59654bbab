"""`tenfold plan` / `apply` refuse an OKR file over MAX_BYTES from its size, without reading
it, and name the file; one at the limit is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenfold.okrcode import files
from tenfold.okrcode.files import MAX_BYTES, FileProblems, read_documents


def _sized(path: Path, size: int) -> Path:
    """A file of `size` bytes that takes no room on disk (sparse)."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_file_over_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = _sized(tmp_path / "big.yaml", MAX_BYTES + 1)
    monkeypatch.setattr(
        files.Path, "read_bytes", lambda self: pytest.fail("the file was read"), raising=True
    )
    with pytest.raises(FileProblems) as caught:
        read_documents([big])
    assert [str(p) for p in caught.value.problems] == [
        f"{big}: larger than 2 MB; split it into smaller files."
    ]


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    """The other side of the limit: read, and refused for what it holds (zero bytes)."""
    full = _sized(tmp_path / "full.yaml", MAX_BYTES)
    with pytest.raises(FileProblems) as caught:
        read_documents([full])
    assert "larger than" not in str(caught.value)
