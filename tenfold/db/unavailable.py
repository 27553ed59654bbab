"""A database that cannot answer for a moment, told as 503 ("try again") instead of a 500.

Two cases, and only these two:

- **busy**: SQLite is still locked by another writer when its busy timeout runs out
  ("database is locked"). Up to the timeout SQLite itself waits and retries; only a lock held
  longer than that reaches this module.
- **unavailable**: a PostgreSQL connection is gone (the server restarted, an administrator
  ended the backend, the network dropped) or cannot be opened.

Both pass on their own, so the answer tells the person to send the request again, with a
`Retry-After` header. Neither leaves a half-written change behind: SQLite transactions take the
write lock when they begin (IMMEDIATE), so a busy one never starts, and PostgreSQL rolls back a
transaction whose connection died. Every other database error (a constraint, a bug in a query)
stays a server error, as before.

Where each failure is caught: a view's by `DatabaseUnavailableMiddleware.process_exception`; an
API operation's by the API's exception handler (`api_exception_handler`, registered in
`tenfold/api/views.py`); one raised in middleware (the API guard counts requests in the
database before any view runs) by `server_error`, the project's 500 handler; and a session
that could not be saved, which Django's session middleware reports as a bad request, by
`bad_request`, the project's 400 handler. The handlers only run with debug pages off.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Literal

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

Kind = Literal["busy", "unavailable"]

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 2
# SQLSTATE values of a connection that is gone or refused: the whole class 08 (connection
# exception), and the server shutting down, crashing or still starting (57P01-57P03).
SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03"})


def unavailable_kind(error: BaseException | None) -> Kind | None:
    """ "busy" for SQLite's lock timeout, "unavailable" for a lost or refused PostgreSQL
    connection, None for every other error.

    The error's causes are looked at too: Django's session middleware, for one, turns a
    session that could not be saved into a "bad request", with the database's error behind
    it."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        kind = _database_kind(error)
        if kind is not None:
            return kind
        error = error.__cause__ or error.__context__
    return None


def _database_kind(error: BaseException) -> Kind | None:
    """The kind of one Django database error, read from the driver's error behind it."""
    if not isinstance(error, OperationalError | InterfaceError):
        return None
    cause = error.__cause__ or error
    module = type(cause).__module__
    if module == "sqlite3":
        locked = isinstance(error, OperationalError) and "database is locked" in str(cause)
        return "busy" if locked else None
    if module.startswith("psycopg"):
        if isinstance(error, InterfaceError):
            return "unavailable"
        # psycopg gives no SQLSTATE when the failure is on the client's side of the wire:
        # the socket closed under it, or the connection could not be opened at all.
        state = getattr(cause, "sqlstate", None)
        if state is None or state.startswith("08") or state in SHUTDOWN_STATES:
            return "unavailable"
    return None


def message_for(kind: Kind) -> str:
    """What the person is told, in their language."""
    if kind == "busy":
        return _("The database is busy with other changes. Wait a moment and try again.")
    return _("The database cannot be reached right now. Wait a moment and try again.")


def unavailable_response(request: HttpRequest, kind: Kind) -> HttpResponse:
    """503 in the API's error shape for API calls, a short page for everything else. The page
    reads nothing from the database (the thing that failed) and needs no signed-in context."""
    message = message_for(kind)
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        body = {"error": {"code": kind, "message": message, "fields": {}}}
        response = JsonResponse(body, status=503)
    else:
        page = render_to_string("503.html", {"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _answer(request: HttpRequest, error: BaseException, kind: Kind) -> HttpResponse:
    logger.warning(
        "Answered 503 (%s) to %s %s: %s", kind, request.method, request.path, str(error).strip()
    )
    return unavailable_response(request, kind)


class DatabaseUnavailableMiddleware:
    """Turns a busy or lost database raised by a view into a 503 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = unavailable_kind(exception)
        return None if kind is None else _answer(request, exception, kind)


def api_exception_handler(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """For django-ninja: 503 for a busy or lost database; any other database error goes on to
    Django's 500 handling, unchanged."""
    if isinstance(exc, Exception) and (kind := unavailable_kind(exc)) is not None:
        return _answer(request, exc, kind)
    raise exc


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 400 handler (`handler400`): Django's own page, except for a "bad request"
    that a busy or lost database caused (a session that could not be saved), which is 503."""
    kind = unavailable_kind(exception)
    if kind is not None:
        return unavailable_response(request, kind)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's 500 handler (`handler500`). It runs while Django handles an exception
    that nothing else caught, such as one raised in a middleware; for a busy or lost database
    it answers 503, for anything else it is Django's own 500 page."""
    error = sys.exc_info()[1]
    kind = unavailable_kind(error)
    if error is not None and kind is not None:
        return unavailable_response(request, kind)
    return defaults.server_error(request)
