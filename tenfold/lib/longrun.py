"""Progress and cancellation for long imports and exports.

The work reports how far it is with ``progress.step(done, total, label)`` and calls
``progress.check()`` between units of work; ``check`` raises ``Cancelled`` once somebody asked
to stop. Work that raises ``Cancelled`` inside ``transaction.atomic()`` leaves nothing behind.

The command line passes a ``BarProgress`` (a bar on a terminal), the web's background jobs one
that stores the figures on their row and reads the cancel flag from it, tests ``Progress()``
(which does nothing).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Cancelled(Exception):
    """Somebody asked the work to stop."""


class Progress:
    """Reports nowhere and is never cancelled."""

    def step(self, done: int, total: int | None = None, label: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled

    def finish(self) -> None:
        pass


class BarProgress(Progress):
    """A one-line bar on a terminal (nothing when the stream is not a terminal), redrawn at
    most ten times a second. Ctrl-C cancels through KeyboardInterrupt as usual."""

    def __init__(self, stream: TextIO | None = None, *, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.shown = 0.0
        self.drawn = False

    def step(self, done: int, total: int | None = None, label: str = "") -> None:
        if not getattr(self.stream, "isatty", lambda: False)():
            return
        now = time.monotonic()
        if now - self.shown < 0.1 and (total is None or done < total):
            return
        self.shown = now
        if total:
            filled = min(self.width, round(self.width * done / total))
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r[{bar}] {done}/{total} {label}"
        else:
            text = f"\r{done} {label}"
        self.stream.write(text[:120].ljust(60))
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
