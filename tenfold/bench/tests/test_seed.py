"""`tenfold seed` and the synthetic organization it builds."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max

from tenfold.accounts.models import User
from tenfold.bench.seeding import (
    PASSWORD,
    SeedStats,
    seed_delete,
    seed_organization,
    seeded_parameters,
    sign_in,
    targets,
)
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.lib.periods import week_start_of
from tenfold.okrs.models import Alignment, Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.rollup import reconcile
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.reviews.models import Review, ReviewScore
from tenfold.social.models import Comment

TODAY = dt.date(2026, 11, 18)


def seed(people: int = 30, **options: Any) -> Organization:
    options.setdefault("today", TODAY)
    return seed_organization(people=people, **options)


def snapshot(org: Organization) -> dict[str, list[tuple[Any, ...]]]:
    """The organization's data without primary keys, which may differ between databases."""
    return {
        "units": sorted(
            Unit.objects.filter(organization=org).values_list(
                "code", "name", "kind", "parent__code"
            )
        ),
        "people": sorted(
            Membership.objects.filter(organization=org).values_list(
                "user__email", "user__name", "role", "title"
            )
        ),
        "objectives": sorted(
            Objective.objects.filter(organization=org).values_list(
                "code", "cycle__name", "unit__code", "title", "state", "type", "progress"
            )
        ),
        "key_results": sorted(
            KeyResult.objects.filter(organization=org).values_list(
                "code",
                "objective__code",
                "kind",
                "start",
                "target",
                "current",
                "progress",
                "last_checkin_at",
                "last_confidence",
                "owner__email",
            )
        ),
        "checkins": sorted(
            CheckIn.objects.filter(organization=org).values_list(
                "code", "key_result__code", "value", "confidence", "measured_at", "author__email"
            )
        ),
        "items": sorted(
            WeeklyItem.objects.filter(organization=org).values_list(
                "code",
                "report__code",
                "report__week",
                "category",
                "text",
                "key_result__code",
                "carried_from__code",
                "done_at",
            )
        ),
        "comments": sorted(Comment.objects.filter(organization=org).values_list("code", "body")),
    }


@pytest.mark.django_db
def test_it_builds_an_organization_shaped_like_a_real_one() -> None:
    stats = SeedStats()
    org = seed(60, stats=stats)

    assert org.slug == "synthetic-60"
    assert seeded_parameters(org) == {
        "people": 60,
        "seed": 1,
        "today": TODAY.isoformat(),
        "format": 1,
    }
    roles = Counter(Membership.objects.filter(organization=org).values_list("role", flat=True))
    assert sum(roles.values()) == 60
    assert roles[Role.OWNER] == 1
    assert roles[Role.ADMIN] >= 2
    assert roles[Role.VIEWER] >= 1
    units = Unit.objects.filter(organization=org)
    teams = units.filter(kind="team")
    assert teams.count() == 6
    assert units.filter(kind="department").count() == 1
    assert not teams.filter(parent__kind="company").exists()
    # Everybody sits in exactly one unit, and every unit has one lead.
    assert UnitMember.objects.filter(organization=org).count() == 60
    assert set(
        UnitMember.objects.filter(organization=org, is_lead=True)
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    ) == {1}
    assert UnitMember.objects.filter(organization=org, is_lead=True).count() == units.count()

    quarters = Cycle.objects.filter(organization=org, kind=CycleKind.QUARTER).order_by("start")
    with_objectives = [q for q in quarters if q.objectives.exists()]
    assert [q.state for q in with_objectives] == [CycleState.CLOSED] * 4 + [CycleState.ACTIVE]
    active = with_objectives[-1]
    assert active.start <= TODAY <= active.end
    assert quarters.last().state == CycleState.PLANNING  # type: ignore[union-attr]
    for quarter in with_objectives:
        objectives = Objective.objects.filter(cycle=quarter)
        assert objectives.filter(level="company").count() == 3
        per_team = Counter(objectives.filter(level="team").values_list("unit", flat=True))
        assert set(per_team) == set(teams.values_list("id", flat=True))
        assert set(per_team.values()) <= {1, 2, 3}
    per_objective = Counter(
        KeyResult.objects.filter(organization=org).values_list("objective", flat=True)
    )
    assert set(per_objective.values()) <= {3, 4, 5}
    assert len(per_objective) == Objective.objects.filter(organization=org).count()
    # Team objectives align to their department, department objectives to the company.
    for link in Alignment.objects.filter(organization=org).select_related(
        "child__unit", "parent_objective__unit", "parent_key_result__objective__unit"
    ):
        parent = link.parent_objective or link.parent_key_result.objective  # type: ignore[union-attr]
        assert link.child.unit.parent_id == parent.unit_id  # type: ignore[union-attr]
        assert link.child.cycle_id == parent.cycle_id

    items = Counter(WeeklyItem.objects.filter(organization=org).values_list("report", flat=True))
    assert set(items.values()) <= set(range(3, 8))
    assert len(items) == WeeklyReport.objects.filter(organization=org).count()
    assert WeeklyItem.objects.filter(organization=org, key_result__isnull=False).exists()
    assert WeeklyItem.objects.filter(organization=org, carried_from__isnull=False).exists()
    assert Comment.objects.filter(organization=org).exists()
    assert CheckIn.objects.filter(organization=org).count() > 1000
    assert stats.counts["checkins.WeeklyItem"] == sum(items.values())
    assert set(stats.phases) >= {"people and units", "weekly reports"}


@pytest.mark.django_db
def test_stored_progress_matches_the_scoring_engine() -> None:
    org = seed()

    assert reconcile(org, fix=False) == []
    for kr in KeyResult.objects.filter(organization=org).annotate(
        latest=Max("checkins__measured_at")
    ):
        last = kr.checkins.order_by("-measured_at", "-id").first()
        if last is None:
            assert kr.current is None
            assert kr.last_checkin_at is None
            continue
        assert kr.last_checkin_at == last.measured_at == kr.latest
        assert kr.current == last.value
        assert kr.last_confidence == last.confidence
    assert not CheckIn.objects.filter(organization=org, measured_at__date__gte=TODAY).exists()
    # Closed quarters were reviewed: every objective and key result has a proposed score.
    closed = Objective.objects.filter(organization=org, cycle__state=CycleState.CLOSED)
    scored = ReviewScore.objects.filter(review__organization=org)
    assert scored.filter(objective__isnull=False).count() == closed.count()
    assert scored.filter(key_result__isnull=False).count() == (
        KeyResult.objects.filter(objective__in=closed).count()
    )
    assert Review.objects.filter(organization=org, unit__isnull=True).exists()


@pytest.mark.django_db
def test_open_plans_and_problems_are_carried_into_the_next_report() -> None:
    org = seed()

    reports: dict[int, list[WeeklyReport]] = {}
    for report in WeeklyReport.objects.filter(organization=org).order_by("week"):
        reports.setdefault(report.person_id, []).append(report)
        assert report.carried_in_at is not None  # so opening the week carries nothing again
    items = list(WeeklyItem.objects.filter(organization=org))
    open_in: dict[int, set[int]] = {}
    carried_into: dict[int, set[int]] = {}
    for item in items:
        if item.category in ("plans", "problems") and item.resolved_at is None:
            open_in.setdefault(item.report_id, set()).add(item.id)
        if item.carried_from_id is not None:
            carried_into.setdefault(item.report_id, set()).add(item.carried_from_id)
    for person_reports in reports.values():
        for earlier, later in itertools.pairwise(person_reports):
            assert open_in.get(earlier.id, set()) == carried_into.get(later.id, set())


@pytest.mark.django_db
def test_the_same_parameters_give_the_same_data() -> None:
    first = snapshot(seed())
    seed_delete(Organization.objects.get(slug="synthetic-30"))
    assert not User.objects.filter(email__endswith="@synthetic-30.example.com").exists()
    second = snapshot(seed())

    assert first == second
    other = snapshot(seed(seed=2))
    assert other["objectives"] != first["objectives"]
    assert not set(other["checkins"]) & set(first["checkins"])


@pytest.mark.django_db
def test_removing_it_also_removes_what_was_added_since() -> None:
    from tenfold.chat.models import AlertState
    from tenfold.checkins.services import checkin_record
    from tenfold.habits.models import Kudos

    org = seed()
    found = targets(org)
    member = User.objects.get(email=found.sign_in["member"])
    kr = KeyResult.objects.get(code=found.key_result_code)
    checkin = checkin_record(key_result=kr, value=kr.target, confidence=8, by=member)
    lead = User.objects.get(email=found.sign_in["lead"])
    Kudos.objects.create(organization=org, giver=lead, checkin=checkin)
    AlertState.objects.create(
        organization=org, key_result=kr, last_status="stale", changed_at=checkin.measured_at
    )

    seed_delete(org)

    assert not Organization.objects.filter(slug="synthetic-30").exists()
    assert not Kudos.objects.exists()
    assert not AlertState.objects.exists()
    assert not CheckIn.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_sign_in_accounts_have_something_to_show(client: Any) -> None:
    org = seed()
    found = targets(org)
    member = User.objects.get(email=sign_in(org.slug)["member"])

    assert found.sign_in == sign_in(org.slug)
    assert member.check_password(PASSWORD)
    kr = KeyResult.objects.get(code=found.key_result_code)
    assert kr.owner == member
    assert kr.objective.code == found.objective_code
    assert kr.objective.unit.code == found.team_code  # type: ignore[union-attr]
    assert kr.objective.unit.parent.code == found.department_code  # type: ignore[union-attr]
    assert kr.objective.cycle.state == CycleState.ACTIVE
    this_week = week_start_of(TODAY, org.week_start)
    report = WeeklyReport.objects.get(organization=org, person=member, week=this_week)
    assert report.items.count() >= 3
    lead = UnitMember.objects.get(unit=kr.objective.unit, is_lead=True).user
    assert lead.email == sign_in(org.slug)["lead"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("people", "options"),
    [(9, {}), (300_000, {}), (30, {"seed": -1}), (30, {"slug": "Not A Slug"})],
)
def test_it_refuses_bad_input(people: int, options: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        seed(people, **options)
    assert not Organization.objects.exists()


def run(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_builds_reuses_refuses_and_resets() -> None:
    built = run("--people", "30", "--today", "2026-11-18")
    assert "/synthetic-30/" in built
    assert "checkins.WeeklyItem" in built
    assert sign_in("synthetic-30")["member"] in built
    codes = set(Objective.objects.values_list("code", flat=True))

    reused = run("--people", "30")
    assert "reusing it" in reused
    assert set(Objective.objects.values_list("code", flat=True)) == codes

    with pytest.raises(CommandError, match="other parameters"):
        run("--people", "30", "--seed", "1", "--today", "2026-11-19")
    with pytest.raises(CommandError, match="other parameters"):
        run("--people", "40", "--slug", "synthetic-30")

    reset = run("--people", "40", "--slug", "synthetic-30", "--reset", "--today", "2026-11-18")
    assert "Removed the previous" in reset
    org = Organization.objects.get()
    assert org.memberships.count() == 40
    assert seeded_parameters(org)["people"] == 40  # type: ignore[index]
    assert User.objects.filter(email__endswith="@synthetic-30.example.com").count() == 40


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "5"], "between 10"),
        (["--people", "30", "--today", "2026-13-01"], "not a date"),
        (["--people", "30", "--slug", "Bad Slug"], "address"),
        (["--people", "30", "--slug", "alice-inc"], "not built by"),
        (["--people", "30", "--slug", "alice-inc", "--reset"], "not built by"),
    ],
)
def test_the_command_refuses_bad_input(alice: User, args: list[str], message: str) -> None:
    from tenfold.organizations.services import organization_create

    organization_create(name="Alice Inc", slug="alice-inc", owner=alice)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Organization.objects.count() == 1
    assert Objective.objects.count() == 0
    assert User.objects.count() == 1
