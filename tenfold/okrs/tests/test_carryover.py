"""Carrying objectives into the next cycle, duplicating them, and the carried chain."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.checkins.services import checkin_record
from tenfold.okrs.carryover import (
    Selection,
    carried_chain,
    carried_sources,
    carry_over_objectives,
    carry_over_plan,
    duplicate_objective,
)
from tenfold.okrs.models import Alignment, CycleKind, Initiative, KeyResult, Objective
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    initiative_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.social.models import Comment
from tenfold.social.services import comment_add

from .helpers import NOW, row_counts


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(user, org):
    return access_for(Membership.objects.get(organization=org, user=user))


@pytest.fixture
def next_cycle(org, alice):
    return cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        by=alice,
    )


def carry(source, target, selections, user, org):
    return carry_over_objectives(
        source_cycle=source,
        target_cycle=target,
        selections=selections,
        by=user,
        access=access_of(user, org),
    )


def refused(call, *args, field=None, exception=ValidationError):
    before = row_counts()
    with pytest.raises(exception) as caught:
        call(*args)
    assert row_counts() == before
    if field is not None:
        messages = caught.value.message_dict
        assert field in messages, messages
        return " ".join(messages[field])
    return str(caught.value)


# --- copying rules ----------------------------------------------------------------------------


def test_it_copies_the_definition_and_starts_from_the_last_value(
    org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=30, by=bob)
    checkin_record(key_result=key_result, value=34, by=bob, note="Nearly")
    initiative_create(key_result=key_result, title="Shorter signup", by=carol)
    comment_add(access=access_of(bob, org), target=objective, body="Good quarter")

    [result] = carry(cycle, next_cycle, [Selection(objective)], carol, org)

    copy = result.copy
    assert copy.cycle == next_cycle and copy.carried_from == objective
    assert (copy.title, copy.unit, copy.lead, copy.level, copy.type, copy.visibility) == (
        objective.title,
        objective.unit,
        objective.lead,
        objective.level,
        objective.type,
        objective.visibility,
    )
    assert copy.state == "draft"  # the target cycle is still being planned
    [(original, kr)] = result.key_results
    assert original == key_result
    assert (kr.start, kr.current, kr.target) == (D(34), D(34), D(40))
    assert kr.carried_from == key_result and kr.owner == bob and kr.unit_label == "%"
    assert kr.progress == 0 and copy.progress == 0
    # Nothing else travels.
    assert not CheckIn.objects.filter(key_result=kr).exists()
    assert not Initiative.objects.filter(objective=copy).exists()
    assert not Comment.objects.filter(objective=copy).exists()
    event = AuditEvent.objects.get(verb="objective.carried_over")
    assert event.object_code == copy.code
    assert event.changes["from"] == objective.code
    assert event.changes["key_results"] == [kr.code]


def test_the_original_is_left_as_it_was(org, cycle, next_cycle, objective, key_result, carol, bob):
    checkin_record(key_result=key_result, value=34, by=bob)
    carry(cycle, next_cycle, [Selection(objective)], carol, org)
    key_result.refresh_from_db()
    assert (key_result.start, key_result.current, key_result.objective_id) == (
        D(20),
        D(34),
        objective.id,
    )
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def test_an_active_target_follows_the_organization_default(
    org, cycle, objective, key_result, carol, alice
):
    """Team objectives need approval in Acme by default, so the copy waits as a draft; without
    approval it is active at once, as objective_create decides for any new objective."""
    target = cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        state="active",
        by=alice,
    )
    [result] = carry(cycle, target, [Selection(objective)], carol, org)
    assert result.copy.state == "draft"
    org.approval_required = False
    org.save()
    objective.organization.refresh_from_db()
    Objective.objects.filter(pk=result.copy.pk).delete()
    [result] = carry(cycle, target, [Selection(objective)], carol, org)
    assert result.copy.state == "active"


def test_only_the_chosen_key_results_are_carried(
    org, cycle, next_cycle, objective, key_result, carol
):
    second = key_result_create(
        objective=objective, title="Halve time to value", kind="decrease", start=10, target=5,
        by=carol,
    )  # fmt: skip
    [result] = carry(cycle, next_cycle, [Selection(objective, [second])], carol, org)
    assert [copy.carried_from for _o, copy in result.key_results] == [second]
    # Never measured: the copy keeps the original start and is not measured yet.
    copy = result.key_results[0][1]
    assert (copy.start, copy.current) == (D(10), None)


def test_threshold_and_milestone_kinds_keep_sensible_starts(
    org, cycle, next_cycle, objective, carol, bob
):
    keep = key_result_create(
        objective=objective, title="Keep uptime", kind="keep_above", target="99.5", by=carol
    )
    milestone = key_result_create(
        objective=objective, title="Ship the new onboarding", kind="milestone", by=carol
    )
    checkin_record(key_result=keep, value="99.9", by=bob)
    checkin_record(key_result=milestone, value=0, by=bob)
    [result] = carry(cycle, next_cycle, [Selection(objective)], carol, org)
    copies = {original.kind: copy for original, copy in result.key_results}
    assert (copies["keep_above"].start, copies["keep_above"].current) == (None, D("99.9"))
    assert copies["keep_above"].progress == 1  # the level held when the cycle ended
    assert (copies["milestone"].start, copies["milestone"].target) == (D(0), D(1))
    assert copies["milestone"].progress == 0


def test_key_results_at_their_target_stay_behind_unless_named(
    org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=40, by=bob)
    open_one = key_result_create(
        objective=objective, title="More referrals", kind="increase", start=0, target=10, by=carol
    )
    [result] = carry(cycle, next_cycle, [Selection(objective)], carol, org)
    assert [original for original, _copy in result.key_results] == [open_one]
    assert result.left_behind == [key_result]


def test_naming_a_key_result_at_its_target_is_refused(
    org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=45, by=bob)
    message = refused(
        carry, cycle, next_cycle, [Selection(objective, [key_result])], carol, org,
        field="key_results",
    )  # fmt: skip
    assert "already reached its target" in message


# --- alignment ----------------------------------------------------------------------------------


@pytest.fixture
def parent(org, cycle, company, alice):
    return objective_create(
        organization=org, cycle=cycle, unit=company, title="Grow revenue", state="active", by=alice
    )


def test_alignment_follows_a_parent_carried_in_the_same_run(
    org, cycle, next_cycle, objective, key_result, parent, alice
):
    alignment_link(child=objective, parent_objective=parent, weight="0.5", by=alice)
    results = carry(cycle, next_cycle, [Selection(objective), Selection(parent)], alice, org)
    child_copy, parent_copy = results[0].copy, results[1].copy
    link = Alignment.objects.get(child=child_copy)
    assert link.parent_objective == parent_copy and link.weight == D("0.5")
    # The originals keep their own link.
    assert Alignment.objects.filter(child=objective, parent_objective=parent).exists()


def test_alignment_follows_a_parent_carried_earlier(
    org, cycle, next_cycle, objective, key_result, parent, alice
):
    parent_kr = key_result_create(
        objective=parent, title="Revenue to 2M", start=1, target=2, by=alice
    )
    alignment_link(child=objective, parent_key_result=parent_kr, by=alice)
    [first] = carry(cycle, next_cycle, [Selection(parent)], alice, org)
    [second] = carry(cycle, next_cycle, [Selection(objective)], alice, org)
    link = Alignment.objects.get(child=second.copy)
    assert link.parent_key_result == first.key_results[0][1]


def test_alignment_to_a_parent_left_behind_is_dropped_and_listed(
    org, cycle, next_cycle, objective, key_result, parent, alice, carol
):
    alignment_link(child=objective, parent_objective=parent, by=alice)
    plan = carry_over_plan(
        source_cycle=cycle,
        target_cycle=next_cycle,
        selections=[Selection(objective)],
        access=access_of(carol, org),
    )
    assert plan.objectives[0].dropped_links == ["Grow revenue"]
    [result] = carry(cycle, next_cycle, [Selection(objective)], carol, org)
    assert not Alignment.objects.filter(child=result.copy).exists()
    assert result.dropped_links == ["Grow revenue"]


def test_alignment_to_a_year_objective_that_contains_the_target_is_kept(
    org, company, team, alice, carol
):
    year = cycle_create(
        organization=org, name="FY 2027", start=dt.date(2027, 1, 1),
        end=dt.date(2027, 12, 31), kind=CycleKind.YEAR, state="active", by=alice,
    )  # fmt: skip
    q1 = cycle_create(
        organization=org, name="Q1 2027", start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31), parent=year, state="active", by=alice,
    )  # fmt: skip
    q2 = cycle_create(
        organization=org, name="Q2 2027", start=dt.date(2027, 4, 1),
        end=dt.date(2027, 6, 30), parent=year, by=alice,
    )  # fmt: skip
    yearly = objective_create(organization=org, cycle=year, unit=company, title="Win", by=alice)
    child = objective_create(organization=org, cycle=q1, unit=team, title="Team goal", by=carol)
    alignment_link(child=child, parent_objective=yearly, by=alice)
    [result] = carry(q1, q2, [Selection(child)], carol, org)
    assert Alignment.objects.get(child=result.copy).parent_objective == yearly


# --- refusals, each writing nothing ----------------------------------------------------------


def test_carrying_into_a_closed_cycle_is_refused(
    org, cycle, next_cycle, objective, key_result, alice, carol
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)
    message = refused(
        carry, cycle, next_cycle, [Selection(objective, [key_result])], carol, org, field="target"
    )
    assert "“Q1 2027” is closed" in message


def test_carrying_into_the_same_cycle_is_refused(org, cycle, objective, key_result, carol):
    message = refused(carry, cycle, cycle, [Selection(objective)], carol, org, field="target")
    assert "duplicate" in message


def test_carrying_twice_into_the_same_cycle_is_refused(
    org, cycle, next_cycle, objective, key_result, carol
):
    carry(cycle, next_cycle, [Selection(objective)], carol, org)
    message = refused(
        carry, cycle, next_cycle, [Selection(objective)], carol, org, field="objectives"
    )
    assert "already carried into Q1 2027" in message


def test_nothing_chosen_is_refused(org, team, cycle, next_cycle, carol):
    assert "at least one" in refused(carry, cycle, next_cycle, [], carol, org, field="objectives")


def test_objects_of_another_organization_are_refused(
    org, other_org, cycle, next_cycle, objective, key_result, carol, mallory
):
    foreign = other_org.cycles.get()
    refused(carry, cycle, foreign, [Selection(objective)], carol, org, field="target")
    theirs = objective_create(
        organization=other_org, cycle=foreign, owner_person=mallory, title="Theirs", by=mallory
    )
    refused(carry, cycle, next_cycle, [Selection(theirs)], carol, org, field="objectives")


def test_a_viewer_may_not_carry(org, cycle, next_cycle, objective, key_result, victor):
    message = refused(
        carry, cycle, next_cycle, [Selection(objective)], victor, org, exception=PermissionDenied
    )
    assert "Viewers" in message


def test_someone_who_may_not_edit_the_objective_may_not_carry_it(
    org, team, cycle, next_cycle, parent, bob
):
    message = refused(
        carry, cycle, next_cycle, [Selection(parent)], bob, org, exception=PermissionDenied
    )
    assert "Grow revenue" in message


def test_a_team_member_may_carry_the_team_objective(
    org, cycle, next_cycle, objective, key_result, bob
):
    [result] = carry(cycle, next_cycle, [Selection(objective)], bob, org)
    assert result.copy.carried_from == objective


def test_a_failure_half_way_writes_nothing(
    org, cycle, next_cycle, objective, key_result, parent, alice
):
    """The second objective's copy is refused by objective_create (its lead has left): the
    first one, already written, is rolled back with it."""
    Membership.objects.filter(organization=org, user=objective.lead).delete()
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        carry(cycle, next_cycle, [Selection(parent), Selection(objective)], alice, org)
    assert "Customers love onboarding" in " ".join(caught.value.message_dict["objectives"])
    assert row_counts() == before


# --- duplicate ----------------------------------------------------------------------------------


def test_duplicate_copies_every_key_result_from_its_start(
    org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    copy = duplicate_objective(
        objective=objective, target_cycle=next_cycle, by=carol, access=access_of(carol, org)
    )
    assert copy.title == objective.title and copy.cycle == next_cycle
    assert copy.carried_from is None
    [kr] = copy.key_results.all()
    assert (kr.start, kr.current, kr.target, kr.carried_from) == (D(20), None, D(40), None)
    event = AuditEvent.objects.get(verb="objective.duplicated")
    assert event.changes["from"] == objective.code


def test_duplicate_into_the_same_cycle_works_and_may_repeat(org, cycle, objective, carol):
    access = access_of(carol, org)
    duplicate_objective(objective=objective, target_cycle=cycle, by=carol, access=access)
    duplicate_objective(objective=objective, target_cycle=cycle, by=carol, access=access)
    assert Objective.objects.filter(cycle=cycle, title=objective.title).count() == 3


def test_duplicate_refuses_closed_cycles_viewers_and_outsiders(
    org, other_org, cycle, next_cycle, objective, key_result, alice, victor
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)

    def duplicate(target, user):
        return duplicate_objective(
            objective=objective, target_cycle=target, by=user, access=access_of(user, org)
        )

    assert "closed" in refused(duplicate, next_cycle, alice, field="target")
    refused(duplicate, other_org.cycles.get(), alice, field="target")
    refused(duplicate, cycle, victor, exception=PermissionDenied)


# --- the carried chain ------------------------------------------------------------------------


def test_the_chain_goes_back_through_every_cycle_in_two_queries(
    org, cycle, objective, key_result, carol, bob, alice
):
    source, kr = cycle, key_result
    value = 22
    for index in range(1, 5):
        # Where each cycle ended (later cycles lie in the future, where check-ins are refused).
        KeyResult.objects.filter(pk=kr.pk).update(current=value)
        kr.refresh_from_db()
        value += 2
        target = cycle_create(
            organization=org,
            name=f"Q{index} 2027",
            start=dt.date(2027, 1, 1) + dt.timedelta(days=100 * index),
            end=dt.date(2027, 3, 1) + dt.timedelta(days=100 * index),
            state="active",
            by=alice,
        )
        [result] = carry(source, target, [Selection(kr.objective)], carol, org)
        source, kr = target, result.key_results[0][1]
    with CaptureQueriesContext(connection) as queries:
        chain = carried_chain(kr)
        names = [row.objective.cycle.name for row in chain]
    assert len(queries) == 2
    assert names == ["Q3 2027", "Q2 2027", "Q1 2027", "Q4 2026"]
    assert [row.current for row in chain] == [D(28), D(26), D(24), D(22)]
    assert len(carried_chain(kr, limit=2)) == 2
    assert carried_chain(key_result) == []


def test_carried_sources_finds_each_predecessor_in_one_query(
    org, cycle, next_cycle, objective, key_result, carol
):
    [result] = carry(cycle, next_cycle, [Selection(objective)], carol, org)
    copy = result.key_results[0][1]
    fresh = KeyResult.objects.filter(pk__in=[copy.pk, key_result.pk])
    with CaptureQueriesContext(connection) as queries:
        found = carried_sources(list(fresh))
        cycle_name = found[copy.pk].objective.cycle.name
    assert len(queries) == 2  # the list itself, then the predecessors
    assert cycle_name == "Q4 2026" and key_result.pk not in found


# --- the command ------------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command("carryover", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_carries_named_objectives(
    org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    out = run("--from", "Q4 2026", "--to", next_cycle.code, "--objective", objective.code,
              "--as", "Carol@Example.com")  # fmt: skip
    copy = Objective.objects.get(cycle=next_cycle)
    assert copy.carried_from == objective
    assert f"Carried “{objective.title}” into Q1 2027 as {copy.code}" in out
    assert "from 34 % to 40 %" in out


def test_the_command_dry_run_writes_nothing(org, cycle, next_cycle, objective, key_result, carol):
    before = row_counts()
    out = run("--from", cycle.code, "--to", "Q1 2027", "--all", "--as", carol.email, "--dry-run")
    assert "Would carry “Customers love onboarding” into Q1 2027." in out
    assert "Dry run: nothing was written." in out
    assert row_counts() == before


def test_the_command_with_all_skips_what_it_may_not_carry(
    org, cycle, next_cycle, objective, key_result, parent, bob
):
    out = run("--from", cycle.code, "--to", next_cycle.code, "--all", "--as", bob.email)
    assert "Skipped “Grow revenue”: you may not edit it." in out
    assert list(Objective.objects.filter(cycle=next_cycle).values_list("title", flat=True)) == [
        objective.title
    ]
    out = run("--from", cycle.code, "--to", next_cycle.code, "--objective", parent.code,
              "--as", "alice@example.com")  # fmt: skip
    assert "Grow revenue" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "Q4 2026", "--to", "Q1 2027", "--as", "carol@example.com"], "--all"),
        (["--from", "Q9 2026", "--to", "Q1 2027", "--all", "--as", "carol@example.com"],
         "has a cycle “Q9 2026”"),
        (["--from", "Q4 2026", "--to", "Q4 2026", "--all", "--as", "carol@example.com"],
         "Choose another cycle"),
        (["--from", "Q4 2026", "--to", "Q1 2027", "--objective", "nope",
          "--as", "carol@example.com"], "no objective with the code nope"),
        (["--from", "Q4 2026", "--to", "Q1 2027", "--all", "--as", "victor@example.com"],
         "Nothing to carry"),
        (["--from", "Q4 2026", "--to", "Q1 2027", "--all", "--as", "nobody@example.com"],
         "Nobody has the email"),
    ],
)  # fmt: skip
def test_the_command_refuses_bad_input_and_writes_nothing(
    org, cycle, next_cycle, objective, key_result, victor, args, words
):
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert words in str(caught.value)
    assert row_counts() == before


def test_the_command_refuses_a_closed_target(
    org, cycle, next_cycle, objective, key_result, alice, carol
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        run("--from", cycle.code, "--to", next_cycle.code, "--objective", objective.code,
            "--as", carol.email)  # fmt: skip
    assert "is closed" in str(caught.value)
    assert row_counts() == before
