"""Coach fixtures: time frozen inside the test cycle."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield
