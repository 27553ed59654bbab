"""Writing audit events. Only services call this, inside their own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from tenfold.organizations.models import Organization

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Positional notation: normalize() alone turns 100 into "1E+2".
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]}."""
    return {
        key: [_plain(before.get(key)), _plain(after[key])]
        for key in after
        if _plain(before.get(key)) != _plain(after[key])
    }


def audit_record(
    *,
    organization: Organization,
    actor: Any,
    verb: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
    objective_code: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_code=getattr(obj, "code", ""),
        object_repr=str(obj)[:200],
        objective_code=objective_code,
        changes={key: _plain(value) for key, value in (changes or {}).items()},
    )
