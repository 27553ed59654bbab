from decimal import Decimal

import pytest
import time_machine

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn

from .conftest import OpenApiClient, token_for

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_token_records_a_check_in_and_moves_progress(client, org, bob, key_result, objective):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"value": "30", "confidence": 7, "note": "Trial flow shipped"},
    )
    assert response.status_code == 201
    assert response.data["key_result_progress"] == "0.5000"
    assert response.data["objective_progress"] == "0.5000"
    assert response.data["checkin"]["confidence"] == 7
    assert CheckIn.objects.get().source == "api"


def test_it_answers_bad_values_with_the_error_shape_and_writes_nothing(
    client, org, bob, key_result
):
    api = OpenApiClient(client, token_for(bob, org))
    events = AuditEvent.objects.count()
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"value": "lots", "confidence": 11},
    )
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert set(response.data["error"]["fields"]) == {"value", "confidence"}
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_it_refuses_a_body_of_the_wrong_shape(client, org, bob, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins", {"confidence": 3}
    )
    assert response.status_code == 400
    assert "value" in response.data["error"]["fields"]
    assert CheckIn.objects.count() == 0


def test_a_viewer_may_read_but_not_check_in(client, org, victor, key_result):
    api = OpenApiClient(client, token_for(victor, org))
    assert api.get(f"/orgs/{org.slug}/key-results/{key_result.code}").status_code == 200
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins", {"value": "25"}
    )
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_another_organization_cannot_see_the_key_result(client, other_org, mallory, key_result):
    api = OpenApiClient(client, token_for(mallory, other_org))
    response = api.post(f"/orgs/acme/key-results/{key_result.code}/check-ins", {"value": "25"})
    assert response.status_code == 404
    response = api.post(
        f"/orgs/{other_org.slug}/key-results/{key_result.code}/check-ins", {"value": "25"}
    )
    assert response.status_code == 404
    assert CheckIn.objects.count() == 0


def test_the_history_lists_check_ins_newest_first(client, org, bob, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    path = f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins"
    api.post(path, {"value": "24", "measured_at": "2026-11-01T10:00:00Z"})
    api.post(path, {"value": "28.5"})
    history = api.get(path).data
    assert [row["value"] for row in history] == ["28.5000", "24.0000"]
    assert Decimal(
        api.get(f"/orgs/{org.slug}/key-results/{key_result.code}").data["current"]
    ) == Decimal("28.5")


def test_a_future_check_in_is_refused(client, org, bob, key_result):
    api = OpenApiClient(client, token_for(bob, org))
    response = api.post(
        f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"value": "30", "measured_at": "2026-12-01T10:00:00Z"},
    )
    assert response.status_code == 400
    assert "measured_at" in response.data["error"]["fields"]
