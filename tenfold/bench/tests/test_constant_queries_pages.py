"""The browsing pages run the same number of SQL queries whatever the organization's size.

Each page is counted once on a small organization, which then grows several times over (more
departments, teams, people, objectives aligned up the tree, key results, check-ins,
initiatives, weekly items), and is counted again: the two counts must be equal. Every page is
read as an owner (sees everything, may edit everything) and as a member (visibility filters,
fewer rights), because the two take different paths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Objective
from tenfold.okrs.services import (
    alignment_link,
    initiative_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import UnitKind
from tenfold.organizations.services import person_add, unit_create

START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
MID_CYCLE = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
THIS_WEEK = dt.date(2026, 11, 9)
# What building each page costs, never a kept copy (tests of kept pages: web/test_fragments).
pytestmark = pytest.mark.usefixtures("no_fragments")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


class World:
    """An organization that can be grown: departments under the company, teams under them,
    each team with people and objectives aligned to its department's, which align to the
    company's."""

    def __init__(self, clock, org, cycle, company, team, alice, carol) -> None:
        self.clock, self.org, self.cycle, self.alice = clock, org, cycle, alice
        self.company_unit = company
        self.department = team.parent
        self.team = team
        self.grown = 0
        self.top = self._objective(company, "Company objective", carol)
        self.top_kr = self._kr(self.top, "Company result", alice)
        self.department_objective = self._objective(self.department, "Department objective")
        alignment_link(child=self.department_objective, parent_objective=self.top, by=alice)
        self.team_objective = self._objective(team, "Team objective", carol)
        alignment_link(child=self.team_objective, parent_key_result=self.top_kr, by=alice)
        alignment_link(
            child=self.team_objective, parent_objective=self.department_objective, by=alice
        )
        self._kr(self.team_objective, "Team result", carol)

    def _objective(self, unit, title, lead=None, **fields) -> Objective:
        return objective_create(
            organization=self.org,
            cycle=self.cycle,
            unit=unit,
            title=title,
            lead=lead,
            state="active",
            by=self.alice,
            **fields,
        )

    def _kr(self, objective, title, owner, value=None):
        kr = key_result_create(
            objective=objective,
            title=title,
            kind="increase",
            start=Decimal(0),
            target=Decimal(100),
            owner=owner,
            by=self.alice,
        )
        if value is not None:
            checkin_record(key_result=kr, value=value, by=self.alice)
        initiative_create(key_result=kr, title=f"Work on {title}", owner=owner, by=self.alice)
        return kr

    def grow(self, departments: int, teams_each: int) -> None:
        """More of everything, in the cycle that the pages show, and more on the pages' own
        team, department and objectives too (people, objectives, children, key results)."""
        self.clock.move_to(START)
        self.grown += 1
        tag = f"g{self.grown}"
        for d in range(departments):
            department = unit_create(
                organization=self.org,
                name=f"{tag} department {d}",
                parent=self.company_unit,
                kind=UnitKind.DEPARTMENT,
                by=self.alice,
            )
            for parent_unit in (department, self.department):
                goal = self._objective(parent_unit, f"{tag} department goal {d}")
                alignment_link(child=goal, parent_objective=self.top, by=self.alice)
                for t in range(teams_each):
                    self._team(parent_unit, goal, f"{tag}-{d}-{t}")
        # The pages' own team and objectives get bigger too.
        for n in range(3):
            person = person_add(
                organization=self.org,
                email=f"{tag}-own{n}@example.com",
                units=[self.team],
                by=self.alice,
            ).user
            kr = self._kr(self.team_objective, f"{tag} own result {n}", person, value=10 + n)
            self._week(person, kr)
            extra = self._objective(self.team, f"{tag} own objective {n}", person)
            self._kr(extra, f"{tag} own extra result {n}", person, value=50)
        self.clock.move_to(MID_CYCLE)

    def _team(self, parent_unit, goal, tag: str) -> None:
        unit = unit_create(
            organization=self.org, name=f"team {tag}", parent=parent_unit, by=self.alice
        )
        people = [
            person_add(
                organization=self.org, email=f"{tag}-{n}@example.com", units=[unit], by=self.alice
            ).user
            for n in range(3)
        ]
        for k in range(2):
            objective = self._objective(unit, f"team {tag} objective {k}", people[0])
            first = self._kr(objective, f"team {tag} result {k}a", people[1], value=5 + k * 40)
            self._kr(objective, f"team {tag} result {k}b", people[2])
            if k == 0:
                alignment_link(child=objective, parent_objective=goal, by=self.alice)
                alignment_link(child=objective, parent_key_result=self.top_kr, by=self.alice)
            else:
                alignment_link(child=objective, parent_objective=self.top, by=self.alice)
            self._week(people[1], first)
        self._objective(unit, f"team {tag} secret", people[0], visibility="private")

    def _week(self, person, kr) -> None:
        report, _ = WeeklyReport.objects.get_or_create(
            organization=self.org, person=person, week=THIS_WEEK
        )
        for category in ("plans", "progress", "problems"):
            WeeklyItem.objects.create(
                organization=self.org,
                report=report,
                category=category,
                text=f"{category} for {kr.title}",
                key_result=kr,
            )


@pytest.fixture
def world(clock, org, cycle, company, team, alice, carol):
    built = World(clock, org, cycle, company, team, alice, carol)
    clock.move_to(MID_CYCLE)
    return built


def _url(name: str, world: World) -> tuple[str, dict[str, str]]:
    slug = world.org.slug
    htmx = {"HX-Request": "true"}
    pages: dict[str, tuple[str, dict[str, str]]] = {
        "company dashboard": (reverse("dashboard", args=[slug]), {}),
        "company page": (reverse("company", args=[slug]), {}),
        "tree": (reverse("tree", args=[slug]), {}),
        "tree, a department opened": (
            reverse("tree_unit", args=[slug, world.department.code]),
            htmx,
        ),
        "tree, the company opened": (
            reverse("tree_unit", args=[slug, world.company_unit.code]),
            htmx,
        ),
        "tree, a company objective opened": (
            reverse("tree_objective", args=[slug, world.top.code]),
            htmx,
        ),
        "tree, a team objective opened": (
            reverse("tree_objective", args=[slug, world.team_objective.code]),
            htmx,
        ),
        "department page": (reverse("unit", args=[slug, world.department.code]), {}),
        "team page": (reverse("unit", args=[slug, world.team.code]), {}),
        "team dashboard": (reverse("team_dashboard", args=[slug, world.team.code]), {}),
        "company objective": (reverse("objective", args=[slug, world.top.code]), {}),
        "team objective": (reverse("objective", args=[slug, world.team_objective.code]), {}),
    }
    return pages[name]


PAGES = [
    "company dashboard",
    "company page",
    "tree",
    "tree, a department opened",
    "tree, the company opened",
    "tree, a company objective opened",
    "tree, a team objective opened",
    "department page",
    "team page",
    "team dashboard",
    "company objective",
    "team objective",
]


def count_queries(client, url: str, headers: dict[str, str]) -> tuple[int, int]:
    """Queries and response size of one warm request."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return len(captured.captured_queries), len(response.content)


def measure(client, world: World, pages: list[str]) -> dict[str, tuple[int, int]]:
    """Queries and size of each page, warm (the first visit stores the organization in the
    session and fills what a process keeps)."""
    counts = {}
    for page in pages:
        url, headers = _url(page, world)
        client.get(url, headers=headers)
        counts[page] = count_queries(client, url, headers)
    return counts


def small_and_large(
    client, world: World, pages: list[str]
) -> tuple[dict[str, int], dict[str, int]]:
    small = measure(client, world, pages)
    world.grow(departments=3, teams_each=3)
    large = measure(client, world, pages)
    for page in pages:
        # The organization did grow under the page: if a page shows none of it, its size still
        # changes through counts and the people it may offer.
        assert large[page][1] != small[page][1] or page.startswith("tree, a team"), page
    return {p: c for p, (c, _) in small.items()}, {p: c for p, (c, _) in large.items()}


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_every_page_runs_the_same_queries_at_two_sizes(client, world, persona, request):
    """One organization grown once under every page (growing it is what takes the time)."""
    client.force_login(request.getfixturevalue(persona))
    small, large = small_and_large(client, world, PAGES)
    differing = [f"{p}: {small[p]} small, {large[p]} large" for p in PAGES if small[p] != large[p]]
    assert not differing, f"as {persona}: " + "; ".join(differing)
    many = [f"{p}: {small[p]}" for p in PAGES if small[p] > 25]
    assert not many, f"as {persona}, more than 25 queries: " + "; ".join(many)


def test_a_query_per_row_would_be_caught(client, world, alice, monkeypatch):
    """The comparison is able to fail: one extra query per objective shown is noticed."""
    from tenfold.okrs import selectors

    annotate: Callable[..., Any] = selectors.annotate_statuses

    def one_query_per_objective(objectives, cycle, today=None, newest_below=None):
        for objective in objectives:
            Objective.objects.filter(pk=objective.pk).exists()
        return annotate(objectives, cycle, today, newest_below)

    monkeypatch.setattr("tenfold.web.views.browse.annotate_statuses", one_query_per_objective)
    client.force_login(alice)
    small, large = small_and_large(client, world, ["team page"])
    assert large["team page"] > small["team page"]
