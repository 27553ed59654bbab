"""The health check's rules, judged on small hand-made facts: no database involved."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from tenfold.coach.health import rules
from tenfold.coach.health.rules import (
    Context,
    Facts,
    Grade,
    KeyResultRow,
    LeaderRow,
    ObjectiveRow,
    ParentKeyResult,
    PersonRow,
    Scopes,
    ScoreRow,
    Signal,
    State,
    Threshold,
    UnitRow,
)

TODAY = dt.date(2026, 11, 15)
CTX = Context(
    org_slug="acme",
    cycle_code="q4",
    cycle_name="Q4 2026",
    cycle_start=dt.date(2026, 10, 1),
    cycle_end=dt.date(2026, 12, 31),
    today=TODAY,
    stale_days=10,
    company_unit_code="root",
)
ROOT, PRODUCT, GROWTH, SALES = 1, 2, 3, 4
UNITS = {
    ROOT: UnitRow(ROOT, "root", "Acme", "company", None),
    PRODUCT: UnitRow(PRODUCT, "product", "Product", "department", ROOT),
    GROWTH: UnitRow(GROWTH, "growth", "Growth", "team", PRODUCT),
    SALES: UnitRow(SALES, "sales", "Sales", "team", ROOT),
}


def facts(context: Context = CTX, **rows: Any) -> Facts:
    return Facts(context=context, units=UNITS, **rows)


def objective(n: int, **fields: Any) -> ObjectiveRow:
    fields.setdefault("unit_id", GROWTH)
    return ObjectiveRow(id=n, code=f"obj{n}", title=f"Objective {n}", **fields)


def kr(n: int, **fields: Any) -> KeyResultRow:
    fields.setdefault("objective_id", 1)
    fields.setdefault("unit_id", GROWTH)
    fields.setdefault("title", f"Raise activation from {n} to {n + 10} %")
    fields.setdefault("created", dt.date(2026, 10, 1))
    fields.setdefault("last_checkin", TODAY - dt.timedelta(days=2))
    return KeyResultRow(id=n, code=f"kr{n}", **fields)


def person(n: int, plans: int = 0, linked: int = 0, units: tuple[int, ...] = (GROWTH,)) -> Any:
    return PersonRow(
        id=n, name=f"Person {n}", unit_ids=frozenset(units), plans=plans, linked=linked
    )


def signal(key: str, data: Facts) -> Signal:
    (found,) = [s for s in rules.signals_of(data) if s.key == key]
    return found


# --- thresholds, score, grade ----------------------------------------------------------------


def test_a_threshold_is_crossed_only_above_its_value():
    threshold = Threshold(rules.Measure.SHARE, watch=0.2, problem=0.4)
    assert [threshold.judge(v) for v in (0, 0.2, 0.21, 0.4, 0.41)] == [
        State.OK,
        State.OK,
        State.WATCH,
        State.WATCH,
        State.PROBLEM,
    ]


def test_a_lower_is_worse_threshold_turns_below_its_values():
    threshold = Threshold(rules.Measure.PER_OBJECTIVE, 1.0, 0.25, lower_is_worse=True)
    assert [threshold.judge(v) for v in (2, 1, 0.99, 0.25, 0.2)] == [
        State.OK,
        State.OK,
        State.WATCH,
        State.WATCH,
        State.PROBLEM,
    ]


def test_a_threshold_label_names_both_limits():
    label = Threshold(rules.Measure.SHARE, 0.1, 0.25).label()
    assert label == "watch above 10 %, problem above 25 %"


def make_signal(state: State, weight: int) -> Signal:
    return Signal(
        key="x",
        group="other",
        title="x",
        state=state,
        value=None,
        value_label="",
        threshold=Threshold(rules.Measure.SHARE),
        evidence="",
        items=(),
        more=0,
        nudge="",
        nudge_url="",
        weight=weight,
    )


def test_the_score_is_the_weighted_share_of_points_earned():
    signals = [
        make_signal(State.OK, 3),  # 3 of 3
        make_signal(State.WATCH, 2),  # 1 of 2
        make_signal(State.PROBLEM, 1),  # 0 of 1
        make_signal(State.NOT_APPLICABLE, 5),  # left out
        make_signal(State.OK, 0),  # weightless
    ]
    assert rules.score_of(signals) == round(100 * 4 / 6)  # 67


def test_the_score_rounds_half_up():
    # Half a point of 4 is 12.5: rounded up, not to the even 12.
    signals = [make_signal(State.WATCH, 1), make_signal(State.PROBLEM, 3)]
    assert rules.score_of(signals) == 13


def test_no_score_when_nothing_applies():
    assert rules.score_of([make_signal(State.NOT_APPLICABLE, 3), make_signal(State.OK, 0)]) is None
    assert rules.grade_of(None) is Grade.UNKNOWN


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, Grade.HEALTHY),
        (75, Grade.HEALTHY),
        (74, Grade.NEEDS_ATTENTION),
        (50, Grade.NEEDS_ATTENTION),
        (49, Grade.AT_RISK),
        (0, Grade.AT_RISK),
    ],
)
def test_grades_follow_the_documented_thresholds(score, grade):
    assert rules.grade_of(score) is grade


def test_every_signal_has_a_stable_key_and_the_report_lists_them_in_method_order():
    keys = [s.key for s in rules.signals_of(facts())]
    assert keys == list(rules.SPECS)
    assert len(set(keys)) == len(keys) == 19


def test_an_empty_cycle_is_not_applicable_rather_than_ok():
    empty = rules.signals_of(facts(context=replace(CTX, includes_company=False)))
    states = {s.key: s.state for s in empty}
    assert states.pop("scores_policy") is State.OK
    assert set(states.values()) == {State.NOT_APPLICABLE}
    assert rules.score_of(empty) is None


# --- scores used to judge people ---------------------------------------------------------------


def test_the_scores_policy_is_stated_as_enforced_and_weighs_nothing():
    found = signal("scores_policy", facts())
    assert found.state is State.OK and found.weight == 0
    assert "no score per person" in found.evidence
    assert found.nudge


# --- no safety to fail -------------------------------------------------------------------------


def scores(*values: str, aspirational: bool = False) -> tuple[ScoreRow, ...]:
    return tuple(
        ScoreRow(code=f"kr{n}", title=f"KR {n}", unit_id=GROWTH, score=Decimal(v),
                 aspirational=aspirational)
        for n, v in enumerate(values)
    )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "state"),
    [
        (("1.0", "0.7", "0.6", "0.4"), State.OK),  # 25 %
        (("1.0", "1.0", "1.0", "0.7"), State.OK),  # exactly 75 %: the limit itself is fine
        (("1.0", "1.0", "1.0", "1.0", "0.7"), State.WATCH),  # 80 %
        (("1.0", "1.0", "1.0"), State.PROBLEM),  # all of them
    ],
)
def test_perfect_scores_everywhere_look_like_sandbagging(values, state):
    found = signal("perfect_scores", facts(scores=scores(*values)))
    assert found.state is state


def test_perfect_scores_name_the_cycle_and_list_aspirational_ones_first():
    data = facts(
        context=replace(CTX, scored_cycle_name="Q3 2026"),
        scores=scores("1.0", "1.0") + scores("1.0", aspirational=True)[:1],
    )
    found = signal("perfect_scores", data)
    assert "Q3 2026" in found.evidence and "3 of 3" in found.evidence
    assert "1 of them aspirational" in found.evidence
    assert found.items[0].note == "aspirational"
    assert found.items[0].url == "/acme/key-results/kr0/"
    assert found.nudge_url == "/acme/planning/"


def test_too_few_scores_are_not_applicable():
    assert signal("perfect_scores", facts(scores=scores("1.0", "1.0"))).state is (
        State.NOT_APPLICABLE
    )
    assert signal("perfect_scores", facts()).state is State.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("confidences", "state"),
    [
        (("0.7", "0.8", "0.5", "1.0"), State.OK),  # 25 %
        (("1.0", "1.0", "1.0", "0.8", "0.6"), State.WATCH),  # 60 %
        (("1.0", "1.0", "1.0", "1.0", "0.8"), State.PROBLEM),  # 80 %
        (("0.9", "0.9", "0.9"), State.OK),  # 9 out of 10 is not a sure bet
        (("1.0", "1.0"), State.NOT_APPLICABLE),  # too few
    ],
)
def test_sure_confidence_at_drafting_looks_like_sandbagging(confidences, state):
    rows = tuple(kr(n, first_confidence=Decimal(c)) for n, c in enumerate(confidences))
    rows += (kr(99),)  # no confidence in the drafting weeks: not counted
    assert signal("sure_confidence", facts(key_results=rows)).state is state


# --- no trust -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("private", "total", "state"),
    [(0, 10, State.OK), (1, 10, State.OK), (2, 10, State.WATCH), (3, 10, State.PROBLEM)],
)
def test_private_objectives_share(private, total, state):
    rows = tuple(
        objective(n, visibility="private" if n < private else "organization") for n in range(total)
    )
    found = signal("private_objectives", facts(objectives=rows))
    assert found.state is state
    assert len(found.items) == private
    if state is not State.OK:
        assert found.nudge_url == "/acme/objectives/obj0/edit/"


def test_private_objectives_need_objectives():
    assert signal("private_objectives", facts()).state is State.NOT_APPLICABLE


# --- no feedback culture ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "state"),
    [((1, 1), State.OK), ((3, 0), State.OK), ((1, 0), State.WATCH), ((0, 0), State.PROBLEM)],
)
def test_feedback_per_objective(counts, state):
    rows = tuple(objective(n, feedback=count) for n, count in enumerate(counts))
    found = signal("feedback", facts(objectives=rows))
    assert found.state is state
    assert found.value == sum(counts) / len(counts)
    assert [item.label for item in found.items] == [row.title for row in rows if row.feedback == 0]


# --- leadership absent --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("company", "state"), [(0, State.PROBLEM), (1, State.OK), (5, State.OK), (6, State.WATCH)]
)
def test_company_objectives_count(company, state):
    rows = tuple(objective(n, unit_id=ROOT, level="company") for n in range(company))
    rows += (objective(100),)
    found = signal("company_objectives", facts(objectives=rows))
    assert found.state is state
    assert found.value == company
    if company == 0:
        assert found.nudge_url == "/acme/objectives/new/?cycle=q4&unit=root"


def test_company_signals_do_not_apply_to_a_unit_below_the_company():
    data = facts(context=replace(CTX, includes_company=False))
    assert signal("company_objectives", data).state is State.NOT_APPLICABLE
    assert signal("company_key_results", data).state is State.NOT_APPLICABLE


def test_stale_company_key_results():
    fresh = kr(1, level="company", unit_id=ROOT)
    old = kr(2, level="company", unit_id=ROOT, last_checkin=TODAY - dt.timedelta(days=11))
    never = kr(3, level="company", unit_id=ROOT, last_checkin=None)
    draft = kr(4, level="company", unit_id=ROOT, last_checkin=None, objective_state="draft")
    assert signal("company_key_results", facts(key_results=(fresh,))).state is State.OK
    found = signal("company_key_results", facts(key_results=(fresh, fresh, old)))
    assert found.state is State.WATCH  # any stale company key result is worth a look
    found = signal("company_key_results", facts(key_results=(fresh, old, never, draft)))
    assert found.state is State.PROBLEM  # 2 of 3 under way
    assert [item.note for item in found.items] == ["last check-in 2026-11-04", "never checked in"]


def test_company_key_results_need_key_results_and_time():
    assert signal("company_key_results", facts()).state is State.NOT_APPLICABLE
    early = replace(CTX, today=dt.date(2026, 10, 8))
    old = kr(2, level="company", unit_id=ROOT, last_checkin=None)
    assert signal("company_key_results", facts(early, key_results=(old,))).state is (
        State.NOT_APPLICABLE
    )


def leaders(*checked: bool) -> tuple[LeaderRow, ...]:
    return tuple(
        LeaderRow(id=n, name=f"Lead {n}", unit_ids=frozenset({GROWTH}), checked_in=c)
        for n, c in enumerate(checked)
    )


@pytest.mark.parametrize(
    ("checked", "state"),
    [
        ((True,) * 5, State.OK),
        ((True,) * 4 + (False,), State.OK),  # 20 %
        ((True,) * 3 + (False,), State.WATCH),  # 25 %
        ((True, False), State.WATCH),  # 50 %
        ((False,), State.PROBLEM),
    ],
)
def test_leaders_who_never_checked_in(checked, state):
    found = signal("leaders_checkin", facts(leaders=leaders(*checked)))
    assert found.state is state
    assert all(item.note == "leads Growth" for item in found.items)
    assert all(item.url.startswith("/acme/people/") for item in found.items)


def test_leaders_are_not_judged_in_the_grace_period_or_without_leaders():
    early = replace(CTX, today=dt.date(2026, 10, 11))
    assert signal("leaders_checkin", facts(early, leaders=leaders(False))).state is (
        State.NOT_APPLICABLE
    )
    assert signal("leaders_checkin", facts()).state is State.NOT_APPLICABLE


# --- too ambitious too soon ---------------------------------------------------------------------


def test_aspirational_okrs_in_the_first_cycle():
    first = replace(CTX, first_cycle=True)
    committed = tuple(objective(n) for n in range(8))
    assert signal("aspirational_first_cycle", facts(first, objectives=committed)).state is (
        State.OK
    )
    one = (*committed[:7], objective(7, type="aspirational"))
    assert signal("aspirational_first_cycle", facts(first, objectives=one)).state is State.WATCH
    # An aspirational key result makes its objective count too.
    bold_kr = (kr(1, objective_id=0, aspirational=True), kr(2, objective_id=1, aspirational=True))
    found = signal("aspirational_first_cycle", facts(first, objectives=one, key_results=bold_kr))
    assert found.state is State.PROBLEM  # 3 of 8
    assert {item.label for item in found.items} == {"Objective 0", "Objective 1", "Objective 7"}


def test_aspirational_okrs_are_fine_after_the_first_cycle():
    rows = (objective(1, type="aspirational"),)
    assert signal("aspirational_first_cycle", facts(objectives=rows)).state is (
        State.NOT_APPLICABLE
    )


# --- the method forgotten -----------------------------------------------------------------------


def test_a_key_result_is_stale_after_the_grace_period():
    assert not rules.is_stale(kr(1, last_checkin=TODAY - dt.timedelta(days=10)), CTX)
    assert rules.is_stale(kr(1, last_checkin=TODAY - dt.timedelta(days=11)), CTX)
    # Never checked in: counted from its creation, or the cycle start if it is older.
    assert not rules.is_stale(kr(1, last_checkin=None, created=TODAY - dt.timedelta(days=5)), CTX)
    assert rules.is_stale(kr(1, last_checkin=None, created=dt.date(2026, 9, 1)), CTX)


@pytest.mark.parametrize(("stale", "state"), [(2, State.OK), (3, State.WATCH), (5, State.PROBLEM)])
def test_stale_key_results_share(stale, state):
    old = TODAY - dt.timedelta(days=30)
    rows = tuple(kr(n, last_checkin=old if n < stale else TODAY) for n in range(10))
    rows += (kr(50, last_checkin=None, objective_state="draft"),)  # drafts are not expected
    found = signal("stale_key_results", facts(key_results=rows))
    assert found.state is state
    assert found.value == stale / 10


def test_stale_key_results_nudge_points_at_the_team_meeting_for_a_unit():
    rows = (kr(1, last_checkin=None),)
    org = signal("stale_key_results", facts(key_results=rows))
    assert org.nudge_url == "/acme/dashboard/"
    unit = signal(
        "stale_key_results", facts(replace(CTX, scope_unit_code="growth"), key_results=rows)
    )
    assert unit.nudge_url == "/acme/units/growth/meeting/"


@pytest.mark.parametrize(
    ("days", "state"),
    [(0, State.OK), (14, State.OK), (15, State.WATCH), (21, State.WATCH), (22, State.PROBLEM)],
)
def test_weeks_since_the_last_checkin(days, state):
    rows = (kr(1, last_checkin=TODAY - dt.timedelta(days=days)), kr(2, last_checkin=None))
    found = signal("last_checkin", facts(key_results=rows))
    assert found.state is state
    assert found.value == round(days / 7, 4)


def test_no_checkin_at_all_counts_from_the_cycle_start():
    found = signal("last_checkin", facts(key_results=(kr(1, last_checkin=None),)))
    assert found.state is State.PROBLEM  # 45 days of silence
    assert "since 2026-10-01" in found.evidence
    before = replace(CTX, today=dt.date(2026, 9, 20))
    assert signal("last_checkin", facts(before, key_results=(kr(1),))).state is (
        State.NOT_APPLICABLE
    )


# --- alignment mistakes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outside", "state"), [(1, State.OK), (2, State.WATCH), (4, State.PROBLEM)]
)
def test_team_objectives_created_outside_the_team(outside, state):
    rows = tuple(objective(n, creator_inside=n >= outside) for n in range(10))
    rows += (objective(20, creator_inside=None),)  # creator unknown: left out
    rows += (objective(21, unit_id=ROOT, level="company", creator_inside=False),)
    found = signal("pushed_down", facts(objectives=rows))
    assert found.state is state
    assert found.value == outside / 10
    assert found.items[0].note == "Growth"


def test_near_identical_titles():
    assert rules.near_identical("Raise NPS from 30 to 40", "raise NPS from 30 to 40!")
    # The parent's key result with another number is still the parent's key result.
    assert rules.near_identical(
        "Raise activation from 20% to 40%", "Raise activation from 20 % to 45 %"
    )
    assert not rules.near_identical("Raise activation from 20% to 40%", "Raise activation 20 → 40")
    assert not rules.near_identical("Raise NPS from 30 to 40", "Cut support replies to 2 hours")
    assert not rules.near_identical("", "")


def test_key_results_copied_from_the_parent():
    parent = (ParentKeyResult("Grow revenue to 2M €"), ParentKeyResult("Secret", visible=False))
    rows = (
        kr(1, title="Grow revenue to 2M €", parents=parent),
        kr(2, title="secret", parents=parent),
        kr(3, title="Shorten onboarding from 14 to 7 days", parents=parent),
        kr(4, title="Grow revenue to 2M €"),  # not aligned: nothing to copy
        kr(5, title="Grow revenue to 2M €", level="company", parents=parent),  # not a team's
    )
    found = signal("copied_key_results", facts(key_results=rows))
    assert found.state is State.PROBLEM  # 2 of 3
    assert [item.note for item in found.items] == [
        "same as “Grow revenue to 2M €”",
        "same as a key result of its parent",  # a private parent is not quoted
    ]
    assert signal("copied_key_results", facts(key_results=rows[2:])).state is State.OK
    assert signal("copied_key_results", facts(key_results=rows[3:])).state is (State.NOT_APPLICABLE)


@pytest.mark.parametrize(
    ("orphans", "state"), [(0, State.OK), (1, State.WATCH), (3, State.PROBLEM)]
)
def test_key_results_without_an_owner(orphans, state):
    rows = tuple(kr(n, has_owner=n >= orphans) for n in range(10))
    assert signal("key_result_owner", facts(key_results=rows)).state is state


@pytest.mark.parametrize(("loose", "state"), [(2, State.OK), (3, State.WATCH), (6, State.PROBLEM)])
def test_team_objectives_linked_to_nothing(loose, state):
    rows = tuple(objective(n, linked=n >= loose) for n in range(10))
    rows += (objective(30, unit_id=PRODUCT, level="department"),)  # departments may stand alone
    found = signal("unlinked_objectives", facts(objectives=rows))
    assert found.state is state
    if state is not State.OK:
        assert found.nudge_url == "/acme/objectives/obj0/align/"


def test_alignment_waits_until_after_the_first_cycle():
    rows = (objective(1),)
    first = replace(CTX, first_cycle=True)
    assert signal("unlinked_objectives", facts(first, objectives=rows)).state is (
        State.NOT_APPLICABLE
    )


# --- other signals --------------------------------------------------------------------------------


def test_key_results_without_a_number():
    assert rules.has_number(kr(1, title="Cut churn from 5 % to 3 %"))
    assert not rules.has_number(kr(1, title="Launch the new website"))
    assert not rules.has_number(kr(1, title="Ship version 2", kind="milestone"))
    rows = (
        *(kr(n) for n in range(8)),
        kr(10, title="Improve SEO"),
        kr(11, title="Publish 2 posts", kind="milestone"),
    )
    found = signal("measurable_key_results", facts(key_results=rows))
    assert found.state is State.OK  # 20 %
    assert [item.note for item in found.items] == ["no number", "milestone"]
    rows += (kr(12, title="Make videos"),)
    assert signal("measurable_key_results", facts(key_results=rows)).state is State.WATCH
    rows += tuple(kr(20 + n, title="Be better") for n in range(3))
    assert signal("measurable_key_results", facts(key_results=rows)).state is State.PROBLEM


@pytest.mark.parametrize(
    ("busiest", "state"), [(1, State.OK), (3, State.OK), (4, State.WATCH), (6, State.PROBLEM)]
)
def test_too_many_objectives_in_a_unit(busiest, state):
    rows = tuple(objective(n) for n in range(busiest))
    rows += (objective(100, unit_id=SALES),)
    found = signal("objectives_per_unit", facts(objectives=rows))
    assert found.state is state
    assert found.value == busiest
    if state is not State.OK:
        (item,) = found.items
        assert (item.label, item.url) == ("Growth", "/acme/units/growth/")


@pytest.mark.parametrize(
    ("linked", "state"),
    [((1, 1, 1, 0), State.OK), ((1, 1, 0, 0), State.WATCH), ((1, 0, 0, 0), State.PROBLEM)],
)
def test_people_without_plans_linked_to_okrs(linked, state):
    people = tuple(person(n, plans=3, linked=count) for n, count in enumerate(linked))
    found = signal("plans_linked", facts(people=people))
    assert found.state is state
    assert found.items[0].note == "3 plans, none linked"


def test_plans_signals_need_plans():
    quiet = (person(1), person(2))
    for key in ("plans_linked", "business_as_usual"):
        found = signal(key, facts(people=quiet))
        assert found.state is State.NOT_APPLICABLE
        assert found.nudge_url == "/acme/week/"


@pytest.mark.parametrize(
    ("linked", "state"), [(10, State.OK), (5, State.OK), (4, State.WATCH), (1, State.PROBLEM)]
)
def test_business_as_usual_plans(linked, state):
    people = (
        person(1, plans=6, linked=linked // 2),
        person(2, plans=4, linked=linked - linked // 2),
    )
    found = signal("business_as_usual", facts(people=people))
    assert found.state is state
    assert found.value == (10 - linked) / 10


# --- evidence, scopes ---------------------------------------------------------------------------


def test_evidence_lists_ten_items_and_counts_the_rest():
    rows = tuple(objective(n, visibility="private") for n in range(13))
    found = signal("private_objectives", facts(objectives=rows))
    assert len(found.items) == rules.MAX_ITEMS and found.more == 3


def world() -> Facts:
    return facts(
        objectives=(
            objective(1, unit_id=ROOT, level="company"),
            objective(2, unit_id=GROWTH, visibility="private"),
            objective(3, unit_id=SALES),
        ),
        key_results=(kr(1, objective_id=2, unit_id=GROWTH, has_owner=False),),
        people=(person(1, units=(GROWTH,)), person(2, units=(SALES,)), person(3, units=())),
        leaders=(
            LeaderRow(1, "Lead", frozenset({GROWTH})),
            LeaderRow(9, "Admin", frozenset(), is_admin=True),
        ),
    )


def test_a_unit_scope_holds_its_rows_and_those_below():
    scopes = Scopes(world())
    product = scopes.facts_for(PRODUCT)
    assert [o.id for o in product.objectives] == [2]
    assert [k.id for k in product.key_results] == [1]
    assert [p.id for p in product.people] == [1]
    assert [lead.id for lead in product.leaders] == [1]
    assert not product.context.includes_company
    assert product.context.scope_unit_code == "product"


def test_the_company_unit_scope_is_the_whole_organization():
    data = world()
    scopes = Scopes(data)
    root = scopes.facts_for(ROOT)
    assert root.context.includes_company
    assert (root.objectives, root.people, root.leaders) == (
        data.objectives,
        data.people,
        data.leaders,
    )


def test_unit_scores_list_the_weakest_first_with_links():
    weakest, judged = Scopes(world()).unit_scores([PRODUCT, GROWTH, SALES])
    assert judged == 3
    assert [row.code for row in weakest][:2] == ["growth", "product"]  # private + no owner
    assert weakest[0].score is not None and weakest[0].score < weakest[-1].score  # type: ignore[operator]
    assert weakest[0].url == "/acme/units/growth/health/?cycle=q4"
