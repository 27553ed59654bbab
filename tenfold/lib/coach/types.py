"""The coach's inputs and outputs: plain dataclasses, so forms, pages, the CLI and the API can
all build them from whatever they hold (a form's cleaned data, model rows, a text file)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    PROBLEM = "problem"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.PROBLEM: 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    why: str
    suggestion: str
    rewrite: str = ""
    field: str = "title"
    subject: str = ""


@dataclass
class KeyResultText:
    title: str
    kind: str | None = None
    start: Decimal | None = None
    target: Decimal | None = None
    unit: str = ""
    has_owner: bool | None = None
    aspirational: bool = False


@dataclass
class ObjectiveText:
    title: str
    description: str = ""
    level: str = "team"
    type: str = "committed"
    has_owner: bool | None = None
    key_results: list[KeyResultText] | None = None
    aligned: bool | None = None
    parent_key_results: list[str] = field(default_factory=list)
    kpi_targets: list[str] = field(default_factory=list)


@dataclass
class Context:
    first_cycle: bool = False
    max_objectives: int = 5
    recommended_objectives: int = 3
    title_max: int = 70
    min_key_results: int = 3
    max_key_results: int = 5
