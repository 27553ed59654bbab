"""API endpoints for calendar feeds: the caller's personal feed URL and those of their teams,
a unit's feed URL, and resetting either link.

The URLs open without signing in (calendar apps cannot sign in), so they are secrets: a
unit's URL is given to its members, leads and admins only (403 otherwise); resetting makes a
new one and kills the old at once (a unit's: leads and admins)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.calendars import services
from tenfold.calendars.feeds import rhythms_of
from tenfold.calendars.selectors import (
    may_see_unit_feed,
    person_feed_url,
    unit_feed_url,
    unit_feed_urls,
    webcal_url,
)
from tenfold.organizations.models import Organization, Unit, UnitMember
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit

from .schemas import ErrorOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Calendars"])

FEED = "An iCalendar feed (text/calendar) that opens without signing in"


class RhythmOut(Schema):
    weekday: int = Field(description="Check-in day, 0 = Monday")
    hour: int = Field(description="Check-in hour, local time")
    time_zone: str


class UnitFeedOut(Schema):
    unit: UnitRef
    url: str = Field(description=FEED)
    webcal: str = Field(description="The same feed as a webcal:// link")
    rhythm: RhythmOut


class MyCalendarOut(Schema):
    url: str = Field(description=FEED + ": the caller's teams' meetings and the cycle dates")
    webcal: str
    teams: list[UnitFeedOut] = Field(description="Feeds of the units the caller belongs to")


def _unit_feed(organization: Organization, unit: Unit, url: str, rhythm: Any) -> dict[str, Any]:
    return {
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
        "url": url,
        "webcal": webcal_url(url),
        "rhythm": {
            "weekday": rhythm.weekday,
            "hour": rhythm.hour,
            "time_zone": rhythm.time_zone,
        },
    }


def _my_calendar(organization: Organization, access: Access) -> dict[str, Any]:
    user = access.membership.user
    units = [
        row.unit
        for row in UnitMember.objects.filter(organization=organization, user=user)
        .select_related("unit")
        .order_by("unit__order", "unit__name")
    ]
    urls = unit_feed_urls(organization, units)
    rhythms = rhythms_of(organization, units)
    url = person_feed_url(organization, user)
    return {
        "url": url,
        "webcal": webcal_url(url),
        "teams": [
            _unit_feed(organization, unit, urls[unit.id], rhythms[unit.id]) for unit in units
        ],
    }


def _visible_unit(request: HttpRequest, org: str, code: str) -> tuple[Organization, Access, Unit]:
    organization, access = scoped(request, org)
    unit = get_unit(organization, code.strip().lower())
    if not may_see_unit_feed(access, unit):
        raise PermissionDenied(_("Only the unit's members, leads and admins get its calendar."))
    unit.organization = organization
    return organization, access, unit


@router.get(
    "/orgs/{org}/calendar",
    response={200: MyCalendarOut, 404: ErrorOut},
    summary="Your calendar feed URLs",
)
def get_my_calendar(request: HttpRequest, org: str) -> dict[str, Any]:
    organization, access = scoped(request, org)
    return _my_calendar(organization, access)


@router.post(
    "/orgs/{org}/calendar/reset",
    response={200: MyCalendarOut, 404: ErrorOut},
    summary="Make a new personal calendar link",
)
def reset_my_calendar(request: HttpRequest, org: str) -> dict[str, Any]:
    """The old personal link stops working at once; team links are not touched."""
    organization, access = scoped(request, org)
    services.person_feed_reset(access=access)
    return _my_calendar(organization, access)


@router.get(
    "/orgs/{org}/units/{code}/calendar",
    response={200: UnitFeedOut, 403: ErrorOut, 404: ErrorOut},
    summary="A unit's calendar feed URL",
)
def get_unit_calendar(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access, unit = _visible_unit(request, org, code)
    rhythm = rhythms_of(organization, [unit])[unit.id]
    return _unit_feed(organization, unit, unit_feed_url(organization, unit), rhythm)


@router.post(
    "/orgs/{org}/units/{code}/calendar/reset",
    response={200: UnitFeedOut, 403: ErrorOut, 404: ErrorOut},
    summary="Make a new calendar link for a unit",
)
def reset_unit_calendar(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    """Leads of the unit and admins only. Everyone subscribed to the old link must subscribe
    again with the new one."""
    organization, access, unit = _visible_unit(request, org, code)
    url = services.unit_feed_reset(access=access, unit=unit)
    rhythm = rhythms_of(organization, [unit])[unit.id]
    return _unit_feed(organization, unit, url, rhythm)
