"""Trigram indexes for quick search on PostgreSQL (`tenfold.okrs.search`).

Quick search looks for words anywhere in objective and key-result titles, ignoring case:
`UPPER(title) LIKE UPPER('%word%')`. No B-tree index can answer that, so without these every
search read all of an organization's key results: at 10,000 people (42,471 key results) that
was 40 of the 48 ms of the key-result query. A GIN index of the titles' trigrams (pg_trgm)
answers it in 1–5 ms for words of three letters or more.

pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13 and later), so the
owner of the database may create it. Where it cannot be created (an older server, a role
without the right, a managed service that leaves it out), the migration goes on without the
indexes and the search keeps reading every title: slower, never wrong. SQLite has no such
index; there the titles are read from the table, which is quick at that size.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

log = logging.getLogger(__name__)

# The expression must be the one Django's `icontains` writes, for the planner to use the index.
INDEXES = (
    ("okrs_keyresult_title_trgm", "KeyResult"),
    ("okrs_objective_title_trgm", "Objective"),
)


def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as error:
        log.warning("pg_trgm is not available (%s): quick search reads every title.", error)
        return
    quote = schema_editor.quote_name
    for name, model in INDEXES:
        table = apps.get_model("okrs", model)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)}"
            f" USING gin (UPPER({quote('title')}::text) gin_trgm_ops)"
        )


def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Drop the indexes; the extension stays (something else may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _model in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("okrs", "0003_objective_restricted_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
