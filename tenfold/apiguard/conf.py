"""Settings of the API guard, each with a default so nothing has to be configured.

- ``API_RATE_LIMIT`` (600): requests per window for one token or one signed-in person;
  0 turns the limit off.
- ``API_RATE_LIMIT_WRITES`` (120): of those, requests that may change something (POST, PUT,
  PATCH, DELETE).
- ``API_RATE_LIMIT_ANONYMOUS`` (60): requests per window from one IP address that sends no
  valid token and has no session.
- ``API_RATE_LIMIT_WINDOW`` (60): the length of a window, in seconds.
- ``API_IDEMPOTENCY_TTL`` (86400): how long the answer to an ``Idempotency-Key`` is replayed,
  in seconds.
- ``API_IDEMPOTENCY_LOCK`` (300): after this many seconds a request that never finished (its
  server died) no longer blocks its key.
"""

from __future__ import annotations

from django.conf import settings


def _int(name: str, default: int) -> int:
    return max(int(getattr(settings, name, default)), 0)


def rate_limit() -> int:
    return _int("API_RATE_LIMIT", 600)


def rate_limit_writes() -> int:
    return _int("API_RATE_LIMIT_WRITES", 120)


def rate_limit_anonymous() -> int:
    return _int("API_RATE_LIMIT_ANONYMOUS", 60)


def rate_window() -> int:
    return max(_int("API_RATE_LIMIT_WINDOW", 60), 1)


def idempotency_ttl() -> int:
    return max(_int("API_IDEMPOTENCY_TTL", 24 * 60 * 60), 1)


def idempotency_lock() -> int:
    return max(_int("API_IDEMPOTENCY_LOCK", 5 * 60), 1)
