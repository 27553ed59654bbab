"""A year of weekly reminders across time zones and daylight-saving changes, with a worker that
is killed in the middle of batches and restarted: every person of every team gets exactly one
reminder per week, never before their check-in hour and within the catch-up window."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.core import mail
from django.db import connection

from tenfold.accounts.models import User
from tenfold.lib.schedule import last_weekly, zone
from tenfold.notifications import reminders
from tenfold.notifications.models import Delivery, Kind, Schedule, Status
from tenfold.organizations.services import person_add, unit_create

pytestmark = pytest.mark.django_db

# (time zone, weekday, hour): chosen to sit on the daylight-saving changes — a Sunday 02:00
# that does not exist one night a year and happens twice another, on both hemispheres, plus
# half-hour offsets and a zone without DST.
TEAMS = [
    ("Europe/Berlin", 6, 2),
    ("America/New_York", 6, 1),
    ("Australia/Sydney", 6, 2),
    ("Pacific/Auckland", 6, 2),
    ("Asia/Kolkata", 4, 10),
    ("America/St_Johns", 4, 16),
    ("America/Sao_Paulo", 0, 9),
]
START = dt.datetime(2026, 9, 7, tzinfo=dt.UTC)
WEEKS = int(__import__("os").environ.get("SIM_WEEKS", "52"))


class WorkerKilled(BaseException):
    """The process dies: nothing after this point of the batch runs."""


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="a minute and a half of simulated weeks: run once, on PostgreSQL (make test-postgres)",
)
def test_a_year_of_reminders_exactly_once(org, company, alice, monkeypatch, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    rng = random.Random(20261130)
    members: dict[int, tuple[str, int, int]] = {}
    for index, (zone_name, weekday, hour) in enumerate(TEAMS):
        unit = unit_create(organization=org, name=f"Team {index}", parent=company, by=alice)
        Schedule.objects.create(
            organization=org,
            unit=unit,
            checkin_weekday=weekday,
            checkin_hour=hour,
            time_zone=zone_name,
        )
        for n in range(2):
            user = User.objects.create_user(email=f"p{index}-{n}@example.com", password="x")
            person_add(organization=org, email=user.email, units=[unit], by=alice)
            members[user.pk] = (zone_name, weekday, hour)
    # alice (the owner) has no team: she follows the organization's own schedule.
    members[alice.pk] = (org.time_zone, org.checkin_weekday, org.checkin_hour)

    clock = {"now": START}
    sent_at: dict[tuple[int, str], list[dt.datetime]] = defaultdict(list)
    kill = {"after": None}
    original = reminders.send_email

    def sending(**kwargs):
        if kill["after"] is not None:
            if kill["after"] == 0:
                kill["after"] = None
                raise WorkerKilled
            kill["after"] -= 1
        user = User.objects.get(email=kwargs["to"])
        sent_at[(user.pk, "")].append(clock["now"])
        return original(**kwargs)

    monkeypatch.setattr(reminders, "send_email", sending)

    kills = ticks = 0
    end = START + dt.timedelta(weeks=WEEKS)
    now = START
    while now < end:
        clock["now"] = now
        if rng.random() < 0.25:
            kill["after"] = rng.randrange(0, 3)  # dies after 0–2 sends if this tick sends
        try:
            reminders.send_weekly(org, now)
        except WorkerKilled:
            kills += 1
            now += dt.timedelta(minutes=rng.randrange(1, 120))  # restarted some time later
            continue
        kill["after"] = None
        ticks += 1
        now += dt.timedelta(minutes=rng.randrange(5, 86))

    rows = Delivery.objects.filter(kind=Kind.WEEKLY)
    per_person_week = Counter(
        (row.user_id, row.period) for row in rows if row.status == Status.SENT
    )
    assert not rows.exclude(status=Status.SENT).exists()
    # Every person, every week whose check-in fell inside the simulated year: exactly one.
    expected = set()
    for user_id, (zone_name, weekday, hour) in members.items():
        moment = end
        while True:
            occurrence = last_weekly(moment, zone(zone_name), weekday, hour)
            if occurrence.due < START:
                break
            if occurrence.due + dt.timedelta(hours=24) <= end:
                expected.add((user_id, occurrence.period))
            moment = occurrence.due - dt.timedelta(seconds=1)
    seen = set(per_person_week)
    duplicates = sum(count - 1 for count in per_person_week.values())
    misses = expected - seen
    assert duplicates == 0 and not misses, (duplicates, sorted(misses)[:5])
    assert len(mail.outbox) == len(per_person_week)  # no email went out twice either
    teams_weeks = {(members[u][0], p) for u, p in seen}
    assert len(teams_weeks) >= len(TEAMS) * (WEEKS - 1)
    assert kills >= WEEKS // 2  # the killed worker really was exercised
    # Never early, never later than the catch-up window.
    for row in rows:
        zone_name, weekday, hour = members[row.user_id]
        for moment in sent_at[(row.user_id, "")]:
            occurrence = last_weekly(moment, zone(zone_name), weekday, hour)
            assert dt.timedelta(0) <= moment - occurrence.due < dt.timedelta(hours=24)
    print(
        f"\nsimulated {WEEKS} weeks, {len(TEAMS)} zones, {ticks} ticks, {kills} kills: "
        f"{len(per_person_week)} reminders, {duplicates} duplicates, {len(misses)} misses"
    )
