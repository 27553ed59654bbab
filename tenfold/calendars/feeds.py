"""What goes into the calendar feeds (METHOD §6, the rhythm):

- the team's weekly check-in meeting, on its check-in day and hour in its time zone (the
  organization's, unless the team has its own schedule), repeating every week;
- the monthly review of leads and managers, on the first check-in weekday of each month, an
  hour after the check-in;
- milestones of the current and the next cycle, as all-day events: planning starts three
  weeks before a cycle, the cycle starts, the review window opens two weeks before its end,
  and the cycle ends.

A team's feed has its meetings and the milestones; a person's feed has the meetings of every
unit they belong to (the monthly review only where they lead) and the milestones once.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tenfold.lib import ics
from tenfold.notifications.models import Schedule
from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.organizations.models import Organization, Unit, UnitMember, Weekday

CHECKIN_MINUTES = 30
REVIEW_MINUTES = 60
PLANNING_LEAD = dt.timedelta(weeks=3)
REVIEW_WINDOW = dt.timedelta(weeks=2)


@dataclass(frozen=True)
class Rhythm:
    """When a unit meets: its check-in weekday (0 = Monday) and hour, in a time zone."""

    weekday: int
    hour: int
    time_zone: str

    @property
    def review_hour(self) -> int:
        return self.hour + 1 if self.hour < 23 else self.hour - 1

    @property
    def weekday_label(self) -> str:
        return str(Weekday(self.weekday).label)


def _valid_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name or "UTC"


def rhythm_of(organization: Organization, schedule: Schedule | None) -> Rhythm:
    """The organization's check-in day, hour and zone, with what a team's schedule overrides."""
    weekday = organization.checkin_weekday
    hour = organization.checkin_hour
    zone = organization.time_zone
    if schedule is not None:
        if schedule.checkin_weekday is not None:
            weekday = schedule.checkin_weekday
        if schedule.checkin_hour is not None:
            hour = schedule.checkin_hour
        if schedule.time_zone:
            zone = schedule.time_zone
    return Rhythm(weekday=weekday, hour=min(max(hour, 0), 23), time_zone=_valid_zone(zone))


def rhythms_of(organization: Organization, units: list[Unit]) -> dict[int, Rhythm]:
    """The rhythm of each unit, from one query for their schedules."""
    schedules = {s.unit_id: s for s in Schedule.objects.filter(unit__in=units)}
    return {unit.id: rhythm_of(organization, schedules.get(unit.id)) for unit in units}


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "tenfold"


def _link(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _first_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _anchor(organization: Organization, rhythm: Rhythm) -> dt.date:
    """Where repeating meetings start: the organization's first week. A fixed date, so a
    subscribed calendar keeps the same series from one refresh to the next."""
    created = organization.created_at.astimezone(zoneinfo.ZoneInfo(rhythm.time_zone)).date()
    return created.replace(day=1)


def meeting_events(
    organization: Organization, unit: Unit, rhythm: Rhythm, *, monthly: bool = True
) -> list[ics.Event]:
    zone = zoneinfo.ZoneInfo(rhythm.time_zone)
    anchor = _anchor(organization, rhythm)
    first = _first_on_or_after(anchor, rhythm.weekday)
    start = dt.datetime.combine(first, dt.time(rhythm.hour), tzinfo=zone)
    events = [
        ics.Event(
            uid=f"checkin-{unit.code}@{_domain()}",
            summary=_("Weekly check-in: %(unit)s") % {"unit": unit.name},
            start=start,
            end=start + dt.timedelta(minutes=CHECKIN_MINUTES),
            tzid=rhythm.time_zone,
            rrule=ics.weekly_rule(rhythm.weekday),
            description=_(
                "The team's weekly OKR check-in, 15 to 20 minutes.\n"
                "1. Where each OKR stands: on track or off, moving or stalled, better or worse "
                "than last week.\n"
                "2. What we learned last week: what worked, what to change.\n"
                "3. Next week's priorities, and who takes each one."
            ),
            url=_link("team_meeting", org=organization.slug, code=unit.code),
            categories=("OKR",),
        )
    ]
    if monthly:
        day = ics.nth_weekday(anchor.year, anchor.month, rhythm.weekday, 1)
        review = dt.datetime.combine(day, dt.time(rhythm.review_hour), tzinfo=zone)
        events.append(
            ics.Event(
                uid=f"monthly-{unit.code}@{_domain()}",
                summary=_("Monthly OKR review: %(unit)s") % {"unit": unit.name},
                start=review,
                end=review + dt.timedelta(minutes=REVIEW_MINUTES),
                tzid=rhythm.time_zone,
                rrule=ics.monthly_rule(rhythm.weekday, 1),
                description=_(
                    "Leads and managers look at the OKRs together: which ones are stuck, why, "
                    "and what to change before the month is over."
                ),
                url=_link("monthly_review", org=organization.slug),
                categories=("OKR",),
            )
        )
    return events


def cycles_for_feed(organization: Organization, today: dt.date) -> list[Cycle]:
    """The current cycle and the one after it (years aside: their quarters carry the
    milestones), from one query."""
    cycles = [
        cycle
        for cycle in Cycle.objects.filter(organization=organization)
        .exclude(kind=CycleKind.YEAR)
        .order_by("start", "end")
        if cycle.state != CycleState.CLOSED or cycle.end >= today
    ]
    current = next((c for c in cycles if c.start <= today <= c.end), None)
    if current is None:
        upcoming = [c for c in cycles if c.start > today]
        return upcoming[:1]
    following = next((c for c in cycles if c.start > current.start and c.id != current.id), None)
    return [current] + ([following] if following else [])


def milestone_events(organization: Organization, cycles: list[Cycle]) -> list[ics.Event]:
    events: list[ics.Event] = []
    for cycle in cycles:
        names = {"cycle": cycle.name}
        planning = _link("planning", org=organization.slug, code=cycle.code)
        reviews = _link("reviews", org=organization.slug, code=cycle.code)
        for key, day, summary, description, url in (
            (
                "planning",
                cycle.start - PLANNING_LEAD,
                _("Planning starts for %(cycle)s") % names,
                _(
                    "Time to draft the next objectives: company first, then each team, with "
                    "a week for comments before they are agreed."
                ),
                planning,
            ),
            (
                "start",
                cycle.start,
                _("%(cycle)s starts") % names,
                _("The first day of the cycle. Objectives should be agreed by now."),
                planning,
            ),
            (
                "review",
                cycle.end - REVIEW_WINDOW,
                _("Reviews open for %(cycle)s") % names,
                _(
                    "Two weeks to the end: each team scores its key results, writes down what "
                    "it learned, and decides what carries over."
                ),
                reviews,
            ),
            (
                "end",
                cycle.end,
                _("%(cycle)s ends") % names,
                _("The last day of the cycle."),
                reviews,
            ),
        ):
            events.append(
                ics.Event(
                    uid=f"{cycle.code}-{key}@{_domain()}",
                    summary=summary,
                    start=day,
                    description=description,
                    url=url,
                    categories=("OKR",),
                )
            )
    return events


def _today(organization: Organization, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(_valid_zone(organization.time_zone))).date()


def unit_calendar(organization: Organization, unit: Unit, now: dt.datetime) -> str:
    """The team feed: its meetings and the cycle milestones. Four queries."""
    with translation.override(organization.language or None):
        rhythm = rhythms_of(organization, [unit])[unit.id]
        events = meeting_events(organization, unit, rhythm)
        events += milestone_events(
            organization, cycles_for_feed(organization, _today(organization, now))
        )
        return ics.calendar(
            events,
            name=_("%(unit)s · OKR rhythm") % {"unit": unit.name},
            description=_("Check-in meetings and cycle dates of %(unit)s, from Tenfold.")
            % {"unit": unit.name},
            stamp=now,
        )


def person_calendar(organization: Organization, user: Any, now: dt.datetime) -> str:
    """A person's feed: the meetings of every unit they belong to (the monthly review where
    they lead) and the milestones once. Four queries, however many units."""
    with translation.override(user.language or organization.language or None):
        rows = list(
            UnitMember.objects.filter(organization=organization, user=user)
            .select_related("unit")
            .order_by("unit__order", "unit__name")
        )
        units = [row.unit for row in rows]
        rhythms = rhythms_of(organization, units)
        events: list[ics.Event] = []
        for row in rows:
            events += meeting_events(
                organization, row.unit, rhythms[row.unit.id], monthly=row.is_lead
            )
        events += milestone_events(
            organization, cycles_for_feed(organization, _today(organization, now))
        )
        return ics.calendar(
            events,
            name=_("%(name)s · OKRs at %(org)s")
            % {"name": user.display_name, "org": organization.name},
            description=_("Your check-in meetings and the cycle dates of %(org)s, from Tenfold.")
            % {"org": organization.name},
            stamp=now,
        )
