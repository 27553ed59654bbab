"""What a weekly digest says: built from the same reads as the dashboards and the weekly pages.

A digest covers the seven days that end at `week_end` (the moment it is sent, or the end of a
week asked for on the preview page). Everything in it is judged as of the end of that window,
or now when the window is not over yet: key-result values are the readings that stood then, so
a digest sent late, or looked at weeks later, says what was true that week.

Statuses come from `tenfold.lib.progress` through `tenfold.okrs.selectors.annotate_statuses`,
objectives from `objectives_for_cycle`, plans and problems from the team dashboard's own query,
and the readings at the start of the week from `checkins.selectors.with_previous_readings`.

Who reads it decides what it may show. A team's digest shows what every member of the team can
see (`audience(unit)`); the company's, what everyone in the organization can see; a subscriber's,
the same minus what the admin left out. People are named only where it helps the team help each
other (plans, problems, who may need a hand), never beside a progress figure, and never ranked
(docs/scores-policy.md, METHOD §9.1).

Each digest runs a fixed number of queries, whatever the number of objectives, key results,
people or items.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from tenfold.checkins.models import Category, CheckIn, WeeklyItem
from tenfold.checkins.selectors import unit_people, with_previous_readings
from tenfold.checkins.weekly import week_begins_at, week_of, zone_of
from tenfold.lib.progress import (
    Status,
    elapsed_fraction,
    key_result_progress,
    objective_progress,
    weighted_mean,
)
from tenfold.notifications.services import site_url
from tenfold.okrs.dashboards import (
    QUIET_DAYS,
    STATUS_COLUMNS,
    WORKING_STATES,
    _week_items,
    may_read_team_week,
)
from tenfold.okrs.models import Cycle, CycleKind, CycleState, KeyResult, Level, Objective
from tenfold.okrs.selectors import annotate_statuses, current_cycle, objectives_for_cycle
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind, UnitMember
from tenfold.organizations.permissions import Access

from .models import Section, Subscriber

WEEK = dt.timedelta(days=7)
HALF_WEEK = dt.timedelta(days=3, hours=12)
LIST_LIMIT = 10
"""Longest list in a digest; the rest are counted ("and 4 more")."""
HIGHLIGHT_LIMIT = 3
LOW_CONFIDENCE = Decimal("0.3")
"""A confidence of 3 out of 10 or less: the owner doubts the target will be met."""
PROBLEM_WEEKS = 2
"""A problem still open in its second week is worth a hand."""
PROBLEM_LOOKBACK = 12
"""How many weeks back a problem's history is followed."""
NOTE_MAX = 200

TEAM = "team"
COMPANY = "company"


# --- who the digest is for ------------------------------------------------------------------------


def audience(organization: Organization, unit: Unit | None = None) -> Access:
    """What every reader of a digest may see: the objectives visible to the whole organization,
    plus those visible to the members of `unit`. Not a real person: account id 0 leads no
    objective, owns none, and is no admin."""
    membership = Membership(organization=organization, user_id=0, role=Role.MEMBER)
    return Access(
        membership=membership,
        led_unit_ids=set(),
        member_unit_ids={unit.id} if unit is not None else set(),
    )


def may_read(access: Access, unit: Unit | None) -> bool:
    """Who may open a digest: the company's is for everyone in the organization; a unit's for
    its members, the leads above it and admins — the people who read its weeks."""
    if unit is None or unit.kind == UnitKind.COMPANY:
        return True
    return may_read_team_week(access, unit)


def readable_units(access: Access, organization: Organization) -> list[Unit]:
    """The units whose digest the person may open, in tree order (company first)."""
    from tenfold.organizations.selectors import unit_tree

    return [unit for unit, _depth in unit_tree(organization) if may_read(access, unit)]


def get_digest_unit(access: Access, organization: Organization, code: str | None) -> Unit | None:
    """The unit of `?unit=CODE` (None for the company); 404 for a code of no unit of the
    organization. Whether the person may read it is `may_read`'s question."""
    code = (code or "").strip().lower()
    if not code:
        return None
    unit = Unit.objects.filter(organization=organization, code=code).first()
    if unit is None:
        raise Http404
    unit.organization = organization
    return None if unit.kind == UnitKind.COMPANY else unit


def week_end_of(organization: Organization, week: dt.date) -> dt.datetime:
    """The moment the week that begins on `week` ends: the start of the next one."""
    return week_begins_at(organization, week + WEEK)


# --- what the digest holds ------------------------------------------------------------------------


@dataclass
class KeyResultLine:
    """A key result as of the end of the week, and how it moved during it."""

    code: str
    title: str
    objective_code: str
    objective_title: str
    unit_name: str
    kind: str
    value_format: str
    currency: str
    unit_label: str
    decimals: int
    start: Decimal | None
    target: Decimal
    value: Decimal | None
    progress: Decimal
    status: str
    last_checkin_at: dt.datetime | None
    confidence: Decimal | None
    owner_name: str
    url: str
    before_value: Decimal | None = None
    before_progress: Decimal = Decimal(0)
    checkins: int = 0
    note: str = ""
    gap: Decimal = Decimal(0)
    """Expected progress minus progress: how far behind the calendar it is."""

    @property
    def change(self) -> Decimal:
        return self.progress - self.before_progress

    @property
    def current(self) -> Decimal | None:
        """For `kr_value`, which formats `current` by default."""
        return self.value

    @property
    def before_shown(self) -> Decimal | None:
        """The value the week started from: the last reading before it, else the start."""
        return self.before_value if self.before_value is not None else self.start

    @property
    def confidence10(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 10)


@dataclass
class ObjectiveLine:
    code: str
    title: str
    unit_name: str
    level: str
    progress: Decimal
    before_progress: Decimal
    status: str
    url: str
    key_result_count: int

    @property
    def change(self) -> Decimal:
        return self.progress - self.before_progress


@dataclass
class ItemLine:
    """A weekly item as the digest lists it."""

    text: str
    person_name: str
    link_title: str = ""
    link_url: str = ""
    weeks_open: int = 1


@dataclass
class PersonPlans:
    name: str
    plans: list[ItemLine] = field(default_factory=list)
    done: int = 0


@dataclass
class HelpReason:
    kind: str
    """"problem" (open for `weeks`), "confidence" (`confidence` of 10 on `subject`) or "quiet"
    (no check-in for `days`)."""
    subject: str = ""
    weeks: int = 0
    confidence: int = 0
    days: int = 0


@dataclass
class HelpNote:
    """Someone who may welcome a hand, and why; listed by name, never ranked."""

    name: str
    reasons: list[HelpReason] = field(default_factory=list)


@dataclass
class TeamHelp:
    """A team that may need support, in the company digest: counts, never names."""

    name: str
    url: str
    long_problems: int = 0
    low_confidence: int = 0
    stale: int = 0
    quiet: bool = False
    no_okrs: bool = False

    @property
    def signals(self) -> list[tuple[str, int]]:
        """What was noticed, as (kind, count) pairs in a fixed order."""
        if self.no_okrs:
            return [("no_okrs", 1)]
        found = [
            ("problems", self.long_problems),
            ("confidence", self.low_confidence),
            ("stale", self.stale),
            ("quiet", int(self.quiet)),
        ]
        return [(kind, count) for kind, count in found if count]


@dataclass
class Digest:
    kind: str
    organization: Organization
    unit: Unit | None
    week: dt.date
    """First day of the week whose reports the digest reads."""
    since: dt.datetime
    until: dt.datetime
    as_of: dt.date
    cycle: Cycle | None
    elapsed: Decimal | None = None
    progress: Decimal | None = None
    """Average progress of the objectives the digest shows."""
    key_result_counts: dict[str, int] = field(default_factory=dict)
    objective_counts: dict[str, int] = field(default_factory=dict)
    objectives: list[ObjectiveLine] = field(default_factory=list)
    objectives_total: int = 0
    movers: list[KeyResultLine] = field(default_factory=list)
    movers_total: int = 0
    checkin_count: int = 0
    at_risk: list[KeyResultLine] = field(default_factory=list)
    at_risk_total: int = 0
    stale: list[KeyResultLine] = field(default_factory=list)
    stale_total: int = 0
    plans: list[PersonPlans] = field(default_factory=list)
    problems: list[ItemLine] = field(default_factory=list)
    needs_help: list[HelpNote] = field(default_factory=list)
    teams_needing_help: list[TeamHelp] = field(default_factory=list)
    reached: list[KeyResultLine] = field(default_factory=list)
    moved_objectives: list[ObjectiveLine] = field(default_factory=list)
    kudos: int = 0
    reactions: int = 0
    url: str = ""
    """The digest's own page."""
    dashboard_url: str = ""

    @property
    def title(self) -> str:
        return self.unit.name if self.unit is not None else self.organization.name

    @property
    def week_last_day(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    @property
    def key_result_total(self) -> int:
        return sum(self.key_result_counts.values())

    @property
    def behind(self) -> int:
        """Key results at risk or off track."""
        counts = self.key_result_counts
        return counts.get(Status.AT_RISK, 0) + counts.get(Status.OFF_TRACK, 0)

    @property
    def has_highlights(self) -> bool:
        return bool(self.reached or self.moved_objectives or self.kudos or self.reactions)

    @property
    def is_empty(self) -> bool:
        """Nothing to tell: no OKRs in a cycle, and nothing written or done this week."""
        return not (
            self.key_result_total
            or self.objectives
            or self.checkin_count
            or self.plans
            or self.problems
        )


# --- reading the week -----------------------------------------------------------------------------


@dataclass
class _Reading:
    value: Decimal | None
    confidence: Decimal | None
    at: dt.datetime | None


def _readings(
    key_results: list[KeyResult], since: dt.datetime, until: dt.datetime
) -> tuple[dict[int, _Reading], dict[int, _Reading]]:
    """Each key result's latest reading before `since` and before `until`, corrections
    applied (a superseded reading never counts). One query."""
    if not key_results:
        return {}, {}

    def latest(before: dt.datetime) -> QuerySet[CheckIn]:
        return CheckIn.objects.filter(
            key_result=OuterRef("pk"), measured_at__lt=before, superseded_by__isnull=True
        ).order_by("-measured_at", "-id")

    rows = (
        with_previous_readings(
            KeyResult.objects.filter(id__in=[kr.id for kr in key_results]), since
        )
        .annotate(
            value_until=Subquery(latest(until).values("value")[:1]),
            confidence_until=Subquery(latest(until).values("confidence")[:1]),
            at_until=Subquery(latest(until).values("measured_at")[:1]),
            at_since=Subquery(latest(since).values("measured_at")[:1]),
        )
        .values_list(
            "id",
            "before_value",
            "before_confidence",
            "at_since",
            "value_until",
            "confidence_until",
            "at_until",
        )
    )
    before: dict[int, _Reading] = {}
    after: dict[int, _Reading] = {}
    for kr_id, b_value, b_conf, b_at, a_value, a_conf, a_at in rows:
        before[kr_id] = _Reading(b_value, b_conf, b_at)
        after[kr_id] = _Reading(a_value, a_conf, a_at)
    return before, after


def _progress(kr: KeyResult, value: Decimal | None) -> Decimal:
    return key_result_progress(kr.kind, start=kr.start, target=kr.target, current=value).clamped


def _objective_values(
    objectives: list[Objective], kr_progress: dict[int, Decimal]
) -> dict[int, Decimal]:
    """Objective progress from the given key-result progress: the weighted mean of its key
    results, or of the objectives in the list aligned to it (METHOD §5). An objective with
    neither keeps its stored progress."""
    children: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    listed = {objective.id for objective in objectives}
    for objective in objectives:
        for link in objective.parent_links.all():
            parent = link.parent_objective_id
            if parent in listed and parent != objective.id:
                children[parent].append((objective.id, link.weight))
    by_id = {objective.id: objective for objective in objectives}
    values: dict[int, Decimal] = {}

    def value_of(objective_id: int, path: frozenset[int]) -> Decimal:
        if objective_id in values:
            return values[objective_id]
        objective = by_id[objective_id]
        krs = objective.krs  # type: ignore[attr-defined]
        if krs:
            result = objective_progress([(kr_progress[kr.id], kr.weight) for kr in krs])
        elif children.get(objective_id):
            inner = path | {objective_id}
            kids = [
                (value_of(child, inner), weight)
                for child, weight in children[objective_id]
                if child not in inner
            ]
            result = objective_progress([], kids) if kids else objective.progress
        else:
            result = objective.progress
        values[objective_id] = result
        return result

    for objective in objectives:
        value_of(objective.id, frozenset())
    return values


def _line(kr: KeyResult, objective: Objective, slug: str) -> KeyResultLine:
    return KeyResultLine(
        code=kr.code,
        title=kr.title,
        objective_code=objective.code,
        objective_title=objective.title,
        unit_name=objective.unit.name if objective.unit else "",
        kind=kr.kind,
        value_format=kr.value_format,
        currency=kr.currency,
        unit_label=kr.unit_label,
        decimals=kr.decimals,
        start=kr.start,
        target=kr.target,
        value=kr.current,
        progress=kr.progress,
        status=str(kr.status),  # type: ignore[attr-defined]
        last_checkin_at=kr.last_checkin_at,
        confidence=kr.last_confidence,
        owner_name=kr.owner.display_name if kr.owner else "",
        url=site_url("key_result", org=slug, code=kr.code),
    )


def _objective_line(objective: Objective, before: Decimal, slug: str) -> ObjectiveLine:
    return ObjectiveLine(
        code=objective.code,
        title=objective.title,
        unit_name=objective.unit.name if objective.unit else "",
        level=objective.level,
        progress=objective.progress,
        before_progress=before,
        status=str(objective.status),  # type: ignore[attr-defined]
        url=site_url("objective", org=slug, code=objective.code),
        key_result_count=len(objective.krs),  # type: ignore[attr-defined]
    )


def _counts(statuses: Iterable[str]) -> dict[str, int]:
    counted = Counter(str(value) for value in statuses)
    return {column: counted.get(column, 0) for column in STATUS_COLUMNS}


@dataclass
class _Okrs:
    """The OKR side of a digest, before it is cut to size."""

    objectives: list[Objective] = field(default_factory=list)
    lines: list[KeyResultLine] = field(default_factory=list)
    by_objective: dict[int, list[KeyResultLine]] = field(default_factory=dict)
    unit_of_line: dict[str, int | None] = field(default_factory=dict)
    owner_of_line: dict[str, int | None] = field(default_factory=dict)
    before_objective: dict[int, Decimal] = field(default_factory=dict)
    checkins: int = 0


def _okrs(
    access: Access,
    organization: Organization,
    cycle: Cycle,
    unit: Unit | None,
    since: dt.datetime,
    until: dt.datetime,
    as_of: dt.date,
) -> _Okrs:
    """The working objectives of the cycle (of `unit`, or all) with their key results as they
    stood at `until` and at `since`, statuses judged on `as_of`, and the week's check-ins.
    Five queries."""
    result = _Okrs()
    objectives = [
        objective
        for objective in objectives_for_cycle(access, cycle, unit=unit)
        if objective.state in WORKING_STATES
    ]
    key_results = [kr for objective in objectives for kr in objective.key_results.all()]
    before, after = _readings(key_results, since, until)
    for objective in objectives:
        objective.krs = list(objective.key_results.all())  # type: ignore[attr-defined]
    # Overlay the readings of the week's end on the rows, in memory only (nothing is saved):
    # the status rules then judge the week as it was.
    for kr in key_results:
        reading = after[kr.id]
        kr.current = reading.value
        kr.last_checkin_at = reading.at
        kr.last_confidence = reading.confidence
        kr.progress = _progress(kr, reading.value)
    values_after = _objective_values(objectives, {kr.id: kr.progress for kr in key_results})
    values_before = _objective_values(
        objectives, {kr.id: _progress(kr, before[kr.id].value) for kr in key_results}
    )
    for objective in objectives:
        objective.progress = values_after[objective.id]
    annotate_statuses(objectives, cycle, as_of)
    result.objectives = objectives
    result.before_objective = values_before

    window: dict[int, list[str]] = defaultdict(list)
    if key_results:
        for kr_id, note in (
            CheckIn.objects.filter(
                key_result_id__in=[kr.id for kr in key_results],
                measured_at__gte=since,
                measured_at__lt=until,
                superseded_by__isnull=True,
            )
            .order_by("measured_at", "id")
            .values_list("key_result_id", "note")
        ):
            window[kr_id].append(note)
    elapsed = elapsed_fraction(cycle.start, cycle.end, min(as_of, cycle.end))
    slug = organization.slug
    for objective in objectives:
        lines = []
        for kr in objective.krs:  # type: ignore[attr-defined]
            line = _line(kr, objective, slug)
            earlier = before[kr.id]
            line.before_value = earlier.value
            line.before_progress = _progress(kr, earlier.value)
            notes = window.get(kr.id, [])
            line.checkins = len(notes)
            line.note = next((n.strip() for n in reversed(notes) if n.strip()), "")[:NOTE_MAX]
            line.gap = elapsed - line.progress
            lines.append(line)
            result.unit_of_line[line.code] = objective.unit_id
            result.owner_of_line[line.code] = kr.owner_id
        result.by_objective[objective.id] = lines
        result.lines.extend(lines)
    result.checkins = sum(len(notes) for notes in window.values())
    return result


def _problem_ages(
    organization: Organization, person_ids: list[int], week: dt.date, problems: list[WeeklyItem]
) -> dict[int, int]:
    """For each open problem, in how many weeks it has been open, following the chain of
    carried-over copies back (up to `PROBLEM_LOOKBACK` weeks). One query."""
    if not problems:
        return {}
    rows = WeeklyItem.objects.filter(
        organization=organization,
        report__person_id__in=person_ids,
        category=Category.PROBLEMS,
        report__week__gte=week - WEEK * PROBLEM_LOOKBACK,
        report__week__lte=week,
    ).values_list("id", "carried_from_id", "report__week")
    chain = {item_id: (from_id, item_week) for item_id, from_id, item_week in rows}
    ages: dict[int, int] = {}
    for item in problems:
        earliest = item.report.week
        current = item.id
        seen = {current}
        while current in chain:
            from_id, item_week = chain[current]
            earliest = min(earliest, item_week)
            if from_id is None or from_id in seen:
                break
            seen.add(from_id)
            current = from_id
        ages[item.id] = (week - earliest).days // 7 + 1
    return ages


def _item_line(item: WeeklyItem, slug: str, weeks_open: int = 1) -> ItemLine:
    hidden = getattr(item, "link_hidden", False)
    link_title, link_url = "", ""
    if not hidden and item.key_result is not None:
        link_title = item.key_result.title
        link_url = site_url("key_result", org=slug, code=item.key_result.code)
    elif not hidden and item.objective is not None:
        link_title = item.objective.title
        link_url = site_url("objective", org=slug, code=item.objective.code)
    return ItemLine(
        text=item.text,
        person_name=item.report.person.display_name,
        link_title=link_title,
        link_url=link_url,
        weeks_open=weeks_open,
    )


def _quiet_owners(
    okrs: _Okrs, cycle: Cycle, as_of: dt.date, stale_days: int, zone: Any
) -> dict[int, int]:
    """Owners of key results in the digest none of which has had a check-in within the stale
    period (counted once the cycle is older than that), with the days since their last one."""
    last: dict[int, dt.datetime | None] = {}
    for line in okrs.lines:
        owner = okrs.owner_of_line.get(line.code)
        if owner is None:
            continue
        seen = last.get(owner)
        at = line.last_checkin_at
        last[owner] = max(seen, at) if seen and at else (seen or at)
    quiet: dict[int, int] = {}
    for owner, at in last.items():
        since_day = timezone.localdate(at, timezone=zone) if at else cycle.start
        days = (as_of - since_day).days
        if days > stale_days:
            quiet[owner] = days
    return quiet


def _social(
    organization: Organization,
    objective_ids: list[int],
    kr_ids: list[int],
    person_ids: list[int] | None,
    since: dt.datetime,
    until: dt.datetime,
) -> tuple[int, int]:
    """Kudos given this week on the digest's check-ins and weekly items, and reactions on its
    objectives, key results and check-ins. Two queries."""
    from tenfold.habits.models import Kudos
    from tenfold.social.models import Reaction

    kudos_on = Q(checkin__key_result_id__in=kr_ids)
    if person_ids is None:
        kudos_on |= Q(weekly_item__isnull=False)
    elif person_ids:
        kudos_on |= Q(weekly_item__report__person_id__in=person_ids)
    kudos = Kudos.objects.filter(
        organization=organization, created_at__gte=since, created_at__lt=until
    ).filter(kudos_on)
    reactions = Reaction.objects.filter(
        organization=organization, created_at__gte=since, created_at__lt=until
    ).filter(
        Q(objective_id__in=objective_ids)
        | Q(key_result_id__in=kr_ids)
        | Q(checkin__key_result_id__in=kr_ids)
    )
    return kudos.count(), reactions.count()


def _fill_okr_sections(digest: Digest, okrs: _Okrs, shown: list[Objective]) -> None:
    """Summary, objectives, movers, attention lists and highlights from the OKR side."""
    slug = digest.organization.slug
    lines = okrs.lines
    digest.key_result_counts = _counts(line.status for line in lines)
    digest.objective_counts = _counts(
        o.status  # type: ignore[attr-defined]
        for o in okrs.objectives
    )
    objective_lines = [_objective_line(o, okrs.before_objective[o.id], slug) for o in shown]
    digest.objectives = objective_lines[:LIST_LIMIT]
    digest.objectives_total = len(objective_lines)
    if shown:
        digest.progress = weighted_mean((line.progress, Decimal(1)) for line in objective_lines)
    moved = [line for line in lines if line.checkins or line.change]
    moved.sort(key=lambda line: (-abs(line.change), -line.checkins, line.title, line.code))
    digest.movers = moved[:LIST_LIMIT]
    digest.movers_total = len(moved)
    digest.checkin_count = okrs.checkins
    behind = [line for line in lines if line.status in (Status.AT_RISK, Status.OFF_TRACK)]
    behind.sort(key=lambda line: (-line.gap, line.title, line.code))
    digest.at_risk = behind[:LIST_LIMIT]
    digest.at_risk_total = len(behind)
    stale = [line for line in lines if line.status == Status.STALE]
    stale.sort(key=lambda line: (line.last_checkin_at or digest.until, line.title, line.code))
    digest.stale = stale[:LIST_LIMIT]
    digest.stale_total = len(stale)
    # Highlights: targets reached this week (holding a level is not "reaching" it), and the
    # objectives that moved most.
    digest.reached = [
        line
        for line in lines
        if line.kind not in ("keep_above", "keep_below")
        and line.progress >= 1
        and line.before_progress < 1
    ][:LIST_LIMIT]
    everything = [_objective_line(o, okrs.before_objective[o.id], slug) for o in okrs.objectives]
    rising = [line for line in everything if line.change > 0]
    rising.sort(key=lambda line: (-line.change, line.title, line.code))
    digest.moved_objectives = rising[:HIGHLIGHT_LIMIT]


def cycle_of_week(organization: Organization, day: dt.date) -> Cycle | None:
    """The cycle a digest reports on: the one that contained `day` (closed ones included, so an
    old week shows its own quarter), else the cycle people work in now."""
    found = (
        Cycle.objects.filter(organization=organization, start__lte=day, end__gte=day)
        .exclude(kind=CycleKind.YEAR)
        .exclude(state=CycleState.PLANNING)
        .order_by("-start", "end")
        .first()
    )
    return found or current_cycle(organization, day)


def _frame(
    organization: Organization, unit: Unit | None, week_end: dt.datetime, now: dt.datetime | None
) -> Digest:
    now = now or timezone.now()
    until = min(week_end, now)
    since = week_end - WEEK
    zone = zone_of(organization)
    as_of = timezone.localdate(until, timezone=zone)
    week = week_of(organization, week_end - HALF_WEEK)
    cycle = cycle_of_week(organization, as_of)
    if cycle is not None:
        cycle.organization = organization
    query = f"?week={week.isoformat()}"
    if unit is not None:
        query += f"&unit={unit.code}"
        dashboard = site_url("team_dashboard", org=organization.slug, code=unit.code)
    else:
        dashboard = site_url("dashboard", org=organization.slug)
    return Digest(
        kind=TEAM if unit is not None else COMPANY,
        organization=organization,
        unit=unit,
        week=week,
        since=since,
        until=until,
        as_of=as_of,
        cycle=cycle,
        elapsed=(
            elapsed_fraction(cycle.start, cycle.end, min(as_of, cycle.end)) if cycle else None
        ),
        url=site_url("digest", org=organization.slug) + query,
        dashboard_url=dashboard,
    )


def team_digest(
    unit: Unit,
    week_end: dt.datetime,
    *,
    access: Access | None = None,
    now: dt.datetime | None = None,
) -> Digest:
    """The digest of one team (or department) for the week ending at `week_end`, as its
    members may all see it (or as `access` may). About twenty queries, whatever the size."""
    organization = unit.organization
    access = access or audience(organization, unit)
    digest = _frame(organization, unit, week_end, now)
    zone = zone_of(organization)
    okrs = _Okrs()
    if digest.cycle is not None:
        okrs = _okrs(
            access, organization, digest.cycle, unit, digest.since, digest.until, digest.as_of
        )
        _fill_okr_sections(digest, okrs, okrs.objectives)

    slug = organization.slug
    people = unit_people(organization, unit)
    ids = [member.user_id for member in people]
    names = {member.user_id: member.user.display_name for member in people}
    plans, problems = _week_items(access, organization, ids, digest.week) if ids else ([], [])
    ages = _problem_ages(organization, ids, digest.week, problems)
    done = dict(
        WeeklyItem.objects.filter(
            organization=organization,
            report__person_id__in=ids,
            report__week=digest.week,
            category=Category.PROGRESS,
        )
        .order_by()
        .values("report__person_id")
        .annotate(n=Count("id"))
        .values_list("report__person_id", "n")
    )
    grouped: dict[int, PersonPlans] = {}
    for item in plans:
        person = item.report.person_id
        group = grouped.setdefault(person, PersonPlans(names.get(person, "")))
        group.plans.append(_item_line(item, slug))
    for person, count in done.items():
        grouped.setdefault(person, PersonPlans(names.get(person, ""))).done = count
    digest.plans = sorted(grouped.values(), key=lambda p: (p.name.casefold(), p.name))
    digest.problems = [_item_line(item, slug, ages.get(item.id, 1)) for item in problems]

    # Who may welcome a hand: long-open problems, low confidence, silence. Listed by name.
    notes: dict[int, HelpNote] = {}

    def note(person_id: int, name: str) -> HelpNote:
        return notes.setdefault(person_id, HelpNote(name))

    for item in problems:
        weeks = ages.get(item.id, 1)
        if weeks >= PROBLEM_WEEKS:
            note(item.report.person_id, item.report.person.display_name).reasons.append(
                HelpReason("problem", subject=item.text, weeks=weeks)
            )
    owner_names: dict[int, str] = {}
    for line in okrs.lines:
        owner_id = okrs.owner_of_line.get(line.code)
        if owner_id is None:
            continue
        owner_names[owner_id] = line.owner_name
        if (
            line.confidence is not None
            and line.confidence <= LOW_CONFIDENCE
            and line.status != Status.DONE
        ):
            note(owner_id, line.owner_name).reasons.append(
                HelpReason("confidence", subject=line.title, confidence=line.confidence10 or 0)
            )
    if digest.cycle is not None:
        quiet = _quiet_owners(okrs, digest.cycle, digest.as_of, organization.stale_days, zone)
        for owner_id, days in quiet.items():
            note(owner_id, owner_names[owner_id]).reasons.append(HelpReason("quiet", days=days))
    digest.needs_help = sorted(notes.values(), key=lambda n: (n.name.casefold(), n.name))

    kr_ids = [kr.id for o in okrs.objectives for kr in o.krs]  # type: ignore[attr-defined]
    digest.kudos, digest.reactions = _social(
        organization, [o.id for o in okrs.objectives], kr_ids, ids, digest.since, digest.until
    )
    return digest


def company_digest(
    organization: Organization,
    week_end: dt.datetime,
    *,
    access: Access | None = None,
    now: dt.datetime | None = None,
) -> Digest:
    """The organization's digest for the week ending at `week_end`, as everyone in it may see
    it (or as `access` may): company objectives, every visible key result, and the teams that
    may need support — counted, never named person by person. About twenty queries."""
    access = access or audience(organization)
    digest = _frame(organization, None, week_end, now)
    zone = zone_of(organization)
    okrs = _Okrs()
    if digest.cycle is not None:
        okrs = _okrs(
            access, organization, digest.cycle, None, digest.since, digest.until, digest.as_of
        )
        company_level = [o for o in okrs.objectives if o.level == Level.COMPANY]
        _fill_okr_sections(digest, okrs, company_level)

    teams = list(
        Unit.objects.filter(organization=organization, kind=UnitKind.TEAM).order_by("order", "name")
    )
    members = list(
        UnitMember.objects.filter(organization=organization, unit__in=teams)
        .order_by()
        .values_list("unit_id", "user_id")
    )
    person_ids = sorted({user_id for _unit, user_id in members})
    teams_of: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in members:
        teams_of[user_id].add(unit_id)
    _plans, problems = (
        _week_items(access, organization, person_ids, digest.week) if person_ids else ([], [])
    )
    ages = _problem_ages(organization, person_ids, digest.week, problems)
    page = site_url("digest", org=organization.slug)
    help_by_team = {
        team.id: TeamHelp(team.name, f"{page}?unit={team.code}&week={digest.week.isoformat()}")
        for team in teams
    }
    for item in problems:
        if ages.get(item.id, 1) >= PROBLEM_WEEKS:
            for unit_id in teams_of.get(item.report.person_id, ()):
                help_by_team[unit_id].long_problems += 1
    last_heard: dict[int, dt.datetime | None] = {}
    for line in okrs.lines:
        owning = okrs.unit_of_line.get(line.code)
        if owning is None or owning not in help_by_team:
            continue
        team_help = help_by_team[owning]
        if line.status == Status.STALE:
            team_help.stale += 1
        if (
            line.confidence is not None
            and line.confidence <= LOW_CONFIDENCE
            and line.status != Status.DONE
        ):
            team_help.low_confidence += 1
        heard = last_heard.get(owning)
        at = line.last_checkin_at
        last_heard[owning] = max(heard, at) if heard and at else (heard or at)
    if digest.cycle is not None:
        with_okrs = {o.unit_id for o in okrs.objectives}
        quiet_before = digest.as_of - dt.timedelta(days=QUIET_DAYS)
        cycle_old = digest.cycle.start < quiet_before
        for team in teams:
            team_help = help_by_team[team.id]
            if team.id not in with_okrs:
                team_help.no_okrs = True
                continue
            heard = last_heard.get(team.id)
            heard_day = timezone.localdate(heard, timezone=zone) if heard else None
            team_help.quiet = cycle_old and (heard_day is None or heard_day < quiet_before)
    digest.teams_needing_help = [
        team_help
        for team_help in help_by_team.values()
        if team_help.long_problems
        or team_help.low_confidence
        or team_help.stale
        or team_help.quiet
        or team_help.no_okrs
    ]
    kr_ids = [kr.id for o in okrs.objectives for kr in o.krs]  # type: ignore[attr-defined]
    digest.kudos, digest.reactions = _social(
        organization, [o.id for o in okrs.objectives], kr_ids, None, digest.since, digest.until
    )
    return digest


def digest_for(
    organization: Organization,
    unit: Unit | None,
    week_end: dt.datetime,
    *,
    access: Access | None = None,
    now: dt.datetime | None = None,
) -> Digest:
    if unit is None:
        return company_digest(organization, week_end, access=access, now=now)
    unit.organization = organization
    return team_digest(unit, week_end, access=access, now=now)


# --- as data (API, CLI) ---------------------------------------------------------------------------


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _share(value: Decimal | None) -> str | None:
    """A share 0–1 with four decimals, as text (decimals travel as strings in the API)."""
    return None if value is None else str(value.quantize(Decimal("0.0001")))


def key_result_data(
    line: KeyResultLine, *, moved: bool = False, owner: bool = False
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key_result": line.code,
        "title": line.title,
        "objective": line.objective_code,
        "unit": line.unit_name,
        "value": _number(line.value),
        "target": _number(line.target),
        "progress": _share(line.progress),
        "status": line.status,
        "last_checkin_at": line.last_checkin_at,
        "url": line.url,
    }
    if owner:
        data["owner"] = line.owner_name or None
    if moved:
        data.update(
            {
                "before_value": _number(line.before_value),
                "before_progress": _share(line.before_progress),
                "change": _share(line.change),
                "checkins": line.checkins,
                "note": line.note,
            }
        )
    return data


def objective_data(line: ObjectiveLine) -> dict[str, Any]:
    return {
        "objective": line.code,
        "title": line.title,
        "unit": line.unit_name,
        "level": line.level,
        "progress": _share(line.progress),
        "before_progress": _share(line.before_progress),
        "change": _share(line.change),
        "status": line.status,
        "key_result_count": line.key_result_count,
        "url": line.url,
    }


def _item_data(item: ItemLine, *, names: bool) -> dict[str, Any]:
    return {
        "text": item.text,
        "name": item.person_name if names else "",
        "link_title": item.link_title,
        "link_url": item.link_url,
        "weeks_open": item.weeks_open,
    }


def digest_data(
    digest: Digest, *, sections: Iterable[str] | None = None, names: bool = True
) -> dict[str, Any]:
    """The digest as plain data for the API and `tenfold digest show --format json`. With
    `sections` (a subscriber's), only those parts; without `names`, nobody is named and the
    weekly plans and problems are left out."""
    chosen = set(sections) if sections is not None else None

    def wanted(section: str) -> bool:
        return chosen is None or section in chosen

    cycle = digest.cycle
    data: dict[str, Any] = {
        "kind": digest.kind,
        "organization": digest.organization.slug,
        "unit": (
            {"code": digest.unit.code, "name": digest.unit.name, "kind": digest.unit.kind}
            if digest.unit
            else None
        ),
        "week": digest.week,
        "since": digest.since,
        "until": digest.until,
        "cycle": (
            {"code": cycle.code, "name": cycle.name, "start": cycle.start, "end": cycle.end}
            if cycle
            else None
        ),
        "url": digest.url,
    }
    if wanted("summary"):
        data["summary"] = {
            "elapsed": _share(digest.elapsed),
            "progress": _share(digest.progress),
            "key_results": digest.key_result_counts,
            "objectives": digest.objective_counts,
            "checkins": digest.checkin_count,
        }
    if wanted("objectives"):
        data["objectives"] = [objective_data(line) for line in digest.objectives]
        data["objectives_total"] = digest.objectives_total
    if chosen is None:
        data["moved"] = [key_result_data(line, moved=True) for line in digest.movers]
        data["moved_total"] = digest.movers_total
    if wanted("at_risk"):
        data["at_risk"] = [key_result_data(line, owner=names) for line in digest.at_risk]
        data["at_risk_total"] = digest.at_risk_total
        data["stale"] = [key_result_data(line, owner=names) for line in digest.stale]
        data["stale_total"] = digest.stale_total
    if wanted("highlights"):
        data["highlights"] = {
            "reached": [key_result_data(line) for line in digest.reached],
            "objectives_moved": [objective_data(line) for line in digest.moved_objectives],
            "kudos": digest.kudos,
            "reactions": digest.reactions,
        }
    if chosen is None and names:
        data["plans"] = [
            {
                "name": group.name,
                "done": group.done,
                "items": [_item_data(item, names=True) for item in group.plans],
            }
            for group in digest.plans
        ]
        data["problems"] = [_item_data(item, names=True) for item in digest.problems]
        data["needs_help"] = [
            {
                "name": help_note.name,
                "reasons": [
                    {
                        "kind": reason.kind,
                        "subject": reason.subject,
                        "weeks": reason.weeks,
                        "confidence": reason.confidence,
                        "days": reason.days,
                    }
                    for reason in help_note.reasons
                ],
            }
            for help_note in digest.needs_help
        ]
    if chosen is None:
        data["teams_needing_help"] = [
            {
                "team": team_help.name,
                "long_problems": team_help.long_problems,
                "low_confidence": team_help.low_confidence,
                "stale": team_help.stale,
                "quiet": team_help.quiet,
                "no_okrs": team_help.no_okrs,
                "url": team_help.url,
            }
            for team_help in digest.teams_needing_help
        ]
    return data


# --- subscribers ----------------------------------------------------------------------------------


def subscribers_of(organization: Organization) -> list[Any]:

    return list(
        Subscriber.objects.filter(organization=organization)
        .select_related("unit", "created_by")
        .order_by("unit__name", "email", "id")
    )


def get_subscriber(organization: Organization, code: str) -> Any:

    subscriber = (
        Subscriber.objects.filter(organization=organization, code=(code or "").strip().lower())
        .select_related("unit", "created_by")
        .first()
    )
    if subscriber is None:
        raise Http404
    subscriber.organization = organization
    return subscriber


def subscriber_digest(
    subscriber: Any, week_end: dt.datetime, *, now: dt.datetime | None = None
) -> Digest:
    """What a subscriber's digest is built from: only what the whole organization may see,
    whichever unit it is about (a subscriber is nobody's team-mate)."""
    organization = subscriber.organization
    public = audience(organization)
    return digest_for(organization, subscriber.unit, week_end, access=public, now=now)


def subscriber_data(subscriber: Any) -> dict[str, Any]:
    unit = subscriber.unit
    return {
        "code": subscriber.code,
        "email": subscriber.email,
        "name": subscriber.name,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "sections": [value for value in Section.values if value in (subscriber.sections or [])],
        "include_names": subscriber.include_names,
        "active": subscriber.active,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "created_at": subscriber.created_at,
    }
