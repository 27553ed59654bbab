"""Planning the next cycle: the planning board, the approval queue, the alignment session, and
the proposal actions taken from them.

Every view is parse → authorize → call a service of `okrs.planning` → render. Whoever may not
take an action at all gets 403, htmx or not. A refusal with a reason (a draft that is not a
proposal any more, a proposal the viewer made for their own team) answers htmx with the
updated fragment and the reason inside it (htmx 2 does not swap 4xx answers), and a plain form
post with the whole page and 400 or 403. Successful plain posts redirect back.

Actions answer the whole board rather than one card: a card changes row when its state
changes (from the backlog to its company objective, from a proposal to approved).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.okrs import planning as plans
from tenfold.okrs.models import Cycle, CycleKind, Objective
from tenfold.okrs.selectors import cycles_of, get_cycle, get_objective
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from ..shortcuts import org_access, render

BOARD = "web/planning.html"
QUEUE = "web/planning_approvals.html"
SESSION = "web/planning_session.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _coach_cards(organization: Organization, board: Any) -> None:
    """Each card gets the coach's counts (problems, warnings, hints) for its objective and key
    results, computed for the whole board at once."""
    from tenfold.coach.services import advice_for, coach_context

    cards = list(board.company)
    for lane in board.lanes:
        for cell in [*lane.cells, lane.backlog]:
            cards.extend(cell)
    if not cards:
        return
    advice = advice_for([card.objective for card in cards], context=coach_context(organization))
    for card in cards:
        card.coach = advice[card.objective.id].counts


def _board_context(
    organization: Organization,
    access: Access,
    cycle: Cycle,
    *,
    code: str = "",
    errors: list[str] | None = None,
) -> dict[str, Any]:
    board = plans.planning_board(access, organization, cycle)
    _coach_cards(organization, board)
    action_errors = list(errors or [])
    card = board.card(code) if code else None
    if card is not None and action_errors:
        card.errors, action_errors = action_errors, []
    return {
        "org": organization,
        "access": access,
        "board": board,
        "cycle": cycle,
        "cycles": [c for c in cycles_of(organization) if c.kind != CycleKind.YEAR],
        "action_errors": action_errors,
        "nav": "planning",
    }


@require_safe
def planning_next(request: HttpRequest, org: str) -> HttpResponse:
    """The board of the cycle being planned, without knowing its code."""
    organization, access = org_access(request, org)
    cycle = plans.planning_cycle(organization)
    if cycle is None:
        return render(request, BOARD, {"org": organization, "access": access, "board": None})
    return render(request, BOARD, _board_context(organization, access, cycle), partial="board")


@require_safe
def planning_board(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = get_cycle(organization, code)
    return render(request, BOARD, _board_context(organization, access, cycle), partial="board")


def _queue_context(
    organization: Organization, access: Access, errors: list[str] | None = None
) -> dict[str, Any]:
    return {
        "org": organization,
        "access": access,
        "queue": plans.approval_queue(access, organization),
        "action_errors": errors or [],
        "next_cycle": plans.planning_cycle(organization),
        "nav": "approvals",
    }


@require_safe
def approvals(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    return render(request, QUEUE, _queue_context(organization, access), partial="queue")


@require_safe
def alignment_session(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    cycle = get_cycle(organization, code)
    session = plans.alignment_session(access, organization, cycle)
    presenting = request.GET.get("unit", "")
    if presenting not in {unit.code for unit in session.units}:
        presenting = ""
    return render(
        request,
        SESSION,
        {
            "org": organization,
            "access": access,
            "cycle": cycle,
            "session": session,
            "presenting": presenting,
            "nav": "planning",
        },
    )


# --- actions --------------------------------------------------------------------------------

Service = Callable[[HttpRequest, Access, Objective], Objective]


def _act(
    request: HttpRequest,
    org: str,
    code: str,
    *,
    allowed: Callable[[Access, Objective], bool],
    service: Service,
    done: str,
) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not allowed(access, objective):
        raise PermissionDenied
    errors: list[str] = []
    status = 200
    try:
        service(request, access, objective)
    except PermissionDenied as refusal:
        errors, status = [str(refusal) or _("You may not do that.")], 403
    except ValidationError as error:
        errors, status = error.messages, 400
    from_queue = request.POST.get("from") == "approvals"
    if not errors and not _is_htmx(request):
        messages.success(request, done % {"title": objective.title})
        if from_queue:
            return redirect("approvals", org=organization.slug)
        url = reverse("planning", kwargs={"org": organization.slug, "code": objective.cycle.code})
        return redirect(f"{url}#plan-{objective.code}")
    if _is_htmx(request):
        status = 200
    if from_queue:
        if errors:
            errors = [f"“{objective.title}”: {message}" for message in errors]
        context = _queue_context(organization, access, errors)
        return render(request, QUEUE, context, partial="queue", status=status)
    context = _board_context(
        organization, access, objective.cycle, code=objective.code, errors=errors
    )
    return render(request, BOARD, context, partial="board", status=status)


@require_POST
def objective_propose(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _act(
        request,
        org,
        code,
        allowed=plans.may_propose,
        service=lambda request, access, objective: plans.proposal_submit(
            access=access, objective=objective, by=request.user
        ),
        done=_("“%(title)s” is proposed. A lead of the unit above, or an admin, decides next."),
    )


@require_POST
def objective_approve(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _act(
        request,
        org,
        code,
        allowed=plans.may_decide,
        service=lambda request, access, objective: plans.proposal_approve(
            access=access, objective=objective, by=request.user
        ),
        done=_("“%(title)s” is approved."),
    )


@require_POST
def objective_return(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _act(
        request,
        org,
        code,
        allowed=plans.may_decide,
        service=lambda request, access, objective: plans.proposal_return(
            access=access,
            objective=objective,
            comment=request.POST.get("comment", ""),
            by=request.user,
        ),
        done=_("“%(title)s” went back to its team with your comment."),
    )


@require_POST
def objective_activate(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _act(
        request,
        org,
        code,
        allowed=lambda access, objective: access.can_edit_objective(objective),
        service=lambda request, access, objective: plans.plan_activate(
            access=access, objective=objective, by=request.user
        ),
        done=_("“%(title)s” is active: the team can start checking in."),
    )
