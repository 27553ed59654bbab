"""Writes on cycles, objectives, alignment, key results and initiatives through the API: the
happy paths, who may do what (the same rules as the web pages), read-only tokens, codes of
another organization in paths and bodies (404, nothing written), bad input naming its field,
409 on a stale version, and a fixed number of queries on the initiatives list."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.audit.models import AuditEvent
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Alignment, Cycle, Initiative, KeyResult, Objective
from tenfold.okrs.services import (
    alignment_link,
    initiative_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Unit

from .conftest import PREFIX, OpenApiClient, token_for


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


class Api(OpenApiClient):
    """The OpenAPI-checking client, with PATCH and DELETE."""

    def patch(self, path: str, data: Any) -> Any:
        response = self.client.patch(
            PREFIX + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )
        return self._check("patch", path, response)

    def delete(self, path: str, **params: Any) -> Any:
        query = "&".join(f"{key}={value}" for key, value in params.items())
        response = self.client.delete(
            PREFIX + path + (f"?{query}" if query else ""), headers=self._headers()
        )
        return self._check("delete", path, response)


def as_(client: Any, user: Any, organization: Any, read_only: bool = False) -> Api:
    if read_only:
        from tenfold.accounts.services import api_token_create

        _row, token = api_token_create(
            user=user, organization=organization, name="ro", by=user, read_only=True
        )
        return Api(client, token)
    return Api(client, token_for(user, organization))


def field_of(response: Any) -> set[str]:
    return set(response.data["error"]["fields"])


@pytest.fixture
def goal(org, cycle, company, alice) -> Objective:
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Win the mid-market",
        state="active",
        by=alice,
    )


@pytest.fixture
def foreign(other_org, mallory) -> dict[str, Any]:
    """Codes of organization B that someone in A might try to smuggle in."""
    cycle = Cycle.objects.get(organization=other_org)
    unit = Unit.objects.get(organization=other_org, parent__isnull=True)
    objective = objective_create(
        organization=other_org, cycle=cycle, unit=unit, title="Globex goal", by=mallory
    )
    kr = key_result_create(
        objective=objective, title="Ship it", kind="milestone", by=mallory, target=None
    )
    return {"cycle": cycle, "unit": unit, "objective": objective, "key_result": kr}


# --- cycles -------------------------------------------------------------------------------------


def test_an_owner_creates_a_cycle_and_reads_it(client, org, team, alice, cycle):
    api = as_(client, alice, org)
    body = {"name": "November", "start": "2026-11-01", "end": "2026-11-30", "parent": cycle.code}
    response = api.post("/orgs/acme/cycles", {**body, "kind": "month"})
    assert response.status_code == 201, response.data
    made = Cycle.objects.get(organization=org, name="November")
    assert response.data["code"] == made.code and made.parent == cycle and made.kind == "month"
    assert response.data["state"] == "planning" and response.data["next_states"] == ["active"]
    assert AuditEvent.objects.filter(verb="cycle.created", object_code=made.code).exists()
    read = api.get(f"/orgs/acme/cycles/{made.code}")
    assert read.status_code == 200 and read.data["parent"] == cycle.code


def test_only_owners_and_admins_create_cycles_or_move_them(client, org, team, bob, carol, cycle):
    body = {"name": "Q1 2027", "start": "2027-01-01", "end": "2027-03-31"}
    for person in (bob, carol):
        api = as_(client, person, org)
        assert api.post("/orgs/acme/cycles", body).status_code == 403
        assert (
            api.post(f"/orgs/acme/cycles/{cycle.code}/state", {"state": "closed"}).status_code
            == 403
        )
        assert api.get(f"/orgs/acme/cycles/{cycle.code}").status_code == 200
    assert not Cycle.objects.filter(name="Q1 2027").exists()
    assert Cycle.objects.get(pk=cycle.pk).state == "active"


def test_bad_cycles_are_refused_naming_the_field(client, org, team, alice, cycle):
    api = as_(client, alice, org)
    backwards = api.post(
        "/orgs/acme/cycles", {"name": "X", "start": "2027-02-01", "end": "2027-01-01"}
    )
    assert backwards.status_code == 400 and field_of(backwards) == {"end"}
    same = api.post(
        "/orgs/acme/cycles", {"name": "Q4 2026", "start": "2027-01-01", "end": "2027-02-01"}
    )
    assert same.status_code == 400 and field_of(same) == {"name"}
    shape = api.post("/orgs/acme/cycles", {"name": "Y", "start": "soon", "end": "2027-02-01"})
    assert shape.status_code == 400 and "start" in field_of(shape)
    assert Cycle.objects.filter(organization=org).count() == 1


def test_a_parent_cycle_of_another_organization_is_not_found(client, org, team, alice, foreign):
    api = as_(client, alice, org)
    response = api.post(
        "/orgs/acme/cycles",
        {"name": "Z", "start": "2026-11-01", "end": "2026-11-30", "parent": foreign["cycle"].code},
    )
    assert response.status_code == 404 and field_of(response) == {"parent"}
    assert not Cycle.objects.filter(name="Z").exists()
    assert api.get(f"/orgs/acme/cycles/{foreign['cycle'].code}").status_code == 404


def test_moving_a_cycle_follows_its_states(client, org, team, alice, cycle):
    api = as_(client, alice, org)
    wrong = api.post(f"/orgs/acme/cycles/{cycle.code}/state", {"state": "planning"})
    assert wrong.status_code == 400 and field_of(wrong) == {"state"}
    moved = api.post(f"/orgs/acme/cycles/{cycle.code}/state", {"state": "reviewing"})
    assert moved.status_code == 200 and moved.data["state"] == "reviewing"
    assert sorted(moved.data["next_states"]) == ["active", "closed"]
    assert Cycle.objects.get(pk=cycle.pk).state == "reviewing"


def test_another_organization_sees_no_cycle(client, org, cycle, mallory, other_org):
    api = as_(client, mallory, other_org)
    assert api.get(f"/orgs/acme/cycles/{cycle.code}").status_code == 404
    client.force_login(mallory)
    session = Api(client)
    assert session.get(f"/orgs/acme/cycles/{cycle.code}").status_code == 404
    assert (
        session.post(f"/orgs/acme/cycles/{cycle.code}/state", {"state": "closed"}).status_code
        == 404
    )
    assert Cycle.objects.get(pk=cycle.pk).state == "active"


# --- objectives ---------------------------------------------------------------------------------


def objective_body(in_cycle: Cycle, unit: Unit, **extra: Any) -> dict[str, Any]:
    return {"cycle": in_cycle.code, "unit": unit.code, "title": "Onboarding delights", **extra}


def test_a_member_creates_a_team_objective(client, org, team, bob, carol, cycle):
    api = as_(client, bob, org)
    response = api.post(
        "/orgs/acme/objectives",
        objective_body(
            cycle,
            team,
            description="First week decides",
            type="aspirational",
            visibility="unit",
            lead="CAROL@example.com",
        ),
    )
    assert response.status_code == 201, response.data
    made = Objective.objects.get(code=response.data["code"])
    assert (made.unit, made.lead, made.type, made.visibility) == (
        team,
        carol,
        "aspirational",
        "unit",
    )
    # Team objectives need approval in this organization, so it starts as a draft.
    assert response.data["state"] == "draft" and response.data["version"] == 1
    assert (
        response.data["unit"]["code"] == team.code and response.data["lead"]["email"] == carol.email
    )
    assert AuditEvent.objects.filter(verb="objective.created", object_code=made.code).exists()


def test_creating_objectives_follows_the_web_rules(client, org, team, company, bob, victor, cycle):
    member = as_(client, bob, org)
    assert member.post("/orgs/acme/objectives", objective_body(cycle, company)).status_code == 403
    viewer = as_(client, victor, org)
    assert viewer.post("/orgs/acme/objectives", objective_body(cycle, team)).status_code == 403
    read_only = as_(client, bob, org, read_only=True)
    refused = read_only.post("/orgs/acme/objectives", objective_body(cycle, team))
    assert refused.status_code == 403 and refused.data["error"]["code"] == "forbidden"
    assert not Objective.objects.exists()


def test_bad_objectives_are_refused_naming_the_field(client, org, team, bob, cycle):
    api = as_(client, bob, org)
    empty = api.post("/orgs/acme/objectives", objective_body(cycle, team, title="  "))
    assert empty.status_code == 400 and field_of(empty) == {"title"}
    kind = api.post("/orgs/acme/objectives", objective_body(cycle, team, type="maybe"))
    assert kind.status_code == 400 and field_of(kind) == {"type"}
    missing = api.post("/orgs/acme/objectives", {"cycle": cycle.code, "unit": team.code})
    assert missing.status_code == 400 and "title" in field_of(missing)
    assert not Objective.objects.exists()


@pytest.mark.parametrize("field", ["cycle", "unit", "lead"])
def test_codes_of_another_organization_in_the_body_are_not_found(
    client, org, team, alice, cycle, foreign, mallory, field
):
    smuggled = {"cycle": foreign["cycle"].code, "unit": foreign["unit"].code, "lead": mallory.email}
    api = as_(client, alice, org)
    response = api.post(
        "/orgs/acme/objectives", {**objective_body(cycle, team), field: smuggled[field]}
    )
    assert response.status_code == 404 and field_of(response) == {field}
    assert not Objective.objects.filter(organization=org).exists()
    assert Objective.objects.filter(organization=foreign["cycle"].organization).count() == 1


def test_a_closed_cycle_takes_no_new_objectives(client, org, team, bob, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state="closed")
    response = as_(client, bob, org).post("/orgs/acme/objectives", objective_body(cycle, team))
    assert response.status_code == 400 and field_of(response) == {"cycle"}


def test_editing_an_objective(client, org, team, bob, carol, objective):
    api = as_(client, bob, org)
    response = api.patch(
        f"/orgs/acme/objectives/{objective.code}",
        {"title": "Customers finish onboarding", "lead": None, "version": 1},
    )
    assert response.status_code == 200, response.data
    assert response.data["title"] == "Customers finish onboarding" and response.data["lead"] is None
    assert response.data["version"] == 2
    stored = Objective.objects.get(pk=objective.pk)
    assert stored.title == "Customers finish onboarding" and stored.lead is None
    assert stored.description == objective.description  # not sent, not changed


def test_a_stale_version_is_a_conflict_and_keeps_the_other_change(
    client, org, team, bob, carol, objective
):
    first = as_(client, carol, org).patch(
        f"/orgs/acme/objectives/{objective.code}", {"title": "Carol's title", "version": 1}
    )
    assert first.status_code == 200
    late = as_(client, bob, org).patch(
        f"/orgs/acme/objectives/{objective.code}", {"description": "Bob's why", "version": 1}
    )
    assert late.status_code == 409 and late.data["error"]["code"] == "conflict"
    stored = Objective.objects.get(pk=objective.pk)
    assert (stored.title, stored.description, stored.version) == ("Carol's title", "", 2)


def test_bad_edits_name_their_field_and_change_nothing(
    client, org, team, carol, objective, foreign
):
    api = as_(client, carol, org)
    path = f"/orgs/acme/objectives/{objective.code}"
    null = api.patch(path, {"title": None})
    assert null.status_code == 400 and field_of(null) == {"title"}
    foreign_unit = api.patch(path, {"unit": foreign["unit"].code})
    assert foreign_unit.status_code == 404 and field_of(foreign_unit) == {"unit"}
    visibility = api.patch(path, {"visibility": "everyone"})
    assert visibility.status_code == 400 and field_of(visibility) == {"visibility"}
    stored = Objective.objects.get(pk=objective.pk)
    assert (stored.title, stored.unit_id, stored.version) == (objective.title, team.id, 1)


def test_who_may_edit_an_objective(client, org, team, victor, mallory, other_org, goal, bob):
    # bob is a member of Growth, not of the company: he may read the company goal only.
    assert (
        as_(client, bob, org)
        .patch(f"/orgs/acme/objectives/{goal.code}", {"title": "Mine"})
        .status_code
        == 403
    )
    assert (
        as_(client, victor, org)
        .patch(f"/orgs/acme/objectives/{goal.code}", {"title": "Mine"})
        .status_code
        == 403
    )
    assert (
        as_(client, mallory, other_org)
        .patch(f"/orgs/acme/objectives/{goal.code}", {"title": "Mine"})
        .status_code
        == 404
    )
    assert Objective.objects.get(pk=goal.pk).title == "Win the mid-market"


def test_moving_an_objective_through_its_states(client, org, team, carol, bob, objective):
    api = as_(client, carol, org)
    path = f"/orgs/acme/objectives/{objective.code}/state"
    closed = api.post(path, {"state": "closed"})
    assert closed.status_code == 200 and closed.data["state"] == "closed"
    wrong = api.post(path, {"state": "proposed"})
    assert wrong.status_code == 400 and field_of(wrong) == {"state"}
    reopened = as_(client, bob, org).post(path, {"state": "active"})
    assert reopened.status_code == 200 and reopened.data["state"] == "active"


def test_approval_is_not_for_the_team_itself(client, org, team, bob, alice, cycle):
    draft = objective_create(organization=org, cycle=cycle, unit=team, title="Draft", by=bob)
    api = as_(client, bob, org)
    path = f"/orgs/acme/objectives/{draft.code}/state"
    skipped = api.post(path, {"state": "active"})
    assert skipped.status_code == 400 and field_of(skipped) == {"state"}
    assert api.post(path, {"state": "proposed"}).status_code == 200
    assert api.post(path, {"state": "approved"}).status_code == 403
    approved = as_(client, alice, org).post(path, {"state": "approved"})
    assert approved.status_code == 200 and approved.data["state"] == "approved"


# --- alignment ----------------------------------------------------------------------------------


def test_aligning_reading_and_unlinking(client, org, team, carol, bob, objective, goal):
    api = as_(client, carol, org)
    path = f"/orgs/acme/objectives/{objective.code}/alignments"
    made = api.post(path, {"objective": goal.code, "weight": "0.5"})
    assert made.status_code == 201, made.data
    assert made.data["objective"] == goal.code and Decimal(made.data["weight"]) == Decimal("0.5")
    link = Alignment.objects.get(child=objective)
    assert link.parent_objective == goal and link.weight == Decimal("0.5")
    ups = as_(client, bob, org).get(path)
    assert ups.status_code == 200
    assert [p["objective"] for p in ups.data["parents"]] == [goal.code] and ups.data[
        "children"
    ] == []
    downs = api.get(f"/orgs/acme/objectives/{goal.code}/alignments")
    assert [c["objective"] for c in downs.data["children"]] == [objective.code]
    gone = api.delete(path, objective=goal.code)
    assert gone.status_code == 204
    assert not Alignment.objects.filter(child=objective).exists()
    assert AuditEvent.objects.filter(verb="alignment.unlinked").exists()
    again = api.delete(path, objective=goal.code)
    assert again.status_code == 404 and field_of(again) == {"objective"}


def test_aligning_to_a_key_result(client, org, team, carol, objective, goal, alice):
    parent_kr = key_result_create(
        objective=goal, title="Sign 20 customers", start=0, target=20, by=alice
    )
    api = as_(client, carol, org)
    path = f"/orgs/acme/objectives/{objective.code}/alignments"
    made = api.post(path, {"key_result": parent_kr.code})
    assert made.status_code == 201 and made.data["key_result"] == parent_kr.code
    assert made.data["objective"] == goal.code
    children = api.get(f"/orgs/acme/objectives/{goal.code}/alignments").data["children"]
    assert children[0]["key_result"] == parent_kr.code
    assert api.delete(path, key_result=parent_kr.code).status_code == 204
    assert not Alignment.objects.exists()


def test_a_loop_is_refused_naming_the_field(client, org, team, carol, alice, objective, goal):
    alignment_link(child=objective, parent_objective=goal, by=alice)
    api = as_(client, alice, org)
    loop = api.post(f"/orgs/acme/objectives/{goal.code}/alignments", {"objective": objective.code})
    assert loop.status_code == 400 and field_of(loop) == {"objective"}
    itself = api.post(f"/orgs/acme/objectives/{goal.code}/alignments", {"objective": goal.code})
    assert itself.status_code == 400 and field_of(itself) == {"objective"}
    weight = api.post(
        f"/orgs/acme/objectives/{objective.code}/alignments", {"objective": goal.code, "weight": 2}
    )
    assert weight.status_code == 400 and "weight" in field_of(weight)
    both = api.post(
        f"/orgs/acme/objectives/{objective.code}/alignments",
        {"objective": goal.code, "key_result": "x"},
    )
    assert both.status_code == 400 and field_of(both) == {"objective"}
    assert Alignment.objects.count() == 1


def test_a_parent_of_another_organization_is_not_found(
    client, org, team, alice, objective, foreign
):
    api = as_(client, alice, org)
    path = f"/orgs/acme/objectives/{objective.code}/alignments"
    by_objective = api.post(path, {"objective": foreign["objective"].code})
    assert by_objective.status_code == 404 and field_of(by_objective) == {"objective"}
    by_kr = api.post(path, {"key_result": foreign["key_result"].code})
    assert by_kr.status_code == 404 and field_of(by_kr) == {"key_result"}
    assert not Alignment.objects.exists()


def test_who_may_align(client, org, team, victor, mallory, other_org, objective, goal):
    body = {"objective": goal.code}
    path = f"/orgs/acme/objectives/{objective.code}/alignments"
    assert as_(client, victor, org).post(path, body).status_code == 403
    assert as_(client, victor, org).get(path).status_code == 200
    assert as_(client, mallory, other_org).post(path, body).status_code == 404
    assert as_(client, mallory, other_org).get(path).status_code == 404
    assert not Alignment.objects.exists()


# --- key results --------------------------------------------------------------------------------


def test_adding_changing_and_deleting_a_key_result(client, org, team, carol, bob, objective):
    api = as_(client, carol, org)
    made = api.post(
        f"/orgs/acme/objectives/{objective.code}/key-results",
        {
            "title": "Cut setup time from 30 to 10 minutes",
            "kind": "decrease",
            "start": "30",
            "target": 10,
            "unit_label": "min",
            "owner": bob.email,
        },
    )
    assert made.status_code == 201, made.data
    kr = KeyResult.objects.get(code=made.data["code"])
    assert (kr.start, kr.target, kr.owner) == (Decimal(30), Decimal(10), bob)
    assert made.data["objective"] == objective.code and made.data["owner"]["email"] == bob.email
    changed = api.patch(f"/orgs/acme/key-results/{kr.code}", {"target": "12.5", "version": 1})
    assert changed.status_code == 200 and Decimal(changed.data["target"]) == Decimal("12.5")
    stored = KeyResult.objects.get(pk=kr.pk)
    assert stored.target == Decimal("12.5") and stored.version == 2 and stored.unit_label == "min"
    assert api.delete(f"/orgs/acme/key-results/{kr.code}").status_code == 204
    assert not KeyResult.objects.filter(pk=kr.pk).exists()
    assert AuditEvent.objects.filter(verb="key_result.deleted", object_code=kr.code).exists()


def test_a_stale_key_result_version_is_a_conflict(client, org, team, carol, bob, key_result):
    path = f"/orgs/acme/key-results/{key_result.code}"
    assert (
        as_(client, bob, org).patch(path, {"title": "Bob's words", "version": 1}).status_code == 200
    )
    late = as_(client, carol, org).patch(path, {"target": "50", "version": 1})
    assert late.status_code == 409 and late.data["error"]["code"] == "conflict"
    stored = KeyResult.objects.get(pk=key_result.pk)
    assert (stored.title, stored.target, stored.version) == ("Bob's words", Decimal(40), 2)


def test_bad_key_results_name_their_field(client, org, team, carol, objective, key_result, mallory):
    api = as_(client, carol, org)
    same = api.post(
        f"/orgs/acme/objectives/{objective.code}/key-results",
        {"title": "Flat", "start": 5, "target": 5},
    )
    assert same.status_code == 400 and field_of(same) == {"target"}
    owner = api.post(
        f"/orgs/acme/objectives/{objective.code}/key-results",
        {"title": "Owned elsewhere", "start": 0, "target": 5, "owner": mallory.email},
    )
    assert owner.status_code == 404 and field_of(owner) == {"owner"}
    null = api.patch(f"/orgs/acme/key-results/{key_result.code}", {"kind": None})
    assert null.status_code == 400 and field_of(null) == {"kind"}
    text = api.patch(f"/orgs/acme/key-results/{key_result.code}", {"weight": "heavy"})
    assert text.status_code == 400 and field_of(text) == {"weight"}
    assert KeyResult.objects.count() == 1
    assert KeyResult.objects.get(pk=key_result.pk).version == 1


def test_a_key_result_with_check_ins_is_kept(client, org, team, carol, bob, key_result):
    checkin_record(key_result=key_result, value=25, by=bob)
    refused = as_(client, carol, org).delete(f"/orgs/acme/key-results/{key_result.code}")
    assert refused.status_code == 400
    assert KeyResult.objects.filter(pk=key_result.pk).exists()


def test_who_may_change_key_results(
    client, org, team, victor, mallory, other_org, objective, key_result
):
    viewer = as_(client, victor, org)
    assert (
        viewer.post(
            f"/orgs/acme/objectives/{objective.code}/key-results",
            {"title": "T", "start": 0, "target": 1},
        ).status_code
        == 403
    )
    assert (
        viewer.patch(f"/orgs/acme/key-results/{key_result.code}", {"title": "T"}).status_code == 403
    )
    assert viewer.delete(f"/orgs/acme/key-results/{key_result.code}").status_code == 403
    outsider = as_(client, mallory, other_org)
    assert (
        outsider.patch(f"/orgs/acme/key-results/{key_result.code}", {"title": "T"}).status_code
        == 404
    )
    assert outsider.delete(f"/orgs/acme/key-results/{key_result.code}").status_code == 404
    assert (
        as_(client, victor, org, read_only=False)
        .get(f"/orgs/acme/key-results/{key_result.code}")
        .status_code
        == 200
    )
    assert KeyResult.objects.get(pk=key_result.pk).title == key_result.title


# --- initiatives --------------------------------------------------------------------------------


def test_adding_reading_and_changing_an_initiative(client, org, team, carol, bob, key_result):
    api = as_(client, carol, org)
    made = api.post(
        "/orgs/acme/initiatives",
        {
            "key_result": key_result.code,
            "title": "Shorter signup",
            "owner": bob.email,
            "due": "2026-12-01",
        },
    )
    assert made.status_code == 201, made.data
    assert made.data["key_result"] == key_result.code and made.data["status"] == "planned"
    code = made.data["code"]
    read = as_(client, bob, org).get(f"/orgs/acme/initiatives/{code}")
    assert read.status_code == 200 and read.data["owner"]["email"] == bob.email
    changed = api.patch(f"/orgs/acme/initiatives/{code}", {"status": "doing", "due": None})
    assert (
        changed.status_code == 200
        and changed.data["status"] == "doing"
        and changed.data["due"] is None
    )
    stored = Initiative.objects.get(code=code)
    assert (stored.status, stored.due, stored.title) == ("doing", None, "Shorter signup")
    bad = api.patch(f"/orgs/acme/initiatives/{code}", {"status": "someday"})
    assert bad.status_code == 400 and field_of(bad) == {"status"}
    nothing = api.patch(f"/orgs/acme/initiatives/{code}", {})
    assert nothing.status_code == 400


def test_initiatives_of_another_organization_or_a_viewer(
    client, org, team, carol, victor, mallory, other_org, key_result, foreign
):
    row = initiative_create(key_result=key_result, title="Shorter signup", by=carol)
    smuggled = as_(client, carol, org).post(
        "/orgs/acme/initiatives", {"key_result": foreign["key_result"].code, "title": "Sneaky"}
    )
    assert smuggled.status_code == 404 and field_of(smuggled) == {"key_result"}
    viewer = as_(client, victor, org)
    assert (
        viewer.post(
            "/orgs/acme/initiatives", {"key_result": key_result.code, "title": "V"}
        ).status_code
        == 403
    )
    assert viewer.patch(f"/orgs/acme/initiatives/{row.code}", {"status": "done"}).status_code == 403
    outsider = as_(client, mallory, other_org)
    assert outsider.get(f"/orgs/acme/initiatives/{row.code}").status_code == 404
    assert (
        outsider.patch(f"/orgs/acme/initiatives/{row.code}", {"status": "done"}).status_code == 404
    )
    assert outsider.get("/orgs/acme/initiatives").status_code == 404
    assert list(Initiative.objects.values_list("title", "status")) == [
        ("Shorter signup", "planned")
    ]


def test_listing_initiatives_with_filters(
    client, org, team, carol, bob, alice, objective, key_result, cycle, company
):
    other_kr = key_result_create(objective=objective, title="Second", start=0, target=3, by=carol)
    initiative_create(key_result=key_result, title="A", owner=bob, by=carol)
    initiative_create(key_result=other_kr, title="B", status="done", by=carol)
    hidden = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Board only",
        visibility="private",
        by=alice,
    )
    hidden_kr = key_result_create(objective=hidden, title="Secret", start=0, target=1, by=alice)
    initiative_create(key_result=hidden_kr, title="Hidden", by=alice)
    api = as_(client, bob, org)
    every = api.get("/orgs/acme/initiatives")
    assert [row["title"] for row in every.data] == ["A", "B"]
    assert every["X-Total-Count"] == "2"
    assert [r["title"] for r in api.get("/orgs/acme/initiatives", status="done").data] == ["B"]
    assert [
        r["title"] for r in api.get("/orgs/acme/initiatives", key_result=key_result.code).data
    ] == ["A"]
    assert [r["title"] for r in api.get("/orgs/acme/initiatives", owner=bob.email).data] == ["A"]
    assert len(api.get("/orgs/acme/initiatives", objective=objective.code).data) == 2
    assert api.get("/orgs/acme/initiatives", objective=hidden.code).data == []
    assert [r["title"] for r in as_(client, alice, org).get("/orgs/acme/initiatives").data] == [
        "A",
        "B",
        "Hidden",
    ]
    hidden_one = initiative_create(key_result=hidden_kr, title="Hidden 2", by=alice)
    assert api.get(f"/orgs/acme/initiatives/{hidden_one.code}").status_code == 404
    bad = api.get("/orgs/acme/initiatives", status="later")
    assert bad.status_code == 400 and field_of(bad) == {"status"}


def test_the_initiatives_list_runs_the_same_queries_at_any_size(
    client, org, team, carol, bob, key_result
):
    api = as_(client, carol, org)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/orgs/acme/initiatives").status_code == 200
        return len(queries)

    initiative_create(key_result=key_result, title="One", owner=bob, by=carol)
    count()  # the first request of a token also notes when it was last used
    small = count()
    for number in range(15):
        initiative_create(key_result=key_result, title=f"More {number}", owner=bob, by=carol)
    assert count() == small


def test_initiatives_are_paged(client, org, team, carol, key_result):
    for number in range(7):
        initiative_create(key_result=key_result, title=f"Step {number}", by=carol)
    api = as_(client, carol, org)
    first = api.get("/orgs/acme/initiatives", limit=3)
    assert first["X-Total-Count"] == "7" and 'rel="next"' in first["Link"]
    seen = []
    offset = 0
    while True:
        page = api.get("/orgs/acme/initiatives", limit=3, offset=offset)
        seen += [row["code"] for row in page.data]
        if 'rel="next"' not in page.get("Link", ""):
            break
        offset += 3
    assert sorted(seen) == sorted(Initiative.objects.values_list("code", flat=True))
    assert len(seen) == len(set(seen)) == 7


def test_objective_dates_do_not_leak_across_days(client, org, team, carol, objective):
    """A due date sent as a date stays that date whatever the organization's time zone."""
    kr = key_result_create(objective=objective, title="X", start=0, target=1, by=carol)
    made = as_(client, carol, org).post(
        "/orgs/acme/initiatives", {"key_result": kr.code, "title": "Late", "due": "2026-12-31"}
    )
    assert made.data["due"] == "2026-12-31"
    assert Initiative.objects.get(code=made.data["code"]).due == dt.date(2026, 12, 31)
