"""The "Calendar" card of the unit page: the team's feed link for its members."""

from __future__ import annotations

from typing import Any

from django import template

from ..feeds import rhythms_of
from ..selectors import may_reset_unit_feed, may_see_unit_feed, unit_feed_url, webcal_url

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_calendar_card(context: Any) -> dict[str, Any] | None:
    """The feed of the unit in the context, its meeting rhythm and whether the viewer may
    reset the link; None when the viewer is not one of its members, leads or admins. Two
    queries."""
    unit, access, org = context.get("unit"), context.get("access"), context.get("org")
    if unit is None or access is None or org is None or not may_see_unit_feed(access, unit):
        return None
    url = unit_feed_url(org, unit)
    return {
        "url": url,
        "webcal": webcal_url(url),
        "rhythm": rhythms_of(org, [unit])[unit.id],
        "may_reset": may_reset_unit_feed(access, unit),
    }
