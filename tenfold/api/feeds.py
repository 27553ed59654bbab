"""API endpoints for key-result data feeds: read, set and delete a key result's feed, test it,
sync it now, rotate its push token, and push a value.

Like the rest of the API: a scoped fetch, the access rules of `tenfold.feeds.selectors` (the
same as the web pages), a call to a service in `tenfold.feeds.services`, and the answer.
Secrets go in and never come out: header values and database passwords are never returned, and
a push token only in the answer that made it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.feeds import services
from tenfold.feeds.models import DataSource
from tenfold.feeds.selectors import can_configure, feed_of, source_data
from tenfold.okrs.models import KeyResult
from tenfold.okrs.selectors import get_key_result
from tenfold.organizations.permissions import Access

from .schemas import ErrorOut, PersonOut
from .views import scoped

router: Router = Router(tags=["Key-result data feeds"])

ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class FeedOut(Schema):
    code: str
    key_result: str = Field(description="The key result's code")
    kind: str = Field(description="push, url or sql")
    enabled: bool
    url: str | None = Field(description="url feeds: the address fetched")
    format: str | None = Field(description="url feeds: json or csv")
    path: str | None = Field(description="JSON: the path to the number, e.g. data.items[0].value")
    csv_column: str | None = Field(description="CSV: column name, or position counting from 1")
    csv_row: str | None = Field(description="CSV: last, first, or a row number from 1")
    csv_filter: str | None = Field(description="CSV: only rows where column=value")
    csv_header: bool | None = Field(description="CSV: whether the first row holds the names")
    header_names: list[str] = Field(description="Names of the headers sent; values never shown")
    connection: str | None = Field(description="sql feeds: the connection, password masked")
    query: str | None = Field(description="sql feeds: the SELECT that is run")
    schedule: str | None = Field(description="Pulls: hourly, daily or weekly")
    hour: int | None = Field(description="Pulls: hour of a daily or weekly sync, 0–23, local")
    weekday: int | None = Field(description="Weekly pulls: 0 = Monday … 6 = Sunday")
    next_run_at: dt.datetime | None
    token_hint: str | None = Field(description="Push feeds: the start of the token")
    token: str | None = Field(
        description="Push feeds: the whole token, only in the answer that made it"
    )
    last_sync_at: dt.datetime | None
    last_value: Decimal | None
    last_status: str | None = Field(description="ok or error; null before the first sync")
    last_error: str | None
    last_recorded_at: dt.datetime | None = Field(description="When a value last became a check-in")
    created_by: PersonOut | None = Field(description="Who set the feed up; check-ins are theirs")
    created_at: dt.datetime
    updated_at: dt.datetime


class FeedIn(Schema):
    kind: str = Field(description="push, url or sql")
    enabled: bool | None = None
    url: str | None = None
    format: str | None = Field(None, description="json or csv")
    path: str | None = None
    csv_column: str | None = None
    csv_row: str | None = None
    csv_filter: str | None = None
    csv_header: bool | None = None
    headers: dict[str, str] | None = Field(
        None, description="Headers to send (replaces the saved ones); leave out to keep them"
    )
    connection: str | None = Field(
        None, description="sql: the connection string; leave out to keep the saved one"
    )
    query: str | None = None
    schedule: str | None = Field(None, description="hourly, daily or weekly (default daily)")
    hour: int | None = Field(None, description="0–23 in the organization's time zone")
    weekday: int | None = Field(None, description="0 = Monday … 6 = Sunday")

    def changes(self) -> dict[str, Any]:
        data = self.model_dump(exclude={"kind", "hour", "weekday"})
        data["schedule_hour"], data["schedule_weekday"] = self.hour, self.weekday
        return data


class TestIn(Schema):
    kind: str | None = Field(None, description="Test these settings; leave out for the saved feed")
    enabled: bool | None = None
    url: str | None = None
    format: str | None = None
    path: str | None = None
    csv_column: str | None = None
    csv_row: str | None = None
    csv_filter: str | None = None
    csv_header: bool | None = None
    headers: dict[str, str] | None = None
    connection: str | None = None
    query: str | None = None


class OutcomeOut(Schema):
    ok: bool = Field(description="Whether a value was read")
    message: str
    value: Decimal | None
    recorded: bool = Field(description="Whether the value became a check-in")
    checkin: str | None = Field(description="The check-in's code, when one was recorded")


class SyncOut(OutcomeOut):
    feed: FeedOut


class PushIn(Schema):
    value: str | int | float = Field(description='The number, e.g. 12.5 or "12.5"')
    note: str = ""


# --- helpers ----------------------------------------------------------------------------------


def _key_result(request: HttpRequest, org: str, code: str) -> tuple[Access, KeyResult]:
    _organization, access = scoped(request, org)
    return access, get_key_result(access, code)


def _configurable(request: HttpRequest, org: str, code: str) -> tuple[Access, KeyResult]:
    access, kr = _key_result(request, org, code)
    if not can_configure(access, kr):
        raise PermissionDenied(
            _("Only the key result's owner, the leads of its team and admins may set up its feed.")
        )
    return access, kr


def _feed(kr: KeyResult) -> DataSource:
    source = feed_of(kr)
    if source is None:
        raise Http404
    return source


def _outcome(outcome: services.Outcome) -> dict[str, Any]:
    return {
        "ok": outcome.ok,
        "message": outcome.message,
        "value": outcome.value,
        "recorded": outcome.recorded,
        "checkin": outcome.checkin.code if outcome.checkin else None,
    }


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/key-results/{code}/feed",
    response={200: FeedOut, 403: ErrorOut, 404: ErrorOut},
    summary="The feed of a key result",
)
def get_key_result_feed(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """The key result's data feed: 404 when it has none. Only those who may set it up (the key
    result's owner, leads of its unit, admins) read its settings."""
    _access, kr = _configurable(request, org, code)
    return source_data(_feed(kr))


@router.put(
    "/orgs/{org}/key-results/{code}/feed",
    response={200: FeedOut, 201: FeedOut, **ERRORS},
    summary="Set up or change the feed of a key result",
)
def set_key_result_feed(
    request: HttpRequest, org: str, code: str, payload: FeedIn
) -> Status[dict[str, Any]]:
    """Fields left out keep their saved values (or defaults, for a new feed or a new kind).
    Switching kind drops the old kind's settings. A new push feed answers with its `token`,
    the only time it is shown. Pulls sync at the next tick, then on their schedule."""
    access, kr = _configurable(request, org, code)
    existed = feed_of(kr) is not None
    source, token = services.source_set(
        access=access, key_result=kr, kind=payload.kind, **payload.changes()
    )
    source.key_result = kr
    return Status(200 if existed else 201, source_data(source, token=token))


@router.delete(
    "/orgs/{org}/key-results/{code}/feed",
    response={204: None, **ERRORS},
    summary="Delete the feed of a key result",
)
def delete_key_result_feed(request: HttpRequest, org: str, code: str) -> Status[None]:
    """The check-ins the feed recorded stay in the history. 404 when there is no feed."""
    access, kr = _configurable(request, org, code)
    if not services.source_delete(access=access, key_result=kr):
        raise Http404
    return Status(204, None)


@router.post(
    "/orgs/{org}/key-results/{code}/feed/test",
    response={200: OutcomeOut, **ERRORS},
    summary="Test a feed without recording",
)
def test_key_result_feed(
    request: HttpRequest, org: str, code: str, payload: TestIn
) -> dict[str, Any]:
    """Read the value the given settings (or, without `kind`, the saved feed) would give.
    Nothing is saved or recorded; a value that cannot be read answers 200 with `ok: false`."""
    access, kr = _configurable(request, org, code)
    changes = payload.model_dump(exclude={"kind"}) if payload.kind else {}
    kind = payload.kind or ""
    if not kind:
        kind = _feed(kr).kind
    return _outcome(services.source_test(access=access, key_result=kr, kind=kind, **changes))


@router.post(
    "/orgs/{org}/key-results/{code}/feed/sync",
    response={200: SyncOut, **ERRORS},
    summary="Sync a feed now",
)
def sync_key_result_feed(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Fetch the value now and record it when it changed, then answer with the outcome. Errors
    of the other system answer 200 with `ok: false` (and stay on the feed); a push feed, which
    has nothing to fetch, answers 400."""
    access, kr = _configurable(request, org, code)
    source = _feed(kr)
    services.check_syncable(access=access, source=source)
    outcome = services.source_sync(source=source)
    source.refresh_from_db()
    source.key_result = kr
    return {**_outcome(outcome), "feed": source_data(source)}


@router.post(
    "/orgs/{org}/key-results/{code}/feed/token",
    response={200: FeedOut, **ERRORS},
    summary="Make a new push token",
)
def rotate_key_result_feed_token(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """A new token for a push feed, in `token`; the old one stops working at once."""
    access, kr = _configurable(request, org, code)
    source = _feed(kr)
    token = services.token_rotate(access=access, source=source)
    source.refresh_from_db()
    source.key_result = kr
    return source_data(source, token=token)


@router.post(
    "/orgs/{org}/key-results/{code}/feed/values",
    response={200: OutcomeOut, **ERRORS},
    summary="Push a value to a feed",
)
def push_key_result_feed(
    request: HttpRequest, org: str, code: str, payload: PushIn
) -> dict[str, Any]:
    """Send a value to the key result's push feed, as the caller: it becomes a check-in when it
    differs from the current value. Needs the right to check in on the key result."""
    access, kr = _key_result(request, org, code)
    source = _feed(kr)
    return _outcome(
        services.api_push(access=access, source=source, value=payload.value, note=payload.note)
    )
