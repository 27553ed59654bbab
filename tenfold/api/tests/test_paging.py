"""Paging and `updated_since` on the API's lists: the body stays a JSON array, the headers say
how many rows there are and where the next page is, walking the pages sees every row once, the
number of queries does not grow with the list, and bad paging parameters name themselves."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_correct, checkin_record
from tenfold.kpis.services import kpi_create
from tenfold.okrs.models import Cycle, Objective
from tenfold.okrs.services import cycle_create, objective_create, objective_update
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.social.services import comment_add

from .conftest import OpenApiClient, token_for

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def api(client, org, team, alice) -> OpenApiClient:
    return OpenApiClient(client, token_for(alice, org))


def walk(api: OpenApiClient, path: str, limit: int, **params: Any) -> tuple[list[str], int]:
    """Every row's code, following the `next` links; and how many pages it took."""
    seen: list[str] = []
    query: dict[str, Any] | None = {"limit": limit, **params}
    pages = 0
    while query is not None:
        response = api.get(path, **query)
        assert response.status_code == 200, response.data
        assert isinstance(response.data, list)
        seen += [row["code"] for row in response.data]
        pages += 1
        found = re.search(r'<[^>?]*\?([^>]*)>; rel="next"', response.get("Link", ""))
        query = dict(parse_qsl(found.group(1))) if found else None
        assert pages < 50
    return seen, pages


def queries(api: OpenApiClient, path: str, **params: Any) -> int:
    api.get(path, **params)  # the token's first use of the minute notes the time
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path, **params).status_code == 200
    return len(captured)


def objectives(org: Any, cycle: Any, team: Any, by: Any, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Goal {number}", state="active", by=by
        )


# --- headers and walking ------------------------------------------------------------------------


def test_cycles_come_in_pages_with_headers(api, org, alice):
    for month in range(1, 8):
        cycle_create(
            organization=org,
            name=f"M{month}",
            start=dt.date(2026, month, 1),
            end=dt.date(2026, month, 28),
            kind="month",
            by=alice,
        )
    first = api.get("/orgs/acme/cycles", limit=3)
    assert first["X-Total-Count"] == "7" and len(first.data) == 3
    assert 'rel="next"' in first["Link"] and 'rel="prev"' not in first["Link"]
    assert "offset=3" in first["Link"] and "limit=3" in first["Link"]
    last = api.get("/orgs/acme/cycles", limit=3, offset=6)
    assert len(last.data) == 1 and 'rel="prev"' in last["Link"] and 'rel="next"' not in last["Link"]
    seen, pages = walk(api, "/orgs/acme/cycles", 3)
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    assert sorted(seen) == sorted(Cycle.objects.values_list("code", flat=True))
    whole = api.get("/orgs/acme/cycles")
    assert [c["code"] for c in whole.data] == seen and "Link" not in whole


def test_walking_objectives_sees_each_once(api, org, cycle, team, carol):
    objectives(org, cycle, team, carol, 8)
    seen, pages = walk(api, "/orgs/acme/objectives", 3, cycle=cycle.code)
    assert pages == 3 and len(seen) == len(set(seen)) == 8
    assert set(seen) == set(Objective.objects.values_list("code", flat=True))
    other_cycle = api.get("/orgs/acme/objectives", cycle=cycle.code, limit=2, offset=8)
    assert other_cycle.data == [] and other_cycle["X-Total-Count"] == "8"


def test_objectives_changed_since(api, org, cycle, team, carol, _now):
    objectives(org, cycle, team, carol, 3)
    _now.shift(dt.timedelta(hours=2))
    moment = dt.datetime.now(dt.UTC)
    touched = Objective.objects.get(title="Goal 1")
    objective_update(objective=touched, title="Goal 1, sharper", by=carol)
    objectives(org, cycle, team, carol, 1, start=3)
    response = api.get("/orgs/acme/objectives", updated_since=moment.isoformat())
    assert sorted(o["title"] for o in response.data) == ["Goal 1, sharper", "Goal 3"]
    assert response["X-Total-Count"] == "2"
    naive = api.get("/orgs/acme/objectives", updated_since=moment.replace(tzinfo=None).isoformat())
    assert len(naive.data) == 2


def test_check_ins_are_paged_and_keep_their_corrections(api, org, key_result, bob, _now):
    made = []
    for day in range(6):
        _now.move_to(NOW - dt.timedelta(days=10 - day))
        made.append(checkin_record(key_result=key_result, value=21 + day, by=bob))
    _now.move_to(NOW)
    fixed = checkin_correct(checkin=made[-1], value=30, reason="Typo", by=bob)
    path = f"/orgs/acme/key-results/{key_result.code}/check-ins"
    seen, _pages = walk(api, path, 2)
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == set(CheckIn.objects.values_list("code", flat=True))
    # The correction and its original are both measured at the original's moment; they may
    # fall on different pages and still point at each other.
    rows = {
        row["code"]: row
        for offset in (0, 2, 4, 6)
        for row in api.get(path, limit=2, offset=offset).data
    }
    assert rows[made[-1].code]["superseded_by"] == fixed.code
    assert rows[fixed.code]["supersedes"] == made[-1].code
    recent = api.get(path, updated_since=(NOW - dt.timedelta(hours=1)).isoformat())
    assert [row["code"] for row in recent.data] == [fixed.code]


def test_kpis_and_comments_changed_since(api, org, team, carol, bob, objective, _now):
    kpi_create(organization=org, unit=team, name="Old", target="1", by=carol)
    bob_access = access_for(Membership.objects.get(organization=org, user=bob))
    comment_add(access=bob_access, target=objective, body="First")
    _now.shift(dt.timedelta(days=1))
    moment = dt.datetime.now(dt.UTC).isoformat()
    kpi_create(organization=org, unit=team, name="New", target="2", by=carol)
    comment_add(access=bob_access, target=objective, body="Second")
    kpis = api.get("/orgs/acme/kpis", updated_since=moment)
    assert [k["name"] for k in kpis.data] == ["New"] and kpis["X-Total-Count"] == "1"
    assert len(api.get("/orgs/acme/kpis").data) == 2
    comments = api.get(
        "/orgs/acme/comments", target_kind="objective", target=objective.code, updated_since=moment
    )
    assert [c["body"] for c in comments.data] == ["Second"]
    page = api.get("/orgs/acme/comments", target_kind="objective", target=objective.code, limit=1)
    assert page["X-Total-Count"] == "2" and [c["body"] for c in page.data] == ["First"]


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/acme/ideas",
        "/orgs/acme/examples",
        "/orgs/acme/deliveries",
        "/orgs/acme/webhooks",
        "/orgs/acme/inbound-messages",
        "/orgs/acme/subscribers",
        "/orgs/acme/initiatives",
    ],
)
def test_every_list_says_how_many_rows_there_are(api, path):
    response = api.get(path, limit=1)
    assert response.status_code == 200 and isinstance(response.data, list)
    assert int(response["X-Total-Count"]) >= len(response.data)


def test_a_cycles_reviews_are_paged(api, org, cycle, objective, alice):
    from tenfold.okrs.services import cycle_set_state

    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    every = api.get(f"/orgs/acme/cycles/{cycle.code}/reviews")
    assert len(every.data) >= 2
    first = api.get(f"/orgs/acme/cycles/{cycle.code}/reviews", limit=1)
    assert len(first.data) == 1 and first["X-Total-Count"] == str(len(every.data))
    assert first.data[0]["code"] == every.data[0]["code"]


# --- bad parameters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"offset": -1}, "offset"),
        ({"updated_since": "last tuesday"}, "updated_since"),
    ],
)
def test_bad_paging_parameters_name_themselves(api, cycle, params, field):
    response = api.get("/orgs/acme/objectives", **params)
    assert response.status_code == 400
    assert field in response.data["error"]["fields"]


# --- a fixed number of queries ------------------------------------------------------------------


def test_lists_run_the_same_queries_at_two_sizes(
    api, org, cycle, team, carol, key_result, bob, alice
):
    bob_access = access_for(Membership.objects.get(organization=org, user=bob))

    def grow(count: int, start: int) -> None:
        objectives(org, cycle, team, carol, count, start)
        for number in range(start, start + count):
            checkin_record(key_result=key_result, value=20 + number, by=bob)
            kpi_create(organization=org, unit=team, name=f"KPI {number}", target="1", by=carol)
            comment_add(access=bob_access, target=key_result.objective, body=f"Note {number}")
            cycle_create(
                organization=org,
                name=f"C{number}",
                start=dt.date(2025, 1, 1) + dt.timedelta(days=number),
                end=dt.date(2025, 6, 1),
                by=alice,
            )

    checks = {
        "/orgs/acme/cycles": {},
        "/orgs/acme/objectives": {"cycle": cycle.code},
        f"/orgs/acme/key-results/{key_result.code}/check-ins": {},
        "/orgs/acme/kpis": {},
        "/orgs/acme/comments": {"target_kind": "objective", "target": key_result.objective.code},
    }
    grow(2, 0)
    small = {path: queries(api, path, **params) for path, params in checks.items()}
    grow(12, 2)
    large = {path: queries(api, path, **params) for path, params in checks.items()}
    assert large == small


def test_updated_since_is_read_in_utc_whatever_its_offset():
    import datetime as dt

    from tenfold.api.paging import since

    wide = dt.datetime(84, 12, 7, 22, 7, tzinfo=dt.timezone(dt.timedelta(hours=23, minutes=47)))
    assert since(wide) == dt.datetime(84, 12, 6, 22, 20, tzinfo=dt.UTC)
    assert since(wide).utcoffset() == dt.timedelta(0)
    early = dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert since(early) == dt.datetime.min.replace(tzinfo=dt.UTC)
    late = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert since(late) == dt.datetime.max.replace(tzinfo=dt.UTC)
    assert since(dt.datetime(2026, 1, 1)) == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_moment_with_a_wide_offset_filters_instead_of_failing(client, org, key_result, alice):
    client.force_login(alice)
    response = client.get(
        f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        {"updated_since": "0084-12-07T22:07:04.397596+23:47"},
    )
    assert response.status_code == 200
