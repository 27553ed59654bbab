"""The objective page and everything done on it: key results, check-ins, initiatives,
alignment, state changes, and the objective's history.

Every view is parse → authorize → call a service → render. Writes are POST only and refuse
with 403 whoever may not make them, htmx or not: hiding a button is never the check.

htmx answers: a refused htmx write answers 200 with the messages inside the swapped fragment,
because htmx 2 does not swap 4xx responses by default; the same refusal as a plain form post
answers 400 with the whole page. Successful plain posts redirect back to the objective.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import Source
from tenfold.checkins.selectors import standing_readings_of
from tenfold.db import fast
from tenfold.lib.forecast import objective_forecast
from tenfold.lib.progress import clamp, explain_objective_progress
from tenfold.okrs import services as okr_services
from tenfold.okrs.models import (
    TITLE_MAX,
    Alignment,
    CycleState,
    Initiative,
    InitiativeStatus,
    KeyResult,
    KeyResultKind,
    Level,
    Objective,
    ObjectiveState,
    ObjectiveType,
    ValueFormat,
    Visibility,
    aligned_into,
)
from tenfold.okrs.selectors import (
    annotate_statuses,
    current_cycle,
    cycles_of,
    get_key_result,
    get_objective,
    organization_today,
    visible_objectives,
)
from tenfold.okrs.services import (
    OBJECTIVE_TRANSITIONS,
    alignment_link,
    initiative_create,
    key_result_create,
    key_result_update,
    objective_create,
    objective_set_state,
    objective_update,
)
from tenfold.okrs.tree import attach_newest
from tenfold.organizations.models import Organization, Unit, UnitMember
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import people_of, units_of

from ..forms import (
    INITIATIVE_STATUSES,
    AlignForm,
    CheckInForm,
    InitiativeForm,
    KeyResultForm,
    ObjectiveForm,
    person_choices,
)
from ..fragments import Fragment, lazy
from ..shortcuts import apply_errors, check_in_from_form, org_access, render
from .key_results import key_result_forecast, key_result_forecast_view, objective_forecast_view

PAGE = "web/objective.html"
JUST_NOW = dt.timedelta(minutes=1)
"""How long a key result reads "checked in just now"."""


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _may_approve(access: Access, objective: Objective) -> bool:
    """Approval belongs to admins and to the leads of a unit above the objective's unit."""
    unit = objective.unit
    return access.is_admin or (unit is not None and unit.parent_id in access.led_unit_ids)


def _back(organization: Organization, objective: Objective, anchor: str = "") -> HttpResponse:
    url = reverse("objective", kwargs={"org": organization.slug, "code": objective.code})
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- the objective page ---------------------------------------------------------------------


def _short(number: Decimal) -> str:
    """A decimal for reading: at most three places, no trailing zeros (0.5, 4, 0.333)."""
    text = f"{number.quantize(Decimal('0.001')).normalize():f}"
    return "0" if text in ("-0", "") else text


def _explain(
    access: Access, krs: list[KeyResult], children: list[Alignment], objective: Objective
) -> dict[str, Any]:
    """The inputs and the result of the objective's progress, for the "explain" disclosure."""
    from_children = [link for link in children if link.parent_objective_id == objective.id]
    explanation = explain_objective_progress(
        [(kr.progress, kr.weight) for kr in krs],
        [(link.child.progress, link.weight) for link in from_children],
    )
    rows: list[dict[str, Any]] = []
    if krs:
        for kr in krs:
            rows.append({"title": kr.title, "progress": kr.progress, "weight": kr.weight})
    else:
        for link in from_children:
            title = (
                link.child.title
                if access.can_view_objective(link.child)
                else _("An objective you cannot see")
            )
            rows.append({"title": title, "progress": link.child.progress, "weight": link.weight})
    for row in rows:
        row["product"] = clamp(row["progress"]) * row["weight"]
    weights = sum((row["weight"] for row in rows), Decimal(0))
    total = sum((row["product"] for row in rows), Decimal(0))
    for row in rows:
        row["weight_text"] = _short(row["weight"])
        row["product_text"] = _short(row["product"])
    return {
        "from_children": not krs,
        "rows": rows,
        "total": _short(total),
        "weights": _short(weights),
        "value": explanation.value,
        "all_zero": bool(rows) and weights == 0,
    }


PEOPLE_LIMIT = 200
"""Most people offered as initiative owners on an objective page."""


def _people_to_pick(
    org: Organization, objective: Objective, krs: list[KeyResult], viewer_id: int
) -> list[Any]:
    """Whom the page offers as initiative owners: the people of the objective's unit, its lead,
    the owners of its key results and initiatives, and the viewer. Listing the whole
    organization would put thousands of options in every owner menu. Two queries."""
    ids = {viewer_id, objective.lead_id, *(kr.owner_id for kr in krs)}
    ids |= {item.owner_id for kr in krs for item in kr.initiatives.all()}
    ids.discard(None)
    if objective.unit_id is not None:
        # Read apart: an OR across the join made the database scan every person.
        ids.update(
            UnitMember.objects.filter(unit_id=objective.unit_id).values_list("user_id", flat=True)
        )
    return list(people_of(org).filter(pk__in=ids)[:PEOPLE_LIMIT])


def _alignment_candidates(access: Access, objective: Objective) -> list[Objective]:
    """What the alignment menu offers: the visible objectives of the same cycle owned by the
    objective's unit or a unit above it (alignment goes up the organization), with their key
    results. Bounded by the depth of the unit tree, not by the size of the organization; any
    other visible objective can still be linked by its code. Two queries."""
    above: list[int] = []
    if objective.unit_id is not None:
        parent_of = dict(
            Unit.objects.filter(organization_id=objective.organization_id).values_list(
                "id", "parent_id"
            )
        )
        unit_id: int | None = objective.unit_id
        while unit_id is not None and unit_id not in above:
            above.append(unit_id)
            unit_id = parent_of.get(unit_id)
    return list(
        visible_objectives(access)
        .filter(cycle_id=objective.cycle_id, unit_id__in=above)
        .exclude(pk=objective.pk)
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "id"))
        )
        .order_by("unit__order", "order", "id")
    )


def _objective_context(
    request: HttpRequest,
    org: Organization,
    access: Access,
    objective: Objective,
    *,
    answer_for: KeyResult | None = None,
) -> dict[str, Any]:
    """Everything the objective page shows, in a fixed number of queries whatever the number
    of key results, initiatives and check-ins. With `answer_for`, only what the answer to a
    write on that key result shows (its block and the objective's progress): the other key
    results' forms and forecast lines, the alignment links and the state moves are left out."""
    objective.cycle.organization = org  # statuses read the organization's rules and time zone
    krs = list(
        KeyResult.objects.filter(objective=objective)
        .select_related("owner")
        .prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.select_related("owner"))
        )
        .order_by("order", "id")
    )
    objective._prefetched_objects_cache = {"key_results": krs}  # type: ignore[attr-defined]
    # Its status reads the newest check-in below it too, as the tree and dashboards do.
    attach_newest([objective])
    annotate_statuses(
        [objective],
        objective.cycle,
        newest_below={objective.id: objective.tree_last},  # type: ignore[attr-defined]
    )
    cycle_open = objective.cycle.state != CycleState.CLOSED
    can_edit = access.can_edit_objective(objective) and cycle_open
    # Initiative owner menus are offered to editors only.
    people = _people_to_pick(org, objective, krs, access.user_id) if can_edit else []
    open_for_checkins = cycle_open and objective.state != ObjectiveState.CLOSED
    now = timezone.now()
    # Every key result's readings in one query, for the forecasts.
    readings = standing_readings_of([kr.id for kr in krs], zoneinfo.ZoneInfo(org.time_zone))
    today = organization_today(org)
    for kr in krs:
        kr.forecast = key_result_forecast(kr, readings.get(kr.id, []), objective.cycle, today)  # type: ignore[attr-defined]
    forecast = objective_forecast([(kr.forecast, kr.weight) for kr in krs])  # type: ignore[attr-defined]
    # The key results this answer draws: all of them on the page, one in a write's answer.
    shown = krs if answer_for is None else [kr for kr in krs if kr.pk == answer_for.pk]
    for kr in shown:
        kr.forecast_view = key_result_forecast_view(kr, kr.forecast)  # type: ignore[attr-defined]
        kr.checked_in_just_now = (  # type: ignore[attr-defined]
            kr.last_checkin_at is not None and now - kr.last_checkin_at < JUST_NOW
        )
        kr.can_check_in = open_for_checkins and access.can_check_in(kr, objective)  # type: ignore[attr-defined]
        kr.checkin_form = CheckInForm(prefix=kr.code)  # type: ignore[attr-defined]
        kr.initiative_form = (  # type: ignore[attr-defined]
            InitiativeForm(people=people, auto_id=f"new-{kr.code}-%s") if can_edit else None
        )
    # Read only when shown: a check-in's answer carries the key result and progress alone.
    parents = lazy(
        lambda: [
            link
            for link in Alignment.objects.filter(child=objective).select_related(
                "parent_objective", "parent_key_result__objective"
            )
            if access.can_view_objective(link.parent_objective or link.parent_key_result.objective)  # type: ignore[union-attr]
        ]
    )
    links_in: list[Alignment] = []
    if answer_for is None or not krs:
        # An answer about a key result shows no links, and with key results the progress
        # does not read what is aligned in (the explanation lists the key results).
        links_in = list(
            Alignment.objects.filter(aligned_into(objective, [kr.id for kr in krs])).select_related(
                "child", "parent_key_result"
            )
        )
    children = [link for link in links_in if access.can_view_objective(link.child)]
    needs_approval = org.approval_required and objective.level in (Level.TEAM, Level.DEPARTMENT)
    may_approve = _may_approve(access, objective)
    moves: list[tuple[str, Any]] = []
    if answer_for is None:
        moves = [
            (state, ObjectiveState(state).label)
            for state in sorted(OBJECTIVE_TRANSITIONS[ObjectiveState(objective.state)])
            if may_approve
            or not (
                state == ObjectiveState.APPROVED
                or (
                    state == ObjectiveState.ACTIVE
                    and objective.state == ObjectiveState.DRAFT
                    and needs_approval
                )
            )
        ]
    align_form = None
    if can_edit and answer_for is None:
        candidates = _alignment_candidates(access, objective)
        if candidates:
            align_form = AlignForm(auto_id="align-%s")
            align_form.fields["parent"].choices = [  # type: ignore[attr-defined]
                (
                    o.title,
                    [(f"o:{o.code}", o.title)]
                    + [(f"k:{kr.code}", f"↳ {kr.title}") for kr in o.key_results.all()],
                )
                for o in candidates
            ]
    return {
        "org": org,
        "access": access,
        "objective": objective,
        "krs": krs,
        "can_edit": can_edit,
        "cycle_open": cycle_open,
        "parents": parents,
        "children": children,
        "explain": _explain(access, krs, links_in, objective),
        "forecast": objective_forecast_view(forecast),
        "moves": moves if access.can_edit_objective(objective) else [],
        "align_form": align_form,
        "statuses": INITIATIVE_STATUSES,
        "people": people,
    }


def _page_with(
    request: HttpRequest,
    org: Organization,
    access: Access,
    objective: Objective,
    status: int = 400,
    **extra: Any,
) -> HttpResponse:
    context = _objective_context(request, org, access, objective)
    context.update(extra)
    return render(request, PAGE, context, status=status)


def _relation(access: Access, objective: Objective) -> tuple[object, ...]:
    """What decides the page's controls for this visitor, beyond the objectives they may see:
    people with the same relation to the objective share a kept copy."""
    cycle_open = objective.cycle.state != CycleState.CLOSED
    may_edit = access.can_edit_objective(objective)
    relation: tuple[object, ...] = (
        access.can_write,
        may_edit,
        cycle_open,
        _may_approve(access, objective),
    )
    if may_edit and cycle_open:
        # The initiative owner menus offer the visitor too.
        relation += (access.user_id,)
    elif access.can_write:
        # Who may not edit checks in on the key results they own.
        relation += (_owned_key_results(objective, access.user_id),)
    return relation


def _owned_key_results(objective: Objective, user_id: int) -> tuple[int, ...]:
    """Ids of the objective's key results this person owns (hand-written: every visit)."""
    rows = fast.fetch(
        f"SELECT {fast.column(KeyResult, 'id')} FROM {fast.table(KeyResult)}"  # nosec B608  # quoted names; values bound
        f" WHERE {fast.column(KeyResult, 'objective')} = %s"
        f" AND {fast.column(KeyResult, 'owner')} = %s"
        f" ORDER BY {fast.column(KeyResult, 'id')}",
        [objective.id, user_id],
    )
    return tuple(row[0] for row in rows)


def _my_reactions(objective: Objective, user_id: int) -> list[tuple[Any, ...]]:
    """(objective id or None, key result code or None, emoji) of this person's reactions
    on the objective and its key results (hand-written: every visit)."""
    from tenfold.social.models import Reaction

    def col(name: str) -> str:
        return fast.column(Reaction, name, "r")

    return fast.fetch(
        f"SELECT {col('objective')}, k.{fast.column(KeyResult, 'code')}, {col('emoji')}"  # nosec B608  # quoted names; values bound
        f" FROM {fast.table(Reaction)} r LEFT JOIN {fast.table(KeyResult)} k"
        f" ON k.{fast.column(KeyResult, 'id')} = {col('key_result')}"
        f" WHERE {col('user')} = %s"
        f" AND ({col('objective')} = %s OR k.{fast.column(KeyResult, 'objective')} = %s)",
        [user_id, objective.id, objective.id],
    )


def _mark_my_reactions(access: Access, objective: Objective) -> Callable[[str], str]:
    """Marks the visitor's own reactions on a copy drawn as nobody's. One query."""

    def mark(html: str) -> str:
        mine = _my_reactions(objective, access.user_id)
        for objective_id, kr_code, emoji in mine:
            name = (
                f"objective/{objective.code}/{emoji}"
                if objective_id
                else f"key-result/{kr_code}/{emoji}"
            )
            html = html.replace(
                f'data-reaction="{name}" class="reaction reaction-given" aria-pressed="false"',
                f'data-reaction="{name}" class="reaction reaction-given reaction-mine" '
                'aria-pressed="true"',
            )
        return html

    return mark


@require_safe
def objective_detail(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    # Kept for everyone who may see the same objectives and stands in the same relation to
    # this one; reactions are drawn as nobody's and each visitor's own are marked when served.
    fragment = Fragment(request, organization, access, "objective")
    objective = get_objective(access, code)
    fragment.parts = _relation(access, objective)
    if access.can_write:
        fragment.personalize = _mark_my_reactions(access, objective)

    def build() -> dict[str, Any]:
        context = _objective_context(request, organization, access, objective)
        # "Checked in just now" is true for a minute: such a page is kept until then only.
        recent = [kr.last_checkin_at for kr in context["krs"] if kr.checked_in_just_now]
        if recent:
            fragment.good_until = (min(recent) + JUST_NOW).timestamp()
        return {**context, "social_viewer": 0}

    context = {"org": organization, "access": access, "objective": objective}
    return render(request, PAGE, context, fragment=fragment, build=build)


@require_POST
def objective_state(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    state = request.POST.get("state", "")
    try:
        if state == ObjectiveState.APPROVED:
            # Approval follows the planning rules (nobody approves their own team's proposal).
            from tenfold.okrs.planning import proposal_approve

            proposal_approve(access=access, objective=objective, by=request.user)
        else:
            objective_set_state(
                objective=objective,
                state=state,
                by=request.user,
                may_approve=_may_approve(access, objective),
            )
    except ValidationError as error:
        return _page_with(request, organization, access, objective, state_errors=error.messages)
    except PermissionDenied as denied:
        return _page_with(
            request, organization, access, objective, state_errors=[str(denied)], status=403
        )
    return _back(organization, objective)


@require_POST
def objective_align(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    kind, _sep, parent_code = request.POST.get("parent", "").partition(":")
    weight = request.POST.get("weight") or "1"
    errors: list[str] = []
    try:
        if kind == "o":
            parent = get_objective(access, parent_code)
            alignment_link(child=objective, parent_objective=parent, weight=weight, by=request.user)
        elif kind == "k":
            parent_kr = get_key_result(access, parent_code)
            alignment_link(
                child=objective, parent_key_result=parent_kr, weight=weight, by=request.user
            )
        else:
            errors.append(_("Choose what this objective contributes to."))
    except Http404:
        errors.append(_("That objective does not exist or is not visible to you."))
    except ValidationError as error:
        errors.extend(error.messages)
    if errors:
        return _page_with(request, organization, access, objective, align_errors=errors)
    return _back(organization, objective)


# --- creating and editing objectives ---------------------------------------------------------


def _person(form: Any, value: str) -> Any:
    return form.people_map.get(value) if value else None


def _objective_form_page(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    form: ObjectiveForm,
    objective: Objective | None,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/objective_form.html",
        {"org": organization, "access": access, "form": form, "objective": objective},
        status=status,
    )


def objective_new(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    units = [u for u in units_of(organization) if access.can_create_in_unit(u.id, u.kind)]
    if not units:
        raise PermissionDenied(_("You may not create objectives in this organization."))
    cycles = [c for c in cycles_of(organization) if c.state != CycleState.CLOSED]
    current = current_cycle(organization)
    default_cycle = current if current in cycles else (cycles[0] if cycles else None)
    asked = request.GET.get("cycle")  # the planning board asks for the cycle being planned
    if asked and any(c.code == asked for c in cycles):
        default_cycle = next(c for c in cycles if c.code == asked)
    initial = {
        "cycle": default_cycle.code if default_cycle else None,
        "unit": request.GET.get("unit"),
        "lead": str(request.user.pk),
    }
    _from_example(request, initial)
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cycles=cycles,
        units=units,
        people=list(people_of(organization)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objective = objective_create(
                organization=organization,
                cycle=form.cycle_map[data["cycle"]],
                unit=form.unit_map[data["unit"]],
                title=data["title"],
                description=data["description"],
                type=data["type"],
                visibility=data["visibility"],
                lead=_person(form, data["lead"]),
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(organization, objective)
    return _objective_form_page(request, organization, access, form, None)


def objective_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    units: list[Unit] = [
        u
        for u in units_of(organization)
        if u.id == objective.unit_id or access.can_create_in_unit(u.id, u.kind)
    ]
    initial = {
        "unit": objective.unit.code if objective.unit else None,
        "title": objective.title,
        "description": objective.description,
        "type": objective.type,
        "visibility": objective.visibility,
        "lead": str(objective.lead_id or ""),
        "version": objective.version,
    }
    _suggested_title(request, initial)
    form = ObjectiveForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        cycles=[],
        units=units,
        people=list(people_of(organization)),
        editing=True,
    )
    if objective.unit_id is None:  # a personal-development objective belongs to its person
        del form.fields["unit"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes: dict[str, Any] = {
            "title": data["title"],
            "description": data["description"],
            "type": data["type"],
            "visibility": data["visibility"],
            "lead": _person(form, data["lead"]),
        }
        if "unit" in data:
            changes["unit"] = form.unit_map[data["unit"]]
        try:
            objective_update(
                objective=objective,
                by=request.user,
                expected_version=data["version"],
                **changes,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(organization, objective)
    return _objective_form_page(request, organization, access, form, objective)


# --- key results -----------------------------------------------------------------------------

KR_FIELDS = (
    "title",
    "kind",
    "start",
    "target",
    "unit_label",
    "value_format",
    "currency",
    "decimals",
    "weight",
    "aspirational",
    "version",
)


def _plain_number(value: Any) -> Any:
    """A stored decimal as people type it: 40, not 40.0000."""
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f")
            if value == value.to_integral()
            else str(value.normalize())
        )
    return value


def _from_example(request: HttpRequest, initial: dict[str, Any]) -> None:
    """`?example=SLUG` fills the new-objective form with an example of the library."""
    slug = request.GET.get("example", "")
    if request.method != "GET" or not slug:
        return
    from tenfold.coach.library import example, example_initial

    found = example(slug)
    if found is not None:
        initial.update(example_initial(found))


def _suggested_title(request: HttpRequest, initial: dict[str, Any]) -> None:
    """The coach's "edit with this wording" links open a form with the wording in the title;
    nothing is saved until the person saves the form."""
    suggested = request.GET.get("title", "").strip()
    if request.method == "GET" and suggested:
        initial["title"] = suggested[:TITLE_MAX]


def _key_result_form_view(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    objective: Objective,
    kr: KeyResult | None,
) -> HttpResponse:
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if kr is not None:
        initial = {name: _plain_number(getattr(kr, name)) for name in KR_FIELDS}
        initial["owner"] = str(kr.owner_id or "")
    else:
        initial = {"owner": str(request.user.pk)}
    _suggested_title(request, initial)
    form = KeyResultForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        people=list(people_of(organization)),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        data["owner"] = _person(form, data["owner"])
        try:
            if kr is None:
                key_result_create(objective=objective, by=request.user, **data)
            else:
                key_result_update(key_result=kr, by=request.user, expected_version=version, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _back(organization, objective)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "web/key_result_form.html",
        {
            "org": organization,
            "access": access,
            "form": form,
            "objective": objective,
            "kr": kr,
            "kinds": [
                (value, label, form.kind_help[KeyResultKind(value)])
                for value, label in KeyResultKind.choices
            ],
        },
        status=status,
    )


def key_result_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    return _key_result_form_view(request, organization, access, objective, None)


def key_result_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not access.can_edit_objective(kr.objective):
        raise PermissionDenied
    return _key_result_form_view(request, organization, access, kr.objective, kr)


def _one_key_result(context: dict[str, Any], kr: KeyResult) -> KeyResult:
    return next(item for item in context["krs"] if item.pk == kr.pk)


def key_result_checkin(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the check-in form (the bare fragment for htmx, a small page otherwise).
    POST: record the check-in. htmx gets the key result block back together with the
    objective's progress as an out-of-band swap; a refused htmx check-in answers 200 with the
    messages in the block (htmx 2 does not swap 4xx answers), a refused plain post answers 400
    and a successful one redirects to the objective."""
    organization, access = org_access(request, org)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    kr = get_key_result(access, code)
    objective = kr.objective
    if not access.can_check_in(kr, objective):
        raise PermissionDenied
    posted = request.method == "POST"
    form = CheckInForm(request.POST if posted else None, prefix=kr.code)
    saved = False
    if posted and check_in_from_form(form, kr, request.user):
        if not _is_htmx(request):
            return _back(organization, objective, f"kr-{kr.code}")
        saved = True
        form = CheckInForm(prefix=kr.code)
    if _is_htmx(request) and posted:
        objective.refresh_from_db(fields=["progress", "state", "version"])
        context = _objective_context(request, organization, access, objective, answer_for=kr)
        current = _one_key_result(context, kr)
        current.checkin_form = form  # type: ignore[attr-defined]
        current.just_saved = saved  # type: ignore[attr-defined]
        context["kr"] = current
        return render(request, "web/_kr_checkin_response.html", context)
    kr.checkin_form = form  # type: ignore[attr-defined]
    kr.can_check_in = True  # type: ignore[attr-defined]
    context = {"org": organization, "access": access, "objective": objective, "kr": kr}
    return render(
        request,
        "web/key_result_checkin.html",
        context,
        partial="checkin_form",
        status=400 if posted else 200,
    )


# --- initiatives -----------------------------------------------------------------------------


def _initiatives_answer(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    objective: Objective,
    kr: KeyResult,
    *,
    errors: list[str] | None = None,
    form: InitiativeForm | None = None,
) -> HttpResponse:
    """After an initiative write: htmx gets the key result's initiatives back (with any
    messages, status 200); a plain post is redirected, or shown the page with the messages."""
    if not errors and not _is_htmx(request):
        return _back(organization, objective, f"initiatives-{kr.code}")
    context = _objective_context(request, organization, access, objective, answer_for=kr)
    current = _one_key_result(context, kr)
    current.initiative_errors = errors or []  # type: ignore[attr-defined]
    if errors and form is not None:
        # The posted form knows only the person it was sent with; offer the page's list again.
        offered = {str(p.pk): p for p in context["people"]} | form.people_map
        form.fields["owner"].choices = person_choices(offered.values())  # type: ignore[attr-defined]
        current.initiative_form = form  # type: ignore[attr-defined]
    current.initiatives_open = True  # type: ignore[attr-defined]
    context["kr"] = current
    if _is_htmx(request):
        return render(request, PAGE, context, partial="kr_initiatives")
    return render(request, PAGE, context, status=400)


def _posted_ids(request: HttpRequest, name: str) -> list[int]:
    """The account id posted in `name`, to look up that one person rather than everyone."""
    raw = request.POST.get(name, "")
    return [int(raw)] if raw.isdigit() else []


def _form_messages(form: Any) -> list[str]:
    return [str(message) for messages in form.errors.values() for message in messages]


@require_POST
def initiative_new(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not access.can_edit_objective(kr.objective):
        raise PermissionDenied
    people = list(people_of(organization).filter(pk__in=_posted_ids(request, "owner")))
    form = InitiativeForm(request.POST, people=people, auto_id=f"new-{kr.code}-%s")
    errors: list[str] = []
    if form.is_valid():
        try:
            initiative_create(
                key_result=kr,
                title=form.cleaned_data["title"],
                owner=_person(form, form.cleaned_data["owner"]),
                due=form.cleaned_data["due"],
                status=form.cleaned_data["status"] or InitiativeStatus.PLANNED,
                by=request.user,
            )
        except ValidationError as error:
            errors.extend(error.messages)
    else:
        errors.extend(_form_messages(form))
    return _initiatives_answer(
        request, organization, access, kr.objective, kr, errors=errors, form=form
    )


@require_POST
def initiative_update(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Change an initiative's status, owner, title or due date: only the fields posted."""
    organization, access = org_access(request, org)
    initiative = (
        Initiative.objects.filter(organization=organization, code=code)
        .select_related("objective", "key_result")
        .first()
    )
    if initiative is None:
        raise Http404
    objective = get_objective(access, initiative.objective.code)
    if not access.can_edit_objective(objective):
        raise PermissionDenied
    changes: dict[str, Any] = {}
    errors: list[str] = []
    for name in ("status", "title"):
        if name in request.POST:
            changes[name] = request.POST[name]
    if "owner" in request.POST:
        people = {
            str(p.pk): p
            for p in people_of(organization).filter(pk__in=_posted_ids(request, "owner"))
        }
        raw = request.POST["owner"]
        if raw and raw not in people:
            errors.append(_("That person is not a member of this organization."))
        changes["owner"] = people.get(raw)
    if "due" in request.POST:
        raw = request.POST["due"].strip()
        try:
            changes["due"] = dt.date.fromisoformat(raw) if raw else None
        except ValueError:
            errors.append(_("Give the due date as a date, such as 2026-12-15."))
    if not changes and not errors:
        errors.append(_("Nothing to change."))
    if not errors:
        try:
            okr_services.initiative_update(initiative=initiative, by=request.user, **changes)
        except ValidationError as error:
            errors.extend(error.messages)
    if initiative.key_result is None:
        # Initiatives hung on the objective itself are not shown per key result.
        if errors:
            return _page_with(request, organization, access, objective, state_errors=errors)
        if _is_htmx(request):
            return HttpResponseClientRefresh()
        return _back(organization, objective)
    return _initiatives_answer(
        request, organization, access, objective, initiative.key_result, errors=errors
    )


# --- history ---------------------------------------------------------------------------------

VERBS = {
    "objective.created": _lazy("created the objective"),
    "objective.updated": _lazy("edited the objective"),
    "objective.state_changed": _lazy("changed the state of"),
    "key_result.created": _lazy("added the key result"),
    "key_result.updated": _lazy("edited the key result"),
    "key_result.deleted": _lazy("removed the key result"),
    "checkin.recorded": _lazy("checked in on"),
    "checkin.corrected": _lazy("corrected a check-in on"),
    "comment.added": _lazy("commented on"),
    "comment.edited": _lazy("edited a comment on"),
    "comment.deleted": _lazy("deleted a comment on"),
    "weekly.item_added": _lazy("planned work for"),
    "weekly.item_done": _lazy("finished work for"),
    "weekly.item_moved": _lazy("moved a weekly item linked to"),
    "weekly.item_edited": _lazy("edited a weekly item linked to"),
    "weekly.item_deleted": _lazy("removed a weekly item linked to"),
    "weekly.item_resolved": _lazy("resolved a problem with"),
    "weekly.item_reopened": _lazy("reopened a problem with"),
    "alignment.linked": _lazy("aligned"),
    "alignment.unlinked": _lazy("removed an alignment of"),
    "initiative.created": _lazy("added the initiative"),
    "initiative.updated": _lazy("updated the initiative"),
}

FIELD_LABELS = {
    "title": _lazy("title"),
    "reason": _lazy("reason"),
    "measured_at": _lazy("measured on"),
    "text": _lazy("text"),
    "category": _lazy("category"),
    "body": _lazy("comment"),
    "description": _lazy("why it matters"),
    "type": _lazy("type"),
    "visibility": _lazy("visible to"),
    "lead": _lazy("lead"),
    "level": _lazy("level"),
    "unit": _lazy("owned by"),
    "cycle": _lazy("cycle"),
    "state": _lazy("state"),
    "kind": _lazy("kind"),
    "start": _lazy("start value"),
    "target": _lazy("target"),
    "unit_label": _lazy("unit"),
    "value_format": _lazy("format"),
    "currency": _lazy("currency"),
    "decimals": _lazy("decimal places"),
    "weight": _lazy("weight"),
    "owner": _lazy("owner"),
    "aspirational": _lazy("aspirational"),
    "value": _lazy("value"),
    "confidence": _lazy("confidence"),
    "note": _lazy("note"),
    "source": _lazy("via"),
    "status": _lazy("status"),
    "due": _lazy("due"),
    "parent": _lazy("contributes to"),
    "key_result": _lazy("key result"),
}

CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "type": dict(ObjectiveType.choices),
    "visibility": dict(Visibility.choices),
    "level": dict(Level.choices),
    "state": dict(ObjectiveState.choices),
    "kind": dict(KeyResultKind.choices),
    "value_format": dict(ValueFormat.choices),
    "status": dict(InitiativeStatus.choices),
    "source": dict(Source.choices),
}


def _names_for(events: list[AuditEvent]) -> dict[str, str]:
    """Titles and names for the codes the events mention (units, objectives, key results), in
    three queries per page."""
    codes: set[str] = set()
    for event in events:
        for name in ("unit", "parent", "key_result"):
            value = (event.changes or {}).get(name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item:
                    codes.add(item)
    if not codes:
        return {}
    org_id = events[0].organization_id
    assert org_id is not None  # an objective's history belongs to its organization
    names: dict[str, str] = {}
    for model, field in ((Unit, "name"), (Objective, "title"), (KeyResult, "title")):
        names.update(
            model.objects.filter(organization_id=org_id, code__in=codes).values_list("code", field)
        )
    return names


def _readable(field: str, value: Any, names: dict[str, str]) -> str:
    if value in (None, "", []):
        return "—"
    if field == "confidence":
        number = Decimal(str(value))
        return _("%(n)s of 10") % {"n": f"{round(number * 10)}"}
    if field == "aspirational":
        return _("yes") if value else _("no")
    if field in CHOICE_LABELS:
        return str(CHOICE_LABELS[field].get(value, value))
    if field in ("unit", "parent", "key_result"):
        return names.get(str(value), str(value))
    return str(value)


def _changes(event: AuditEvent, names: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """The changed fields as (label, before, after) — after is None when the event only
    records a value, not a change."""
    lines: list[tuple[str, str, str | None]] = []
    for field, value in (event.changes or {}).items():
        label = str(FIELD_LABELS.get(field, field.replace("_", " ")))
        if field in ("checkin", "correction", "person", "week", "target"):
            continue  # internal references, not something a reader needs
        changed = (".updated", ".state_changed", ".corrected", ".item_moved", ".item_done")
        if event.verb.endswith(changed) and isinstance(value, list):
            before, after = [*value, None, None][:2]
            lines.append((label, _readable(field, before, names), _readable(field, after, names)))
        else:
            lines.append((label, _readable(field, value, names), None))
    return lines


@require_safe
def objective_history(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    objective = get_objective(access, code)
    events = AuditEvent.objects.filter(
        organization=organization, objective_code=objective.code
    ).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = _names_for(rows)
    for event in rows:
        event.label = VERBS.get(event.verb, event.verb)  # type: ignore[attr-defined]
        event.lines = _changes(event, names)  # type: ignore[attr-defined]
    return render(
        request,
        "web/objective_history.html",
        {
            "org": organization,
            "access": access,
            "objective": objective,
            "page": page,
            "events": rows,
        },
    )
