"""Template tags that put comment counts and reaction bars on pages whose views do not
compute them (the objective page), without a query per row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from ..selectors import Social, social_of

register = template.Library()


def _user_id(context: Any) -> int:
    # A page kept for many visitors is drawn as nobody's (0) and each visitor's own
    # reactions are marked when it is served (`tenfold.web.views.objectives`).
    shared = context.get("social_viewer")
    if shared is not None:
        return int(shared)
    access = context.get("access")
    if access is not None:
        return int(access.user_id)
    return int(context["request"].user.pk)


@register.simple_tag(takes_context=True)
def social_prefetch(context: Any, kind: str, targets: Iterable[Any] | Any) -> str:
    """Attach `social_summary` (comment count and reaction bar) to every target of one kind
    (or to one target), in two queries for the whole list. Renders nothing."""
    items: list[Any] = [targets] if hasattr(targets, "pk") else list(targets)
    summaries = social_of(kind, items, _user_id(context))
    for item in items:
        item.social_summary = summaries[item.pk]
    return ""


@register.simple_tag(takes_context=True)
def social_for(context: Any, kind: str, target: Any) -> Social:
    """A target's comment count and reaction bar: the one `social_prefetch` attached, or
    fetched now for this target alone (when a fragment is rendered on its own)."""
    summary = getattr(target, "social_summary", None)
    if summary is None:
        summary = social_of(kind, [target], _user_id(context))[target.pk]
        target.social_summary = summary
    return summary
