"""What the key-result page needs to show its feed box, fetched by the box itself so the page
only has to include it (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import can_configure, feed_of

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_box(context: Any, kr: Any, access: Any) -> dict[str, Any]:
    """The key result's feed and whether the viewer may configure it. The feed views pass
    `kr_feed_source` themselves; the key-result page does not, so it is read here."""
    feed = context["kr_feed_source"] if "kr_feed_source" in context else feed_of(kr)
    may_configure = bool(access) and can_configure(access, kr)
    return {"feed": feed, "may_configure": may_configure}
