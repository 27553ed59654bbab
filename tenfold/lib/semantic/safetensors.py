"""Read tensors from a `.safetensors` file with NumPy alone.

The layout is small enough to read by hand: eight bytes holding the header's length as an
unsigned little-endian integer, then that many bytes of JSON naming each tensor's dtype, shape
and byte range (relative to the end of the header), then the raw little-endian data. Mapping the
file instead of reading it lets the big embedding table stay on disk until rows are used.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

# Only the dtypes a BERT checkpoint uses, plus the common neighbours; all little-endian.
DTYPES: dict[str, str] = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "I8": "i1",
    "U8": "u1",
    "BOOL": "?",
}

# A header is a few kilobytes for real models; anything far bigger is a damaged or hostile file.
MAX_HEADER_BYTES = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """The file is not a readable safetensors file."""


class SafetensorsFile(Mapping[str, "np.ndarray[Any, Any]"]):
    """A read-only mapping from tensor name to a NumPy array backed by the mapped file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with self.path.open("rb") as handle:
            prefix = handle.read(8)
            if len(prefix) != 8:
                raise SafetensorsError(f"{self.path}: too short to hold a header length")
            (header_len,) = struct.unpack("<Q", prefix)
            if header_len > MAX_HEADER_BYTES:
                raise SafetensorsError(f"{self.path}: header length {header_len} is implausible")
            raw = handle.read(header_len)
        if len(raw) != header_len:
            raise SafetensorsError(f"{self.path}: header is cut short")
        try:
            header = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SafetensorsError(f"{self.path}: header is not JSON ({exc})") from exc
        if not isinstance(header, dict):
            raise SafetensorsError(f"{self.path}: header is not a JSON object")
        self.metadata: dict[str, str] = header.pop("__metadata__", None) or {}
        self._data_start = 8 + header_len
        total = self.path.stat().st_size - self._data_start
        self._entries: dict[str, tuple[str, tuple[int, ...], int, int]] = {}
        for name, info in header.items():
            self._entries[name] = self._check_entry(name, info, total)
        self._buffer: np.memmap[Any, Any] | None = None

    def _check_entry(
        self, name: str, info: Any, total: int
    ) -> tuple[str, tuple[int, ...], int, int]:
        try:
            dtype = DTYPES[info["dtype"]]
            shape = tuple(int(n) for n in info["shape"])
            begin, end = (int(n) for n in info["data_offsets"])
        except (KeyError, TypeError, ValueError) as exc:
            raise SafetensorsError(f"{self.path}: bad header entry for {name!r}") from exc
        count = 1
        for n in shape:
            if n < 0:
                raise SafetensorsError(f"{self.path}: negative dimension in {name!r}")
            count *= n
        if not 0 <= begin <= end <= total or end - begin != count * np.dtype(dtype).itemsize:
            raise SafetensorsError(f"{self.path}: byte range of {name!r} does not fit its shape")
        return dtype, shape, begin, end

    def _data(self) -> np.memmap[Any, Any]:
        if self._buffer is None:
            self._buffer = np.memmap(self.path, dtype=np.uint8, mode="r", offset=self._data_start)
        return self._buffer

    def __getitem__(self, name: str) -> np.ndarray[Any, Any]:
        dtype, shape, begin, end = self._entries[name]
        if begin == end:
            return np.zeros(shape, dtype=dtype)
        return np.frombuffer(
            self._data(), dtype=dtype, count=(end - begin) // np.dtype(dtype).itemsize, offset=begin
        ).reshape(shape)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def shape(self, name: str) -> tuple[int, ...]:
        return self._entries[name][1]


def write(path: str | Path, tensors: Mapping[str, np.ndarray[Any, Any]]) -> None:
    """Write tensors in the same layout; used by tests to build small files by hand."""
    codes = {np.dtype(v): k for k, v in DTYPES.items()}
    header: dict[str, Any] = {}
    chunks: list[bytes] = []
    offset = 0
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype=np.dtype(array.dtype).newbyteorder("<"))
        blob = data.tobytes()
        header[name] = {
            "dtype": codes[np.dtype(array.dtype).newbyteorder("<")],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        chunks.append(blob)
        offset += len(blob)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)  # keep the data aligned, as the format recommends
    with Path(path).open("wb") as handle:
        handle.write(struct.pack("<Q", len(encoded)))
        handle.write(encoded)
        for blob in chunks:
            handle.write(blob)
