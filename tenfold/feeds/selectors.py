"""Reads of data feeds, and who may do what with them.

Everyone who sees a key result sees whether a feed fills it, when it last synced, the value and
any error. Setting a feed up, changing it, testing it, syncing it by hand, rotating its token and
deleting it are for the key result's owner, the leads of its unit (and the units above it) and
admins — the people answerable for the number. Viewers never may. Pushing a value through the
API is a check-in, so it follows the check-in rule.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

from django.http import Http404

from tenfold.lib.feeds import mask_connection
from tenfold.okrs.models import KeyResult
from tenfold.okrs.selectors import get_key_result
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access

from .models import DataSource, Kind

TOKEN_PREFIX = "tff_"  # nosec B105  # the public start of every push token, not a secret
"""Push tokens start with this, so a leaked one is easy to recognise (and to scan for)."""


def plain(number: Decimal) -> str:
    """A decimal as people write it: 40, 12.5 — never 40.0000 or 4E+1."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def can_configure(access: Access, key_result: KeyResult) -> bool:
    if not access.can_write:
        return False
    if access.is_admin or key_result.owner_id == access.user_id:
        return True
    unit_id = key_result.objective.unit_id
    return unit_id is not None and unit_id in access.led_unit_ids


def feed_of(key_result: KeyResult) -> DataSource | None:
    """The key result's feed (one query), or None."""
    source = (
        DataSource.objects.filter(key_result_id=key_result.pk).select_related("created_by").first()
    )
    if source is not None:
        source.key_result = key_result
    return source


def get_configurable(access: Access, code: str) -> KeyResult:
    """A key result the person may see (404 otherwise); whether they may configure its feed
    is for the caller to check with `can_configure`."""
    return get_key_result(access, code)


def source_for_token(token: str) -> DataSource | None:
    """The push feed a token opens, or None. Compared by digest: the token is never stored."""
    token = (token or "").strip()
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    return (
        DataSource.objects.filter(kind=Kind.PUSH, token_digest=digest(token))
        .select_related("organization", "key_result__objective__cycle", "created_by")
        .first()
    )


def author_of(source: DataSource) -> Any:
    """Who a fetched or pushed value is recorded as: the person who set the feed up, while they
    still belong to the organization; nobody otherwise (the check-in then shows no author, and
    its source says it came from an integration)."""
    user = source.created_by
    if user is None or not user.is_active:
        return None
    if not Membership.objects.filter(organization_id=source.organization_id, user=user).exists():
        return None
    return user


def require(source: DataSource | None) -> DataSource:
    if source is None:
        raise Http404
    return source


def _person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


def source_data(source: DataSource, *, token: str | None = None) -> dict[str, Any]:
    """A feed as the API and `tenfold feed show --json` give it. Secrets never appear: header
    values and passwords are left out, and the push token only when it was just made."""
    pull = source.is_pull
    return {
        "code": source.code,
        "key_result": source.key_result.code,
        "kind": source.kind,
        "enabled": source.enabled,
        "url": source.url if source.kind == Kind.URL else None,
        "format": source.format or None if source.kind == Kind.URL else None,
        "path": source.path if source.kind == Kind.URL else None,
        "csv_column": source.csv_column if source.kind == Kind.URL else None,
        "csv_row": source.csv_row if source.kind == Kind.URL else None,
        "csv_filter": source.csv_filter if source.kind == Kind.URL else None,
        "csv_header": source.csv_header if source.kind == Kind.URL else None,
        "header_names": sorted(source.headers or {}) if source.kind == Kind.URL else [],
        "connection": mask_connection(source.connection) if source.kind == Kind.SQL else None,
        "query": source.query if source.kind == Kind.SQL else None,
        "schedule": source.schedule if pull else None,
        "hour": source.schedule_hour if pull else None,
        "weekday": source.schedule_weekday if pull else None,
        "next_run_at": source.next_run_at if pull else None,
        "token_hint": f"{TOKEN_PREFIX}{source.token_prefix}…" if source.token_prefix else None,
        "token": token,
        "last_sync_at": source.last_sync_at,
        "last_value": None if source.last_value is None else Decimal(plain(source.last_value)),
        "last_status": source.last_status or None,
        "last_error": source.last_error or None,
        "last_recorded_at": source.last_recorded_at,
        "created_by": _person(source.created_by),
        "created_at": source.created_at,
        "updated_at": source.updated_at,
    }
