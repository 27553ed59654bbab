"""The site part of a JSON backup: the tables a whole-site restore needs besides the
organizations' interchange documents.

The interchange format carries one organization and deliberately leaves out accounts'
credentials and the integrations' settings and secrets (`tenfold.interchange.spec.LEFT_OUT`):
right for handing an organization to someone else, wrong for bringing a site back. A backup
adds them here, every stored column of every row, with references written as the row's public
code, a person's email address, a group's name or a permission's app, model and codename,
never a primary key.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import DataError, IntegrityError, connection, models
from django.utils.dateparse import parse_duration
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from tenfold.interchange.exporting import iso_datetime

from .files import BackupError

ACCOUNT_TABLES = (
    "accounts.User",
    "auth.Group",
    "auth.Group_permissions",
    "accounts.User_groups",
    "accounts.User_user_permissions",
    "account.EmailAddress",
)
"""Written before the organizations, whose documents name people by email address: the
import finds these accounts, with their password hashes, and uses them."""

ORGANIZATION_TABLES = (
    "accounts.ApiToken",
    "integrations.AllowedHost",
    "webhooks.Webhook",
    "webhooks.WebhookDelivery",
    "chat.ChatChannel",
    "chat.AlertState",
    "calendars.CalendarKey",
    "feeds.DataSource",
    "notifications.Delivery",
    "digests.DigestRun",
    "mailin.InboundMessage",
    "adoption.Sandbox",
    "audit.AuditEvent",
)
"""Written after the organizations, in this order (a webhook before its deliveries). API
tokens (their digests), webhook and chat addresses and secrets, calendar keys and data-feed
credentials keep working after a restore; the delivery logs keep every reminder, digest and
webhook from being sent twice."""

PARTIAL = {"audit.AuditEvent": {"organization__isnull": True}}
"""Tables whose rows travel in the organizations' documents: the site part holds only the
rows that belong to no organization (site-level audit events, such as the removal of an
organization), where the model allows them."""

NOT_KEPT = {
    "organizations.ChangeCounter": "the version kept pages are filed under; starts afresh",
    "notifications.Heartbeat": "when the worker's jobs last ran; the worker writes it again",
    "apiguard.IdempotencyKey": "API replay records, kept for a day",
    "apiguard.RateCounter": "API rate-limit counters, kept for minutes",
    "transfers.Transfer": "background export and import jobs, whose files expire",
    "organizations.Invitation": "invitations waiting for an answer: their links' secrets were "
    "only in the emails; invite again after a restore",
    "organizations.Invitation_units": "the units of those invitations",
    "accounts.SingleSignOn": "single sign-on settings, which hold the identity provider's "
    "client secret: an admin enters them again after a restore",
}
"""Tables of the project that a JSON backup leaves out, and why."""

TABLES = ACCOUNT_TABLES + ORGANIZATION_TABLES


def model_of(label: str) -> type[models.Model]:
    app_label, name = label.split(".")
    return apps.get_model(app_label, name)


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """Every stored column of the model but an automatic primary key."""
    return [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]


# --- references -----------------------------------------------------------------------------


def reference_kind(model: type[models.Model]) -> str:
    """How a row of `model` is named in a backup: "email", "name", "permission" or "code"."""
    label = model._meta.label
    if label == settings.AUTH_USER_MODEL:
        return "email"
    if label == "auth.Group":
        return "name"
    if label == "auth.Permission":
        return "permission"
    try:
        code = model._meta.get_field("code")
    except FieldDoesNotExist:
        code = None
    if code is not None and getattr(code, "unique", False):
        return "code"
    raise LookupError(f"{label} has no public name a backup could refer to it by")


def _natural_names(model: type[models.Model], ids: set[Any]) -> dict[Any, Any]:
    """The names (see `reference_kind`) of the rows of `model` with these primary keys."""
    kind = reference_kind(model)
    manager = model._base_manager
    found: dict[Any, Any] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        if kind == "permission":
            rows = manager.filter(pk__in=chunk).values_list(
                "pk", "content_type__app_label", "content_type__model", "codename"
            )
            found.update((pk, [app, name, codename]) for pk, app, name, codename in rows)
        else:
            field = "email" if kind == "email" else kind
            found.update(manager.filter(pk__in=chunk).values_list("pk", field))
    return found


def _primary_keys(model: type[models.Model], names: set[Any]) -> dict[Any, Any]:
    """The primary keys of the rows of `model` with these names (see `reference_kind`)."""
    kind = reference_kind(model)
    manager = model._base_manager
    if kind == "permission":
        rows = manager.values_list(
            "pk", "content_type__app_label", "content_type__model", "codename"
        )
        return {(app, name, codename): pk for pk, app, name, codename in rows}
    wanted = sorted(names)
    found: dict[Any, Any] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        if kind == "email":
            rows = manager.filter(email__in=chunk).values_list("email", "pk")
            found.update((email.lower(), pk) for email, pk in rows)
        else:
            found.update(manager.filter(**{f"{kind}__in": chunk}).values_list(kind, "pk"))
    return found


def _name_key(kind: str, value: Any) -> Any:
    """A reference as the key `_primary_keys` files it under."""
    if kind == "permission":
        return tuple(value)
    if kind == "email":
        return value.lower()
    return value


# --- values ---------------------------------------------------------------------------------


def encode(field: models.Field[Any, Any], value: Any) -> Any:
    """A column's value as JSON."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return iso_datetime(value)
    if isinstance(field, (models.DateField, models.TimeField)):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        return format(value, "f")
    if isinstance(field, models.DurationField):
        return duration_iso_string(value)
    if isinstance(field, models.UUIDField):
        return str(value)
    if isinstance(field, models.BinaryField):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _decode_datetime(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment


def _decode_duration(value: Any) -> dt.timedelta:
    duration = parse_duration(value)
    if duration is None:
        raise ValueError(value)
    return duration


def _decoder(field: models.Field[Any, Any]) -> Any:
    """A function turning the JSON of a column back into its Python value (raising
    ValueError or TypeError on a value of the wrong kind)."""
    if isinstance(field, models.DateTimeField):
        return _decode_datetime
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat
    if isinstance(field, models.TimeField):
        return dt.time.fromisoformat
    if isinstance(field, models.DecimalField):
        return Decimal
    if isinstance(field, models.DurationField):
        return _decode_duration
    if isinstance(field, models.UUIDField):
        return uuid.UUID
    if isinstance(field, models.BinaryField):
        return lambda value: base64.b64decode(value, validate=True)
    if isinstance(field, models.BooleanField):
        return _exactly(bool)
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return _exactly(int)
    if isinstance(field, (models.CharField, models.TextField)):
        return _exactly(str)
    return lambda value: value


def _exactly(kind: type) -> Any:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(value)
        return value

    return check


# --- writing a backup's tables --------------------------------------------------------------


def dump_table(label: str) -> list[dict[str, Any]]:
    """Every row of the table, oldest first, as JSON-ready dictionaries."""
    model = model_of(label)
    fields = columns(model)
    manager = model._base_manager.filter(**_partial(model, label)).order_by("pk")
    rows = list(manager.values_list(*(field.attname for field in fields)))
    names: dict[str, dict[Any, Any]] = {}
    for position, field in enumerate(fields):
        if field.is_relation:
            ids = {row[position] for row in rows} - {None}
            names[field.name] = _natural_names(field.related_model, ids)  # type: ignore[arg-type]
    dumped: list[dict[str, Any]] = []
    for row in rows:
        item: dict[str, Any] = {}
        for field, value in zip(fields, row, strict=True):
            if field.is_relation:
                item[field.name] = None if value is None else names[field.name][value]
            else:
                item[field.name] = encode(field, value)
        dumped.append(item)
    return dumped


def _partial(model: type[models.Model], label: str) -> dict[str, Any]:
    """The filter of a partial table; none of its rows while its model has no place for
    them (a foreign key that cannot be empty)."""
    wanted = PARTIAL.get(label)
    if wanted is None:
        return {}
    for lookup in wanted:
        if not model._meta.get_field(lookup.split("__")[0]).null:
            return {"pk__in": []}
    return wanted


def dump_tables(labels: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    return {label: dump_table(label) for label in labels}


# --- reading and restoring ------------------------------------------------------------------


def _where(member: str, label: str, index: int | None = None, column: str = "") -> str:
    where = f"{member}: {label}"
    if index is not None:
        where += f"[{index}]"
    return f"{where}.{column}" if column else where


def decode_tables(data: Any, member: str) -> dict[str, list[dict[str, Any]]]:
    """The site tables of a backup, checked and turned back into Python values (references
    stay names until `restore_table`); raises `BackupError` naming the first bad value."""
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise BackupError(_("%(member)s has no tables.") % {"member": member})
    tables = data["tables"]
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise BackupError(
            _("%(member)s holds a table this Tenfold does not know: %(table)s.")
            % {"member": member, "table": unknown[0]}
        )
    decoded: dict[str, list[dict[str, Any]]] = {}
    for label in TABLES:
        rows = tables.get(label, [])
        if not isinstance(rows, list):
            raise BackupError(_("%(where)s is not a list.") % {"where": _where(member, label)})
        decoded[label] = list(_decode_rows(member, label, rows))
    return decoded


def _decode_rows(member: str, label: str, rows: list[Any]) -> Iterator[dict[str, Any]]:
    """Check and decode rows. A column this Tenfold added since the backup was made takes
    its default when it has one; a column it does not know is refused."""
    fields = columns(model_of(label))
    expected = {field.name for field in fields}
    optional = {
        field.name: field.get_default()
        for field in fields
        if field.has_default() or (field.null and not field.is_relation)
    }
    decoders = {field.name: (None if field.is_relation else _decoder(field)) for field in fields}
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not set(row) <= expected:
            raise BackupError(
                _("%(where)s does not have the columns of this Tenfold's table.")
                % {"where": _where(member, label, index)}
            )
        missing = expected - set(row)
        if not missing <= set(optional):
            raise BackupError(
                _("%(where)s has no value for %(column)s.")
                % {"where": _where(member, label, index), "column": sorted(missing)[0]}
            )
        item: dict[str, Any] = {name: optional[name] for name in missing}
        for name, value in row.items():
            decode = decoders[name]
            try:
                item[name] = value if decode is None or value is None else decode(value)
            except (ValueError, TypeError, ArithmeticError, InvalidOperation):
                raise BackupError(
                    _("%(where)s: %(value)r is not a valid value.")
                    % {"where": _where(member, label, index, name), "value": value}
                ) from None
        yield item


def account_emails(tables: dict[str, list[dict[str, Any]]]) -> list[str]:
    return [row["email"].lower() for row in tables.get(settings.AUTH_USER_MODEL, [])]


def restore_table(label: str, rows: list[dict[str, Any]], member: str) -> int:
    """Insert the rows as they are (no `auto_now` stamping, no signals), references looked up
    by name; raises `BackupError` for a reference to a row that is not here or a row the
    database refuses. Returns the number of rows written."""
    if not rows:
        return 0
    model = model_of(label)
    fields = columns(model)
    keys: dict[str, dict[Any, Any]] = {}
    for field in fields:
        if field.is_relation:
            target: Any = field.related_model
            kind = reference_kind(target)
            names = {
                _name_key(kind, row[field.name]) for row in rows if row[field.name] is not None
            }
            keys[field.name] = _primary_keys(target, names)
    params: list[list[Any]] = []
    for index, row in enumerate(rows):
        values: list[Any] = []
        for field in fields:
            value = row[field.name]
            if field.is_relation and value is not None:
                kind = reference_kind(field.related_model)  # type: ignore[arg-type]
                found = keys[field.name].get(_name_key(kind, value))
                if found is None:
                    raise BackupError(
                        _("%(where)s: %(value)s is not in the backup.")
                        % {"where": _where(member, label, index, field.name), "value": value}
                    )
                value = found
            elif field.name == "email" and label == settings.AUTH_USER_MODEL:
                # The interchange import finds people by their address in lower case.
                value = value.lower()
            values.append(field.get_db_prep_save(value, connection))
        params.append(values)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # names from the model, values bound
        quote(model._meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    try:
        with connection.cursor() as cursor:
            for start in range(0, len(params), 1000):
                cursor.executemany(sql, params[start : start + 1000])
    except (IntegrityError, DataError) as error:
        raise BackupError(
            _("%(where)s: the database refused a row: %(error)s")
            % {"where": _where(member, label), "error": str(error).strip().splitlines()[0]}
        ) from error
    return len(rows)
