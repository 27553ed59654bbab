"""Quick search and the command palette.

One view serves both: htmx (the palette, as you type) gets the list of actions and things
found, as a listbox the palette moves through with the arrow keys; a plain request (no
script, or "show all") gets the search page, with more of each kind. Both call
`tenfold.okrs.search.quick_search`, as the API and `tenfold search` do."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tenfold.okrs.search import KEY_RESULT, OBJECTIVE, PER_KIND, PERSON, UNIT, quick_search
from tenfold.organizations.models import Unit, UnitKind
from tenfold.organizations.permissions import Access

from ..palette import actions_for
from ..shortcuts import org_access, render

PAGE_PER_KIND = 25
"""Rows of each kind on the search page, which is what "show all results" opens."""


def _groups(results: Any) -> list[dict[str, Any]]:
    labels = {
        OBJECTIVE: _("Objectives"),
        KEY_RESULT: _("Key results"),
        PERSON: _("People"),
        UNIT: _("Units"),
    }
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "hits": results.of(kind),
            "more": results.more.get(kind, False),
        }
        for kind in (OBJECTIVE, KEY_RESULT, UNIT, PERSON)
        if results.of(kind)
    ]


@require_safe
def search(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    palette = bool(getattr(request, "htmx", False))
    raw = request.GET.get("q", "")
    actions = actions_for(organization.slug, can_write=access.can_write, is_admin=access.is_admin)
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "search",
        "query": raw.strip(),
        "actions": actions,
        "groups": [],
        "error": "",
        "hint": "",
        "more": False,
        "per_kind": PER_KIND if palette else PAGE_PER_KIND,
    }
    try:
        results = quick_search(access, raw, per_kind=context["per_kind"])
    except ValidationError as error:
        [problem] = error.error_dict["q"]
        message = " ".join(problem.messages)
        if problem.code == "required":
            # Nothing typed yet: every action, and what to type.
            context.update(hint=message, query="")
        else:
            context.update(error=message, actions=[])
    else:
        context.update(
            query=results.query,
            actions=[action for action in actions if action.matches(results.query)],
            groups=_groups(results),
            more=any(results.more.values()),
        )
    context["count"] = len(context["actions"]) + sum(len(g["hits"]) for g in context["groups"])
    return render(request, "web/search.html", context, partial="palette")


def _team_of(access: Access, organization: Any) -> Unit | None:
    """The unit whose week `g t` opens: a team the person belongs to, else a unit they
    belong to or lead (the first in the tree's order)."""
    ids = access.member_unit_ids or access.led_unit_ids
    if not ids:
        return None
    teams_first = Case(
        When(kind=UnitKind.TEAM, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Unit.objects.filter(organization=organization, id__in=sorted(ids))
        .order_by(teams_first, "order", "name", "id")
        .only("code")
        .first()
    )


@require_safe
def my_team_week(request: HttpRequest, org: str) -> HttpResponse:
    """The week of the viewer's team (the `g t` shortcut and the palette's action); someone
    in no team is taken to their own week, with a word why."""
    organization, access = org_access(request, org)
    unit = _team_of(access, organization)
    if unit is None:
        messages.info(request, _("You are not in a team yet, so here is your own week."))
        return redirect("my_week", org=organization.slug)
    return redirect("team_week", org=organization.slug, code=unit.code)
