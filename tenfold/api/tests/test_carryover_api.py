"""POST carry-over and POST duplicate, every answer checked against the OpenAPI document."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tenfold.audit.models import AuditEvent
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import CycleKind, KeyResult, Objective
from tenfold.okrs.services import cycle_create, cycle_set_state

from .conftest import OpenApiClient, token_for


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


@pytest.fixture
def next_cycle(org, alice):
    return cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        by=alice,
    )


def carry_path(org, cycle):
    return f"/orgs/{org.slug}/cycles/{cycle.code}/carry-over"


def body(target, objective, key_results=None, **extra):
    item = {"code": objective.code}
    if key_results is not None:
        item["key_results"] = [kr.code for kr in key_results]
    return {"target": target.code, "objectives": [item], **extra}


def test_it_carries_an_objective_and_answers_what_was_created(
    client, org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(carry_path(org, cycle), body(next_cycle, objective))
    assert response.status_code == 201
    [item] = response.data["objectives"]
    copy = Objective.objects.get(code=item["code"])
    assert copy.carried_from == objective and copy.cycle == next_cycle
    [kr] = item["key_results"]
    assert (kr["carried_from"], Decimal(kr["start"]), Decimal(kr["current"])) == (
        key_result.code,
        Decimal(34),
        Decimal(34),
    )
    assert KeyResult.objects.get(code=kr["code"]).carried_from == key_result


def test_a_dry_run_answers_the_plan_and_writes_nothing(
    client, org, cycle, next_cycle, objective, key_result, carol
):
    api = OpenApiClient(client, token_for(carol, org))
    events = AuditEvent.objects.count()
    response = api.post(carry_path(org, cycle), body(next_cycle, objective, dry_run=True))
    assert response.status_code == 200
    assert response.data["dry_run"] is True
    assert response.data["objectives"][0]["code"] is None
    assert not Objective.objects.filter(cycle=next_cycle).exists()
    assert AuditEvent.objects.count() == events


def test_an_empty_key_result_list_carries_the_objective_alone(
    client, org, cycle, next_cycle, objective, key_result, carol
):
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(carry_path(org, cycle), body(next_cycle, objective, []))
    assert response.status_code == 201
    assert response.data["objectives"][0]["key_results"] == []


def test_carrying_into_a_closed_cycle_is_refused_with_the_error_shape(
    client, org, cycle, next_cycle, objective, key_result, alice, carol
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(carry_path(org, cycle), body(next_cycle, objective, [key_result]))
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert "closed" in " ".join(response.data["error"]["fields"]["target"])
    assert not Objective.objects.filter(cycle=next_cycle).exists()


def test_carrying_twice_is_refused(client, org, cycle, next_cycle, objective, key_result, carol):
    api = OpenApiClient(client, token_for(carol, org))
    assert api.post(carry_path(org, cycle), body(next_cycle, objective)).status_code == 201
    response = api.post(carry_path(org, cycle), body(next_cycle, objective))
    assert response.status_code == 400
    assert "already carried" in " ".join(response.data["error"]["fields"]["objectives"])
    assert Objective.objects.filter(cycle=next_cycle).count() == 1


def test_unknown_codes_are_refused(client, org, cycle, next_cycle, objective, carol):
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(
        carry_path(org, cycle), {"target": next_cycle.code, "objectives": [{"code": "nope"}]}
    )
    assert response.status_code == 400 and "objectives" in response.data["error"]["fields"]
    response = api.post(carry_path(org, cycle), {"target": "nope", "objectives": []})
    assert response.status_code == 400


def test_a_viewer_may_not_carry(client, org, cycle, next_cycle, objective, victor):
    api = OpenApiClient(client, token_for(victor, org))
    response = api.post(carry_path(org, cycle), body(next_cycle, objective))
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"


def test_another_organization_sees_nothing(client, org, cycle, next_cycle, objective, other_org):
    api = OpenApiClient(client, token_for(other_org.memberships.get().user, other_org))
    response = api.post(carry_path(org, cycle), body(next_cycle, objective))
    assert response.status_code == 404
    assert not Objective.objects.filter(cycle=next_cycle).exists()


def test_duplicate_answers_the_copy(client, org, cycle, next_cycle, objective, key_result, carol):
    api = OpenApiClient(client, token_for(carol, org))
    response = api.post(
        f"/orgs/{org.slug}/objectives/{objective.code}/duplicate", {"target": next_cycle.code}
    )
    assert response.status_code == 201
    assert response.data["copied_from"] == objective.code
    assert response.data["cycle"] == next_cycle.code
    [kr] = response.data["key_results"]
    assert Decimal(kr["start"]) == Decimal(20)
    assert Objective.objects.get(code=response.data["code"]).carried_from is None


def test_duplicate_is_refused_to_a_viewer(client, org, cycle, objective, victor):
    api = OpenApiClient(client, token_for(victor, org))
    response = api.post(
        f"/orgs/{org.slug}/objectives/{objective.code}/duplicate", {"target": cycle.code}
    )
    assert response.status_code == 403
    assert Objective.objects.count() == 1
