"""Reminders and nudges: who is due for what, now.

- **Weekly check-in reminder**: at the check-in day and hour of each person's home team (its own
  schedule, else the organization's), in the person's time zone when they set one, else the
  team's, else the organization's. One per person per week; the team's chat channels get one
  per team per week. It lists the person's key results to check in and how far their plans are.
  Someone who already wrote plans this week and has nothing to check in is left in peace.
- **Stale nudge**: on other days at the same hour, to owners of key results with no check-in for
  longer than the organization's grace period; at most one nudge a day and three a week.
- **Review reminder**: once per cycle, `review_reminder_days` before it ends, to the leads of the
  units with objectives in it (and the admins for the company).

A person's home team is the unit they lead, else their first team, else their first unit.
Everything is decided from a few queries per organization; the delivery rows (see `services`)
make a second tick, a second worker or a restart harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.checkins.models import WeeklyItem
from tenfold.lib.periods import week_start_of
from tenfold.lib.schedule import Occurrence, due_weekly, local_day, week_key, zone
from tenfold.okrs.models import CycleState, KeyResult, ObjectiveState
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind, UnitMember

from .models import Channel, Kind, OrgSettings, Schedule, org_settings
from .services import (
    deliver,
    finished,
    nudge_budget_left,
    preferences_of,
    send_email,
    site_url,
    wants,
)

WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class When:
    weekday: int
    hour: int
    tz_name: str


@dataclass
class Person:
    user: User
    membership: Membership
    unit: Unit | None
    when: When
    key_results: list[KeyResult] = field(default_factory=list)


def _unit_when(org: Organization, schedule: Schedule | None) -> When:
    weekday = org.checkin_weekday
    hour = org.checkin_hour
    tz_name = org.time_zone
    if schedule is not None:
        if schedule.checkin_weekday is not None:
            weekday = schedule.checkin_weekday
        if schedule.checkin_hour is not None:
            hour = schedule.checkin_hour
        tz_name = schedule.time_zone or tz_name
    return When(weekday, hour, tz_name)


def _home_units(org: Organization) -> dict[int, int]:
    """Each person's home unit id (see the module note), from one light query."""
    order: dict[str, int] = {UnitKind.TEAM: 0, UnitKind.DEPARTMENT: 1, UnitKind.COMPANY: 2}
    best: dict[int, tuple[tuple[int, int, int], int]] = {}
    rows = UnitMember.objects.filter(organization=org).values_list(
        "user_id", "unit_id", "is_lead", "unit__kind"
    )
    for user_id, unit_id, is_lead, kind in rows:
        key = (0 if is_lead else 1, order.get(kind, 3), unit_id)
        if user_id not in best or key < best[user_id][0]:
            best[user_id] = (key, unit_id)
    return {user_id: unit_id for user_id, (_key, unit_id) in best.items()}


@dataclass(frozen=True)
class Slot:
    """A person's place in the weekly rhythm, without loading the person."""

    user_id: int
    unit_id: int | None
    when: When


def slots_of(org: Organization) -> list[Slot]:
    """Everyone who may write in the organization, with their home unit and schedule: three
    light queries, so a tick with nothing to send stays cheap."""
    schedules = {s.unit_id: s for s in Schedule.objects.filter(organization=org)}
    homes = _home_units(org)
    slots = []
    rows = (
        Membership.objects.filter(organization=org, user__is_active=True, user__is_service=False)
        .exclude(role=Role.VIEWER)
        .order_by("user_id")
        .values_list("user_id", "user__time_zone")
    )
    for user_id, own_zone in rows:
        unit_id = homes.get(user_id)
        schedule = schedules.get(unit_id) if unit_id else None
        if schedule is not None and not schedule.reminders:
            continue
        base = _unit_when(org, schedule)
        slots.append(
            Slot(user_id, unit_id, When(base.weekday, base.hour, own_zone or base.tz_name))
        )
    return slots


def people_of(org: Organization, slots: list[Slot] | None = None) -> list[Person]:
    """The people of `slots` (default: everyone), loaded."""
    slots = slots_of(org) if slots is None else slots
    users = User.objects.in_bulk([slot.user_id for slot in slots])
    units = Unit.objects.in_bulk([slot.unit_id for slot in slots if slot.unit_id])
    memberships = {
        m.user_id: m
        for m in Membership.objects.filter(
            organization=org, user_id__in=[slot.user_id for slot in slots]
        )
    }
    return [
        Person(users[s.user_id], memberships[s.user_id], units.get(s.unit_id or 0), s.when)
        for s in slots
        if s.user_id in users and s.user_id in memberships
    ]


def _language(org: Organization, user: User) -> str:
    return user.language or org.language or settings.LANGUAGE_CODE


def _render(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    base = f"notifications/email/{kind}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    return (
        subject,
        render_to_string(f"{base}.txt", context),
        render_to_string(f"{base}.html", context),
    )


def _open_key_results(org: Organization, user_ids: list[int]) -> dict[int, list[KeyResult]]:
    found: dict[int, list[KeyResult]] = defaultdict(list)
    rows = (
        KeyResult.objects.filter(
            organization=org,
            owner_id__in=user_ids,
            objective__cycle__state=CycleState.ACTIVE,
            objective__state=ObjectiveState.ACTIVE,
        )
        .select_related("objective", "objective__cycle")
        .order_by("objective__order", "order", "id")
    )
    for kr in rows:
        found[kr.owner_id].append(kr)  # type: ignore[index]
    return found


def _plans_written(org: Organization, user_ids: list[int], week: dt.date) -> dict[int, int]:
    rows = (
        WeeklyItem.objects.filter(
            organization=org, report__person_id__in=user_ids, report__week=week, category="plans"
        )
        .values("report__person_id")
        .annotate(n=Count("id"))
    )
    return {row["report__person_id"]: row["n"] for row in rows}


def _reply_address(user: User, org: Organization, week: dt.date) -> str | None:
    try:
        from tenfold.mailin.tokens import reply_address
    except ImportError:
        return None
    return reply_address(user=user, organization=org, week=week)


def _checked_in_since(kr: KeyResult, since: dt.datetime) -> bool:
    return kr.last_checkin_at is not None and kr.last_checkin_at >= since


def weekly_due(org: Organization, now: dt.datetime) -> list[tuple[Person, Occurrence]]:
    """People whose weekly reminder is due now and not yet sent."""
    due: list[tuple[Slot, Occurrence]] = []
    cache: dict[When, Occurrence | None] = {}
    for slot in slots_of(org):
        if slot.when not in cache:
            cache[slot.when] = due_weekly(
                now, zone(slot.when.tz_name), slot.when.weekday, slot.when.hour, window=WINDOW
            )
        occurrence = cache[slot.when]
        if occurrence is not None:
            due.append((slot, occurrence))
    done = finished(org, Kind.WEEKLY, {o.period for _s, o in due})
    waiting = [(s, o) for s, o in due if (f"user:{s.user_id}", o.period) not in done]
    if not waiting:
        return []
    occurrences = {s.user_id: o for s, o in waiting}
    people = people_of(org, [s for s, _o in waiting])
    return [(person, occurrences[person.user.pk]) for person in people]


def weekly_message(
    org: Organization, person: Person, to_check: list[KeyResult], written: int, week: dt.date
) -> tuple[str, str, str, str | None]:
    """Subject, text, HTML and reply address of a person's weekly reminder, in their language."""
    user = person.user
    reply_to = _reply_address(user, org, week)
    with translation.override(_language(org, user)):
        context = {
            "org": org,
            "user": user,
            "unit": person.unit,
            "week": week,
            "plans_written": written,
            "key_results": to_check,
            "week_url": site_url("my_week", org=org.slug),
            "kr_urls": {
                kr.pk: site_url("objective", org=org.slug, code=kr.objective.code)
                for kr in to_check
            },
            "preferences_url": site_url("my_notifications", org=org.slug),
            "reply_address": reply_to,
        }
        subject, text, html = _render("weekly", context)
    return subject, text, html, reply_to


def weekly_preview(org: Organization, user: User, now: dt.datetime) -> tuple[str, str, str]:
    """The weekly reminder `user` would get at their next check-in (for the CLI and tests)."""
    slots = [slot for slot in slots_of(org) if slot.user_id == user.pk]
    if not slots:
        slots = [Slot(user.pk, None, _unit_when(org, None))]
    people = people_of(org, slots) or [
        Person(user, Membership(organization=org, user=user), None, slots[0].when)
    ]
    person = people[0]
    week = week_start_of(local_day(now, zone(person.when.tz_name)), org.week_start)
    since = now - dt.timedelta(days=6)
    to_check = [
        kr
        for kr in _open_key_results(org, [user.pk]).get(user.pk, [])
        if not _checked_in_since(kr, since)
    ]
    written = _plans_written(org, [user.pk], week).get(user.pk, 0)
    subject, text, html, _reply = weekly_message(org, person, to_check, written, week)
    return subject, text, html


def send_weekly(org: Organization, now: dt.datetime) -> int:
    due = weekly_due(org, now)
    if not due:
        return 0
    ids = [person.user.pk for person, _o in due]
    prefs = preferences_of(org, [person.user for person, _o in due])
    krs = _open_key_results(org, ids)
    sent = 0
    by_week: dict[dt.date, list[int]] = defaultdict(list)
    weeks: dict[int, dt.date] = {}
    for person, occurrence in due:
        week = week_start_of(occurrence.local_day, org.week_start)
        weeks[person.user.pk] = week
        by_week[week].append(person.user.pk)
    plans: dict[int, int] = {}
    for week, users in by_week.items():
        plans.update(_plans_written(org, users, week))
    for person, occurrence in due:
        user = person.user
        today = local_day(now, zone(person.when.tz_name))
        if not wants(prefs.get(user.pk), Kind.WEEKLY, today=today):
            continue
        week = weeks[user.pk]
        since = occurrence.due - dt.timedelta(days=6)
        to_check = [kr for kr in krs.get(user.pk, []) if not _checked_in_since(kr, since)]
        written = plans.get(user.pk, 0)
        if written and not to_check:
            continue  # nothing to ask for this week

        def send(
            person: Person = person,
            to_check: list[KeyResult] = to_check,
            written: int = written,
            week: dt.date = week,
        ) -> str:
            subject, text, html, reply_to = weekly_message(org, person, to_check, written, week)
            return send_email(
                to=person.user.email, subject=subject, text=text, html=html, reply_to=reply_to
            )

        if deliver(
            organization=org,
            recipient=f"user:{user.pk}",
            channel=Channel.EMAIL,
            kind=Kind.WEEKLY,
            period=occurrence.period,
            user=user,
            unit=person.unit,
            send=send,
            now=now,
        ):
            sent += 1
    return sent


def send_team_chat(org: Organization, now: dt.datetime) -> int:
    """The weekly reminder in each team's chat channels, at the team's own hour."""
    try:
        from tenfold.chat.layouts import ChatMessage
        from tenfold.chat.models import ChatChannel
        from tenfold.chat.services import send_to_unit
    except ImportError:
        return 0
    unit_ids = set(
        ChatChannel.objects.filter(organization=org, active=True).values_list("unit_id", flat=True)
    )
    if not unit_ids:
        return 0
    schedules = {s.unit_id: s for s in Schedule.objects.filter(unit_id__in=unit_ids)}
    sent = 0
    for unit in Unit.objects.filter(pk__in=unit_ids):
        schedule = schedules.get(unit.pk)
        if schedule is not None and not schedule.reminders:
            continue
        when = _unit_when(org, schedule)
        occurrence = due_weekly(now, zone(when.tz_name), when.weekday, when.hour, window=WINDOW)
        if occurrence is None:
            continue
        with translation.override(org.language or settings.LANGUAGE_CODE):
            message = ChatMessage(
                title=_("Weekly check-in for %(team)s") % {"team": unit.name},
                text=_(
                    "Time to write this week's plans, progress and problems, and to check in "
                    "your key results."
                ),
                link=(_("Open my week"), site_url("my_week", org=org.slug)),
            )
        sent += send_to_unit(
            unit=unit, kind=Kind.WEEKLY, message=message, period=occurrence.period, now=now
        )
    return sent


def send_stale_nudges(org: Organization, opts: OrgSettings, now: dt.datetime) -> int:
    """Owners of stale key results, at their check-in hour on the other days of the week."""
    stale_before = now - dt.timedelta(days=org.stale_days)
    owners = set(
        KeyResult.objects.filter(
            organization=org,
            objective__cycle__state=CycleState.ACTIVE,
            objective__state=ObjectiveState.ACTIVE,
            owner__isnull=False,
        )
        .filter(Q(last_checkin_at__lt=stale_before))
        .values_list("owner_id", flat=True)
    )
    if not owners:
        return 0
    people = people_of(org, [slot for slot in slots_of(org) if slot.user_id in owners])
    due = []
    for person in people:
        tz = zone(person.when.tz_name)
        today = local_day(now, tz)
        if today.weekday() == person.when.weekday:
            continue  # the weekly reminder covers it
        start = due_weekly(now, tz, today.weekday(), person.when.hour, window=WINDOW)
        if start is None or start.local_day != today:
            continue
        due.append((person, today))
    if not due:
        return 0
    prefs = preferences_of(org, [p.user for p, _d in due])
    krs = _open_key_results(org, [p.user.pk for p, _d in due])
    sent = 0
    for person, today in due:
        user = person.user
        period = today.isoformat()
        if not wants(prefs.get(user.pk), Kind.STALE, today=today):
            continue
        if (f"user:{user.pk}", period) in finished(org, Kind.STALE, {period}):
            continue
        if not nudge_budget_left(user, now=now):
            continue
        stale = [
            kr
            for kr in krs.get(user.pk, [])
            if kr.last_checkin_at is not None and kr.last_checkin_at < stale_before
        ]
        if not stale:
            continue

        def send(user: User = user, stale: list[KeyResult] = stale) -> str:
            with translation.override(_language(org, user)):
                context = {
                    "org": org,
                    "user": user,
                    "key_results": stale,
                    "stale_days": org.stale_days,
                    "kr_urls": {
                        kr.pk: site_url("objective", org=org.slug, code=kr.objective.code)
                        for kr in stale
                    },
                    "preferences_url": site_url("my_notifications", org=org.slug),
                }
                subject, text, html = _render("stale", context)
            return send_email(to=user.email, subject=subject, text=text, html=html)

        if deliver(
            organization=org,
            recipient=f"user:{user.pk}",
            channel=Channel.EMAIL,
            kind=Kind.STALE,
            period=period,
            user=user,
            send=send,
            now=now,
        ):
            sent += 1
    return sent


def send_review_reminders(org: Organization, opts: OrgSettings, now: dt.datetime) -> int:
    if not opts.review_reminder_days:
        return 0
    today = local_day(now, zone(org.time_zone))
    local_hour = now.astimezone(zone(org.time_zone)).hour
    if local_hour < org.checkin_hour:
        return 0
    cycles = [
        cycle
        for cycle in org.cycles.filter(state__in=(CycleState.ACTIVE, CycleState.REVIEWING))
        if cycle.end - dt.timedelta(days=opts.review_reminder_days) <= today <= cycle.end
    ]
    sent = 0
    for cycle in cycles:
        unit_ids = set(
            cycle.objectives.exclude(state=ObjectiveState.DRAFT).values_list("unit_id", flat=True)
        )
        leads = list(
            UnitMember.objects.filter(unit_id__in=unit_ids, is_lead=True)
            .select_related("user", "unit")
            .order_by("user_id", "unit__name")
        )
        recipients: dict[int, tuple[User, list[Unit]]] = {}
        for lead in leads:
            recipients.setdefault(lead.user_id, (lead.user, []))[1].append(lead.unit)
        company = [u for u in Unit.objects.filter(pk__in=unit_ids, kind=UnitKind.COMPANY)]
        if company:
            for m in Membership.objects.filter(
                organization=org, role__in=(Role.OWNER, Role.ADMIN), user__is_service=False
            ).select_related("user"):
                recipients.setdefault(m.user_id, (m.user, []))[1].extend(company)
        prefs = preferences_of(org, [user for user, _u in recipients.values()])
        for user, units in recipients.values():
            if not user.is_active or not wants(prefs.get(user.pk), Kind.REVIEW, today=today):
                continue

            def send(user: User = user, units: list[Unit] = units, cycle: Any = cycle) -> str:
                with translation.override(_language(org, user)):
                    context = {
                        "org": org,
                        "user": user,
                        "cycle": cycle,
                        "units": units,
                        "days_left": (cycle.end - today).days,
                        "reviews_url": site_url("reviews", org=org.slug, code=cycle.code),
                        "preferences_url": site_url("my_notifications", org=org.slug),
                    }
                    subject, text, html = _render("review", context)
                return send_email(to=user.email, subject=subject, text=text, html=html)

            if deliver(
                organization=org,
                recipient=f"user:{user.pk}",
                channel=Channel.EMAIL,
                kind=Kind.REVIEW,
                period=f"{cycle.code}:review",
                user=user,
                send=send,
                now=now,
            ):
                sent += 1
    return sent


def run_due(now: dt.datetime) -> int:
    """The tick's job: every organization's reminders that are due now."""
    sent = 0
    for org in Organization.objects.all():
        opts = org_settings(org)
        if opts.weekly_reminders:
            sent += send_weekly(org, now)
            sent += send_team_chat(org, now)
        if opts.stale_nudges:
            sent += send_stale_nudges(org, opts, now)
        sent += send_review_reminders(org, opts, now)
    return sent


__all__ = ["people_of", "run_due", "send_weekly", "week_key", "weekly_due"]
