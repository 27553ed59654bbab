"""Writing audit events. Only services call this, inside their own transaction.

The log is append-only (see `AuditEvent`): this module writes events and never changes one.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

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


_recorded_at: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar(
    "audit_recorded_at", default=None
)


@contextlib.contextmanager
def recorded_at(at: dt.datetime) -> Iterator[None]:
    """Date every event written inside the block at `at` instead of now.

    For the demo and seed builders only, which make up a history that happened over weeks:
    they date each event as they write it, since an event cannot be changed afterwards.
    Blocks nest; the innermost time wins."""
    token = _recorded_at.set(at)
    try:
        yield
    finally:
        _recorded_at.reset(token)


def _event(
    *,
    organization: Organization | None,
    actor: Any,
    verb: str,
    obj: Any,
    changes: dict[str, Any] | None,
    objective_code: str,
    at: dt.datetime | None,
) -> AuditEvent:
    """Insert one event, dated `at`, else the time of an enclosing `recorded_at`, else now."""
    return AuditEvent.objects.create(
        organization=organization,
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        object_type=type(obj).__name__.lower(),
        object_code=getattr(obj, "code", ""),
        object_repr=str(obj)[:200],
        objective_code=objective_code,
        changes={key: _plain(value) for key, value in (changes or {}).items()},
        created_at=at or _recorded_at.get() or timezone.now(),
    )


def audit_record(
    *,
    organization: Organization,
    actor: Any,
    verb: str,
    obj: Any,
    changes: dict[str, Any] | None = None,
    objective_code: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Write one event in `organization`'s log: `actor` did `verb` to `obj`. `changes` holds
    {field: [before, after]} (see `diff`) or other facts worth keeping. `at` is for the demo
    and seed builders only (see `recorded_at`); everything else happens now."""
    return _event(
        organization=organization,
        actor=actor,
        verb=verb,
        obj=obj,
        changes=changes,
        objective_code=objective_code,
        at=at,
    )


def audit_record_site(
    *, actor: Any, verb: str, obj: Any, changes: dict[str, Any] | None = None
) -> AuditEvent:
    """Write one site-level event, one that belongs to no organization (the removal of an
    organization, whose own log goes with it)."""
    return _event(
        organization=None,
        actor=actor,
        verb=verb,
        obj=obj,
        changes=changes,
        objective_code="",
        at=None,
    )


ORGANIZATION_DELETED = "organization.deleted"


def record_organization_deletion(*, organization: Organization, actor: Any = None) -> AuditEvent:
    """Record, at site level, that `organization` is being deleted with its audit log.

    Runs for every deletion of an organization (see `receivers`), inside the deleting
    transaction: the record stays only if the deletion does. The paths that empty an
    organization's tables before deleting its row (sandboxes, synthetic benchmark
    organizations) end with that deletion too, so they are recorded the same way."""
    return audit_record_site(
        actor=actor,
        verb=ORGANIZATION_DELETED,
        obj=organization,
        changes={"slug": organization.slug, "name": organization.name},
    )
