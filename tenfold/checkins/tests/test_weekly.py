"""Weekly reports: weeks in the organization's time zone, carry-over, and the item services'
rules (bad input is refused and writes nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import Category, WeeklyItem, WeeklyReport
from tenfold.checkins.weekly import (
    carry_over,
    categories,
    categories_update,
    item_add,
    item_delete,
    item_done,
    item_move,
    item_resolve,
    item_update,
    items_reorder,
    report_get,
    week_of,
)
from tenfold.lib.periods import week_start_of
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Membership, Organization
from tenfold.organizations.permissions import Access, access_for

NOW = "2026-11-18 12:00:00+00:00"  # a Wednesday


def access(org: Organization, user: Any) -> Access:
    membership = Membership.objects.select_related("organization", "user").get(
        organization=org, user=user
    )
    return access_for(membership)


def counts() -> tuple[int, int, int]:
    return WeeklyItem.objects.count(), WeeklyReport.objects.count(), AuditEvent.objects.count()


def refused(field: str, call: Any, **kwargs: Any) -> str:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert counts() == before
    return " ".join(caught.value.message_dict[field])


# --- weeks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (dt.date(2026, 11, 18), 0, dt.date(2026, 11, 16)),  # Wednesday, weeks from Monday
        (dt.date(2026, 11, 16), 0, dt.date(2026, 11, 16)),  # the Monday itself
        (dt.date(2026, 11, 15), 0, dt.date(2026, 11, 9)),  # Sunday ends the week
        (dt.date(2026, 11, 15), 6, dt.date(2026, 11, 15)),  # weeks from Sunday
        (dt.date(2026, 11, 21), 6, dt.date(2026, 11, 15)),
        (dt.date(2027, 1, 1), 0, dt.date(2026, 12, 28)),  # across the year
    ],
)
def test_week_start_of(day: dt.date, start: int, expected: dt.date) -> None:
    assert week_start_of(day, start) == expected


def test_week_start_of_refuses_a_bad_weekday() -> None:
    with pytest.raises(ValueError):
        week_start_of(dt.date(2026, 1, 1), 7)


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Sunday 23:30 in Berlin is already Monday 00:30 in Tokyo-like zones; check each side.
        ("Europe/Berlin", "2026-11-15 22:59:00+00:00", dt.date(2026, 11, 9)),  # Sun 23:59 CET
        ("Europe/Berlin", "2026-11-15 23:00:00+00:00", dt.date(2026, 11, 16)),  # Mon 00:00 CET
        ("America/New_York", "2026-11-16 04:59:00+00:00", dt.date(2026, 11, 9)),  # Sun 23:59 EST
        ("America/New_York", "2026-11-16 05:00:00+00:00", dt.date(2026, 11, 16)),
        ("Asia/Shanghai", "2026-11-15 15:59:00+00:00", dt.date(2026, 11, 9)),  # Sun 23:59
        ("Asia/Shanghai", "2026-11-15 16:00:00+00:00", dt.date(2026, 11, 16)),
        # The night Europe leaves summer time (Sunday 25 October 2026, 03:00 → 02:00 CEST→CET).
        ("Europe/Berlin", "2026-10-25 22:59:00+00:00", dt.date(2026, 10, 19)),
        ("Europe/Berlin", "2026-10-25 23:00:00+00:00", dt.date(2026, 10, 26)),
        # The US leaves summer time a week later (Sunday 1 November 2026).
        ("America/New_York", "2026-11-02 04:59:00+00:00", dt.date(2026, 10, 26)),
        ("America/New_York", "2026-11-02 05:00:00+00:00", dt.date(2026, 11, 2)),
        # Spring forward (Sunday 8 March 2026 in New York): midnight Monday is 04:00 UTC.
        ("America/New_York", "2026-03-09 03:59:00+00:00", dt.date(2026, 3, 2)),
        ("America/New_York", "2026-03-09 04:00:00+00:00", dt.date(2026, 3, 9)),
    ],
)
def test_week_of_follows_the_organization_time_zone(
    org: Organization, zone: str, moment: str, expected: dt.date
) -> None:
    org.time_zone = zone
    assert week_of(org, dt.datetime.fromisoformat(moment)) == expected


# --- carry-over -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Europe/Berlin", "2026-10-25 22:30:00+00:00", "2026-10-25 23:30:00+00:00"),  # DST ends
        ("America/New_York", "2026-11-02 04:30:00+00:00", "2026-11-02 05:30:00+00:00"),  # DST
        ("Asia/Shanghai", "2026-11-01 15:30:00+00:00", "2026-11-01 16:30:00+00:00"),
        ("Pacific/Auckland", "2026-11-01 10:30:00+00:00", "2026-11-01 11:30:00+00:00"),
    ],
)
def test_unfinished_plans_carry_over_at_the_local_week_boundary(
    org: Organization, team: Any, bob: Any, zone: str, before: str, after: str
) -> None:
    org.time_zone = zone
    org.save()
    with time_machine.travel(before, tick=False):
        first_week = week_of(org)
        a = access(org, bob)
        open_plan = item_add(access=a, category=Category.PLANS, text="Interview five customers")
        done_plan = item_add(access=a, category=Category.PLANS, text="Draft the survey")
        item_done(access=a, item=done_plan)
        problem = item_add(access=a, category=Category.PROBLEMS, text="No budget for ads")
        solved = item_add(access=a, category=Category.PROBLEMS, text="Waiting for legal")
        item_resolve(access=a, item=solved)
        item_add(access=a, category=Category.PROGRESS, text="Shipped the banner")
        # Still the same week a minute before midnight: nothing is carried.
        assert carry_over(org) == 0
        assert report_get(org, bob.id, first_week) is not None
    with time_machine.travel(after, tick=False):
        week = week_of(org)
        assert week == first_week + dt.timedelta(days=7)
        report = report_get(org, bob.id, week)
        assert report is not None
        carried = list(report.items.order_by("position"))
        assert [(i.category, i.text) for i in carried] == [
            (Category.PLANS, "Interview five customers"),
            (Category.PROBLEMS, "No budget for ads"),
        ]
        assert [i.carried_from_id for i in carried] == [open_plan.id, problem.id]
        # Running it again (a page, the API, the worker) carries nothing twice.
        assert carry_over(org) == 0
        report_get(org, bob.id, week)
        assert report.items.count() == 2
        # Last week stays as it was, readable.
        old = WeeklyReport.objects.get(person=bob, week=first_week)
        assert old.items.count() == 5


@time_machine.travel(NOW, tick=False)
def test_carry_over_skips_a_missing_week_and_takes_the_latest_report(
    org: Organization, team: Any, bob: Any
) -> None:
    week = week_of(org)
    two_ago = WeeklyReport.objects.create(
        organization=org, person=bob, week=week - dt.timedelta(days=14)
    )
    WeeklyItem.objects.create(
        organization=org, report=two_ago, category=Category.PLANS, text="Old plan"
    )
    assert carry_over(org, week=week) == 1
    assert list(WeeklyItem.objects.filter(report__week=week).values_list("text", flat=True)) == [
        "Old plan"
    ]


@time_machine.travel(NOW, tick=False)
def test_a_future_week_planned_early_gets_the_carry_over_when_it_begins(
    org: Organization, team: Any, bob: Any, carol: Any
) -> None:
    a = access(org, bob)
    week = week_of(org)
    item_add(access=a, category=Category.PLANS, text="Finish the pricing page")
    # In the meeting, carol adds a plan to bob's next week: no carry-over yet.
    item_add(
        access=access(org, carol),
        category=Category.PLANS,
        text="Call the three churned customers",
        person_id=bob.id,
        week=week + dt.timedelta(days=7),
        source="meeting",
    )
    next_report = WeeklyReport.objects.get(person=bob, week=week + dt.timedelta(days=7))
    assert next_report.carried_in_at is None
    assert next_report.items.count() == 1
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        report = report_get(org, bob.id, week_of(org))
        assert report == next_report
        assert list(report.items.order_by("position").values_list("text", flat=True)) == [
            "Call the three churned customers",
            "Finish the pricing page",
        ]


@time_machine.travel(NOW, tick=False)
def test_carry_over_for_many_people_runs_a_fixed_number_of_queries(
    org: Organization, django_assert_max_num_queries: Any
) -> None:
    from tenfold.conftest import make_user
    from tenfold.organizations.services import person_add

    week = week_of(org)
    owner = Membership.objects.get(organization=org, role="owner").user
    for n in range(12):
        user = make_user(f"p{n}@example.com", f"Person {n}")
        person_add(organization=org, email=user.email, by=owner)
        report = WeeklyReport.objects.create(
            organization=org, person=user, week=week - dt.timedelta(days=7)
        )
        for k in range(3):
            WeeklyItem.objects.create(
                organization=org, report=report, category=Category.PLANS, text=f"plan {k}"
            )
    # Its reads and bulk writes, and the change counter moving beside each write.
    with django_assert_max_num_queries(14):
        assert carry_over(org, week=week) == 36
    assert WeeklyReport.objects.filter(week=week).count() == 12


# --- item services ------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_done_moves_a_plan_to_progress_and_back(org: Organization, team: Any, bob: Any) -> None:
    a = access(org, bob)
    plan = item_add(access=a, category="plans", text="  Write   the brief ")
    assert plan.text == "Write the brief"
    plan = item_done(access=a, item=plan)
    assert plan.category == Category.PROGRESS and plan.done_at is not None
    plan = item_done(access=a, item=plan, done=False)
    assert plan.category == Category.PLANS and plan.done_at is None
    plan = item_move(access=a, item=plan, category=Category.PROBLEMS)
    assert plan.category == Category.PROBLEMS
    plan = item_move(access=a, item=plan, category=Category.PLANS)
    assert plan.category == Category.PLANS
    verbs = list(AuditEvent.objects.filter(object_type="weeklyitem").values_list("verb", flat=True))
    assert "weekly.item_done" in verbs and "weekly.item_moved" in verbs


@time_machine.travel(NOW, tick=False)
def test_items_link_to_key_results_and_objectives(
    org: Organization, team: Any, bob: Any, key_result: Any
) -> None:
    a = access(org, bob)
    item = item_add(access=a, category="plans", text="Run the test", link=key_result.code)
    assert item.key_result == key_result and item.objective == key_result.objective
    item = item_update(access=a, item=item, link=key_result.objective.code)
    assert item.key_result is None and item.objective == key_result.objective
    item = item_update(access=a, item=item, link="")
    assert item.objective is None


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("field", "kwargs", "words"),
    [
        ("text", {"text": "   "}, "Write"),
        ("text", {"text": "x" * 501}, "500"),
        ("category", {"category": "wishes"}, "categor"),
        ("link", {"link": "nosuchcode"}, "nosuchcode"),
        ("week", {"week": dt.date(2026, 11, 2)}, "ended"),
        ("week", {"week": dt.date(2026, 12, 7)}, "next week"),
    ],
)
def test_bad_items_are_refused_and_nothing_is_written(
    org: Organization, team: Any, bob: Any, field: str, kwargs: dict[str, Any], words: str
) -> None:
    arguments = {"access": access(org, bob), "category": "plans", "text": "A plan", **kwargs}
    assert words in refused(field, item_add, **arguments)


@time_machine.travel(NOW, tick=False)
def test_linking_to_another_teams_private_objective_is_refused(
    org: Organization, team: Any, alice: Any, bob: Any, cycle: Any, company: Any
) -> None:
    from tenfold.organizations.services import unit_create

    other = unit_create(organization=org, name="Finance", parent=company, by=alice)
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=other,
        title="Renegotiate the bank loan",
        visibility="private",
        state="active",
        by=alice,
    )
    kr = key_result_create(
        objective=secret,
        title="Cut interest from 6 to 4",
        kind="decrease",
        start=6,
        target=4,
        by=alice,
    )
    a = access(org, bob)
    for code in (secret.code, kr.code):
        message = refused("link", item_add, access=a, category="plans", text="x", link=code)
        assert "Renegotiate" not in message  # the refusal does not leak the title


@time_machine.travel(NOW, tick=False)
def test_linking_to_another_organizations_key_result_is_refused(
    org: Organization, team: Any, bob: Any, other_org: Organization, mallory: Any
) -> None:
    from tenfold.okrs.models import Cycle

    theirs = objective_create(
        organization=other_org,
        cycle=Cycle.objects.get(organization=other_org),
        title="Globex secret",
        level="company",
        unit=other_org.units.get(parent__isnull=True),
        state="active",
        by=mallory,
    )
    kr = key_result_create(
        objective=theirs, title="Sell more", kind="increase", start=0, target=10, by=mallory
    )
    refused("link", item_add, access=access(org, bob), category="plans", text="x", link=kr.code)


@time_machine.travel(NOW, tick=False)
def test_who_may_change_whose_week(
    org: Organization, team: Any, alice: Any, bob: Any, carol: Any, victor: Any
) -> None:
    bobs = item_add(access=access(org, bob), category="plans", text="Bob's plan")
    with pytest.raises(PermissionDenied):
        item_add(access=access(org, victor), category="plans", text="viewer writes")
    # A lead of bob's team may add to his week (the meeting) but not rewrite his own items.
    item_add(access=access(org, carol), category="plans", text="From the lead", person_id=bob.id)
    with pytest.raises(PermissionDenied):
        item_update(access=access(org, carol), item=bobs, text="changed by carol")
    with pytest.raises(PermissionDenied):
        item_delete(access=access(org, carol), item=bobs)
    # Victor shares no unit with bob: bob's items are not even there for him.
    with pytest.raises(Http404):
        item_done(access=access(org, victor), item=bobs)
    # Admins may tidy anyone's week.
    item_delete(access=access(org, alice), item=bobs)
    assert not WeeklyItem.objects.filter(pk=bobs.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_reorder(org: Organization, team: Any, bob: Any) -> None:
    a = access(org, bob)
    one, _two, three = (item_add(access=a, category="plans", text=t) for t in ("1", "2", "3"))
    items_reorder(access=a, report=one.report, category="plans", codes=[three.code, one.code])
    ordered = list(one.report.items.order_by("position").values_list("text", flat=True))
    assert ordered == ["3", "1", "2"]
    refused("order", items_reorder, access=a, report=one.report, category="plans", codes=["zz"])


@time_machine.travel(NOW, tick=False)
def test_past_weeks_are_read_only(org: Organization, team: Any, bob: Any) -> None:
    a = access(org, bob)
    item = item_add(access=a, category="plans", text="Last week's plan")
    with time_machine.travel("2026-11-25 12:00:00+00:00", tick=False):
        refused("week", item_done, access=a, item=item)
        refused("week", item_update, access=a, item=item, text="rewrite history")


def test_categories_can_be_renamed_and_extended(org: Organization, alice: Any) -> None:
    assert [c.key for c in categories(org)] == ["plans", "progress", "problems"]
    categories_update(
        organization=org,
        by=alice,
        names={"plans": "Priorities"},
        extras=[("", "Lessons learned"), ("", "Ideas")],
    )
    found = categories(org)
    assert [(c.key, c.name) for c in found] == [
        ("plans", "Priorities"),
        ("progress", "Progress"),
        ("problems", "Problems"),
        ("lessons-learned", "Lessons learned"),
        ("ideas", "Ideas"),
    ]
    # Renaming keeps the key, so the items filed under it stay there.
    categories_update(
        organization=org, by=alice, names={}, extras=[("lessons-learned", "What we learned")]
    )
    assert [(c.key, c.name) for c in categories(org)][3:] == [
        ("lessons-learned", "What we learned")
    ]
    before = (org.ppp_names, org.extra_categories)
    with pytest.raises(ValidationError):
        categories_update(organization=org, by=alice, names={}, extras=[("", "A"), ("", "a")])
    with pytest.raises(ValidationError):
        categories_update(organization=org, by=alice, names={"plans": "x" * 41}, extras=[])
    org.refresh_from_db()
    assert (org.ppp_names, org.extra_categories) == before
