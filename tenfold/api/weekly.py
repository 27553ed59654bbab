"""API endpoints for weekly reports (Plans, Progress, Problems) and their items.

Like the rest of the API: a scoped fetch, the same access rules as the web pages, a call to a
service in `tenfold.checkins.weekly`, and the answer. Refusals are the services' own
ValidationError / PermissionDenied / Http404, turned into the one error shape by the handlers
in `views`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.checkins.models import Category, Source, WeeklyItem
from tenfold.checkins.selectors import (
    hide_private_links,
    key_results_to_update,
    team_week,
    unit_people,
    week_items,
)
from tenfold.checkins.weekly import (
    UNCHANGED,
    can_see_person_week,
    carry_over,
    categories,
    get_item,
    item_add,
    item_delete,
    item_done,
    item_move,
    item_resolve,
    item_update,
    items_reorder,
    report_get,
    week_containing,
    week_of,
)
from tenfold.organizations.models import Membership, Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit

from .schemas import ErrorOut, PersonOut, UnitRef
from .views import person, scoped

router: Router = Router(tags=["weekly reports"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


# --- shapes -----------------------------------------------------------------------------------


class CategoryOut(Schema):
    key: str = Field(description="plans, progress, problems, or an extra category's key")
    name: str = Field(description="The name the organization gave the category")


class WeekLinkOut(Schema):
    type: str = Field(description="key_result or objective")
    code: str
    title: str


class WeekItemOut(Schema):
    code: str
    category: str
    text: str
    position: int
    link: WeekLinkOut | None = Field(
        description="The key result or objective the item serves; null for business as usual"
    )
    link_hidden: bool = Field(
        False,
        description="True when the item is linked to an objective the caller may not see "
        "(the link is then null)",
    )
    carried_from: str | None = Field(
        description="Code of last week's item this one was carried over from"
    )
    done_at: dt.datetime | None
    resolved_at: dt.datetime | None
    source: str
    created_at: dt.datetime


class WeekOut(Schema):
    week: dt.date = Field(description="First day of the week in the organization's calendar")
    person: PersonOut
    categories: list[CategoryOut]
    items: list[WeekItemOut]
    plans_count: int


class MemberWeekOut(Schema):
    person: PersonOut
    is_lead: bool
    filled_in: bool = Field(
        description="Something was written or done this week; carried items alone do not count"
    )
    items: list[WeekItemOut]


class UnitWeekOut(Schema):
    week: dt.date
    unit: UnitRef
    categories: list[CategoryOut]
    members: list[MemberWeekOut]


class WeekKeyResultOut(Schema):
    code: str
    title: str
    objective: str = Field(description="Code of the key result's objective")
    objective_title: str
    unit_label: str
    current: Decimal | None
    target: Decimal
    expected: Decimal | None = Field(description="Where the value should be today")
    status: str
    last_checkin_at: dt.datetime | None
    confidence: int | None = Field(description="0–10 from the latest check-in")
    mine: bool = Field(description="The caller owns this key result")
    can_check_in: bool


class WeekItemIn(Schema):
    category: str = Field(description="plans, progress, problems, or an extra category's key")
    text: str = Field(description="Up to 500 characters")
    link: str = Field("", description="Code of a key result or objective to link the item to")
    week: dt.date | None = Field(
        None, description="Any day of the week to add to; default: the current week"
    )
    person: str | None = Field(
        None,
        description="Email of the person whose week it is; default: the caller. Team-mates and "
        "leads may add to someone else's week.",
    )


class WeekItemPatch(Schema):
    text: str | None = Field(None, description="Leave it out to keep the text")
    link: str | None = Field(
        None, description="Leave it out to keep the link; an empty string or null removes it"
    )


class MoveIn(Schema):
    category: str


class DoneIn(Schema):
    done: bool = Field(True, description="false puts the item back into Plans")


class ResolveIn(Schema):
    resolved: bool = Field(True, description="false opens the problem again")


class OrderIn(Schema):
    category: str
    codes: list[str] = Field(description="Item codes in their new order")
    week: dt.date | None = Field(None, description="Any day of the week; default: this week")


# --- answers ----------------------------------------------------------------------------------


def item_out(item: WeeklyItem) -> dict[str, Any]:
    """One item; call `hide_private_links` first so private objectives stay private."""
    hidden = bool(getattr(item, "link_hidden", False))
    link = None
    if not hidden and item.key_result_id and item.key_result:
        link = {"type": "key_result", "code": item.key_result.code, "title": item.key_result.title}
    elif not hidden and item.objective_id and item.objective:
        link = {"type": "objective", "code": item.objective.code, "title": item.objective.title}
    return {
        "code": item.code,
        "category": item.category,
        "text": item.text,
        "position": item.position,
        "link": link,
        "link_hidden": hidden,
        "carried_from": item.carried_from.code if item.carried_from else None,
        "done_at": item.done_at,
        "resolved_at": item.resolved_at,
        "source": item.source,
        "created_at": item.created_at,
    }


def _one(access: Access, item: WeeklyItem) -> dict[str, Any]:
    hide_private_links(access, [item])
    return item_out(item)


def _categories(organization: Organization) -> list[dict[str, str]]:
    return [{"key": c.key, "name": c.name} for c in categories(organization)]


def _week(organization: Organization, day: dt.date | None) -> dt.date:
    return week_containing(organization, day) if day else week_of(organization)


def _member_by_email(organization: Organization, email: str) -> Any:
    membership = (
        Membership.objects.filter(organization=organization, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def _item(request: HttpRequest, org: str, code: str) -> tuple[Access, WeeklyItem]:
    _organization, access = scoped(request, org)
    return access, get_item(access, code)


# --- a person's week --------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/week",
    response={200: WeekOut, 400: ErrorOut, 404: ErrorOut},
    summary="A person's week",
)
def week_show(
    request: HttpRequest, org: str, week: dt.date | None = None, person: str | None = None
) -> dict[str, Any]:
    """The caller's week (or, with `person`, a team-mate's) with every item. `week` is any
    day of the week; default: the current week. Last week's unfinished plans and open
    problems are carried in when the current week is read."""
    organization, access = scoped(request, org)
    owner = access.membership.user
    if person:
        owner = _member_by_email(organization, person)
        if owner is None or not can_see_person_week(access, owner.pk):
            raise Http404
    chosen = _week(organization, week)
    report = report_get(organization, owner.pk, chosen)
    items = week_items(access, organization, owner.pk, report)
    return {
        "week": chosen,
        "person": _person_out(owner),
        "categories": _categories(organization),
        "items": [item_out(item) for item in items],
        "plans_count": sum(1 for item in items if item.category == Category.PLANS),
    }


def _person_out(user: Any) -> dict[str, str]:
    out = person(user)
    assert out is not None
    return out


@router.post(
    "/orgs/{org}/week/items",
    response={201: WeekItemOut, **WRITE_ERRORS},
    summary="Add an item to a week",
)
def week_item_add(request: HttpRequest, org: str, payload: WeekItemIn) -> Status[dict[str, Any]]:
    organization, access = scoped(request, org)
    person_id = None
    if payload.person:
        owner = _member_by_email(organization, payload.person)
        if owner is None:
            raise ValidationError(
                {"person": [_("Nobody with that email belongs to this organization.")]}
            )
        person_id = owner.pk
    item = item_add(
        access=access,
        category=payload.category,
        text=payload.text,
        person_id=person_id,
        week=payload.week,
        link=payload.link,
        source=Source.API,
    )
    return Status(201, _one(access, item))


@router.patch(
    "/orgs/{org}/week/items/{code}",
    response={200: WeekItemOut, **WRITE_ERRORS},
    summary="Change an item's text or link",
)
def week_item_update(
    request: HttpRequest, org: str, code: str, payload: WeekItemPatch
) -> dict[str, Any]:
    access, item = _item(request, org, code)
    given = payload.model_fields_set
    text: Any = payload.text if "text" in given else UNCHANGED
    link: Any = (payload.link or "") if "link" in given else UNCHANGED
    item = item_update(access=access, item=item, text=text, link=link)
    return _one(access, item)


@router.delete(
    "/orgs/{org}/week/items/{code}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 400: ErrorOut},
    summary="Delete an item",
)
def week_item_delete(request: HttpRequest, org: str, code: str) -> Status[None]:
    access, item = _item(request, org, code)
    item_delete(access=access, item=item)
    return Status(204, None)


@router.post(
    "/orgs/{org}/week/items/{code}/move",
    response={200: WeekItemOut, **WRITE_ERRORS},
    summary="Move an item to another category",
)
def week_item_move(request: HttpRequest, org: str, code: str, payload: MoveIn) -> dict[str, Any]:
    """Moving a plan to progress marks it done; moving it anywhere else clears that."""
    access, item = _item(request, org, code)
    item = item_move(access=access, item=item, category=payload.category)
    return _one(access, item)


@router.post(
    "/orgs/{org}/week/items/{code}/done",
    response={200: WeekItemOut, **WRITE_ERRORS},
    summary="Mark a plan done (or not done)",
)
def week_item_done(
    request: HttpRequest, org: str, code: str, payload: DoneIn | None = None
) -> dict[str, Any]:
    """A done plan moves to Progress; `{"done": false}` puts it back into Plans."""
    access, item = _item(request, org, code)
    done = payload.done if payload is not None else True
    item = item_done(access=access, item=item, done=done)
    return _one(access, item)


@router.post(
    "/orgs/{org}/week/items/{code}/resolve",
    response={200: WeekItemOut, **WRITE_ERRORS},
    summary="Mark a problem resolved (or open again)",
)
def week_item_resolve(
    request: HttpRequest, org: str, code: str, payload: ResolveIn | None = None
) -> dict[str, Any]:
    """A resolved problem stays in its week but is no longer carried into the next one."""
    access, item = _item(request, org, code)
    resolved = payload.resolved if payload is not None else True
    item = item_resolve(access=access, item=item, resolved=resolved)
    return _one(access, item)


@router.post(
    "/orgs/{org}/week/order",
    response={200: list[WeekItemOut], **WRITE_ERRORS},
    summary="Put the items of one category in order",
)
def week_order(request: HttpRequest, org: str, payload: OrderIn) -> list[dict[str, Any]]:
    """Codes left out keep their place after the ones given. Answers with the category's
    items in their new order."""
    organization, access = scoped(request, org)
    report = report_get(organization, access.user_id, _week(organization, payload.week))
    if report is None:
        raise Http404
    ordered = items_reorder(
        access=access, report=report, category=payload.category, codes=payload.codes
    )
    items = list(
        WeeklyItem.objects.filter(pk__in=[item.pk for item in ordered])
        .select_related("objective", "key_result", "carried_from")
        .order_by("position", "id")
    )
    hide_private_links(access, items)
    return [item_out(item) for item in items]


# --- a team's week and the key results to update ----------------------------------------------


def _unit_access(access: Access, unit: Unit) -> None:
    """As on the web: the unit's people, the leads above it and admins; 404 for others."""
    if access.is_admin or unit.id in access.led_unit_ids or unit.id in access.member_unit_ids:
        return
    raise Http404


@router.get(
    "/orgs/{org}/units/{code}/week",
    response={200: UnitWeekOut, 400: ErrorOut, 404: ErrorOut},
    summary="A team's week",
)
def unit_week(
    request: HttpRequest, org: str, code: str, week: dt.date | None = None
) -> dict[str, Any]:
    """Every member of the unit (and of the units below it) with their items for the week."""
    organization, access = scoped(request, org)
    unit = get_unit(organization, code)
    _unit_access(access, unit)
    chosen = _week(organization, week)
    members = unit_people(organization, unit)
    if chosen == week_of(organization):
        carry_over(organization, week=chosen, people=[member.user_id for member in members])
    people, _groups = team_week(access, organization, unit, chosen, members)
    return {
        "week": chosen,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
        "categories": _categories(organization),
        "members": [
            {
                "person": _person_out(entry.person),
                "is_lead": entry.is_lead,
                "filled_in": entry.filled_in,
                "items": [item_out(item) for item in entry.items],
            }
            for entry in people
        ],
    }


@router.get(
    "/orgs/{org}/week/key-results",
    response={200: list[WeekKeyResultOut], 404: ErrorOut},
    summary="The key results the caller updates",
)
def week_key_results(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    """Key results the caller owns and those of their teams' current objectives, with the
    value expected today and their status."""
    organization, access = scoped(request, org)
    result = []
    for kr in key_results_to_update(access, organization, access.user_id):
        confidence = kr.last_confidence
        result.append(
            {
                "code": kr.code,
                "title": kr.title,
                "objective": kr.objective.code,
                "objective_title": kr.objective.title,
                "unit_label": kr.unit_label,
                "current": kr.current,
                "target": kr.target,
                "expected": getattr(kr, "expected", None),
                "status": str(getattr(kr, "status", "")),
                "last_checkin_at": kr.last_checkin_at,
                "confidence": None if confidence is None else round(confidence * 10),
                "mine": bool(getattr(kr, "mine", False)),
                "can_check_in": access.can_check_in(kr, kr.objective),
            }
        )
    return result
