"""Server-rendered SVG charts: the history of one key result across its cycle.

Pure computation: no models and no database. Everything the chart writes as text (labels, the
title, the description, the formatted numbers and dates) is escaped on the way in, and the
result is a `SafeString` assembled only from those escaped parts, so it can be inlined in a
page or served alone as `image/svg+xml`. The output is deterministic: the same input gives
the same bytes, which is what the tests compare.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .progress import FROM_TO_KINDS, Kind, elapsed_fraction

Formatter = Callable[[Decimal], str]
DateFormatter = Callable[[dt.date], str]

WIDTH = 640
HEIGHT = 280
LEFT = 76
RIGHT = 20
TOP = 30
BOTTOM = 36
SVG_NS = "http://www.w3.org/2000/svg"
DESCRIBED_READINGS = 12
"""The description lists this many of the newest readings; the page's table has them all."""


@dataclass(frozen=True)
class Reading:
    """One check-in on the chart: when it was measured (a date, or a local date and time in
    the organization's time zone) and the value."""

    when: dt.date | dt.datetime
    value: Decimal


@dataclass(frozen=True)
class Projection:
    """Where the fitted trend runs to by the end of the cycle (see `forecast.py`): the line
    from the first to the last reading, then on to the last day, with the band there."""

    first_day: dt.date
    fitted_first: Decimal
    last_day: dt.date
    fitted_last: Decimal
    value: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Scale:
    """Maps values and moments onto the plot area."""

    low: Decimal
    high: Decimal
    first_day: dt.date
    last_day: dt.date
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def days(self) -> int:
        # The end date is a whole day of the cycle: the plot runs to its end.
        return (self.last_day - self.first_day).days + 1

    def x(self, when: dt.date | dt.datetime) -> float:
        if isinstance(when, dt.datetime):
            moment = when.replace(tzinfo=None)
            start = dt.datetime.combine(self.first_day, dt.time())
            offset = (moment - start).total_seconds() / 86400
        else:
            offset = float((when - self.first_day).days)
        share = min(1.0, max(0.0, offset / self.days))
        return LEFT + share * (self.width - LEFT - RIGHT)

    def y(self, value: Decimal) -> float:
        span = self.high - self.low
        share = float((value - self.low) / span) if span else 0.5
        share = min(1.0, max(0.0, share))
        return self.height - BOTTOM - share * (self.height - TOP - BOTTOM)


def _n(number: float) -> str:
    """A coordinate: two decimals at most, never "-0"."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_step(span: Decimal, most: int = 5) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving at most `most` intervals."""
    if span <= 0:
        return Decimal(1)
    raw = span / most
    exponent = math.floor(math.log10(raw))
    power = Decimal(10) ** exponent
    for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * factor >= raw:
            return (power * factor).normalize()
    return (power * 10).normalize()  # pragma: no cover - 10 always fits


def value_range(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, list[Decimal]]:
    """The y domain covering every value with some room, widened to round ticks."""
    low, high = min(values), max(values)
    # A flat series still gets a band around it, so the line does not sit on the axis.
    pad = max(abs(low) / 10, Decimal(1)) if low == high else (high - low) / 10
    low, high = low - pad, high + pad
    step = nice_step(high - low)
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks: list[Decimal] = []
    tick = first
    while tick <= last:
        # Plain notation: 20, never 2E+1, whatever the formatter does with it.
        ticks.append(Decimal(format(tick.normalize(), "f")) if tick else Decimal(0))
        tick += step
    return first, last, ticks


def date_ticks(first: dt.date, last: dt.date, most: int = 6) -> list[dt.date]:
    """A few dates along the cycle: its first day, then month starts (long cycles) or weeks."""
    days = (last - first).days + 1
    if days > 62:
        months = []
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            if day > first:
                months.append(day)
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        every = max(1, math.ceil(len(months) / (most - 1)))
        return [first, *months[every - 1 :: every]]
    step = max(1, math.ceil(days / (most - 1) / 7)) * 7 if days > 14 else max(1, days // 4)
    return [first + dt.timedelta(days=n) for n in range(0, days, step)]


def _day(when: dt.date | dt.datetime) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _text(x: float, y: float, text: str, css: str, anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{}" y="{}" class="{}" text-anchor="{}">{}</text>', _n(x), _n(y), css, anchor, text
    )


def _line(a: Point, b: Point, css: str, extra: str = "") -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"{}/>',
        _n(a.x),
        _n(a.y),
        _n(b.x),
        _n(b.y),
        css,
        mark_safe(extra),  # only constant presentation attributes written below
    )


def _describe(
    *,
    kind: Kind,
    start: Decimal | None,
    target: Decimal,
    readings: Sequence[Reading],
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date | None,
    format_value: Formatter,
    format_date: DateFormatter,
    projection: Projection | None = None,
) -> str:
    values = {"start": "", "target": format_value(target)}
    period = {"from": format_date(cycle_start), "to": format_date(cycle_end)}
    if kind in FROM_TO_KINDS:
        values["start"] = format_value(start if start is not None else Decimal(0))
        parts = [_("From %(start)s to %(target)s") % values]
    elif kind is Kind.KEEP_ABOVE:
        parts = [_("Keep at or above %(target)s") % values]
    elif kind is Kind.KEEP_BELOW:
        parts = [_("Keep at or below %(target)s") % values]
    else:
        parts = [_("A milestone, done at %(target)s") % values]
    parts[0] += " " + _("between %(from)s and %(to)s.") % period
    if not readings:
        parts.append(_("No check-ins yet."))
    else:
        ordered = sorted(readings, key=lambda r: _sortable(r.when))
        newest = list(reversed(ordered))[:DESCRIBED_READINGS]
        listed = "; ".join(f"{format_date(_day(r.when))}: {format_value(r.value)}" for r in newest)
        count = len(readings)
        if count == 1:
            parts.append(_("One check-in: %(list)s.") % {"list": listed})
        elif count <= DESCRIBED_READINGS:
            parts.append(
                _("%(count)d check-ins, newest first: %(list)s.") % {"count": count, "list": listed}
            )
        else:
            parts.append(
                _("%(count)d check-ins; the newest %(shown)d: %(list)s.")
                % {"count": count, "shown": DESCRIBED_READINGS, "list": listed}
            )
        values_only = [r.value for r in readings]
        if count > 1:
            parts.append(
                _("Lowest %(low)s, highest %(high)s.")
                % {"low": format_value(min(values_only)), "high": format_value(max(values_only))}
            )
    if (
        kind in FROM_TO_KINDS
        and today is not None
        and cycle_start <= today <= cycle_end
        and start is not None
    ):
        share = elapsed_fraction(cycle_start, cycle_end, today)
        expected = (start + (target - start) * share).quantize(Decimal("0.0001"))
        parts.append(
            _("At an even pace it would be at %(value)s today (%(date)s).")
            % {"value": format_value(expected), "date": format_date(today)}
        )
    if projection is not None:
        parts.append(
            _(
                "The trend of the check-ins points to %(value)s on %(date)s, most likely "
                "between %(low)s and %(high)s."
            )
            % {
                "value": format_value(projection.value),
                "date": format_date(cycle_end),
                "low": format_value(projection.low),
                "high": format_value(projection.high),
            }
        )
    return " ".join(parts)


def _sortable(when: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(when, dt.datetime):
        return when.replace(tzinfo=None)
    return dt.datetime.combine(when, dt.time())


def key_result_chart(
    *,
    kind: str,
    start: Decimal | None,
    target: Decimal,
    readings: Sequence[Reading],
    cycle_start: dt.date,
    cycle_end: dt.date,
    today: dt.date | None = None,
    title: str = "",
    format_value: Formatter = str,
    format_date: DateFormatter = dt.date.isoformat,
    id_prefix: str = "chart",
    width: int = WIDTH,
    height: int = HEIGHT,
    projection: Projection | None = None,
) -> SafeString:
    """The SVG history chart of one key result.

    From-to kinds show the readings against the even pace from the start value on the
    cycle's first day to the target on its last, with the target as a horizontal line.
    Keep-above/below kinds show the threshold and shade the side where it is met. Milestones
    show a step between "not done" and "done". The "today" marker appears while today is
    inside the cycle. Readings outside the cycle are drawn at its edge. A projection adds the
    fitted trend, dotted, to the cycle's last day and its band there as a faint wedge; the
    value axis makes room for the projected value, while a band wider than the chart is cut
    at its edge (the description gives its numbers).
    """
    kind = Kind(kind)
    if cycle_end < cycle_start:
        cycle_start, cycle_end = cycle_end, cycle_start
    ordered = sorted(readings, key=lambda r: _sortable(r.when))
    from_to = kind in FROM_TO_KINDS
    base = (start if start is not None else Decimal(0)) if from_to else None
    domain = [target, *(r.value for r in ordered)]
    if base is not None:
        domain.append(base)
    if kind is Kind.MILESTONE:
        domain.append(Decimal(0))
    if projection is not None:
        domain += [projection.fitted_first, projection.value]
    low, high, ticks = value_range(domain)
    if kind is Kind.MILESTONE:
        ticks = sorted({Decimal(0), target})
    scale = Scale(low, high, cycle_start, cycle_end, width, height)
    left, right = LEFT, width - RIGHT
    top, bottom = TOP, height - BOTTOM

    title = title or _("Key-result history")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    description = _describe(
        kind=kind,
        start=base,
        target=target,
        readings=ordered,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        today=today,
        format_value=format_value,
        format_date=format_date,
        projection=projection,
    )
    parts: list[SafeString] = [
        format_html(
            '<svg xmlns="{}" class="chart kr-chart" role="img" viewBox="0 0 {} {}" width="{}" '
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
        format_html('<desc id="{}">{}</desc>', desc_id, description),
    ]

    # Grid and value axis.
    parts.append(mark_safe('<g class="chart-grid" aria-hidden="true">'))
    for tick in ticks:
        y = scale.y(tick)
        parts.append(_line(Point(left, y), Point(right, y), "chart-gridline", ' stroke="#d3d8df"'))
        if kind is Kind.MILESTONE:
            label = _("Done") if tick == target else _("Not done")
        else:
            label = format_value(tick)
        parts.append(_text(left - 6, y + 4, label, "chart-label", "end"))
    for day in date_ticks(cycle_start, cycle_end):
        x = scale.x(day)
        parts.append(
            _line(Point(x, bottom), Point(x, bottom + 4), "chart-tick", ' stroke="#56606c"')
        )
        parts.append(_text(x, bottom + 18, format_date(day), "chart-label", "middle"))
    parts.append(
        _line(Point(left, bottom), Point(right, bottom), "chart-axis", ' stroke="#56606c"')
    )
    parts.append(mark_safe("</g>"))

    # What good looks like: the even pace, or the side of the threshold where it is met.
    y_target = scale.y(target)
    if kind in (Kind.KEEP_ABOVE, Kind.KEEP_BELOW):
        zone_top, zone_bottom = (top, y_target) if kind is Kind.KEEP_ABOVE else (y_target, bottom)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-zone" '
                'fill="#2e9d52" fill-opacity="0.08" aria-hidden="true"/>',
                _n(left),
                _n(zone_top),
                _n(right - left),
                _n(max(0.0, zone_bottom - zone_top)),
            )
        )
    if base is not None:
        parts.append(
            _line(
                Point(scale.x(cycle_start), scale.y(base)),
                Point(right, y_target),
                "chart-expected",
                ' stroke="#56606c" stroke-dasharray="6 4" aria-hidden="true"',
            )
        )
    parts.append(
        _line(
            Point(left, y_target),
            Point(right, y_target),
            "chart-target",
            ' stroke="#0b5cad" stroke-width="1.5" aria-hidden="true"',
        )
    )
    if kind is Kind.KEEP_ABOVE:
        target_label = _("Keep above %(value)s") % {"value": format_value(target)}
    elif kind is Kind.KEEP_BELOW:
        target_label = _("Keep below %(value)s") % {"value": format_value(target)}
    elif kind is Kind.MILESTONE:
        target_label = _("Done")
    else:
        target_label = _("Target %(value)s") % {"value": format_value(target)}
    label_y = y_target - 6 if y_target - 6 > top + 4 else y_target + 14
    parts.append(_text(right - 4, label_y, target_label, "chart-target-label", "end"))

    # Today.
    if today is not None and cycle_start <= today <= cycle_end:
        x = scale.x(today)
        parts.append(
            _line(
                Point(x, top),
                Point(x, bottom),
                "chart-today",
                ' stroke="#d79b12" stroke-width="1.5" aria-hidden="true"',
            )
        )
        near_end = x > right - 60
        parts.append(
            _text(
                x - 4 if near_end else x + 4,
                top + 12,
                _("Today"),
                "chart-today-label",
                "end" if near_end else "start",
            )
        )

    # The projection, under the readings.
    if projection is not None:
        end_x = scale.x(cycle_end + dt.timedelta(days=1))
        fan = [
            Point(scale.x(projection.last_day), scale.y(projection.fitted_last)),
            Point(end_x, scale.y(projection.high)),
            Point(end_x, scale.y(projection.low)),
        ]
        parts.append(
            format_html(
                '<polygon points="{}" class="chart-band" fill="#7a4fc4" fill-opacity="0.15" '
                'aria-hidden="true"/>',
                " ".join(f"{_n(p.x)},{_n(p.y)}" for p in fan),
            )
        )
        parts.append(
            _line(
                Point(scale.x(projection.first_day), scale.y(projection.fitted_first)),
                Point(end_x, scale.y(projection.value)),
                "chart-projection",
                ' stroke="#7a4fc4" stroke-width="1.5" stroke-dasharray="2 3" aria-hidden="true"',
            )
        )

    # The readings.
    points = [Point(scale.x(r.when), scale.y(r.value)) for r in ordered]
    if len(points) > 1:
        if kind is Kind.MILESTONE:
            path = [points[0]]
            for point in points[1:]:
                path += [Point(point.x, path[-1].y), point]
        else:
            path = points
        parts.append(
            format_html(
                '<polyline points="{}" class="chart-line" fill="none" stroke="#2f7bd6" '
                'stroke-width="2" aria-hidden="true"/>',
                " ".join(f"{_n(p.x)},{_n(p.y)}" for p in path),
            )
        )
    for reading, point in zip(ordered, points, strict=True):
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="3.5" class="chart-dot" fill="#2f7bd6">'
                "<title>{}: {}</title></circle>",
                _n(point.x),
                _n(point.y),
                format_date(_day(reading.when)),
                format_value(reading.value),
            )
        )
    if not points:
        parts.append(
            _text(
                (left + right) / 2,
                (top + bottom) / 2,
                _("No check-ins yet"),
                "chart-empty",
                "middle",
            )
        )

    # Legend.
    legend_y = 14
    parts.append(mark_safe('<g class="chart-legend" aria-hidden="true">'))
    parts.append(
        _line(
            Point(left, legend_y - 4),
            Point(left + 18, legend_y - 4),
            "chart-line",
            ' stroke="#2f7bd6" stroke-width="2"',
        )
    )
    parts.append(_text(left + 22, legend_y, _("Check-ins"), "chart-label"))
    if base is not None:
        parts.append(
            _line(
                Point(left + 110, legend_y - 4),
                Point(left + 128, legend_y - 4),
                "chart-expected",
                ' stroke="#56606c" stroke-dasharray="6 4"',
            )
        )
        parts.append(_text(left + 132, legend_y, _("Even pace"), "chart-label"))
    if projection is not None:
        key_x = left + (220 if base is not None else 110)
        parts.append(
            _line(
                Point(key_x, legend_y - 4),
                Point(key_x + 18, legend_y - 4),
                "chart-projection",
                ' stroke="#7a4fc4" stroke-width="1.5" stroke-dasharray="2 3"',
            )
        )
        parts.append(_text(key_x + 22, legend_y, _("Trend to the end"), "chart-label"))
    parts.append(mark_safe("</g>"))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))
