"""The demo organization: Northwind Labs, a software company of about sixty people.

Everything is written through the services, so audit events, stored progress, approvals and
alignment are exactly what real use would produce. Dates are relative to `today`: the current
quarter is always the real one and the previous quarter is closed, with a whole quarter of
weekly check-ins behind it.

Mostly good OKRs (outcomes with numbers, aligned up to the company), plus the classic mistakes
for the coach to find; each is marked `# mistake:` below:
a task posing as a key result, a milestone, an output counted as a key result, a number in an
objective's title, an objective with a single key result, a team with five objectives, a key
result nobody owns, team objectives linked to nothing, a stale key result, one never checked in,
and a private objective.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import unicodedata
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from tenfold.accounts.models import User
from tenfold.accounts.services import addresses_verified
from tenfold.audit.services import recorded_at
from tenfold.checkins.services import checkin_record
from tenfold.lib import periods
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind
from tenfold.organizations.services import organization_create, person_add, unit_create

from .models import Cycle, CycleKind, CycleState, KeyResult, Objective, ObjectiveState
from .services import (
    alignment_link,
    cycle_set_state,
    cycles_create_for_year,
    initiative_create,
    key_result_create,
    objective_create,
    objective_set_state,
)

SLUG = "northwind"
NAME = "Northwind Labs"
PASSWORD = "northwind-demo"  # nosec B105  # the demo's sign-in, printed for the visitor
TIME_ZONE = "Europe/Madrid"
FISCAL_MONTH = 1  # the fiscal year is the calendar year
SEED = 2026
EMAIL_DOMAIN = "example.com"  # reserved for examples: no mail can ever reach a real person

OWNER = "Maya Okafor"
ADMIN = "Lucía Ferreira"
VIEWERS = ["Helen Achterberg", "Omar Farouk"]
# department: (head, {team: (lead, members)})
ORG_CHART: dict[str, tuple[str, dict[str, tuple[str, list[str]]]]] = {
    "Product & Engineering": (
        "Kenji Watanabe",
        {
            "Onboarding": (
                "Priya Raman",
                [
                    "Noah Fischer",
                    "Aiko Tanaka",
                    "Rafael Costa",
                    "Ingrid Nilsen",
                    "Arjun Mehta",
                    "Chloé Moreau",
                ],
            ),
            "Platform": (
                "Tomás Herrera",
                [
                    "Oskar Novak",
                    "Hiroshi Sato",
                    "Emeka Eze",
                    "Freya Larsen",
                    "Luca Bianchi",
                    "Nadia Petrova",
                    "Samuel Adeyemi",
                ],
            ),
            "Mobile": (
                "Mei Chen",
                ["Yara Aziz", "Felix Kraus", "Wei Zhang", "Camila Duarte", "Ravi Iyer"],
            ),
        },
    ),
    "Go-to-market": (
        "Amara Nwosu",
        {
            "Sales": (
                "Jonas Becker",
                [
                    "Diego García",
                    "Hannah Vogel",
                    "Olumide Adebayo",
                    "Elena Popescu",
                    "Marcus Johansson",
                    "Sarah Goldberg",
                    "Kai Nakamura",
                ],
            ),
            "Marketing": (
                "Leila Haddad",
                ["Isabela Santos", "Tariq Rahman", "Anouk de Vries", "Grace Liu", "Mateo Ruiz"],
            ),
            "Customer Success": (
                "Kwame Mensah",
                [
                    "Ama Owusu",
                    "Björn Halvorsen",
                    "Keiko Mori",
                    "Pablo Navarro",
                    "Tanvi Shah",
                    "Liam O'Brien",
                ],
            ),
        },
    ),
    "Operations": (
        "Henrik Lindqvist",
        {
            "Finance": (
                "Sofia Rossi",
                ["Dmitri Volkov", "Nia Thompson", "Paolo Ricci", "Soo-jin Park"],
            ),
            "People": (
                "Zainab Bello",
                ["Aisha Abdi", "Jakob Weber", "Marisol Vega", "Tevita Fonua"],
            ),
        },
    ),
}
# A designer who works with two teams.
ALSO_IN = {"Chloé Moreau": "Mobile"}
# The sign-ins `tenfold demo` prints: (label, person).
LOGINS = [
    (gettext_noop("owner"), OWNER),
    (gettext_noop("admin"), ADMIN),
    (gettext_noop("department head"), "Kenji Watanabe"),
    (gettext_noop("team lead"), "Priya Raman"),
    (gettext_noop("member"), "Noah Fischer"),
    (gettext_noop("viewer"), VIEWERS[0]),
]


def email_of(name: str, domain: str = EMAIL_DOMAIN) -> str:
    """“Chloé Moreau” → chloe.moreau@example.com (or @`domain`)"""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(plain.lower().replace("'", "").split())
    return f"{local}@{domain}"


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, email, name) of the people worth signing in as."""
    return [(label, email_of(name), name) for label, name in LOGINS]


# --- the OKRs, as data --------------------------------------------------------------------------


@dataclass(frozen=True)
class KR:
    title: str
    kind: str
    start: Any
    target: Any
    fmt: str = "number"
    label: str = ""
    currency: str = ""
    decimals: int = 0
    weight: str = "1"
    aspirational: bool = False
    owned: bool = True
    owner: str = ""
    """A named owner; otherwise someone from the owning unit."""
    history: str = "weekly"
    """weekly · stale (nothing for three weeks) · never (no check-in at all)"""
    spread: float = 0
    """For keep-above/below: how far readings wander from the threshold."""
    done_at: float | None = None
    """For milestones: the share of the cycle after which it reads as done."""


@dataclass(frozen=True)
class Obj:
    key: str
    unit: str
    title: str
    why: str
    krs: tuple[KR, ...] = ()
    align: tuple[tuple[str, str], ...] = ()
    """(parent, contribution): "C1" is an objective, "C2/0" the first key result of C2."""
    type: str = "committed"
    visibility: str = "organization"
    state: str = ObjectiveState.ACTIVE


YEAR_OBJECTIVE = Obj(
    "Y",
    NAME,
    "Become the OKR tool small companies recommend to each other",
    "Word of mouth is how teams like ours find their tools, and it only happens when the "
    "product keeps its promise week after week.",
)

CURRENT: list[Obj] = [
    # Company: two objectives without key results (moved by the teams aligned to them), one
    # with key results of its own.
    Obj(
        "C1",
        NAME,
        "New customers succeed in their first week",
        "Teams that land their first check-in in week one are still with us a year later; "
        "most churn starts with a confusing first week.",
        align=(("Y", "0.4"),),
    ),
    Obj(
        "C2",
        NAME,
        "Grow revenue from the teams that already trust us",
        "Expansion is our cheapest growth and the clearest sign that we are genuinely useful.",
        krs=(
            KR(
                "Grow annual recurring revenue from EUR 4.2M to EUR 5.0M",
                "increase",
                4200000,
                5000000,
                fmt="currency",
                currency="EUR",
                owner="Amara Nwosu",
                weight="2",
            ),
            KR(
                "Raise expansion's share of new revenue from 22% to 35%",
                "increase",
                22,
                35,
                fmt="percent",
                decimals=1,
                owner="Kwame Mensah",
            ),
            KR(
                "Keep gross margin above 78%",
                "keep_above",
                None,
                78,
                fmt="percent",
                decimals=1,
                owner="Henrik Lindqvist",
                spread=3,
            ),
        ),
        align=(("Y", "0.4"),),
    ),
    Obj(
        "C3",
        NAME,
        "Run a calmer, more dependable service",
        "Every incident costs customer trust and a week of focus we would rather spend on the "
        "product.",
        align=(("Y", "0.2"),),
    ),
    # Departments: objectives only, moved by their teams.
    Obj(
        "PE",
        "Product & Engineering",
        "Ship fewer, better things with less firefighting",
        "Last quarter we spread ourselves thin; this one is about depth and quality.",
        align=(("C3", "0.6"),),
    ),
    Obj(
        "GTM",
        "Go-to-market",
        "Turn happy customers into our best sales channel",
        "Referred teams close twice as fast and churn half as often.",
        align=(("C2", "1"),),
    ),
    # Onboarding
    Obj(
        "ON1",
        "Onboarding",
        "Make the first week effortless for new teams",
        "Activation in week one is the strongest predictor of renewal we have.",
        krs=(
            KR(
                "Raise week-one activation from 32% to 45%",
                "increase",
                32,
                45,
                fmt="percent",
                decimals=1,
                weight="2",
            ),
            KR(
                "Cut median time to first check-in from 3.5 to 1.5 days",
                "decrease",
                "3.5",
                "1.5",
                label="days",
                decimals=1,
            ),
            # One aspirational key result inside a committed objective.
            KR(
                "Lift setup-checklist completion from 41% to 70%",
                "increase",
                41,
                70,
                fmt="percent",
                aspirational=True,
            ),
            KR(
                "Keep onboarding support tickets below 60 a week",
                "keep_below",
                None,
                60,
                label="tickets",
                spread=15,
            ),
        ),
        align=(("C1", "0.6"),),
    ),
    Obj(
        "ON2",
        "Onboarding",
        "New admins write OKRs they believe in",
        "An organization whose first OKRs are vague gives up by the second cycle.",
        krs=(
            KR(
                "Raise first OKRs with a measurable key result from 48% to 75%",
                "increase",
                48,
                75,
                fmt="percent",
            ),
            KR(
                "Grow new organizations that start from a template from 22% to 40%",
                "increase",
                22,
                40,
                fmt="percent",
            ),
        ),
        align=(("C1", "0.4"),),
    ),
    # Platform
    Obj(
        "PL1",
        "Platform",
        "Nobody notices our infrastructure",
        "Reliability work should be invisible to customers; they notice only when it fails.",
        krs=(
            KR(
                "Keep monthly uptime above 99.9%",
                "keep_above",
                None,
                "99.9",
                fmt="percent",
                decimals=2,
                spread=0.08,
            ),
            KR(
                "Reduce p95 page load from 1,800 ms to 900 ms",
                "decrease",
                1800,
                900,
                label="ms",
            ),
            KR("Bring paging alerts down from 14 to 4 a week", "decrease", 14, 4, label="alerts"),
        ),
        align=(("PE", "0.6"),),
    ),
    Obj(
        "PL2",
        "Platform",
        "Deploys become boring",
        "Fear of deploying makes every change bigger and every incident worse.",
        krs=(
            KR(
                "Cut lead time from merge to production from 26 to 6 hours",
                "decrease",
                26,
                6,
                label="h",
            ),
            KR(
                "Lower change failure rate from 18% to 8%",
                "decrease",
                18,
                8,
                fmt="percent",
            ),
            # mistake: a milestone — done or not done is a plan, not a key result.
            KR("Move every service to the new deploy pipeline", "milestone", None, None),
        ),
        align=(("PE", "0.4"),),
    ),
    Obj(
        # mistake: private objective (hiding OKRs erodes trust; the coach watches the share).
        "PL3",
        "Platform",
        "Prepare the data store for our next stage of growth",
        "Capacity work we are not ready to discuss company-wide: it involves a vendor change.",
        krs=(
            KR(
                "Raise the load-test ceiling from 2,000 to 12,000 requests a second",
                "increase",
                2000,
                12000,
                label="req/s",
            ),
            KR(
                "Cut the slowest report query from 420 ms to 120 ms",
                "decrease",
                420,
                120,
                label="ms",
            ),
        ),
        align=(("C3", "0.2"),),
        visibility="private",
    ),
    # Mobile: the aspirational objective.
    Obj(
        "MO1",
        "Mobile",
        "The mobile app becomes the quickest way to check in",
        "People update OKRs when it takes seconds, wherever they are.",
        krs=(
            KR("Grow weekly mobile check-ins from 800 to 2,500", "increase", 800, 2500),
            # mistake: stale — nobody has updated it for three weeks.
            KR(
                "Raise the app-store rating from 3.9 to 4.6",
                "increase",
                "3.9",
                "4.6",
                label="stars",
                decimals=1,
                history="stale",
            ),
            KR(
                "Cut median time to check in on mobile from 40 to 12 seconds",
                "decrease",
                40,
                12,
                label="s",
            ),
        ),
        align=(("C1", "0.3"),),
        type="aspirational",
    ),
    Obj(
        "MO2",
        "Mobile",
        "The app stays reliable on poor networks",
        "Half of our mobile check-ins happen on trains and in warehouses.",
        krs=(
            KR(
                "Keep crash-free sessions above 99.5%",
                "keep_above",
                None,
                "99.5",
                fmt="percent",
                decimals=2,
                spread=0.4,
            ),
            KR(
                "Reduce failed offline syncs from 3.2% to 0.5%",
                "decrease",
                "3.2",
                "0.5",
                fmt="percent",
                decimals=1,
            ),
        ),
        align=(("C3", "0.2"),),
    ),
    # Sales
    Obj(
        "SA1",
        "Sales",
        "Win the mid-market teams we keep losing to spreadsheets",
        "We lose deals to “we will just use a sheet”; that is a message problem, not a "
        "product gap.",
        krs=(
            KR(
                "Increase mid-market new bookings from EUR 120,000 to EUR 210,000",
                "increase",
                120000,
                210000,
                fmt="currency",
                currency="EUR",
                weight="2",
            ),
            KR(
                "Raise win rate against spreadsheets from 18% to 30%",
                "increase",
                18,
                30,
                fmt="percent",
            ),
            # mistake: a task posing as a key result.
            KR("Launch the new pricing page", "milestone", None, None, done_at=0.7),
        ),
        align=(("C2/0", "0.6"),),
    ),
    Obj(
        "SA2",
        "Sales",
        "Shorten the road from trial to signature",
        "Long cycles cost us deals to whoever answers first.",
        krs=(
            KR("Reduce lead-to-close time from 34 to 21 days", "decrease", 34, 21, label="days"),
            KR(
                "Grow qualified pipeline from EUR 400,000 to EUR 650,000",
                "increase",
                400000,
                650000,
                fmt="currency",
                currency="EUR",
            ),
        ),
        align=(("GTM", "0.4"),),
    ),
    # Marketing — mistake: an over-eager team with five objectives (three is plenty).
    Obj(
        "MK1",
        "Marketing",
        "Be the obvious choice for teams new to OKRs",
        "Most of our buyers have never run OKRs; whoever teaches them first wins them.",
        krs=(
            KR("Grow organic sign-ups from 900 to 1,500 a month", "increase", 900, 1500),
            KR(
                "Raise trial-to-paid conversion from 9% to 13%",
                "increase",
                9,
                13,
                fmt="percent",
                decimals=1,
            ),
            # mistake: counts work done (an output), not the outcome it should bring.
            KR("Publish two blog posts every week", "increase", 0, 26, label="posts"),
        ),
        align=(("SA1/1", "0.5"),),
    ),
    Obj(
        "MK2",
        "Marketing",
        "Customers tell our story for us",
        "A recommendation from a peer beats any advert we could buy.",
        krs=(
            KR("Grow referral sign-ups from 60 to 150 a month", "increase", 60, 150),
            # mistake: never checked in.
            KR("Lift admin NPS from 31 to 45", "increase", 31, 45, history="never"),
        ),
        align=(("GTM", "0.3"),),
    ),
    Obj(
        "MK3",
        "Marketing",
        "Refresh the brand",
        "The site still looks like our seed-round pitch deck.",
        krs=(
            KR(
                "Raise aided brand awareness in our segment from 6% to 10%",
                "increase",
                6,
                10,
                fmt="percent",
            ),
            KR(
                "Cut time to produce a campaign asset from 5 to 2 days",
                "decrease",
                5,
                2,
                label="days",
            ),
        ),
        align=(("GTM", "0.1"),),
    ),
    Obj(
        "MK4",
        "Marketing",
        "Fill our calendar with events that bring buyers",
        "Events brought a third of last year's pipeline, at a cost nobody tracked.",
        krs=(
            KR("Book 40 qualified meetings at conferences", "reach", None, 40, label="meetings"),
            KR(
                "Cut cost per event lead from EUR 310 to EUR 180",
                "decrease",
                310,
                180,
                fmt="currency",
                currency="EUR",
            ),
        ),
        align=(("GTM", "0.2"),),
    ),
    Obj(
        "MK5",
        "Marketing",
        "Build a webinar programme people come back to",
        "Still waiting for approval: the department head asked whether it fits this quarter.",
        krs=(
            KR(
                "Grow monthly webinar attendance from 120 to 400",
                "increase",
                120,
                400,
                history="never",
            ),
            KR(
                "Raise webinar-to-trial conversion from 4% to 8%",
                "increase",
                4,
                8,
                fmt="percent",
                history="never",
            ),
        ),
        state=ObjectiveState.PROPOSED,
    ),
    # Customer Success
    Obj(
        "CS1",
        "Customer Success",
        "Customers renew because they see results",
        "Renewals follow customers who can show their own progress to their bosses.",
        krs=(
            KR(
                "Lift net revenue retention from 104% to 112%",
                "increase",
                104,
                112,
                fmt="percent",
                weight="2",
            ),
            KR(
                "Keep first-response time below 4 hours",
                "keep_below",
                None,
                4,
                label="h",
                decimals=1,
                spread=1.5,
            ),
            KR("Grow accounts with a quarterly business review from 20 to 60", "increase", 20, 60),
            KR(
                "Cut monthly logo churn from 2.4% to 1.5%",
                "decrease",
                "2.4",
                "1.5",
                fmt="percent",
                decimals=1,
            ),
        ),
        align=(("C2/1", "0.6"),),
    ),
    Obj(
        "CS2",
        "Customer Success",
        "No account at risk goes unnoticed",
        "We heard about our last three churned accounts from their cancellation emails.",
        krs=(
            KR(
                "Raise health-score coverage from 55% to 95% of accounts",
                "increase",
                55,
                95,
                fmt="percent",
            ),
            KR(
                "Reduce at-risk accounts without a recovery plan from 38 to 0",
                "decrease",
                38,
                0,
                label="accounts",
            ),
        ),
        align=(("GTM", "0.4"),),
    ),
    # Finance
    Obj(
        # mistakes: a number in the title (a KPI in disguise), and linked to nothing.
        "FI1",
        "Finance",
        "Close the books in 5 days",
        "Budget owners wait almost two weeks for last month's numbers.",
        krs=(
            KR("Reduce month-end close from 9 to 5 working days", "decrease", 9, 5, label="days"),
            KR(
                "Cut manual journal entries from 140 to 40 a month",
                "decrease",
                140,
                40,
                label="entries",
            ),
        ),
    ),
    Obj(
        "FI2",
        "Finance",
        "Spend where it moves our company objectives",
        "A third of our spend cannot be traced to anything we decided to do.",
        krs=(
            KR(
                "Keep monthly burn below EUR 410,000",
                "keep_below",
                None,
                410000,
                fmt="currency",
                currency="EUR",
                spread=30000,
            ),
            KR(
                "Raise spend tagged to an objective from 35% to 80%",
                "increase",
                35,
                80,
                fmt="percent",
            ),
        ),
        align=(("C2", "0.2"),),
    ),
    # People
    Obj(
        "PP1",
        "People",
        "Hire the people the roadmap depends on",
        "Two roadmap items are blocked on engineers we have not hired yet.",
        krs=(
            KR("Fill 6 of the 8 open engineering roles", "reach", None, 6, label="hires"),
            # mistake: nobody owns this key result.
            KR(
                "Raise offer acceptance from 60% to 80%",
                "increase",
                60,
                80,
                fmt="percent",
                owned=False,
            ),
            KR("Cut time to hire from 52 to 35 days", "decrease", 52, 35, label="days"),
        ),
        align=(("PE", "0.3"),),
    ),
    Obj(
        # mistakes: a single key result, and linked to nothing.
        "PP2",
        "People",
        "New joiners feel at home by their thirtieth day",
        "People who feel lost in their first month are the ones who leave in their first year.",
        krs=(
            KR(
                "Raise the 30-day new-hire survey score from 7.1 to 8.5",
                "increase",
                "7.1",
                "8.5",
                label="/10",
                decimals=1,
            ),
        ),
    ),
]

PREVIOUS: list[Obj] = [
    Obj(
        "P-C1",
        NAME,
        "New teams get going without our help",
        "Every onboarding call we run is one we cannot scale.",
        align=(("Y", "0.5"),),
    ),
    Obj(
        "P-C2",
        NAME,
        "Make revenue predictable",
        "We missed two forecasts in a row and hired on hope.",
        align=(("Y", "0.5"),),
    ),
    Obj(
        "P-ON",
        "Onboarding",
        "Understand where new teams get stuck",
        "We guessed at onboarding problems for too long.",
        krs=(
            KR("Interview 40 teams that stalled in their first week", "increase", 0, 40),
            KR(
                "Raise week-one activation from 27% to 32%",
                "increase",
                27,
                32,
                fmt="percent",
                decimals=1,
            ),
        ),
        align=(("P-C1", "0.7"),),
    ),
    Obj(
        "P-PL",
        "Platform",
        "Stop losing sleep over incidents",
        "On-call burned out two engineers last year.",
        krs=(
            KR("Cut night-time pages from 9 to 3 a month", "decrease", 9, 3, label="pages"),
            KR(
                "Raise alerts that have a runbook from 30% to 90%",
                "increase",
                30,
                90,
                fmt="percent",
            ),
        ),
        align=(("P-C1", "0.3"),),
    ),
    Obj(
        "P-SA",
        "Sales",
        "Build a pipeline we can trust",
        "A forecast is only as good as the pipeline under it.",
        krs=(
            KR(
                "Grow qualified pipeline from EUR 300,000 to EUR 500,000",
                "increase",
                300000,
                500000,
                fmt="currency",
                currency="EUR",
            ),
            KR(
                "Raise forecast accuracy from 62% to 85%",
                "increase",
                62,
                85,
                fmt="percent",
            ),
        ),
        align=(("P-C2", "0.6"),),
    ),
    Obj(
        "P-CS",
        "Customer Success",
        "Know which accounts are at risk before they tell us",
        "Churn surprised us every month last year.",
        krs=(
            KR(
                "Raise accounts with a health score from 10% to 55%",
                "increase",
                10,
                55,
                fmt="percent",
            ),
            KR(
                "Keep first-response time below 6 hours",
                "keep_below",
                None,
                6,
                label="h",
                decimals=1,
                spread=2,
            ),
        ),
        align=(("P-C2", "0.4"),),
    ),
]

# (objective, key result index, title, status, due: days after the cycle starts)
INITIATIVES = [
    ("ON1", 0, "Interview five teams that stalled last month", "done", 20),
    ("ON1", 0, "Ship the guided setup checklist", "doing", 45),
    ("ON1", 1, "Rewrite the welcome email sequence", "planned", 70),
    ("PL1", 1, "Move report rendering off the request path", "doing", 50),
    ("PL1", 2, "Review every alert with the on-call rota", "done", 25),
    ("MO1", 0, "Queue check-ins offline and send them later", "doing", 55),
    ("MO1", 1, "Ask for a rating after the third successful check-in", "done", 30),
    ("SA1", 1, "Side-by-side guide: Northwind or a spreadsheet?", "done", 28),
    ("SA1", 2, "Pricing page copy and design", "doing", 60),
    ("SA2", 0, "Win/loss calls with ten lost deals", "planned", 75),
    ("MK1", 0, "OKR starter guide with worked examples", "doing", 50),
    ("MK4", 0, "Podcast sponsorship trial", "dropped", 40),
    ("CS1", 2, "Quarterly business review template", "done", 21),
    ("CS2", 0, "Health-score alerts in the success inbox", "doing", 48),
    ("FI1", 0, "Automate the bank reconciliation", "doing", 52),
    ("FI1", 0, "Share the close calendar with every budget owner", "done", 14),
    ("PP1", 0, "Structured interview kit for engineers", "doing", 35),
    ("PP1", 1, "Refresh the referral bonus", "planned", 65),
]

# How fast each unit moves against an even line across the cycle (1.0 = exactly on it).
PACE = {
    NAME: 0.85,
    "Onboarding": 0.95,
    "Platform": 1.0,
    "Mobile": 0.55,
    "Sales": 0.75,
    "Marketing": 0.85,
    "Customer Success": 1.05,
    "Finance": 0.6,
    "People": 0.8,
}

NOTES_UP = [
    "Up again: the change we shipped on Tuesday is paying off.",
    "Solid week, mostly thanks to two larger accounts.",
    "Better than expected; we doubled down on what worked last week.",
    "Moving nicely. We keep the experiment running one more week.",
    "Ahead of the line for the first time this quarter.",
    "The new email sequence is live and already helping.",
]
NOTES_FLAT = [
    "Flat. Half the team was on support duty.",
    "No real movement; waiting on the tracking fix before the next try.",
    "Holding steady while we plan next week's experiment.",
    "Same as last week — short week with the public holiday.",
]
NOTES_DOWN = [
    "Slipped back: a tracking bug undercounted Tuesday and Wednesday.",
    "Down this week. Two customers paused their rollout.",
    "Went backwards after the release; we rolled it back on Thursday.",
    "Lost ground. Changing the approach rather than pushing harder.",
]
NOTES_OK = ["Comfortably inside the limit.", "Quiet week, well within bounds.", "No surprises."]
NOTES_BREACH = [
    "Breached on Wednesday; the post-mortem is in the team notes.",
    "Over the line after Monday's spike. Cause found and fixed.",
]
NOTES_MILESTONE = ["Still in progress.", "Design review done, copy next.", "Waiting on legal."]


# --- building -----------------------------------------------------------------------------------


@dataclass
class Demo:
    org: Organization
    today: dt.date
    now: dt.datetime
    rng: random.Random
    owner: User
    zone: zoneinfo.ZoneInfo
    email_domain: str = EMAIL_DOMAIN
    password: str | None = PASSWORD
    people: dict[str, User] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    lead_of: dict[str, User] = field(default_factory=dict)
    staff: dict[str, list[User]] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)


def _people(demo: Demo) -> None:
    org, owner = demo.org, demo.owner
    company = Unit.objects.get(organization=org, parent__isnull=True)
    demo.units[NAME] = company
    demo.people[OWNER] = owner

    def add(name: str, role: str, *, units: list[Unit], lead_of: list[Unit] | None = None) -> User:
        user = person_add(
            organization=org,
            email=email_of(name, demo.email_domain),
            name=name,
            role=role,
            units=units,
            lead_of=lead_of,
            by=owner,
        ).user
        demo.people[name] = user
        return user

    admin = add(ADMIN, Role.ADMIN, units=[company])
    leadership = [owner, admin]
    for department, (head, teams) in ORG_CHART.items():
        dept = unit_create(
            organization=org, name=department, parent=company, kind=UnitKind.DEPARTMENT, by=owner
        )
        demo.units[department] = dept
        demo.lead_of[department] = add(head, Role.LEAD, units=[company], lead_of=[dept])
        demo.staff[department] = [demo.lead_of[department]]
        leadership.append(demo.lead_of[department])
        for team_name, (lead, members) in teams.items():
            team = unit_create(organization=org, name=team_name, parent=dept, by=owner)
            demo.units[team_name] = team
            demo.lead_of[team_name] = add(lead, Role.LEAD, units=[], lead_of=[team])
            demo.staff[team_name] = [demo.lead_of[team_name]] + [
                add(member, Role.MEMBER, units=[team]) for member in members
            ]
    for name, team_name in ALSO_IN.items():
        person_add(
            organization=org,
            email=email_of(name, demo.email_domain),
            role=Role.MEMBER,
            units=[demo.units[team_name]],
            by=owner,
        )
    for name in VIEWERS:
        add(name, Role.VIEWER, units=[company])
    demo.lead_of[NAME] = owner
    demo.staff[NAME] = leadership
    # One hash for everybody: hashing sixty passwords one by one would take most of a minute.
    # Without a password (None) nobody can sign in as these people: no hashing at all.
    everybody = User.objects.filter(email__in=[email_of(n, demo.email_domain) for n in demo.people])
    everybody.update(password=make_password(demo.password))
    # The demo's addresses are made up: nobody could confirm them by mail.
    addresses_verified(everybody)


def _objectives(demo: Demo, cycle: Cycle, specs: list[Obj]) -> list[tuple[Obj, Objective]]:
    """Create the objectives and key results of one cycle the way teams would: drafted by the
    lead, proposed, approved by the lead above, then active; then aligned."""
    made: list[tuple[Obj, Objective]] = []
    for spec in specs:
        unit = demo.units[spec.unit]
        lead = demo.lead_of[spec.unit]
        objective = objective_create(
            organization=demo.org,
            cycle=cycle,
            unit=unit,
            title=spec.title,
            description=spec.why,
            type=spec.type,
            visibility=spec.visibility,
            lead=lead,
            by=lead,
        )
        for kr in spec.krs:
            if not kr.owned:
                owner = None
            elif kr.owner:
                owner = demo.people[kr.owner]
            else:
                owner = demo.rng.choice(demo.staff[spec.unit])
            key_result_create(
                objective=objective,
                title=kr.title,
                kind=kr.kind,
                start=kr.start,
                target=kr.target,
                value_format=kr.fmt,
                currency=kr.currency,
                unit_label=kr.label,
                decimals=kr.decimals,
                weight=kr.weight,
                aspirational=kr.aspirational,
                owner=owner,
                by=lead,
            )
        if objective.state != spec.state:
            approver = _approver(demo, unit)
            objective_set_state(objective=objective, state=ObjectiveState.PROPOSED, by=lead)
            if spec.state == ObjectiveState.ACTIVE:
                for state in (ObjectiveState.APPROVED, ObjectiveState.ACTIVE):
                    objective_set_state(
                        objective=objective, state=state, by=approver, may_approve=True
                    )
        demo.objectives[spec.key] = objective
        made.append((spec, objective))
    for spec, objective in made:
        for parent, weight in spec.align:
            key, _, index = parent.partition("/")
            target = demo.objectives[key]
            if index:
                alignment_link(
                    child=objective,
                    parent_key_result=target.key_results.order_by("order")[int(index)],
                    weight=weight,
                    by=objective.lead,
                )
            else:
                alignment_link(
                    child=objective, parent_objective=target, weight=weight, by=objective.lead
                )
    return made


def _approver(demo: Demo, unit: Unit) -> User:
    """Who approves a unit's objectives: the lead of the unit above (the owner at the top)."""
    above = [name for name, u in demo.units.items() if u.pk == unit.parent_id]
    return demo.lead_of[above[0]] if above else demo.owner


def _checkin_days(demo: Demo, cycle: Cycle, until: dt.date, weekday: int) -> list[dt.date]:
    """The team's weekly check-in days after the cycle's first few days, before `until`;
    now and then a week is missed (never one of the last two, which would make it stale).
    In a cycle's first fortnight, two early readings, so a fresh quarter is not blank."""
    first = cycle.start + dt.timedelta(days=(weekday - cycle.start.weekday()) % 7)
    if (first - cycle.start).days < 3:
        first += dt.timedelta(days=7)
    days = []
    day = first
    while day < until:
        days.append(day)
        day += dt.timedelta(days=7)
    if len(days) < 2:
        elapsed = (until - cycle.start).days
        days = sorted({cycle.start + dt.timedelta(days=n) for n in (elapsed // 2, elapsed - 1)})
        return [d for d in days if cycle.start <= d < until]
    return [d for i, d in enumerate(days) if i >= len(days) - 2 or demo.rng.random() > 0.08]


def _history(
    demo: Demo, unit: str, spec: KR, kr: KeyResult, cycle: Cycle, days: list[dt.date]
) -> None:
    """Weekly readings that move roughly at the unit's pace, wobble, and sometimes go back."""
    rng = demo.rng
    length = (cycle.end - cycle.start).days + 1
    pace = PACE[unit] + rng.uniform(-0.2, 0.2)
    head = rng.uniform(0.02, 0.1)
    drift = 0.0
    author = kr.owner or demo.lead_of[unit]
    aspirational = kr.aspirational or kr.objective.type == "aspirational"
    previous: float | None = None
    for day in days:
        share = (day - cycle.start).days / length
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        measured_at = moment.replace(tzinfo=demo.zone)
        if measured_at >= demo.now:
            break
        if kr.kind in ("keep_above", "keep_below"):
            swing = spec.spread * rng.uniform(-0.3, 1.0)
            value = float(kr.target) + (swing if kr.kind == "keep_above" else -swing)
            ok = swing >= 0
            confidence = (8 if ok else 5) + rng.choice((-1, 0, 0, 1))
            note = rng.choice(NOTES_OK if ok else NOTES_BREACH)
        elif kr.kind == "milestone":
            if previous == 1:
                break  # done is done: nothing more to report
            done = spec.done_at is not None and share >= spec.done_at
            value = previous = 1.0 if done else 0.0
            confidence = 9 if done else rng.choice((5, 6, 7))
            note = "Shipped!" if done else rng.choice(NOTES_MILESTONE)
        else:
            drift = 0.5 * drift + rng.gauss(0, 0.035)
            if rng.random() < 0.12:
                drift -= rng.uniform(0.03, 0.08)  # a setback
            fraction = max(-0.03, head + pace * share + drift)
            start = float(kr.start if kr.start is not None else 0)
            value = start + (float(kr.target) - start) * fraction
            if start >= 0 and kr.target >= 0:
                value = max(0.0, value)  # overshooting “down to zero” still counts people
            gap = fraction - share
            confidence = round(7 + 12 * gap + rng.gauss(0, 0.8) - (2 if aspirational else 0))
            moved = 0.0 if previous is None else fraction - previous
            previous = fraction
            note = rng.choice(
                NOTES_UP if moved > 0.03 else NOTES_DOWN if moved < -0.01 else NOTES_FLAT
            )
        if kr.value_format == "currency" and abs(value) >= 1000:
            number = Decimal(round(value, -2))
        else:
            number = Decimal(str(round(value, kr.decimals)))
        # The activity feed reads the audit log: date the event when the reading was taken.
        with recorded_at(measured_at):
            checkin_record(
                key_result=kr,
                value=number.quantize(Decimal(1).scaleb(-kr.decimals)),
                confidence=max(0, min(10, confidence)),
                note=note if rng.random() < 0.6 else "",
                by=author,
                measured_at=measured_at,
            )


def _run_cycle(demo: Demo, cycle: Cycle, made: list[tuple[Obj, Objective]], until: dt.date) -> None:
    weekdays = {name: index % 5 for index, name in enumerate(PACE)}
    stale_until = demo.today - dt.timedelta(days=21)
    for spec, objective in made:
        if objective.state != ObjectiveState.ACTIVE or not spec.krs:
            continue
        krs = list(objective.key_results.select_related("objective", "owner"))
        days = _checkin_days(demo, cycle, until, weekdays[spec.unit])
        for kr_spec, kr in zip(spec.krs, krs, strict=True):
            if kr_spec.history == "never":
                continue
            chosen = days
            if kr_spec.history == "stale":
                chosen = [d for d in days if d <= stale_until] or days[:1]
            _history(demo, spec.unit, kr_spec, kr, cycle, chosen)


def _initiatives(demo: Demo, cycle: Cycle) -> None:
    for key, index, title, status, due in INITIATIVES:
        objective = demo.objectives[key]
        kr = objective.key_results.order_by("order")[index]
        initiative_create(
            key_result=kr,
            title=title,
            owner=kr.owner or demo.lead_of[objective.unit.name],  # type: ignore[union-attr]
            status=status,
            due=cycle.start + dt.timedelta(days=due),
            by=demo.lead_of[objective.unit.name],  # type: ignore[union-attr]
        )


def _cycles(demo: Demo) -> tuple[Cycle, Cycle, Cycle]:
    """The fiscal year of `today`, its current quarter and the quarter before (which may
    belong to the previous fiscal year)."""
    org, today, owner = demo.org, demo.today, demo.owner
    month = org.fiscal_year_start_month
    year = periods.fiscal_year_of(today, month)
    cycles = cycles_create_for_year(organization=org, year=year, by=owner)
    quarters = [c for c in cycles if c.kind == CycleKind.QUARTER]
    current = next(c for c in quarters if c.start <= today <= c.end)
    before = current.start - dt.timedelta(days=1)
    if before < cycles[0].start:
        earlier = cycles_create_for_year(organization=org, year=year - 1, by=owner)
        quarters = [c for c in earlier if c.kind == CycleKind.QUARTER]
    previous = next(c for c in quarters if c.start <= before <= c.end)
    for cycle in (cycles[0], previous, current):
        cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=owner)
    # Earlier quarters of the year are over: closed, as they would be after their reviews.
    for cycle in Cycle.objects.filter(
        organization=org, kind=CycleKind.QUARTER, state=CycleState.PLANNING, end__lt=previous.start
    ):
        cycle_set_state(cycle=cycle, state=CycleState.ACTIVE, by=owner)
        cycle_set_state(cycle=cycle, state=CycleState.CLOSED, by=owner)
    # The next quarter exists, in planning, so the planning board has something to plan.
    if not Cycle.objects.filter(organization=org, start__gt=current.end).exists():
        cycles_create_for_year(organization=org, year=year + 1, by=owner)
    return cycles[0], previous, current


PLAN_TEXTS = [
    "Run a five-person test of the new flow",
    "Call three customers who stopped using it",
    "Go through last week's numbers with the data team",
    "Ship the copy change on the welcome screen",
    "Draft the experiment plan and ask for review",
    "Pair with support on the top three questions",
    "Fix the bug that breaks the import",
    "Prepare a short update for Friday",
]
ROUTINE_TEXTS = [
    "Answer the support questions assigned to me",
    "Review two pull requests a day",
    "Onboard the new teammate",
    "Tidy up the team's board before the meeting",
]
PROBLEM_TEXTS = [
    "Waiting for data access to measure this",
    "Not sure who decides on the scope",
    "The test environment is down half the time",
]
LESSONS = [
    "Short experiments told us more than long plans",
    "Customers answer faster by phone than by email",
    "Checking in on Friday keeps the Monday meeting short",
]


def _weeks(demo: Demo, cycle: Cycle) -> None:
    """Last week's reports for every team member (most plans done, one left open, a problem
    here and there) and, for about half of them, a start on this week. The open items of last
    week carry over when the week is first opened, as they would for real."""
    from tenfold.checkins.models import Category, WeeklyItem, WeeklyReport
    from tenfold.checkins.weekly import categories_update, week_containing

    org, rng = demo.org, demo.rng
    categories_update(
        organization=org, by=demo.owner, names={}, extras=[("", gettext_noop("Lessons learned"))]
    )
    lessons = next(c["key"] for c in org.extra_categories)
    this_week = week_containing(org, demo.today)
    last_week = this_week - dt.timedelta(days=7)
    done_at = dt.datetime.combine(last_week + dt.timedelta(days=3), dt.time(16), tzinfo=demo.zone)
    krs_of: dict[int, list[KeyResult]] = {}
    for row in KeyResult.objects.filter(
        objective__cycle=cycle, objective__state=ObjectiveState.ACTIVE
    ).select_related("objective"):
        krs_of.setdefault(row.objective.unit_id or 0, []).append(row)
    reports: list[WeeklyReport] = []
    items: list[tuple[int, WeeklyItem]] = []
    for team_name, staff in demo.staff.items():
        unit = demo.units[team_name]
        if unit.kind != UnitKind.TEAM:
            continue
        team_krs = krs_of.get(unit.id, [])
        for person in staff:
            for week, started in ((last_week, True), (this_week, rng.random() < 0.5)):
                if not started:
                    continue
                report = WeeklyReport(organization=org, person=person, week=week)
                reports.append(report)
                index = len(reports) - 1
                count = rng.randint(3, 5) if week == last_week else rng.randint(1, 3)
                for n in range(count):
                    kr: KeyResult | None = (
                        rng.choice(team_krs) if team_krs and rng.random() < 0.75 else None
                    )
                    text = rng.choice(PLAN_TEXTS) if kr else rng.choice(ROUTINE_TEXTS)
                    finished = week == last_week and n < count - 1
                    items.append(
                        (
                            index,
                            WeeklyItem(
                                organization=org,
                                category=Category.PROGRESS if finished else Category.PLANS,
                                text=text,
                                position=n + 1,
                                objective=kr.objective if kr else None,
                                key_result=kr,
                                done_at=done_at if finished else None,
                                added_by=person,
                            ),
                        )
                    )
                if week == last_week and team_krs and rng.random() < 0.3:
                    blocked = rng.choice(team_krs)
                    items.append(
                        (
                            index,
                            WeeklyItem(
                                organization=org,
                                category=Category.PROBLEMS,
                                text=rng.choice(PROBLEM_TEXTS),
                                position=1,
                                objective=blocked.objective,
                                key_result=blocked,
                                added_by=person,
                            ),
                        )
                    )
                if week == last_week and rng.random() < 0.25:
                    items.append(
                        (
                            index,
                            WeeklyItem(
                                organization=org,
                                category=lessons,
                                text=rng.choice(LESSONS),
                                position=1,
                                added_by=person,
                            ),
                        )
                    )
    created = WeeklyReport.objects.bulk_create(reports)
    for index, item in items:
        item.report = created[index]
    WeeklyItem.objects.bulk_create([item for _index, item in items])


def _quarter_start(today: dt.date) -> dt.date:
    """The first day of the quarter of `today`, in the demo's fiscal year."""
    year = periods.fiscal_year_of(today, FISCAL_MONTH)
    return next(q.start for q in periods.quarters(year, FISCAL_MONTH) if q.start <= today <= q.end)


def _build_setup(
    *,
    today: dt.date,
    now: dt.datetime,
    zone: zoneinfo.ZoneInfo,
    seed: int,
    slug: str,
    name: str,
    email_domain: str,
    password: str | None,
) -> tuple[Organization, Demo, list[tuple[Obj, Objective]], Cycle]:
    """The organization, its people and cycles, the closed quarter with its check-ins, and the
    current quarter's objectives and initiatives: (organization, demo, the current quarter's
    objectives, the current quarter)."""
    owner_email = email_of(OWNER, email_domain)
    owner = User.objects.filter(email=owner_email).first() or User.objects.create_user(
        email=owner_email, name=OWNER
    )
    org = organization_create(
        name=name,
        slug=slug,
        owner=owner,
        time_zone=TIME_ZONE,
        fiscal_year_start_month=FISCAL_MONTH,
    )
    demo = Demo(
        org=org,
        today=today,
        now=now,
        rng=random.Random(seed),  # nosec B311  # repeatable demo data, not a secret
        owner=owner,
        zone=zone,
        email_domain=email_domain,
        password=password,
    )
    _people(demo)
    year, previous, current = _cycles(demo)
    _objectives(demo, year, [YEAR_OBJECTIVE])  # moved by the quarters' company objectives

    # The closed quarter: a full quarter of check-ins, then closed as a review would. When it
    # belongs to the previous fiscal year, it cannot count toward this year's objective.
    past = PREVIOUS
    if previous.start < year.start:
        past = [dataclasses.replace(o, align=()) if o.unit == NAME else o for o in PREVIOUS]
    made = _objectives(demo, previous, past)
    _run_cycle(demo, previous, made, previous.end + dt.timedelta(days=1))
    for _spec, objective in made:
        objective_set_state(objective=objective, state=ObjectiveState.CLOSED, by=owner)
    cycle_set_state(cycle=previous, state=CycleState.REVIEWING, by=owner)
    cycle_set_state(cycle=previous, state=CycleState.CLOSED, by=owner)

    made = _objectives(demo, current, CURRENT)
    _initiatives(demo, current)
    # Objectives and key results were written as their cycles began, not when the demo was
    # built: habits and streaks count a key result only from the week after it was written.
    # People joined before all of it.
    Membership.objects.filter(organization=org).update(
        created_at=dt.datetime.combine(
            min(previous.start, year.start), dt.time(9), tzinfo=demo.zone
        )
    )
    for cycle in (previous, current, year):
        written = dt.datetime.combine(cycle.start, dt.time(9), tzinfo=demo.zone)
        Objective.objects.filter(cycle=cycle).update(created_at=written)
        KeyResult.objects.filter(objective__cycle=cycle).update(created_at=written)
    return org, demo, made, current


@transaction.atomic
def build_demo(
    today: dt.date | None = None,
    *,
    seed: int = SEED,
    slug: str = SLUG,
    name: str = NAME,
    email_domain: str = EMAIL_DOMAIN,
    password: str | None = PASSWORD,
) -> Organization:
    """Build Northwind Labs as of `today` (default: today in Madrid). The same `today` and
    seed always give the same organization, apart from the random public codes.

    `slug`, `name` and `email_domain` build a copy beside the demo (a sandbox) whose people
    are other accounts than the demo's; `password=None` leaves those accounts without a
    password anyone could sign in with."""
    zone = zoneinfo.ZoneInfo(TIME_ZONE)
    now = timezone.now()
    today = today or timezone.localdate(now, timezone=zone)
    # Everything in the log up to the current quarter's objectives (the organization, its
    # people, cycles and objectives, the closed quarter's reviews) happened before that
    # quarter's first check-ins, not at the moment the demo is built; check-ins are dated
    # when their reading was taken (see `_history`).
    setup_at = dt.datetime.combine(_quarter_start(today), dt.time(9), tzinfo=zone)
    with recorded_at(setup_at):
        org, demo, made, current = _build_setup(
            today=today,
            now=now,
            zone=zone,
            seed=seed,
            slug=slug,
            name=name,
            email_domain=email_domain,
            password=password,
        )
    _run_cycle(demo, current, made, today)
    _weeks(demo, current)
    from tenfold.kpis.demo import demo_kpis

    demo_kpis(org, demo.owner, demo.units, today)
    from tenfold.ideas.demo import demo_ideas

    demo_ideas(org, demo.units)
    return org


def demo_delete() -> bool:
    """Remove the demo organization and the demo people who belong to no other organization;
    False when there is no demo to remove."""
    org = Organization.objects.filter(slug=SLUG).first()
    if org is None or not is_demo(org):
        return False
    with transaction.atomic():
        people = list(
            User.objects.filter(
                memberships__organization=org, email__endswith=f"@{EMAIL_DOMAIN}"
            ).values_list("id", flat=True)
        )
        # Reviews, KPIs, objectives, cycles and units protect what they point at; remove them
        # in order.
        from tenfold.kpis.models import Kpi
        from tenfold.reviews.models import Review

        Review.objects.filter(organization=org).delete()
        Kpi.objects.filter(organization=org).delete()
        Objective.objects.filter(organization=org).delete()
        Cycle.objects.filter(organization=org, parent__isnull=False).delete()
        Cycle.objects.filter(organization=org).delete()
        units = Unit.objects.filter(organization=org)
        while units.exists():  # leaves first: a unit protects the units below it
            units.filter(children__isnull=True).delete()
        org.delete()
        User.objects.filter(id__in=people, memberships__isnull=True).delete()
    return True


def is_demo(org: Organization) -> bool:
    """Whether this organization is the demo (so `--reset` never deletes a real one)."""
    return (
        org.slug == SLUG
        and org.memberships.filter(role=Role.OWNER, user__email=email_of(OWNER)).exists()
    )
