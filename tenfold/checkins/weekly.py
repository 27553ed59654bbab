"""Weekly reports (Plans, Progress, Problems): which week it is, who may see and change a
person's week, and the services that change items. Web pages, the API and the CLI all call
these functions; none of them writes a weekly item itself."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.periods import week_start_of
from tenfold.lib.validation import Errors
from tenfold.okrs.models import CycleState, KeyResult, Objective, ObjectiveState
from tenfold.organizations.models import Organization, UnitMember

from .models import ITEM_MAX, Category, Source, WeeklyItem, WeeklyReport

if TYPE_CHECKING:
    from tenfold.organizations.permissions import Access

PLANS_GUIDE = (3, 7)
"""The method's advice: three to seven priorities a week. Guidance, never a limit."""

CARRIED = (Category.PLANS, Category.PROBLEMS)
"""What moves into the next week when it is left open: unfinished plans and open problems."""

EXTRA_MAX = 6
NAME_MAX = 40


# --- weeks -------------------------------------------------------------------------------


def zone_of(organization: Organization) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(organization.time_zone or "UTC")


def week_of(organization: Organization, moment: dt.datetime | None = None) -> dt.date:
    """The first day of the organization's week that contains `moment` (default: now), in the
    organization's time zone and with its week start."""
    local = timezone.localdate(moment or timezone.now(), timezone=zone_of(organization))
    return week_start_of(local, organization.week_start)


def week_containing(organization: Organization, day: dt.date) -> dt.date:
    return week_start_of(day, organization.week_start)


def week_begins_at(organization: Organization, week: dt.date) -> dt.datetime:
    """The instant the week starts: local midnight of its first day (daylight saving aware)."""
    return dt.datetime.combine(week, dt.time(), tzinfo=zone_of(organization))


def parse_week(organization: Organization, raw: str | None) -> dt.date:
    """A week from a `YYYY-MM-DD` string (any day of the week); the current week when empty.
    Raises Http404 for text that is not a date, so a bad address is a clear "not found"."""
    if not raw:
        return week_of(organization)
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None
    return week_containing(organization, day)


# --- categories --------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryInfo:
    key: str
    name: str
    builtin: bool


_DEFAULT_NAMES = {"plans": "Plans", "progress": "Progress", "problems": "Problems"}


def categories(organization: Organization) -> list[CategoryInfo]:
    """Plans, Progress and Problems under the organization's names, then its extra
    categories. A built-in name left at its default is shown in the reader's language."""
    names = organization.ppp_names if isinstance(organization.ppp_names, dict) else {}
    result = []
    for choice in Category:
        custom = str(names.get(choice.value) or "").strip()
        if not custom or custom == _DEFAULT_NAMES[choice.value]:
            custom = str(choice.label)
        result.append(CategoryInfo(choice.value, custom, True))
    for extra in organization.extra_categories or []:
        if isinstance(extra, dict) and extra.get("key") and extra.get("name"):
            result.append(CategoryInfo(str(extra["key"]), str(extra["name"]), False))
    return result


def category_keys(organization: Organization) -> set[str]:
    return {category.key for category in categories(organization)}


@transaction.atomic
def categories_update(
    *,
    organization: Organization,
    by: Any,
    names: dict[str, str],
    extras: Sequence[tuple[str, str]],
) -> Organization:
    """Rename Plans/Progress/Problems and set the extra categories. `extras` holds (key, name)
    pairs: an empty key adds a category, a known key renames one, and a known key left out
    removes the category from the page (its items stay in the database and in exports)."""
    errors = Errors()
    clean_names: dict[str, str] = {}
    for choice in Category:
        name = str(names.get(choice.value) or "").strip()
        if len(name) > NAME_MAX:
            errors.add(
                f"name_{choice.value}",
                _("Keep a category name under %(n)d characters.") % {"n": NAME_MAX},
            )
        clean_names[choice.value] = name or _DEFAULT_NAMES[choice.value]
    known = {
        str(extra.get("key")): extra
        for extra in organization.extra_categories or []
        if isinstance(extra, dict)
    }
    result: list[dict[str, str]] = []
    taken = {choice.value for choice in Category}
    seen_names: set[str] = set()
    for key, raw_name in extras:
        name = (raw_name or "").strip()
        if not name:
            continue
        if len(name) > NAME_MAX:
            errors.add(
                "extras", _("Keep a category name under %(n)d characters.") % {"n": NAME_MAX}
            )
            continue
        if name.casefold() in seen_names:
            errors.add("extras", _("“%(name)s” is listed twice.") % {"name": name})
            continue
        seen_names.add(name.casefold())
        if key and key in known:
            result.append({"key": key, "name": name})
            taken.add(key)
            continue
        base = slugify(name)[:30] or "category"
        candidate, n = base, 2
        while candidate in taken or candidate in known:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        result.append({"key": candidate, "name": name})
    if len(result) > EXTRA_MAX:
        errors.add(
            "extras", _("At most %(n)d extra categories keep the week readable.") % {"n": EXTRA_MAX}
        )
    errors.raise_if_any()
    before = {
        "ppp_names": organization.ppp_names,
        "extra_categories": organization.extra_categories,
    }
    organization.ppp_names = clean_names
    organization.extra_categories = result
    organization.save(update_fields=["ppp_names", "extra_categories"])
    audit_record(
        organization=organization,
        actor=by,
        verb="organization.categories",
        obj=organization,
        changes={"before": before, "after": {"ppp_names": clean_names, "extra_categories": result}},
    )
    return organization


# --- who may see and change a week -------------------------------------------------------


def _units_of_person(organization_id: int, person_id: int) -> set[int]:
    return set(
        UnitMember.objects.filter(organization_id=organization_id, user_id=person_id).values_list(
            "unit_id", flat=True
        )
    )


def can_see_person_week(access: Access, person_id: int) -> bool:
    """A person's week is open to them, to admins, to the people they share a unit with and to
    the leads above them: transparency inside the team, awareness for managers."""
    if access.is_admin or person_id == access.user_id:
        return True
    unit_ids = _units_of_person(access.membership.organization_id, person_id)
    return bool(unit_ids & (access.member_unit_ids | access.led_unit_ids))


def can_see_report(access: Access, report: WeeklyReport) -> bool:
    return can_see_person_week(access, report.person_id)


def _may_add_for(access: Access, person_id: int) -> bool:
    """People add to their own week; in the team meeting, a team-mate or lead may add a plan
    to someone else's next week."""
    return access.can_write and can_see_person_week(access, person_id)


def _may_change(access: Access, item: WeeklyItem) -> bool:
    if not access.can_write:
        return False
    return (
        access.is_admin
        or item.report.person_id == access.user_id
        or item.added_by_id == access.user_id
    )


def _writable_week(organization: Organization, week: dt.date, errors: Errors) -> None:
    current = week_of(organization)
    if week < current:
        errors.add(
            "week",
            _("The week of %(week)s has ended and stays as it was; add the item to this week.")
            % {"week": week.isoformat()},
        )
    elif week > current + dt.timedelta(days=7):
        errors.add("week", _("You can plan this week and next week, not further ahead."))


# --- reports and carry-over ---------------------------------------------------------------


def _member(organization: Organization, person_id: int) -> bool:
    return organization.memberships.filter(user_id=person_id).exists()


def report_get(organization: Organization, person_id: int, week: dt.date) -> WeeklyReport | None:
    """The person's report for `week`, carrying in last week's open items first when the week
    has begun. Past weeks are only read: nothing is created for them."""
    if week == week_of(organization):
        carry_over(organization, week=week, people=[person_id])
    return WeeklyReport.objects.filter(
        organization=organization, person_id=person_id, week=week
    ).first()


def _report_for_write(organization: Organization, person_id: int, week: dt.date) -> WeeklyReport:
    if week == week_of(organization):
        carry_over(organization, week=week, people=[person_id])
    report, _created = WeeklyReport.objects.get_or_create(
        organization=organization, person_id=person_id, week=week
    )
    return report


@transaction.atomic
def carry_over(
    organization: Organization,
    *,
    week: dt.date | None = None,
    people: Iterable[int] | None = None,
) -> int:
    """Carry unfinished plans and open problems into `week` (default: the current week) for
    `people` (default: everyone), from each person's latest earlier report. Runs once per
    person and week — `carried_in_at` remembers it — so calling it again, from a page, the API
    or the worker, never duplicates an item. A fixed number of queries for any number of
    people. Returns the number of items carried."""
    current = week_of(organization)
    week = week or current
    if week > current:
        return 0  # a week that has not begun yet: its owner may still finish last week's plans
    reports = WeeklyReport.objects.filter(organization=organization)
    if people is not None:
        people = list(people)
        if not people:
            return 0
        reports = reports.filter(person_id__in=people)
    # (report, person, carried in at) of the week's reports.
    this_week = list(reports.filter(week=week).values_list("pk", "person_id", "carried_in_at"))
    done = {person_id for _pk, person_id, carried_in_at in this_week if carried_in_at is not None}
    if people is not None and done.issuperset(people):
        # Already carried for everyone asked about: nothing is written, so opening a page
        # again changes nothing (and keeps every kept copy of the organization's pages).
        return 0
    latest = dict(
        reports.filter(week__lt=week)
        .exclude(person_id__in=done)
        .values("person_id")
        .annotate(last=Max("week"))
        .values_list("person_id", "last")
    )
    now = timezone.now()
    if not latest:
        # Nothing to carry; still mark existing reports so the next call stays cheap.
        if any(carried_in_at is None for _pk, _person_id, carried_in_at in this_week):
            reports.filter(week=week, carried_in_at__isnull=True).update(carried_in_at=now)
        return 0
    previous = (
        WeeklyReport.objects.filter(
            organization=organization, person_id=OuterRef("report__person_id"), week__lt=week
        )
        .order_by("-week")
        .values("week")[:1]
    )
    sources = list(
        WeeklyItem.objects.filter(
            report__organization=organization,
            report__person_id__in=list(latest),
            report__week=Subquery(previous),
            category__in=CARRIED,
            resolved_at__isnull=True,
        )
        .select_related("report")
        .order_by("report__person_id", "position", "id")
    )
    existing = {
        report.person_id: report
        for report in WeeklyReport.objects.filter(
            organization=organization, week=week, person_id__in=list(latest)
        )
    }
    missing = [
        WeeklyReport(organization=organization, person_id=person_id, week=week, carried_in_at=now)
        for person_id in latest
        if person_id not in existing and any(s.report.person_id == person_id for s in sources)
    ]
    for report in WeeklyReport.objects.bulk_create(missing):
        existing[report.person_id] = report
    # Carried items follow whatever the week already holds, in their old order.
    offsets = dict(
        WeeklyItem.objects.filter(report__in=list(existing.values()))
        .values("report_id")
        .annotate(top=Max("position"))
        .values_list("report_id", "top")
    )
    new_items = []
    for position, source in enumerate(sources):
        report = existing[source.report.person_id]
        new_items.append(
            WeeklyItem(
                organization=organization,
                report=report,
                category=source.category,
                text=source.text,
                position=(offsets.get(report.pk) or 0) + 1 + position,
                objective_id=source.objective_id,
                key_result_id=source.key_result_id,
                carried_from=source,
                added_by_id=source.added_by_id,
                source=source.source,
            )
        )
    WeeklyItem.objects.bulk_create(new_items)
    # Mark the week's reports as carried into, writing only when one is still unmarked.
    unmarked = {report.pk for report in existing.values() if report.carried_in_at is None}
    if people is not None:
        asked = set(people)
        unmarked |= {
            pk
            for pk, person_id, carried_in_at in this_week
            if carried_in_at is None and person_id in asked
        }
    if unmarked:
        WeeklyReport.objects.filter(pk__in=unmarked, carried_in_at__isnull=True).update(
            carried_in_at=now
        )
    return len(new_items)


# --- links ----------------------------------------------------------------------------------


def resolve_link(
    access: Access, code: str, errors: Errors
) -> tuple[Objective | None, KeyResult | None]:
    """The objective or key result an item is linked to, from its code. Only what the person
    may see, in this organization, in a cycle that is not closed."""
    code = (code or "").strip()
    if not code:
        return None, None
    org_id = access.membership.organization_id
    kr = (
        KeyResult.objects.filter(organization_id=org_id, code=code)
        .select_related("objective__cycle")
        .first()
    )
    objective = kr.objective if kr else None
    if objective is None:
        objective = (
            Objective.objects.filter(organization_id=org_id, code=code)
            .select_related("cycle")
            .first()
        )
    if objective is None or not access.can_view_objective(objective):
        errors.add(
            "link",
            _("There is no objective or key result “%(code)s” you can see.") % {"code": code},
        )
        return None, None
    if objective.cycle.state == CycleState.CLOSED or objective.state == ObjectiveState.CLOSED:
        errors.add(
            "link",
            _("“%(title)s” is closed; link the item to a current OKR.")
            % {"title": objective.title},
        )
        return None, None
    return objective, kr


# --- items --------------------------------------------------------------------------------


def _clean_text(text: Any, errors: Errors) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        errors.add("text", _("Write what the item is about."))
    elif len(text) > ITEM_MAX:
        errors.add(
            "text",
            _("Keep an item under %(n)d characters (this one has %(len)d).")
            % {"n": ITEM_MAX, "len": len(text)},
        )
    return text


def _next_position(report: WeeklyReport, category: str) -> int:
    top = report.items.filter(category=category).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _audit(access: Access, verb: str, item: WeeklyItem, changes: dict[str, Any]) -> None:
    audit_record(
        organization=access.membership.organization,
        actor=access.membership.user,
        verb=verb,
        obj=item,
        objective_code=item.objective.code if item.objective_id and item.objective else "",
        changes={"person": item.report.person_id, "week": item.report.week, **changes},
    )


@transaction.atomic
def item_add(
    *,
    access: Access,
    category: str,
    text: Any,
    person_id: int | None = None,
    week: dt.date | None = None,
    link: str = "",
    source: str = Source.WEB,
) -> WeeklyItem:
    """Add an item to a person's week (default: the caller's current week)."""
    organization = access.membership.organization
    person_id = person_id or access.user_id
    week = week_containing(organization, week) if week else week_of(organization)
    errors = Errors()
    if not access.can_write:
        raise PermissionDenied(_("Your role can read weeks but not write them."))
    if person_id != access.user_id and (
        not _member(organization, person_id) or not _may_add_for(access, person_id)
    ):
        raise PermissionDenied(_("You may not add to this person's week."))
    if category not in category_keys(organization):
        errors.add("category", _("Choose one of the week's categories."))
    text = _clean_text(text, errors)
    _writable_week(organization, week, errors)
    objective, kr = resolve_link(access, link, errors)
    if source not in Source.values:
        errors.add("source", _("Unknown source."))
    errors.raise_if_any()
    report = _report_for_write(organization, person_id, week)
    item = WeeklyItem.objects.create(
        organization=organization,
        report=report,
        category=category,
        text=text,
        position=_next_position(report, category),
        objective=objective,
        key_result=kr,
        added_by=access.membership.user,
        source=source,
    )
    _audit(access, "weekly.item_added", item, {"category": category, "text": text})
    return item


def _locked(access: Access, item: WeeklyItem) -> WeeklyItem:
    item = (
        WeeklyItem.objects.select_for_update(of=("self",))
        .select_related("report", "objective", "key_result")
        .get(pk=item.pk)
    )
    if not can_see_report(access, item.report):
        raise Http404
    if not _may_change(access, item):
        raise PermissionDenied(_("Only the owner of this week may change its items."))
    return item


def _check_week(access: Access, item: WeeklyItem) -> None:
    errors = Errors()
    _writable_week(access.membership.organization, item.report.week, errors)
    errors.raise_if_any()


UNCHANGED: Any = object()


@transaction.atomic
def item_update(
    *, access: Access, item: WeeklyItem, text: Any = UNCHANGED, link: Any = UNCHANGED
) -> WeeklyItem:
    item = _locked(access, item)
    _check_week(access, item)
    errors = Errors()
    changes: dict[str, Any] = {}
    if text is not UNCHANGED:
        clean = _clean_text(text, errors)
        if clean != item.text:
            changes["text"] = [item.text, clean]
            item.text = clean
    if link is not UNCHANGED:
        objective, kr = resolve_link(access, link, errors)
        before = (
            item.key_result.code
            if item.key_result
            else (item.objective.code if item.objective else "")
        )
        after = kr.code if kr else (objective.code if objective else "")
        if before != after:
            changes["link"] = [before, after]
            item.objective, item.key_result = objective, kr
    errors.raise_if_any()
    if changes:
        item.save()
        _audit(access, "weekly.item_edited", item, changes)
    return item


@transaction.atomic
def item_move(
    *, access: Access, item: WeeklyItem, category: str, position: int | None = None
) -> WeeklyItem:
    """Move an item to another category: a plan to problems and back, a problem solved into
    progress, and so on. Moving a plan to progress marks it done."""
    item = _locked(access, item)
    _check_week(access, item)
    organization = access.membership.organization
    if category not in category_keys(organization):
        raise_field("category", _("Choose one of the week's categories."))
    if category == item.category:
        return item
    before = item.category
    now = timezone.now()
    item.category = category
    item.position = position if position is not None else _next_position(item.report, category)
    if category == Category.PROGRESS and before == Category.PLANS:
        item.done_at = now
    elif category != Category.PROGRESS:
        item.done_at = None
    if category != Category.PROBLEMS:
        item.resolved_at = None
    item.save()
    verb = "weekly.item_done" if item.done_at and before == Category.PLANS else "weekly.item_moved"
    _audit(access, verb, item, {"category": [before, category]})
    return item


def item_done(*, access: Access, item: WeeklyItem, done: bool = True) -> WeeklyItem:
    """Mark a plan done (it moves to Progress) or, with done=False, back to Plans."""
    return item_move(
        access=access, item=item, category=Category.PROGRESS if done else Category.PLANS
    )


@transaction.atomic
def item_resolve(*, access: Access, item: WeeklyItem, resolved: bool = True) -> WeeklyItem:
    """Mark a problem resolved (it stops carrying over) or open again."""
    item = _locked(access, item)
    _check_week(access, item)
    if item.category != Category.PROBLEMS:
        raise_field("category", _("Only problems can be resolved."))
    item.resolved_at = timezone.now() if resolved else None
    item.save(update_fields=["resolved_at", "updated_at"])
    _audit(access, "weekly.item_resolved" if resolved else "weekly.item_reopened", item, {})
    return item


@transaction.atomic
def item_delete(*, access: Access, item: WeeklyItem) -> None:
    item = _locked(access, item)
    _check_week(access, item)
    _audit(access, "weekly.item_deleted", item, {"text": item.text, "category": item.category})
    item.delete()


@transaction.atomic
def items_reorder(
    *, access: Access, report: WeeklyReport, category: str, codes: Sequence[str]
) -> list[WeeklyItem]:
    """Put the items of one category in the order of `codes` (codes left out keep their place
    after the ones given)."""
    if not can_see_report(access, report):
        raise Http404
    if not access.can_write or not (access.is_admin or report.person_id == access.user_id):
        raise PermissionDenied(_("Only the owner of this week may reorder it."))
    errors = Errors()
    _writable_week(access.membership.organization, report.week, errors)
    if category not in category_keys(access.membership.organization):
        errors.add("category", _("Choose one of the week's categories."))
    errors.raise_if_any()
    items = list(report.items.filter(category=category).order_by("position", "id"))
    by_code = {item.code: item for item in items}
    unknown = [code for code in codes if code not in by_code]
    if unknown:
        raise_field("order", _("Some items are not in this part of the week."))
    ordered = [by_code[code] for code in dict.fromkeys(codes)]
    ordered += [item for item in items if item.code not in set(codes)]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    WeeklyItem.objects.bulk_update(ordered, ["position"])
    return ordered


def raise_field(field: str, message: str) -> None:
    errors = Errors()
    errors.add(field, message)
    errors.raise_if_any()


def get_item(access: Access, code: str) -> WeeklyItem:
    """One item the viewer may see; 404 otherwise (also for other organizations)."""
    item = (
        WeeklyItem.objects.filter(organization_id=access.membership.organization_id, code=code)
        .select_related("report", "objective", "key_result")
        .first()
    )
    if item is None or not can_see_report(access, item.report):
        raise Http404
    return item
