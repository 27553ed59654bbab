"""Who may see and change what: the Access rules for every persona.

The tree: Acme (company, alice leads) → Product (department, dave leads) → Growth (team: carol
leads, bob is a member); Acme → Sales (team: erin is a member). Victor only views; mallory
belongs to another organization."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.http import Http404

from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Membership, Unit
from tenfold.organizations.permissions import access_for
from tenfold.organizations.selectors import access_to
from tenfold.organizations.services import person_add, unit_create

PERSONAS = ("alice", "bob", "carol", "victor", "dave", "erin")


@pytest.fixture
def world(org, company, team, cycle, alice, bob, carol, victor):
    product = team.parent
    sales = unit_create(organization=org, name="Sales", parent=company, by=alice)
    dave = person_add(
        organization=org,
        email="dave@example.com",
        name="Dave",
        role="lead",
        lead_of=[product],
        by=alice,
    ).user
    erin = person_add(
        organization=org, email="erin@example.com", name="Erin", units=[sales], by=alice
    ).user

    def objective(title, **fields):
        fields.setdefault("unit", team)
        return objective_create(organization=org, cycle=cycle, title=title, by=alice, **fields)

    people = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "victor": victor,
        "dave": dave,
        "erin": erin,
    }
    return SimpleNamespace(
        people=people,
        access={
            name: access_for(Membership.objects.get(organization=org, user=user))
            for name, user in people.items()
        },
        units={"company": company, "product": product, "growth": team, "sales": sales},
        objectives={
            "open": objective("Open", visibility="organization"),
            "unit": objective("Unit only", visibility="unit"),
            "private": objective("Private", visibility="private"),
            "department": objective("Department", unit=product),
            "personal": objective("Bob grows", unit=None, level="personal", owner_person=bob),
            "personal_led": objective(
                "Bob grows with Carol", unit=None, level="personal", owner_person=bob, lead=carol
            ),
        },
    )


def matrix(table):
    """Rows of 'T'/'F' per persona, as (persona, column, expected) parameters."""
    columns, *rows = table
    return [
        pytest.param(persona, column, mark == "T", id=f"{persona}-{column}")
        for persona, marks in rows
        for column, mark in zip(columns, marks.split(), strict=True)
    ]


VIEW = [
    ("open", "unit", "private", "department", "personal", "personal_led"),
    ("alice", "T T T T T T"),
    ("bob", "T T F T T T"),
    ("carol", "T T T T F T"),
    ("victor", "T F F T F F"),
    ("dave", "T T T T F F"),
    ("erin", "T F F T F F"),
]


@pytest.mark.parametrize(("persona", "objective", "expected"), matrix(VIEW))
def test_who_can_view_an_objective(world, persona, objective, expected):
    assert world.access[persona].can_view_objective(world.objectives[objective]) is expected


EDIT = [
    ("open", "unit", "private", "department", "personal", "personal_led"),
    ("alice", "T T T T T T"),
    ("bob", "T T F F T T"),
    ("carol", "T T T F F F"),
    ("victor", "F F F F F F"),
    ("dave", "T T T T F F"),
    ("erin", "F F F F F F"),
]


@pytest.mark.parametrize(("persona", "objective", "expected"), matrix(EDIT))
def test_who_can_edit_an_objective(world, persona, objective, expected):
    assert world.access[persona].can_edit_objective(world.objectives[objective]) is expected


@pytest.mark.parametrize(("persona", "objective", "expected"), matrix(EDIT))
def test_nobody_can_edit_an_objective_they_cannot_see(world, persona, objective, expected):
    access, target = world.access[persona], world.objectives[objective]
    assert not access.can_edit_objective(target) or access.can_view_objective(target)


CREATE = [
    ("company", "product", "growth", "sales"),
    ("alice", "T T T T"),
    ("bob", "F F T F"),
    ("carol", "F F T F"),
    ("victor", "F F F F"),
    ("dave", "F T T F"),
    ("erin", "F F F T"),
]


@pytest.mark.parametrize(("persona", "unit", "expected"), matrix(CREATE))
def test_who_can_create_objectives_in_a_unit(world, persona, unit, expected):
    target = world.units[unit]
    assert world.access[persona].can_create_in_unit(target.id, target.kind) is expected


def test_the_lead_of_a_department_covers_every_unit_below_it(world):
    assert world.access["dave"].led_unit_ids == {
        world.units["product"].id,
        world.units["growth"].id,
    }
    assert world.access["alice"].led_unit_ids == {u.id for u in world.units.values()}
    assert world.access["carol"].led_unit_ids == {world.units["growth"].id}
    assert world.access["bob"].led_unit_ids == set()


@pytest.fixture
def department_kr(world):
    """A key result bob owns on a department objective he cannot edit."""
    return key_result_create(
        objective=world.objectives["department"],
        title="K",
        start=D(0),
        target=D(1),
        owner=world.people["bob"],
        by=world.people["dave"],
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("bob", True),
        ("dave", True),
        ("alice", True),
        ("carol", False),
        ("erin", False),
        ("victor", False),
    ],
)
def test_the_key_result_owner_can_check_in_without_editing_the_objective(
    world, department_kr, persona, expected
):
    objective = world.objectives["department"]
    assert world.access[persona].can_check_in(department_kr, objective) is expected


def test_a_viewer_can_never_write_even_as_lead_and_owner(org, cycle, world):
    victor = world.people["victor"]
    led = objective_create(
        organization=org,
        cycle=cycle,
        unit=world.units["growth"],
        title="Victor's",
        lead=victor,
        by=world.people["alice"],
    )
    kr = key_result_create(
        objective=led, title="K", start=D(0), target=D(1), owner=victor, by=world.people["alice"]
    )
    access = world.access["victor"]
    assert access.can_view_objective(led)
    assert not access.can_edit_objective(led)
    assert not access.can_check_in(kr, led)
    assert not access.can_manage_organization()
    assert not any(access.can_create_in_unit(u.id, u.kind) for u in world.units.values())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("alice", True), ("bob", False), ("carol", False), ("victor", False), ("dave", False)],
)
def test_only_owners_and_admins_manage_the_organization(world, persona, expected):
    assert world.access[persona].can_manage_organization() is expected


def test_an_outsider_cannot_even_learn_that_the_organization_exists(world, mallory, other_org):
    with pytest.raises(Http404):
        access_to(mallory, "acme")
    organization, access = access_to(world.people["bob"], "acme")
    assert (organization.slug, access.membership.role) == ("acme", "member")


def test_an_anonymous_visitor_gets_no_access(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        access_to(AnonymousUser(), "acme")


# --- query counts -----------------------------------------------------------------------------


def grow(org, parent, alice, teams):
    for index in range(teams):
        Unit.objects.create(organization=org, name=f"Team {index}", parent=parent, kind="team")


@pytest.mark.parametrize("teams", [0, 40])
def test_building_a_leads_access_takes_two_queries_whatever_the_tree(
    world, org, alice, django_assert_num_queries, teams
):
    grow(org, world.units["product"], alice, teams)
    membership = Membership.objects.get(organization=org, user=world.people["dave"])
    with django_assert_num_queries(2):
        access = access_for(membership)
    assert len(access.led_unit_ids) == 2 + teams


@pytest.mark.parametrize("teams", [0, 40])
def test_building_a_members_access_takes_one_query_whatever_the_tree(
    world, org, alice, django_assert_num_queries, teams
):
    grow(org, world.units["product"], alice, teams)
    membership = Membership.objects.get(organization=org, user=world.people["bob"])
    with django_assert_num_queries(1):
        access = access_for(membership)
    assert access.member_unit_ids == {world.units["growth"].id}


def test_an_admins_led_units_are_read_only_when_asked_for(
    world, org, alice, django_assert_num_queries
):
    membership = Membership.objects.get(organization=org, user=alice)
    with django_assert_num_queries(1):
        access = access_for(membership)
    assert access.is_admin
    with django_assert_num_queries(1):
        led = access.led_unit_ids
    with django_assert_num_queries(0):
        assert access.led_unit_ids == led
