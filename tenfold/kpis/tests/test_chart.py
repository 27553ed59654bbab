"""The KPI charts: deterministic SVG, the healthy zone on the right side, text escaped."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from tenfold.kpis.chart import kpi_chart, sparkline
from tenfold.lib.charts import Reading

DAY = dt.date(2026, 11, 15)
READINGS = [Reading(DAY - dt.timedelta(weeks=n), D(30 + n)) for n in range(4)]


def chart(**kwargs):
    base = {
        "direction": "higher_is_better",
        "target": D(40),
        "target_high": None,
        "readings": READINGS,
        "today": DAY,
        "title": "History",
    }
    return str(kpi_chart(**{**base, **kwargs}))


def test_it_is_deterministic_and_accessible():
    svg = chart()
    assert svg == chart()
    assert svg.startswith("<svg") and 'role="img"' in svg and "<desc" in svg
    assert svg.count('class="chart-dot"') == 4
    assert "Healthy at or above 40." in svg


def test_a_range_draws_two_target_lines_and_a_band():
    svg = chart(direction="in_range", target=D(30), target_high=D(35))
    assert svg.count('class="chart-target"') == 2
    assert "Healthy between 30 and 35." in svg


def test_text_is_escaped():
    svg = chart(title="<script>alert(1)</script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_an_empty_history_says_so():
    assert "No values yet" in chart(readings=[])


def test_a_sparkline_has_a_line_and_a_target():
    svg = str(sparkline([D(1), D(3), D(2)], target=D(2)))
    assert "<polyline" in svg and 'class="spark-target"' in svg and 'aria-hidden="true"' in svg
    assert str(sparkline([], target=D(2))) == ""
