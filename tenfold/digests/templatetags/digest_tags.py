"""Formatting for digests: what email clients need spelled out (colours inline) and the
movement of a number over a week."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()

STATUS_COLOURS = {
    "on_track": "#1f7a4d",
    "at_risk": "#a15c00",
    "off_track": "#b42318",
    "stale": "#5b6475",
    "pending": "#5b6475",
    "done": "#2f5bd3",
}


@register.filter
def status_colour(value: Any) -> str:
    """The colour a status is written in (email clients drop style sheets)."""
    return STATUS_COLOURS.get(str(value), "#1f2430")


@register.filter
def points(value: Any) -> str:
    """A change of progress as signed percentage points: "+15 pts", "−5 pts", "±0 pts"."""
    if value in (None, ""):
        return ""
    whole = (Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if whole > 0:
        sign = "+"
    elif whole < 0:
        sign = "−"
    else:
        sign = "±"
    return _("%(sign)s%(number)s pts") % {"sign": sign, "number": number_format(abs(whole), 0)}


@register.filter
def bar_width(value: Any) -> int:
    """A share 0–1 as a whole percentage between 0 and 100, for a table-cell bar."""
    if value in (None, ""):
        return 0
    number = max(Decimal(0), min(Decimal(1), Decimal(value))) * 100
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.filter
def rest_width(value: Any) -> int:
    return 100 - bar_width(value)
