"""The weekly-report API: every endpoint's happy path, bad input that writes nothing, who may
see and change which week, and a fixed number of queries whatever the size of the week."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.api.tests.conftest import PREFIX, OpenApiClient, token_for
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.conftest import make_user
from tenfold.okrs.models import Cycle
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Unit, UnitKind
from tenfold.organizations.services import person_add, unit_create

NOW = "2026-11-11 10:00:00+00:00"  # a Wednesday; the week began on Monday the 9th
WEEK = "2026-11-09"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


class Api(OpenApiClient):
    """The OpenAPI-checking client, with the two methods the weekly endpoints add."""

    def patch(self, path: str, data: Any) -> Any:
        response = self.client.patch(
            PREFIX + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )
        return self._check("patch", path, response)

    def delete(self, path: str) -> Any:
        response = self.client.delete(PREFIX + path, headers=self._headers())
        return self._check("delete", path, response)


def as_(client: Any, user: Any, organization: Any) -> Api:
    return Api(client, token_for(user, organization))


@pytest.fixture
def as_bob(client, org, bob, team) -> Api:
    return as_(client, bob, org)


def add(api: Api, org: Any, **data: Any) -> Any:
    return api.post(f"/orgs/{org.slug}/week/items", {"category": "plans", **data})


def written() -> tuple[int, int]:
    return WeeklyItem.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def sales_secret(org, cycle, company, alice):
    """A private objective of another team: bob may neither see nor link it."""
    sales = unit_create(organization=org, name="Sales", parent=company, by=alice)
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=sales,
        title="Win the secret account",
        visibility="private",
        state="active",
        by=alice,
    )


@pytest.fixture
def foreign_key_result(other_org, mallory):
    objective = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        unit=Unit.objects.get(organization=other_org, parent__isnull=True),
        title="Globex grows",
        state="active",
        by=mallory,
    )
    return key_result_create(
        objective=objective, title="Ship 10 widgets", kind="increase", start=0, target=10,
        by=mallory,
    )  # fmt: skip


# --- reading a week ---------------------------------------------------------------------------


def test_an_empty_week_has_the_categories_and_no_items(as_bob, org):
    response = as_bob.get(f"/orgs/{org.slug}/week")
    assert response.status_code == 200
    assert response.data == {
        "week": WEEK,
        "person": {"name": "Bob Member", "email": "bob@example.com"},
        "categories": [
            {"key": "plans", "name": "Plans"},
            {"key": "progress", "name": "Progress"},
            {"key": "problems", "name": "Problems"},
        ],
        "items": [],
        "plans_count": 0,
    }
    assert not WeeklyReport.objects.exists()


def test_the_week_lists_items_with_their_links(as_bob, org, key_result, objective):
    add(as_bob, org, text="Ship the trial flow", link=key_result.code)
    add(as_bob, org, text="Hire a designer", link=objective.code)
    add(as_bob, org, category="problems", text="Staging is slow")
    data = as_bob.get(f"/orgs/{org.slug}/week", week="2026-11-13").data
    assert data["week"] == WEEK
    assert data["plans_count"] == 2
    items = {item["text"]: item for item in data["items"]}
    assert items["Ship the trial flow"]["link"] == {
        "type": "key_result",
        "code": key_result.code,
        "title": key_result.title,
    }
    assert items["Hire a designer"]["link"]["type"] == "objective"
    assert items["Staging is slow"]["link"] is None
    assert items["Staging is slow"]["category"] == "problems"
    assert {item["source"] for item in data["items"]} == {"api"}


def test_last_weeks_open_plans_are_carried_in(as_bob, org):
    with time_machine.travel("2026-11-04 10:00:00+00:00", tick=False):
        old = add(as_bob, org, text="Write the onboarding guide").data
    data = as_bob.get(f"/orgs/{org.slug}/week").data
    assert [(i["text"], i["carried_from"]) for i in data["items"]] == [
        ("Write the onboarding guide", old["code"])
    ]
    earlier = as_bob.get(f"/orgs/{org.slug}/week", week="2026-11-02").data
    assert earlier["week"] == "2026-11-02"
    assert [i["carried_from"] for i in earlier["items"]] == [None]


def test_a_private_objective_link_is_hidden_from_who_cannot_see_it(
    client, org, team, bob, carol, cycle
):
    secret = objective_create(
        organization=org, cycle=cycle, unit=team, title="Reorganize the team",
        visibility="private", lead=carol, state="active", by=carol,
    )  # fmt: skip
    add(as_(client, carol, org), org, text="Talk to HR", link=secret.code)
    data = as_(client, bob, org).get(f"/orgs/{org.slug}/week", person="carol@example.com").data
    assert data["person"]["email"] == "carol@example.com"
    [item] = data["items"]
    assert item["text"] == "Talk to HR"
    assert item["link"] is None and item["link_hidden"] is True
    own = as_(client, carol, org).get(f"/orgs/{org.slug}/week").data["items"][0]
    assert own["link"]["code"] == secret.code and own["link_hidden"] is False


def test_a_lead_reads_a_team_members_week(client, org, team, bob, carol, as_bob):
    add(as_bob, org, text="Ship the trial flow")
    data = as_(client, carol, org).get(f"/orgs/{org.slug}/week", person="BOB@example.com").data
    assert data["person"]["email"] == "bob@example.com"
    assert [item["text"] for item in data["items"]] == ["Ship the trial flow"]


@pytest.mark.parametrize("email", ["bob@example.com", "nobody@example.com"])
def test_another_persons_week_without_access_is_not_found(client, org, team, victor, email):
    response = as_(client, victor, org).get(f"/orgs/{org.slug}/week", person=email)
    assert response.status_code == 404
    assert response.data["error"]["code"] == "not_found"


def test_another_organization_is_not_found(client, org, team, other_org, mallory):
    api = as_(client, mallory, other_org)
    assert api.get(f"/orgs/{org.slug}/week").status_code == 404
    response = api.get(f"/orgs/{other_org.slug}/week", person="bob@example.com")
    assert response.status_code == 404


def test_a_week_that_is_not_a_date_is_refused(as_bob, org):
    response = as_bob.get(f"/orgs/{org.slug}/week", week="last-tuesday")
    assert response.status_code == 400
    assert "week" in response.data["error"]["fields"]


# --- adding -----------------------------------------------------------------------------------


def test_adding_an_item_answers_with_it(as_bob, org, bob, key_result):
    response = add(as_bob, org, text="  Ship   the trial flow ", link=key_result.code)
    assert response.status_code == 201
    data = response.data
    assert data["text"] == "Ship the trial flow"
    assert (data["category"], data["position"], data["source"]) == ("plans", 1, "api")
    assert data["link"]["code"] == key_result.code
    assert data["carried_from"] is None and data["done_at"] is None
    item = WeeklyItem.objects.get(code=data["code"])
    assert item.report.person == bob and item.report.week == dt.date(2026, 11, 9)
    assert item.added_by == bob and item.source == "api"
    assert AuditEvent.objects.filter(verb="weekly.item_added", object_code=item.code).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 501}, "text"),
        ({"text": "Fine", "category": "lessons"}, "category"),
        ({"text": "Fine", "link": "nope"}, "link"),
        ({"text": "Fine", "week": "2026-11-02"}, "week"),
        ({"text": "Fine", "person": "nobody@example.com"}, "person"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(as_bob, org, data, field):
    before = written()
    response = add(as_bob, org, **data)
    assert response.status_code == 400
    assert response.data["error"]["code"] == "invalid"
    assert field in response.data["error"]["fields"]
    assert written() == before


def test_five_hundred_characters_are_enough(as_bob, org):
    assert add(as_bob, org, text="x" * 500).status_code == 201


def test_a_body_of_the_wrong_shape_is_refused(as_bob, org):
    response = as_bob.post(f"/orgs/{org.slug}/week/items", {"category": "plans"})
    assert response.status_code == 400
    assert "text" in response.data["error"]["fields"]
    assert not WeeklyItem.objects.exists()


def test_a_link_to_another_organizations_key_result_is_refused(as_bob, org, foreign_key_result):
    before = written()
    response = add(as_bob, org, text="Borrow their widgets", link=foreign_key_result.code)
    assert response.status_code == 400
    assert list(response.data["error"]["fields"]) == ["link"]
    assert written() == before


def test_a_link_to_another_teams_private_objective_is_refused(as_bob, org, sales_secret):
    before = written()
    response = add(as_bob, org, text="Help with the account", link=sales_secret.code)
    assert response.status_code == 400
    assert list(response.data["error"]["fields"]) == ["link"]
    assert sales_secret.code in response.data["error"]["fields"]["link"][0]
    assert written() == before


def test_a_lead_adds_a_plan_to_a_members_next_week(client, org, team, bob, carol):
    response = add(
        as_(client, carol, org), org, text="Pair on the billing bug", person="bob@example.com",
        week="2026-11-18",
    )  # fmt: skip
    assert response.status_code == 201
    item = WeeklyItem.objects.get(code=response.data["code"])
    assert item.report.person == bob and item.report.week == dt.date(2026, 11, 16)
    assert item.added_by == carol


def test_a_viewer_cannot_add(client, org, team, victor):
    api = as_(client, victor, org)
    before = written()
    response = add(api, org, text="Watch closely")
    assert response.status_code == 403
    assert response.data["error"]["code"] == "forbidden"
    assert written() == before


def test_a_member_cannot_add_to_an_unrelated_persons_week(client, org, team, victor, as_bob):
    response = add(as_bob, org, text="Your plan", person="victor@example.com")
    assert response.status_code == 403
    assert not WeeklyItem.objects.exists()


# --- changing ---------------------------------------------------------------------------------


@pytest.fixture
def plan(as_bob, org) -> dict[str, Any]:
    return add(as_bob, org, text="Ship the trial flow").data


def url(org: Any, code: str, action: str = "") -> str:
    return f"/orgs/{org.slug}/week/items/{code}" + (f"/{action}" if action else "")


def test_editing_changes_text_and_link(as_bob, org, plan, key_result):
    response = as_bob.patch(url(org, plan["code"]), {"text": "Ship it", "link": key_result.code})
    assert response.status_code == 200
    assert response.data["text"] == "Ship it"
    assert response.data["link"]["code"] == key_result.code
    response = as_bob.patch(url(org, plan["code"]), {"link": None})
    assert response.data["text"] == "Ship it" and response.data["link"] is None
    assert WeeklyItem.objects.get().key_result is None


def test_a_bad_edit_changes_nothing(as_bob, org, plan, foreign_key_result):
    before = written()
    response = as_bob.patch(
        url(org, plan["code"]), {"text": "y" * 501, "link": foreign_key_result.code}
    )
    assert response.status_code == 400
    assert set(response.data["error"]["fields"]) == {"text", "link"}
    assert WeeklyItem.objects.get().text == "Ship the trial flow"
    assert written() == before


def test_moving_a_plan_to_problems_and_an_unknown_category(as_bob, org, plan):
    response = as_bob.post(url(org, plan["code"], "move"), {"category": "problems"})
    assert response.status_code == 200
    assert response.data["category"] == "problems"
    response = as_bob.post(url(org, plan["code"], "move"), {"category": "someday"})
    assert response.status_code == 400
    assert "category" in response.data["error"]["fields"]
    assert WeeklyItem.objects.get().category == "problems"


def test_a_done_plan_moves_to_progress_and_back(as_bob, org, plan):
    response = as_bob.post(url(org, plan["code"], "done"), {})
    assert response.status_code == 200
    assert response.data["category"] == "progress"
    assert response.data["done_at"] is not None
    response = as_bob.post(url(org, plan["code"], "done"), {"done": False})
    assert response.data["category"] == "plans" and response.data["done_at"] is None


def test_done_takes_no_body_at_all(client, org, bob, plan):
    response = client.generic(
        "POST",
        PREFIX + url(org, plan["code"], "done"),
        headers={"Authorization": f"Bearer {token_for(bob, org)}"},
    )
    assert response.status_code == 200
    assert response.json()["category"] == "progress"


def test_a_problem_is_resolved_and_reopened(as_bob, org):
    problem = add(as_bob, org, category="problems", text="Staging is slow").data
    response = as_bob.post(url(org, problem["code"], "resolve"), {"resolved": True})
    assert response.status_code == 200 and response.data["resolved_at"] is not None
    response = as_bob.post(url(org, problem["code"], "resolve"), {"resolved": False})
    assert response.data["resolved_at"] is None


def test_only_problems_are_resolved(as_bob, org, plan):
    response = as_bob.post(url(org, plan["code"], "resolve"), {})
    assert response.status_code == 400
    assert "category" in response.data["error"]["fields"]
    assert WeeklyItem.objects.get().resolved_at is None


def test_deleting_an_item(as_bob, org, plan):
    response = as_bob.delete(url(org, plan["code"]))
    assert response.status_code == 204
    assert not WeeklyItem.objects.exists()
    assert AuditEvent.objects.filter(verb="weekly.item_deleted").exists()
    assert as_bob.delete(url(org, plan["code"])).status_code == 404


def test_reordering_a_category(as_bob, org):
    codes = [add(as_bob, org, text=f"Plan {n}").data["code"] for n in range(3)]
    response = as_bob.post(
        f"/orgs/{org.slug}/week/order", {"category": "plans", "codes": [codes[2], codes[0]]}
    )
    assert response.status_code == 200
    assert [item["code"] for item in response.data] == [codes[2], codes[0], codes[1]]
    assert [item["position"] for item in response.data] == [1, 2, 3]
    listed = as_bob.get(f"/orgs/{org.slug}/week").data["items"]
    assert [item["code"] for item in listed] == [codes[2], codes[0], codes[1]]


def test_reordering_with_a_stranger_code_is_refused(as_bob, org, plan):
    response = as_bob.post(
        f"/orgs/{org.slug}/week/order", {"category": "plans", "codes": ["zzz", plan["code"]]}
    )
    assert response.status_code == 400
    assert "order" in response.data["error"]["fields"]


def test_reordering_a_week_without_a_report_is_not_found(as_bob, org):
    response = as_bob.post(f"/orgs/{org.slug}/week/order", {"category": "plans", "codes": []})
    assert response.status_code == 404


def test_an_item_of_another_organization_is_not_found(client, org, plan, other_org, mallory):
    api = as_(client, mallory, other_org)
    before = written()
    for path in (url(other_org, plan["code"]), url(org, plan["code"])):
        assert api.patch(path, {"text": "Mine now"}).status_code == 404
        assert api.delete(path).status_code == 404
    assert api.post(url(other_org, plan["code"], "done"), {}).status_code == 404
    assert written() == before


def test_a_member_who_cannot_see_the_week_gets_not_found(client, org, plan, alice, sales_secret):
    """Someone in another team, even with write access, does not learn the item exists."""
    dave = make_user("dave@example.com", "Dave Sales")
    person_add(organization=org, email=dave.email, units=[sales_secret.unit], by=alice)
    response = as_(client, dave, org).post(url(org, plan["code"], "move"), {"category": "problems"})
    assert response.status_code == 404
    assert WeeklyItem.objects.get().category == "plans"


def test_a_viewer_cannot_change_even_their_own_items(client, org, team, victor):
    report = WeeklyReport.objects.create(
        organization=org,
        person=victor,
        week=dt.date(2026, 11, 9),
        carried_in_at=dt.datetime.now(dt.UTC),
    )
    item = WeeklyItem.objects.create(organization=org, report=report, category="plans", text="Old")
    api = as_(client, victor, org)
    before = written()
    assert api.patch(url(org, item.code), {"text": "New"}).status_code == 403
    assert api.post(url(org, item.code, "move"), {"category": "problems"}).status_code == 403
    assert api.post(url(org, item.code, "done"), {}).status_code == 403
    assert api.delete(url(org, item.code)).status_code == 403
    response = api.post(f"/orgs/{org.slug}/week/order", {"category": "plans", "codes": [item.code]})
    assert response.status_code == 403
    assert written() == before
    assert WeeklyItem.objects.get().text == "Old"


def test_a_lead_may_read_but_not_change_a_members_item(client, org, carol, plan):
    response = as_(client, carol, org).patch(url(org, plan["code"]), {"text": "Lead's words"})
    assert response.status_code == 403
    assert WeeklyItem.objects.get().text == "Ship the trial flow"


def test_last_weeks_items_stay_as_they_were(as_bob, org):
    with time_machine.travel("2026-11-04 10:00:00+00:00", tick=False):
        old = add(as_bob, org, category="progress", text="Shipped the beta").data
    response = as_bob.patch(url(org, old["code"]), {"text": "Rewritten history"})
    assert response.status_code == 400
    assert "week" in response.data["error"]["fields"]


# --- a team's week ----------------------------------------------------------------------------


def test_a_teams_week_lists_every_member_with_their_items(client, org, team, carol, as_bob):
    add(as_bob, org, text="Ship the trial flow")
    response = as_(client, carol, org).get(f"/orgs/{org.slug}/units/{team.code}/week")
    assert response.status_code == 200
    data = response.data
    assert data["week"] == WEEK
    assert data["unit"] == {"code": team.code, "name": "Growth", "kind": "team"}
    members = {m["person"]["email"]: m for m in data["members"]}
    assert set(members) == {"bob@example.com", "carol@example.com"}
    assert members["carol@example.com"]["is_lead"] is True
    assert members["carol@example.com"]["filled_in"] is False
    assert members["bob@example.com"]["filled_in"] is True
    assert [i["text"] for i in members["bob@example.com"]["items"]] == ["Ship the trial flow"]


def test_a_department_lead_sees_the_teams_week(client, org, team, alice, carol):
    department = team.parent
    assert department.kind == UnitKind.DEPARTMENT
    response = as_(client, alice, org).get(f"/orgs/{org.slug}/units/{department.code}/week")
    assert response.status_code == 200
    assert {m["person"]["email"] for m in response.data["members"]} >= {"bob@example.com"}


def test_a_bad_week_for_the_team_is_refused(client, org, team, carol):
    path = f"/orgs/{org.slug}/units/{team.code}/week"
    assert as_(client, carol, org).get(path, week="soon").status_code == 400


def test_people_outside_the_unit_do_not_find_its_week(
    client, org, team, victor, other_org, mallory
):
    path = f"/orgs/{org.slug}/units/{team.code}/week"
    assert as_(client, victor, org).get(path).status_code == 404
    assert as_(client, mallory, other_org).get(path).status_code == 404
    assert as_(client, victor, org).get(f"/orgs/{org.slug}/units/nope/week").status_code == 404


# --- key results to update --------------------------------------------------------------------


def test_the_key_results_to_update(as_bob, org, bob, key_result, objective):
    checkin_record(key_result=key_result, value="28", confidence=7, note="", source="web", by=bob)
    response = as_bob.get(f"/orgs/{org.slug}/week/key-results")
    assert response.status_code == 200
    [kr] = response.data
    assert (kr["code"], kr["objective"], kr["title"]) == (
        key_result.code,
        objective.code,
        key_result.title,
    )
    assert (kr["current"], kr["target"], kr["confidence"]) == ("28.0000", "40.0000", 7)
    assert kr["expected"] is not None and kr["status"]
    assert kr["mine"] is True and kr["can_check_in"] is True
    assert kr["last_checkin_at"] is not None


def test_a_viewer_has_no_key_results_to_update(client, org, team, victor, key_result):
    response = as_(client, victor, org).get(f"/orgs/{org.slug}/week/key-results")
    assert response.status_code == 200 and response.data == []


# --- queries ----------------------------------------------------------------------------------


def _fill(org, bob, key_result, objective, count: int) -> None:
    """`count` more items on bob's week: linked, carried, done, resolved — every kind."""
    last = WeeklyReport.objects.get_or_create(
        organization=org, person=bob, week=dt.date(2026, 11, 2)
    )[0]
    report = WeeklyReport.objects.get(organization=org, person=bob, week=dt.date(2026, 11, 9))
    start = WeeklyItem.objects.filter(report=report).count()
    items = []
    for n in range(start, start + count):
        source = WeeklyItem.objects.create(
            organization=org, report=last, category="progress", text=f"Old {n}"
        )
        items.append(
            WeeklyItem(
                organization=org,
                report=report,
                category=("plans", "progress", "problems")[n % 3],
                text=f"Item {n}",
                position=n,
                key_result=key_result if n % 2 else None,
                objective=objective,
                carried_from=source,
                added_by=bob,
            )
        )
    WeeklyItem.objects.bulk_create(items)


def _count(api: Api, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("route", ["week", "units/{unit}/week"])
def test_the_number_of_queries_does_not_grow_with_the_week(
    as_bob, org, bob, team, key_result, objective, route
):
    path = f"/orgs/{org.slug}/" + route.format(unit=team.code)
    add(as_bob, org, text="Make the report exist")
    _fill(org, bob, key_result, objective, 4)
    as_bob.get(path)  # the first read of the week carries last week's open items in, once
    few = _count(as_bob, path)
    _fill(org, bob, key_result, objective, 45)
    many = _count(as_bob, path)
    assert len(as_bob.get(f"/orgs/{org.slug}/week").data["items"]) == 50
    assert few == many
