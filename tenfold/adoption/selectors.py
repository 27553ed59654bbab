"""Reads of the adoption programme, scoped to one organization, and who may do what with it.

Everyone in the organization, viewers included, reads the programme and its checklist. Owners
and admins change them; the owner of a checklist step may tick it off. Unit leads and admins
may open a sandbox: it makes them lead of a team in a copy of the demo company, which is what a
person who will run OKRs for a team needs to practise, and its build is heavy enough not to
offer it to everybody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import NoReverseMatch, reverse

from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.okrs.selectors import organization_today
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access

from .models import ChecklistItem, Programme, Sandbox
from .policy import Policy, policy_for
from .steps import SHAPE_TEXTS, STEP_BY_KEY

SANDBOX_PREFIX = "sandbox-"


# --- permissions ------------------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    """May change the programme and the checklist."""
    return access.can_write and access.is_admin


def can_tick(access: Access, item: ChecklistItem) -> bool:
    """May mark the step done or not done: admins, and the step's owner."""
    if not access.can_write:
        return False
    return access.is_admin or (item.owner_id is not None and item.owner_id == access.user_id)


def can_use_sandbox(access: Access) -> bool:
    """May open, reset and delete their own sandbox: admins and unit leads."""
    return access.can_write and (access.is_admin or bool(access.led_unit_ids))


# --- the policy -------------------------------------------------------------------------------


def first_cycle_policy(organization: Organization) -> Policy:
    """The first-cycle rules that hold for the organization now, for the coach's warnings.
    Reads only (two queries), never creates the programme: an organization that has not
    opened the adoption page yet has the defaults on, like a new programme."""
    row = (
        Programme.objects.filter(organization=organization)
        .values_list("first_cycle_defaults", "pilot_unit_id")
        .first()
    )
    defaults_on, pilot_unit_id = row if row is not None else (True, None)
    closed = Cycle.objects.filter(organization=organization, state=CycleState.CLOSED).exists()
    return policy_for(
        rollout=organization.rollout,
        defaults_on=defaults_on,
        has_closed_cycle=closed,
        pilot_unit_id=pilot_unit_id,
    )


# --- reads ------------------------------------------------------------------------------------


def get_programme(organization: Organization) -> Programme | None:
    programme = (
        Programme.objects.filter(organization=organization)
        .select_related("pilot_unit", "first_cycle")
        .first()
    )
    if programme is not None:
        programme.organization = organization
    return programme


def target_cycle(organization: Organization, programme: Programme | None) -> Cycle | None:
    """The cycle the rollout aims at: the short first cycle when one was made, else the first
    cycle (not a year) that is not closed and has not ended."""
    if programme is not None and programme.first_cycle is not None:
        return programme.first_cycle
    today = organization_today(organization)
    return (
        Cycle.objects.filter(organization=organization, end__gte=today)
        .exclude(kind=CycleKind.YEAR)
        .exclude(state=CycleState.CLOSED)
        .order_by("start", "id")
        .first()
    )


def get_item(organization: Organization, code: str) -> ChecklistItem:
    """One step of the organization's checklist; 404 for another organization's or none."""
    item = (
        ChecklistItem.objects.filter(organization=organization, code=(code or "").strip().lower())
        .select_related("owner", "done_by", "programme")
        .first()
    )
    if item is None:
        raise Http404
    item.organization = organization
    return item


def items_of(programme: Programme) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(programme=programme).select_related("owner", "done_by")
    )


@dataclass
class Row:
    """A checklist step as the page, the API and the command show it."""

    item: ChecklistItem
    title: str
    help: str
    link: str | None
    link_label: str
    overdue: bool
    may_tick: bool
    first: bool = False
    last: bool = False

    @property
    def code(self) -> str:
        return self.item.code


@dataclass
class Checklist:
    rows: list[Row]
    today: dt.date

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.item.is_done)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _reverse(name: str, args: list[Any]) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # e.g. the examples library, while it does not exist yet
        return None


def step_link(
    key: str, organization: Organization, programme: Programme, cycle: Cycle | None
) -> tuple[str | None, str]:
    """Where in Tenfold a standard step is done, and the link's label."""
    step = STEP_BY_KEY.get(key)
    if step is None or step.link is None:
        return None, ""
    label = str(step.link_label or "")
    args: list[Any] = [organization.slug]
    ready = True
    if step.needs == "cycle":
        ready = cycle is not None
        if ready:
            assert cycle is not None
            args.append(cycle.code)
    elif step.needs == "pilot":
        pilot = programme.pilot_unit if organization.rollout == "pilot" else None
        ready = pilot is not None
        if ready:
            assert pilot is not None
            args.append(pilot.code)
    url = _reverse(step.link, args) if ready else None
    if url is None and step.fallback:
        url = _reverse(step.fallback, [organization.slug])
    return url, label


def checklist(
    access: Access | None,
    organization: Organization,
    programme: Programme,
    cycle: Cycle | None,
    items: list[ChecklistItem] | None = None,
) -> Checklist:
    """The checklist in order, with links and overdue flags, from one query (none when the
    items are given)."""
    today = organization_today(organization)
    rows = []
    shape = organization.rollout
    for item in items if items is not None else items_of(programme):
        item.organization = organization
        step = STEP_BY_KEY.get(item.key)
        if step is not None:
            title, help_text = step.title(shape), str(step.help)
            link, label = step_link(item.key, organization, programme, cycle)
        else:
            title, help_text, link, label = item.title, "", None, ""
        rows.append(
            Row(
                item=item,
                title=title,
                help=help_text,
                link=link,
                link_label=label,
                overdue=item.due is not None and item.due < today and not item.is_done,
                may_tick=access is not None and can_tick(access, item),
            )
        )
    if rows:
        rows[0].first = True
        rows[-1].last = True
    return Checklist(rows=rows, today=today)


def sandbox_of(user: Any) -> Sandbox | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Sandbox.objects.filter(person=user).select_related("organization", "home").first()


def sandbox_for_org(organization: Organization | None) -> Sandbox | None:
    """The sandbox an organization is, if it is one. Costs a query only for organizations
    whose address looks like a sandbox's, so the layout can ask on every page."""
    if organization is None or not str(getattr(organization, "slug", "")).startswith(
        SANDBOX_PREFIX
    ):
        return None
    return Sandbox.objects.filter(organization_id=organization.pk).select_related("home").first()


# --- data for the API and the command ---------------------------------------------------------


def _person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


def item_data(row: Row) -> dict[str, Any]:
    item = row.item
    return {
        "code": item.code,
        "key": item.key or None,
        "title": row.title,
        "help": row.help,
        "custom": item.is_custom,
        "owner": _person(item.owner),
        "due": item.due,
        "overdue": row.overdue,
        "note": item.note,
        "done": item.is_done,
        "done_at": item.done_at,
        "done_by": _person(item.done_by),
        "link": row.link,
        "position": item.position,
        "version": item.version,
    }


def programme_data(
    organization: Organization, programme: Programme, policy: Policy, steps: Checklist
) -> dict[str, Any]:
    shape = SHAPE_TEXTS.get(organization.rollout)
    pilot = programme.pilot_unit
    cycle = programme.first_cycle
    return {
        "shape": organization.rollout,
        "shape_name": str(shape.name) if shape else organization.rollout,
        "pilot_unit": {"code": pilot.code, "name": pilot.name, "kind": pilot.kind}
        if pilot is not None and organization.rollout == "pilot"
        else None,
        "started_at": programme.started_at,
        "first_cycle_defaults": programme.first_cycle_defaults,
        "first_cycle": {
            "code": cycle.code,
            "name": cycle.name,
            "start": cycle.start,
            "end": cycle.end,
        }
        if cycle is not None
        else None,
        "policy": {
            "first_cycle": policy.first_cycle,
            "max_objectives_per_team": policy.max_objectives_per_team,
            "recommended_objectives_per_team": policy.recommended_objectives_per_team,
            "max_company_objectives": policy.max_company_objectives,
            "aspirational_allowed": policy.aspirational_allowed,
            "alignment_expected": policy.alignment_expected,
        },
        "progress": {"done": steps.done, "total": steps.total, "overdue": steps.overdue},
        "checklist": [item_data(row) for row in steps.rows],
    }
