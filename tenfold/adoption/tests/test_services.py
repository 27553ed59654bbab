"""The programme's services: the checklist laid out per rollout shape, its steps, the shape and
the first cycle. Bad input is refused with a message per field and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tenfold.adoption import selectors, steps
from tenfold.adoption.models import ChecklistItem, Programme
from tenfold.adoption.selectors import checklist, get_item, target_cycle
from tenfold.adoption.services import (
    checklist_ensure,
    first_cycle_create,
    item_add,
    item_delete,
    item_move,
    item_set_done,
    item_update,
    programme_set_shape,
)
from tenfold.adoption.steps import STEPS, Step
from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Cycle
from tenfold.okrs.services import cycle_create, cycle_set_state, cycles_create_for_year
from tenfold.organizations.services import person_add, unit_create

from .conftest import TODAY

KEYS = [
    "learn",
    "examples",
    "levels",
    "company",
    "teams",
    "alignment",
    "weekly",
    "monthly",
    "review",
]


def rows_of(org, access=None):
    programme = Programme.objects.select_related("pilot_unit", "first_cycle").get(organization=org)
    programme.organization = org
    org.refresh_from_db()
    return checklist(access, org, programme, target_cycle(org, programme)).rows


def titles(org):
    return {row.item.key: row.title for row in rows_of(org)}


# --- laying out the checklist -----------------------------------------------------------------


def test_the_checklist_has_the_nine_steps_of_the_method_in_order(org, team, alice):
    checklist_ensure(organization=org, by=alice)
    items = list(ChecklistItem.objects.filter(organization=org))
    assert [item.key for item in items] == KEYS == [step.key for step in STEPS]
    assert [item.position for item in items] == list(range(1, 10))
    assert all(item.owner == alice and item.due is not None for item in items)
    assert AuditEvent.objects.filter(organization=org, verb="adoption.checklist_created").count()


def test_laying_it_out_again_changes_nothing(org, team, alice, carol):
    checklist_ensure(organization=org, by=alice)
    step = ChecklistItem.objects.get(organization=org, key="learn")
    step.organization = org
    item_update(item=step, by=alice, owner=carol, note="Carol runs the workshop")
    checklist_ensure(organization=org, by=carol)
    assert ChecklistItem.objects.filter(organization=org).count() == 9
    step.refresh_from_db()
    assert (step.owner, step.note) == (carol, "Carol runs the workshop")


def test_a_viewer_laying_it_out_owns_nothing(org, team, victor):
    checklist_ensure(organization=org, by=victor)
    assert not ChecklistItem.objects.filter(organization=org, owner__isnull=False).exists()


@pytest.mark.parametrize(
    ("shape", "teams", "alignment", "weekly"),
    [
        (
            "pilot",
            "The pilot team drafts its one objective",
            "The pilot team presents its OKR to the leaders",
            "Agree the pilot team's weekly check-in slot",
        ),
        (
            "leads",
            "Each team lead drafts one objective for their team",
            "Alignment session: each lead presents their team's OKR",
            "Agree a weekly check-in slot for each team",
        ),
        (
            "everyone",
            "Each team drafts one objective together",
            "Alignment session: each team presents its OKR",
            "Agree a weekly check-in slot for each team",
        ),
    ],
)
def test_the_steps_follow_the_rollout_shape(org, team, alice, shape, teams, alignment, weekly):
    programme_set_shape(
        organization=org, shape=shape, pilot_unit=team if shape == "pilot" else None, by=alice
    )
    checklist_ensure(organization=org, by=alice)
    shown = titles(org)
    assert (shown["teams"], shown["alignment"], shown["weekly"]) == (teams, alignment, weekly)


def test_changing_the_shape_later_retitles_the_standard_steps(org, team, alice):
    checklist_ensure(organization=org, by=alice)
    assert titles(org)["learn"] == "Everyone learns the basics of OKRs"
    programme_set_shape(organization=org, shape="leads", by=alice)
    assert titles(org)["learn"] == "Leaders and team leads learn how OKRs work"


def test_with_a_pilot_the_pilot_lead_owns_the_teams_own_steps(org, team, alice, carol):
    programme_set_shape(organization=org, shape="pilot", pilot_unit=team, by=alice)
    checklist_ensure(organization=org, by=alice)
    owners = {i.key: i.owner for i in ChecklistItem.objects.filter(organization=org)}
    assert owners["teams"] == owners["alignment"] == owners["weekly"] == carol
    assert owners["learn"] == owners["company"] == owners["review"] == alice


def test_choosing_a_pilot_later_hands_the_untouched_team_steps_to_its_lead(
    org, team, alice, bob, carol
):
    checklist_ensure(organization=org, by=alice)
    weekly = ChecklistItem.objects.get(organization=org, key="weekly")
    weekly.organization = org
    item_update(item=weekly, by=alice, owner=bob)
    programme_set_shape(organization=org, shape="pilot", pilot_unit=team, by=alice)
    owners = {i.key: i.owner for i in ChecklistItem.objects.filter(organization=org)}
    assert owners["teams"] == owners["alignment"] == carol
    assert owners["weekly"] == bob  # changed by hand: kept


def test_due_dates_count_back_from_a_cycle_three_weeks_away_when_there_is_none(org, team, alice):
    checklist_ensure(organization=org, by=alice)
    due = {i.key: i.due for i in ChecklistItem.objects.filter(organization=org)}
    start = TODAY + dt.timedelta(days=21)
    assert due["learn"] == TODAY
    assert due["company"] == start - dt.timedelta(days=14)
    assert due["weekly"] == start - dt.timedelta(days=2)
    assert due["monthly"] == start + dt.timedelta(days=28)
    assert due["review"] == start + dt.timedelta(days=90 - 10)
    assert sorted(due.values()) == list(due.values())


def test_due_dates_follow_the_next_cycle_and_are_never_in_the_past(org, team, alice):
    cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind="quarter",
        by=alice,
    )
    checklist_ensure(organization=org, by=alice)
    due = {i.key: i.due for i in ChecklistItem.objects.filter(organization=org)}
    assert due["teams"] == dt.date(2026, 12, 22)
    assert due["review"] == dt.date(2027, 3, 21)
    assert min(due.values()) >= TODAY


# --- links ------------------------------------------------------------------------------------


def test_steps_link_to_where_they_are_done(org, team, cycle, alice):
    checklist_ensure(organization=org, by=alice)
    links = {row.item.key: row.link for row in rows_of(org)}
    assert links["levels"] == f"/{org.slug}/settings/units/"
    assert links["company"] == links["teams"] == f"/{org.slug}/planning/"
    assert links["alignment"] == f"/{org.slug}/cycles/{cycle.code}/alignment/"
    assert links["review"] == f"/{org.slug}/cycles/{cycle.code}/reviews/"
    assert links["weekly"] == f"/{org.slug}/settings/weekly/"
    assert links["monthly"] == f"/{org.slug}/review/monthly/"
    assert links["learn"] is None


def test_without_a_cycle_the_alignment_step_falls_back_to_planning(org, team, alice):
    checklist_ensure(organization=org, by=alice)
    links = {row.item.key: row.link for row in rows_of(org)}
    assert links["alignment"] == f"/{org.slug}/planning/"
    assert links["review"] is None


def test_with_a_pilot_the_weekly_step_opens_the_pilot_teams_meeting(org, team, alice):
    programme_set_shape(organization=org, shape="pilot", pilot_unit=team, by=alice)
    checklist_ensure(organization=org, by=alice)
    links = {row.item.key: row.link for row in rows_of(org)}
    assert links["weekly"] == f"/{org.slug}/units/{team.code}/meeting/"


def test_a_link_to_a_page_that_does_not_exist_yet_is_left_out(org, team, alice, monkeypatch):
    checklist_ensure(organization=org, by=alice)
    missing = Step("examples", steps._same("Browse"), "", "no_such_page")
    monkeypatch.setitem(selectors.STEP_BY_KEY, "examples", missing)
    links = {row.item.key: row.link for row in rows_of(org)}
    assert links["examples"] is None and links["levels"]


# --- overdue and progress ---------------------------------------------------------------------


def test_overdue_steps_are_the_undone_ones_due_before_today(org, team, alice, programme):
    learn, examples = (
        ChecklistItem.objects.get(organization=org, key=key) for key in ("learn", "examples")
    )
    ChecklistItem.objects.filter(pk__in=[learn.pk, examples.pk]).update(
        due=TODAY - dt.timedelta(days=1)
    )
    learn.organization = org
    item_set_done(item=learn, done=True, by=alice)
    rows = {row.item.key: row for row in rows_of(org)}
    assert not rows["learn"].overdue and rows["examples"].overdue
    assert not rows["levels"].overdue  # due today is not late yet
    result = checklist(None, org, Programme.objects.get(organization=org), None)
    assert (result.done, result.total, result.overdue, result.percent) == (1, 9, 1, 11)


# --- the steps --------------------------------------------------------------------------------


def test_ticking_remembers_who_and_when_and_unticking_forgets(step, bob, alice):
    done = item_set_done(item=step, done=True, by=alice)
    assert done.done_by == alice and done.done_at is not None and done.version == 2
    again = item_set_done(item=get_item(step.organization, step.code), done=True, by=bob)
    assert again.done_by == alice and again.version == 2  # done is done
    undone = item_set_done(item=get_item(step.organization, step.code), done=False, by=bob)
    assert undone.done_at is None and undone.done_by is None
    verbs = AuditEvent.objects.filter(object_code=step.code).values_list("verb", flat=True)
    assert sorted(verbs) == ["adoption.step_done", "adoption.step_reopened"]


def test_a_step_of_ones_own_goes_to_the_end(org, programme, alice, bob):
    item = item_add(organization=org, title="  Tell the board  ", owner=bob, by=alice)
    assert (item.title, item.position, item.owner, item.is_custom) == (
        "Tell the board",
        10,
        bob,
        True,
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"title": ""}, {"title"}),
        ({"title": "x" * 201}, {"title"}),
        ({"title": "Fine", "note": "n" * 501}, {"note"}),
        ({"title": "Fine", "due": "soon"}, {"due"}),
        ({"title": "Fine", "owner": "victor"}, {"owner"}),
        ({"title": "Fine", "owner": "mallory"}, {"owner"}),
    ],
)
def test_a_bad_step_is_refused_and_nothing_is_written(
    org, programme, alice, victor, mallory, fields, errors
):
    people = {"victor": victor, "mallory": mallory}
    if "owner" in fields:
        fields = {**fields, "owner": people[fields["owner"]]}
    before = (ChecklistItem.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        item_add(organization=org, by=alice, **fields)
    assert set(caught.value.message_dict) == errors
    assert (ChecklistItem.objects.count(), AuditEvent.objects.count()) == before


def test_updating_a_step_changes_owner_due_and_note_and_is_audited(step, alice, carol):
    item = item_update(
        item=step, by=alice, owner=carol, due=dt.date(2026, 12, 1), note="After the offsite"
    )
    assert (item.owner, item.due, item.note, item.version) == (
        carol,
        dt.date(2026, 12, 1),
        "After the offsite",
        2,
    )
    event = AuditEvent.objects.get(verb="adoption.step_updated")
    assert set(event.changes) == {"owner", "due", "note"}


def test_a_standard_step_keeps_its_title_and_cannot_be_deleted(step, alice):
    with pytest.raises(ValidationError) as caught:
        item_update(item=step, by=alice, title="Something else")
    assert "title" in caught.value.message_dict
    with pytest.raises(ValidationError):
        item_delete(item=step, by=alice)
    assert ChecklistItem.objects.filter(pk=step.pk).exists()


def test_an_edit_from_an_old_version_is_a_conflict(step, alice, bob):
    item_update(item=step, by=alice, note="first")
    with pytest.raises(ValidationError) as caught:
        item_update(item=step, by=alice, expected_version=1, note="second")
    assert caught.value.code == "conflict"
    step.refresh_from_db()
    assert step.note == "first"


def test_unknown_fields_are_refused(step, alice):
    with pytest.raises(ValidationError):
        item_update(item=step, by=alice, position=3)


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends(org, programme, step, alice):
    moved = item_move(item=step, direction="down", by=alice)
    keys = list(ChecklistItem.objects.filter(organization=org).values_list("key", flat=True))
    assert keys[:2] == ["examples", "learn"] and moved.position == 2
    first = get_item(org, ChecklistItem.objects.get(organization=org, key="examples").code)
    item_move(item=first, direction="up", by=alice)
    keys_after = list(ChecklistItem.objects.filter(organization=org).values_list("key", flat=True))
    assert keys_after == keys
    with pytest.raises(ValidationError):
        item_move(item=step, direction="sideways", by=alice)


def test_a_step_of_ones_own_can_be_deleted(org, programme, alice):
    item = item_add(organization=org, title="Tell the board", by=alice)
    item_delete(item=item, by=alice)
    assert not ChecklistItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(verb="adoption.step_deleted", object_code=item.code)


# --- the shape --------------------------------------------------------------------------------


def test_the_shape_is_the_organizations_rollout_set_through_settings_service(org, team, alice):
    programme_set_shape(organization=org, shape="pilot", pilot_unit=team, by=alice)
    org.refresh_from_db()
    assert org.rollout == "pilot"
    assert Programme.objects.get(organization=org).pilot_unit == team
    # One change, one event: the programme's shape, not also the organization's settings.
    verbs = AuditEvent.objects.filter(
        organization=org, verb__in=("organization.updated", "adoption.shape_set")
    ).values_list("verb", flat=True)
    assert list(verbs) == ["adoption.shape_set"]
    programme_set_shape(organization=org, shape="everyone", by=alice)
    org.refresh_from_db()
    assert org.rollout == "everyone"
    assert Programme.objects.get(organization=org).pilot_unit is None


@pytest.mark.parametrize("case", ["none", "department", "company", "foreign", "bad shape"])
def test_a_bad_shape_is_refused(org, team, company, alice, other_org, case):
    unit = {
        "none": None,
        "department": team.parent,
        "company": company,
        "foreign": other_org.units.get(),
        "bad shape": team,
    }[case]
    shape = "all of them" if case == "bad shape" else "pilot"
    with pytest.raises(ValidationError):
        programme_set_shape(organization=org, shape=shape, pilot_unit=unit, by=alice)
    org.refresh_from_db()
    assert org.rollout == "everyone"


# --- a short first cycle ----------------------------------------------------------------------


def test_a_six_week_first_cycle_is_planned_inside_its_year(org, team, alice):
    cycles_create_for_year(organization=org, year=2026, by=alice)
    cycles_create_for_year(organization=org, year=2027, by=alice)
    cycle = first_cycle_create(
        organization=org, length="six_weeks", start=dt.date(2026, 11, 16), by=alice
    )
    assert (cycle.start, cycle.end) == (dt.date(2026, 11, 16), dt.date(2026, 12, 27))
    assert (cycle.state, cycle.kind, cycle.parent.name) == ("planning", "custom", "2026")
    assert Programme.objects.get(organization=org).first_cycle == cycle


def test_a_month_long_first_cycle_ends_the_day_before_the_same_date(org, alice):
    cycle = first_cycle_create(
        organization=org, length="month", start=dt.date(2027, 1, 31), by=alice
    )
    assert (cycle.start, cycle.end, cycle.kind) == (
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 27),
        "month",
    )


def test_the_untouched_steps_move_with_the_first_cycle(org, team, alice, programme, step):
    item_update(item=step, by=alice, due=dt.date(2026, 11, 20))
    first_cycle_create(organization=org, length="six_weeks", start=dt.date(2027, 1, 4), by=alice)
    due = {i.key: i.due for i in ChecklistItem.objects.filter(organization=org)}
    assert due["learn"] == dt.date(2026, 11, 20)  # set by hand: kept
    assert due["teams"] == dt.date(2026, 12, 25)
    assert due["review"] == dt.date(2027, 2, 14) - dt.timedelta(days=10)


@pytest.mark.parametrize(
    ("length", "start", "field"),
    [
        ("quarter", dt.date(2026, 12, 1), "length"),
        ("month", None, "start"),
        ("month", dt.date(2026, 11, 14), "start"),
        ("month", dt.date(2028, 1, 1), "start"),
    ],
)
def test_a_bad_first_cycle_is_refused(org, alice, length, start, field):
    with pytest.raises(ValidationError) as caught:
        first_cycle_create(organization=org, length=length, start=start, by=alice)
    assert field in caught.value.message_dict
    assert not Cycle.objects.filter(organization=org).exists()


def test_there_is_only_one_first_cycle(org, alice):
    first_cycle_create(organization=org, length="month", start=TODAY, by=alice)
    with pytest.raises(ValidationError, match="already exists"):
        first_cycle_create(organization=org, length="month", start=TODAY, by=alice)
    assert Cycle.objects.filter(organization=org).count() == 1


def test_no_first_cycle_once_a_cycle_was_closed(org, cycle, alice):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    with pytest.raises(ValidationError, match="already closed"):
        first_cycle_create(organization=org, length="month", start=TODAY, by=alice)


def test_a_team_added_later_can_pilot(org, company, alice):
    late = unit_create(organization=org, name="Latecomers", parent=company, by=alice)
    person_add(organization=org, email="lea@example.com", lead_of=[late], by=alice)
    programme_set_shape(organization=org, shape="pilot", pilot_unit=late, by=alice)
    checklist_ensure(organization=org, by=alice)
    teams = ChecklistItem.objects.get(organization=org, key="teams")
    assert teams.owner.email == "lea@example.com"
