"""Using an example as a template: a draft objective with every key result, in the example's
language; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tenfold.audit.models import AuditEvent
from tenfold.coach.library import example, example_initial
from tenfold.coach.library.services import example_use
from tenfold.okrs.models import Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.services import cycle_create
from tenfold.organizations.models import Membership, Unit
from tenfold.organizations.permissions import access_for

TEAM_EXAMPLE = "sales-faster-deals"
PERSONAL_EXAMPLE = "personal-confident-presenter"


def access_of(user, org):
    return access_for(Membership.objects.get(organization=org, user=user))


def other_cycle(org, alice, state, name="Q3 2026"):
    return cycle_create(
        organization=org,
        name=name,
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=state,
        by=alice,
    )


def written():
    return Objective.objects.count(), KeyResult.objects.count()


def test_a_member_starts_a_draft_with_every_key_result(org, team, cycle, bob):
    item = example(TEAM_EXAMPLE, "en")
    objective = example_use(
        example=item, access=access_of(bob, org), unit=team, cycle=cycle, by=bob
    )
    assert (objective.state, objective.level, objective.type) == ("draft", "team", "committed")
    assert (objective.title, objective.description) == (item.title, item.description)
    assert (objective.unit, objective.cycle, objective.lead) == (team, cycle, bob)
    krs = list(objective.key_results.order_by("order"))
    assert [kr.title for kr in krs] == [kr.title for kr in item.key_results]
    assert [(kr.kind, kr.start, kr.target) for kr in krs] == [
        ("decrease", 48, 35),
        ("increase", 22, 30),
        ("keep_below", None, 12),
    ]
    assert krs[1].value_format == "percent"
    assert objective.progress == 0
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"objective.created", "key_result.created", "coach.example_used"} <= verbs
    used = AuditEvent.objects.get(verb="coach.example_used")
    assert used.changes == {"example": TEAM_EXAMPLE, "language": "en"}
    assert used.object_code == objective.code


def test_the_objective_is_written_in_the_examples_language(org, team, cycle, carol):
    with translation.override("zh-hans"):
        item = example(TEAM_EXAMPLE)
    objective = example_use(
        example=item, access=access_of(carol, org), unit=team, cycle=cycle, by=carol
    )
    assert objective.title == "更快赢单，而不是拿折扣换速度"
    assert objective.key_results.order_by("order").first().title.startswith("将线索到成交")


def test_the_level_follows_the_unit(org, company, team, cycle, alice):
    objective = example_use(
        example=example(TEAM_EXAMPLE, "es"),
        access=access_of(alice, org),
        unit=company,
        cycle=cycle,
        by=alice,
    )
    assert objective.level == "company"
    assert objective.title.startswith("Cerrar ventas")


def test_currency_key_results_keep_their_currency_and_decimals(org, team, cycle, carol):
    objective = example_use(
        example=example("engineering-serve-for-less", "en"),
        access=access_of(carol, org),
        unit=team,
        cycle=cycle,
        by=carol,
    )
    cost = objective.key_results.order_by("order").first()
    assert (cost.value_format, cost.currency, cost.decimals) == ("currency", "USD", 2)
    assert (cost.start, cost.target) == (Decimal("1.8"), Decimal("1.2"))


def test_a_personal_example_becomes_a_private_goal_of_the_person(org, team, cycle, bob):
    objective = example_use(
        example=example(PERSONAL_EXAMPLE, "en"),
        access=access_of(bob, org),
        unit=None,
        cycle=cycle,
        by=bob,
    )
    assert (objective.level, objective.unit, objective.owner_person) == ("personal", None, bob)
    assert objective.visibility == "private"
    assert objective.key_results.count() == 3


def test_a_member_may_not_write_in_a_unit_that_is_not_theirs(org, company, team, cycle, bob):
    with pytest.raises(PermissionDenied):
        example_use(
            example=example(TEAM_EXAMPLE, "en"),
            access=access_of(bob, org),
            unit=company,
            cycle=cycle,
            by=bob,
        )
    assert written() == (0, 0)


def test_a_viewer_may_not_use_an_example_even_for_themselves(org, team, cycle, victor):
    for slug, unit in ((TEAM_EXAMPLE, team), (PERSONAL_EXAMPLE, None)):
        with pytest.raises(PermissionDenied):
            example_use(
                example=example(slug, "en"),
                access=access_of(victor, org),
                unit=unit,
                cycle=cycle,
                by=victor,
            )
    assert written() == (0, 0)


@pytest.mark.parametrize(
    ("state", "words"),
    [(CycleState.CLOSED, "is closed"), (CycleState.REVIEWING, "is reviewing")],
)
def test_a_cycle_that_is_over_is_refused_with_a_clear_message(
    org, team, cycle, alice, carol, state, words
):
    over = other_cycle(org, alice, state)
    with pytest.raises(ValidationError) as caught:
        example_use(
            example=example(TEAM_EXAMPLE, "en"),
            access=access_of(carol, org),
            unit=team,
            cycle=over,
            by=carol,
        )
    message = caught.value.message_dict["cycle"][0]
    assert "Q3 2026" in message and words in message and "planning" in message
    assert written() == (0, 0)


def test_a_cycle_in_planning_is_fine(org, team, cycle, alice, carol):
    planned = other_cycle(org, alice, CycleState.PLANNING, name="Q1 2027")
    objective = example_use(
        example=example(TEAM_EXAMPLE, "en"),
        access=access_of(carol, org),
        unit=team,
        cycle=planned,
        by=carol,
    )
    assert (objective.cycle, objective.state) == (planned, "draft")


def test_missing_or_foreign_unit_and_cycle_are_refused(org, team, cycle, other_org, alice):
    access = access_of(alice, org)
    item = example(TEAM_EXAMPLE, "en")
    foreign_unit = Unit.objects.get(organization=other_org, parent__isnull=True)
    foreign_cycle = Cycle.objects.get(organization=other_org)
    cases = [
        ({"unit": None, "cycle": cycle}, "unit"),
        ({"unit": foreign_unit, "cycle": cycle}, "unit"),
        ({"unit": team, "cycle": None}, "cycle"),
        ({"unit": team, "cycle": foreign_cycle}, "cycle"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as caught:
            example_use(example=item, access=access, by=alice, **kwargs)
        assert field in caught.value.message_dict
    assert written() == (0, 0)


def test_nothing_is_left_behind_when_a_key_result_is_refused(org, team, cycle, carol):
    """One transaction: if the okrs service refuses a key result, the objective goes too."""
    from dataclasses import replace

    item = example(TEAM_EXAMPLE, "en")
    broken = replace(
        item, key_results=(*item.key_results[:2], replace(item.key_results[2], title=""))
    )
    with pytest.raises(ValidationError):
        example_use(example=broken, access=access_of(carol, org), unit=team, cycle=cycle, by=carol)
    assert written() == (0, 0)
    assert not AuditEvent.objects.filter(verb__startswith="objective").exists()


def test_example_initial_gives_the_text_for_the_objective_form():
    item = example("data-trusted-numbers", "es")
    assert example_initial(item) == {
        "title": item.title,
        "description": item.description,
        "level": "team",
        "type": "committed",
    }
    assert example_initial(item)["title"].startswith("Que todos confíen")
