"""Planning the next cycle: the planning board, proposals and their approval, and the
alignment session where each team presents what it proposes.

OKRs align, they do not cascade (METHOD.md §3): the company writes its objectives and why;
teams draft their own, propose them, and a lead of the unit above (or an admin) approves or
returns them with a comment. The state changes themselves go through
`okrs.services.objective_set_state`; this module adds the rules around approval that the
planning flow needs, and the reads of the board, the queue and the session.

There is no backlog flag on objectives: a team's backlog is its drafts that nobody has
proposed yet. A proposal that was returned is a draft again but stays on the board, marked
as returned, so its comment thread stays in sight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from tenfold.audit.models import AuditEvent
from tenfold.lib.validation import error_dict
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree

from .models import (
    Alignment,
    Cycle,
    CycleKind,
    CycleState,
    KeyResult,
    Level,
    Objective,
    ObjectiveState,
)
from .selectors import current_cycle, objectives_for_cycle, visible_objectives
from .services import objective_set_state

PLANNED_LEVELS = (Level.TEAM, Level.DEPARTMENT)
"""The levels whose objectives are proposed and approved; company objectives are written by
leadership and personal-development goals stay between a person and their manager."""

PRESENTED_STATES = (
    ObjectiveState.PROPOSED,
    ObjectiveState.APPROVED,
    ObjectiveState.ACTIVE,
    ObjectiveState.CLOSED,
)
"""What a team shows in the alignment session: drafts are still the team's own business."""


# --- who proposed what ------------------------------------------------------------------------


@dataclass
class Proposal:
    """An objective's proposal history, read from its audit events."""

    proposed_by: Any = None
    proposed_at: dt.datetime | None = None
    returned_by: Any = None
    returned_at: dt.datetime | None = None

    @property
    def ever_proposed(self) -> bool:
        return self.proposed_at is not None

    @property
    def returned(self) -> bool:
        """Whether the latest decision was to send it back to the team."""
        return self.returned_at is not None and (
            self.proposed_at is None or self.returned_at >= self.proposed_at
        )


def proposals_of(organization_id: int, codes: Iterable[str]) -> dict[str, Proposal]:
    """{objective code: Proposal} for the objectives that were ever proposed, in one query."""
    wanted = list(codes)
    if not wanted:
        return {}
    events = (
        AuditEvent.objects.filter(
            organization_id=organization_id,
            object_type="objective",
            object_code__in=wanted,
            verb="objective.state_changed",
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    found: dict[str, Proposal] = {}
    for event in events:
        before, after = [*(event.changes or {}).get("state", []), None, None][:2]
        if after == ObjectiveState.PROPOSED:
            proposal = found.setdefault(event.object_code, Proposal())
            proposal.proposed_by, proposal.proposed_at = event.actor, event.created_at
        elif before == ObjectiveState.PROPOSED and after == ObjectiveState.DRAFT:
            proposal = found.setdefault(event.object_code, Proposal())
            proposal.returned_by, proposal.returned_at = event.actor, event.created_at
    return found


# --- the rules ----------------------------------------------------------------------------------


def needs_approval(organization: Organization, objective: Objective) -> bool:
    return organization.approval_required and objective.level in PLANNED_LEVELS


def may_decide(access: Access, objective: Objective) -> bool:
    """Approving and returning belong to admins and to the leads of a unit above the
    objective's unit (the same rule as the objective page)."""
    if not access.can_write:
        return False
    if access.is_admin:
        return True
    unit = objective.unit
    return unit is not None and unit.parent_id in access.led_unit_ids


def may_propose(access: Access, objective: Objective) -> bool:
    """Proposing is the team's own act: whoever may edit the objective."""
    return objective.level in PLANNED_LEVELS and access.can_edit_objective(objective)


def own_proposal_refusal(access: Access, objective: Objective, proposal: Proposal | None) -> str:
    """Why this person may not approve this proposal even though they approve for the unit
    above, or "" when nothing stands in the way. Approval needs a second person: whoever
    proposed an objective for a team they belong to does not also approve it. Admins may."""
    if access.is_admin or proposal is None or proposal.proposed_by is None:
        return ""
    if proposal.proposed_by.pk == access.user_id and objective.unit_id in access.member_unit_ids:
        return _(
            "You proposed this objective for your own team, so someone else approves it: "
            "another lead of the unit above, or an admin."
        )
    return ""


def _locked(objective: Objective) -> Objective:
    """The objective as stored now, locked until the transaction ends, so two people deciding
    at once cannot both act on the same proposal."""
    return (
        Objective.objects.select_for_update(of=("self",))
        .select_related("organization", "cycle", "unit")
        .get(pk=objective.pk)
    )


def _open(objective: Objective) -> None:
    if objective.cycle.state == CycleState.CLOSED:
        raise ValidationError(_("The cycle “%(name)s” is closed.") % {"name": objective.cycle.name})


def _state_is(objective: Objective, state: str, message: str) -> None:
    if objective.state != state:
        raise ValidationError(
            message % {"state": str(ObjectiveState(objective.state).label).lower()}
        )


def _approval_on(objective: Objective) -> None:
    if not objective.organization.approval_required:
        raise ValidationError(
            _(
                "Approval is off in this organization: nothing waits for approval, and a team "
                "activates its objectives itself."
            )
        )


# --- services -------------------------------------------------------------------------------


@transaction.atomic
def proposal_submit(*, access: Access, objective: Objective, by: Any) -> Objective:
    """Propose a team's draft for approval."""
    objective = _locked(objective)
    if objective.level not in PLANNED_LEVELS:
        raise ValidationError(
            _("Only team and department objectives are proposed; this one needs no approval.")
        )
    if not may_propose(access, objective):
        raise PermissionDenied(_("Only the team that owns this objective proposes it."))
    _approval_on(objective)
    _open(objective)
    _state_is(
        objective,
        ObjectiveState.DRAFT,
        _("Only a draft can be proposed; this objective is %(state)s."),
    )
    return objective_set_state(objective=objective, state=ObjectiveState.PROPOSED, by=by)


@transaction.atomic
def proposal_approve(*, access: Access, objective: Objective, by: Any) -> Objective:
    """Approve a proposal. Refused, with nothing written, when the approver proposed it for
    their own team."""
    objective = _locked(objective)
    if not may_decide(access, objective):
        raise PermissionDenied(_("Only a lead of the unit above this team, or an admin, approves."))
    _approval_on(objective)
    _open(objective)
    _state_is(
        objective,
        ObjectiveState.PROPOSED,
        _("Only a proposal can be approved; this objective is %(state)s."),
    )
    refusal = own_proposal_refusal(
        access,
        objective,
        proposals_of(objective.organization_id, [objective.code]).get(objective.code),
    )
    if refusal:
        raise PermissionDenied(refusal)
    return objective_set_state(
        objective=objective, state=ObjectiveState.APPROVED, by=by, may_approve=True
    )


@transaction.atomic
def proposal_return(*, access: Access, objective: Objective, comment: str, by: Any) -> Objective:
    """Send a proposal back to its team as a draft. The comment saying what should change is
    required; it is posted on the objective's thread, where the team discusses it."""
    from tenfold.social.services import comment_add

    objective = _locked(objective)
    if not may_decide(access, objective):
        raise PermissionDenied(
            _("Only a lead of the unit above this team, or an admin, returns a proposal.")
        )
    _approval_on(objective)
    _open(objective)
    _state_is(
        objective,
        ObjectiveState.PROPOSED,
        _("Only a proposal can be returned; this objective is %(state)s."),
    )
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": _("Say what should change: the team reads this before trying again.")}
        )
    objective = objective_set_state(objective=objective, state=ObjectiveState.DRAFT, by=by)
    try:
        comment_add(access=access, target=objective, body=comment)
    except ValidationError as error:
        messages = error_dict(error)
        raise ValidationError({"comment": messages.get("body") or error.messages}) from error
    return objective


@transaction.atomic
def plan_activate(*, access: Access, objective: Objective, by: Any) -> Objective:
    """Start working on an objective: an approved one, or a draft where no approval is needed.
    Where approval is needed, a lead above may skip it only for a team they are not part of;
    admins always may."""
    objective = _locked(objective)
    if not access.can_edit_objective(objective):
        raise PermissionDenied(_("Only the team that owns this objective activates it."))
    _open(objective)
    organization = objective.organization
    if objective.state == ObjectiveState.DRAFT and needs_approval(organization, objective):
        in_team = objective.unit_id in access.member_unit_ids
        if not may_decide(access, objective) or (in_team and not access.is_admin):
            raise ValidationError(_("Propose it first: in this organization, someone approves it."))
    if objective.state not in (ObjectiveState.DRAFT, ObjectiveState.APPROVED):
        raise ValidationError(
            _("Only a draft or an approved objective can be activated; this one is %(state)s.")
            % {"state": str(ObjectiveState(objective.state).label).lower()}
        )
    return objective_set_state(
        objective=objective,
        state=ObjectiveState.ACTIVE,
        by=by,
        may_approve=may_decide(access, objective),
    )


# --- reads ----------------------------------------------------------------------------------


def planning_cycle(organization: Organization) -> Cycle | None:
    """The cycle being planned: the earliest one still in planning that has not ended (a year
    counts only when nothing shorter is), else the current one. A past cycle nobody opened is
    not what anyone is planning."""
    from tenfold.okrs.selectors import organization_today

    planning = Cycle.objects.filter(
        organization=organization,
        state=CycleState.PLANNING,
        end__gte=organization_today(organization),
    )
    return (
        planning.exclude(kind=CycleKind.YEAR).order_by("start", "end").first()
        or planning.order_by("start", "end").first()
        or current_cycle(organization)
    )


@dataclass
class Card:
    """One objective on the board, in the queue or in the session, with what the viewer may
    do to it."""

    objective: Objective
    proposal: Proposal | None
    comments: int = 0
    can_edit: bool = False
    can_propose: bool = False
    can_approve: bool = False
    can_return: bool = False
    can_activate: bool = False
    refusal: str = ""
    """Why the viewer, who approves for this unit, may not approve this one."""
    errors: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.objective.code

    @property
    def returned(self) -> bool:
        return (
            self.proposal is not None
            and self.proposal.returned
            and (self.objective.state == ObjectiveState.DRAFT)
        )

    @property
    def in_backlog(self) -> bool:
        return self.objective.state == ObjectiveState.DRAFT and not (
            self.proposal is not None and self.proposal.ever_proposed
        )


def _card(
    access: Access,
    organization: Organization,
    objective: Objective,
    proposal: Proposal | None,
    comments: int,
) -> Card:
    state = objective.state
    open_cycle = objective.cycle.state != CycleState.CLOSED
    gated = needs_approval(organization, objective)
    decides = (
        open_cycle and gated and state == ObjectiveState.PROPOSED and may_decide(access, objective)
    )
    refusal = own_proposal_refusal(access, objective, proposal) if decides else ""
    can_edit = open_cycle and access.can_edit_objective(objective)
    in_team = objective.unit_id in access.member_unit_ids
    skips = may_decide(access, objective) and (access.is_admin or not in_team)
    return Card(
        objective=objective,
        proposal=proposal,
        comments=comments,
        can_edit=can_edit,
        can_propose=open_cycle
        and gated
        and state == ObjectiveState.DRAFT
        and may_propose(access, objective),
        can_approve=decides and not refusal,
        can_return=decides,
        can_activate=can_edit
        and objective.level != Level.PERSONAL
        and (
            state == ObjectiveState.APPROVED
            or (state == ObjectiveState.DRAFT and (not gated or skips))
        ),
        refusal=refusal,
    )


def _cards(access: Access, organization: Organization, objectives: list[Objective]) -> list[Card]:
    from tenfold.social.selectors import comment_counts

    proposals = proposals_of(organization.id, [o.code for o in objectives])
    counts = comment_counts("objective", [o.id for o in objectives])
    return [
        _card(access, organization, o, proposals.get(o.code), counts.get(o.id, 0))
        for o in objectives
    ]


def plan_card(access: Access, objective: Objective) -> Card:
    """The card of one objective (after an action, for the API and the CLI)."""
    organization = objective.organization
    return _cards(access, organization, [objective])[0]


@dataclass
class Lane:
    """A team's (or department's) column of the board."""

    unit: Unit
    depth: int
    can_create: bool
    cells: list[list[Card]] = field(default_factory=list)
    """One list of cards per row of the board, in the order of `Board.rows`."""
    backlog: list[Card] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(cell) for cell in self.cells) + len(self.backlog)


@dataclass
class Row:
    """A row of the board: a company objective (or "aligned elsewhere", "not aligned yet")."""

    key: str
    card: Card | None
    label: str = ""
    cells: list[list[Card]] = field(default_factory=list)
    """The cards of each lane in this row, in the order of `Board.lanes`."""


@dataclass
class Board:
    organization: Organization
    cycle: Cycle
    approval_required: bool
    company: list[Card]
    rows: list[Row]
    lanes: list[Lane]
    company_unit: Unit | None = None
    can_create_company: bool = False
    waiting: int = 0
    """Proposals on this board the viewer may decide on."""

    def card(self, code: str) -> Card | None:
        for card in self.company:
            if card.code == code:
                return card
        for lane in self.lanes:
            for cell in [*lane.cells, lane.backlog]:
                for card in cell:
                    if card.code == code:
                        return card
        return None


def _supported_company_objective(
    objective: Objective,
    by_id: dict[int, Objective],
    kr_owner: dict[int, int],
    company_ids: set[int],
) -> tuple[int | None, bool]:
    """(the company objective this one ultimately supports, whether it is aligned at all),
    following each objective's first link up through department objectives."""
    seen: set[int] = set()
    current = objective
    aligned = False
    while current.id not in seen:
        seen.add(current.id)
        links = list(current.parent_links.all())
        if not links:
            return None, aligned
        aligned = True
        link = links[0]
        parent_id = link.parent_objective_id or kr_owner.get(link.parent_key_result_id or 0)
        if parent_id in company_ids:
            return parent_id, True
        if parent_id not in by_id:
            return None, True
        current = by_id[parent_id]
    return None, True


ELSEWHERE = "elsewhere"
UNALIGNED = "unaligned"


def planning_board(access: Access, organization: Organization, cycle: Cycle) -> Board:
    """The board of a cycle, as the viewer may see it, in a fixed number of queries whatever
    the number of units and objectives."""
    cycle.organization = organization
    objectives = [o for o in objectives_for_cycle(access, cycle) if o.level != Level.PERSONAL]
    for objective in objectives:
        objective.cycle = cycle
    cards = _cards(access, organization, objectives)
    by_id = {o.id: o for o in objectives}
    kr_owner = {kr.id: o.id for o in objectives for kr in o.key_results.all()}
    company = [card for card in cards if card.objective.level == Level.COMPANY]
    company_ids = {card.objective.id for card in company}
    rows = [Row(key=f"o-{card.code}", card=card) for card in company]
    rows.append(Row(key=ELSEWHERE, card=None, label=_("Supports objectives outside this cycle")))
    rows.append(Row(key=UNALIGNED, card=None, label=_("Not aligned yet")))
    row_index = {row.key: index for index, row in enumerate(rows)}
    lanes: dict[int, Lane] = {}
    company_unit = None
    open_cycle = cycle.state != CycleState.CLOSED
    for unit, depth in unit_tree(organization):
        if unit.kind == UnitKind.COMPANY:
            company_unit = company_unit or unit
            continue
        lanes[unit.id] = Lane(
            unit=unit,
            depth=depth,
            can_create=open_cycle and access.can_create_in_unit(unit.id, unit.kind),
            cells=[[] for _row in rows],
        )
    for card in cards:
        objective = card.objective
        lane = lanes.get(objective.unit_id or 0)
        if lane is None:
            continue
        if card.in_backlog:
            lane.backlog.append(card)
            continue
        parent_id, aligned = _supported_company_objective(objective, by_id, kr_owner, company_ids)
        if parent_id is not None:
            key = f"o-{by_id[parent_id].code}"
        else:
            key = ELSEWHERE if aligned else UNALIGNED
        lane.cells[row_index[key]].append(card)
    board = Board(
        organization=organization,
        cycle=cycle,
        approval_required=organization.approval_required,
        company=company,
        rows=rows,
        lanes=list(lanes.values()),
        company_unit=company_unit,
        can_create_company=company_unit is not None
        and open_cycle
        and access.can_create_in_unit(company_unit.id, company_unit.kind),
        waiting=sum(1 for card in cards if card.can_approve or card.can_return),
    )
    # The "elsewhere" row only shows when something is in it; the others always do.
    keep = [
        index
        for index, row in enumerate(rows)
        if row.key != ELSEWHERE or any(lane.cells[index] for lane in board.lanes)
    ]
    board.rows = [rows[index] for index in keep]
    for lane in board.lanes:
        lane.cells = [lane.cells[index] for index in keep]
    for index, row in enumerate(board.rows):
        row.cells = [lane.cells[index] for lane in board.lanes]
    return board


def approval_queue(access: Access, organization: Organization) -> list[Card]:
    """Proposals waiting for the viewer's decision, oldest cycle first, in a fixed number of
    queries."""
    if not organization.approval_required or not access.can_write:
        return []
    objectives = (
        visible_objectives(access)
        .filter(state=ObjectiveState.PROPOSED, level__in=PLANNED_LEVELS)
        .exclude(cycle__state=CycleState.CLOSED)
    )
    if not access.is_admin:
        if not access.led_unit_ids:
            return []
        objectives = objectives.filter(unit__parent_id__in=access.led_unit_ids)
    found = list(
        objectives.select_related("unit", "cycle", "lead")
        .prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.select_related("owner").order_by("order", "id"),
            ),
            Prefetch(
                "parent_links",
                queryset=Alignment.objects.select_related("parent_objective", "parent_key_result"),
            ),
        )
        .order_by("cycle__start", "unit__order", "unit__name", "order", "id")
    )
    for objective in found:
        objective.cycle.organization = organization
    return [card for card in _cards(access, organization, found) if card.can_approve]


@dataclass
class SessionNode:
    card: Card
    children: list[SessionNode] = field(default_factory=list)
    parent_title: str = ""
    """For an objective aligned outside the session: what it is aligned to."""


@dataclass
class Session:
    cycle: Cycle
    company: list[SessionNode]
    elsewhere: list[SessionNode]
    unaligned: list[SessionNode]
    units: list[Unit]
    """The units presenting something, in tree order."""


def alignment_session(access: Access, organization: Organization, cycle: Cycle) -> Session:
    """Each company objective with the proposed and approved objectives that support it
    (nested through department objectives), what is aligned outside the cycle, and what is
    linked to nothing yet. A fixed number of queries."""
    cycle.organization = organization
    objectives = [
        o
        for o in objectives_for_cycle(access, cycle)
        if o.level == Level.COMPANY or (o.level in PLANNED_LEVELS and o.state in PRESENTED_STATES)
    ]
    for objective in objectives:
        objective.cycle = cycle
    cards = _cards(access, organization, objectives)
    nodes = {card.objective.id: SessionNode(card) for card in cards}
    kr_owner = {kr.id: o.id for o in objectives for kr in o.key_results.all()}
    company: list[SessionNode] = []
    elsewhere: list[SessionNode] = []
    unaligned: list[SessionNode] = []
    for card in cards:
        objective = card.objective
        node = nodes[objective.id]
        if objective.level == Level.COMPANY:
            company.append(node)
            continue
        links = list(objective.parent_links.all())
        if not links:
            unaligned.append(node)
            continue
        link = links[0]
        parent_id = link.parent_objective_id or kr_owner.get(link.parent_key_result_id or 0)
        if parent_id in nodes and parent_id != objective.id:
            nodes[parent_id].children.append(node)
        else:
            parent = link.parent_objective or link.parent_key_result
            node.parent_title = getattr(parent, "title", "")
            elsewhere.append(node)
    unit_ids = {card.objective.unit_id for card in cards if card.objective.level != Level.COMPANY}
    units = [unit for unit, _depth in unit_tree(organization) if unit.id in unit_ids]
    return Session(
        cycle=cycle, company=company, elsewhere=elsewhere, unaligned=unaligned, units=units
    )
