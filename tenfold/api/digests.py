"""API endpoints for digests: the weekly digest of a unit or of the company as data, and the
subscribers outside the organization who receive it by email (admins only).

Like the rest of the API: a scoped fetch, the access rules of `tenfold.digests.selectors` (the
same as the digest page), a call to a service in `tenfold.digests.services`, and the answer.
Refusals become the one error shape through the handlers in `views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tenfold.checkins.weekly import week_containing, week_of
from tenfold.digests import services
from tenfold.digests.emails import subscriber_sections
from tenfold.digests.models import Section
from tenfold.digests.selectors import (
    digest_data,
    digest_for,
    get_digest_unit,
    get_subscriber,
    may_read,
    subscriber_data,
    subscriber_digest,
    subscribers_of,
    week_end_of,
)
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access

from .paging import PageIn, paginate
from .schemas import ErrorOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Digests"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
SECTION_KEYS = ", ".join(Section.values)
STATUS_HELP = "on_track, at_risk, off_track, stale, pending or done"


# --- shapes ---------------------------------------------------------------------------------------


class DigestCycleOut(Schema):
    code: str
    name: str
    start: dt.date
    end: dt.date


class DigestSummaryOut(Schema):
    elapsed: str | None = Field(description="Share of the cycle that has passed, 0–1")
    progress: str | None = Field(
        description="Average progress of the objectives shown, 0–1 (null without any)"
    )
    key_results: dict[str, int] = Field(description=f"Key results per status: {STATUS_HELP}")
    objectives: dict[str, int] = Field(description="Objectives per status")
    checkins: int = Field(description="Check-ins recorded during the week")


class DigestKeyResultOut(Schema):
    key_result: str = Field(description="The key result's code")
    title: str
    objective: str = Field(description="The objective's code")
    unit: str = Field(description="Name of the unit that owns the objective")
    value: str | None = Field(description="The value at the end of the week")
    target: str | None
    progress: str | None = Field(description="Progress at the end of the week, 0–1")
    status: str = Field(description=STATUS_HELP)
    last_checkin_at: dt.datetime | None
    url: str
    owner: str | None = Field(
        None, description="Name of the owner, in the attention lists when names may be shown"
    )
    before_value: str | None = Field(None, description="The value when the week began")
    before_progress: str | None = Field(None, description="Progress when the week began")
    change: str | None = Field(None, description="Progress gained during the week")
    checkins: int | None = Field(None, description="Check-ins during the week")
    note: str | None = Field(None, description="The latest note of the week")


class DigestObjectiveOut(Schema):
    objective: str = Field(description="The objective's code")
    title: str
    unit: str
    level: str
    progress: str | None
    before_progress: str | None
    change: str | None
    status: str
    key_result_count: int
    url: str


class DigestHighlightsOut(Schema):
    reached: list[DigestKeyResultOut] = Field(description="Key results that reached their target")
    objectives_moved: list[DigestObjectiveOut] = Field(description="Objectives that moved most")
    kudos: int
    reactions: int


class DigestItemOut(Schema):
    text: str
    name: str = Field(description="Whose week it is in")
    link_title: str
    link_url: str
    weeks_open: int = Field(description="For problems: in how many weeks it has been open")


class DigestPlanGroupOut(Schema):
    name: str
    done: int = Field(description="Items moved to progress this week")
    items: list[DigestItemOut]


class DigestHelpReasonOut(Schema):
    kind: str = Field(description="problem, confidence or quiet")
    subject: str
    weeks: int
    confidence: int
    days: int


class DigestHelpOut(Schema):
    name: str
    reasons: list[DigestHelpReasonOut]


class DigestTeamHelpOut(Schema):
    team: str
    long_problems: int
    low_confidence: int
    stale: int
    quiet: bool
    no_okrs: bool
    url: str


class DigestUnitOut(Schema):
    code: str
    name: str
    kind: str


class DigestOut(Schema):
    kind: str = Field(description="team (a unit's digest) or company")
    organization: str
    unit: DigestUnitOut | None
    week: dt.date = Field(description="First day of the week the digest is about")
    since: dt.datetime
    until: dt.datetime
    cycle: DigestCycleOut | None
    url: str = Field(description="The digest's page")
    summary: DigestSummaryOut | None = None
    objectives: list[DigestObjectiveOut] | None = None
    objectives_total: int | None = None
    moved: list[DigestKeyResultOut] | None = None
    moved_total: int | None = None
    at_risk: list[DigestKeyResultOut] | None = None
    at_risk_total: int | None = None
    stale: list[DigestKeyResultOut] | None = None
    stale_total: int | None = None
    highlights: DigestHighlightsOut | None = None
    plans: list[DigestPlanGroupOut] | None = Field(None, description="Team digests only")
    problems: list[DigestItemOut] | None = Field(None, description="Team digests only")
    needs_help: list[DigestHelpOut] | None = Field(
        None, description="Team digests: who may welcome a hand, by name, never ranked"
    )
    teams_needing_help: list[DigestTeamHelpOut] | None = None


class SubscriberOut(Schema):
    code: str
    email: str
    name: str
    unit: UnitRef | None = Field(description="The unit whose digest they get; null: the company")
    sections: list[str] = Field(description=f"What they receive: {SECTION_KEYS}")
    include_names: bool
    active: bool
    unsubscribed_at: dt.datetime | None
    created_at: dt.datetime


class SubscriberIn(Schema):
    email: str
    name: str = ""
    unit: str | None = Field(None, description="Code of the unit; leave out for the company")
    sections: list[str] | None = Field(
        None, description=f"Any of {SECTION_KEYS}; default: summary, objectives, highlights"
    )
    include_names: bool = Field(False, description="Names of people; off unless set")


class SubscriberPatch(Schema):
    email: str | None = None
    name: str | None = None
    unit: str | None = Field(None, description='Code of the unit; "company" for the company')
    sections: list[str] | None = None
    include_names: bool | None = None
    active: bool | None = None


# --- helpers --------------------------------------------------------------------------------------


def _week(organization: Organization, raw: str | None) -> dt.date:
    if not raw:
        return week_of(organization)
    try:
        return week_containing(organization, dt.date.fromisoformat(raw))
    except ValueError:
        raise ValidationError({"week": [_("Give the week as a date: YYYY-MM-DD.")]}) from None


def _unit(organization: Organization, access: Access, code: str | None) -> Unit | None:
    try:
        return get_digest_unit(access, organization, code)
    except Http404:
        raise ValidationError(
            {"unit": [_("No unit of this organization has that code.")]}
        ) from None


def _admin(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage who receives digests."))
    return organization, access


# --- endpoints ------------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/digest",
    response={200: DigestOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="The weekly digest of a unit or of the company",
)
def get_digest(
    request: HttpRequest, org: str, unit: str | None = None, week: str | None = None
) -> dict[str, Any]:
    """What the weekly email says, as data: for the unit with code `unit` (its members, the
    leads above it and admins may read it) or, without `unit`, for the company (everyone). The
    week is the one containing the date `week` (YYYY-MM-DD), default this week; a week not
    over yet is shown as it stands now. Nobody is named beside a progress figure."""
    organization, access = scoped(request, org)
    chosen = _unit(organization, access, unit)
    day = _week(organization, week)
    if not may_read(access, chosen):
        raise PermissionDenied(
            _("This digest is for the team's members, the leads above it and admins.")
        )
    digest = digest_for(organization, chosen, week_end_of(organization, day))
    return digest_data(digest)


@router.get(
    "/orgs/{org}/subscribers",
    response={200: list[SubscriberOut], 403: ErrorOut, 404: ErrorOut},
    summary="Digest subscribers",
)
def list_subscribers(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[PageIn]
) -> list[dict[str, Any]]:
    """People outside the organization who receive a digest by email. Admins only.
    Paginated (`limit`, `offset`; X-Total-Count and Link headers)."""
    organization, _access = _admin(request, org)
    rows = paginate(request, response, subscribers_of(organization), page)
    return [subscriber_data(subscriber) for subscriber in rows]


@router.post(
    "/orgs/{org}/subscribers",
    response={201: SubscriberOut, **WRITE_ERRORS},
    summary="Add a digest subscriber",
)
def create_subscriber(
    request: HttpRequest, org: str, payload: SubscriberIn
) -> Status[dict[str, Any]]:
    """Admins only. Names of people stay out of their digest unless `include_names` is true;
    weekly plans and problems are never sent to subscribers."""
    organization, access = _admin(request, org)
    subscriber = services.subscriber_add(
        access=access,
        email=payload.email,
        name=payload.name,
        unit=_unit(organization, access, payload.unit),
        sections=payload.sections,
        include_names=payload.include_names,
    )
    return Status(201, subscriber_data(subscriber))


@router.get(
    "/orgs/{org}/subscribers/{code}",
    response={200: SubscriberOut, 403: ErrorOut, 404: ErrorOut},
    summary="One digest subscriber",
)
def get_one_subscriber(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access = _admin(request, org)
    return subscriber_data(get_subscriber(organization, code))


@router.patch(
    "/orgs/{org}/subscribers/{code}",
    response={200: SubscriberOut, **WRITE_ERRORS},
    summary="Change a digest subscriber",
)
def update_subscriber(
    request: HttpRequest, org: str, code: str, payload: SubscriberPatch
) -> dict[str, Any]:
    """Only the fields sent change. Someone who unsubscribed cannot be switched back on."""
    organization, access = _admin(request, org)
    subscriber = get_subscriber(organization, code)
    changes: dict[str, Any] = {
        name: getattr(payload, name)
        for name in ("email", "name", "sections", "include_names", "active")
        if name in payload.model_fields_set and getattr(payload, name) is not None
    }
    if "unit" in payload.model_fields_set:
        raw = payload.unit
        changes["unit"] = None if raw in (None, "", "company") else _unit(organization, access, raw)
    updated = services.subscriber_update(access=access, subscriber=subscriber, **changes)
    return subscriber_data(updated)


@router.delete(
    "/orgs/{org}/subscribers/{code}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Remove a digest subscriber",
)
def delete_subscriber(request: HttpRequest, org: str, code: str) -> Status[None]:
    organization, access = _admin(request, org)
    services.subscriber_remove(access=access, subscriber=get_subscriber(organization, code))
    return Status(204, None)


@router.get(
    "/orgs/{org}/subscribers/{code}/preview",
    response={200: DigestOut, 403: ErrorOut, 404: ErrorOut},
    summary="What a subscriber would receive now",
)
def preview_subscriber(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """The subscriber's digest of the last seven days, cut to their sections and names flag.
    Admins only."""
    organization, _access = _admin(request, org)
    subscriber = get_subscriber(organization, code)
    digest = subscriber_digest(subscriber, timezone.now())
    return digest_data(
        digest, sections=subscriber_sections(subscriber), names=subscriber.include_names
    )
