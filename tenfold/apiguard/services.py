"""Rate counting and idempotent replays of API requests. The state lives in the database, so
every server process in front of the same database shares it."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import conf
from .models import IdempotencyKey, RateCounter

# Answers worth replaying besides the body and its type: where a created thing lives, and the
# paging headers of a list.
REPLAYED_HEADERS = ("Location", "Link", "X-Total-Count", "Content-Disposition", "ETag")


# --- rate limits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """Where a caller stands in one bucket of the current window."""

    limit: int
    used: int
    reset_after: int  # seconds until the window ends

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def exceeded(self) -> bool:
        return self.used > self.limit


def _upsert_sql(rows: int) -> str:
    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    hits = quote("hits")
    values = ", ".join(["(%s, %s, 1, %s)"] * rows)
    # One statement per request: the row of this window is created or incremented atomically
    # (SQLite ≥ 3.35 and PostgreSQL both have ON CONFLICT … RETURNING), so concurrent servers
    # never lose a hit and no read-then-write race exists.
    return (
        f"INSERT INTO {table} ({quote('bucket')}, {quote('slot')}, {hits}, {quote('ends_at')}) "  # nosec B608  # quoted names; values bound
        f"VALUES {values} ON CONFLICT ({quote('bucket')}, {quote('slot')}) "
        f"DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {quote('bucket')}, {hits}"
    )


def rate_hit(*, limits: dict[str, int], now: dt.datetime | None = None) -> Budget | None:
    """Count one request in each bucket of ``limits`` (bucket name → allowed requests per
    window; 0 means no limit) and return the tightest budget, or None when none applies."""
    limits = {bucket: limit for bucket, limit in limits.items() if limit > 0}
    if not limits:
        return None
    now = now or timezone.now()
    window = conf.rate_window()
    epoch = now.timestamp()
    slot = int(epoch // window)
    ends = dt.datetime.fromtimestamp((slot + 1) * window, tz=dt.UTC)
    reset_after = max(math.ceil((slot + 1) * window - epoch), 1)
    # Stored the way the ORM stores it, so purge() compares like with like on every engine.
    ends_value = connection.ops.adapt_datetimefield_value(ends)
    params: list[Any] = []
    for bucket in limits:
        params += [bucket, slot, ends_value]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(len(limits)), params)
        used = dict(cursor.fetchall())
    budgets = [
        Budget(limit=limit, used=int(used[bucket]), reset_after=reset_after)
        for bucket, limit in limits.items()
    ]
    return min(budgets, key=lambda budget: (budget.remaining, budget.limit))


# --- idempotency --------------------------------------------------------------------------------


@dataclass
class Claim:
    """The outcome of presenting an idempotency key."""

    outcome: str  # "run" (go ahead), "replay", "mismatch" or "in_progress"
    row: IdempotencyKey


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def idempotency_claim(
    *,
    caller: str,
    method: str,
    path: str,
    key: str,
    request_digest: str,
    now: dt.datetime | None = None,
) -> Claim:
    """Claim ``key`` for this request, or say what to answer instead.

    The unique ``lookup`` decides between simultaneous first requests: exactly one INSERT
    succeeds; the others find its row and answer "in progress" (or replay it once it is
    done). A row whose request died without finishing stops blocking after the lock time."""
    now = now or timezone.now()
    lookup = _digest(caller, method, path, key)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    lookup=lookup,
                    caller=caller,
                    method=method,
                    path=path[:2000],
                    key=key,
                    request_digest=request_digest,
                    created_at=now,
                    locked_until=now + dt.timedelta(seconds=conf.idempotency_lock()),
                    expires_at=now + dt.timedelta(seconds=conf.idempotency_ttl()),
                )
            return Claim("run", row)
        except IntegrityError:
            row = IdempotencyKey.objects.filter(lookup=lookup).first()  # type: ignore[assignment]
            if row is None:  # purged or released in between: try again
                continue
        if row.expires_at <= now:
            IdempotencyKey.objects.filter(pk=row.pk, expires_at__lte=now).delete()
            continue
        if row.request_digest != request_digest:
            return Claim("mismatch", row)
        if row.status is not None:
            return Claim("replay", row)
        if row.locked_until > now:
            return Claim("in_progress", row)
        # The first request never finished (its process died): take its place, unless
        # another retry took it a moment ago.
        taken = IdempotencyKey.objects.filter(
            pk=row.pk, status__isnull=True, locked_until=row.locked_until
        ).update(locked_until=now + dt.timedelta(seconds=conf.idempotency_lock()))
        if taken:
            row.refresh_from_db()
            return Claim("run", row)
    return Claim("in_progress", row)


def idempotency_store(
    *, row: IdempotencyKey, status: int, content_type: str, headers: dict[str, str], body: bytes
) -> None:
    """Keep the answer to replay it."""
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status=status,
        content_type=content_type[:200],
        headers={name: value for name, value in headers.items() if name in REPLAYED_HEADERS},
        body=body,
    )


def idempotency_release(*, row: IdempotencyKey) -> None:
    """Forget a claim whose request failed on the server side: a retry runs it again."""
    IdempotencyKey.objects.filter(pk=row.pk, status__isnull=True).delete()


def purge(now: dt.datetime | None = None) -> int:
    """Delete expired idempotency keys and finished rate windows; returns how many rows."""
    now = now or timezone.now()
    keys, _ = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    counters, _ = RateCounter.objects.filter(ends_at__lte=now).delete()
    return keys + counters
