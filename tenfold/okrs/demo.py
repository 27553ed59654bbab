"""The demo organization: Northwind Labs, a software company of about sixty people.

Everything is written through the services, so audit events, stored progress and alignment
are exactly what real use would produce. Dates are relative to `today`: the current quarter is
always the real one, the previous quarter is closed. Mostly good OKRs, plus a few of the
classic mistakes (a task posing as a key result, a milestone, a number in an objective, an
objective with a single key result, an owner-less key result, an unaligned team objective, a
stale key result, one never checked in) for the coach to find.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tenfold.accounts.models import User
from tenfold.checkins.services import checkin_record
from tenfold.lib import periods
from tenfold.organizations.models import Organization, Role, Unit, UnitKind
from tenfold.organizations.services import organization_create, person_add, unit_create

from .models import Cycle, CycleState, KeyResult, Objective
from .services import (
    alignment_link,
    cycle_set_state,
    cycles_create_for_year,
    initiative_create,
    key_result_create,
    objective_create,
)

SLUG = "northwind"
NAME = "Northwind Labs"
PASSWORD = "northwind-demo"
TIME_ZONE = "Europe/Madrid"

FIRST = [
    "Maya",
    "Jonas",
    "Priya",
    "Tomás",
    "Aiko",
    "Kwame",
    "Lena",
    "Rafael",
    "Sofia",
    "Diego",
    "Hannah",
    "Wei",
    "Amara",
    "Noah",
    "Ingrid",
    "Mateo",
    "Zainab",
    "Oskar",
    "Leila",
    "Hiroshi",
    "Chloé",
    "Emeka",
    "Freya",
    "Arjun",
    "Nadia",
    "Luca",
    "Yara",
    "Felix",
    "Mei",
    "Samuel",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Raman",
    "Ferreira",
    "Tanaka",
    "Mensah",
    "Vogel",
    "Costa",
    "Rossi",
    "Herrera",
    "Becker",
    "Zhang",
    "Diallo",
    "Fischer",
    "Nilsen",
    "García",
    "Bello",
    "Novak",
    "Haddad",
    "Sato",
    "Moreau",
    "Eze",
    "Larsen",
    "Mehta",
    "Petrova",
    "Bianchi",
    "Aziz",
    "Kraus",
    "Chen",
    "Adeyemi",
]

DEPARTMENTS = {
    "Product & Engineering": ["Onboarding", "Platform", "Mobile"],
    "Go-to-market": ["Sales", "Marketing", "Customer Success"],
    "Operations": ["Finance", "People"],
}


@dataclass
class Demo:
    org: Organization
    today: dt.date
    rng: random.Random
    owner: User
    units: dict[str, Unit] = field(default_factory=dict)
    leads: dict[str, User] = field(default_factory=dict)
    members: dict[str, list[User]] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _people(demo: Demo) -> None:
    org, owner = demo.org, demo.owner
    company = Unit.objects.get(organization=org, parent__isnull=True)
    demo.units["Northwind Labs"] = company
    names = [f"{first} {last}" for first, last in zip(FIRST * 2, LAST + LAST[::-1], strict=True)]
    names = [n for n in names if n != owner.name]
    pool = iter(names)

    def add(role: str, units: list[Unit] = (), lead_of: list[Unit] = ()) -> User:  # type: ignore[assignment]
        name = next(pool)
        email = name.lower().replace(" ", ".").translate(str.maketrans("áéíóúç", "aeiouc"))
        membership = person_add(
            organization=org,
            email=f"{email}@example.com",
            name=name,
            role=role,
            units=list(units),
            lead_of=list(lead_of),
            by=owner,
        )
        return membership.user

    admin = add(Role.ADMIN, units=[company])
    demo.logins["admin"] = admin.email
    for dept_name, teams in DEPARTMENTS.items():
        dept = unit_create(
            organization=org, name=dept_name, parent=company, kind=UnitKind.DEPARTMENT, by=owner
        )
        demo.units[dept_name] = dept
        demo.leads[dept_name] = add(Role.LEAD, lead_of=[dept])
        for team_name in teams:
            team = unit_create(organization=org, name=team_name, parent=dept, by=owner)
            demo.units[team_name] = team
            demo.leads[team_name] = add(Role.LEAD, lead_of=[team])
            demo.members[team_name] = [add(Role.MEMBER, units=[team]) for _ in range(5)]
    viewer = add(Role.VIEWER, units=[company])
    demo.logins["viewer"] = viewer.email
    demo.logins["team lead"] = demo.leads["Onboarding"].email
    demo.logins["member"] = demo.members["Onboarding"][0].email
    # One hash for everybody: hashing sixty passwords one by one would take most of a minute.
    User.objects.filter(memberships__organization=org).update(password=make_password(PASSWORD))


def _history(
    demo: Demo,
    kr: KeyResult,
    cycle: Cycle,
    *,
    pace: float,
    until: dt.date,
    author: User,
    notes: list[str],
    every: int = 7,
    skip_last: int = 0,
) -> None:
    """Weekly check-ins from the cycle start to `until`, moving at `pace` of the even line."""
    if kr.kind in ("keep_above", "keep_below"):
        base = float(kr.target)
    start = float(kr.start if kr.start is not None else 0)
    target = float(kr.target)
    length = (cycle.end - cycle.start).days + 1
    day = cycle.start + dt.timedelta(days=every)
    stop = until - dt.timedelta(days=skip_last)
    week = 0
    while day <= stop:
        share = (day - cycle.start).days / length
        if kr.kind == "keep_above":
            value = base * (1 + demo.rng.uniform(-0.004, 0.01))
        elif kr.kind == "keep_below":
            value = base * (1 + demo.rng.uniform(-0.3, 0.12))
        elif kr.kind == "milestone":
            value = 0
        else:
            wobble = demo.rng.uniform(-0.06, 0.06)
            value = start + (target - start) * max(0.0, pace * share + wobble)
        places = kr.decimals
        confidence = max(0, min(10, round(7 + (pace - 0.9) * 8 + demo.rng.uniform(-1.5, 1.5))))
        checkin_record(
            key_result=kr,
            value=Decimal(str(round(value, places))),
            confidence=confidence,
            note=notes[week % len(notes)] if notes and demo.rng.random() < 0.7 else "",
            by=author,
            measured_at=_moment(day, 9 + week % 8),
        )
        week += 1
        day += dt.timedelta(days=every)


def _objective(
    demo: Demo,
    cycle: Cycle,
    unit: str,
    title: str,
    why: str,
    *,
    type: str = "committed",
    visibility: str = "organization",
    align: list[tuple[Any, str]] | None = None,
) -> Objective:
    objective = objective_create(
        organization=demo.org,
        cycle=cycle,
        unit=demo.units[unit],
        title=title,
        description=why,
        type=type,
        visibility=visibility,
        lead=demo.leads.get(unit, demo.owner),
        state="active",
        by=demo.leads.get(unit, demo.owner),
    )
    for parent, weight in align or []:
        if isinstance(parent, KeyResult):
            alignment_link(
                child=objective, parent_key_result=parent, weight=weight, by=objective.lead
            )
        else:
            alignment_link(
                child=objective, parent_objective=parent, weight=weight, by=objective.lead
            )
    return objective


def _kr(
    demo: Demo,
    objective: Objective,
    unit: str,
    title: str,
    kind: str,
    start: Any,
    target: Any,
    *,
    fmt: str = "number",
    label: str = "",
    currency: str = "",
    decimals: int = 0,
    weight: Any = 1,
    aspirational: bool = False,
    owner: User | bool | None = True,
) -> KeyResult:
    people = demo.members.get(unit) or [demo.leads.get(unit, demo.owner)]
    chosen = (
        None if owner is None else (owner if isinstance(owner, User) else demo.rng.choice(people))
    )
    return key_result_create(
        objective=objective,
        title=title,
        kind=kind,
        start=start,
        target=target,
        value_format=fmt,
        unit_label=label,
        currency=currency,
        decimals=decimals,
        weight=weight,
        aspirational=aspirational,
        owner=chosen,
        by=objective.lead,
    )


NOTES = [
    "Steady week; the new email sequence is live.",
    "Dipped after the holiday, recovering.",
    "Two big accounts moved this week.",
    "Blocked on data access for two days.",
    "Experiment B is winning so far.",
    "Slower than hoped; we are changing the approach.",
]


def _current_quarter(demo: Demo, cycle: Cycle) -> None:
    until = demo.today
    c1 = _objective(
        demo,
        cycle,
        NAME,
        "New customers succeed in their first week",
        "Accounts that reach value in week one stay for years; most churn starts "
        "with a confusing first week.",
    )
    c2 = _objective(
        demo,
        cycle,
        NAME,
        "Grow revenue from the teams that already trust us",
        "Expansion is our cheapest growth and tells us we are genuinely useful.",
    )
    c3 = _objective(
        demo,
        cycle,
        NAME,
        "Run a calmer, more dependable service",
        "Every incident costs customer trust and a week of focus.",
    )

    plan: list[tuple[str, str, str, list[Any], list[tuple[Any, ...]], str]] = [
        (
            "Onboarding",
            "Make the first week effortless for new teams",
            "Activation is the strongest predictor of renewal.",
            [(c1, "0.6")],
            [
                ("Raise week-one activation from 32% to 45%", "increase", 32, 45, "percent"),
                (
                    "Cut median time to first OKR from 3.5 to 1.5 days",
                    "decrease",
                    "3.5",
                    "1.5",
                    "number",
                    "days",
                    1,
                ),
                ("Lift setup-checklist completion from 41% to 70%", "increase", 41, 70, "percent"),
            ],
            "committed",
        ),
        (
            "Platform",
            "Nobody notices our infrastructure",
            "Reliability work should be invisible to customers.",
            [(c3, "0.7")],
            [
                ("Keep monthly uptime above 99.9%", "keep_above", None, "99.9", "percent", "", 2),
                ("Reduce p95 page load from 1800 to 900 ms", "decrease", 1800, 900, "number", "ms"),
                ("Bring paging alerts per week from 14 to 4", "decrease", 14, 4),
            ],
            "committed",
        ),
        (
            "Mobile",
            "The mobile app becomes the quickest way to check in",
            "People update OKRs when it takes seconds, wherever they are.",
            [(c1, "0.4")],
            [
                ("Grow weekly mobile check-ins from 800 to 2500", "increase", 800, 2500),
                (
                    "Raise app-store rating from 3.9 to 4.5",
                    "increase",
                    "3.9",
                    "4.5",
                    "number",
                    "stars",
                    1,
                ),
            ],
            "aspirational",
        ),
        (
            "Sales",
            "Win the mid-market teams we keep losing to spreadsheets",
            "We lose deals to 'we will just use a sheet'; that is a message problem.",
            [(c2, "0.5")],
            [
                (
                    "Increase mid-market new bookings from EUR 120000 to EUR 210000",
                    "increase",
                    120000,
                    210000,
                    "currency",
                    "",
                    0,
                    "EUR",
                ),
                (
                    "Raise win rate against spreadsheets from 18% to 30%",
                    "increase",
                    18,
                    30,
                    "percent",
                ),
                ("Launch the new pricing page", "milestone", None, None),
            ],
            "committed",
        ),
        (
            "Customer Success",
            "Customers renew because they see results",
            "Renewals follow customers who can show their own progress to their bosses.",
            [(c2, "0.5")],
            [
                ("Lift net revenue retention from 104% to 112%", "increase", 104, 112, "percent"),
                ("Keep first-response time below 4 hours", "keep_below", None, 4, "number", "h"),
                ("Grow accounts with a quarterly review from 20 to 60", "increase", 20, 60),
            ],
            "committed",
        ),
        (
            "Finance",
            "Close the books in 5 days",
            "A number in the title hints at a KPI rather than an objective.",
            [],
            [
                ("Reduce month-end close from 9 to 5 working days", "decrease", 9, 5),
            ],
            "committed",
        ),
        (
            "People",
            "Hire the people the roadmap depends on",
            "",
            [],
            [
                ("Fill 6 of the 8 open engineering roles", "increase", 0, 6),
                ("Raise offer acceptance from 60% to 80%", "increase", 60, 80, "percent"),
            ],
            "committed",
        ),
    ]
    made: dict[str, list[KeyResult]] = {}
    for unit, title, why, align, specs, kind in plan:
        objective = _objective(demo, cycle, unit, title, why, type=kind, align=align)
        made[unit] = []
        for index, spec in enumerate(specs):
            title_kr, kr_kind, start, target, *rest = spec
            fmt = rest[0] if rest else "number"
            label = rest[1] if len(rest) > 1 else ""
            decimals = rest[2] if len(rest) > 2 else 0
            currency = rest[3] if len(rest) > 3 else ""
            kr = _kr(
                demo,
                objective,
                unit,
                title_kr,
                kr_kind,
                start,
                target,
                fmt=fmt,
                label=label,
                decimals=decimals,
                currency=currency,
                aspirational=(unit == "Onboarding" and index == 2),
                owner=None if unit == "People" and index == 1 else True,
            )
            made[unit].append(kr)

    # Marketing contributes to one of Sales' key results, not to an objective.
    marketing = _objective(
        demo,
        cycle,
        "Marketing",
        "Be the obvious choice for teams new to OKRs",
        "Most buyers have never run OKRs; the first good guide wins them.",
        align=[(made["Sales"][1], "0.5")],
    )
    made["Marketing"] = [
        _kr(
            demo,
            marketing,
            "Marketing",
            "Grow organic sign-ups from 900 to 1500 a month",
            "increase",
            900,
            1500,
        ),
        _kr(
            demo,
            marketing,
            "Marketing",
            "Raise trial-to-paid conversion from 9% to 13%",
            "increase",
            9,
            13,
            fmt="percent",
        ),
    ]
    _objective(
        demo,
        cycle,
        "Platform",
        "Prepare the data store for the next 10x",
        "Capacity planning the board does not need to see yet.",
        visibility="private",
        align=[(c3, "0.3")],
    )

    paces = {
        "Onboarding": 0.9,
        "Platform": 1.0,
        "Mobile": 0.6,
        "Sales": 0.75,
        "Customer Success": 1.05,
        "Finance": 0.5,
        "People": 0.8,
        "Marketing": 0.95,
    }
    for unit, krs in made.items():
        for index, kr in enumerate(krs):
            author = kr.owner or demo.leads[unit]
            if unit == "People" and index == 1:
                continue  # never checked in
            skip = 21 if (unit == "Mobile" and index == 1) else 0  # stale
            _history(
                demo,
                kr,
                cycle,
                pace=paces[unit] + demo.rng.uniform(-0.15, 0.15),
                until=until,
                author=author,
                notes=NOTES,
                skip_last=skip,
            )
        if krs:
            for number, title in enumerate(
                ["Interview five churned teams", "Ship the guided setup", "Weekly review ritual"]
            ):
                initiative_create(
                    key_result=krs[0],
                    title=f"{title}",
                    owner=krs[0].owner,
                    status=["done", "doing", "planned"][number],
                    by=demo.owner,
                )
                if unit not in ("Onboarding", "Sales"):
                    break


def _previous_quarter(demo: Demo, cycle: Cycle) -> None:
    objective = _objective(
        demo,
        cycle,
        "Onboarding",
        "Understand why new teams stall",
        "We guessed at onboarding problems for too long.",
    )
    kr = _kr(
        demo,
        objective,
        "Onboarding",
        "Interview 40 teams that stalled in week one",
        "increase",
        0,
        40,
    )
    kr2 = _kr(
        demo,
        objective,
        "Onboarding",
        "Raise week-one activation from 27% to 32%",
        "increase",
        27,
        32,
        fmt="percent",
    )
    sales = _objective(demo, cycle, "Sales", "Build a pipeline we can trust", "")
    kr3 = _kr(
        demo,
        sales,
        "Sales",
        "Grow qualified pipeline from EUR 300000 to EUR 500000",
        "increase",
        300000,
        500000,
        fmt="currency",
        currency="EUR",
    )
    for item, pace in ((kr, 1.0), (kr2, 1.05), (kr3, 0.7)):
        _history(
            demo,
            item,
            cycle,
            pace=pace,
            until=cycle.end,
            author=item.owner or demo.owner,
            notes=NOTES,
        )


@transaction.atomic
def build_demo(
    today: dt.date | None = None, seed: int = 2026
) -> tuple[Organization, dict[str, str]]:
    """Build Northwind Labs; returns the organization and the logins to print."""
    today = today or timezone.localdate()
    owner = User.objects.filter(
        email="maya.okafor@example.com"
    ).first() or User.objects.create_user(email="maya.okafor@example.com", name="Maya Okafor")
    org = organization_create(
        name=NAME, slug=SLUG, owner=owner, time_zone=TIME_ZONE, approval_required=True
    )
    demo = Demo(org=org, today=today, rng=random.Random(seed), owner=owner)
    demo.logins["owner"] = owner.email
    _people(demo)
    fy = periods.fiscal_year_of(today, org.fiscal_year_start_month)
    cycles = cycles_create_for_year(organization=org, year=fy, by=owner)
    previous_day = periods.add_months(dt.date(today.year, today.month, 1), -3)
    if periods.fiscal_year_of(previous_day, org.fiscal_year_start_month) != fy:
        cycles += cycles_create_for_year(organization=org, year=fy - 1, by=owner)
    quarters = [c for c in cycles if c.kind == "quarter"]
    current = next(c for c in quarters if c.start <= today <= c.end)
    previous = next(c for c in quarters if c.start <= previous_day <= c.end)
    for cycle in (previous, current):
        cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=owner)
    _previous_quarter(demo, previous)
    cycle_set_state(cycle=previous, state=CycleState.CLOSED, by=owner)
    _current_quarter(demo, current)
    return org, demo.logins


def demo_delete() -> bool:
    """Remove the demo organization and the people who belong to no other organization."""
    org = Organization.objects.filter(slug=SLUG).first()
    if org is None:
        return False
    with transaction.atomic():
        people = list(
            User.objects.filter(memberships__organization=org).values_list("id", flat=True)
        )
        # Objectives and cycles are protected against accidental deletion; remove them in order.
        Objective.objects.filter(organization=org).delete()
        Cycle.objects.filter(organization=org, parent__isnull=False).delete()
        Cycle.objects.filter(organization=org).delete()
        units = Unit.objects.filter(organization=org)
        while units.exists():  # leaves first: a unit protects the units below it
            units.filter(children__isnull=True).delete()
        org.delete()
        User.objects.filter(id__in=people, memberships__isnull=True).delete()
    return True
