"""The builder behind `tenfold seed`: people and units, five quarters of OKRs with their
check-ins, weekly reports, comments, reviews and the audit log, written in bulk.

Everything random comes from generators seeded with the seed and a name per stream, so the
same people, seed and day always give the same rows, codes included. Stored progress is
computed with the project's own maths (`tenfold.lib.progress`), exactly as the roll-up and
`reconcile` compute it."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import json
import random
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import Category, CheckIn, Source, WeeklyItem, WeeklyReport
from tenfold.lib import periods
from tenfold.lib.longrun import Progress
from tenfold.lib.progress import (
    key_result_progress,
    objective_progress,
    proposed_score,
    weighted_mean,
)
from tenfold.okrs.models import (
    Alignment,
    Cycle,
    CycleKind,
    CycleState,
    Initiative,
    KeyResult,
    Level,
    Objective,
    ObjectiveState,
    ObjectiveType,
    Visibility,
)
from tenfold.okrs.rollup import STORED
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.reviews.models import Review, ReviewScore, ReviewState
from tenfold.social.models import Comment

from . import seed_texts as texts
from .seed_writer import (
    Clock,
    Codes,
    Table,
    foreign_keys_checked_at_the_end,
    indexes_built_at_the_end,
    is_postgresql,
    reset_sequences,
)

SEEDED_VERB = "organization.seeded"
"""The audit event that marks an organization as synthetic and records how it was built."""

FORMAT = 1
"""Bumped whenever the shape changes, so an organization built by an older version is not
taken for one built with the same parameters."""

ROWS_PER_PERSON = 370
"""About how many rows one person brings (for the progress bar)."""

QUARTERS = 5
"""Four past quarters and the active one."""

OPEN_MAX = 3
"""At most this many plans and problems stay open from one week to the next."""

KR_KINDS = ("increase", "decrease", "reach", "keep_above", "keep_below", "milestone")
KR_KIND_WEIGHTS = (52, 18, 10, 8, 6, 6)

# Trend profiles of a key result across its quarter: (name, share of key results).
PROFILES = (("on_track", 42), ("ahead", 8), ("behind", 28), ("stalled", 17), ("silent", 5))

JOB_TITLES = ("Engineer", "Analyst", "Designer", "Specialist", "Manager", "Consultant")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _cum(weights: tuple[int, ...]) -> list[int]:
    return list(itertools.accumulate(weights))


@dataclass
class SeedStats:
    """What a seed did: seconds per phase and rows per table."""

    phases: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    writing: dict[str, float] = field(default_factory=dict)
    """Seconds spent sending each table's rows to the database (part of the phases)."""

    @property
    def total(self) -> float:
        return sum(self.phases.values())


@dataclass
class Quarter:
    index: int
    cycle_id: int
    start: dt.date
    end: dt.date
    active: bool
    # (objective id, key result id) of the objectives worked on, by unit id.
    pool: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class Person:
    id: int
    email: str
    name: str
    role: str
    unit_id: int


class Builder:
    def __init__(
        self,
        *,
        people: int,
        seed: int,
        slug: str,
        name: str,
        domain: str,
        password: str,
        today: dt.date,
        sign_in: dict[str, str],
        progress: Progress,
        stats: SeedStats,
    ) -> None:
        self.people = people
        self.seed = seed
        self.slug = slug
        self.name = name
        self.domain = domain
        self.password = password
        self.today = today
        self.sign_in = sign_in
        self.progress = progress
        self.stats = stats
        self.clock = Clock()
        self.pg = is_postgresql()
        self.done = 0
        self.total = max(1, people * ROWS_PER_PERSON)
        self.tables: dict[str, Table] = {}
        self.years_closed: list[int] = []

    # --- plumbing -------------------------------------------------------------------------

    def rng(self, stream: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.people}:{self.today}:{stream}")  # nosec B311  # repeatable synthetic data

    def table(self, model: type[Any], columns: str) -> Table:
        table = Table(model, columns.split())
        table.reserve_ids()
        table.codes = Codes(random.Random(f"{self.seed}:{self.slug}:code:{model.__name__}"))  # nosec B311  # repeatable synthetic data
        self.tables[model._meta.label] = table
        return table

    def code(self, table: Table) -> str:
        return table.code()

    def write(self, table: Table, rows: Any, label: str) -> None:
        before = table.written
        table.write(rows)
        self.advance(table.written - before, label)

    def advance(self, count: int, label: str) -> None:
        self.done += count
        self.progress.step(min(self.done, self.total), self.total, label)
        self.progress.check()

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.stats.phases[name] = round(time.monotonic() - started, 2)

    def bool(self, value: bool) -> Any:
        return value if self.pg else int(value)

    def at(self, day: dt.date, hour: int = 9, minute: int = 0) -> str:
        return self.clock.at(day, hour, minute)

    # --- the whole build ------------------------------------------------------------------

    def build(self) -> Organization:
        with self.phase("people and units"):
            self.organization()
            self.staff()
        with self.phase("cycles"):
            self.cycles()
        big = (CheckIn, WeeklyItem, WeeklyReport, AuditEvent)
        with foreign_keys_checked_at_the_end(big):
            with indexes_built_at_the_end(big):
                with self.phase("objectives and check-ins"):
                    self.okrs()
                with self.phase("weekly reports"):
                    self.weeks()
                started = time.monotonic()
            self.stats.phases["indexes"] = round(time.monotonic() - started, 2)
            started = time.monotonic()
        self.stats.phases["foreign keys"] = round(time.monotonic() - started, 2)
        with self.phase("finish"):
            reset_sequences(t.model for t in self.tables.values())
        for table in self.tables.values():
            self.stats.counts[table.model._meta.label] = table.written
            self.stats.writing[table.model._meta.label] = round(table.seconds, 2)
        return Organization.objects.get(pk=self.org_id)

    # --- organization, people and units ---------------------------------------------------

    def organization(self) -> None:
        table = self.table(Organization, "id code slug name created_at")
        self.org_id = table.new_id()
        self.quarters_list = self.quarter_periods()
        self.epoch = self.quarters_list[0].start - dt.timedelta(days=14)
        table.write([(self.org_id, self.code(table), self.slug, self.name, self.at(self.epoch))])
        events = self.table(
            AuditEvent,
            "id organization_id actor_id verb object_type object_code object_repr "
            "objective_code changes created_at",
        )
        self.audit = events
        self.org_code = Organization.objects.values_list("code", flat=True).get(pk=self.org_id)
        events.write(
            [
                (
                    events.new_id(),
                    self.org_id,
                    None,
                    SEEDED_VERB,
                    "organization",
                    self.org_code,
                    self.name,
                    "",
                    json.dumps(
                        {
                            "people": self.people,
                            "seed": self.seed,
                            "today": self.today.isoformat(),
                            "format": FORMAT,
                        }
                    ),
                    self.at(self.epoch),
                )
            ]
        )

    def staff(self) -> None:
        rng = self.rng("people")
        n = self.people
        n_teams = max(1, round(n / 10))
        sizes: list[int] = []
        left = n_teams
        while left > 15:
            size = rng.randint(5, 15)
            if left - size < 5:
                size = left - 5
            sizes.append(size)
            left -= size
        sizes.append(left)
        n_departments = len(sizes)
        n_admins = min(5, 2 + n // 5000)
        n_viewers = max(1, n // 50)
        n_members = n - 1 - n_admins - n_departments - n_viewers - n_teams

        units = self.table(Unit, "id organization_id code name kind parent_id order")
        unit_rows: list[tuple[Any, ...]] = []
        self.root = units.new_id()
        unit_rows.append((self.root, self.org_id, self.code(units), self.name, "company", None, 0))
        self.departments: list[int] = []
        self.teams: list[int] = []
        self.department_of: dict[int, int] = {}
        self.teams_of: dict[int, list[int]] = {}
        self.unit_name: dict[int, str] = {self.root: self.name}
        self.unit_code: dict[int, str] = {self.root: unit_rows[0][2]}
        for d, size in enumerate(sizes):
            label = texts.DEPARTMENTS[d % len(texts.DEPARTMENTS)]
            if d >= len(texts.DEPARTMENTS):
                label = f"{label} {d // len(texts.DEPARTMENTS) + 1}"
            dept = units.new_id()
            self.departments.append(dept)
            self.unit_name[dept] = label
            self.unit_code[dept] = self.code(units)
            unit_rows.append(
                (dept, self.org_id, self.unit_code[dept], label, "department", self.root, d)
            )
            self.teams_of[dept] = []
            offset = rng.randrange(len(texts.TEAMS))
            for t in range(size):
                team_label = texts.TEAMS[(offset + t) % len(texts.TEAMS)]
                if t >= len(texts.TEAMS):
                    team_label = f"{team_label} {t // len(texts.TEAMS) + 1}"
                team = units.new_id()
                self.teams.append(team)
                self.teams_of[dept].append(team)
                self.department_of[team] = dept
                self.unit_name[team] = team_label
                self.unit_code[team] = self.code(units)
                unit_rows.append(
                    (team, self.org_id, self.unit_code[team], team_label, "team", dept, t)
                )
        self.write(units, unit_rows, "units")

        users = self.table(
            User,
            "id password last_login is_superuser email name language time_zone is_service "
            "is_staff is_active date_joined",
        )
        used: set[str] = set()

        def person(role: str, unit_id: int, special: str | None = None) -> Person:
            index = users.next_id
            first = rng.choice(texts.FIRST_NAMES)
            last = rng.choice(texts.LAST_NAMES)
            if special is not None:
                email = self.sign_in[special]
            else:
                email = f"{_ascii(first)}.{_ascii(last)}@{self.domain}"
                if email in used:
                    email = f"{_ascii(first)}.{_ascii(last)}.{index}@{self.domain}"
            used.add(email)
            return Person(users.new_id(), email, f"{first} {last}", role, unit_id)

        owner = person(Role.OWNER, self.root, "owner")
        admins = [
            person(Role.ADMIN, self.root, "admin" if i == 0 else None) for i in range(n_admins)
        ]
        heads = [
            person(Role.LEAD, dept, "head" if i == 0 else None)
            for i, dept in enumerate(self.departments)
        ]
        leads = [
            person(Role.LEAD, team, "lead" if i == 0 else None) for i, team in enumerate(self.teams)
        ]
        team_weights = list(itertools.accumulate(rng.uniform(0.6, 1.4) for _ in self.teams))
        members = []
        for i in range(n_members):
            if i < 2:
                team = self.teams[0]
            else:
                team = self.teams[bisect.bisect(team_weights, rng.random() * team_weights[-1])]
            members.append(person(Role.MEMBER, team, "member" if i == 0 else None))
        viewers = [
            person(Role.VIEWER, self.root, "viewer" if i == 0 else None) for i in range(n_viewers)
        ]
        everybody = [owner, *admins, *heads, *leads, *members, *viewers]
        self.owner = owner
        self.admins = admins
        self.member = members[0]
        self.lead_of: dict[int, int] = {self.root: owner.id}
        for head in heads:
            self.lead_of[head.unit_id] = head.id
        for lead in leads:
            self.lead_of[lead.unit_id] = lead.id
        self.staff_of: dict[int, list[int]] = {self.root: [owner.id, *(a.id for a in admins)]}
        for head in heads:
            self.staff_of[head.unit_id] = [head.id]
        for p in [*leads, *members]:
            self.staff_of.setdefault(p.unit_id, []).append(p.id)
        self.writers = [p for p in everybody if p.role != Role.VIEWER]
        self.unit_of_person = {p.id: p.unit_id for p in everybody}

        # One hash for everybody: hashing ten thousand passwords would take an hour.
        hashed = make_password(self.password)
        joined = self.at(self.epoch)
        no, yes = self.bool(False), self.bool(True)
        self.write(
            users,
            (
                (p.id, hashed, None, no, p.email, p.name, "", "", no, no, yes, joined)
                for p in everybody
            ),
            "people",
        )
        # Made-up addresses nobody could confirm by mail: recorded as proven, as the demo does.
        addresses = self.table(EmailAddress, "id user_id email verified primary")
        self.write(
            addresses,
            ((addresses.new_id(), p.id, p.email, yes, yes) for p in everybody),
            "people",
        )
        memberships = self.table(Membership, "id organization_id user_id role title created_at")
        head_title = {h.id: f"Head of {self.unit_name[h.unit_id]}" for h in heads}

        def title(p: Person) -> str:
            if p.role == Role.OWNER:
                return "Chief Executive Officer"
            if p.role == Role.ADMIN:
                return "Operations Manager"
            if p.id in head_title:
                return head_title[p.id]
            if p.role == Role.LEAD:
                return "Team Lead"
            return rng.choice(JOB_TITLES)

        self.write(
            memberships,
            (
                (memberships.new_id(), self.org_id, p.id, p.role, title(p), joined)
                for p in everybody
            ),
            "memberships",
        )
        unit_members = self.table(UnitMember, "id organization_id unit_id user_id is_lead")
        self.write(
            unit_members,
            (
                (
                    unit_members.new_id(),
                    self.org_id,
                    p.unit_id,
                    p.id,
                    self.bool(self.lead_of.get(p.unit_id) == p.id),
                )
                for p in everybody
            ),
            "unit members",
        )

    # --- cycles ---------------------------------------------------------------------------

    def quarter_periods(self) -> list[periods.Period]:
        year = periods.fiscal_year_of(self.today, 1)
        found: list[periods.Period] = []
        for y in range(year - 2, year + 2):
            found.extend(periods.quarters(y, 1))
        current = next(i for i, q in enumerate(found) if q.start <= self.today <= q.end)
        # Four past quarters, the active one and the next one (in planning).
        return found[current - QUARTERS + 1 : current + 2]

    def cycles(self) -> None:
        cycles = self.table(Cycle, "id organization_id code name kind start end parent_id state")
        rows: list[tuple[Any, ...]] = []
        years: dict[str, int] = {}
        for q in self.quarters_list:
            fiscal = periods.fiscal_year(q.start.year, 1)
            if fiscal.name in years:
                continue
            years[fiscal.name] = cycles.new_id()
            if fiscal.end < self.today:
                state = CycleState.CLOSED
            elif fiscal.start > self.today:
                state = CycleState.PLANNING
            else:
                state = CycleState.ACTIVE
            if state == CycleState.CLOSED:
                self.years_closed.append(years[fiscal.name])
            rows.append(
                (
                    years[fiscal.name],
                    self.org_id,
                    self.code(cycles),
                    fiscal.name,
                    CycleKind.YEAR,
                    fiscal.start.isoformat(),
                    fiscal.end.isoformat(),
                    None,
                    state,
                )
            )
        self.quarters: list[Quarter] = []
        for index, q in enumerate(self.quarters_list):
            cycle_id = cycles.new_id()
            if q.end < self.today:
                state = CycleState.CLOSED
            elif q.start > self.today:
                state = CycleState.PLANNING
            else:
                state = CycleState.ACTIVE
            parent = years[periods.fiscal_year(q.start.year, 1).name]
            rows.append(
                (
                    cycle_id,
                    self.org_id,
                    self.code(cycles),
                    q.name,
                    CycleKind.QUARTER,
                    q.start.isoformat(),
                    q.end.isoformat(),
                    parent,
                    state,
                )
            )
            if index < QUARTERS:
                self.quarters.append(
                    Quarter(index, cycle_id, q.start, q.end, state == CycleState.ACTIVE)
                )
        self.write(cycles, rows, "cycles")

    # --- objectives, key results, check-ins -----------------------------------------------

    def okrs(self) -> None:
        self.objectives_t = self.table(
            Objective,
            "id organization_id code cycle_id unit_id level type state visibility title "
            "description lead_id order carried_from_id progress created_by_id created_at "
            "updated_at",
        )
        self.krs_t = self.table(
            KeyResult,
            "id organization_id code objective_id title kind start target current unit_label "
            "value_format currency decimals weight owner_id aspirational order progress "
            "progress_raw last_checkin_at last_confidence created_at updated_at",
        )
        self.alignments_t = self.table(
            Alignment,
            "id organization_id child_id parent_objective_id parent_key_result_id weight "
            "created_at",
        )
        self.checkins_t = self.table(
            CheckIn,
            "id organization_id code key_result_id value confidence note author_id source "
            "measured_at created_at",
        )
        self.comments_t = self.table(
            Comment,
            "id organization_id code author_id body source objective_id checkin_id created_at",
        )
        self.initiatives_t = self.table(
            Initiative,
            "id organization_id code key_result_id objective_id title owner_id status due "
            "created_at",
        )
        self.reviews_t = self.table(
            Review,
            "id organization_id code cycle_id unit_id state summary learn_stop learn_start "
            "learn_continue submitted_at submitted_by_id created_at updated_at",
        )
        self.scores_t = self.table(
            ReviewScore, "id review_id objective_id key_result_id proposed adjusted reason"
        )
        self.previous_team_objectives: dict[int, list[int]] = {}
        for quarter in self.quarters:
            self.quarter(quarter)
        for year_id in self.years_closed:
            # A closed year has its company review, as closing it would have opened.
            self.write(self.reviews_t, [self.review_row(year_id, None, self.today)], "reviews")

    def key_result_spec(self, rng: random.Random, area: str) -> dict[str, Any]:
        kind = rng.choices(KR_KINDS, cum_weights=_cum(KR_KIND_WEIGHTS))[0]
        title, label = rng.choice(texts.KEY_RESULTS[kind])
        spec: dict[str, Any] = {
            "kind": kind,
            "title": title.format(area=area.lower()),
            "unit_label": "",
            "value_format": "number",
            "currency": "",
            "decimals": 0,
        }
        if label == "%":
            spec["value_format"] = "percent"
        elif label == "EUR":
            spec["value_format"] = "currency"
            spec["currency"] = "EUR"
        else:
            spec["unit_label"] = label
        if kind == "increase":
            if label == "%":
                start = rng.randint(10, 60)
                target = min(100, start + rng.randint(10, 30))
            else:
                start = rng.choice((0, 10, 50, 100, 200, 1000, 5000))
                target = max(start + 10, int(start * rng.uniform(1.3, 3.0)))
            spec["start"], spec["target"] = Decimal(start), Decimal(target)
        elif kind == "decrease":
            start = rng.choice((20, 40, 60, 120, 480, 2000))
            spec["start"] = Decimal(start)
            spec["target"] = Decimal(max(1, int(start * rng.uniform(0.3, 0.8))))
        elif kind == "reach":
            spec["start"], spec["target"] = Decimal(0), Decimal(rng.choice((20, 50, 100, 250)))
        elif kind == "keep_above":
            spec["start"], spec["target"] = None, Decimal(rng.choice((99, 95, 90)))
            spec["value_format"], spec["unit_label"], spec["decimals"] = "percent", "", 1
        elif kind == "keep_below":
            spec["start"], spec["target"] = None, Decimal(rng.choice((200, 400, 800)))
        else:
            spec["start"], spec["target"] = Decimal(0), Decimal(1)
        return spec

    def quarter(self, quarter: Quarter) -> None:
        rng = self.rng(f"okrs:{quarter.index}")
        cycle_id, start = quarter.cycle_id, quarter.start
        written = self.at(start, 9)
        objectives: list[dict[str, Any]] = []
        per_unit: dict[int, int] = {}

        def objective(unit: int, level: str, title: str, parent: dict[str, Any] | None) -> None:
            o: dict[str, Any] = {
                "id": self.objectives_t.new_id(),
                "code": self.code(self.objectives_t),
                "unit": unit,
                "level": level,
                "title": title,
                "type": (
                    ObjectiveType.ASPIRATIONAL if rng.random() < 0.25 else ObjectiveType.COMMITTED
                ),
                "lead": self.lead_of[unit],
                "parent": parent,
                "krs": [],
                "order": per_unit.get(unit, 0),
            }
            if quarter.active:
                if level == Level.TEAM and rng.random() < 0.06:
                    o["state"] = rng.choice((ObjectiveState.DRAFT, ObjectiveState.PROPOSED))
                else:
                    o["state"] = ObjectiveState.ACTIVE
            else:
                o["state"] = ObjectiveState.CLOSED
            o["visibility"] = Visibility.ORGANIZATION
            if level == Level.TEAM and rng.random() < 0.06:
                o["visibility"] = rng.choice((Visibility.UNIT, Visibility.PRIVATE))
            owners = list(self.staff_of[unit])
            if level == Level.COMPANY:
                owners += [self.lead_of[d] for d in self.departments[:5]]
            elif level == Level.DEPARTMENT:
                owners += [self.lead_of[t] for t in self.teams_of[unit]]
            area = self.unit_name[unit] if level != Level.COMPANY else "the product"
            for k in range(rng.choice((3, 4, 4, 5))):
                kr = self.key_result_spec(rng, area)
                kr["id"] = self.krs_t.new_id()
                kr["code"] = self.code(self.krs_t)
                kr["owner"] = rng.choice(owners) if rng.random() < 0.9 else None
                kr["weight"] = Decimal(rng.choice((1, 1, 1, 1, 2)))
                kr["aspirational"] = o["type"] == ObjectiveType.COMMITTED and rng.random() < 0.05
                kr["order"] = k
                o["krs"].append(kr)
            objectives.append(o)
            per_unit[unit] = o["order"] + 1

        company_titles = rng.sample(texts.COMPANY_OBJECTIVES, 3)
        company = []
        for title in company_titles:
            objective(self.root, Level.COMPANY, title, None)
            company.append(objectives[-1])
        for dept in self.departments:
            area = self.unit_name[dept]
            dept_objectives = []
            for _ in range(rng.choice((1, 2, 2, 2, 3))):
                parent = rng.choice(company) if rng.random() < 0.9 else None
                title = rng.choice(texts.OBJECTIVES).format(area=area.lower())
                objective(dept, Level.DEPARTMENT, title, parent)
                dept_objectives.append(objectives[-1])
            for team in self.teams_of[dept]:
                team_area = self.unit_name[team]
                count = rng.choices((1, 2, 3), cum_weights=(35, 75, 100))[0]
                for _ in range(count):
                    parent = rng.choice(dept_objectives) if rng.random() < 0.85 else None
                    title = rng.choice(texts.OBJECTIVES).format(area=team_area.lower())
                    objective(team, Level.TEAM, title, parent)
        # The member who signs in for the benchmark owns a key result of an active objective.
        if quarter.active:
            first = next(o for o in objectives if o["unit"] == self.teams[0])
            first["state"] = ObjectiveState.ACTIVE
            first["visibility"] = Visibility.ORGANIZATION
            first["krs"][0]["owner"] = self.member.id

        alignments: list[tuple[Any, ...]] = []
        carried: dict[int, list[int]] = {}
        for o in objectives:
            o["carried_from"] = None
            if o["level"] == Level.TEAM:
                earlier = self.previous_team_objectives.get(o["unit"])
                if earlier and rng.random() < 0.08:
                    o["carried_from"] = rng.choice(earlier)
                carried.setdefault(o["unit"], []).append(o["id"])
            parent = o["parent"]
            if parent is None:
                continue
            weight = "1" if rng.random() < 0.8 else "0.5"
            if rng.random() < 0.3:
                target = rng.choice(parent["krs"])
                row = (None, target["id"])
            else:
                row = (parent["id"], None)
            alignments.append(
                (self.alignments_t.new_id(), self.org_id, o["id"], *row, weight, written)
            )
        self.previous_team_objectives = carried

        checkins = self.checkins(quarter, objectives, rng)

        pool: dict[int, list[tuple[int, int]]] = {}
        kr_rows = []
        objective_rows = []
        for o in objectives:
            pairs = []
            for kr in o["krs"]:
                result = key_result_progress(
                    kr["kind"], start=kr["start"], target=kr["target"], current=kr.get("current")
                )
                kr["progress"] = result.clamped.quantize(STORED)
                pairs.append((kr["progress"], kr["weight"]))
                if o["state"] in (ObjectiveState.ACTIVE, ObjectiveState.CLOSED):
                    pool.setdefault(o["unit"], []).append((o["id"], kr["id"]))
                kr_rows.append(
                    (
                        kr["id"],
                        self.org_id,
                        kr["code"],
                        o["id"],
                        kr["title"],
                        kr["kind"],
                        kr["start"],
                        kr["target"],
                        kr.get("current"),
                        kr["unit_label"],
                        kr["value_format"],
                        kr["currency"],
                        kr["decimals"],
                        kr["weight"],
                        kr["owner"],
                        self.bool(kr["aspirational"]),
                        kr["order"],
                        kr["progress"],
                        result.raw.quantize(STORED),
                        kr.get("last_at"),
                        kr.get("confidence"),
                        written,
                        kr.get("last_at") or written,
                    )
                )
            # Every synthetic objective has key results, so aligned children do not count.
            o["progress"] = objective_progress(pairs).quantize(STORED)
            objective_rows.append(
                (
                    o["id"],
                    self.org_id,
                    o["code"],
                    cycle_id,
                    o["unit"],
                    o["level"],
                    o["type"],
                    o["state"],
                    o["visibility"],
                    o["title"],
                    "",
                    o["lead"],
                    o["order"],
                    o["carried_from"],
                    o["progress"],
                    o["lead"],
                    written,
                    written,
                )
            )
        quarter.pool = pool
        # Rows referred to first: SQLite then never has to look for the rows that were
        # waiting for them.
        self.write(self.objectives_t, objective_rows, "objectives")
        self.write(self.krs_t, kr_rows, "key results")
        self.write(self.alignments_t, alignments, "alignments")
        self.write(self.checkins_t, checkins.rows, "check-ins")
        self.write(self.audit, checkins.events, "audit events")
        self.write(self.comments_t, checkins.comments, "comments")
        if quarter.active:
            self.initiatives(rng, objectives, quarter)
        else:
            self.reviews(rng, objectives, quarter)
        events = []
        for o in objectives:
            events.append(
                (
                    self.audit.new_id(),
                    self.org_id,
                    o["lead"],
                    "objective.created",
                    "objective",
                    o["code"],
                    o["title"][:200],
                    o["code"],
                    json.dumps({"title": o["title"], "unit": self.unit_code[o["unit"]]}),
                    written,
                )
            )
        self.write(self.audit, events, "audit events")

    @dataclass
    class Readings:
        rows: list[tuple[Any, ...]] = field(default_factory=list)
        events: list[tuple[Any, ...]] = field(default_factory=list)
        comments: list[tuple[Any, ...]] = field(default_factory=list)

    def checkins(
        self, quarter: Quarter, objectives: list[dict[str, Any]], rng: random.Random
    ) -> Builder.Readings:
        """Weekly readings on each team's check-in day: most key results move at a steady
        pace, some fall behind, some stall and go quiet, a few are never updated; weeks are
        skipped now and then."""
        out = Builder.Readings()
        length = (quarter.end - quarter.start).days + 1
        until = min(quarter.end + dt.timedelta(days=1), self.today)
        profiles = [name for name, _ in PROFILES]
        profile_cum = _cum(tuple(weight for _, weight in PROFILES))
        commenters = [p.id for p in self.writers]
        for o in objectives:
            if o["state"] not in (ObjectiveState.ACTIVE, ObjectiveState.CLOSED):
                continue
            weekday = o["unit"] % 5
            first = quarter.start + dt.timedelta(days=(weekday - quarter.start.weekday()) % 7)
            if (first - quarter.start).days < 3:
                first += dt.timedelta(days=7)
            days = []
            day = first
            while day < until:
                days.append(day)
                day += dt.timedelta(days=7)
            aspirational = o["type"] == ObjectiveType.ASPIRATIONAL
            for kr in o["krs"]:
                profile = rng.choices(profiles, cum_weights=profile_cum)[0]
                if profile == "silent":
                    continue
                pace = {
                    "on_track": rng.gauss(1.0, 0.1),
                    "ahead": rng.uniform(1.15, 1.5),
                    "behind": rng.uniform(0.4, 0.75),
                    "stalled": rng.uniform(0.6, 1.0),
                }[profile]
                stall_at = rng.uniform(0.2, 0.6) if profile == "stalled" else 2.0
                author = kr["owner"] or o["lead"]
                kind = kr["kind"]
                start = float(kr["start"] if kr["start"] is not None else 0)
                target = float(kr["target"])
                decimals = kr["decimals"]
                drift = 0.0
                previous = 0.0
                last = None
                chosen = days
                if profile != "stalled" and rng.random() < 0.35:
                    # An eager owner: a second reading most weeks.
                    extra = [d + dt.timedelta(days=2) for d in days if rng.random() < 0.8]
                    chosen = sorted(d for d in [*days, *extra] if d < until)
                for number, day in enumerate(chosen):
                    share = (day - quarter.start).days / length
                    if share > stall_at:
                        if quarter.active:
                            break  # went quiet: stale now
                        share = stall_at  # flat until the end of the quarter
                    if number < len(chosen) - 1 and rng.random() < 0.1:
                        continue  # a week skipped
                    if kind in ("keep_above", "keep_below"):
                        ok = rng.random() < (0.85 if profile in ("on_track", "ahead") else 0.6)
                        swing = target * rng.uniform(0.001, 0.03)
                        above = ok == (kind == "keep_above")
                        value = target + swing if above else target - swing
                        confidence = (8 if ok else 5) + rng.choice((-1, 0, 0, 1))
                        moved = 0.0
                    elif kind == "milestone":
                        done = share * pace >= 0.8
                        value = 1.0 if done else 0.0
                        confidence = 9 if done else rng.choice((5, 6, 7))
                        moved = value - previous
                        previous = value
                    else:
                        drift = 0.5 * drift + rng.gauss(0, 0.03)
                        if rng.random() < 0.08:
                            drift -= rng.uniform(0.03, 0.08)
                        fraction = max(-0.03, pace * share + drift)
                        value = start + (target - start) * fraction
                        if start >= 0 and target >= 0:
                            value = max(0.0, value)
                        gap = fraction - share
                        confidence = round(
                            7 + 12 * gap + rng.gauss(0, 0.8) - (2 if aspirational else 0)
                        )
                        moved = fraction - previous
                        previous = fraction
                    confidence = max(0, min(10, confidence))
                    text = f"{value:.{decimals}f}"
                    hour, minute = rng.randint(8, 17), rng.choice((0, 15, 30, 45))
                    at = self.at(day, hour, minute)
                    mood = "up" if moved > 0.03 else "down" if moved < -0.01 else "flat"
                    note = rng.choice(texts.CHECKIN_NOTES[mood]) if rng.random() < 0.45 else ""
                    share_text = f"{confidence / 10:.1f}"
                    checkin_id = self.checkins_t.new_id()
                    out.rows.append(
                        (
                            checkin_id,
                            self.org_id,
                            self.code(self.checkins_t),
                            kr["id"],
                            text,
                            share_text,
                            note,
                            author,
                            Source.WEB,
                            at,
                            at,
                        )
                    )
                    out.events.append(
                        (
                            self.audit.new_id(),
                            self.org_id,
                            author,
                            "checkin.recorded",
                            "keyresult",
                            kr["code"],
                            kr["title"][:200],
                            o["code"],
                            json.dumps(
                                {
                                    "value": text,
                                    "confidence": share_text,
                                    "note": note,
                                    "source": "web",
                                }
                            ),
                            at,
                        )
                    )
                    if quarter.active and rng.random() < 0.03:
                        out.comments.append(
                            (
                                self.comments_t.new_id(),
                                self.org_id,
                                self.code(self.comments_t),
                                rng.choice(commenters),
                                rng.choice(texts.COMMENTS),
                                Source.WEB,
                                None,
                                checkin_id,
                                self.at(day, min(23, hour + 2), minute),
                            )
                        )
                    last = (text, at, share_text)
                if last is not None:
                    kr["current"] = Decimal(last[0])
                    kr["last_at"] = last[1]
                    kr["confidence"] = last[2]
            if quarter.active and rng.random() < 0.15:
                staff = self.staff_of[o["unit"]]
                for _ in range(rng.randint(1, 3)):
                    day = min(
                        self.today - dt.timedelta(days=1),
                        quarter.start
                        + dt.timedelta(
                            days=rng.randint(3, max(3, (self.today - quarter.start).days))
                        ),
                    )
                    out.comments.append(
                        (
                            self.comments_t.new_id(),
                            self.org_id,
                            self.code(self.comments_t),
                            rng.choice(staff if rng.random() < 0.5 else commenters),
                            rng.choice(texts.COMMENTS),
                            Source.WEB,
                            o["id"],
                            None,
                            self.at(max(day, quarter.start), rng.randint(8, 18)),
                        )
                    )
        return out

    def initiatives(
        self, rng: random.Random, objectives: list[dict[str, Any]], quarter: Quarter
    ) -> None:
        rows = []
        statuses = ("planned", "doing", "doing", "done", "dropped")
        for o in objectives:
            if o["state"] != ObjectiveState.ACTIVE:
                continue
            for kr in o["krs"]:
                if rng.random() >= 0.25:
                    continue
                for _ in range(rng.randint(1, 2)):
                    rows.append(
                        (
                            self.initiatives_t.new_id(),
                            self.org_id,
                            self.code(self.initiatives_t),
                            kr["id"],
                            o["id"],
                            rng.choice(texts.INITIATIVES),
                            kr["owner"] or o["lead"],
                            rng.choice(statuses),
                            (quarter.start + dt.timedelta(days=rng.randint(20, 85))).isoformat(),
                            self.at(quarter.start, 10),
                        )
                    )
        self.write(self.initiatives_t, rows, "initiatives")

    def review_row(self, cycle_id: int, unit: int | None, end: dt.date) -> tuple[Any, ...]:
        rng = self.rng(f"review:{cycle_id}:{unit}")
        stop, start, keep = rng.choice(texts.LEARNINGS)
        submitted = self.at(min(end + dt.timedelta(days=rng.randint(3, 10)), self.today), 15)
        lead = self.lead_of[unit if unit is not None else self.root]
        review_id = self.reviews_t.new_id()
        return (
            review_id,
            self.org_id,
            self.code(self.reviews_t),
            cycle_id,
            unit,
            ReviewState.SUBMITTED,
            "We learned more than we scored.",
            stop,
            start,
            keep,
            submitted,
            lead,
            self.at(end, 18),
            submitted,
        )

    def reviews(
        self, rng: random.Random, objectives: list[dict[str, Any]], quarter: Quarter
    ) -> None:
        """A closed quarter was reviewed: a review per unit with objectives and one for the
        company, every objective and key result scored from its progress (now and then
        adjusted by the team, with a reason)."""
        reviews = []
        scores = []
        by_unit: dict[int | None, list[dict[str, Any]]] = {None: []}
        for o in objectives:
            by_unit.setdefault(None if o["unit"] == self.root else o["unit"], []).append(o)
        for unit, unit_objectives in by_unit.items():
            reviews.append(self.review_row(quarter.cycle_id, unit, quarter.end))
            review_id = reviews[-1][0]
            for o in unit_objectives:
                finals = []
                for kr in o["krs"]:
                    proposed = proposed_score(kr["progress"])
                    adjusted, reason = None, ""
                    if rng.random() < 0.05:
                        adjusted = min(Decimal(1), proposed + Decimal("0.1"))
                        reason = "The last reading came in after the quarter ended."
                    finals.append((adjusted if adjusted is not None else proposed, kr["weight"]))
                    scores.append(
                        (
                            self.scores_t.new_id(),
                            review_id,
                            None,
                            kr["id"],
                            proposed,
                            adjusted,
                            reason,
                        )
                    )
                scores.append(
                    (
                        self.scores_t.new_id(),
                        review_id,
                        o["id"],
                        None,
                        proposed_score(weighted_mean(finals)),
                        None,
                        "",
                    )
                )
        self.write(self.reviews_t, reviews, "reviews")
        self.write(self.scores_t, scores, "review scores")

    # --- weekly reports -------------------------------------------------------------------

    def weeks(self) -> None:
        """Every writer's weeks since the first quarter began, most weeks with three to seven
        items: plans (mostly done by the end of the week), progress and the odd problem, many
        linked to the key results of their unit. Open plans and problems carry into the next
        report, as they do when a week is opened."""
        rng = self.rng("weeks")
        reports = self.table(
            WeeklyReport,
            "id organization_id code person_id week carried_in_at created_at updated_at",
        )
        items = self.table(
            WeeklyItem,
            "id organization_id code report_id category text position objective_id "
            "key_result_id carried_from_id done_at resolved_at added_by_id source created_at "
            "updated_at",
        )
        first = periods.week_start_of(self.quarters[0].start, 0)
        current = periods.week_start_of(self.today, 0)
        weeks = []
        week = first
        while week <= current:
            weeks.append(week)
            week += dt.timedelta(days=7)
        rates = {p.id: rng.uniform(0.65, 0.98) for p in self.writers}
        open_items: dict[int, list[tuple[Any, ...]]] = {}
        report_rows: list[tuple[Any, ...]] = []
        item_rows: list[tuple[Any, ...]] = []
        member = self.member.id
        plans, routine, problems = texts.PLANS, texts.ROUTINE, texts.PROBLEMS
        PLANS, PROGRESS, PROBLEMS = Category.PLANS, Category.PROGRESS, Category.PROBLEMS
        new_item, new_report = items.new_id, reports.new_id
        for w, week in enumerate(weeks):
            quarter = self.quarters[0]
            for q in self.quarters:
                if q.start <= week + dt.timedelta(days=3):
                    quarter = q
            is_current = week == current
            opened = self.at(week, 8)
            days_in = (self.today - week).days if is_current else 7
            done_times = [self.at(week + dt.timedelta(days=d), 16) for d in range(1, 5)]
            created_times = [self.at(week + dt.timedelta(days=d), 9) for d in range(3)]
            for person in self.writers:
                pid = person.id
                if rng.random() > rates[pid] and not (pid == member and w >= len(weeks) - 3):
                    continue
                pool = quarter.pool.get(person.unit_id, ())
                report_id = new_report()
                carried = open_items.pop(pid, None)
                report_rows.append(
                    (
                        report_id,
                        self.org_id,
                        self.code(reports),
                        pid,
                        week.isoformat(),
                        opened,  # the carry-in ran when the week was opened
                        opened,
                        opened,
                    )
                )
                positions = {PLANS: 0, PROGRESS: 0, PROBLEMS: 0}
                count = rng.randint(3, 7)
                still_open: list[tuple[str, str, int | None, int | None, int | None]] = []
                lines: list[tuple[str, str, int | None, int | None, int | None]] = []
                for category, text, objective_id, kr_id, from_id in carried or ():
                    lines.append((category, text, objective_id, kr_id, from_id))
                while len(lines) < count:
                    if rng.random() < 0.12:
                        category, text = PROBLEMS, rng.choice(problems)
                    else:
                        category = PLANS
                        text = rng.choice(plans)
                    if pool and rng.random() < 0.65:
                        objective_id, kr_id = rng.choice(pool)
                    else:
                        objective_id = kr_id = None
                        if category == PLANS:
                            text = rng.choice(routine)
                    lines.append((category, text, objective_id, kr_id, None))
                for category, text, objective_id, kr_id, from_id in lines:
                    item_id = new_item()
                    done_at = resolved_at = None
                    stamp = rng.choice(created_times) if from_id is None else opened
                    # Whatever is left open is carried into the person's next report, as
                    # the week's carry-in does; past the third open item, people tidy up.
                    tidy = len(still_open) >= OPEN_MAX and not is_current
                    if category == PLANS:
                        day = rng.randint(0, 3)
                        if (rng.random() < 0.75 or tidy) and day < days_in - 1:
                            category, done_at = PROGRESS, done_times[day]
                        else:
                            still_open.append((PLANS, text, objective_id, kr_id, item_id))
                    elif (rng.random() < 0.6 or tidy) and days_in > 2:
                        resolved_at = done_times[min(3, days_in - 3)]
                    else:
                        still_open.append((PROBLEMS, text, objective_id, kr_id, item_id))
                    positions[category] += 1
                    item_rows.append(
                        (
                            item_id,
                            self.org_id,
                            self.code(items),
                            report_id,
                            category,
                            text,
                            positions[category],
                            objective_id,
                            kr_id,
                            from_id,
                            done_at,
                            resolved_at,
                            pid,
                            "web",
                            stamp,
                            done_at or resolved_at or stamp,
                        )
                    )
                if still_open and not is_current:
                    open_items[pid] = still_open
            if len(item_rows) >= 100_000 or week == current:
                self.write(reports, report_rows, "weekly reports")
                self.write(items, item_rows, "weekly items")
                report_rows, item_rows = [], []
