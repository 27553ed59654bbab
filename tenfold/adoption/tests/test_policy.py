"""The first-cycle policy: the pure rule, and `first_cycle_policy` reading an organization."""

from __future__ import annotations

import pytest

from tenfold.adoption.models import Programme
from tenfold.adoption.policy import policy_for
from tenfold.adoption.selectors import first_cycle_policy
from tenfold.adoption.services import programme_set_first_cycle, programme_set_shape
from tenfold.okrs.services import cycle_set_state


@pytest.mark.parametrize(
    ("defaults_on", "has_closed_cycle", "first"),
    [(True, False, True), (True, True, False), (False, False, False), (False, True, False)],
)
def test_the_first_cycle_is_while_no_cycle_is_closed_and_the_defaults_are_on(
    defaults_on, has_closed_cycle, first
):
    policy = policy_for(
        rollout="everyone", defaults_on=defaults_on, has_closed_cycle=has_closed_cycle
    )
    assert policy.first_cycle is first


def test_the_first_cycle_allows_one_committed_objective_per_team_and_no_alignment_pressure():
    policy = policy_for(rollout="everyone", defaults_on=True, has_closed_cycle=False)
    assert policy.max_objectives_per_team == 1
    assert policy.recommended_objectives_per_team == 1
    assert policy.max_company_objectives == 1
    assert policy.aspirational_allowed is False
    assert policy.alignment_expected is False


def test_later_cycles_allow_up_to_five_objectives_three_recommended_and_aspirational_ones():
    policy = policy_for(rollout="leads", defaults_on=True, has_closed_cycle=True)
    assert (policy.max_objectives_per_team, policy.recommended_objectives_per_team) == (5, 3)
    assert (policy.max_company_objectives, policy.recommended_company_objectives) == (5, 3)
    assert policy.aspirational_allowed is True
    assert policy.alignment_expected is True


def test_with_a_pilot_only_the_pilot_team_is_expected_to_write_okrs():
    pilot = policy_for(rollout="pilot", defaults_on=True, has_closed_cycle=False, pilot_unit_id=7)
    assert pilot.team_writes_okrs(7) and not pilot.team_writes_okrs(8)
    unchosen = policy_for(rollout="pilot", defaults_on=True, has_closed_cycle=False)
    assert unchosen.team_writes_okrs(8)
    everyone = policy_for(
        rollout="everyone", defaults_on=True, has_closed_cycle=False, pilot_unit_id=7
    )
    assert everyone.pilot_unit_id is None and everyone.team_writes_okrs(8)


def test_an_unknown_rollout_reads_as_everyone():
    assert policy_for(rollout="?", defaults_on=True, has_closed_cycle=False).rollout == "everyone"


# --- reading an organization ------------------------------------------------------------------


def test_a_new_organization_is_in_its_first_cycle_without_creating_a_programme(org, cycle):
    policy = first_cycle_policy(org)
    assert policy.first_cycle is True and policy.max_objectives_per_team == 1
    assert not Programme.objects.filter(organization=org).exists()


def test_closing_a_cycle_ends_the_first_cycle(org, cycle, alice):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    policy = first_cycle_policy(org)
    assert policy.first_cycle is False and policy.aspirational_allowed is True


def test_switching_the_defaults_off_ends_the_first_cycle_rules(org, cycle, alice):
    programme_set_first_cycle(organization=org, defaults_on=False, by=alice)
    assert first_cycle_policy(org).first_cycle is False
    programme_set_first_cycle(organization=org, defaults_on=True, by=alice)
    assert first_cycle_policy(org).first_cycle is True


def test_the_policy_knows_the_pilot_team(org, team, alice):
    programme_set_shape(organization=org, shape="pilot", pilot_unit=team, by=alice)
    policy = first_cycle_policy(org)
    assert policy.rollout == "pilot" and policy.pilot_unit_id == team.id


def test_another_organizations_closed_cycle_does_not_count(org, cycle, other_org, mallory):
    theirs = other_org.cycles.get()
    cycle_set_state(cycle=theirs, state="closed", by=mallory)
    assert first_cycle_policy(org).first_cycle is True
    assert first_cycle_policy(other_org).first_cycle is False


def test_reading_the_policy_takes_two_queries(org, cycle, django_assert_num_queries):
    with django_assert_num_queries(2):
        first_cycle_policy(org)
