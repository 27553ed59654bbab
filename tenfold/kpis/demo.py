"""Demo KPIs: a handful of realistic health metrics with about three months of weekly values,
one of them out of health, so the KPI pages and "write an OKR for this" have something to show.

Deterministic: the values come from fixed series, not from a random generator, so two demos
built for the same day are identical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenfold.organizations.models import Organization, Unit

from .models import Direction, Kpi
from .services import kpi_create, kpi_record_value

WEEKS = 12


@dataclass(frozen=True)
class DemoKpi:
    name: str
    unit: str | None  # a unit's name in the demo; None for the whole company
    description: str
    direction: str
    target: str
    values: str  # weekly values, oldest first, separated by spaces
    target_high: str | None = None
    value_format: str = "number"
    unit_label: str = ""
    currency: str = ""
    decimals: int = 0
    note: str = ""


DEMO_KPIS = (
    DemoKpi(
        name="Monthly recurring revenue",
        unit=None,
        description="Subscription revenue booked for the month, net of refunds.",
        direction=Direction.HIGHER_IS_BETTER,
        target="180000",
        value_format="currency",
        currency="EUR",
        values=(
            "181200 182900 183400 185100 186700 186200 188900 190300 191800 193500 194100 196400"
        ),
    ),
    DemoKpi(
        name="Support first reply time",
        unit="Customer Success",
        description="Median time to the first human reply on a support ticket.",
        direction=Direction.LOWER_IS_BETTER,
        target="4",
        unit_label="hours",
        decimals=1,
        values="3.2 3.4 3.1 3.6 3.9 4.3 4.8 5.2 5.6 5.9 6.3 6.8",
        note="Two people on leave; the queue keeps growing.",
    ),
    DemoKpi(
        name="API availability",
        unit="Platform",
        description="Share of minutes the public API answered within its latency budget.",
        direction=Direction.HIGHER_IS_BETTER,
        target="99.9",
        value_format="percent",
        decimals=2,
        values="99.95 99.97 99.92 99.99 99.96 99.94 99.98 99.93 99.97 99.95 99.99 99.96",
    ),
    DemoKpi(
        name="Logo churn",
        unit="Customer Success",
        description="Customers who cancelled in the last 30 days, as a share of all customers.",
        direction=Direction.LOWER_IS_BETTER,
        target="2",
        value_format="percent",
        decimals=1,
        values="1.9 1.8 1.8 1.7 1.9 1.6 1.7 1.5 1.6 1.4 1.5 1.4",
    ),
    DemoKpi(
        name="Sales pipeline coverage",
        unit="Sales",
        description="Open pipeline divided by the quarter's remaining quota.",
        direction=Direction.IN_RANGE,
        target="3",
        target_high="5",
        unit_label="×",
        decimals=1,
        values="3.4 3.6 3.5 3.8 3.7 3.9 4.1 3.9 3.8 4.0 3.7 3.6",
    ),
)


def demo_kpis(org: Organization, owner: Any, units: dict[str, Unit], today: dt.date) -> list[Kpi]:
    """Add the demo KPIs to `org`, each with a weekly value for the twelve weeks up to `today`.
    A KPI whose unit is missing from `units` belongs to the whole company. "Support first reply
    time" ends out of health."""
    made: list[Kpi] = []
    for spec in DEMO_KPIS:
        kpi = kpi_create(
            organization=org,
            name=spec.name,
            unit=units.get(spec.unit) if spec.unit else None,
            description=spec.description,
            direction=spec.direction,
            target=Decimal(spec.target),
            target_high=Decimal(spec.target_high) if spec.target_high else None,
            value_format=spec.value_format,
            unit_label=spec.unit_label,
            currency=spec.currency,
            decimals=spec.decimals,
            owner=owner,
            by=owner,
        )
        series = spec.values.split()
        for week, value in enumerate(series):
            day = today - dt.timedelta(weeks=WEEKS - 1 - week)
            last = week == len(series) - 1
            kpi_record_value(
                kpi=kpi,
                value=value,
                measured_at=day,
                note=spec.note if last else "",
                by=owner,
            )
        kpi.refresh_from_db()
        made.append(kpi)
    return made
