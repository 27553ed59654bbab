"""Writes of data feeds: setting one up, rotating its token, deleting it, and turning the values
it yields into check-ins.

**When a value becomes a check-in.** A sync or a push records a check-in (source
"integration") when the value differs from the key result's current value. When it is the same,
nothing is recorded and the feed notes "no change" — unless the key result's last check-in is
older than half its organization's staleness grace (5 days by default): then the unchanged
value is recorded again, so a feed that works but reads a flat number never lets the key result
go stale (METHOD §5: silence is never green, and a working feed is not silence).

**Who the check-in is by.** The person who set the feed up (`created_by`), while they belong to
the organization: they chose where the number comes from and answer for it, and it stays the
same when the key result changes hands. When they have left, the check-in has no author. A
value pushed through the authenticated API is by the caller.

Every failure of a pull is kept on the feed (`last_status`, `last_error`) and shown on the key
result; nothing else changes. A refused push changes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.checkins.models import CheckIn, Source
from tenfold.checkins.services import checkin_record
from tenfold.integrations import net
from tenfold.lib import feeds as rules
from tenfold.lib.feeds import FeedError
from tenfold.lib.validation import Errors, error_dict
from tenfold.okrs.models import TEXT_MAX, CycleState, KeyResult
from tenfold.okrs.models import DataSource as KeyResultSource
from tenfold.organizations.permissions import Access

from . import fetch
from .models import ERROR_MAX, URL_MAX, DataSource, Format, Kind, Schedule, SyncStatus
from .selectors import TOKEN_PREFIX, author_of, can_configure, digest, plain

FIELDS = (
    "url",
    "format",
    "path",
    "csv_column",
    "csv_row",
    "csv_filter",
    "csv_header",
    "headers",
    "connection",
    "query",
    "schedule",
    "schedule_hour",
    "schedule_weekday",
    "enabled",
)
"""What `source_set` and `source_test` take besides the kind. Left out (or None): keep what
the feed has, or the default for a new feed."""
URL_FIELDS = ("url", "format", "path", "csv_column", "csv_row", "csv_filter", "csv_header")
SQL_FIELDS = ("connection", "query")
WHAT = ("kind", "url", "format", "path", "csv_column", "csv_row", "csv_filter", "csv_header")
"""Changes that point the feed somewhere else, after which it should sync soon."""


@dataclass
class Outcome:
    """What a sync, a test or a push came to."""

    ok: bool
    message: str
    value: Decimal | None = None
    recorded: bool = False
    checkin: CheckIn | None = None


# --- checks -----------------------------------------------------------------------------------


def _require_configure(access: Access, key_result: KeyResult) -> None:
    if not can_configure(access, key_result):
        raise PermissionDenied(
            _("Only the key result's owner, the leads of its team and admins may set up its feed.")
        )


def _new_token() -> tuple[str, str, str]:
    """(token, prefix shown as a hint, digest stored)."""
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def _int(errors: Errors, field: str, value: Any, low: int, high: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.add(field, message)
        return low
    if not low <= number <= high:
        errors.add(field, message)
    return number


def _check(errors: Errors, access: Access, data: dict[str, Any], kind: str) -> None:
    """Validate and normalize a feed's fields for its kind, in place."""
    if kind not in Kind.values:
        errors.add("kind", _("Choose how the value arrives: push, url or sql."))
        return
    if kind == Kind.URL:
        url = str(data.get("url") or "").strip()
        if not url:
            errors.add("url", _("Give the address to fetch the value from."))
        elif len(url) > URL_MAX:
            errors.add("url", _("Keep the address under %(n)d characters.") % {"n": URL_MAX})
        else:
            try:
                net.check_url(url)
            except net.UnsafeTarget as error:
                errors.add("url", str(error))
        data["url"] = url
        fmt = str(data.get("format") or "").strip().lower()
        if fmt not in Format.values:
            errors.add("format", _("Choose the format of the answer: json or csv."))
        data["format"] = fmt
        data["path"] = str(data.get("path") or "").strip()
        data["csv_column"] = str(data.get("csv_column") or "").strip()
        data["csv_row"] = str(data.get("csv_row") or rules.ROW_LAST).strip().lower()
        data["csv_filter"] = str(data.get("csv_filter") or "").strip()
        data["csv_header"] = bool(data.get("csv_header", True))
        try:
            if fmt == Format.JSON:
                rules.parse_path(data["path"])
        except FeedError as error:
            errors.add("path", str(error))
        if fmt == Format.CSV:
            if not data["csv_column"]:
                errors.add("csv_column", _("Say which column holds the number."))
            elif len(data["csv_column"]) > 200:
                errors.add("csv_column", _("Keep the column under 200 characters."))
            for field, parse in (("csv_row", rules.parse_row), ("csv_filter", rules.parse_filter)):
                try:
                    parse(data[field])
                except FeedError as error:
                    errors.add(field, str(error))
            if len(data["csv_filter"]) > 300:
                errors.add("csv_filter", _("Keep the filter under 300 characters."))
        headers = data.get("headers") or {}
        if isinstance(headers, str):
            try:
                headers = rules.parse_headers(headers)
            except FeedError as error:
                errors.add("headers", str(error))
                headers = {}
        elif not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            errors.add("headers", _("Headers are names with text values."))
            headers = {}
        else:
            try:
                headers = rules.parse_headers("\n".join(f"{k}: {v}" for k, v in headers.items()))
            except FeedError as error:
                errors.add("headers", str(error))
        data["headers"] = headers
    if kind == Kind.SQL:
        connection = str(data.get("connection") or "").strip()
        if not connection:
            errors.add("connection", _("Give the connection string of the database."))
        else:
            try:
                engine = fetch.check_connection(connection)
            except FeedError as error:
                errors.add("connection", str(error))
            else:
                if engine == "sqlite" and not access.is_admin:
                    errors.add(
                        "connection",
                        _("Only admins may point a feed at a SQLite file on the server."),
                    )
        data["connection"] = connection
        try:
            data["query"] = rules.check_select(str(data.get("query") or ""))
        except FeedError as error:
            errors.add("query", str(error))
    if kind in (Kind.URL, Kind.SQL):
        schedule = str(data.get("schedule") or Schedule.DAILY)
        if schedule not in Schedule.values:
            errors.add("schedule", _("Choose hourly, daily or weekly."))
        data["schedule"] = schedule
        data["schedule_hour"] = _int(
            errors,
            "schedule_hour",
            data.get("schedule_hour", 6),
            0,
            23,
            _("The hour is a whole number from 0 to 23."),
        )
        data["schedule_weekday"] = _int(
            errors,
            "schedule_weekday",
            data.get("schedule_weekday", 0),
            0,
            6,
            _("The weekday is a number from 0 (Monday) to 6 (Sunday)."),
        )
    data["enabled"] = bool(data.get("enabled", True))


def _merged(source: DataSource | None, kind: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The fields of the feed after `changes`: what it has for those left out (None), unless the
    kind changes — then the old kind's settings, secrets first, are dropped."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    same = source is not None and source.kind == kind
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = changes.get(name)
        if value is None and same:
            value = getattr(source, name)
        if value is not None:
            data[name] = value
    return data


def _audit_view(data: dict[str, Any]) -> dict[str, Any]:
    """What the audit log keeps of a feed: everything but secrets."""
    shown = {k: v for k, v in data.items() if k not in ("headers", "connection")}
    if data.get("headers"):
        shown["header_names"] = sorted(data["headers"])
    if data.get("connection"):
        shown["connection"] = rules.mask_connection(data["connection"])
    return shown


def _set_key_result_source(key_result: KeyResult, kind: str | None) -> None:
    """Keep the key result's own "data source" field in step with its feed."""
    sources: dict[str | None, str] = {
        None: KeyResultSource.MANUAL,
        Kind.PUSH: KeyResultSource.PUSH,
        Kind.URL: KeyResultSource.PULL,
        Kind.SQL: KeyResultSource.PULL,
    }
    value = sources[kind]
    KeyResult.objects.filter(pk=key_result.pk).update(data_source=value)
    key_result.data_source = value


# --- setting up -------------------------------------------------------------------------------


@transaction.atomic
def source_set(
    *, access: Access, key_result: KeyResult, kind: str, **changes: Any
) -> tuple[DataSource, str | None]:
    """Create or change the feed of a key result. Returns the feed and, when a push token was
    made (a new push feed, or a switch to push), the token — shown once, never stored."""
    _require_configure(access, key_result)
    existing = (
        DataSource.objects.select_for_update(of=("self",))
        .filter(key_result_id=key_result.pk)
        .first()
    )
    kind = str(kind or "").strip().lower()
    data = _merged(existing, kind, changes)
    errors = Errors()
    cycle = key_result.objective.cycle
    if cycle.state == CycleState.CLOSED:
        errors.add(
            "__all__",
            _("The cycle “%(name)s” is closed: its numbers are final.") % {"name": cycle.name},
        )
    _check(errors, access, data, kind)
    errors.raise_if_any()
    before = _audit_view({n: getattr(existing, n) for n in ("kind", *FIELDS)}) if existing else {}
    source = existing or DataSource(
        organization=key_result.organization,
        key_result=key_result,
        created_by=access.membership.user,
    )
    was_kind, was_enabled = source.kind, source.enabled
    moved = existing is None or any(
        getattr(existing, name) != data.get(name, getattr(existing, name)) for name in WHAT[1:]
    )
    source.kind = kind
    blank = DataSource()
    for name in FIELDS:  # the other kinds' settings go back to their defaults
        setattr(source, name, data[name] if name in data else getattr(blank, name))
    token = None
    if kind == Kind.PUSH:
        if was_kind != Kind.PUSH or not source.token_digest:
            token, source.token_prefix, source.token_digest = _new_token()
        source.next_run_at = None
    else:
        source.token_prefix = source.token_digest = ""  # nosec B105  # clears the token
        timing = existing is not None and any(
            getattr(existing, name) != source_value
            for name, source_value in (
                ("schedule", source.schedule),
                ("schedule_hour", source.schedule_hour),
                ("schedule_weekday", source.schedule_weekday),
            )
        )
        if moved or was_kind != kind or timing or (source.enabled and not was_enabled):
            source.next_run_at = timezone.now()  # the next tick syncs it, then the schedule rules
    if was_kind != kind and existing is not None:
        # Pointed at a different system: what the old one said no longer describes this feed.
        source.last_status, source.last_error = SyncStatus.NEVER, ""
    source.save()
    _set_key_result_source(key_result, kind)
    after = _audit_view({n: getattr(source, n) for n in ("kind", *FIELDS)})
    audit_record(
        organization=key_result.organization,
        actor=access.membership.user,
        verb="feed.created" if existing is None else "feed.updated",
        obj=key_result,
        objective_code=key_result.objective.code,
        changes=after if existing is None else _changed(before, after),
    )
    return source, token


def _changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    from tenfold.audit.services import diff

    return diff(before, after)


@transaction.atomic
def token_rotate(*, access: Access, source: DataSource) -> str:
    """A new push token for the feed; the old one stops working at once."""
    _require_configure(access, source.key_result)
    locked = DataSource.objects.select_for_update(of=("self",)).get(pk=source.pk)
    if locked.kind != Kind.PUSH:
        raise ValidationError(_("Only push feeds have a token."))
    token, locked.token_prefix, locked.token_digest = _new_token()
    locked.save(update_fields=["token_prefix", "token_digest", "updated_at"])
    source.token_prefix, source.token_digest = locked.token_prefix, locked.token_digest
    audit_record(
        organization=source.organization,
        actor=access.membership.user,
        verb="feed.token_rotated",
        obj=source.key_result,
        objective_code=source.key_result.objective.code,
    )
    return token


@transaction.atomic
def source_delete(*, access: Access, key_result: KeyResult) -> bool:
    """Stop the key result's feed. Its check-ins stay in the history. False when there was no
    feed to delete."""
    _require_configure(access, key_result)
    source = DataSource.objects.filter(key_result_id=key_result.pk).first()
    if source is None:
        return False
    kind = source.kind
    source.delete()
    _set_key_result_source(key_result, None)
    audit_record(
        organization=key_result.organization,
        actor=access.membership.user,
        verb="feed.deleted",
        obj=key_result,
        objective_code=key_result.objective.code,
        changes={"kind": kind},
    )
    return True


def check_syncable(*, access: Access, source: DataSource) -> None:
    """Refuse a sync by hand to whoever may not configure the feed, and for push feeds."""
    _require_configure(access, source.key_result)
    if not source.is_pull:
        raise ValidationError(
            _("A push feed has nothing to fetch: its values arrive when they are sent.")
        )


def sync_request(*, access: Access, source: DataSource) -> None:
    """Ask for a sync now: the worker runs it (at once under TENFOLD_TASKS=immediate)."""
    check_syncable(access=access, source=source)
    from .tasks import sync_source

    source_id = source.pk
    transaction.on_commit(lambda: sync_source.enqueue(source_id))


# --- values -----------------------------------------------------------------------------------


def _heartbeat(source: DataSource) -> dt.timedelta:
    """How old the last check-in may get before an unchanged value is recorded again."""
    grace = source.organization.stale_days or 10
    return dt.timedelta(days=max(1, grace // 2))


def _store_value(
    source: DataSource, value: Decimal, *, by: Any, note: str = "", raise_refusal: bool
) -> Outcome:
    """Record `value` when it changes the key result (see the module note), and note the sync
    on the feed. Runs in the caller's transaction."""
    locked = DataSource.objects.select_for_update(of=("self",)).filter(pk=source.pk).first()
    if locked is None:
        return Outcome(False, _("The feed was deleted meanwhile."))
    kr = KeyResult.objects.only("id", "current", "last_checkin_at").get(pk=source.key_result_id)
    now = timezone.now()
    changed = kr.current is None or kr.current != value
    quiet = kr.last_checkin_at is None or now - kr.last_checkin_at >= _heartbeat(source)
    checkin = None
    if changed or quiet:
        try:
            with transaction.atomic():
                checkin = checkin_record(
                    key_result=source.key_result,
                    value=value,
                    by=by,
                    note=note,
                    source=Source.INTEGRATION,
                )
        except ValidationError as error:
            if raise_refusal:
                raise
            message = " ".join(m for ms in error_dict(error).values() for m in ms)
            _note_error(source, message, now=now)
            return Outcome(False, message, value=value)
    fields: dict[str, Any] = {
        "last_sync_at": now,
        "last_value": value,
        "last_status": SyncStatus.OK,
        "last_error": "",
    }
    if checkin is not None:
        fields["last_recorded_at"] = now
    DataSource.objects.filter(pk=source.pk).update(**fields)
    for name, field_value in fields.items():
        setattr(source, name, field_value)
    if checkin is not None:
        message = _("Recorded %(value)s.") % {"value": plain(value)}
    else:
        message = _("No change: the value is still %(value)s.") % {"value": plain(value)}
    return Outcome(True, message, value=value, recorded=checkin is not None, checkin=checkin)


def _note_error(source: DataSource, message: str, *, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    message = message[:ERROR_MAX]
    DataSource.objects.filter(pk=source.pk).update(
        last_sync_at=now, last_status=SyncStatus.ERROR, last_error=message
    )
    source.last_sync_at, source.last_status, source.last_error = now, SyncStatus.ERROR, message


def source_sync(*, source: DataSource) -> Outcome:
    """Fetch the feed's value now and record it (see the module note). The request or query
    runs outside any transaction (it may take seconds); only the outcome is written."""
    if not source.is_pull:
        return Outcome(False, _("A push feed has nothing to fetch."))
    try:
        value = fetch.read_value(source)
    except FeedError as error:
        _note_error(source, str(error))
        return Outcome(False, str(error))
    with transaction.atomic():
        return _store_value(source, value, by=author_of(source), raise_refusal=False)


def source_test(*, access: Access, key_result: KeyResult, kind: str, **changes: Any) -> Outcome:
    """Fetch the value the feed would record with these settings (or its saved ones), without
    saving or recording anything. Settings that are not valid raise ValidationError."""
    _require_configure(access, key_result)
    existing = DataSource.objects.filter(key_result_id=key_result.pk).first()
    kind = str(kind or (existing.kind if existing else "")).strip().lower()
    data = _merged(existing, kind, changes)
    errors = Errors()
    _check(errors, access, data, kind)
    errors.raise_if_any()
    if kind == Kind.PUSH:
        return Outcome(False, _("A push feed has nothing to fetch: send it a value to test it."))
    trial = DataSource(organization=key_result.organization, key_result=key_result, kind=kind)
    for name, value in data.items():
        setattr(trial, name, value)
    try:
        value = fetch.read_value(trial)
    except FeedError as error:
        return Outcome(False, str(error))
    return Outcome(
        True,
        _("The feed reads %(value)s. Nothing was recorded.") % {"value": plain(value)},
        value=value,
    )


def _pushed_value(raw: Any, note: Any) -> tuple[Decimal, str]:
    errors = Errors()
    value: Decimal | None = None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        errors.add("value", _('Send the value, e.g. {"value": 12.5}.'))
    else:
        try:
            value = rules.to_number(raw)
        except FeedError as error:
            errors.add("value", str(error))
    note = str(note or "").strip()
    if len(note) > TEXT_MAX:
        errors.add("note", _("Keep the note under %(n)d characters.") % {"n": TEXT_MAX})
    errors.raise_if_any()
    assert value is not None
    return value, note


@transaction.atomic
def value_push(*, source: DataSource, value: Any, note: Any = "", by: Any = None) -> Outcome:
    """A value sent to a push feed (with its token, or through the API by `by`). Refused
    values raise ValidationError and change nothing, on the feed included."""
    number, note = _pushed_value(value, note)
    if source.kind != Kind.PUSH:
        raise ValidationError(
            _("This key result's feed fetches its own values; only push feeds take values.")
        )
    if not source.enabled:
        raise ValidationError(_("This feed is paused: turn it on again to send values."))
    author = by if by is not None else author_of(source)
    return _store_value(source, number, by=author, note=note, raise_refusal=True)


def api_push(*, access: Access, source: DataSource, value: Any, note: Any = "") -> Outcome:
    """A push through the authenticated API: a check-in, so only for those who may check in."""
    kr = source.key_result
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied(_("You may not check in on this key result."))
    return value_push(source=source, value=value, note=note, by=access.membership.user)
