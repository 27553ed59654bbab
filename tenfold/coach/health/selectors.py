"""The facts behind a health report, read with a fixed number of aggregate queries.

Whatever the organization's size, a report runs the same fourteen or so queries: rows of the
cycle's objectives and key results with their counts computed by the database (Exists,
Subquery, Count), counts of comments and reactions grouped by objective, and weekly plans
grouped by person. Nothing is fetched per unit or per person; `rules.Scopes` then cuts the rows
into the scope of every unit in memory.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate

from tenfold.checkins.models import Category, CheckIn, WeeklyItem
from tenfold.checkins.weekly import week_containing
from tenfold.okrs.models import Alignment, Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.selectors import organization_today
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.organizations.permissions import Access
from tenfold.reviews.models import ReviewScore
from tenfold.social.models import Comment, Reaction

from . import rules
from .rules import (
    Context,
    Facts,
    Health,
    KeyResultRow,
    LeaderRow,
    ObjectiveRow,
    ParentKeyResult,
    PersonRow,
    Scopes,
    ScoreRow,
    UnitRow,
    UnitScore,
)

# --- who may see a report ---------------------------------------------------------------------


def company_unit_id(organization: Organization) -> int | None:
    return (
        Unit.objects.filter(organization=organization, parent__isnull=True)
        .values_list("id", flat=True)
        .first()
    )


def can_see_unit_health(access: Access, unit: Unit) -> bool:
    """Admins see every unit; a lead sees the units they lead and every unit below them."""
    return access.is_admin or unit.id in access.led_unit_ids


def can_see_org_health(access: Access, root_id: int | None) -> bool:
    """Admins, and leads of the company unit (who lead everything below it)."""
    return access.is_admin or (root_id is not None and root_id in access.led_unit_ids)


# --- gathering --------------------------------------------------------------------------------


def _units(organization: Organization) -> dict[int, UnitRow]:
    return {
        row[0]: UnitRow(id=row[0], parent_id=row[1], code=row[2], name=row[3], kind=row[4])
        for row in Unit.objects.filter(organization=organization)
        .order_by()
        .values_list("id", "parent_id", "code", "name", "kind")
    }


def _is_first_cycle(organization: Organization, cycle: Cycle) -> bool:
    first = (
        Cycle.objects.filter(organization=organization)
        .exclude(kind=CycleKind.YEAR)
        .order_by("start", "end", "id")
        .values_list("id", flat=True)[: rules.FIRST_CYCLES]
    )
    return cycle.id in set(first)


def _scored_cycle(organization: Organization, cycle: Cycle) -> Cycle | None:
    """This cycle once its key results have scores, else the latest closed cycle that ended
    before it began: sandbagging shows in scores, and scores come at the end of a cycle."""
    has_scores = ReviewScore.objects.filter(
        key_result__isnull=False, key_result__objective__cycle=OuterRef("pk")
    )
    return (
        Cycle.objects.filter(organization=organization)
        .filter(Q(pk=cycle.pk) | Q(state=CycleState.CLOSED, end__lte=cycle.start))
        .filter(Exists(has_scores))
        .order_by("-start", "-end")
        .first()
    )


def _objectives(
    organization: Organization, cycle: Cycle, unit_ids: set[int] | None
) -> QuerySet[Objective]:
    found = Objective.objects.filter(
        organization=organization, cycle=cycle, unit__isnull=False, level__in=rules.SHARED_LEVELS
    )
    if unit_ids is not None:
        found = found.filter(unit_id__in=unit_ids)
    return found


def _moment(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _feedback(
    organization: Organization,
    objectives: QuerySet[Objective],
    since: dt.datetime,
    until: dt.datetime,
) -> dict[int, int]:
    """Comments and reactions per objective, on it, its key results, their check-ins (and,
    for reactions, on those comments): two grouped queries."""
    ids = objectives.values("id")
    counts: dict[int, int] = defaultdict(int)
    comments = (
        Comment.objects.filter(
            organization=organization,
            deleted_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(
            about=Coalesce(
                "objective_id", "key_result__objective_id", "checkin__key_result__objective_id"
            )
        )
        .filter(about__in=ids)
        .order_by()
        .values("about")
        .annotate(n=Count("id"))
        .values_list("about", "n")
    )
    reactions = (
        Reaction.objects.filter(
            organization=organization, created_at__gte=since, created_at__lt=until
        )
        .annotate(
            about=Coalesce(
                "objective_id",
                "key_result__objective_id",
                "checkin__key_result__objective_id",
                "comment__objective_id",
                "comment__key_result__objective_id",
                "comment__checkin__key_result__objective_id",
            )
        )
        .filter(about__in=ids)
        .order_by()
        .values("about")
        .annotate(n=Count("id"))
        .values_list("about", "n")
    )
    for query in (comments, reactions):
        for objective_id, n in query:
            counts[objective_id] += n
    return counts


def _parents(objectives: QuerySet[Objective]) -> dict[int, list[ParentKeyResult]]:
    """For every aligned team or department objective, the key results it could copy: the
    key result it aligns to, or the key results of the objective it aligns to. Two queries."""
    links = Alignment.objects.filter(child__in=objectives, child__level__in=rules.CHILD_LEVELS)
    found: dict[int, list[ParentKeyResult]] = defaultdict(list)
    via_objective: dict[int, list[int]] = defaultdict(list)
    for child_id, parent_id, kr_title, kr_visibility in links.order_by().values_list(
        "child_id",
        "parent_objective_id",
        "parent_key_result__title",
        "parent_key_result__objective__visibility",
    ):
        if parent_id is not None:
            via_objective[parent_id].append(child_id)
        elif kr_title is not None:
            found[child_id].append(ParentKeyResult(kr_title, kr_visibility == "organization"))
    parent_krs = (
        KeyResult.objects.filter(
            objective_id__in=links.filter(parent_objective__isnull=False).values(
                "parent_objective_id"
            )
        )
        .order_by("objective_id", "order", "id")
        .values_list("objective_id", "title", "objective__visibility")
    )
    for parent_id, title, visibility in parent_krs:
        for child_id in via_objective.get(parent_id, ()):
            found[child_id].append(ParentKeyResult(title, visibility == "organization"))
    return found


def gather(
    organization: Organization,
    cycle: Cycle,
    *,
    today: dt.date | None = None,
    scope: Unit | None = None,
) -> tuple[Facts, dict[int, UnitRow]]:
    """Everything the rules need about `cycle`, for the whole organization or for `scope` and
    the units below it. A fixed number of queries, whatever the size."""
    zone = zoneinfo.ZoneInfo(organization.time_zone or "UTC")
    today = today or organization_today(organization)
    reference = min(today, cycle.end)
    units = _units(organization)
    root_id = next((row.id for row in units.values() if row.parent_id is None), None)
    unit_ids = None if scope is None else rules.subtree(units, scope.id)
    includes_company = unit_ids is None or root_id in unit_ids
    if includes_company:
        unit_ids = None  # the company unit's scope is the whole organization

    scored = _scored_cycle(organization, cycle)
    context = Context(
        org_slug=organization.slug,
        cycle_code=cycle.code,
        cycle_name=cycle.name,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        today=reference,
        stale_days=organization.stale_days,
        first_cycle=_is_first_cycle(organization, cycle),
        includes_company=includes_company,
        company_unit_code=units[root_id].code if root_id in units else None,
        scope_unit_code=scope.code if scope is not None else None,
        scored_cycle_name=scored.name if scored else None,
    )

    objectives = _objectives(organization, cycle, unit_ids)
    since = _moment(reference - dt.timedelta(days=rules.FEEDBACK_DAYS - 1), zone)
    until = _moment(reference + dt.timedelta(days=1), zone)
    feedback = _feedback(organization, objectives, since, until)
    objective_rows: dict[int, ObjectiveRow] = {}
    for row in (
        objectives.annotate(
            inside=Exists(
                UnitMember.objects.filter(
                    unit_id=OuterRef("unit_id"), user_id=OuterRef("created_by_id")
                )
            ),
            linked=Exists(Alignment.objects.filter(child_id=OuterRef("pk"))),
        )
        .order_by("unit_id", "order", "id")
        .values_list(
            "id",
            "code",
            "title",
            "unit_id",
            "level",
            "type",
            "visibility",
            "state",
            "created_by_id",
            "inside",
            "linked",
        )
    ):
        objective_rows[row[0]] = ObjectiveRow(
            id=row[0],
            code=row[1],
            title=row[2],
            unit_id=row[3],
            level=row[4],
            type=row[5],
            visibility=row[6],
            state=row[7],
            creator_inside=None if row[8] is None else bool(row[9]),
            linked=bool(row[10]),
            feedback=feedback.get(row[0], 0),
        )

    parents = _parents(objectives)
    drafting_end = _moment(cycle.start + dt.timedelta(days=rules.DRAFTING_DAYS), zone)
    first_confidence = (
        CheckIn.objects.filter(
            key_result=OuterRef("pk"), confidence__isnull=False, measured_at__lt=drafting_end
        )
        .order_by("measured_at", "id")
        .values("confidence")[:1]
    )
    key_results: list[KeyResultRow] = []
    for kr in (
        KeyResult.objects.filter(objective__in=objectives)
        .annotate(
            first_confidence=Subquery(first_confidence),
            # Days in the organization's calendar, computed by the database.
            last_day=TruncDate("last_checkin_at", tzinfo=zone),
            created_day=TruncDate("created_at", tzinfo=zone),
        )
        .order_by("objective_id", "order", "id")
        .values_list(
            "id",
            "code",
            "title",
            "objective_id",
            "kind",
            "owner_id",
            "aspirational",
            "last_day",
            "created_day",
            "first_confidence",
        )
    ):
        parent = objective_rows.get(kr[3])
        if parent is None:
            continue
        key_results.append(
            KeyResultRow(
                id=kr[0],
                code=kr[1],
                title=kr[2],
                objective_id=kr[3],
                unit_id=parent.unit_id,
                level=parent.level,
                objective_type=parent.type,
                objective_state=parent.state,
                kind=kr[4],
                has_owner=kr[5] is not None,
                aspirational=kr[6],
                last_checkin=kr[7],
                created=kr[8],
                first_confidence=None if kr[9] is None else Decimal(kr[9]),
                parents=tuple(parents.get(kr[3], ())),
            )
        )

    scores: dict[int, ScoreRow] = {}
    if scored is not None:
        score_rows = ReviewScore.objects.filter(
            key_result__objective__cycle=scored,
            key_result__objective__unit__isnull=False,
            key_result__objective__level__in=rules.SHARED_LEVELS,
        )
        if unit_ids is not None:
            score_rows = score_rows.filter(key_result__objective__unit_id__in=unit_ids)
        # A key result scored by its unit's review and again by the company review counts
        # once, with the unit's score (rows of unit reviews come first).
        for kr_id, code, title, unit_id, proposed, adjusted, flag, kind in score_rows.order_by(
            "key_result_id", F("review__unit_id").asc(nulls_last=True)
        ).values_list(
            "key_result_id",
            "key_result__code",
            "key_result__title",
            "key_result__objective__unit_id",
            "proposed",
            "adjusted",
            "key_result__aspirational",
            "key_result__objective__type",
        ):
            if kr_id in scores:
                continue
            scores[kr_id] = ScoreRow(
                code=code,
                title=title,
                unit_id=unit_id,
                score=adjusted if adjusted is not None else proposed,
                aspirational=bool(flag) or kind == "aspirational",
            )

    people, leaders = _people(organization, cycle, reference, unit_ids)
    facts = Facts(
        context=context,
        units=units,
        objectives=tuple(objective_rows.values()),
        key_results=tuple(key_results),
        scores=tuple(scores.values()),
        people=people,
        leaders=leaders,
    )
    return facts, units


def _people(
    organization: Organization, cycle: Cycle, reference: dt.date, unit_ids: set[int] | None
) -> tuple[tuple[PersonRow, ...], tuple[LeaderRow, ...]]:
    """Everyone who could write a week or check in (viewers cannot), with their units, plans
    of the last weeks, and whether the leaders among them checked in. Four queries."""
    placements = UnitMember.objects.filter(organization=organization)
    members = Membership.objects.filter(organization=organization, user__is_service=False).exclude(
        role=Role.VIEWER
    )
    if unit_ids is not None:
        placements = placements.filter(unit_id__in=unit_ids)
        members = members.filter(user_id__in=placements.values("user_id"))
    roles: dict[int, tuple[str, str]] = {}
    for user_id, role, name, email in members.order_by().values_list(
        "user_id", "role", "user__name", "user__email"
    ):
        roles[user_id] = (role, name or email)
    units_of: dict[int, set[int]] = defaultdict(set)
    led_by: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id, is_lead in placements.order_by().values_list(
        "unit_id", "user_id", "is_lead"
    ):
        if user_id not in roles:
            continue
        units_of[user_id].add(unit_id)
        if is_lead:
            led_by[user_id].add(unit_id)

    this_week = week_containing(organization, reference)
    first_week = this_week - dt.timedelta(weeks=rules.PLANS_WEEKS - 1)
    plans: dict[int, tuple[int, int]] = {}
    plan_rows = WeeklyItem.objects.filter(
        organization=organization,
        category=Category.PLANS,
        report__week__gte=first_week,
        report__week__lte=this_week,
    )
    if unit_ids is not None:
        plan_rows = plan_rows.filter(report__person_id__in=placements.values("user_id"))
    for person_id, total, linked in (
        plan_rows.order_by()
        .values("report__person_id")
        .annotate(
            total=Count("id"),
            linked=Count("id", filter=Q(objective__isnull=False) | Q(key_result__isnull=False)),
        )
        .values_list("report__person_id", "total", "linked")
    ):
        plans[person_id] = (total, linked)

    authors = set(
        CheckIn.objects.filter(
            organization=organization, key_result__objective__cycle=cycle, author__isnull=False
        )
        .order_by()
        .values_list("author_id", flat=True)
        .distinct()
    )
    people = tuple(
        PersonRow(
            id=user_id,
            name=name,
            unit_ids=frozenset(units_of.get(user_id, ())),
            plans=plans.get(user_id, (0, 0))[0],
            linked=plans.get(user_id, (0, 0))[1],
        )
        for user_id, (_role, name) in sorted(roles.items(), key=lambda pair: pair[1][1])
    )
    admins = _admins(roles) if unit_ids is None else set()
    leaders = tuple(
        LeaderRow(
            id=user_id,
            name=roles[user_id][1],
            unit_ids=frozenset(led_by.get(user_id, ())),
            is_admin=user_id in admins,
            checked_in=user_id in authors,
        )
        for user_id in sorted(set(led_by) | admins, key=lambda uid: roles[uid][1])
    )
    return people, leaders


def _admins(roles: dict[int, tuple[str, str]]) -> set[int]:
    return {user_id for user_id, (role, _name) in roles.items() if role in (Role.OWNER, Role.ADMIN)}


# --- the reports ------------------------------------------------------------------------------


def _empty(organization: Organization, unit: Unit | None) -> Health:
    return Health(
        org_slug=organization.slug,
        cycle_code=None,
        cycle_name=None,
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        reference=None,
        score=None,
        grade=rules.Grade.UNKNOWN,
    )


def org_health(
    organization: Organization, cycle: Cycle | None, *, today: dt.date | None = None
) -> Health:
    """The health of the whole organization in `cycle`, with its weakest units."""
    if cycle is None:
        return _empty(organization, None)
    facts, units = gather(organization, cycle, today=today)
    health = rules.judge(facts)
    scopes = Scopes(facts)
    weakest, judged = scopes.unit_scores(unit_id for unit_id in units if unit_id != scopes.root_id)
    return _with_units(health, weakest, judged)


def unit_health(
    organization: Organization, unit: Unit, cycle: Cycle | None, *, today: dt.date | None = None
) -> Health:
    """The health of `unit` and every unit below it in `cycle`, with the weakest of those
    units. The company unit's health is the organization's."""
    if cycle is None:
        return _empty(organization, unit)
    facts, units = gather(organization, cycle, today=today, scope=unit)
    scopes = Scopes(facts)
    own = scopes.facts_for(unit.id)
    row = units[unit.id]
    health = rules.judge(own, unit=row)
    weakest, judged = scopes.unit_scores(
        unit_id for unit_id in scopes.below(unit.id) if unit_id != unit.id
    )
    return _with_units(health, weakest, judged)


def _with_units(health: Health, weakest: tuple[UnitScore, ...], judged: int) -> Health:
    return replace(health, units=weakest, units_judged=judged)
