"""Template tags that put kudos on pages whose views do not compute them, without a query per
row.

    {% load habits %}
    {% kudos_prefetch rows attr="checkin" %}     {# once, before the list: one query #}
    {% for row in rows %} … {% kudos_button row.checkin %} … {% endfor %}

`kudos_prefetch` attaches `kudos_state` to every target of a list (check-ins and weekly items,
mixed or not) in one query; `attr` picks the target out of each element, and a list found there
is taken whole (`{% kudos_prefetch columns attr="items" %}`). `kudos_button` reads that
attribute, or a `kudos` mapping passed in (`{% kudos_button item kudos=states %}`, as
`selectors.kudos_for` returns it). A button rendered on its own, without either, loads its
target's kudos itself: one query, which is right for a fragment and wrong inside a loop.

Both need `access` (or at least `request`) and `org` in the context, as every page has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

from tenfold.checkins.weekly import can_see_person_week

from ..selectors import (
    KudosState,
    key_of,
    kudos_attach,
    kudos_for,
    kudos_received,
    kudos_url,
    may_give,
)

register = template.Library()


def _user_id(context: Any) -> int:
    access = context.get("access")
    if access is not None:
        return int(access.user_id)
    return int(context["request"].user.pk)


def _targets(elements: Iterable[Any] | Any, attr: str | None) -> list[Any]:
    if elements is None:
        return []
    if hasattr(elements, "pk"):
        elements = [elements]
    found: list[Any] = []
    for element in elements:
        value = getattr(element, attr) if attr else element
        if value is None:
            continue
        if isinstance(value, list | tuple) or hasattr(value, "model"):
            found.extend(value)
        else:
            found.append(value)
    return found


@register.simple_tag(takes_context=True)
def kudos_prefetch(context: Any, elements: Iterable[Any] | Any, attr: str | None = None) -> str:
    """Attach `kudos_state` to every target of the list, in one query. Renders nothing."""
    targets = _targets(elements, attr)
    if targets:
        kudos_attach(targets, _user_id(context))
    return ""


def _state(context: Any, target: Any, kudos: Mapping[Any, KudosState] | None) -> KudosState:
    key = key_of(target)
    state = kudos.get(key) if kudos is not None else None
    if state is None:
        state = getattr(target, "kudos_state", None)
    if state is None:
        state = kudos_for([target], _user_id(context))[key]
    return state


@register.inclusion_tag("habits/_kudos_button.html", takes_context=True)
def kudos_button(
    context: Any, target: Any, kudos: Mapping[Any, KudosState] | None = None
) -> dict[str, Any]:
    """The kudos count of a check-in or weekly item, with a toggle for people who may give
    kudos (not viewers, not its author)."""
    state = _state(context, target, kudos)
    access = context.get("access")
    org = context["org"]
    request = context.get("request")
    return {
        "org": org,
        "state": state,
        "can_give": access is not None and may_give(access, state),
        "url": kudos_url(org.slug, state.kind, state.code),
        # A plain form post returns to the page it came from; a fragment rendered for another
        # write (an htmx POST) has no page to return to, so the target's own page is used.
        "next_url": request.get_full_path()
        if request is not None and request.method == "GET"
        else "",
        "errors": [],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("habits/_kudos_line.html", takes_context=True)
def kudos_received_line(context: Any, person: Any, week: Any) -> dict[str, Any]:
    """ "3 kudos this week, from …" on a person's week, for whoever may see that week; nothing
    when none were received. One query (two when the reader is someone else)."""
    access = context.get("access")
    person_id = int(getattr(person, "pk", person))
    if access is None or not can_see_person_week(access, person_id):
        return {"received": None}
    org = context["org"]
    return {
        "received": kudos_received(org, person_id, week),
        "is_me": person_id == access.user_id,
    }
