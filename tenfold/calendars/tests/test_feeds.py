"""What the feeds contain: the weekly check-in and the monthly review in the team's own time
zone and day, the milestones of the current and next cycles, and a person's feed made of their
teams' meetings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tenfold.calendars.feeds import cycles_for_feed, person_calendar, rhythm_of, unit_calendar
from tenfold.notifications.models import Schedule
from tenfold.organizations.services import unit_create

from .ics_parser import parse, unescape


def events_by_uid(text: str) -> dict[str, object]:
    return {event.get("UID").split("@")[0]: event for event in parse(text).all("VEVENT")}


def test_a_new_york_team_meets_on_thursdays_at_nine_new_york_time(new_york, team, cycles):
    text = unit_calendar(new_york, team, timezone.now())
    root = parse(text)
    assert unescape(root.get("X-WR-CALNAME")) == "Growth · OKR rhythm"
    assert [zone.get("TZID") for zone in root.all("VTIMEZONE")] == ["America/New_York"]
    events = events_by_uid(text)
    weekly = events[f"checkin-{team.code}"]
    assert weekly.param("DTSTART", "TZID") == "America/New_York"
    assert weekly.get("DTSTART") == "20261105T090000"  # the first Thursday of Acme's first month
    assert weekly.get("DTEND") == "20261105T093000"
    assert weekly.get("RRULE") == "FREQ=WEEKLY;BYDAY=TH"
    assert unescape(weekly.get("SUMMARY")) == "Weekly check-in: Growth"
    assert "Next week's priorities" in unescape(weekly.get("DESCRIPTION"))
    assert weekly.get("URL").endswith(f"/acme/units/{team.code}/meeting/")
    monthly = events[f"monthly-{team.code}"]
    assert monthly.param("DTSTART", "TZID") == "America/New_York"
    assert monthly.get("DTSTART") == "20261105T100000"
    assert monthly.get("RRULE") == "FREQ=MONTHLY;BYDAY=1TH"


def test_milestones_of_the_current_and_next_cycle(new_york, team, cycles):
    _closed, current, following = cycles
    events = events_by_uid(unit_calendar(new_york, team, timezone.now()))
    dates = {
        uid: (event.get("DTSTART"), event.get("DTEND"), unescape(event.get("SUMMARY")))
        for uid, event in events.items()
        if not uid.startswith(("checkin", "monthly"))
    }
    assert dates == {
        f"{current.code}-planning": ("20260910", "20260911", "Planning starts for Q4 2026"),
        f"{current.code}-start": ("20261001", "20261002", "Q4 2026 starts"),
        f"{current.code}-review": ("20261217", "20261218", "Reviews open for Q4 2026"),
        f"{current.code}-end": ("20261231", "20270101", "Q4 2026 ends"),
        f"{following.code}-planning": ("20261211", "20261212", "Planning starts for Q1 2027"),
        f"{following.code}-start": ("20270101", "20270102", "Q1 2027 starts"),
        f"{following.code}-review": ("20270317", "20270318", "Reviews open for Q1 2027"),
        f"{following.code}-end": ("20270331", "20270401", "Q1 2027 ends"),
    }
    assert all(
        e.param("DTSTART", "VALUE") == "DATE"
        for uid, e in events.items()
        if "-" in uid and not uid.startswith(("checkin", "monthly"))
    )


def test_a_team_schedule_overrides_day_hour_and_zone(new_york, team, cycles):
    Schedule.objects.create(
        organization=new_york,
        unit=team,
        checkin_weekday=1,
        checkin_hour=14,
        time_zone="Europe/London",
    )
    text = unit_calendar(new_york, team, timezone.now())
    weekly = events_by_uid(text)[f"checkin-{team.code}"]
    assert weekly.param("DTSTART", "TZID") == "Europe/London"
    assert weekly.get("DTSTART") == "20261103T140000"
    assert weekly.get("RRULE") == "FREQ=WEEKLY;BYDAY=TU"
    assert [z.get("TZID") for z in parse(text).all("VTIMEZONE")] == ["Europe/London"]


def test_a_partial_schedule_keeps_the_rest_from_the_organization(new_york, team):
    schedule = Schedule(organization=new_york, unit=team, checkin_hour=16)
    rhythm = rhythm_of(new_york, schedule)
    assert (rhythm.weekday, rhythm.hour, rhythm.time_zone) == (3, 16, "America/New_York")
    schedule.time_zone = "Not/AZone"
    assert rhythm_of(new_york, schedule).time_zone == "UTC"


def test_a_person_gets_the_meetings_of_each_team_and_reviews_where_they_lead(
    new_york, team, cycles, alice, bob, carol
):
    sales = unit_create(organization=new_york, name="Sales", parent=team.parent, by=alice)
    from tenfold.organizations.models import UnitMember

    UnitMember.objects.create(organization=new_york, unit=sales, user=bob, is_lead=True)
    uids = set(events_by_uid(person_calendar(new_york, bob, timezone.now())))
    assert {f"checkin-{team.code}", f"checkin-{sales.code}", f"monthly-{sales.code}"} <= uids
    assert f"monthly-{team.code}" not in uids  # bob is a member of Growth, not its lead
    assert sum(1 for uid in uids if uid.endswith("-start")) == 2  # milestones once
    carol_uids = set(events_by_uid(person_calendar(new_york, carol, timezone.now())))
    assert {f"checkin-{team.code}", f"monthly-{team.code}"} <= carol_uids
    assert f"checkin-{sales.code}" not in carol_uids
    name = parse(person_calendar(new_york, carol, timezone.now())).get("X-WR-CALNAME")
    assert unescape(name) == "Carol Lead · OKRs at Acme"


def test_feed_cycles_between_cycles_and_without_any(org, cycles):
    _closed, current, following = cycles
    assert cycles_for_feed(org, dt.date(2026, 11, 15)) == [current, following]
    assert cycles_for_feed(org, dt.date(2027, 2, 1)) == [following]
    assert cycles_for_feed(org, dt.date(2026, 6, 1)) == [cycles[0]]  # the next one to come
    assert cycles_for_feed(org, dt.date(2028, 1, 1)) == []


def test_a_feed_costs_a_fixed_number_of_queries(
    new_york, team, cycles, bob, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        unit_calendar(new_york, team, timezone.now())
    with django_assert_max_num_queries(3):
        person_calendar(new_york, bob, timezone.now())
