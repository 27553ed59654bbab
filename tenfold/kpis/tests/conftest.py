"""KPI fixtures: a Growth-team KPI that is out of health, time frozen inside the test cycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tenfold.kpis.models import Kpi
from tenfold.kpis.services import kpi_create, kpi_record_value

NOW = "2026-11-15 12:00:00+00:00"
TODAY = dt.date(2026, 11, 15)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def kpi(org: Any, team: Any, carol: Any) -> Kpi:
    """Weekly activation rate of Growth: healthy at 40 % or more, last measured at 32 %."""
    made = kpi_create(
        organization=org,
        unit=team,
        name="Weekly activation",
        direction="higher_is_better",
        target="40",
        value_format="percent",
        owner=carol,
        by=carol,
    )
    for weeks_ago, value in ((3, "41"), (2, "38"), (1, "35"), (0, "32")):
        kpi_record_value(
            kpi=made,
            value=value,
            measured_at=TODAY - dt.timedelta(weeks=weeks_ago),
            by=carol,
        )
    made.refresh_from_db()
    return made


def add_values(kpi: Kpi, count: int, by: Any) -> None:
    for n in range(count):
        kpi_record_value(
            kpi=kpi,
            value=Decimal(30 + n % 7),
            measured_at=TODAY - dt.timedelta(days=count - n),
            by=by,
        )
