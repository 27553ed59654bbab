"""The demo KPIs: realistic, weekly, one out of health, the same every time."""

from __future__ import annotations

import itertools

from tenfold.kpis.demo import demo_kpis
from tenfold.kpis.models import KpiValue

from .conftest import TODAY


def test_demo_adds_kpis_with_weekly_values_and_one_unhealthy(org, company, team, alice):
    made = demo_kpis(org, alice, {"Customer Success": team, "Platform": team}, TODAY)
    assert 4 <= len(made) <= 6
    assert [k.health for k in made].count("unhealthy") == 1
    for kpi in made:
        days = sorted(v.measured_at.date() for v in KpiValue.objects.filter(kpi=kpi))
        assert len(days) == 12
        assert {(b - a).days for a, b in itertools.pairwise(days)} == {7}
    # Units missing from the mapping fall back to the company.
    assert {k.name: k.unit for k in made}["Sales pipeline coverage"] is None


def test_demo_is_deterministic(org, alice, other_org, mallory):
    first = demo_kpis(org, alice, {}, TODAY)
    second = demo_kpis(other_org, mallory, {}, TODAY)

    def shape(kpis):
        return [
            (k.name, k.current, [v.value for v in KpiValue.objects.filter(kpi=k)]) for k in kpis
        ]

    assert shape(first) == shape(second)
