"""Django's PostgreSQL backend, storing every moment in UTC.

PostgreSQL accepts time-zone offsets up to ±15:59, Python up to ±23:59, so a moment written with
an unusual offset (an API client's `measured_at`, a cell of an imported file) would fail as a
database error instead of being stored. Every aware date-time is turned into UTC before it is
sent; one next to year 1 or 9999 that leaves the calendar once shifted is held at its edge.
Nothing else differs from the stock backend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.backends.postgresql import base, operations


def in_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        try:
            return value.astimezone(dt.UTC)
        except OverflowError:
            edge = dt.datetime.min if value.year < 5000 else dt.datetime.max
            return edge.replace(tzinfo=dt.UTC)
    return value


class DatabaseOperations(operations.DatabaseOperations):
    def adapt_datetimefield_value(self, value: Any) -> Any:
        return super().adapt_datetimefield_value(in_utc(value))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
