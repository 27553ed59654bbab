"""The alignment tree's selectors: status worked out in SQL agrees with the rule in
`tenfold.lib.progress`, check-ins below an objective keep it fresh, unit summaries count
whole branches, filters, and a child aligned to several parents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine

from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.okrs.tests.helpers import NOW
from tenfold.okrs.tree import (
    Clock,
    TreeFilters,
    UnitMap,
    get_tree_objective,
    matching_objectives,
    objective_branch,
    unit_objectives,
    unit_summaries,
)
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for

TODAY = dt.date(2026, 11, 15)  # 45 of the cycle's 92 days have passed: 48.9 %


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(org, user):
    return access_for(Membership.objects.get(organization=org, user=user))


@pytest.fixture
def clock(org, cycle):
    return Clock.of(cycle, org, TODAY)


def make(org, cycle, unit, title, *, progress=None, checked_days_ago=None, by, **extra):
    """An objective with one key result whose stored figures are set directly."""
    objective = objective_create(
        organization=org, cycle=cycle, unit=unit, title=title, state="active", by=by, **extra
    )
    kr = key_result_create(objective=objective, title=f"{title} KR", start=0, target=1, by=by)
    last = None
    if checked_days_ago is not None:
        last = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(
            days=checked_days_ago
        )
    KeyResult.objects.filter(pk=kr.pk).update(last_checkin_at=last)
    if progress is not None:
        Objective.objects.filter(pk=objective.pk).update(progress=D(progress))
    return objective


CASES = [
    # title, progress, days since the newest check-in, expected status
    ("never checked", "0.9", None, "pending"),
    ("silent", "0.9", 11, "stale"),
    ("just fresh", "0.9", 10, "on_track"),
    ("done", "1", 1, "done"),
    ("far behind", "0.05", 1, "off_track"),
    ("behind", "0.25", 1, "at_risk"),
    ("level", "0.49", 1, "on_track"),
]


def test_sql_and_python_agree_on_every_status(org, cycle, team, alice, clock):
    for title, progress, days, _ in CASES:
        make(org, cycle, team, title, progress=progress, checked_days_ago=days, by=alice)
    access = access_of(org, alice)
    rows = {o.title: o.status for o in unit_objectives(access, clock, team)}
    assert rows == {title: expected for title, _, _, expected in CASES}
    units = UnitMap.of(org)
    (summary,) = unit_summaries(access, clock, units, team.parent)
    expected = {}
    for *_, status in CASES:
        expected[status] = expected.get(status, 0) + 1
    assert dict(summary.parts) == expected
    for status, count in expected.items():
        found, total = matching_objectives(
            access, clock, units, units.root, TreeFilters(status=status)
        )
        assert total == count
        assert {o.status for o in found} == {status}


def test_the_organizations_thresholds_decide(org, cycle, team, alice):
    make(org, cycle, team, "behind", progress="0.25", checked_days_ago=1, by=alice)
    org.at_risk_gap, org.off_track_gap = D("0.3"), D("0.5")
    org.save()
    access = access_of(org, alice)
    (row,) = unit_objectives(access, Clock.of(cycle, org, TODAY), team)
    assert row.status == "on_track"


def test_check_ins_two_levels_down_keep_a_company_objective_fresh(org, cycle, company, team, alice):
    goal = objective_create(
        organization=org, cycle=cycle, unit=company, title="Goal", state="active", by=alice
    )
    middle = objective_create(
        organization=org, cycle=cycle, unit=team.parent, title="Middle", state="active", by=alice
    )
    leaf = make(org, cycle, team, "Leaf", progress="0.5", checked_days_ago=2, by=alice)
    alignment_link(child=middle, parent_objective=goal, by=alice)
    alignment_link(child=leaf, parent_objective=middle, by=alice)
    Objective.objects.filter(pk__in=[goal.pk, middle.pk]).update(progress=D("0.5"))
    access = access_of(org, alice)
    clock = Clock.of(cycle, org, TODAY)
    (row,) = unit_objectives(access, clock, company)
    assert row.status == "on_track"
    assert row.child_count == 1
    assert row.kr_count == 0


def test_a_summary_counts_the_whole_branch_the_viewer_may_see(
    org, cycle, company, team, alice, bob, carol, clock
):
    make(org, cycle, team.parent, "Department's", checked_days_ago=1, by=alice)
    make(org, cycle, team, "Team's", checked_days_ago=1, by=carol)
    make(org, cycle, team, "Private", visibility="private", lead=carol, by=carol)
    units = UnitMap.of(org)
    (for_alice,) = unit_summaries(access_of(org, alice), clock, units, company)
    (for_bob,) = unit_summaries(access_of(org, bob), clock, units, company)
    assert (for_alice.unit, for_alice.own, for_alice.total) == (team.parent, 1, 3)
    assert (for_bob.own, for_bob.total, for_bob.child_units) == (1, 2, 1)


def test_filters_drop_values_they_do_not_know():
    assert TreeFilters.parse({"status": "green", "type": "bold", "q": "  x "}) == TreeFilters(
        search="x"
    )
    assert TreeFilters.parse({"status": "at_risk", "type": "aspirational"}).narrowing


def test_filters_combine_type_and_search_within_a_branch(org, cycle, company, team, alice, clock):
    make(org, cycle, team, "Grow revenue", type="aspirational", by=alice)
    make(org, cycle, team, "Grow usage", by=alice)
    make(org, cycle, company, "Grow everything", type="aspirational", by=alice)
    access = access_of(org, alice)
    units = UnitMap.of(org)
    found, total = matching_objectives(
        access, clock, units, team.parent, TreeFilters(type="aspirational", search="grow")
    )
    assert [o.title for o in found] == ["Grow revenue"]
    assert total == 1


def test_a_status_filter_lists_the_first_matches_in_tree_order_and_counts_them_all(
    org, cycle, company, team, alice, clock, monkeypatch
):
    monkeypatch.setattr("tenfold.okrs.tree.FLAT_LIMIT", 2)
    make(org, cycle, team, "Team, not started", by=alice)
    make(org, cycle, company, "Company, not started", by=alice)
    make(org, cycle, team.parent, "Department, not started", by=alice)
    make(org, cycle, team, "Team, checked", progress="0.9", checked_days_ago=1, by=alice)
    access = access_of(org, alice)
    units = UnitMap.of(org)
    found, total = matching_objectives(
        access, clock, units, units.root, TreeFilters(status="pending")
    )
    assert [o.title for o in found] == ["Company, not started", "Department, not started"]
    assert total == 3
    assert all(o.status == "pending" for o in found)


def test_units_come_in_tree_order(org, company, team):
    units = UnitMap.of(org)
    assert [u.name for u in units.in_tree_order()] == ["Acme", "Product", "Growth"]
    assert units.ancestors(team) == [company, team.parent]
    assert units.subtree_ids(team.parent) == {team.parent.id, team.id}


def test_a_child_with_two_parents_names_the_other_one_under_each(
    org, cycle, company, team, alice, carol, clock
):
    first = make(org, cycle, company, "First", by=alice)
    second = make(org, cycle, team.parent, "Second", by=alice)
    hidden = make(org, cycle, company, "Hidden", visibility="private", lead=alice, by=alice)
    child = make(org, cycle, team, "Child", by=carol)
    alignment_link(child=child, parent_objective=first, weight="0.5", by=carol)
    alignment_link(child=child, parent_objective=second, weight="0.2", by=carol)
    alignment_link(child=child, parent_objective=hidden, weight="0.1", by=carol)
    access = access_of(org, carol)

    (row,) = objective_branch(access, clock, first).children
    assert (row.objective.title, row.weight) == ("Child", D("0.5"))
    others = {(o.title, o.weight) for o in row.others}
    assert others == {("Second", D("0.2")), (None, D("0.1"))}

    (row,) = objective_branch(access, clock, second).children
    assert {(o.title, o.weight) for o in row.others} == {("First", D("0.5")), (None, D("0.1"))}


def test_a_hidden_child_keeps_its_place_but_not_its_title(
    org, cycle, company, team, alice, bob, carol, clock
):
    parent = make(org, cycle, company, "Parent", by=alice)
    secret = make(org, cycle, team, "Secret", visibility="private", lead=carol, by=carol)
    alignment_link(child=secret, parent_objective=parent, weight="0.3", by=carol)
    (row,) = objective_branch(access_of(org, bob), clock, parent).children
    assert row.objective is None
    assert row.weight == D("0.3")
    (row,) = objective_branch(access_of(org, carol), clock, parent).children
    assert row.objective.title == "Secret"


def test_a_child_aligned_to_the_objective_and_one_of_its_key_results_is_listed_once(
    org, cycle, company, team, alice, clock
):
    parent = make(org, cycle, company, "Parent", by=alice)
    child = make(org, cycle, team, "Child", by=alice)
    alignment_link(child=child, parent_objective=parent, by=alice)
    alignment_link(child=child, parent_key_result=parent.key_results.get(), by=alice)
    (row,) = objective_branch(access_of(org, alice), clock, parent).children
    assert row.via is None
    assert row.others == []


def test_a_hidden_objective_is_not_found(org, cycle, team, bob, carol):
    from django.http import Http404

    secret = make(org, cycle, team, "Secret", visibility="private", lead=carol, by=carol)
    with pytest.raises(Http404):
        get_tree_objective(access_of(org, bob), org, secret.code)
    objective, clock = get_tree_objective(access_of(org, carol), org, secret.code)
    assert objective.status == "pending"
    assert clock.cycle == cycle


def test_the_newest_check_in_down_the_tree_matches_the_sql_rule(org, cycle, company):
    """`attach_newest` (one recursive query) finds what the `newest_checkin()` annotation
    finds: own key results and objectives aligned to it down to DESCENT levels, through direct
    links only, over a chain longer than DESCENT, a diamond and a link through a key result."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tenfold.okrs.models import Alignment, KeyResult, Objective
    from tenfold.okrs.tree import DESCENT, attach_newest, newest_checkin

    base = timezone.now().replace(microsecond=0) - dt.timedelta(days=60)
    chain = Objective.objects.bulk_create(
        Objective(organization=org, cycle=cycle, unit=company, title=f"Level {n}")
        for n in range(DESCENT + 3)
    )
    side, lone = Objective.objects.bulk_create(
        Objective(organization=org, cycle=cycle, unit=company, title=title)
        for title in ("Side", "Lone")
    )
    results = KeyResult.objects.bulk_create(
        KeyResult(
            organization=org,
            objective=objective,
            title=f"KR of {objective.title}",
            start=0,
            target=10,
            # Deeper objectives checked in later, so each level shows whether it was reached.
            last_checkin_at=base + dt.timedelta(days=day) if day is not None else None,
            progress=Decimal(0),
        )
        for day, objective in [
            *((n if n != 2 else None, objective) for n, objective in enumerate(chain)),
            (-1, side),
            (100, lone),
        ]
    )
    Alignment.objects.bulk_create(
        [
            *(
                Alignment(organization=org, child=chain[n + 1], parent_objective=chain[n])
                for n in range(len(chain) - 1)
            ),
            # A diamond: Side hangs under Level 0 and Level 1.
            Alignment(organization=org, child=side, parent_objective=chain[0]),
            Alignment(organization=org, child=side, parent_objective=chain[1]),
            # Through a key result: not part of the rule.
            Alignment(organization=org, child=lone, parent_key_result=results[0]),
        ]
    )
    expected = dict(
        Objective.objects.filter(organization=org)
        .annotate(tree_last=newest_checkin())
        .values_list("id", "tree_last")
    )
    rows = list(Objective.objects.filter(organization=org))
    attach_newest(rows)
    assert {row.id: row.tree_last for row in rows} == expected
    # The rule stops: Level 0 sees Level DESCENT, not the levels below it, and not Lone.
    assert expected[chain[0].id] == base + dt.timedelta(days=DESCENT)
    assert expected[chain[1].id] == base + dt.timedelta(days=DESCENT + 1)
    assert expected[side.id] == base - dt.timedelta(days=1)
