"""The transfers' part of the periodic tick: files and rows past their week are deleted, and
jobs that lost their worker are marked failed."""

from __future__ import annotations

import datetime as dt

from .services import purge_expired


def run_due(now: dt.datetime) -> int:
    return purge_expired(now)
