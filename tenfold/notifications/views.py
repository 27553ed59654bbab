"""Pages: a person's notification preferences, the organization's notification settings with
the delivery log, a team's check-in schedule, and the integrations overview with the allow-list
of private hosts.

Parse → authorize → call a service → render. Writes are POST only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tenfold.integrations.forms import AllowedHostForm
from tenfold.integrations.models import AllowedHost
from tenfold.integrations.services import allowed_host_add, allowed_host_remove
from tenfold.organizations.models import Organization, Unit, Weekday
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import apply_errors, org_access, render
from tenfold.web.views.organization import admin_access

from . import services
from .forms import OrgSettingsForm, PreferenceForm, ScheduleForm
from .models import PERSONAL_KINDS, Delivery, Heartbeat, Kind, Schedule, Status, org_settings
from .reminders import When, _unit_when

LOG_SIZE = 100


def when_label(when: When) -> str:
    return f"{Weekday(when.weekday).label} {when.hour:02d}:00 ({when.tz_name})"


@require_http_methods(["GET", "HEAD", "POST"])
def my_notifications(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    user: Any = request.user
    pref = services.preference_of(organization, user)
    status = 200
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.preference_update(
                    organization=organization,
                    user=user,
                    email=data["email"],
                    muted_until=data["muted_until"],
                    kinds_off=[str(k) for k in PERSONAL_KINDS if str(k) not in data["kinds_on"]],
                    time_zone=data["time_zone"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Your notification preferences are saved."))
                return redirect("my_notifications", org=organization.slug)
        status = 400
    else:
        form = PreferenceForm(
            initial={
                "email": pref.email,
                "kinds_on": [str(k) for k in PERSONAL_KINDS if str(k) not in pref.kinds_off],
                "muted_until": pref.muted_until,
                "time_zone": user.time_zone,
            }
        )
    recent = list(
        Delivery.objects.filter(organization=organization, user=user).order_by("-created_at")[:20]
    )
    return render(
        request,
        "notifications/my_notifications.html",
        {"org": organization, "access": access, "form": form, "recent": recent},
        status=status,
    )


def _worker_state() -> dict[str, Any]:
    beat = Heartbeat.objects.filter(name="tick").first()
    late = beat is None or (timezone.now() - beat.at).total_seconds() > max(
        3 * 60 * settings.WORKER_TICK_MINUTES, 15 * 60
    )
    return {"beat": beat, "late": late, "immediate": settings.TASKS_MODE == "immediate"}


@require_http_methods(["GET", "HEAD", "POST"])
def settings_notifications(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    opts = org_settings(organization)
    status = 200
    if request.method == "POST":
        form = OrgSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.org_settings_update(
                    organization=organization, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Notification settings saved."))
                return redirect("settings_notifications", org=organization.slug)
        status = 400
    else:
        form = OrgSettingsForm(initial={name: getattr(opts, name) for name in services.ORG_FIELDS})
    status_filter = request.GET.get("status", "")
    kind_filter = request.GET.get("kind", "")
    log = Delivery.objects.filter(organization=organization).select_related("user", "unit")
    if status_filter in Status.values:
        log = log.filter(status=status_filter)
    if kind_filter in Kind.values:
        log = log.filter(kind=kind_filter)
    schedules = {s.unit_id: s for s in Schedule.objects.filter(organization=organization)}
    units = list(organization.units.order_by("kind", "name"))
    rows = [
        (unit, schedules.get(unit.pk), when_label(_unit_when(organization, schedules.get(unit.pk))))
        for unit in units
    ]
    return render(
        request,
        "notifications/settings_notifications.html",
        {
            "org": organization,
            "access": access,
            "form": form,
            "tab": "notifications",
            "log": list(log.order_by("-created_at")[:LOG_SIZE]),
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "status_filter": status_filter,
            "kind_filter": kind_filter,
            "schedule_rows": rows,
            "worker": _worker_state(),
        },
        status=status,
    )


def _schedule_access(
    request: HttpRequest, org: str, code: str
) -> tuple[Organization, Access, Unit]:
    organization, access = org_access(request, org)
    unit = get_object_or_404(Unit, organization=organization, code=code)
    if not (access.is_admin or unit.pk in access.led_unit_ids):
        raise PermissionDenied(_("Only the unit's leads and admins set its check-in schedule."))
    return organization, access, unit


@require_http_methods(["GET", "HEAD", "POST"])
def unit_schedule(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access, unit = _schedule_access(request, org, code)
    schedule = Schedule.objects.filter(unit=unit).first()
    status = 200
    if request.method == "POST":
        form = ScheduleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_update(
                    unit=unit,
                    by=request.user,
                    checkin_weekday=data["checkin_weekday"],
                    checkin_hour=data["checkin_hour"],
                    time_zone=data["time_zone"],
                    reminders=data["reminders"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The check-in schedule is saved."))
                return redirect("unit_schedule", org=organization.slug, code=unit.code)
        status = 400
    else:
        form = ScheduleForm(
            initial={
                "checkin_weekday": schedule.checkin_weekday if schedule else None,
                "checkin_hour": schedule.checkin_hour if schedule else None,
                "time_zone": schedule.time_zone if schedule else "",
                "reminders": schedule.reminders if schedule else True,
            }
        )
    return render(
        request,
        "notifications/unit_schedule.html",
        {
            "org": organization,
            "access": access,
            "unit": unit,
            "form": form,
            "when": when_label(_unit_when(organization, schedule)),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def settings_integrations(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    status = 200
    form = AllowedHostForm()
    if request.method == "POST":
        form = AllowedHostForm(request.POST)
        if form.is_valid():
            try:
                allowed_host_add(
                    organization=organization,
                    host=form.cleaned_data["host"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The host is allowed."))
                return redirect("settings_integrations", org=organization.slug)
        status = 400
    hosts = list(AllowedHost.objects.filter(organization=organization).select_related("created_by"))
    return render(
        request,
        "notifications/settings_integrations.html",
        {
            "org": organization,
            "access": access,
            "tab": "integrations",
            "form": form,
            "hosts": hosts,
            "worker": _worker_state(),
            "reply_domain": settings.REPLY_DOMAIN,
        },
        status=status,
    )


@require_POST
def allowed_host_delete(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = admin_access(request, org)
    host = (
        AllowedHost.objects.filter(
            organization=organization, pk=request.POST.get("host") or 0
        ).first()
        if (request.POST.get("host") or "").isdigit()
        else None
    )
    if host is None:
        messages.error(request, _("That host is not on the list."))
        return redirect("settings_integrations", org=organization.slug)
    allowed_host_remove(organization=organization, host=host, by=request.user)
    messages.success(request, _("%(host)s is no longer allowed.") % {"host": host.host})
    return redirect("settings_integrations", org=organization.slug)
