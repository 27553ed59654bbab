"""Preparing an import's values for the database, quickly.

Django prepares a value for its column with `Field.get_db_prep_save`, a chain of calls that is
cheap once but costs seconds over the millions of values of a large organization. For the
field types the interchange format uses, and values of the type the checked document holds
(strings, whole numbers, booleans, decimals, aware datetimes in UTC or moments in the text form
exports write, dates), most of that chain leaves the value as it is; `preparer` returns a
function that does only the part that changes something. Any other field or value goes
through Django's own path. A test holds the results to Django's on every column of a whole
document, on both databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

Prepare = Callable[[Any], Any]

TEXT = (models.CharField, models.TextField, models.EmailField, models.SlugField)
WHOLE = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)
KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField)


def _same_if(kind: type, slow: Prepare) -> Prepare:
    def prepare(value: Any) -> Any:
        return value if value is None or type(value) is kind else slow(value)

    return prepare


def is_utc_text(value: str) -> bool:
    """Whether a checked moment is written the way exports write it: UTC, six decimals,
    "Z" ("2026-02-16T08:00:00.000000Z")."""
    return (
        len(value) == 27
        and value[26] == "Z"
        and value[10] == "T"
        and value[19] == "."
        and value[4] == value[7] == "-"
        and value[13] == value[16] == ":"
    )


def preparer(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Prepare:
    """A function giving `field.get_db_prep_save(value, connection)` for a value of a
    checked document."""

    def slow(value: Any) -> Any:
        return field.get_db_prep_save(value, connection)

    kind = type(field)
    ops = connection.ops
    if kind in TEXT:
        return _same_if(str, slow)
    if kind is models.BooleanField:
        return _same_if(bool, slow)
    if kind in (models.ForeignKey, models.OneToOneField):
        target = field.target_field  # type: ignore[attr-defined]
        if type(target) in KEYS:
            return _same_if(int, slow)
        return slow
    if kind in WHOLE:
        internal = field.get_internal_type()
        adapt_whole = ops.adapt_integerfield_value

        def whole(value: Any) -> Any:
            if type(value) is int:
                return adapt_whole(value, internal)
            return None if value is None else slow(value)

        return whole
    if kind is models.DecimalField:
        adapt_decimal = ops.adapt_decimalfield_value
        digits = field.max_digits  # type: ignore[attr-defined]
        places = field.decimal_places  # type: ignore[attr-defined]

        def decimal(value: Any) -> Any:
            if type(value) is Decimal:
                return adapt_decimal(value, digits, places)
            return None if value is None else slow(value)

        return decimal
    if kind is models.DateTimeField:
        adapt_datetime = ops.adapt_datetimefield_value
        # SQLite stores a datetime as text, in UTC without an offset, when the connection's
        # time zone is UTC.
        as_text = connection.vendor == "sqlite" and settings.USE_TZ
        as_text = as_text and connection.timezone_name == "UTC"

        def datetime(value: Any) -> Any:
            if type(value) is str and is_utc_text(value):
                if as_text:  # Django's text leaves out a fraction of zero
                    fraction = value[19:26]
                    moment = f"{value[:10]} {value[11:19]}"
                    return moment if fraction == ".000000" else moment + fraction
                return adapt_datetime(dt.datetime.fromisoformat(value))
            if type(value) is dt.datetime and value.tzinfo is dt.UTC:
                # str() of a moment in UTC ends in "+00:00"; without it, it is the text
                # Django stores (with no fraction when there are no microseconds).
                return str(value)[:-6] if as_text else adapt_datetime(value)
            return None if value is None else slow(value)

        return datetime
    if kind is models.DateField:
        adapt_date = ops.adapt_datefield_value

        def date(value: Any) -> Any:
            if type(value) is dt.date:
                return adapt_date(value)
            return None if value is None else slow(value)

        return date
    return slow
