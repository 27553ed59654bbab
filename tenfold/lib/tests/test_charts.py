"""The key-result chart: geometry, kinds, edge cases and escaping, without a database."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from itertools import pairwise

import pytest
from django.utils.safestring import SafeString

from tenfold.lib.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    Projection,
    Reading,
    Scale,
    date_ticks,
    key_result_chart,
    nice_step,
    value_range,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
TODAY = dt.date(2026, 11, 15)


def chart(**kwargs):
    kwargs.setdefault("kind", "increase")
    kwargs.setdefault("start", D(20))
    kwargs.setdefault("target", D(40))
    kwargs.setdefault("readings", [])
    kwargs.setdefault("cycle_start", START)
    kwargs.setdefault("cycle_end", END)
    kwargs.setdefault("today", TODAY)
    return key_result_chart(**kwargs)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def by_class(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{{{NS['svg']}}}{tag}") if css in e.get("class", "").split()]


def readings(*pairs):
    return [Reading(day, D(value)) for day, value in pairs]


# --- scales -----------------------------------------------------------------------------------


def test_the_scale_maps_the_cycle_onto_the_plot_width():
    scale = Scale(D(0), D(100), START, END)
    assert scale.x(START) == LEFT
    assert scale.x(END + dt.timedelta(days=1)) == WIDTH - RIGHT
    assert scale.x(dt.datetime(2026, 10, 1, 12)) == pytest.approx(
        LEFT + 0.5 / 92 * (WIDTH - LEFT - RIGHT)
    )


def test_the_scale_puts_low_values_at_the_bottom_and_clamps_outside_values():
    scale = Scale(D(0), D(100), START, END)
    assert scale.y(D(0)) == HEIGHT - BOTTOM
    assert scale.y(D(100)) == TOP
    assert scale.y(D(50)) == pytest.approx((HEIGHT - BOTTOM + TOP) / 2)
    assert scale.y(D(500)) == TOP
    assert scale.x(dt.date(2027, 3, 1)) == WIDTH - RIGHT
    assert scale.x(dt.date(2026, 1, 1)) == LEFT


@pytest.mark.parametrize(
    ("span", "step"),
    [(D(24), D(5)), (D(100), D(20)), (D("0.3"), D("0.1")), (D(7), D(2)), (D(12), D("2.5"))],
)
def test_value_steps_are_round_numbers(span, step):
    assert nice_step(span) == step


def test_the_value_range_covers_every_value_with_room_and_round_ticks():
    low, high, ticks = value_range([D(20), D(40), D(55)])
    assert low < 20 and high > 55
    assert ticks[0] == low and ticks[-1] == high
    assert all("E" not in str(tick) for tick in ticks)
    assert ticks == sorted(ticks)


def test_a_flat_range_still_gets_a_band():
    low, high, _ticks = value_range([D(40), D(40)])
    assert low < 40 < high
    low, high, _ticks = value_range([D(0)])
    assert low < 0 < high


def test_date_ticks_follow_months_on_a_quarter_and_weeks_on_a_month():
    assert date_ticks(START, END) == [START, dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    month = date_ticks(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert month[0] == dt.date(2026, 11, 1)
    assert {(b - a).days for a, b in pairwise(month)} == {7}
    year = date_ticks(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(year) <= 6 and year[0] == dt.date(2026, 1, 1)
    assert date_ticks(dt.date(2026, 11, 1), dt.date(2026, 11, 2)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 2),
    ]


# --- the chart --------------------------------------------------------------------------------


def test_it_is_an_accessible_svg_image_with_a_title_and_a_description():
    svg = chart(readings=readings((dt.date(2026, 11, 1), 24)), title="Activation")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and title.text == "Activation"
    assert desc is not None and "From 20 to 40" in desc.text
    assert "2026-11-01: 24" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_the_readings_are_a_line_with_a_dot_each_in_time_order():
    svg = chart(
        readings=readings((dt.date(2026, 11, 8), 28), (dt.date(2026, 11, 1), 24)),
    )
    root = parse(svg)
    dots = by_class(root, "circle", "chart-dot")
    assert len(dots) == 2
    xs = [float(dot.get("cx")) for dot in dots]
    assert xs == sorted(xs)
    line = by_class(root, "polyline", "chart-line")[0]
    points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert [p[0] for p in points] == xs
    # The higher value is higher on the page (a smaller y).
    assert points[1][1] < points[0][1]


def test_the_expected_line_runs_from_the_start_value_to_the_target_dashed():
    root = parse(chart())
    expected = by_class(root, "line", "chart-expected")[0]
    target = by_class(root, "line", "chart-target")[0]
    assert expected.get("stroke-dasharray")
    assert float(expected.get("x1")) == LEFT
    assert float(expected.get("x2")) == WIDTH - RIGHT
    assert expected.get("y2") == target.get("y1") == target.get("y2")
    assert float(expected.get("y1")) > float(expected.get("y2"))  # rising: 20 → 40
    labels = [t.text for t in by_class(root, "text", "chart-target-label")]
    assert labels == ["Target 40"]


def test_a_decreasing_key_result_slopes_down():
    root = parse(chart(kind="decrease", start=D(14), target=D(10)))
    expected = by_class(root, "line", "chart-expected")[0]
    assert float(expected.get("y1")) < float(expected.get("y2"))


def test_keep_above_draws_a_threshold_and_no_expected_line():
    root = parse(chart(kind="keep_above", start=None, target=D(99)))
    assert by_class(root, "line", "chart-expected") == []
    assert [t.text for t in by_class(root, "text", "chart-target-label")] == ["Keep above 99"]
    zone = by_class(root, "rect", "chart-zone")[0]
    target_y = float(by_class(root, "line", "chart-target")[0].get("y1"))
    # The side where the level is met is shaded: above the line.
    assert float(zone.get("y")) == TOP
    assert float(zone.get("y")) + float(zone.get("height")) == pytest.approx(target_y)


def test_keep_below_shades_below_the_threshold():
    root = parse(chart(kind="keep_below", start=None, target=D(200)))
    zone = by_class(root, "rect", "chart-zone")[0]
    assert float(zone.get("y")) + float(zone.get("height")) == pytest.approx(HEIGHT - BOTTOM)
    assert "Keep at or below 200" in root.find("svg:desc", NS).text


def test_a_milestone_is_a_step_between_not_done_and_done():
    root = parse(
        chart(
            kind="milestone",
            start=None,
            target=D(1),
            readings=readings((dt.date(2026, 10, 10), 0), (dt.date(2026, 11, 10), 1)),
        )
    )
    labels = [t.text for t in by_class(root, "text", "chart-label")]
    assert "Done" in labels and "Not done" in labels
    points = by_class(root, "polyline", "chart-line")[0].get("points").split()
    assert len(points) == 3  # across, then up
    assert points[1].split(",")[1] == points[0].split(",")[1]
    assert points[1].split(",")[0] == points[2].split(",")[0]


def test_no_readings_says_so():
    svg = chart()
    root = parse(svg)
    assert by_class(root, "circle", "chart-dot") == []
    assert by_class(root, "polyline", "chart-line") == []
    assert [t.text for t in by_class(root, "text", "chart-empty")] == ["No check-ins yet"]
    assert "No check-ins yet." in root.find("svg:desc", NS).text


def test_a_single_reading_is_a_dot_without_a_line():
    root = parse(chart(readings=readings((dt.date(2026, 11, 1), 30))))
    assert len(by_class(root, "circle", "chart-dot")) == 1
    assert by_class(root, "polyline", "chart-line") == []
    assert "One check-in" in root.find("svg:desc", NS).text


def test_values_past_the_target_and_below_the_start_stay_inside_the_plot():
    root = parse(chart(readings=readings((dt.date(2026, 10, 5), -50), (dt.date(2026, 11, 1), 400))))
    for dot in by_class(root, "circle", "chart-dot"):
        assert TOP <= float(dot.get("cy")) <= HEIGHT - BOTTOM
    labels = [t.text for t in by_class(root, "text", "chart-label")]
    numbers = [D(label) for label in labels if re.fullmatch(r"-?\d+(\.\d+)?", label or "")]
    assert min(numbers) <= -50 and max(numbers) >= 400


def test_equal_start_and_target_gives_a_flat_expected_line():
    root = parse(chart(start=D(40), target=D(40), readings=readings((TODAY, 40))))
    expected = by_class(root, "line", "chart-expected")[0]
    assert expected.get("y1") == expected.get("y2")
    dot = by_class(root, "circle", "chart-dot")[0]
    assert TOP < float(dot.get("cy")) < HEIGHT - BOTTOM


def test_the_today_marker_shows_only_inside_the_cycle():
    inside = parse(chart(today=TODAY))
    marker = by_class(inside, "line", "chart-today")[0]
    assert float(marker.get("x1")) == pytest.approx(
        Scale(D(0), D(1), START, END).x(TODAY), abs=0.01
    )
    assert [t.text for t in by_class(inside, "text", "chart-today-label")] == ["Today"]
    assert by_class(parse(chart(today=dt.date(2027, 2, 1))), "line", "chart-today") == []
    assert by_class(parse(chart(today=None)), "line", "chart-today") == []


def test_the_description_gives_the_even_pace_today():
    desc = parse(chart()).find("svg:desc", NS).text
    # 45 of 92 days have passed: 20 + 20 × 45/92.
    assert "at 29.7826 today" in desc


def test_the_formatters_are_used_for_every_label():
    svg = chart(
        readings=readings((dt.date(2026, 11, 1), 24)),
        format_value=lambda value: f"{value:.0f} users",
        format_date=lambda day: day.strftime("%d/%m"),
    )
    root = parse(svg)
    labels = [t.text for t in by_class(root, "text", "chart-label")]
    assert "01/10" in labels and "20 users" in labels
    assert "01/11: 24 users" in root.find("svg:desc", NS).text


def test_every_text_is_escaped():
    nasty = '<script>alert("x")</script> & "quotes"'
    svg = chart(
        title=nasty,
        readings=readings((dt.date(2026, 11, 1), 24)),
        format_value=lambda value: f"{value} <b>&</b>",
        format_date=lambda day: f"{day}<i>",
        id_prefix='x" onload="alert(1)',
    )
    assert "<script" not in svg and "<b>" not in svg and "<i>" not in svg
    assert 'onload="' not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find("svg:title", NS).text == nasty
    assert "20 <b>&</b>" in [t.text for t in by_class(root, "text", "chart-label")]
    assert "24 <b>&</b>" in root.find("svg:desc", NS).text


def test_the_output_is_deterministic():
    args = {"readings": readings((dt.date(2026, 11, 1), 24), (dt.date(2026, 11, 8), 28))}
    assert chart(**args) == chart(**args)
    assert chart(**args) == chart(readings=list(reversed(args["readings"])))


def test_the_description_lists_only_the_newest_readings_of_a_long_history():
    many = readings(*((START + dt.timedelta(days=n), n) for n in range(30)))
    desc = parse(chart(readings=many)).find("svg:desc", NS).text
    assert desc.startswith("From 20 to 40")
    assert "30 check-ins; the newest 12" in desc
    assert "2026-10-30: 29" in desc and "2026-10-01: 0" not in desc


def test_reversed_cycle_dates_are_tolerated():
    assert parse(chart(cycle_start=END, cycle_end=START)) is not None


# --- the projection -----------------------------------------------------------------------------

PROJECTION = Projection(
    first_day=dt.date(2026, 10, 1),
    fitted_first=D(20),
    last_day=dt.date(2026, 11, 12),
    fitted_last=D("28.4"),
    value=D("38.2"),
    low=D(35),
    high=D(41),
)
TREND = readings(
    (dt.date(2026, 10, 1), 20), (dt.date(2026, 10, 22), "24.2"), (dt.date(2026, 11, 12), "28.4")
)


def test_without_a_projection_nothing_of_it_is_drawn():
    root = parse(chart(readings=TREND))
    assert by_class(root, "line", "chart-projection") == []
    assert by_class(root, "polygon", "chart-band") == []


def test_the_projection_runs_from_the_first_reading_to_the_last_day_with_its_band():
    root = parse(chart(readings=TREND, projection=PROJECTION))
    trend = by_class(root, "line", "chart-projection")[0]
    low, high, _ticks = value_range([D(40), D(20), D(20), D("24.2"), D("28.4"), D("38.2")])
    scale = Scale(low, high, START, END)
    assert float(trend.get("x1")) == pytest.approx(scale.x(PROJECTION.first_day), abs=0.01)
    assert float(trend.get("y1")) == pytest.approx(scale.y(D(20)), abs=0.01)
    assert float(trend.get("x2")) == pytest.approx(WIDTH - RIGHT, abs=0.01)
    assert float(trend.get("y2")) == pytest.approx(scale.y(D("38.2")), abs=0.01)
    band = by_class(root, "polygon", "chart-band")[0]
    corners = [tuple(map(float, p.split(","))) for p in band.get("points").split()]
    assert corners[0] == pytest.approx((scale.x(PROJECTION.last_day), scale.y(D("28.4"))), abs=0.01)
    assert corners[1] == pytest.approx((WIDTH - RIGHT, scale.y(D(41))), abs=0.01)
    assert corners[2] == pytest.approx((WIDTH - RIGHT, scale.y(D(35))), abs=0.01)
    legend = [t.text for t in by_class(root, "text", "chart-label")]
    assert "Trend to the end" in legend


def test_the_description_gives_the_projection_in_words():
    desc = parse(chart(readings=TREND, projection=PROJECTION)).find("svg:desc", NS).text
    assert "points to 38.2 on 2026-12-31, most likely between 35 and 41" in desc


def test_a_band_wider_than_the_chart_is_cut_at_its_edge():
    wide = Projection(**{**PROJECTION.__dict__, "low": D(-500), "high": D(900)})
    root = parse(chart(readings=TREND, projection=wide))
    corners = [
        tuple(map(float, p.split(",")))
        for p in by_class(root, "polygon", "chart-band")[0].get("points").split()
    ]
    assert corners[1][1] == pytest.approx(TOP) and corners[2][1] == pytest.approx(HEIGHT - BOTTOM)
