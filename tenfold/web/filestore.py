"""Kept pages in files, as Django's file cache keeps them but without compressing them.

A kept page is read far more often than it is written, and every read of Django's file cache
decompresses the page: 0.56 ms for the tree's first screen at 10,000 people, a fifth of
what serving it costs otherwise. Uncompressed, a page takes about five times the disk space
(`TENFOLD_FRAGMENT_ENTRIES` files of tens to a few hundred kilobytes) and is read in tens of
microseconds. A file written in another format (by an older version, say) counts as absent.

Like Django's file cache, it unpickles what it wrote itself: `TENFOLD_FRAGMENT_DIR` must be
writable by the server's user alone, since whoever can write there can run code.
"""

from __future__ import annotations

import pickle  # nosec B403  # reads only the files this cache wrote (see above)
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class FragmentFiles(FileBasedCache):
    # Django's own helpers, which its type stubs leave out.
    def _file(self, key: Any, version: int | None) -> str:
        return str(self._key_to_file(key, version))  # type: ignore[attr-defined]

    def _expired(self, file: Any) -> bool:
        return bool(self._is_expired(file))  # type: ignore[attr-defined]

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            with open(self._file(key, version), "rb") as file:
                if not self._expired(file):
                    return pickle.loads(file.read())  # nosec B301  # this cache's own file
        except FileNotFoundError:
            pass
        except Exception:  # nosec B110  # a file in another format counts as absent
            pass
        return default

    def _write_content(self, file: Any, timeout: Any, value: Any) -> None:
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            with open(self._file(key, version), "r+b") as file:
                try:
                    locks.lock(file, locks.LOCK_EX)
                    if self._expired(file):
                        return False
                    value = pickle.loads(file.read())  # nosec B301  # this cache's own file
                    file.seek(0)
                    file.truncate()
                    self._write_content(file, timeout, value)
                    return True
                finally:
                    locks.unlock(file)
        except FileNotFoundError:
            return False
