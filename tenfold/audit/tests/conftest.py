"""The permission matrix's personas and world, for the audit test of every route (built once
per test module, like there), and the figures that test prints after the session's summary."""

from __future__ import annotations

import sys
from typing import Any

from tenfold.web.tests.test_permission_matrix import personas, shared, world

__all__ = ["personas", "shared", "world"]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    module = sys.modules.get("tenfold.audit.tests.test_every_write_is_audited")
    counts = getattr(module, "FIGURES", None)
    if not counts or not counts["checked"] + counts["exempted"]:
        return
    terminalreporter.write_line(
        f"audit log: {counts['checked']} mutating routes checked, {counts['exempted']} "
        f"exempted, {counts['events']} events verified; {counts['other methods']} other "
        "methods on pages checked to write nothing"
    )
