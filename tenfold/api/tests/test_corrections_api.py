"""POST /orgs/{org}/check-ins/{code}/corrections, and late check-ins through the API."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_correct, checkin_record

from .conftest import OpenApiClient, token_for

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reading(key_result, bob):
    return checkin_record(key_result=key_result, value=30, confidence=7, note="Shipped", by=bob)


def path(org, checkin):
    return f"/orgs/{org.slug}/check-ins/{checkin.code}/corrections"


def test_a_correction_answers_201_with_the_new_check_in(client, org, bob, reading, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(path(org, reading), {"value": "36", "reason": "Counted twice"})
    assert response.status_code == 201
    body = response.data["checkin"]
    assert (Decimal(body["value"]), body["supersedes"], body["edit_reason"]) == (
        36,
        reading.code,
        "Counted twice",
    )
    assert (body["confidence"], body["note"], body["source"]) == (7, "Shipped", "api")
    assert body["superseded_by"] is None
    assert response.data["key_result_progress"] == "0.8000"
    key_result.refresh_from_db()
    assert key_result.current == Decimal(36)


def test_an_explicit_null_confidence_clears_it(client, org, bob, reading):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        path(org, reading), {"value": 30, "confidence": None, "note": "", "reason": "x"}
    )
    assert response.status_code == 201
    assert (response.data["checkin"]["confidence"], response.data["checkin"]["note"]) == (None, "")


def test_the_history_shows_both_versions_linked(client, org, bob, reading, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    correction = api.post(path(org, reading), {"value": "31", "reason": "typo"}).data["checkin"]
    history = api.get(f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins").data
    assert [(row["code"], row["supersedes"], row["superseded_by"]) for row in history] == [
        (correction["code"], reading.code, None),
        (reading.code, None, correction["code"]),
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"value": "lots", "reason": "typo"}, {"value"}),
        ({"value": "31", "reason": ""}, {"reason"}),
        ({"value": "31", "reason": "r" * 301}, {"reason"}),
        ({"value": "31", "reason": "typo", "confidence": 11}, {"confidence"}),
        ({"value": "31"}, {"reason"}),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(client, org, bob, reading, body, fields):
    api = OpenApiClient(client, token_for(bob, org))
    events = AuditEvent.objects.count()
    response = api.post(path(org, reading), body)
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert set(response.data["error"]["fields"]) == fields
    assert CheckIn.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_superseded_check_in_answers_400(client, org, bob, reading):
    checkin_correct(checkin=reading, value=31, reason="typo", by=bob)
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(path(org, reading), {"value": "32", "reason": "again"})
    assert response.status_code == 400
    assert "newest version" in response.data["error"]["message"]
    assert CheckIn.objects.count() == 2


def test_a_viewer_may_not_correct(client, org, victor, reading):
    api = OpenApiClient(client, token_for(victor, org))
    response = api.post(path(org, reading), {"value": "31", "reason": "typo"})
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"
    assert CheckIn.objects.count() == 1


def test_another_organization_gets_404(client, org, other_org, mallory, reading):
    api = OpenApiClient(client, token_for(mallory, other_org))
    response = api.post(
        f"/orgs/{other_org.slug}/check-ins/{reading.code}/corrections",
        {"value": "31", "reason": "typo"},
    )
    assert response.status_code == 404
    response = api.post(path(org, reading), {"value": "31", "reason": "typo"})
    assert response.status_code == 404
    assert CheckIn.objects.count() == 1


def test_an_unknown_check_in_gets_404(client, org, bob, reading):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/check-ins/nosuchcode/corrections", {"value": "1", "reason": "x"}
    )
    assert response.status_code == 404


# --- late check-ins ---------------------------------------------------------------------------


def test_a_naive_measured_at_is_read_in_the_organizations_time_zone(client, org, bob, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"value": "24", "measured_at": "2026-11-02T09:00:00"},
    )
    assert response.status_code == 201
    stored = CheckIn.objects.get().measured_at
    assert stored == dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)  # Berlin is UTC+1 then


def test_a_check_in_before_the_cycle_is_refused(client, org, bob, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"value": "24", "measured_at": "2026-09-20T09:00:00Z"},
    )
    assert response.status_code == 400
    assert "measured_at" in response.data["error"]["fields"]
    assert CheckIn.objects.count() == 0
