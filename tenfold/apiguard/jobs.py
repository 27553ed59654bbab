"""The API guard's part of the periodic tick (``tenfold.notifications.tick``)."""

from __future__ import annotations

import datetime as dt

from .services import purge


def run_due(now: dt.datetime) -> int:
    """Drop expired idempotency keys and finished rate-limit windows."""
    return purge(now)
