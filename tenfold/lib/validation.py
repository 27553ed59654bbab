"""Small helpers shared by services to build clear, per-field error messages."""

from __future__ import annotations

import functools
import zoneinfo
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError


class Errors:
    """Collects field errors so a service can report every problem at once, then raise."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = defaultdict(list)

    def add(self, field: str, message: Any) -> None:
        self.fields[field].append(str(message))

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError({key: list(value) for key, value in self.fields.items()})


def to_decimal(value: Any) -> Decimal | None:
    """A finite Decimal from user input, or None when it is not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def error_dict(error: ValidationError) -> dict[str, list[str]]:
    """The per-field messages of a ValidationError; non-field ones under "__all__"."""
    if hasattr(error, "error_dict"):
        return {
            key: [str(m) for e in value for m in e.messages]
            for key, value in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this system knows. Reading them walks the zone database on
    disk (tens of milliseconds), so it happens once per process."""
    return frozenset(zoneinfo.available_timezones())
