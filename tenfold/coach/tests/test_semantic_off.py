"""Semantic help switched off (the optional extra missing, or a model that fails to load):
every function answers with an empty list and never touches the model. Runs without the
extra installed."""

from __future__ import annotations

from typing import Any

import pytest

from tenfold.coach import semantic as coach_semantic
from tenfold.lib import semantic
from tenfold.okrs.services import objective_create
from tenfold.organizations.models import Membership, Unit
from tenfold.organizations.permissions import Access, access_for
from tenfold.organizations.services import unit_create


def access(user: Any, organization: Any) -> Access:
    return access_for(Membership.objects.get(organization=organization, user=user))


@pytest.fixture
def second_team(org: Any, team: Unit, alice: Any) -> Unit:
    assert team.parent is not None
    return unit_create(organization=org, name="Retention", parent=team.parent, by=alice)


@pytest.fixture
def objectives(
    org: Any, cycle: Any, company: Unit, team: Unit, second_team: Unit, alice: Any, carol: Any
) -> None:
    objective_create(organization=org, cycle=cycle, unit=company, title="Open Germany", by=alice)
    objective_create(
        organization=org, cycle=cycle, unit=team, title="Make the website load faster", by=carol
    )
    objective_create(
        organization=org,
        cycle=cycle,
        unit=second_team,
        title="Make the website load faster",
        by=alice,
    )


@pytest.fixture
def off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "available", lambda: False)

    def no_model() -> Any:
        raise AssertionError("the model must not be touched when semantic help is off")

    monkeypatch.setattr(semantic, "model", no_model)


@pytest.mark.usefixtures("off", "objectives")
def test_everything_returns_nothing_when_semantic_help_is_off(
    org: Any, cycle: Any, bob: Any, django_assert_num_queries: Any
) -> None:
    viewer = access(bob, org)
    assert not coach_semantic.is_on()
    with django_assert_num_queries(0):  # not even the candidates are fetched
        assert coach_semantic.suggest_parents(org, cycle, "Open Germany", access=viewer) == []
        assert coach_semantic.duplicate_objectives(org, cycle, access=viewer) == []
    assert coach_semantic.similar_texts("x", [("a", "x")], 1) == []
    assert "semantic" in str(coach_semantic.off_message()).lower()


@pytest.mark.usefixtures("objectives")
def test_a_model_that_fails_to_load_turns_semantic_help_off(
    monkeypatch: pytest.MonkeyPatch, org: Any, cycle: Any, bob: Any
) -> None:
    def broken() -> Any:
        raise ValueError("damaged weights")

    monkeypatch.setattr(semantic, "model", broken)
    monkeypatch.setattr(semantic, "available", lambda: True)
    assert not coach_semantic.is_on()
    viewer = access(bob, org)
    assert coach_semantic.suggest_parents(org, cycle, "Open Germany", access=viewer) == []
    assert coach_semantic.duplicate_objectives(org, cycle, access=viewer) == []
