"""Loading many rows at once: the plain indexes of the tables being filled are dropped while
they are loaded and built again at the end, in the same transaction. One sorted build costs
much less than millions of scattered inserts into each index, and because both steps are
part of the transaction, an error or a cancel leaves the database as it was. Unique indexes
stay: they are the database's own check of the rows."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from django.db import connection


def plain_indexes(table_names: Sequence[str]) -> list[tuple[str, str]]:
    """(name, definition) of the non-unique indexes of these tables."""
    if not table_names:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY 1",
                [list(table_names)],
            )
        else:
            marks = ", ".join(["%s"] * len(table_names))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "  # nosec B608  # placeholders only
                f"AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks}) ORDER BY name",
                list(table_names),
            )
        return list(cursor.fetchall())


@contextlib.contextmanager
def indexes_built_at_the_end(table_names: Sequence[str]) -> Iterator[None]:
    """Drop the plain indexes of `table_names` for the block and build them again after it
    (not when it fails: the transaction around it is rolled back anyway)."""
    indexes = plain_indexes(table_names)
    # PostgreSQL names come back already quoted where they need to be.
    quote = (lambda name: name) if connection.vendor == "postgresql" else connection.ops.quote_name
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
