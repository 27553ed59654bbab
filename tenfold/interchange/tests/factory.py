"""A rich organization for round trips: every section of the interchange format has rows, with
the awkward cases (corrections, carried-over rows, nested units and cycles, soft-deleted
comments, adjusted scores, custom checklist steps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models

from tenfold.accounts.models import User
from tenfold.adoption.models import ChecklistItem, Programme
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.digests.models import Subscriber
from tenfold.habits.models import Kudos
from tenfold.ideas.models import Idea, IdeaComment, IdeaVote
from tenfold.kpis.models import Kpi, KpiValue
from tenfold.notifications.models import OrgSettings, Preference, Schedule
from tenfold.okrs.models import Alignment, Cycle, Initiative, KeyResult, Objective
from tenfold.organizations.models import Membership, Organization, Unit
from tenfold.reviews.models import Review, ReviewScore
from tenfold.social.models import Comment, Mention, Reaction

UTC = dt.UTC


def at(day: int, hour: int = 9, micro: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, 15, 7, micro, tzinfo=UTC)


def backdate(obj: models.Model, **values: Any) -> None:
    """Set times that `auto_now` would otherwise overwrite."""
    type(obj)._base_manager.filter(pk=obj.pk).update(**values)


def enrich(
    org: Organization,
    *,
    alice: User,
    bob: User,
    carol: User,
    team: Unit,
    cycle: Cycle,
    objective: Objective,
    key_result: KeyResult,
) -> None:
    company = Unit.objects.get(organization=org, parent__isnull=True)
    former = User.objects.create_user(email="dora@example.com", name="Dora Former")
    Membership.objects.filter(organization=org, user=bob).update(title="Engineer")

    year = Cycle.objects.create(
        organization=org,
        name="FY 2026",
        kind="year",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        state="active",
    )
    Cycle.objects.filter(pk=cycle.pk).update(parent=year)
    past = Cycle.objects.create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        parent=year,
        state="closed",
    )
    kpi = Kpi.objects.create(
        organization=org,
        unit=team,
        name="Weekly active users",
        unit_label="users",
        direction="in_range",
        target=Decimal("100.5"),
        target_high=Decimal("250"),
        owner=bob,
        current=Decimal("120.25"),
        current_at=at(2),
        version=3,
    )
    backdate(kpi, created_at=at(1, micro=1), updated_at=at(2, micro=2))
    KpiValue.objects.create(
        organization=org,
        kpi=kpi,
        value=Decimal("120.25"),
        measured_at=at(2),
        note="ok",
        author=former,
    )
    old = Objective.objects.create(
        organization=org,
        cycle=past,
        unit=team,
        title="Onboarding, first attempt",
        state="closed",
        progress=Decimal("0.6500"),
        created_by=carol,
        kpi=kpi,
    )
    Objective.objects.filter(pk=objective.pk).update(
        carried_from=old, progress=Decimal("0.3333"), version=4, description="Why: churn."
    )
    top = Objective.objects.create(
        organization=org,
        cycle=year,
        unit=company,
        level="company",
        type="aspirational",
        state="active",
        visibility="unit",
        title="Be the easiest tool to start with",
        lead=alice,
        order=2,
        created_by=alice,
    )
    personal = Objective.objects.create(
        organization=org,
        cycle=cycle,
        owner_person=bob,
        level="personal",
        visibility="private",
        title="Learn SQL",
    )
    backdate(top, created_at=at(1, micro=11), updated_at=at(3, micro=12))
    old_kr = KeyResult.objects.create(
        organization=org,
        objective=old,
        title="Old activation",
        start=Decimal(10),
        target=Decimal(20),
        current=Decimal(16),
        progress=Decimal("0.6"),
        progress_raw=Decimal("0.6"),
    )
    KeyResult.objects.filter(pk=key_result.pk).update(
        carried_from=old_kr,
        current=Decimal("25.5"),
        last_confidence=Decimal("0.7"),
        last_checkin_at=at(5),
        progress=Decimal("0.275"),
        progress_raw=Decimal("0.275"),
    )
    revenue = KeyResult.objects.create(
        organization=org,
        objective=top,
        title="Revenue",
        kind="reach",
        target=Decimal("1000000.25"),
        value_format="currency",
        currency="EUR",
        decimals=2,
        weight=Decimal("2.5"),
        owner=former,
        aspirational=True,
        data_source="push",
    )
    Alignment.objects.create(
        organization=org, child=objective, parent_objective=top, weight=Decimal("0.5")
    )
    Alignment.objects.create(organization=org, child=personal, parent_key_result=revenue)
    first = CheckIn.objects.create(
        organization=org,
        key_result=key_result,
        value=Decimal(24),
        confidence=Decimal("0.6"),
        note="first",
        author=bob,
        measured_at=at(4),
    )
    fixed = CheckIn.objects.create(
        organization=org,
        key_result=key_result,
        value=Decimal("25.5"),
        author=carol,
        source="cli",
        measured_at=at(4),
        supersedes=first,
        edit_reason="typo",
    )
    backdate(first, created_at=at(4, 10, 5))
    Initiative.objects.create(
        organization=org,
        objective=objective,
        key_result=key_result,
        title="Tour",
        owner=bob,
        status="doing",
        due=dt.date(2026, 11, 1),
    )
    Initiative.objects.create(organization=org, objective=top, title="Docs")
    earlier = WeeklyReport.objects.create(organization=org, person=bob, week=dt.date(2026, 10, 5))
    report = WeeklyReport.objects.create(
        organization=org, person=bob, week=dt.date(2026, 10, 12), carried_in_at=at(12)
    )
    plan = WeeklyItem.objects.create(
        organization=org,
        report=earlier,
        category="plans",
        text="Ship the tour",
        objective=objective,
        key_result=key_result,
        added_by=bob,
    )
    carried = WeeklyItem.objects.create(
        organization=org,
        report=report,
        category="progress",
        text="Ship the tour",
        position=1,
        carried_from=plan,
        done_at=at(13),
        added_by=bob,
        source="email",
    )
    WeeklyItem.objects.create(
        organization=org,
        report=report,
        category="problems",
        text="Flaky CI",
        resolved_at=at(14),
        added_by=former,
    )
    WeeklyItem.objects.create(
        organization=org, report=report, category="lessons", text="Pairing helps"
    )
    backdate(report, created_at=at(12, micro=5), updated_at=at(14, micro=6))
    on_objective = Comment.objects.create(
        organization=org, author=carol, body="Nice @bob", objective=objective
    )
    Comment.objects.create(
        organization=org,
        author=former,
        body="gone",
        checkin=fixed,
        deleted_at=at(6),
        edited_at=at(5),
    )
    Comment.objects.create(organization=org, author=bob, body="kr", key_result=key_result)
    Comment.objects.create(
        organization=org, author=bob, body="item", weekly_item=carried, source="chat"
    )
    Reaction.objects.create(organization=org, user=bob, emoji="party", comment=on_objective)
    Reaction.objects.create(organization=org, user=carol, emoji="heart", objective=objective)
    Reaction.objects.create(organization=org, user=alice, emoji="eyes", checkin=first)
    Mention.objects.create(organization=org, comment=on_objective, user=bob, read_at=at(7))
    Kudos.objects.create(organization=org, giver=carol, checkin=fixed)
    Kudos.objects.create(organization=org, giver=alice, weekly_item=carried)
    review = Review.objects.create(
        organization=org,
        cycle=past,
        unit=team,
        state="submitted",
        summary="Good",
        learn_stop="meetings",
        answers={"worked": "pairing", "numbers": [1, 2]},
        submitted_at=at(1),
        submitted_by=carol,
    )
    Review.objects.create(organization=org, cycle=past, summary="Company")
    ReviewScore.objects.create(
        review=review,
        objective=old,
        proposed=Decimal("0.6"),
        adjusted=Decimal("0.7"),
        reason="Harder than it looked",
        adjusted_by=carol,
        adjusted_at=at(2),
    )
    ReviewScore.objects.create(review=review, key_result=old_kr, proposed=Decimal("0.6"))
    idea = Idea.objects.create(
        organization=org,
        question="change",
        text="Pair on onboarding",
        author=bob,
        unit=team,
        cycle=cycle,
        status="promoted",
        promoted_to=objective,
        vote_count=2,
    )
    Idea.objects.create(organization=org, question="blockers", text="CI is slow")
    IdeaVote.objects.create(organization=org, idea=idea, user=alice)
    IdeaVote.objects.create(organization=org, idea=idea, user=carol)
    IdeaComment.objects.create(organization=org, idea=idea, author=carol, body="+1")
    AuditEvent.objects.create(
        organization=org,
        actor=former,
        verb="objective.updated",
        object_type="objective",
        object_code=objective.code,
        object_repr=objective.title,
        objective_code=objective.code,
        changes={"title": ["a", "b"]},
    )
    programme = Programme.objects.create(
        organization=org, pilot_unit=team, first_cycle=cycle, checklist_created_at=at(1)
    )
    ChecklistItem.objects.create(
        organization=org,
        programme=programme,
        key="pilot",
        owner=alice,
        done_at=at(2),
        done_by=alice,
    )
    ChecklistItem.objects.create(
        organization=org,
        programme=programme,
        title="Book the kick-off",
        position=1,
        due=dt.date(2026, 10, 20),
        note="room 4",
    )
    OrgSettings.objects.update_or_create(
        organization=org, defaults={"digest_hour": 7, "review_reminder_days": 3}
    )
    Preference.objects.create(
        organization=org, user=bob, muted_until=dt.date(2026, 12, 24), kinds_off=["stale"]
    )
    Schedule.objects.create(
        organization=org, unit=team, checkin_weekday=3, checkin_hour=16, time_zone="Asia/Tokyo"
    )
    Subscriber.objects.create(
        organization=org,
        email="investor@example.org",
        name="Ivy",
        unit=None,
        created_by=alice,
        sections=["summary"],
        include_names=True,
    )
    Subscriber.objects.create(
        organization=org,
        email="investor@example.org",
        unit=team,
        active=False,
        unsubscribed_at=at(9),
    )
