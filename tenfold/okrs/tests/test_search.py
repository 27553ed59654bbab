"""Quick search (`tenfold.okrs.search.quick_search`): what it finds, in which order, for whom,
how much of it, with how many queries, and what it makes of bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from tenfold.accounts.models import User
from tenfold.conftest import build_key_result, build_objective, make_user
from tenfold.okrs.models import Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.search import KEY_RESULT, OBJECTIVE, PER_KIND, PERSON, UNIT, quick_search
from tenfold.okrs.services import cycle_create, key_result_create, objective_create
from tenfold.organizations.models import Membership, Organization, Unit, UnitKind, UnitMember
from tenfold.organizations.permissions import access_for
from tenfold.organizations.services import membership_update, person_add, unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_quarter() -> Any:
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def access(user: User, org: Organization) -> Any:
    return access_for(
        Membership.objects.select_related("organization").get(organization=org, user=user)
    )


def titles(user: User, org: Organization, query: str, kind: str = OBJECTIVE) -> list[str]:
    return [hit.title for hit in quick_search(access(user, org), query).of(kind)]


@pytest.fixture
def world(org, cycle, team, objective, key_result, alice, bob, carol, victor) -> dict[str, Any]:
    """Acme's onboarding objectives across two cycles and every visibility, and Globex's."""
    past = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )
    product = team.parent
    platform = unit_create(organization=org, name="Platform", parent=product, by=alice)
    made = {
        "past": objective_create(
            organization=org, cycle=past, unit=team, title="Onboarding checklist", by=carol
        ),
        "product": objective_create(
            organization=org,
            cycle=cycle,
            unit=product,
            title="Faster onboarding for partners",
            by=alice,
        ),
        "private": objective_create(
            organization=org,
            cycle=cycle,
            unit=team,
            title="Secret onboarding plan",
            visibility="private",
            lead=carol,
            by=carol,
        ),
        "platform": objective_create(
            organization=org,
            cycle=cycle,
            unit=platform,
            title="Platform onboarding metrics",
            visibility="unit",
            by=alice,
        ),
        "personal": objective_create(
            organization=org,
            cycle=cycle,
            owner_person=bob,
            title="Learn onboarding research",
            by=bob,
        ),
    }
    key_result_create(
        objective=made["private"],
        title="Onboarding calls booked",
        kind="reach",
        target=Decimal(30),
        by=carol,
    )
    Cycle.objects.filter(pk=past.pk).update(state=CycleState.CLOSED)
    return {**made, "objective": objective, "key_result": key_result, "platform_unit": platform}


def test_it_finds_every_kind_with_what_tells_each_apart(world, org, team, bob) -> None:
    found = quick_search(access(bob, org), "grow")
    assert [(h.title, h.context) for h in found.units] == [("Growth", ("Team", "Product"))]
    assert found.objectives == found.people == []
    assert found.key_results == []

    found = quick_search(access(bob, org), "activation")
    [kr] = found.key_results
    assert kr.kind == KEY_RESULT and kr.title == "Raise activation from 20% to 40%"
    assert kr.context == ("Customers love onboarding", "Growth", "Q4 2026")
    assert kr.path == f"/acme/key-results/{world['key_result'].code}/"
    assert (kr.cycle, kr.current) == ("Q4 2026", True)

    membership = Membership.objects.get(organization=org, user=bob)
    membership_update(
        membership=membership, title="Product analyst", by=org.memberships.get(role="owner").user
    )
    [person] = quick_search(access(bob, org), "bob").people
    assert (person.kind, person.title, person.code) == (PERSON, "Bob Member", str(bob.pk))
    assert person.context_line == "Product analyst · Growth"
    assert person.path == f"/acme/people/{bob.pk}/"


def test_the_current_cycle_comes_first_then_the_closest_match(world, org, alice) -> None:
    assert titles(alice, org, "onboarding") == [
        # Q4 2026, the current cycle: the title that starts with the query, then those with a
        # word that starts with it (by title).
        "Customers love onboarding",
        "Faster onboarding for partners",
        "Learn onboarding research",
        "Platform onboarding metrics",
        "Secret onboarding plan",
        # Q3 2026 after it, though its title starts with the query.
        "Onboarding checklist",
    ]
    found = quick_search(access(alice, org), "onboarding")
    assert [h.current for h in found.objectives] == [True] * 5 + [False]
    assert found.objectives[-1].context == ("Growth", "Q3 2026")


def test_an_exact_title_then_a_prefix_then_a_word_then_inside_then_words_apart(
    org, cycle, team, alice, bob
) -> None:
    for title in ("Team of data", "Big-data team", "Grow the data team", "Data team rituals"):
        objective_create(organization=org, cycle=cycle, unit=team, title=title, by=alice)
    objective_create(organization=org, cycle=cycle, unit=team, title="Data team", by=alice)
    assert titles(bob, org, "data team") == [
        "Data team",
        "Data team rituals",
        "Grow the data team",
        "Big-data team",
        "Team of data",
    ]


def test_the_words_of_a_query_match_apart_and_in_any_order(world, org, bob) -> None:
    assert titles(bob, org, "love customers") == ["Customers love onboarding"]
    assert titles(bob, org, "PARTNERS   faster") == ["Faster onboarding for partners"]
    assert titles(bob, org, "partners love") == []


def test_each_viewer_finds_only_what_they_may_see(world, org, alice, bob, carol, victor) -> None:
    everything = {
        "Customers love onboarding",
        "Faster onboarding for partners",
        "Learn onboarding research",
        "Platform onboarding metrics",
        "Secret onboarding plan",
        "Onboarding checklist",
    }
    assert set(titles(alice, org, "onboarding")) == everything
    # Bob: his own personal objective, not the private one of his team nor Platform's.
    assert set(titles(bob, org, "onboarding")) == everything - {
        "Secret onboarding plan",
        "Platform onboarding metrics",
    }
    # Carol leads Growth (its private objective is hers) but not Bob's personal objective.
    assert set(titles(carol, org, "onboarding")) == everything - {
        "Learn onboarding research",
        "Platform onboarding metrics",
    }
    assert set(titles(victor, org, "onboarding")) == everything - {
        "Secret onboarding plan",
        "Platform onboarding metrics",
        "Learn onboarding research",
    }
    # A key result is seen with its objective.
    assert titles(alice, org, "calls booked", KEY_RESULT) == ["Onboarding calls booked"]
    assert titles(carol, org, "calls booked", KEY_RESULT) == ["Onboarding calls booked"]
    assert titles(bob, org, "calls booked", KEY_RESULT) == []
    assert titles(victor, org, "calls booked", KEY_RESULT) == []


def test_a_member_of_a_unit_finds_its_unit_only_objectives(world, org, alice, victor) -> None:
    UnitMember.objects.create(organization=org, unit=world["platform_unit"], user=victor)
    assert "Platform onboarding metrics" in titles(victor, org, "onboarding")


def test_another_organization_is_never_searched(world, org, other_org, mallory, bob) -> None:
    globex_team = unit_create(
        organization=other_org,
        name="Growth at Globex",
        parent=Unit.objects.get(organization=other_org, parent__isnull=True),
        by=mallory,
    )
    objective = build_objective(other_org, other_org.cycles.get(), globex_team, mallory)
    build_key_result(objective, mallory, mallory)
    found = quick_search(access(bob, org), "o")
    assert "Growth at Globex" not in [h.title for h in found.units]
    assert "Mallory Outsider" not in [h.title for h in found.people]
    assert all(
        h.path.startswith("/acme/")
        for kind in (OBJECTIVE, KEY_RESULT, PERSON, UNIT)
        for h in found.of(kind)
    )
    # Not even by its code.
    assert quick_search(access(bob, org), objective.code).objectives == []
    mine = quick_search(access(mallory, other_org), "customers love")
    assert [h.path for h in mine.objectives] == [f"/globex/objectives/{objective.code}/"]


def test_a_code_finds_its_object_first(world, org, bob) -> None:
    code = world["product"].code
    found = quick_search(access(bob, org), code.upper())
    assert [h.title for h in found.objectives] == ["Faster onboarding for partners"]
    found = quick_search(access(bob, org), world["key_result"].code)
    assert [h.title for h in found.key_results] == ["Raise activation from 20% to 40%"]
    # A hidden objective's code finds nothing.
    assert quick_search(access(bob, org), world["private"].code).objectives == []


def test_people_are_found_by_name_or_email_but_service_accounts_are_not(
    org, team, bob, alice
) -> None:
    robot = make_user("robot@example.com", "Bobbin Service")
    User.objects.filter(pk=robot.pk).update(is_service=True)
    person_add(organization=org, email=robot.email, by=alice)
    assert titles(bob, org, "bob", PERSON) == ["Bob Member"]
    assert titles(bob, org, "example.com", PERSON) == [
        "Alice Owner",
        "Bob Member",
        "Carol Lead",
        "Victor Viewer",
    ]
    assert titles(bob, org, "lead", PERSON) == ["Carol Lead"]


def test_each_kind_is_capped_and_says_there_is_more(org, cycle, team, alice, bob) -> None:
    for n in range(PER_KIND + 2):
        objective = objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Launch {n:02}", by=alice
        )
        key_result_create(
            objective=objective, title=f"Launch step {n:02}", kind="reach", target=1, by=alice
        )
    found = quick_search(access(bob, org), "launch")
    assert [h.title for h in found.objectives] == [f"Launch {n:02}" for n in range(PER_KIND)]
    assert len(found.key_results) == PER_KIND == 8
    assert found.more == {OBJECTIVE: True, KEY_RESULT: True, PERSON: False, UNIT: False}
    assert found.total == 16
    smaller = quick_search(access(bob, org), "launch", per_kind=3)
    assert len(smaller.objectives) == 3 and smaller.more[OBJECTIVE]


def test_wildcards_in_the_query_are_plain_characters(org, cycle, team, alice, bob) -> None:
    objective_create(
        organization=org, cycle=cycle, unit=team, title="Reach 50% activation", by=alice
    )
    objective_create(organization=org, cycle=cycle, unit=team, title="Reach 50 teams", by=alice)
    assert titles(bob, org, "50%") == ["Reach 50% activation"]  # not "Reach 50 teams"
    assert titles(bob, org, "5_") == []  # as a wildcard, "_" would match "50"
    assert titles(bob, org, "r%h") == []  # as a wildcard, "%" would match "Reach"


def test_a_single_character_matches_only_at_the_start_of_a_word(
    org, cycle, team, alice, bob
) -> None:
    for title in ("Banana bread", "Grow a garden", "Apples first"):
        objective_create(organization=org, cycle=cycle, unit=team, title=title, by=alice)
    assert titles(bob, org, "a") == ["Apples first", "Grow a garden"]
    assert titles(bob, org, "an") == ["Banana bread"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a few letters of a title, a name or a code to search for."),
        (" \t\n ", "Type a few letters of a title, a name or a code to search for."),
        ("x" * 101, "Search for at most 100 characters (this has 101)."),
    ],
)
def test_bad_input_is_refused_with_a_message(world, org, bob, query, message) -> None:
    with pytest.raises(ValidationError) as caught:
        quick_search(access(bob, org), query)
    assert caught.value.message_dict == {"q": [message]}


def test_control_characters_in_the_query_do_not_break_it(world, org, bob) -> None:
    assert titles(bob, org, "customers\x00love") == ["Customers love onboarding"]


def test_no_cycle_yet_still_finds_people_and_units(org, team, bob) -> None:
    found = quick_search(access(bob, org), "growth")
    assert found.cycle is None
    assert [h.title for h in found.units] == ["Growth"]


# --- cost ---------------------------------------------------------------------------------------


def grow(org: Organization, cycle: Any, alice: User) -> None:
    """Sixty units, 1,200 objectives, 2,400 key results and 300 people more, all matching
    "goal" or "person", half of the objectives private."""
    root = Unit.objects.get(organization=org, parent__isnull=True)
    units = Unit.objects.bulk_create(
        Unit(organization=org, name=f"Goal team {n}", kind=UnitKind.TEAM, parent=root)
        for n in range(60)
    )
    objectives = Objective.objects.bulk_create(
        Objective(
            organization=org,
            cycle=cycle,
            unit=units[n % 60],
            title=f"Team goal {n}",
            visibility="private" if n % 2 else "organization",
            state="active",
        )
        for n in range(1200)
    )
    KeyResult.objects.bulk_create(
        KeyResult(organization=org, objective=o, title=f"Goal step {k}", target=10)
        for o in objectives
        for k in range(2)
    )
    people = User.objects.bulk_create(
        User(email=f"person{n}@example.com", name=f"Person {n}") for n in range(300)
    )
    Membership.objects.bulk_create(Membership(organization=org, user=user) for user in people)
    UnitMember.objects.bulk_create(
        UnitMember(organization=org, unit=units[n % 60], user=user) for n, user in enumerate(people)
    )


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_a_search_runs_the_same_queries_in_a_small_and_a_large_organization(
    org, cycle, team, objective, key_result, alice, bob, persona, django_assert_num_queries
) -> None:
    objective_create(organization=org, cycle=cycle, unit=team, title="Team goal", by=alice)
    person_add(organization=org, email=make_user("pat@example.com", "Personal Pat").email, by=alice)
    viewer = access({"alice": alice, "bob": bob}[persona], org)
    viewer.led_unit_ids  # noqa: B018  # read before counting, as a page's access is

    # The current cycle, then one query each for objectives, key results, people and units,
    # and one for the units of the people found.
    with django_assert_num_queries(5):
        small = quick_search(viewer, "goal")
    with django_assert_num_queries(6):
        quick_search(viewer, "person")
    grow(org, cycle, alice)
    with django_assert_num_queries(5):
        large = quick_search(viewer, "goal")
    with django_assert_num_queries(6):
        people = quick_search(viewer, "person")
    assert len(small.objectives) == 1 and not small.more[OBJECTIVE]
    assert len(large.objectives) == PER_KIND and large.more[OBJECTIVE]
    assert len(large.key_results) == PER_KIND and len(large.units) == PER_KIND
    assert len(people.people) == PER_KIND and people.more[PERSON]
    assert people.people[0].title == "Person 0"  # a name that starts with the query
    assert people.people[0].context == ("Goal team 0",)
    # The exact title comes first, and a private objective only for those who may see it.
    assert large.objectives[0].title == "Team goal"
    private = Objective.objects.get(title="Team goal 1")
    assert (private.code in [h.code for h in large.objectives]) == (persona == "alice")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only")
def test_postgresql_can_answer_the_title_condition_from_a_trigram_index(
    org, cycle, team, objective, key_result
) -> None:
    """The condition Django writes for the search's words (`UPPER(title::text) LIKE …`) is
    the expression the indexes of migration okrs 0004 hold, so the planner can use them (with
    a few rows it would rather read the table: sequential scans are turned off to ask)."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for rows in (
            Objective.objects.filter(title__icontains="onboarding"),
            KeyResult.objects.filter(title__icontains="activation"),
        ):
            sql, params = rows.values("id").query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert "Bitmap Index Scan on okrs_objective_title_trgm" in plans[0]
    assert "Bitmap Index Scan on okrs_keyresult_title_trgm" in plans[1]
