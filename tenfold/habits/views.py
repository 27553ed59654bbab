"""The leaderboard of habits, and the kudos toggles.

Parse → authorize → call a service → render, like the other pages. The leaderboard answers 200
even when the organization has it turned off (the page says so and points admins to the
setting). A kudos toggle is POST only; a viewer gets 403, a target the person may not see 404.
A refused htmx toggle answers 200 with the message inside the swapped button (htmx does not
swap 4xx answers); the same refusal as a plain form post answers 400 with a small page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.social.selectors import get_target
from tenfold.social.targets import page_url, title_of
from tenfold.web.shortcuts import org_access, render

from .selectors import SORT_STREAK, SORTS, key_of, kudos_for, kudos_url, leaderboard, may_give
from .services import kudos_toggle

KUDOS_PAGE = "habits/kudos.html"
PAGE_SIZE = 100
"""Rows per page of the leaderboard: every team is ranked, a hundred are drawn at a time."""


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_safe
def habits(request: HttpRequest, org: str) -> HttpResponse:
    """The leaderboard: `?sort=streak|participation`, `?departments=1` to rank departments
    too, `?page=N` for the next hundred. The viewer's own teams are repeated above the table
    with their rank. htmx gets the board alone."""
    organization, access = org_access(request, org)
    sort = request.GET.get("sort", SORT_STREAK)
    if sort not in SORTS:
        sort = SORT_STREAK  # an old or mistyped link still shows the board
    departments = request.GET.get("departments") == "1"
    board = leaderboard(organization, access, sort=sort, departments=departments)
    query = f"sort={sort}" + ("&departments=1" if departments else "")
    context = {
        "org": organization,
        "access": access,
        "nav": "coach",
        "board": board,
        "page": Paginator(board.rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "mine": [row for row in board.rows if row.unit.id in access.member_unit_ids],
    }
    return render(request, "habits/leaderboard.html", context, partial="board")


def _next(request: HttpRequest, fallback: str) -> str:
    """Where a plain form post returns to: its `next` field when it stays on this site."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


def button_context(
    organization: Organization,
    access: Access,
    target: Any,
    *,
    next_url: str = "",
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """What `habits/_kudos_button.html` needs for one target."""
    state = kudos_for([target], access.user_id)[key_of(target)]
    return {
        "org": organization,
        "access": access,
        "state": state,
        "can_give": may_give(access, state),
        "url": kudos_url(organization.slug, state.kind, state.code),
        "next_url": next_url,
        "errors": errors or [],
    }


def _toggle(request: HttpRequest, org: str, kind: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    target = get_target(access, kind, code)  # 404 unless the person may see it
    if not access.can_write:
        raise PermissionDenied(_("Viewers can see kudos but not give them."))
    errors: list[str] = []
    try:
        kudos_toggle(access=access, target=target)
    except ValidationError as error:
        errors = error.messages
    fallback = page_url(organization.slug, target)
    if not errors and not _htmx(request):
        return redirect(_next(request, fallback))
    context = button_context(
        organization, access, target, next_url=_next(request, ""), errors=errors
    )
    context.update({"title": title_of(target), "target_url": fallback})
    status = 400 if errors and not _htmx(request) else 200
    return render(request, KUDOS_PAGE, context, partial="button", status=status)


@require_POST
def kudos_checkin(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Give kudos for a check-in, or take them back."""
    return _toggle(request, org, "check-in", code)


@require_POST
def kudos_item(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Give kudos for a weekly item, or take them back."""
    return _toggle(request, org, "item", code)
