"""Hand-written SQL for the few reads every request makes.

Building a query through the ORM costs 0.1–0.7 ms of processor time before the database sees
it: more than the database then needs. A page served from the fragment cache
(`tenfold.web.fragments`) makes only a handful of reads (the session, the person, their
memberships, their units, the change counter, their audience), so on that path the building
is most of the request. These reads are written here once, in SQL that SQLite and PostgreSQL
both accept, and their rows become model instances the way the ORM's would: through each
field's database converters and `Model.from_db`.

It is also used where rows come by the thousand and their conversion was the cost (forecast
readings, `tenfold.checkins.selectors.standing_readings_of`). Everything else goes through
the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model


def fetch(sql: str, params: Sequence[Any] = (), using: str = "default") -> list[tuple[Any, ...]]:
    """All rows of one statement. Placeholders are `%s`, as everywhere in Django."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table(model: type[Model], using: str = "default") -> str:
    return connections[using].ops.quote_name(model._meta.db_table)


def _column_name(field: Any) -> str:
    name = getattr(field, "column", None)
    if not isinstance(name, str):
        raise TypeError(f"{field!r} is not a column")
    return name


def column(model: type[Model], name: str, alias: str = "", using: str = "default") -> str:
    quoted = connections[using].ops.quote_name(_column_name(model._meta.get_field(name)))
    return f"{alias}.{quoted}" if alias else quoted


def marks(values: Iterable[Any]) -> str:
    """`%s, %s, …` for an IN list (at least one value: callers skip empty lists)."""
    return ", ".join("%s" for _ in values)


class Loader[M: Model]:
    """Whole rows of one model: the select list to write, and instances from the values."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.pk_index = self.names.index(model._meta.pk.attname)
        self._converters: dict[str, list[tuple[int, list[Any], Any]]] = {}

    def columns(self, alias: str, using: str = "default") -> str:
        quote = connections[using].ops.quote_name
        return ", ".join(f"{alias}.{quote(_column_name(field))}" for field in self.fields)

    def width(self) -> int:
        return len(self.fields)

    def _converters_for(self, using: str) -> list[tuple[int, list[Any], Any]]:
        found = self._converters.get(using)
        if found is None:
            connection = connections[using]
            found = []
            for index, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                converters = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if converters:
                    found.append((index, converters, column))
            self._converters[using] = found
        return found

    def build(self, values: Sequence[Any], using: str = "default") -> M:
        row = list(values)
        connection = connections[using]
        for index, converters, column in self._converters_for(using):
            value = row[index]
            for converter in converters:
                value = converter(value, column, connection)
            row[index] = value
        return self.model.from_db(using, self.names, row)


class Joined[M: Model]:
    """Rows of one model with some of its foreign keys joined, like `select_related`:
    ``Joined(Objective, "cycle", "unit").first(where, params)`` where `where` is SQL over the
    alias `t0` (the model's own table). A name may go further through a foreign key named
    before it ("objective", then "objective__cycle")."""

    def __init__(self, model: type[M], *related: str) -> None:
        self.model = model
        self.own = Loader(model)
        # (path, the index of the link it hangs from (0: the model itself), the foreign key's
        # column there, the loader of the joined model)
        self.links: list[tuple[str, int, str, Loader[Any]]] = []
        index_of: dict[str, int] = {"": 0}
        models: dict[str, type[Model]] = {"": model}
        for path in related:
            above, _, name = path.rpartition("__")
            if above not in index_of:
                raise ValueError(f"{path!r}: join {above!r} first")
            field = models[above]._meta.get_field(name)
            target = field.related_model
            assert isinstance(target, type) and issubclass(target, Model)
            self.links.append((path, index_of[above], _column_name(field), Loader(target)))
            index_of[path] = len(self.links)
            models[path] = target
        self._sql: dict[str, str] = {}

    def _select(self, using: str) -> str:
        found = self._sql.get(using)
        if found is None:
            quote = connections[using].ops.quote_name
            columns = [self.own.columns("t0", using)]
            joins = []
            for index, (_path, above, own_column, loader) in enumerate(self.links, start=1):
                columns.append(loader.columns(f"t{index}", using))
                target = loader.model
                key = _column_name(target._meta.pk)
                joins.append(
                    f" LEFT JOIN {table(target, using)} t{index}"
                    f" ON t{index}.{quote(key)} = t{above}.{quote(own_column)}"
                )
            found = (
                f"SELECT {', '.join(columns)} FROM {table(self.model, using)} t0{''.join(joins)}"  # nosec B608  # quoted names
            )
            self._sql[using] = found
        return found

    def all(self, where: str, params: Sequence[Any], using: str = "default") -> list[M]:
        rows = fetch(f"{self._select(using)} WHERE {where}", params, using)
        found = []
        for row in rows:
            start = self.own.width()
            instance = self.own.build(row[:start], using)
            built: list[Model | None] = [instance]
            for path, above, _column, loader in self.links:
                values = row[start : start + loader.width()]
                start += loader.width()
                # A foreign key left empty joins nothing: every column of its part is NULL.
                joined = values[loader.pk_index] is not None
                part = loader.build(values, using) if joined else None
                parent = built[above]
                if parent is not None:
                    setattr(parent, path.rpartition("__")[2], part)
                built.append(part)
            found.append(instance)
        return found

    def first(self, where: str, params: Sequence[Any], using: str = "default") -> M | None:
        """The one row of a lookup by a unique key, or None."""
        found = self.all(where, params, using)
        return found[0] if found else None
