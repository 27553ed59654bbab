"""Organization settings for owners and admins: general settings, units, people, cycles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tenfold.lib.validation import error_dict, time_zone_names
from tenfold.okrs.models import Cycle, CycleState
from tenfold.okrs.selectors import cycles_of, get_cycle
from tenfold.okrs.services import (
    CYCLE_TRANSITIONS,
    cycle_create,
    cycle_set_state,
    cycles_create_for_year,
)
from tenfold.organizations.models import (
    CycleLength,
    Membership,
    Organization,
    Role,
    Rollout,
    Unit,
    UnitKind,
    UnitMember,
    Weekday,
)
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_invitation, invitations_pending, unit_tree
from tenfold.organizations.services import (
    invitation_create,
    invitation_revoke,
    membership_set_role,
    organization_update,
    person_add,
    unit_create,
)

from ..shortcuts import apply_errors, org_access, render

TIME_ZONES = sorted(time_zone_names())


def admin_access(request: HttpRequest, slug: str) -> tuple[Organization, Access]:
    org, access = org_access(request, slug)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage the organization."))
    return org, access


class GeneralForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    fiscal_year_start_month = forms.TypedChoiceField(
        label=gettext_lazy("Fiscal year starts in"),
        coerce=int,
        choices=lambda: [(m, date_format(dt.date(2000, m, 1), "F")) for m in range(1, 13)],
    )
    cycle_length = forms.ChoiceField(label=gettext_lazy("Cycle length"), choices=CycleLength)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=[(tz, tz) for tz in TIME_ZONES]
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    week_start = forms.TypedChoiceField(
        label=gettext_lazy("Weeks start on"), coerce=int, choices=Weekday.choices
    )
    checkin_weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekly check-in day"), coerce=int, choices=Weekday.choices
    )
    checkin_hour = forms.IntegerField(
        label=gettext_lazy("Check-in hour"), min_value=0, max_value=23
    )
    at_risk_gap = forms.DecimalField(
        label=gettext_lazy("At risk when behind schedule by more than"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        help_text=gettext_lazy("A share of the cycle: 0.2 means 20 percentage points."),
    )
    off_track_gap = forms.DecimalField(
        label=gettext_lazy("Off track when behind schedule by more than"),
        min_value=0,
        max_value=1,
        decimal_places=2,
    )
    stale_days = forms.IntegerField(
        label=gettext_lazy("A key result is stale after this many days without a check-in"),
        min_value=1,
        max_value=90,
    )
    approval_required = forms.BooleanField(
        label=gettext_lazy("Team and department objectives need approval"), required=False
    )
    leaderboards_enabled = forms.BooleanField(
        label=gettext_lazy("Show habit leaderboards (check-in streaks, never scores)"),
        required=False,
    )
    rollout = forms.ChoiceField(label=gettext_lazy("Rollout programme"), choices=Rollout)


@login_required
def settings_general(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    fields = list(GeneralForm.base_fields)
    if request.method == "POST":
        form = GeneralForm(request.POST)
        if form.is_valid():
            try:
                organization_update(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("settings_general", org=organization.slug)
        return render(
            request,
            "web/settings_general.html",
            {"org": organization, "access": access, "form": form, "tab": "general"},
            status=400,
        )
    form = GeneralForm(initial={name: getattr(organization, name) for name in fields})
    return render(
        request,
        "web/settings_general.html",
        {"org": organization, "access": access, "form": form, "tab": "general"},
    )


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            (UnitKind.TEAM, UnitKind.TEAM.label),
            (UnitKind.DEPARTMENT, UnitKind.DEPARTMENT.label),
        ],
    )
    parent = forms.ChoiceField(label=gettext_lazy("Part of"))

    def __init__(self, *args: Any, units: list[tuple[Unit, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit, _depth in units}
        self.fields["parent"].choices = [  # type: ignore[attr-defined]
            (unit.code, "\u2003" * depth + unit.name) for unit, depth in units
        ]


@login_required
def settings_units(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    tree = unit_tree(organization)
    form = UnitForm(request.POST or None, units=tree)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                unit = unit_create(
                    organization=organization,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    parent=form.units[form.cleaned_data["parent"]],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(name)s added.") % {"name": unit.name})
                return redirect("settings_units", org=organization.slug)
        status = 400
    counts: dict[int, int] = {}
    leads: dict[int, list[str]] = {}
    for row in UnitMember.objects.filter(organization=organization).select_related("user"):
        counts[row.unit_id] = counts.get(row.unit_id, 0) + 1
        if row.is_lead:
            leads.setdefault(row.unit_id, []).append(row.user.display_name)
    rows = [(unit, depth, counts.get(unit.id, 0), leads.get(unit.id, [])) for unit, depth in tree]
    return render(
        request,
        "web/settings_units.html",
        {"org": organization, "access": access, "rows": rows, "form": form, "tab": "units"},
        status=status,
    )


class PersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role, initial=Role.MEMBER)
    unit = forms.ChoiceField(label=gettext_lazy("Member of"), required=False)
    lead = forms.BooleanField(label=gettext_lazy("Leads this unit"), required=False)
    password = forms.CharField(
        label=gettext_lazy("First password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy(
            "For a new account. Leave empty if they will use “Forgot password” by email."
        ),
    )

    def __init__(self, *args: Any, units: list[tuple[Unit, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit, _depth in units}
        self.fields["unit"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (unit.code, "\u2003" * depth + unit.name) for unit, depth in units
        ]


@login_required
def settings_people(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    tree = unit_tree(organization)
    form = PersonForm(request.POST or None, units=tree)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            unit = form.units.get(data["unit"])
            try:
                membership = person_add(
                    organization=organization,
                    email=data["email"],
                    name=data["name"],
                    role=data["role"],
                    units=[unit] if unit and not data["lead"] else [],
                    lead_of=[unit] if unit and data["lead"] else [],
                    password=data["password"] or None,
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, _("%(name)s is in.") % {"name": membership.user.display_name}
                )
                return redirect("settings_people", org=organization.slug)
        status = 400
    return _people_page(request, organization, access, tree, form=form, status=status)


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role, initial=Role.MEMBER)
    units = forms.MultipleChoiceField(
        label=gettext_lazy("Units to join"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, units: list[tuple[Unit, int]], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "invite")
        super().__init__(*args, **kwargs)
        self.unit_codes = {unit.code: unit for unit, _depth in units}
        self.fields["units"].choices = [  # type: ignore[attr-defined]
            (unit.code, "\u2003" * depth + unit.name) for unit, depth in units
        ]


def _people_page(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    tree: list[tuple[Unit, int]],
    *,
    form: PersonForm | None = None,
    invite_form: InviteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The people page: members with their units and roles, pending invitations, and the
    forms to invite or add someone (bound when a post of theirs was refused)."""
    memberships = list(
        Membership.objects.filter(organization=organization, user__is_service=False)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    places: dict[int, list[str]] = {}
    for row in UnitMember.objects.filter(organization=organization).select_related("unit"):
        label = row.unit.name + (" ★" if row.is_lead else "")
        places.setdefault(row.user_id, []).append(label)
    people = [(m, places.get(m.user_id, [])) for m in memberships]
    return render(
        request,
        "web/settings_people.html",
        {
            "org": organization,
            "access": access,
            "people": people,
            "form": form or PersonForm(units=tree),
            "invite_form": invite_form or InviteForm(units=tree),
            "invitations": invitations_pending(organization),
            "roles": Role.choices,
            "tab": "people",
        },
        status=status,
    )


@login_required
@require_POST
def settings_invite(request: HttpRequest, org: str) -> HttpResponse:
    """Invite someone by email to join with a role and units; the link goes by email."""
    organization, access = admin_access(request, org)
    tree = unit_tree(organization)
    form = InviteForm(request.POST, units=tree)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation, _token = invitation_create(
                organization=organization,
                email=data["email"],
                role=data["role"],
                units=[form.unit_codes[code] for code in data["units"]],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("settings_people", org=organization.slug)
    return _people_page(request, organization, access, tree, invite_form=form, status=400)


@login_required
@require_POST
def settings_invitation_revoke(request: HttpRequest, org: str) -> HttpResponse:
    """Withdraw a pending invitation (named by its code in the form): its link stops working."""
    organization, _access = admin_access(request, org)
    try:
        invitation = get_invitation(organization, request.POST.get("code", ""))
    except Http404:
        messages.error(request, _("That invitation does not exist."))
        return redirect("settings_people", org=organization.slug)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email},
        )
    return redirect("settings_people", org=organization.slug)


@login_required
@require_POST
def settings_person_role(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = admin_access(request, org)
    membership = (
        Membership.objects.filter(
            organization=organization, user__email=request.POST.get("email", "").strip().lower()
        )
        .select_related("user")
        .first()
    )
    if membership is None:
        messages.error(request, _("That person is not in this organization."))
        return redirect("settings_people", org=organization.slug)
    try:
        membership_set_role(
            membership=membership, role=request.POST.get("role", ""), by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.display_name, "role": membership.get_role_display()},
        )
    return redirect("settings_people", org=organization.slug)


class CycleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    start = forms.DateField(
        label=gettext_lazy("Starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Ends"), widget=forms.DateInput(attrs={"type": "date"})
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100)


@login_required
def settings_cycles(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = admin_access(request, org)
    cycle_form = CycleForm(request.POST if request.POST.get("form") == "cycle" else None)
    year_form = YearForm(
        request.POST if request.POST.get("form") == "year" else None,
        initial={"year": timezone.localdate().year},
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("form") == "year" and year_form.is_valid():
                made = cycles_create_for_year(
                    organization=organization, year=year_form.cleaned_data["year"], by=request.user
                )
                messages.success(request, _("%(count)d cycles ready.") % {"count": len(made)})
                return redirect("settings_cycles", org=organization.slug)
            if request.POST.get("form") == "cycle" and cycle_form.is_valid():
                cycle_create(organization=organization, by=request.user, **cycle_form.cleaned_data)
                messages.success(request, _("Cycle added."))
                return redirect("settings_cycles", org=organization.slug)
        except ValidationError as error:
            apply_errors(cycle_form if request.POST.get("form") == "cycle" else year_form, error)
        status = 400
    cycles = cycles_of(organization)
    transitions = {c.code: sorted(CYCLE_TRANSITIONS[CycleState(c.state)]) for c in cycles}
    return render(
        request,
        "web/settings_cycles.html",
        {
            "org": organization,
            "access": access,
            "cycles": [
                (c, [(s, CycleState(s).label) for s in transitions[c.code]]) for c in cycles
            ],
            "cycle_form": cycle_form,
            "year_form": year_form,
            "tab": "cycles",
        },
        status=status,
    )


@login_required
@require_POST
def settings_cycle_state(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, _access = admin_access(request, org)
    cycle: Cycle = get_cycle(organization, code)
    try:
        cycle_set_state(cycle=cycle, state=request.POST.get("state", ""), by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s is now %(state)s.")
            % {"name": cycle.name, "state": cycle.get_state_display()},
        )
    return redirect("settings_cycles", org=organization.slug)


EXTRA_ROWS = 2
"""Blank rows offered for new weekly categories."""


def settings_weekly(request: HttpRequest, org: str) -> HttpResponse:
    """Names of Plans, Progress and Problems and the organization's extra weekly categories."""
    from tenfold.checkins.models import Category
    from tenfold.checkins.weekly import EXTRA_MAX, categories, categories_update

    organization, access = admin_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    found = categories(organization)
    builtin = [c for c in found if c.builtin]
    extras = [(c.key, c.name) for c in found if not c.builtin]
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        names = {c.value: request.POST.get(f"name_{c.value}", "") for c in Category}
        keys = request.POST.getlist("extra_key")
        labels = request.POST.getlist("extra_name")
        posted = list(zip(keys, labels, strict=False))
        try:
            categories_update(
                organization=organization, by=request.user, names=names, extras=posted
            )
        except ValidationError as error:
            errors = error_dict(error)
            builtin = [type(c)(c.key, names.get(c.key) or c.name, True) for c in builtin]
            extras = [(key, label) for key, label in posted if key or label.strip()]
        else:
            messages.success(request, _("Weekly categories saved."))
            return redirect("settings_weekly", org=organization.slug)
    rows = extras + [("", "")] * max(0, min(EXTRA_ROWS, EXTRA_MAX - len(extras)))
    return render(
        request,
        "web/settings_weekly.html",
        {
            "org": organization,
            "access": access,
            "tab": "weekly",
            "builtin": builtin,
            "rows": rows,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
