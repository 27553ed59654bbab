"""KPI pages: the list grouped by unit, one KPI with its history, the create and edit forms,
recording a value, and drafting an OKR for a KPI.

Parse → authorize → call a service → render, like the other pages. Writes are POST only and
refuse with 403 whoever may not make them, htmx or not. A refused htmx value answers 200 with the
messages inside the swapped fragment (htmx does not swap 4xx answers); the same refusal as a
plain form post answers 400 with the whole page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.checkins.services import organization_zone
from tenfold.lib.charts import Reading
from tenfold.lib.validation import error_dict
from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.okrs.selectors import cycles_of
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import people_of, unit_tree
from tenfold.web.shortcuts import apply_errors, org_access, render

from .chart import kpi_chart, sparkline
from .forms import COMPANY, KpiForm, KpiValueForm, WriteOkrForm
from .models import Kpi
from .selectors import (
    can_create_any,
    can_manage,
    can_manage_in,
    can_record,
    can_write_okr,
    detail,
    format_value,
    get_kpi,
    overview,
    plain,
    today_in,
)
from .services import kpi_create, kpi_record_value, kpi_update, kpi_write_okr

DETAIL = "kpis/detail.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def open_cycles(organization: Organization, today: dt.date) -> tuple[list[Cycle], Cycle | None]:
    """Cycles an objective may still be written for, and the one to offer first: the active
    cycle around today, else the first active one, else the next to start."""
    cycles = [c for c in cycles_of(organization) if c.state != CycleState.CLOSED]
    ordered = sorted(cycles, key=lambda c: (c.kind == CycleKind.YEAR, c.start))
    default = (
        next(
            (c for c in ordered if c.state == CycleState.ACTIVE and c.start <= today <= c.end),
            None,
        )
        or next((c for c in ordered if c.state == CycleState.ACTIVE), None)
        or next((c for c in ordered if c.end >= today), None)
    )
    return ordered, default


def _page_url(organization: Organization, kpi: Kpi) -> str:
    return reverse("kpi", kwargs={"org": organization.slug, "code": kpi.code})


@require_safe
def kpi_list(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    today = today_in(organization)
    data = overview(access, organization)
    for row in [*(row for group in data.groups for row in group.rows), *data.inactive]:
        row.spark = sparkline(
            [v.value for v in row.recent], target=row.kpi.target, target_high=row.kpi.target_high
        )
    _cycles, default_cycle = open_cycles(organization, today)
    return render(
        request,
        "kpis/list.html",
        {
            "org": organization,
            "access": access,
            "nav": "kpis",
            "overview": data,
            "default_cycle": default_cycle,
            "can_create": can_create_any(access),
        },
    )


def _manageable_units(organization: Organization, access: Access, keep: Any = None) -> list[Any]:
    return [
        unit
        for unit, _depth in unit_tree(organization)
        if (keep is not None and unit.id == keep) or can_manage_in(access, unit.id)
    ]


def _form_page(
    request: HttpRequest, organization: Organization, access: Access, form: KpiForm, kpi: Any
) -> HttpResponse:
    return render(
        request,
        "kpis/form.html",
        {"org": organization, "access": access, "form": form, "kpi": kpi, "nav": "kpis"},
        status=400 if request.method == "POST" else 200,
    )


def _fields(form: KpiForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "unit": form.unit_map.get(data["unit"]),
        "description": data["description"],
        "direction": data["direction"],
        "target": data["target"],
        "target_high": data["target_high"],
        "value_format": data["value_format"],
        "unit_label": data["unit_label"],
        "currency": data["currency"],
        "decimals": data["decimals"],
        "owner": form.chosen_owner(),
        "active": data["active"],
    }


def kpi_new(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    units = _manageable_units(organization, access)
    if not units:
        raise PermissionDenied(_("Only admins and team leads add KPIs."))
    default_unit = request.GET.get("unit") or ("" if access.is_admin else units[0].code)
    form = KpiForm(
        request.POST if request.method == "POST" else None,
        initial={"unit": default_unit or COMPANY, "owner": str(request.user.pk), "active": True},
        units=units,
        people=list(people_of(organization)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            kpi = kpi_create(organization=organization, by=request.user, **_fields(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("KPI added. Record its first value below."))
            return redirect(_page_url(organization, kpi))
    return _form_page(request, organization, access, form, None)


def kpi_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    kpi = get_kpi(organization, code)
    if not can_manage(access, kpi):
        raise PermissionDenied(_("Only admins and the leads of its unit change this KPI."))
    units = _manageable_units(organization, access, keep=kpi.unit_id)
    initial = {
        "name": kpi.name,
        "unit": kpi.unit.code if kpi.unit else COMPANY,
        "description": kpi.description,
        "direction": kpi.direction,
        "target": plain(kpi.target),
        "target_high": plain(kpi.target_high) if kpi.target_high is not None else "",
        "value_format": kpi.value_format,
        "unit_label": kpi.unit_label,
        "currency": kpi.currency,
        "decimals": kpi.decimals,
        "owner": str(kpi.owner_id or ""),
        "active": kpi.active,
        "version": kpi.version,
    }
    form = KpiForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=units,
        people=list(people_of(organization)),
    )
    if request.method == "POST" and form.is_valid():
        # The unit choices are only the units the person manages: a KPI cannot be moved
        # somewhere its editor could not create it.
        try:
            kpi_update(
                kpi=kpi,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **_fields(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("KPI saved."))
            return redirect(_page_url(organization, kpi))
    return _form_page(request, organization, access, form, kpi)


def _context(organization: Organization, access: Access, kpi: Kpi, **extra: Any) -> dict[str, Any]:
    """Everything the KPI page shows, in a fixed number of queries."""
    today = today_in(organization)
    zone = organization_zone(organization)
    info = detail(access, kpi)
    cycles, default_cycle = open_cycles(organization, today)
    chart = kpi_chart(
        direction=kpi.direction,
        target=kpi.target,
        target_high=kpi.target_high,
        readings=[Reading(timezone.localtime(v.measured_at, zone), v.value) for v in info.values],
        today=today,
        title=_("History of “%(name)s”") % {"name": kpi.name},
        format_value=lambda value: format_value(kpi, value),
        format_date=lambda day: date_format(day, "j M"),
        id_prefix=f"kpi-{kpi.code}",
    )
    value_form = KpiValueForm(auto_id="kpi-value-%s")
    value_form.fields["measured_on"].widget.attrs["max"] = today.isoformat()
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "kpis",
        "kpi": kpi,
        "info": info,
        "values": [
            (v, timezone.localdate(v.measured_at, timezone=zone), format_value(kpi, v.value))
            for v in info.values
        ],
        "current": format_value(kpi, kpi.current),
        "target": format_value(kpi, kpi.target),
        "target_high": format_value(kpi, kpi.target_high),
        "chart": chart,
        "can_manage": can_manage(access, kpi),
        "can_record": can_record(access, kpi),
        "may_write_okr": can_write_okr(access, kpi),
        "value_form": value_form,
        "okr_form": WriteOkrForm(
            initial={"cycle": default_cycle.code if default_cycle else None},
            cycles=cycles,
            auto_id="kpi-okr-%s",
        ),
        "saved": False,
    }
    context.update(extra)
    return context


@require_safe
def kpi_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kpi = get_kpi(organization, code)
    return render(request, DETAIL, _context(organization, access, kpi))


@require_POST
def kpi_value_add(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kpi = get_kpi(organization, code)
    if not can_record(access, kpi):
        raise PermissionDenied(_("Only members of its unit record values of this KPI."))
    form = KpiValueForm(request.POST, auto_id="kpi-value-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            kpi_record_value(
                kpi=kpi,
                value=data["value"],
                measured_at=data["measured_on"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            for name, problems in error_dict(error).items():
                name = "measured_on" if name == "measured_at" else name
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
    if form.errors:
        form.fields["measured_on"].widget.attrs["max"] = today_in(organization).isoformat()
        context = _context(organization, access, kpi, value_form=form)
        if _is_htmx(request):
            return render(request, DETAIL, context, partial="kpi_body")
        return render(request, DETAIL, context, status=400)
    if _is_htmx(request):
        kpi.refresh_from_db()
        kpi.organization = organization
        return render(
            request, DETAIL, _context(organization, access, kpi, saved=True), partial="kpi_body"
        )
    messages.success(request, _("Value recorded."))
    return redirect(_page_url(organization, kpi) + "#values")


@require_POST
def kpi_write_okr_view(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kpi = get_kpi(organization, code)
    if not can_write_okr(access, kpi):
        raise PermissionDenied(_("You may not write objectives for this KPI's unit."))
    cycles, _default = open_cycles(organization, today_in(organization))
    form = WriteOkrForm(request.POST, cycles=cycles, auto_id="kpi-okr-%s")
    if form.is_valid():
        try:
            objective = kpi_write_okr(
                access=access, kpi=kpi, cycle=form.cycle_map[form.cleaned_data["cycle"]]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft objective written for “%(name)s”. Make it yours, then propose it.")
                % {"name": kpi.name},
            )
            return redirect(
                reverse("objective_edit", kwargs={"org": organization.slug, "code": objective.code})
            )
    elif not cycles:
        form.errors.clear()
        form.add_error(None, _("There is no open cycle to write the objective for."))
    return render(request, DETAIL, _context(organization, access, kpi, okr_form=form), status=400)
