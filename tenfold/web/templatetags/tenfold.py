"""Formatting shared by every page: percentages, key-result values, status labels."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_LABELS = {
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "stale": _("Stale"),
    "pending": _("No check-in yet"),
    "done": _("Done"),
}


@register.filter
def pct(value: Any) -> str:
    """0.375 → "38 %" style whole percentages (locale-aware)."""
    if value in (None, ""):
        return "–"
    whole = (Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{number_format(whole, 0)} %"


@register.filter
def pct_width(value: Any) -> str:
    """A CSS width for a progress bar, always between 0 and 100."""
    if value in (None, ""):
        return "0"
    number = max(Decimal(0), min(Decimal(1), Decimal(value))) * 100
    return f"{number:.1f}"


@register.simple_tag
def kr_value(kr: Any, value: Any = "current") -> str:
    """A key-result value in its own format: 12 %, EUR 4,500, 3.5 days."""
    number = getattr(kr, value) if isinstance(value, str) else value
    if number is None:
        return "–"
    # number_format cuts extra digits off; round first so 41.8 shown whole reads 42.
    places = Decimal(1).scaleb(-kr.decimals)
    rounded = Decimal(number).quantize(places, rounding=ROUND_HALF_UP)
    text = number_format(rounded, kr.decimals, force_grouping=True)
    if kr.value_format == "percent":
        return f"{text} %"
    if kr.value_format == "currency":
        return f"{kr.currency} {text}"
    return f"{text} {kr.unit_label}".strip()


@register.filter
def status_label(value: Any) -> str:
    return str(STATUS_LABELS.get(str(value), value))


@register.filter
def confidence10(value: Any) -> str:
    """Stored confidence 0.0–1.0 shown as 0–10."""
    if value in (None, ""):
        return "–"
    return str(round(Decimal(value) * 10))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]` for templates, None when missing."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def call_count(obj: Any, key: str) -> Any:
    """`obj.count(key)` for templates (e.g. a person's items in one category)."""
    return obj.count(key)


@register.filter
def ago(value: Any) -> str:
    """A moment as "just now", "3 days ago": one unit is enough at a glance."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.timesince import timesince
    from django.utils.translation import gettext

    if not isinstance(value, dt.datetime):
        return ""
    if timezone.now() - value < dt.timedelta(minutes=1):
        # A kept page must not say "just now" once it is no longer true.
        from tenfold.web.fragments import true_until

        true_until((value + dt.timedelta(minutes=1)).timestamp())
        return gettext("just now")
    return gettext("%(time)s ago") % {"time": timesince(value, depth=1)}


class FragmentNode(template.Node):
    """`{% fragment f %}…{% endfragment %}`: the enclosed HTML from the fragment cache when
    `f` (a `tenfold.web.fragments.Fragment`) has a copy to serve, else rendered and kept."""

    child_nodelists = ("nodelist",)

    def __init__(self, fragment: template.base.FilterExpression, nodelist: Any) -> None:
        self.fragment = fragment
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        fragment = self.fragment.resolve(context, ignore_failures=True)
        if not fragment:
            return self.nodelist.render(context)
        found = fragment.get()
        if found is not None:
            return found
        html = fragment.draw(lambda: self.nodelist.render(context))
        fragment.put(html)
        return fragment.finish(html)


@register.tag("fragment")
def do_fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one argument: the fragment.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), nodelist)


class HeaderNode(template.Node):
    """`{% header %}…{% endheader %}`: the page header, drawn once for everything that
    decides it (`header_key`) and then kept in this process. Every page draws it, and on a
    page served from the fragment cache drawing it was half of what the server did."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: Any) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        from tenfold.web import header

        key = header.key_of(context)
        if key is None:
            return self.nodelist.render(context)
        return header.drawn(key, context, lambda: self.nodelist.render(context))


@register.tag("header")
def do_header(parser: template.base.Parser, token: template.base.Token) -> HeaderNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% header %} takes no argument.")
    nodelist = parser.parse(("endheader",))
    parser.delete_first_token()
    return HeaderNode(nodelist)
