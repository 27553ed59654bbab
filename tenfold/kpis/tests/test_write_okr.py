"""Write an OKR for a KPI: a draft objective in the KPI's unit, linked to it, with one key
result from the current value to the target."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.kpis.services import kpi_create, kpi_record_value, kpi_write_okr
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import cycle_set_state
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for


def access(org, user):
    return access_for(Membership.objects.get(organization=org, user=user))


def test_it_drafts_a_linked_objective_with_a_key_result_from_now_to_the_target(
    org, cycle, team, carol, kpi
):
    objective = kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=cycle)
    assert objective.state == "draft"
    assert (objective.unit, objective.cycle, objective.kpi, objective.lead) == (
        team,
        cycle,
        kpi,
        carol,
    )
    assert "Weekly activation" in objective.title
    assert list(kpi.objectives.all()) == [objective]
    (kr,) = objective.key_results.all()
    assert (kr.kind, kr.start, kr.target, kr.value_format, kr.owner) == (
        "increase",
        Decimal(32),
        Decimal(40),
        "percent",
        carol,
    )
    assert "32 %" in kr.title and "40 %" in kr.title


def test_a_lower_is_better_kpi_gets_a_decrease(org, cycle, team, carol):
    kpi = kpi_create(
        organization=org,
        unit=team,
        name="Reply time",
        direction="lower_is_better",
        target="4",
        unit_label="hours",
        by=carol,
    )
    kpi_record_value(kpi=kpi, value="6.5", by=carol)
    kpi.refresh_from_db()
    kr = kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=cycle).key_results.get()
    assert (kr.kind, kr.start, kr.target, kr.unit_label) == (
        "decrease",
        Decimal("6.5"),
        Decimal(4),
        "hours",
    )


@pytest.mark.parametrize(
    ("value", "kind", "start", "target"),
    [("1", "increase", 1, 3), ("9", "decrease", 9, 5), ("4", "keep_above", None, 3)],
)
def test_a_range_kpi_moves_toward_the_nearest_end(
    org, cycle, team, carol, value, kind, start, target
):
    kpi = kpi_create(
        organization=org,
        unit=team,
        name="Coverage",
        direction="in_range",
        target="3",
        target_high="5",
        by=carol,
    )
    kpi_record_value(kpi=kpi, value=value, by=carol)
    kpi.refresh_from_db()
    kr = kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=cycle).key_results.get()
    assert (kr.kind, kr.start, kr.target) == (
        kind,
        None if start is None else Decimal(start),
        Decimal(target),
    )


def test_a_kpi_without_values_gets_a_level_to_hold(org, cycle, team, carol):
    kpi = kpi_create(organization=org, unit=team, name="Signups", target="100", by=carol)
    kr = kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=cycle).key_results.get()
    assert (kr.kind, kr.target) == ("keep_above", Decimal(100))


def test_a_company_kpi_drafts_a_company_objective(org, cycle, company, alice):
    kpi = kpi_create(organization=org, name="Revenue", target="100", by=alice)
    objective = kpi_write_okr(access=access(org, alice), kpi=kpi, cycle=cycle)
    assert (objective.unit, objective.level, objective.state) == (company, "company", "draft")


def test_viewers_and_outsiders_of_the_unit_may_not(org, cycle, kpi, victor):
    with pytest.raises(PermissionDenied):
        kpi_write_okr(access=access(org, victor), kpi=kpi, cycle=cycle)
    assert not Objective.objects.exists()


def test_a_closed_cycle_is_refused_and_nothing_is_written(org, cycle, kpi, carol, alice):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    with pytest.raises(ValidationError) as caught:
        kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=cycle)
    assert "cycle" in caught.value.message_dict
    assert not Objective.objects.exists() and not KeyResult.objects.exists()


def test_a_cycle_of_another_organization_is_refused(org, kpi, carol, other_org):
    with pytest.raises(ValidationError):
        kpi_write_okr(access=access(org, carol), kpi=kpi, cycle=other_org.cycles.get())
