"""Server-rendered SVG charts of a KPI: the value history against the target (a line, or the
healthy band of a range), and the small trend line of the list.

The key-result chart of `tenfold.lib.charts` is drawn across a cycle with an even-pace line; a
KPI has no cycle and no pace, only a history and a level to hold, so it gets its own drawing
built on the same scale and tick helpers. Text is escaped on the way in and the output is
deterministic, like the key-result chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tenfold.lib.charts import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    SVG_NS,
    TOP,
    WIDTH,
    Reading,
    Scale,
    date_ticks,
    value_range,
)

from .health import Direction

Formatter = Callable[[Decimal], str]
DateFormatter = Callable[[dt.date], str]
DESCRIBED = 12
"""The description reads out this many of the newest values; the page's table has them all."""
GOOD = "#2e9d52"
LINE = "#2f7bd6"
TARGET = "#0b5cad"
MUTED = "#56606c"


def _n(number: float) -> str:
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _day(when: dt.date | dt.datetime) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _text(x: float, y: float, text: str, css: str, anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>', _n(x), _n(y), css, anchor, text
    )


def _hline(scale: Scale, y: float, css: str, colour: str, dash: str = "") -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}" stroke="{}"{}/>',
        _n(LEFT),
        _n(y),
        _n(scale.width - RIGHT),
        _n(y),
        css,
        colour,
        mark_safe(f' stroke-dasharray="{dash}"' if dash else ""),  # constant values only
    )


def _goal(direction: str, target: str, high: str) -> str:
    if direction == Direction.LOWER_IS_BETTER:
        return _("Healthy at or below %(target)s.") % {"target": target}
    if direction == Direction.IN_RANGE:
        return _("Healthy between %(low)s and %(high)s.") % {"low": target, "high": high}
    return _("Healthy at or above %(target)s.") % {"target": target}


def _describe(
    direction: str,
    target: Decimal,
    target_high: Decimal | None,
    ordered: Sequence[Reading],
    format_value: Formatter,
    format_date: DateFormatter,
) -> str:
    high = format_value(target_high if target_high is not None else target)
    parts = [_goal(direction, format_value(target), high)]
    if not ordered:
        parts.append(_("No values yet."))
        return " ".join(parts)
    newest = list(reversed(ordered))[:DESCRIBED]
    listed = "; ".join(f"{format_date(_day(r.when))}: {format_value(r.value)}" for r in newest)
    if len(ordered) == 1:
        parts.append(_("One value: %(list)s.") % {"list": listed})
    else:
        parts.append(
            _("%(count)d values; the newest first: %(list)s.")
            % {"count": len(ordered), "list": listed}
        )
    return " ".join(parts)


def kpi_chart(
    *,
    direction: str,
    target: Decimal,
    target_high: Decimal | None,
    readings: Sequence[Reading],
    today: dt.date,
    title: str,
    format_value: Formatter = str,
    format_date: DateFormatter = dt.date.isoformat,
    id_prefix: str = "kpi-chart",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> SafeString:
    """The value history from the first value to today, with the healthy side (or band)
    shaded and the target drawn as a line (two lines for a range)."""
    ordered = sorted(readings, key=lambda r: (_day(r.when), str(r.when)))
    is_range = direction == Direction.IN_RANGE and target_high is not None
    domain = [target, *(r.value for r in ordered)]
    if is_range and target_high is not None:
        domain.append(target_high)
    low, high, ticks = value_range(domain)
    first = _day(ordered[0].when) if ordered else today - dt.timedelta(days=84)
    last = max(today, _day(ordered[-1].when)) if ordered else today
    if first >= last:
        first = last - dt.timedelta(days=7)
    scale = Scale(low, high, first, last, width, height)
    left, right, top, bottom = LEFT, width - RIGHT, TOP, height - BOTTOM
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts: list[SafeString] = [
        format_html(
            '<svg xmlns="{}" class="chart kpi-chart" role="img" viewBox="0 0 {} {}" width="{}" '
            'height="{}" aria-labelledby="{} {}" font-family="system-ui, sans-serif" '
            'font-size="12">',
            SVG_NS,
            width,
            height,
            width,
            height,
            title_id,
            desc_id,
        ),
        format_html('<title id="{}">{}</title>', title_id, title),
        format_html(
            '<desc id="{}">{}</desc>',
            desc_id,
            _describe(direction, target, target_high, ordered, format_value, format_date),
        ),
        mark_safe('<g class="chart-grid" aria-hidden="true">'),
    ]
    for tick in ticks:
        y = scale.y(tick)
        parts.append(_hline(scale, y, "chart-gridline", "#d3d8df"))
        parts.append(_text(left - 6, y + 4, format_value(tick), "chart-label", "end"))
    for day in date_ticks(first, last):
        x = scale.x(day)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-tick" stroke="{}"/>',
                _n(x),
                _n(bottom),
                _n(x),
                _n(bottom + 4),
                MUTED,
            )
        )
        parts.append(_text(x, bottom + 18, format_date(day), "chart-label", "middle"))
    parts.append(_hline(scale, bottom, "chart-axis", MUTED))
    parts.append(mark_safe("</g>"))

    # The healthy zone.
    y_target = scale.y(target)
    if is_range and target_high is not None:
        zone = (scale.y(target_high), y_target)
    elif direction == Direction.LOWER_IS_BETTER:
        zone = (y_target, bottom)
    else:
        zone = (top, y_target)
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="chart-zone kpi-healthy-zone" '
            'fill="{}" fill-opacity="0.1" aria-hidden="true"/>',
            _n(left),
            _n(zone[0]),
            _n(right - left),
            _n(max(0.0, zone[1] - zone[0])),
            GOOD,
        )
    )
    parts.append(_hline(scale, y_target, "chart-target", TARGET, "6 3"))
    label = _("Target %(value)s") % {"value": format_value(target)}
    if is_range and target_high is not None:
        parts.append(_hline(scale, scale.y(target_high), "chart-target", TARGET, "6 3"))
        label = _("Healthy %(low)s – %(high)s") % {
            "low": format_value(target),
            "high": format_value(target_high),
        }
        y_label = scale.y(target_high) - 6
    else:
        y_label = y_target - 6
    if y_label < top + 4:
        y_label = y_target + 14
    parts.append(_text(right - 4, y_label, label, "chart-target-label", "end"))

    points = [(scale.x(r.when), scale.y(r.value)) for r in ordered]
    if len(points) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" class="chart-line" fill="none" stroke="{}" '
                'stroke-width="2" aria-hidden="true"/>',
                " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                LINE,
            )
        )
    for reading, (x, y) in zip(ordered, points, strict=True):
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="3.5" class="chart-dot" fill="{}">'
                "<title>{}: {}</title></circle>",
                _n(x),
                _n(y),
                LINE,
                format_date(_day(reading.when)),
                format_value(reading.value),
            )
        )
    if not points:
        parts.append(
            _text(
                (left + right) / 2, (top + bottom) / 2, _("No values yet"), "chart-empty", "middle"
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


SPARK_WIDTH = 96
SPARK_HEIGHT = 28


def sparkline(
    values: Sequence[Decimal],
    *,
    target: Decimal,
    target_high: Decimal | None = None,
    label: str = "",
) -> SafeString:
    """A small line of the newest values (oldest first) with the target as a dotted line.
    Decorative next to the figures it accompanies, so hidden from screen readers unless a
    label is given."""
    if not values:
        return mark_safe("")
    domain = [*values, target] + ([target_high] if target_high is not None else [])
    low, high = min(domain), max(domain)
    span = high - low or Decimal(1)
    pad = 3.0

    def y(value: Decimal) -> float:
        share = float((value - low) / span)
        return SPARK_HEIGHT - pad - share * (SPARK_HEIGHT - 2 * pad)

    step = (SPARK_WIDTH - 2 * pad) / max(1, len(values) - 1)
    points = [(pad + i * step, y(v)) for i, v in enumerate(values)]
    a11y = (
        format_html('role="img" aria-label="{}"', label)
        if label
        else mark_safe('aria-hidden="true"')
    )
    parts = [
        format_html(
            '<svg xmlns="{}" class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" {}>',
            SVG_NS,
            SPARK_WIDTH,
            SPARK_HEIGHT,
            SPARK_WIDTH,
            SPARK_HEIGHT,
            a11y,
        )
    ]
    for level in [target] + ([target_high] if target_high is not None else []):
        parts.append(
            format_html(
                '<line x1="0" y1="{}" x2="{}" y2="{}" class="spark-target" stroke="{}" '
                'stroke-dasharray="2 2"/>',
                _n(y(level)),
                SPARK_WIDTH,
                _n(y(level)),
                TARGET,
            )
        )
    if len(points) > 1:
        parts.append(
            format_html(
                '<polyline points="{}" class="spark-line" fill="none" stroke="{}" '
                'stroke-width="1.5"/>',
                " ".join(f"{_n(x)},{_n(yy)}" for x, yy in points),
                LINE,
            )
        )
    x, yy = points[-1]
    parts.append(format_html('<circle cx="{}" cy="{}" r="2.5" fill="{}"/>', _n(x), _n(yy), LINE))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
