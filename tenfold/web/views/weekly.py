"""The weekly rhythm in the browser: my week (the home page), a team's week, the team
check-in meeting and the leads' monthly review.

Every action on an item is one small POST that answers with the re-rendered board for htmx
(or a redirect without JavaScript). Refused htmx actions answer 200 with the messages in the
board, because htmx does not swap 4xx answers; refused plain posts answer 400."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tenfold.checkins.models import Category, Source, WeeklyItem
from tenfold.checkins.selectors import (
    LinkGroup,
    active_cycles,
    columns,
    group_by_okr,
    hide_private_links,
    key_results_to_update,
    link_choices,
    meeting_objectives,
    monthly_review,
    reports_of,
    team_week,
    unit_people,
    week_items,
)
from tenfold.checkins.weekly import (
    PLANS_GUIDE,
    categories,
    get_item,
    item_add,
    item_delete,
    item_move,
    item_resolve,
    item_update,
    items_reorder,
    parse_week,
    report_get,
    week_of,
)
from tenfold.lib.validation import error_dict
from tenfold.okrs.selectors import get_key_result, organization_today
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import get_unit

from ..forms import CheckInForm
from ..fragments import Fragment
from ..shortcuts import check_in_from_form, org_access, render

ONE_WEEK = dt.timedelta(days=7)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _with_comment_counts(items: list[WeeklyItem]) -> None:
    """`comment_count` on every item, in one query for the whole list."""
    from tenfold.social.selectors import comment_counts

    counts = comment_counts("item", [item.id for item in items])
    for item in items:
        item.comment_count = counts.get(item.id, 0)  # type: ignore[attr-defined]


def _messages(error: ValidationError) -> list[str]:
    return [message for messages in error_dict(error).values() for message in messages]


def _weeks(organization: Organization, week: dt.date) -> dict[str, Any]:
    current = week_of(organization)
    return {
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "current_week": current,
        "previous_week": week - ONE_WEEK,
        "next_week": week + ONE_WEEK,
        "is_current": week == current,
        "is_next": week == current + ONE_WEEK,
        "is_past": week < current,
        "can_go_next": week < current + ONE_WEEK,
    }


# --- my week ------------------------------------------------------------------------------


def _board_context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    week: dt.date,
    *,
    errors: dict[str, list[str]] | None = None,
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    person_id = access.user_id
    report = report_get(organization, person_id, week)
    items = week_items(access, organization, person_id, report)
    _with_comment_counts(items)
    weeks = _weeks(organization, week)
    editable = access.can_write and (weeks["is_current"] or weeks["is_next"])
    plan_count = sum(1 for item in items if item.category == Category.PLANS)
    low, high = PLANS_GUIDE
    return {
        "org": organization,
        "access": access,
        "report": report,
        "columns": columns(organization, items),
        "categories": categories(organization),
        "editable": editable,
        "plan_count": plan_count,
        "too_many_plans": plan_count > high,
        "few_plans": editable and 0 < plan_count < low,
        "plans_guide": PLANS_GUIDE,
        **_link_options(
            link_choices(access, organization, person_id) if editable else [], typed or {}
        ),
        "errors": errors or {},
        "typed": typed or {},
        **weeks,
    }


def _options(groups: list[LinkGroup], chosen: str) -> SafeString:
    rows = []
    for group in groups:
        objective = group.objective
        options = [
            format_html(
                '<option value="{}"{}>{} {}</option>',
                objective.code,
                _SELECTED if objective.code == chosen else "",
                _("Objective:"),
                Truncator(objective.title).chars(60),
            )
        ]
        options += [
            format_html(
                '<option value="{}"{}>{}</option>',
                kr.code,
                _SELECTED if kr.code == chosen else "",
                Truncator(kr.title).chars(70),
            )
            for kr in group.key_results
        ]
        rows.append(
            format_html(
                '<optgroup label="{}">{}</optgroup>',
                Truncator(objective.title).chars(60),
                format_html_join("", "{}", ((option,) for option in options)),
            )
        )
    return format_html_join("\n", "{}", ((row,) for row in rows))


# Plain text: format_html escapes it, and escaping leaves it as it is.
_SELECTED = " selected"


def _link_options(groups: list[LinkGroup], typed: dict[str, str]) -> dict[str, Any]:
    """The options of the "linked to" menus, built once for the three (or more) add forms of
    the board rather than rendered again in each: the same menu, with the link just typed
    chosen in the form it was typed in."""
    chosen = typed.get("link") or ""
    return {
        "link_groups": groups,
        "link_options": _options(groups, ""),
        "link_options_typed": _options(groups, chosen) if chosen else None,
    }


def _checkin_rows(
    access: Access, organization: Organization, forms: dict[str, CheckInForm] | None = None
) -> list[Any]:
    krs = key_results_to_update(access, organization, access.user_id)
    for kr in krs:
        kr.can_check_in = access.can_check_in(kr, kr.objective)  # type: ignore[attr-defined]
        kr.checkin_form = (forms or {}).get(kr.code) or CheckInForm(prefix=kr.code)  # type: ignore[attr-defined]
    return krs


def _mentions(access: Access) -> list[Any]:
    try:
        from tenfold.social.selectors import unread_mentions
    except ImportError:  # pragma: no cover - the social app is always installed
        return []
    return list(unread_mentions(access))


@require_safe
def my_week(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    # A person's week is theirs alone: kept for them, under the organization's change
    # counter like the shared pages, so opening it again after a look elsewhere costs little.
    fragment = Fragment(request, organization, access, "my-week", personal=True)
    week = parse_week(organization, request.GET.get("week"))

    def build() -> dict[str, Any]:
        context = _board_context(request, organization, access, week)
        if not _is_htmx(request):
            # The htmx answer is the board alone: the key results, mentions and teams beside
            # it are not part of it, so they are not read.
            context["key_results"] = _checkin_rows(access, organization)
            context["mentions"] = _mentions(access)
            context["teams"] = _my_units(access, organization)
        return context

    context = {"org": organization, "access": access, "nav": "week"}
    return render(
        request, "web/week.html", context, partial="board", fragment=fragment, build=build
    )


def _my_units(access: Access, organization: Organization) -> list[Any]:
    from tenfold.organizations.models import Unit

    ids = access.member_unit_ids | access.led_unit_ids
    return list(
        Unit.objects.filter(organization=organization, id__in=ids).order_by("order", "name")
    )


def _board_answer(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    week: dt.date,
    *,
    error: ValidationError | None = None,
    typed: dict[str, str] | None = None,
    anchor: str = "",
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if error is not None:
        key = (typed or {}).get("category") or ""
        if key not in {category.key for category in categories(organization)}:
            key = "__all__"  # shown above the board when no column owns the message
        errors[key] = _messages(error)
    if _is_htmx(request):
        context = _board_context(request, organization, access, week, errors=errors, typed=typed)
        return render(request, "web/week.html#board", context)
    if error is not None:
        context = _board_context(request, organization, access, week, errors=errors, typed=typed)
        context["key_results"] = _checkin_rows(access, organization)
        context["nav"] = "week"
        return render(request, "web/week.html", context, status=400)
    url = reverse("my_week", args=[organization.slug])
    if week != week_of(organization):
        url += f"?week={week.isoformat()}"
    return redirect(url + anchor)


def _posted_week(organization: Organization, request: HttpRequest) -> dt.date:
    return parse_week(organization, request.POST.get("week") or request.GET.get("week"))


@require_POST
def week_item_add(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    week = _posted_week(organization, request)
    category = request.POST.get("category", "")
    typed = {
        "category": category,
        "text": request.POST.get("text", ""),
        "link": request.POST.get("link", ""),
    }
    try:
        item_add(
            access=access,
            category=category,
            text=request.POST.get("text", ""),
            week=week,
            link=request.POST.get("link", ""),
        )
    except ValidationError as error:
        return _board_answer(request, organization, access, week, error=error, typed=typed)
    # The link stays chosen, so the next item of the same kind only needs its text.
    typed = {"category": category, "text": "", "link": request.POST.get("link", "")}
    return _board_answer(request, organization, access, week, typed=typed)


def _item_action(request: HttpRequest, org: str, code: str, action: Any) -> HttpResponse:
    organization, access = org_access(request, org)
    item = get_item(access, code)
    week = item.report.week
    try:
        action(access, item)
    except ValidationError as error:
        typed = {"category": item.category}
        return _board_answer(request, organization, access, week, error=error, typed=typed)
    return _board_answer(request, organization, access, week, anchor=f"#cat-{item.category}")


@require_POST
def week_item_move(request: HttpRequest, org: str, code: str) -> HttpResponse:
    category = request.POST.get("category", "")
    return _item_action(
        request,
        org,
        code,
        lambda access, item: item_move(access=access, item=item, category=category),
    )


@require_POST
def week_item_resolve(request: HttpRequest, org: str, code: str) -> HttpResponse:
    resolved = request.POST.get("resolved", "1") != "0"
    return _item_action(
        request,
        org,
        code,
        lambda access, item: item_resolve(access=access, item=item, resolved=resolved),
    )


@require_POST
def week_item_delete(request: HttpRequest, org: str, code: str) -> HttpResponse:
    return _item_action(
        request, org, code, lambda access, item: item_delete(access=access, item=item)
    )


@require_POST
def week_item_shift(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """Move an item one place up or down inside its category (the keyboard's reorder)."""
    step = -1 if request.POST.get("direction") == "up" else 1

    def shift(access: Access, item: WeeklyItem) -> None:
        codes = list(
            item.report.items.filter(category=item.category)
            .order_by("position", "id")
            .values_list("code", flat=True)
        )
        index = codes.index(item.code)
        other = index + step
        if 0 <= other < len(codes):
            codes[index], codes[other] = codes[other], codes[index]
        items_reorder(access=access, report=item.report, category=item.category, codes=codes)

    return _item_action(request, org, code, shift)


@require_POST
def week_reorder(request: HttpRequest, org: str) -> HttpResponse:
    """Put a category in a given order (drag and drop sends the codes in their new order)."""
    organization, access = org_access(request, org)
    week = _posted_week(organization, request)
    if not access.can_write:
        raise PermissionDenied
    report = report_get(organization, access.user_id, week)
    category = request.POST.get("category", "")
    try:
        if report is None:
            raise ValidationError({"order": [_("This week has no items to put in order yet.")]})
        items_reorder(
            access=access, report=report, category=category, codes=request.POST.getlist("order")
        )
    except ValidationError as error:
        return _board_answer(
            request, organization, access, week, error=error, typed={"category": category}
        )
    return _board_answer(request, organization, access, week)


def week_item_edit(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """GET: the item's edit form (a fragment for htmx). POST: save text and link."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    organization, access = org_access(request, org)
    item = get_item(access, code)
    week = item.report.week
    if request.method == "POST":
        try:
            item_update(
                access=access,
                item=item,
                text=request.POST.get("text", ""),
                link=request.POST.get("link", ""),
            )
        except ValidationError as error:
            context = _edit_context(organization, access, item, week)
            context["edit_errors"] = _messages(error)
            context["typed_text"] = request.POST.get("text", "")
            response = render(
                request,
                "web/week_item_edit.html",
                context,
                partial="edit_form",
                status=200 if _is_htmx(request) else 400,
            )
            # The form swaps the whole board on success; a refusal keeps the form in place.
            response["HX-Retarget"] = f"#item-{item.code}"
            response["HX-Reswap"] = "outerHTML"
            return response
        return _board_answer(request, organization, access, week)
    if not (access.can_write and (item.report.person_id == access.user_id or access.is_admin)):
        raise PermissionDenied
    context = _edit_context(organization, access, item, week)
    return render(request, "web/week_item_edit.html", context, partial="edit_form")


def _edit_context(
    organization: Organization, access: Access, item: WeeklyItem, week: dt.date
) -> dict[str, Any]:
    hide_private_links(access, [item])
    return {
        "org": organization,
        "access": access,
        "item": item,
        "week": week,
        "link_groups": link_choices(access, organization, item.report.person_id),
        "edit_errors": [],
        "typed_text": item.text,
    }


def week_checkin(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """The inline check-in of a key-result row on my week: answers with the row."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    organization, access = org_access(request, org)
    kr = get_key_result(access, code)
    if not access.can_check_in(kr, kr.objective):
        raise PermissionDenied
    form = CheckInForm(request.POST, prefix=kr.code)
    saved = check_in_from_form(form, kr, request.user)
    if not _is_htmx(request):
        if saved:
            return redirect(reverse("my_week", args=[organization.slug]) + f"#kr-{kr.code}")
        context = _board_context(request, organization, access, week_of(organization))
        context["key_results"] = _checkin_rows(access, organization, {kr.code: form})
        context["nav"] = "week"
        return render(request, "web/week.html", context, status=400)
    rows = _checkin_rows(access, organization)
    row = next((item for item in rows if item.code == kr.code), None)
    if row is None:  # a key result checked in from elsewhere, e.g. a closed objective
        raise Http404
    if not saved:
        row.checkin_form = form
    row.just_saved = saved
    return render(request, "web/week.html#kr_row", {"org": organization, "kr": row})


# --- team week and meeting -------------------------------------------------------------------


def _unit_page_access(access: Access, unit: Any) -> None:
    """Team pages are for the people of the unit, the leads above it and admins."""
    if access.is_admin or unit.id in access.led_unit_ids or unit.id in access.member_unit_ids:
        return
    raise Http404


@require_safe
def team_week_page(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    _unit_page_access(access, unit)
    week = parse_week(organization, request.GET.get("week"))
    # Kept for each visitor (the kudos buttons are theirs), under the organization's change
    # counter: the copy is good until anybody writes anything. Carrying plans over into the
    # current week is part of building it, before any rows are read, and the copy is filed
    # under the counter after that write; while a copy is good, the carry-over has nothing
    # left to do (it runs once per person and week).
    fragment = Fragment(request, organization, access, "team-week", unit.code, personal=True)

    def build() -> dict[str, Any]:
        members = unit_people(organization, unit)
        if week == week_of(organization):
            from tenfold.checkins.weekly import carry_over

            carry_over(organization, week=week, people=[m.user_id for m in members])
            fragment.after_own_write()
            members = unit_people(organization, unit)  # read again, after the new counter
        people, groups = team_week(access, organization, unit, week, members)
        _with_comment_counts([item for person in people for item in person.items])
        open_problems = [
            item
            for person in people
            for item in person.items
            if item.category == Category.PROBLEMS and not item.resolved_at
        ]
        return {
            "people": people,
            "groups": groups,
            "missing": [p for p in people if not p.filled_in],
            "open_problems": open_problems,
            "categories": categories(organization),
            "totals": {
                key: sum(person.count(key) for person in people)
                for key in (Category.PLANS, Category.PROGRESS, Category.PROBLEMS)
            },
            **_weeks(organization, week),
        }

    context = {"org": organization, "access": access, "unit": unit}
    return render(request, "web/team_week.html", context, fragment=fragment, build=build)


def _meeting_context(
    request: HttpRequest,
    organization: Organization,
    access: Access,
    unit: Any,
    *,
    note_errors: dict[str, list[str]] | None = None,
    plan_errors: list[str] | None = None,
    typed: dict[str, str] | None = None,
    saved_note: str = "",
) -> dict[str, Any]:
    week = week_of(organization)
    members = unit_people(organization, unit)
    ids = [m.user_id for m in members]
    from tenfold.checkins.weekly import carry_over

    carry_over(organization, week=week, people=ids)
    this_week = reports_of(organization, ids, week)
    next_week = reports_of(organization, ids, week + ONE_WEEK)
    names = {m.user_id: m.user for m in members}
    items_now = [item for report in this_week.values() for item in report.items.all()]
    items_next = [item for report in next_week.values() for item in report.items.all()]
    for item in items_now + items_next:
        item.person = names.get(item.report.person_id)  # type: ignore[attr-defined]
    hide_private_links(access, items_now + items_next)
    learned_keys = [c.key for c in categories(organization) if not c.builtin]
    # The meeting looks back one week from now, whatever day of the week it is held.
    since = timezone.now() - ONE_WEEK
    last_week = reports_of(organization, ids, week - ONE_WEEK)
    recent = [
        item
        for report in last_week.values()
        for item in report.items.all()
        if (item.done_at or item.created_at) >= since
    ]
    for item in recent:
        item.person = names.get(item.report.person_id)  # type: ignore[attr-defined]
    hide_private_links(access, recent)
    agenda = meeting_objectives(access, organization, unit, since)
    key_results = [kr for entry in agenda for kr in entry.key_results]
    return {
        "org": organization,
        "access": access,
        "unit": unit,
        "agenda": agenda,
        "key_results": key_results,
        "members": members,
        "done": [i for i in recent + items_now if i.category == Category.PROGRESS],
        "learned": [i for i in recent + items_now if i.category in learned_keys],
        "problems": [i for i in items_now if i.category == Category.PROBLEMS and not i.resolved_at],
        "open_plans": group_by_okr([i for i in items_now if i.category == Category.PLANS]),
        "next_plans": group_by_okr([i for i in items_next if i.category == Category.PLANS]),
        "week": week,
        "next_week": week + ONE_WEEK,
        "note_errors": note_errors or {},
        "plan_errors": plan_errors or [],
        "typed": typed or {},
        "saved_note": saved_note,
        "can_write": access.can_write,
        "has_cycle": bool(active_cycles(organization, organization_today(organization))),
    }


@require_safe
def team_meeting(request: HttpRequest, org: str, code: str) -> HttpResponse:
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    _unit_page_access(access, unit)
    context = _meeting_context(request, organization, access, unit)
    return render(request, "web/meeting.html", context)


@require_POST
def meeting_note(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """A note taken in the meeting, saved as a comment on the objective it is about."""
    from tenfold.okrs.selectors import get_objective
    from tenfold.social.services import comment_add

    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    _unit_page_access(access, unit)
    code = request.POST.get("objective", "")
    if not code:
        context = _meeting_context(request, organization, access, unit)
        context["plan_errors"] = [_("Choose the objective the note is about.")]
        return render(
            request,
            "web/meeting.html",
            context,
            partial="agenda",
            status=200 if _is_htmx(request) else 400,
        )
    objective = get_objective(access, code)
    if objective.unit_id != unit.id:
        raise Http404
    body = request.POST.get("body", "")
    try:
        comment_add(access=access, target=objective, body=body, source="meeting")
    except ValidationError as error:
        context = _meeting_context(
            request,
            organization,
            access,
            unit,
            note_errors={objective.code: _messages(error)},
            typed={"note": body},
        )
        return render(
            request,
            "web/meeting.html",
            context,
            partial="agenda",
            status=200 if _is_htmx(request) else 400,
        )
    if not _is_htmx(request):
        return redirect(reverse("team_meeting", args=[organization.slug, unit.code]))
    context = _meeting_context(request, organization, access, unit, saved_note=objective.code)
    return render(request, "web/meeting.html", context, partial="agenda")


@require_POST
def meeting_plan(request: HttpRequest, org: str, code: str) -> HttpResponse:
    """A priority agreed in the meeting: a plan in its owner's next week."""
    organization, access = org_access(request, org)
    unit = get_unit(organization, code)
    _unit_page_access(access, unit)
    members = {str(m.user_id): m for m in unit_people(organization, unit)}
    owner = members.get(request.POST.get("person", ""))
    typed = {key: request.POST.get(key, "") for key in ("person", "text", "link")}
    try:
        if owner is None:
            raise ValidationError({"person": [_("Choose who will do it.")]})
        item_add(
            access=access,
            category=Category.PLANS,
            text=request.POST.get("text", ""),
            person_id=owner.user_id,
            week=week_of(organization) + ONE_WEEK,
            link=request.POST.get("link", ""),
            source=Source.MEETING,
        )
    except ValidationError as error:
        context = _meeting_context(
            request, organization, access, unit, plan_errors=_messages(error), typed=typed
        )
        return render(
            request,
            "web/meeting.html",
            context,
            partial="agenda",
            status=200 if _is_htmx(request) else 400,
        )
    if not _is_htmx(request):
        return redirect(reverse("team_meeting", args=[organization.slug, unit.code]) + "#next")
    typed = {"person": "", "text": "", "link": typed["link"]}
    context = _meeting_context(request, organization, access, unit, typed=typed)
    return render(request, "web/meeting.html", context, partial="agenda")


@require_safe
def monthly(request: HttpRequest, org: str) -> HttpResponse:
    organization, access = org_access(request, org)
    if not (access.is_admin or access.led_unit_ids):
        raise PermissionDenied(_("The monthly review is for team leads and admins."))
    review = monthly_review(access, organization)
    return render(
        request,
        "web/monthly.html",
        {"org": organization, "access": access, "review": review, "nav": "monthly"},
    )
