"""The weekly pages, the check-in write and the API reads run the same number of queries for
a small and a larger organization, and for a person with a short and a long history.

Each test measures once, grows the data (more teams with people, objectives, key results,
check-ins and weekly items; or more weeks of one person's history), measures again and
compares. The check-in write walks up the alignment chain, one step per level: its count
grows with the depth of the chain (a fixed amount per level), never with the organization."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.checkins.weekly import week_of
from tenfold.okrs.models import Cycle, KeyResult, Objective
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.services import person_add, unit_create

NOW = "2026-11-18 12:00:00+00:00"  # a Wednesday in the `cycle` fixture's quarter
HTMX = {"HX-Request": "true"}
API = "/api/v1"

# What building each answer costs, never a kept copy (tests of kept pages: test_fragments).
pytestmark = pytest.mark.usefixtures("_frozen", "no_fragments")


@pytest.fixture
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queries(call: Callable[[], Any], status: int = 200) -> int:
    """Run `call` once to warm up (carry-over, session), then count the queries of a second
    run."""
    assert call().status_code == status
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == status
    return len(captured)


# --- growing the data -----------------------------------------------------------------------


class Grower:
    """Adds whole teams to the organization: people, a team objective aligned to a company
    objective, key results with weekly check-ins, and weekly reports with items."""

    def __init__(self, org: Organization, cycle: Cycle, owner: Any) -> None:
        self.org, self.cycle, self.owner = org, cycle, owner
        self.company = Unit.objects.get(organization=org, parent__isnull=True)
        self.top = objective_create(
            organization=org,
            cycle=cycle,
            unit=self.company,
            title="The company grows",
            state="active",
            by=owner,
        )
        self.teams = 0

    def teams_add(self, count: int, people: int = 4, weeks: int = 3) -> None:
        for _ in range(count):
            self.teams += 1
            n = self.teams
            dept = unit_create(
                organization=self.org,
                name=f"Department {n}",
                parent=self.company,
                kind=UnitKind.DEPARTMENT,
                by=self.owner,
            )
            team = unit_create(organization=self.org, name=f"Team {n}", parent=dept, by=self.owner)
            members = [
                person_add(
                    organization=self.org,
                    email=f"p{n}-{i}@example.com",
                    name=f"Person {n}-{i}",
                    units=[team],
                    lead_of=[team] if i == 0 else None,
                    by=self.owner,
                ).user
                for i in range(people)
            ]
            objective = objective_create(
                organization=self.org,
                cycle=self.cycle,
                unit=team,
                title=f"Team {n} delivers",
                lead=members[0],
                state="active",
                by=self.owner,
            )
            alignment_link(child=objective, parent_objective=self.top, by=self.owner)
            krs = [
                key_result_create(
                    objective=objective,
                    title=f"Measure {n}-{k}",
                    kind="increase",
                    start=Decimal(0),
                    target=Decimal(100),
                    owner=members[k % people],
                    by=self.owner,
                )
                for k in range(3)
            ]
            for kr in krs:
                readings(kr, members[0], weeks)
            for person in members:
                history(self.org, person, weeks, objective=objective, key_result=krs[0])


def readings(kr: KeyResult, author: Any, weeks: int) -> None:
    """One check-in a week for `weeks` weeks before now."""
    now = dt.datetime.fromisoformat(NOW)
    CheckIn.objects.bulk_create(
        CheckIn(
            organization_id=kr.organization_id,
            key_result=kr,
            value=Decimal(5 * w),
            confidence=Decimal("0.7"),
            author=author,
            measured_at=now - dt.timedelta(days=7 * (weeks - w)),
        )
        for w in range(weeks)
    )


def history(
    org: Organization,
    person: Any,
    weeks: int,
    *,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
) -> None:
    """`weeks` past weekly reports of five items each (linked, carried, done, a problem)."""
    current = week_of(org)
    oldest = WeeklyReport.objects.filter(organization=org, person=person).order_by("week").first()
    start = oldest.week if oldest else current
    previous: list[WeeklyItem] = []
    for w in range(weeks, 0, -1):
        report = WeeklyReport.objects.create(
            organization=org, person=person, week=start - dt.timedelta(days=7 * w)
        )
        items = [
            WeeklyItem(
                organization=org,
                report=report,
                category=("plans", "progress", "problems", "plans", "progress")[i],
                text=f"Work {w}-{i}",
                position=i,
                objective=objective if i % 2 else None,
                key_result=key_result if i == 1 else None,
                carried_from=previous[i] if previous and i == 0 else None,
                done_at=dt.datetime.fromisoformat(NOW) if i == 4 else None,
                added_by=person,
            )
            for i in range(5)
        ]
        previous = WeeklyItem.objects.bulk_create(items)


@pytest.fixture
def grower(org: Organization, cycle: Cycle, alice: Any, team: Unit) -> Grower:
    grower = Grower(org, cycle, alice)
    grower.teams_add(1)
    return grower


@pytest.fixture
def bobs_work(
    org: Organization, bob: Any, carol: Any, objective: Objective, key_result: KeyResult
) -> KeyResult:
    """Bob's team objective, aligned upward, with a key result bob updates, and his items."""
    top = Objective.objects.get(title="The company grows")
    alignment_link(child=objective, parent_objective=top, by=carol)
    readings(key_result, bob, 2)
    history(org, bob, 2, objective=objective, key_result=key_result)
    history(org, carol, 2, objective=objective, key_result=key_result)
    return key_result


def more_work(org: Organization, person: Any, kr: KeyResult, count: int = 3) -> None:
    """More key results on `kr`'s objective for `person` to update, each with readings, and
    more items in the person's current week, some linked to them."""
    for n in range(count):
        extra = key_result_create(
            objective=kr.objective,
            title=f"Extra measure {n} {KeyResult.objects.count()}",
            kind="increase",
            start=Decimal(0),
            target=Decimal(10),
            owner=person,
            by=person,
        )
        readings(extra, person, 4)
    report, _created = WeeklyReport.objects.get_or_create(
        organization=org, person=person, week=week_of(org)
    )
    WeeklyItem.objects.bulk_create(
        WeeklyItem(
            organization=org,
            report=report,
            category=("plans", "progress", "problems")[n % 3],
            text=f"More work {n}",
            position=100 + n,
            objective=kr.objective if n % 2 or n % 3 == 0 else None,
            key_result=kr if n % 3 == 0 else None,
            added_by=person,
        )
        for n in range(count * 3)
    )


def same_after_growth(
    grower: Grower, measure: Callable[[], int], more: Callable[[], None] | None = None
) -> None:
    small = measure()
    grower.teams_add(4)
    if more is not None:
        more()
    assert measure() == small


# --- weekly pages -------------------------------------------------------------------------


def test_my_week_does_not_grow_with_the_organization(
    org: Organization, bob: Any, grower: Grower, bobs_work: KeyResult
) -> None:
    client = client_for(bob)
    url = reverse("my_week", args=[org.slug])
    more = lambda: more_work(org, bob, bobs_work)  # noqa: E731
    same_after_growth(grower, lambda: queries(lambda: client.get(url)), more)


def test_my_week_does_not_grow_with_a_persons_history(
    org: Organization, bob: Any, grower: Grower, bobs_work: KeyResult, objective: Objective
) -> None:
    client = client_for(bob)
    url = reverse("my_week", args=[org.slug])
    short = queries(lambda: client.get(url))
    history(org, bob, 18, objective=objective, key_result=bobs_work)
    readings(bobs_work, bob, 18)
    assert queries(lambda: client.get(url)) == short


def test_my_week_board_fragment_does_not_grow(
    org: Organization, bob: Any, grower: Grower, bobs_work: KeyResult
) -> None:
    client = client_for(bob)
    url = reverse("my_week", args=[org.slug])
    more = lambda: more_work(org, bob, bobs_work)  # noqa: E731
    same_after_growth(grower, lambda: queries(lambda: client.get(url, headers=HTMX)), more)


def test_team_week_does_not_grow_with_the_organization_or_the_team(
    org: Organization, bob: Any, carol: Any, team: Unit, grower: Grower, bobs_work: KeyResult
) -> None:
    client = client_for(carol)
    url = reverse("team_week", args=[org.slug, team.code])
    small = queries(lambda: client.get(url))
    grower.teams_add(3)
    for i in range(5):  # the team itself grows too
        person = person_add(
            organization=org, email=f"new{i}@example.com", name=f"New {i}", units=[team], by=carol
        ).user
        history(org, person, 3, objective=bobs_work.objective, key_result=bobs_work)
    more_work(org, bob, bobs_work, 2)
    assert queries(lambda: client.get(url)) == small


# --- the check-in write -------------------------------------------------------------------


def _raise(org: Organization, cycle: Cycle, objective: Objective, by: Any) -> Objective:
    """Align `objective` under a new company objective; returns the new one (the new top)."""
    parent = objective_create(
        organization=org,
        cycle=cycle,
        unit=Unit.objects.get(organization=org, parent__isnull=True),
        title=f"Above {objective.title}",
        state="active",
        by=by,
    )
    alignment_link(child=objective, parent_objective=parent, by=by)
    return parent


def _web_checkin(client: Client, org: Organization, kr: KeyResult, htmx: bool) -> Callable[[], Any]:
    url = reverse("week_checkin", args=[org.slug, kr.code])
    data = {f"{kr.code}-value": "30", f"{kr.code}-confidence": "7"}
    return lambda: client.post(url, data, headers=HTMX if htmx else None)


def _form_checkin(client: Client, org: Organization, kr: KeyResult) -> Callable[[], Any]:
    url = reverse("key_result_checkin", args=[org.slug, kr.code])
    data = {f"{kr.code}-value": "30", f"{kr.code}-confidence": "7"}
    return lambda: client.post(url, data)


def _api_checkin(client: Client, org: Organization, kr: KeyResult) -> Callable[[], Any]:
    url = f"{API}/orgs/{org.slug}/key-results/{kr.code}/check-ins"
    body = json.dumps({"value": 30, "confidence": 7})
    return lambda: client.post(url, body, content_type="application/json")


WRITES = {
    "my week, htmx": (lambda c, o, k: _web_checkin(c, o, k, True), 200),
    "my week, plain": (lambda c, o, k: _web_checkin(c, o, k, False), 302),
    "key-result form": (_form_checkin, 302),
    "api": (_api_checkin, 201),
}


@pytest.mark.parametrize("way", WRITES)
def test_a_checkin_write_does_not_grow_with_the_organization_or_the_history(
    org: Organization, bob: Any, grower: Grower, bobs_work: KeyResult, way: str
) -> None:
    make, status = WRITES[way]
    write = make(client_for(bob), org, bobs_work)
    small = queries(write, status)
    grower.teams_add(4)
    readings(bobs_work, bob, 20)
    more_work(org, bob, bobs_work)
    assert queries(write, status) == small


@pytest.mark.parametrize("way", WRITES)
def test_a_checkin_write_grows_by_a_fixed_step_per_level_of_alignment(
    org: Organization,
    cycle: Cycle,
    alice: Any,
    bob: Any,
    grower: Grower,
    bobs_work: KeyResult,
    way: str,
) -> None:
    """The roll-up is O(depth of the alignment chain): each level adds the same queries."""
    make, status = WRITES[way]
    write = make(client_for(bob), org, bobs_work)
    counts = []
    top = Objective.objects.get(title="The company grows")
    for _ in range(3):
        counts.append(queries(write, status))
        top = _raise(org, cycle, top, alice)
    steps = {b - a for a, b in itertools.pairwise(counts)}
    assert len(steps) == 1, counts
    # Four queries a level, and the change counter moving beside its write.
    assert steps.pop() <= 5, counts


# --- API reads ----------------------------------------------------------------------------


def _api_get(client: Client, path: str) -> Callable[[], Any]:
    return lambda: client.get(API + path)


READS = {
    "objectives of a cycle": lambda o, kr: f"/orgs/{o.slug}/objectives",
    "second page": lambda o, kr: f"/orgs/{o.slug}/objectives?limit=2&offset=2",
    "changed objectives": lambda o, kr: f"/orgs/{o.slug}/objectives?updated_since=2026-01-01T00:00",
    "key results to update": lambda o, kr: f"/orgs/{o.slug}/week/key-results",
    "check-ins": lambda o, kr: f"/orgs/{o.slug}/key-results/{kr.code}/check-ins",
    "people": lambda o, kr: f"/orgs/{o.slug}/people",
    "units": lambda o, kr: f"/orgs/{o.slug}/units",
    "objective": lambda o, kr: f"/orgs/{o.slug}/objectives/{kr.objective.code}",
    "key result": lambda o, kr: f"/orgs/{o.slug}/key-results/{kr.code}",
    "my week": lambda o, kr: f"/orgs/{o.slug}/week",
}


@pytest.mark.parametrize("read", READS)
def test_an_api_read_does_not_grow_with_the_organization(
    org: Organization, alice: Any, grower: Grower, bobs_work: KeyResult, read: str
) -> None:
    more_work(org, alice, bobs_work, 1)  # a week with items, so both counts read them
    call = _api_get(client_for(alice), READS[read](org, bobs_work))
    small = queries(call)
    grower.teams_add(4)
    readings(bobs_work, alice, 20)
    more_work(org, alice, bobs_work)
    assert queries(call) == small


def test_an_api_read_by_a_member_does_not_grow_either(
    org: Organization, bob: Any, grower: Grower, bobs_work: KeyResult
) -> None:
    client = client_for(bob)
    calls = [_api_get(client, READS[name](org, bobs_work)) for name in READS]
    small = [queries(call) for call in calls]
    grower.teams_add(4)
    more_work(org, bob, bobs_work)
    assert [queries(call) for call in calls] == small
