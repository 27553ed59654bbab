"""The adoption page: the rollout shape, the first-cycle rules, the implementation checklist
and the sandbox card; and the writes behind them.

Parse → authorize → call a service → render, like the other pages. Writes are POST only and
refuse with 403 whoever may not make them, htmx or not. The checklist's writes answer htmx with
the checklist fragment (a refusal of bad input answers 200 with the message inside it, since
htmx does not swap 4xx answers); the same writes as plain form posts redirect back, or answer
400 with the whole page and the message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.lib.validation import error_dict
from tenfold.organizations.models import Organization, Role, Unit, UnitKind
from tenfold.organizations.permissions import Access
from tenfold.web.shortcuts import apply_errors, org_access, render

from .forms import EditForm, FirstCycleForm, ItemForm, ShapeForm
from .models import ChecklistItem, Programme
from .selectors import (
    can_manage,
    can_tick,
    can_use_sandbox,
    checklist,
    first_cycle_policy,
    get_item,
    sandbox_for_org,
    sandbox_of,
    target_cycle,
)
from .services import (
    SANDBOX_TEAM,
    checklist_ensure,
    first_cycle_create,
    item_add,
    item_delete,
    item_move,
    item_set_done,
    item_update,
    programme_set_first_cycle,
    programme_set_shape,
    sandbox_delete,
    sandbox_open,
    sandbox_reset,
)
from .steps import SHAPE_TEXTS

PAGE = "adoption/page.html"
EDIT = "adoption/step_edit.html"


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _page_url(organization: Organization, anchor: str = "") -> str:
    url = reverse("adoption", kwargs={"org": organization.slug})
    return f"{url}#{anchor}" if anchor else url


def _teams(organization: Organization) -> list[Unit]:
    return list(
        Unit.objects.filter(organization=organization, kind=UnitKind.TEAM).order_by("order", "name")
    )


def _people(organization: Organization) -> list[Any]:
    """Who may own a step: the organization's members who are not viewers."""
    from tenfold.accounts.models import User

    return list(
        User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=[Role.OWNER, Role.ADMIN, Role.LEAD, Role.MEMBER],
        ).order_by("name", "email")
    )


def _programme(request: HttpRequest, organization: Organization) -> Programme:
    return checklist_ensure(organization=organization, by=request.user)


def _context(
    request: HttpRequest, organization: Organization, access: Access, **extra: Any
) -> dict[str, Any]:
    """Everything the page shows, in a fixed number of queries whatever the checklist's
    length."""
    programme = _programme(request, organization)
    cycle = target_cycle(organization, programme)
    steps = checklist(access, organization, programme, cycle)
    teams = _teams(organization)
    people = _people(organization)
    manage = can_manage(access)
    pilot = programme.pilot_unit
    context: dict[str, Any] = {
        "org": organization,
        "access": access,
        "nav": "coach",
        "programme": programme,
        "shapes": list(SHAPE_TEXTS.values()),
        "shape": SHAPE_TEXTS.get(organization.rollout),
        "pilot": pilot if organization.rollout == "pilot" else None,
        "policy": first_cycle_policy(organization),
        "cycle": cycle,
        "checklist": steps,
        "can_manage": manage,
        "can_use_sandbox": can_use_sandbox(access),
        "sandbox": sandbox_of(request.user),
        "shape_form": ShapeForm(
            initial={"shape": organization.rollout, "pilot_unit": pilot.code if pilot else ""},
            teams=teams,
            auto_id="shape-%s",
        ),
        "first_cycle_form": FirstCycleForm(
            initial={
                "action": "create",
                "defaults": "on" if programme.first_cycle_defaults else "off",
                "length": organization.cycle_length
                if organization.cycle_length != "quarter"
                else "six_weeks",
            },
            auto_id="first-%s",
        ),
        "add_form": ItemForm(people=people, auto_id="add-step-%s") if manage else None,
        "errors": [],
    }
    context.update(extra)
    return context


@require_safe
def adoption(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    return render(request, PAGE, _context(request, organization, access))


def _admin(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = org_access(request, org)
    if not can_manage(access):
        raise PermissionDenied(_("Only owners and admins change the adoption programme."))
    return organization, access


def _messages_of(error: ValidationError) -> list[str]:
    return [message for messages_ in error_dict(error).values() for message in messages_]


@require_POST
def adoption_shape(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = _admin(request, org)
    form = ShapeForm(request.POST, teams=_teams(organization), auto_id="shape-%s")
    if form.is_valid():
        try:
            programme_set_shape(
                organization=organization,
                shape=form.cleaned_data["shape"],
                pilot_unit=form.chosen_unit(),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rollout shape saved."))
            return redirect(_page_url(organization, "shape"))
    context = _context(request, organization, access, shape_form=form)
    return render(request, PAGE, context, status=400)


@require_POST
def adoption_first_cycle(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = _admin(request, org)
    form = FirstCycleForm(request.POST, auto_id="first-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "defaults":
                programme_set_first_cycle(
                    organization=organization, defaults_on=data["defaults"] == "on", by=request.user
                )
                messages.success(request, _("First-cycle rules saved."))
            else:
                cycle = first_cycle_create(
                    organization=organization,
                    length=data["length"],
                    start=data["start"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("“%(name)s” is ready, from %(start)s to %(end)s. Plan it on the board.")
                    % {"name": cycle.name, "start": cycle.start, "end": cycle.end},
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect(_page_url(organization, "first-cycle"))
    context = _context(request, organization, access, first_cycle_form=form)
    return render(request, PAGE, context, status=400)


# --- the checklist ----------------------------------------------------------------------------


def _checklist_answer(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    *,
    errors: list[str] | None = None,
    notice: str = "",
    anchor: str = "checklist",
    **extra: Any,
) -> HttpResponse:
    """After a checklist write: the checklist fragment for htmx; for a plain post, back to the
    page, or the page with the messages and 400 when the write was refused."""
    if _is_htmx(request):
        context = _context(
            request, organization, access, errors=errors or [], notice=notice, **extra
        )
        return render(request, PAGE, context, partial="checklist")
    if errors:
        context = _context(request, organization, access, errors=errors, **extra)
        return render(request, PAGE, context, status=400)
    if notice:
        messages.success(request, notice)
    return redirect(_page_url(organization, anchor))


@require_POST
def adoption_item_add(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = _admin(request, org)
    form = ItemForm(request.POST, people=_people(organization), auto_id="add-step-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            item_add(
                organization=organization,
                title=data["title"],
                owner=form.chosen_owner(),
                due=data["due"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _checklist_answer(request, organization, access, notice=_("Step added."))
    return _checklist_answer(
        request,
        organization,
        access,
        errors=[_("The step was not added: see the form below.")],
        add_form=form,
    )


@require_POST
def adoption_item_check(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    item = get_item(organization, code)
    if not can_tick(access, item):
        raise PermissionDenied(_("Only admins and the step's owner tick it off."))
    done = request.POST.get("done", "").strip()
    if done not in ("0", "1"):
        return _checklist_answer(
            request, organization, access, errors=[_("Say whether the step is done.")]
        )
    item_set_done(item=item, done=done == "1", by=request.user)
    notice = _("Marked as done.") if done == "1" else _("Marked as not done.")
    return _checklist_answer(request, organization, access, notice=notice)


def _edit_context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    item: ChecklistItem,
    form: EditForm,
) -> dict[str, Any]:
    programme = item.programme
    programme.organization = organization
    cycle = target_cycle(organization, programme)
    (row,) = checklist(access, organization, programme, cycle, items=[item]).rows
    return {"org": organization, "access": access, "nav": "coach", "row": row, "form": form}


def _edit_form(organization: Organization, item: ChecklistItem, data: Any = None) -> EditForm:
    initial = {
        "title": item.title,
        "owner": str(item.owner_id or ""),
        "due": item.due,
        "note": item.note,
        "version": item.version,
    }
    return EditForm(
        data,
        initial=initial,
        people=_people(organization),
        auto_id=f"step-{item.code}-%s",
    )


def adoption_item_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the step's edit form (a row for htmx, a page otherwise). POST: save it."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    organization, access = _admin(request, org)
    item = get_item(organization, code)
    if request.method != "POST":
        form = _edit_form(organization, item)
        context = _edit_context(request, organization, access, item, form)
        return render(request, EDIT, context, partial="step_edit")
    form = _edit_form(organization, item, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            "owner": form.chosen_owner(),
            "due": data["due"],
            "note": data["note"],
        }
        if item.is_custom:
            changes["title"] = data["title"]
        try:
            item_update(item=item, by=request.user, expected_version=data["version"], **changes)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _checklist_answer(request, organization, access, notice=_("Step saved."))
    context = _edit_context(request, organization, access, item, form)
    if _is_htmx(request):
        response = render(request, EDIT, context, partial="step_edit")
        # Saving swaps the whole checklist; a refusal keeps the form where it is.
        response["HX-Retarget"] = f"#step-{item.code}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, EDIT, context, status=400)


@require_POST
def adoption_item_move(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = _admin(request, org)
    item = get_item(organization, code)
    try:
        item_move(item=item, direction=request.POST.get("direction", ""), by=request.user)
    except ValidationError as error:
        return _checklist_answer(request, organization, access, errors=_messages_of(error))
    return _checklist_answer(request, organization, access)


@require_POST
def adoption_item_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = _admin(request, org)
    item = get_item(organization, code)
    try:
        item_delete(item=item, by=request.user)
    except ValidationError as error:
        return _checklist_answer(request, organization, access, errors=_messages_of(error))
    return _checklist_answer(request, organization, access, notice=_("Step deleted."))


# --- the sandbox ------------------------------------------------------------------------------


def _sandbox_access(request: HttpRequest, org: str) -> tuple[Organization, Access]:
    organization, access = org_access(request, org)
    if not can_use_sandbox(access):
        raise PermissionDenied(_("Team leads and admins try Tenfold in a sandbox."))
    return organization, access


def _week_of(organization: Organization) -> str:
    return reverse("my_week", kwargs={"org": organization.slug})


@require_POST
def sandbox_open_view(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = _sandbox_access(request, org)
    # Opened from inside a sandbox, it keeps the organization it was first opened from.
    home = None if sandbox_for_org(organization) else organization
    sandbox, built = sandbox_open(person=request.user, home=home)
    if built:
        messages.success(
            request,
            _(
                "Your sandbox is ready (built in %(seconds).1f s). You lead the %(team)s team "
                "here: plan your week, check in, change OKRs. Nothing here reaches %(home)s."
            )
            % {"seconds": sandbox.build_seconds, "team": SANDBOX_TEAM, "home": organization},
        )
    return redirect(_week_of(sandbox.organization))


@require_POST
def sandbox_reset_view(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = _sandbox_access(request, org)
    sandbox = sandbox_reset(person=request.user)
    if sandbox is None:
        messages.info(request, _("You have no sandbox to reset yet."))
        return redirect(_page_url(organization, "sandbox"))
    messages.success(
        request,
        _("Your sandbox was rebuilt from scratch in %(seconds).1f s.")
        % {"seconds": sandbox.build_seconds},
    )
    return redirect(_week_of(sandbox.organization))


@require_POST
def sandbox_delete_view(request: HttpRequest, org: str) -> HttpResponse:
    organization, _access = _sandbox_access(request, org)
    mine = sandbox_of(request.user)
    inside = mine is not None and mine.organization_id == organization.pk
    home = mine.home if mine is not None else None
    if not sandbox_delete(person=request.user):
        messages.info(request, _("You have no sandbox to delete."))
        return redirect(_page_url(organization, "sandbox"))
    messages.success(request, _("Your sandbox and its made-up people were deleted."))
    if not inside:
        return redirect(_page_url(organization, "sandbox"))
    if home is not None and home.memberships.filter(user_id=request.user.pk or 0).exists():
        return redirect(_page_url(home, "sandbox"))
    return redirect("org_list")
