"""Which database errors answer 503 "try again" (tenfold/db/unavailable.py), and that pages,
API operations and the 500 handler give that answer while every other database error stays a
server error. The real lock and the real lost connections are in test_sqlite_busy.py and
test_postgres_restart.py."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import psycopg
import psycopg.errors
import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from tenfold.accounts.services import api_token_create
from tenfold.checkins.models import CheckIn
from tenfold.db.unavailable import (
    DatabaseUnavailableMiddleware,
    bad_request,
    server_error,
    unavailable_kind,
)


def wrapped(django_error: type[Exception], driver_error: Exception) -> Exception:
    """A driver's error as Django raises it: Django's class, the driver's as its cause."""
    try:
        try:
            raise driver_error
        except Exception as cause:
            raise django_error(*cause.args) from cause
    except Exception as error:
        return error


LOCKED = wrapped(OperationalError, sqlite3.OperationalError("database is locked"))
TERMINATED = wrapped(
    OperationalError,
    psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
)
NO_TABLE = wrapped(OperationalError, sqlite3.OperationalError("no such table: okrs_objective"))


def interrupted_session(database_error: Exception | None) -> Exception:
    """What Django's session middleware raises when the session cannot be saved, with the
    database's error (if any) behind it, as it is raised there."""
    try:
        try:
            try:
                if database_error is not None:
                    raise database_error
                raise UpdateError
            except DatabaseError as error:
                raise UpdateError from error
        except UpdateError:
            raise SessionInterrupted("The request's session was deleted")  # noqa: B904
    except SessionInterrupted as error:
        return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (LOCKED, "busy"),
        (TERMINATED, "unavailable"),
        # The socket closed under the client, or the server could not be reached at all.
        (
            wrapped(
                OperationalError,
                psycopg.OperationalError("consuming input failed: server closed the connection"),
            ),
            "unavailable",
        ),
        (wrapped(OperationalError, psycopg.errors.ConnectionFailure("lost")), "unavailable"),
        (wrapped(OperationalError, psycopg.errors.CannotConnectNow("starting up")), "unavailable"),
        (
            wrapped(InterfaceError, psycopg.InterfaceError("the connection is closed")),
            "unavailable",
        ),
        # Everything else stays a server error: a missing table, another SQLite error,
        # a deadlock or a cancelled statement, a constraint, a misuse of the driver.
        (NO_TABLE, None),
        (wrapped(OperationalError, sqlite3.OperationalError("disk I/O error")), None),
        (wrapped(OperationalError, psycopg.errors.DeadlockDetected("deadlock")), None),
        (wrapped(OperationalError, psycopg.errors.QueryCanceled("statement timeout")), None),
        (wrapped(IntegrityError, psycopg.errors.UniqueViolation("duplicate key")), None),
        (wrapped(InterfaceError, sqlite3.InterfaceError("bad parameter")), None),
        (ValueError("database is locked"), None),
        (None, None),
        # Behind another error, as Django's session middleware reports a failed save.
        (interrupted_session(LOCKED), "busy"),
        (interrupted_session(None), None),
    ],
)
def test_only_a_busy_or_lost_database_is_told_to_try_again(error: Any, kind: str | None) -> None:
    assert unavailable_kind(error) == kind


def test_the_middleware_answers_a_busy_database_with_the_503_page() -> None:
    request = RequestFactory().post("/acme/objectives/abc/edit/")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]

    response = middleware.process_exception(request, LOCKED)

    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "2" and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Try again in a moment" in page and "The database is busy" in page
    assert middleware.process_exception(request, NO_TABLE) is None


def test_the_500_handler_answers_503_for_a_lost_connection_and_500_otherwise() -> None:
    factory = RequestFactory()
    try:
        raise TERMINATED
    except OperationalError:
        api = server_error(factory.get("/api/v1/orgs/acme/objectives"))
        page = server_error(factory.get("/acme/"))
    assert api.status_code == 503
    assert json.loads(api.content)["error"]["code"] == "unavailable"
    assert page.status_code == 503 and "cannot be reached" in page.content.decode()
    try:
        raise NO_TABLE
    except OperationalError:
        other = server_error(factory.get("/acme/"))
    assert other.status_code == 500


def test_a_session_not_saved_for_a_lost_connection_is_503_not_a_bad_request() -> None:
    request = RequestFactory().get("/acme/")

    lost = bad_request(request, interrupted_session(TERMINATED))
    deleted = bad_request(request, interrupted_session(None))

    assert lost.status_code == 503 and "cannot be reached" in lost.content.decode()
    assert deleted.status_code == 400  # a session really deleted meanwhile stays a 400


def checkin_url(org: Any, key_result: Any) -> str:
    return f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins"


def failing(error: Exception) -> Any:
    def fail(**kwargs: Any) -> Any:
        raise error

    return fail


def test_an_api_operation_on_a_busy_database_answers_503_busy(
    client: Client, org: Any, bob: Any, key_result: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _row, token = api_token_create(user=bob, organization=org, name="tests", by=bob)
    monkeypatch.setattr("tenfold.api.views.checkin_record", failing(LOCKED))

    response = client.post(
        checkin_url(org, key_result),
        {"value": 30},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "busy",
        "message": "The database is busy with other changes. Wait a moment and try again.",
        "fields": {},
    }
    assert response["Retry-After"] == "2"
    assert not CheckIn.objects.exists()


def test_any_other_database_error_in_the_api_stays_a_server_error(
    org: Any, bob: Any, key_result: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _row, token = api_token_create(user=bob, organization=org, name="tests", by=bob)
    monkeypatch.setattr("tenfold.api.views.checkin_record", failing(NO_TABLE))
    client = Client(raise_request_exception=False)

    response = client.post(
        checkin_url(org, key_result),
        {"value": 30},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 500


def test_a_page_whose_connection_is_lost_answers_503(
    client: Client, org: Any, carol: Any, team: Any, objective: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(carol)
    monkeypatch.setattr("tenfold.web.views.objectives.objective_update", failing(TERMINATED))
    url = reverse("objective_edit", kwargs={"org": org.slug, "code": objective.code})
    data = {
        "unit": team.code,
        "title": "Renamed",
        "description": "",
        "type": "committed",
        "visibility": "organization",
        "lead": "",
        "version": objective.version,
    }

    response = client.post(url, data)

    assert response.status_code == 503
    assert "The database cannot be reached right now" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "Customers love onboarding"
