"""API endpoints for notifications: a person's preferences, the organization's notification
settings, a unit's check-in schedule, and the log of what was sent.

The same services as the pages (`tenfold.notifications.services`); refusals become the one
error shape through the handlers in `views`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tenfold.notifications import services
from tenfold.notifications.models import (
    PERSONAL_KINDS,
    Delivery,
    Kind,
    Schedule,
    Status,
    org_settings,
)
from tenfold.notifications.reminders import _unit_when
from tenfold.organizations.models import Unit

from .paging import PageIn, paginate
from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["Notifications"])

WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}
PERSONAL = ", ".join(str(kind) for kind in PERSONAL_KINDS)


class PreferencesOut(Schema):
    email: bool = Field(description="Whether email reaches the person at all")
    muted_until: dt.date | None = Field(description="Nothing is sent up to and including this day")
    kinds_off: list[str] = Field(description=f"Kinds switched off, among: {PERSONAL}")
    time_zone: str = Field(description="The person's own time zone; empty follows the team's")


class PreferencesIn(Schema):
    email: bool | None = None
    muted_until: dt.date | None = None
    kinds_off: list[str] | None = None
    time_zone: str | None = None


class SettingsOut(Schema):
    weekly_reminders: bool
    stale_nudges: bool
    review_reminder_days: int = Field(description="0 turns review reminders off")
    digests: bool
    digest_weekday: int = Field(description="0 = Monday … 6 = Sunday")
    digest_hour: int


class SettingsIn(Schema):
    weekly_reminders: bool | None = None
    stale_nudges: bool | None = None
    review_reminder_days: int | None = None
    digests: bool | None = None
    digest_weekday: int | None = None
    digest_hour: int | None = None


class ScheduleOut(Schema):
    unit: str
    own_weekday: int | None = Field(description="The unit's own day; null follows the organization")
    own_hour: int | None
    own_time_zone: str
    reminders: bool
    weekday: int = Field(description="The day in effect (0 = Monday)")
    hour: int = Field(description="The hour in effect")
    time_zone: str = Field(description="The time zone in effect")


class ScheduleIn(Schema):
    weekday: int | None = None
    hour: int | None = None
    time_zone: str = ""
    reminders: bool = True


class NotificationDeliveryOut(Schema):
    kind: str
    channel: str
    recipient: str
    person: str | None
    unit: str | None
    period: str
    status: str = Field(description="pending (sending or waiting to retry), sent, failed, skipped")
    subject: str
    attempts: int
    error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


def _prefs(organization: Any, user: Any) -> dict[str, Any]:
    pref = services.preference_of(organization, user)
    return {
        "email": pref.email,
        "muted_until": pref.muted_until,
        "kinds_off": list(pref.kinds_off),
        "time_zone": user.time_zone,
    }


@router.get(
    "/orgs/{org}/me/notifications",
    response={200: PreferencesOut, 404: ErrorOut},
    summary="Your notification preferences",
)
def get_my_notifications(request: HttpRequest, org: str) -> dict[str, Any]:
    organization, _access = scoped(request, org)
    return _prefs(organization, request.user)


@router.put(
    "/orgs/{org}/me/notifications",
    response={200: PreferencesOut, **WRITE_ERRORS},
    summary="Change your notification preferences",
)
def set_my_notifications(request: HttpRequest, org: str, payload: PreferencesIn) -> dict[str, Any]:
    """Fields left out keep their value. `muted_until: null` ends a pause when sent explicitly."""
    organization, _access = scoped(request, org)
    user: Any = request.user
    pref = services.preference_of(organization, user)
    given = payload.model_fields_set
    services.preference_update(
        organization=organization,
        user=user,
        email=payload.email if payload.email is not None else pref.email,
        muted_until=payload.muted_until if "muted_until" in given else pref.muted_until,
        kinds_off=payload.kinds_off if payload.kinds_off is not None else list(pref.kinds_off),
        time_zone=payload.time_zone,
    )
    return _prefs(organization, user)


def _admin(request: HttpRequest, org: str) -> Any:
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage notifications."))
    return organization


@router.get(
    "/orgs/{org}/notification-settings",
    response={200: SettingsOut, 403: ErrorOut, 404: ErrorOut},
    summary="What the organization sends, and when",
)
def get_notification_settings(request: HttpRequest, org: str) -> Any:
    return org_settings(_admin(request, org))


@router.put(
    "/orgs/{org}/notification-settings",
    response={200: SettingsOut, **WRITE_ERRORS},
    summary="Change what the organization sends",
)
def set_notification_settings(request: HttpRequest, org: str, payload: SettingsIn) -> Any:
    organization = _admin(request, org)
    values = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return services.org_settings_update(organization=organization, by=request.user, **values)


def _schedule_data(unit: Unit) -> dict[str, Any]:
    schedule = Schedule.objects.filter(unit=unit).first()
    when = _unit_when(unit.organization, schedule)
    return {
        "unit": unit.code,
        "own_weekday": schedule.checkin_weekday if schedule else None,
        "own_hour": schedule.checkin_hour if schedule else None,
        "own_time_zone": schedule.time_zone if schedule else "",
        "reminders": schedule.reminders if schedule else True,
        "weekday": when.weekday,
        "hour": when.hour,
        "time_zone": when.tz_name,
    }


@router.get(
    "/orgs/{org}/units/{code}/schedule",
    response={200: ScheduleOut, 404: ErrorOut},
    summary="A unit's check-in schedule",
)
def get_unit_schedule(request: HttpRequest, org: str, code: str) -> dict[str, Any]:
    organization, _access = scoped(request, org)
    unit = get_object_or_404(
        Unit.objects.select_related("organization"), organization=organization, code=code
    )
    return _schedule_data(unit)


@router.put(
    "/orgs/{org}/units/{code}/schedule",
    response={200: ScheduleOut, **WRITE_ERRORS},
    summary="Set a unit's own check-in day, hour and time zone",
)
def set_unit_schedule(
    request: HttpRequest, org: str, code: str, payload: ScheduleIn
) -> dict[str, Any]:
    """Leads of the unit and admins. `weekday`/`hour` null and `time_zone` empty follow the
    organization's."""
    organization, access = scoped(request, org)
    unit = get_object_or_404(
        Unit.objects.select_related("organization"), organization=organization, code=code
    )
    if not (access.is_admin or unit.pk in access.led_unit_ids):
        raise PermissionDenied(_("Only the unit's leads and admins set its check-in schedule."))
    services.schedule_update(
        unit=unit,
        by=request.user,
        checkin_weekday=payload.weekday,
        checkin_hour=payload.hour,
        time_zone=payload.time_zone,
        reminders=payload.reminders,
    )
    return _schedule_data(unit)


@router.get(
    "/orgs/{org}/deliveries",
    response={200: list[NotificationDeliveryOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="What was sent (admins)",
)
def list_deliveries(
    request: HttpRequest,
    response: HttpResponse,
    org: str,
    page: Query[PageIn],
    status: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Newest first. Filter by `status` (pending, sent, failed, skipped) and `kind`.
    Paginated (`limit` up to 500, `offset`; X-Total-Count and Link headers)."""
    organization = _admin(request, org)
    errors: dict[str, list[str]] = {}
    if status and status not in Status.values:
        errors["status"] = [_("Choose one of: %(keys)s.") % {"keys": ", ".join(Status.values)}]
    if kind and kind not in Kind.values:
        errors["kind"] = [_("Choose one of: %(keys)s.") % {"keys": ", ".join(Kind.values)}]
    if errors:
        raise ValidationError(errors)
    rows = Delivery.objects.filter(organization=organization).select_related("user", "unit")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return [
        {
            "kind": row.kind,
            "channel": row.channel,
            "recipient": row.recipient,
            "person": row.user.email if row.user else None,
            "unit": row.unit.code if row.unit else None,
            "period": row.period,
            "status": row.status,
            "subject": row.subject,
            "attempts": row.attempts,
            "error": row.error,
            "created_at": row.created_at,
            "sent_at": row.sent_at,
        }
        for row in paginate(request, response, rows.order_by("-created_at", "-id"), page)
    ]
