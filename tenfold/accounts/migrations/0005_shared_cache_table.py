"""The table of the shared default cache (allauth's sign-in rate limits, see CACHES).

It is made whatever the cache settings say today, so switching from Redis back to the database
needs no extra step; Django's `createcachetable` would make the same table.
"""

from io import StringIO
from typing import Any

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "tenfold_cache"


def create_table(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Django's cache table, unless it is there already."""
    command = CreateCacheTable(stdout=StringIO())
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop_table(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Remove the cache table (its rows are only counts that expire anyway)."""
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_service_accounts"),
    ]

    operations = [migrations.RunPython(create_table, drop_table)]
