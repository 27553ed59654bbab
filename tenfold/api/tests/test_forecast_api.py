"""The `forecast` of key results and objectives in API v1, checked against the OpenAPI
document."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create

from .conftest import OpenApiClient, token_for

NOW = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def record(kr, by, *pairs):
    for n, value in pairs:
        at = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=n)
        checkin_record(key_result=kr, value=value, measured_at=at, by=by)


# 20 + 0.2 a day: 38.2 on 31 December, 91 % of the way from 20 to 40.
TREND = ((0, "20"), (14, "22.8"), (28, "25.6"), (42, "28.4"))


@pytest.fixture
def api(client, org, team, bob):
    return OpenApiClient(client, token_for(bob, org))


def test_a_key_result_carries_its_forecast(api, org, bob, key_result):
    record(key_result, bob, *TREND)
    data = api.get(f"/orgs/{org.slug}/key-results/{key_result.code}").data
    forecast = data["forecast"]
    assert {k: Decimal(v) for k, v in forecast.items() if k != "readings"} == {
        "progress": Decimal("0.91"),
        "low": Decimal("0.91"),
        "high": Decimal("0.91"),
        "value": Decimal("38.2"),
        "value_low": Decimal("38.2"),
        "value_high": Decimal("38.2"),
    }
    assert forecast["readings"] == 4
    assert data["forecast_missing"] is None


def test_without_three_check_ins_the_forecast_is_null_with_the_reason(
    api, org, bob, objective, key_result
):
    record(key_result, bob, *TREND[:2])
    data = api.get(f"/orgs/{org.slug}/key-results/{key_result.code}").data
    assert data["forecast"] is None
    assert data["forecast_missing"] == "too_few_readings"
    data = api.get(f"/orgs/{org.slug}/objectives/{objective.code}").data
    assert data["forecast"] is None
    assert data["forecast_missing"] == "key_results_without_forecast"


def test_an_objective_combines_its_key_results_by_weight(
    api, org, bob, carol, objective, key_result
):
    flat = key_result_create(
        objective=objective,
        title="Hold 30 signups a day",
        kind="increase",
        start=Decimal(0),
        target=Decimal(60),
        weight=Decimal(3),
        owner=bob,
        by=carol,
    )
    record(key_result, bob, *TREND)
    record(flat, bob, (0, "30"), (20, "30"), (40, "30"))  # 50 % and staying there
    one = api.get(f"/orgs/{org.slug}/objectives/{objective.code}").data
    # (0.91 × 1 + 0.5 × 3) / 4
    assert Decimal(one["forecast"]["progress"]) == Decimal("0.6025")
    assert one["forecast"]["value"] is None
    assert one["forecast"]["readings"] == 7
    assert [Decimal(kr["forecast"]["progress"]) for kr in one["key_results"]] == [
        Decimal("0.91"),
        Decimal("0.5"),
    ]
    listed = api.get(f"/orgs/{org.slug}/objectives").data
    assert [o["forecast"] for o in listed] == [one["forecast"]]


def test_a_milestone_says_why_it_has_no_forecast(api, org, bob, carol, objective):
    kr = key_result_create(
        objective=objective, title="Launch", kind="milestone", target=Decimal(1), by=carol
    )
    data = api.get(f"/orgs/{org.slug}/key-results/{kr.code}").data
    assert data["forecast"] is None
    assert data["forecast_missing"] == "milestone"


def test_the_openapi_document_describes_the_forecast(api):
    schemas = api.document["components"]["schemas"]
    fields = schemas["ForecastOut"]["properties"]
    assert set(fields) == {
        "progress",
        "low",
        "high",
        "value",
        "value_low",
        "value_high",
        "readings",
    }
    assert "forecast" in schemas["KeyResultOut"]["properties"]
    assert "forecast" in schemas["ObjectiveOut"]["properties"]
