"""Weekly reminders, stale nudges and review reminders, received by a real SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tenfold.checkins.services import checkin_record
from tenfold.notifications.models import Delivery, Kind, Preference, Schedule, Status
from tenfold.notifications.reminders import run_due, send_weekly
from tenfold.notifications.tick import tick

pytestmark = pytest.mark.django_db

# Acme checks in on Fridays at 10:00 Europe/Berlin (CET in late November: UTC+1).
FRIDAY_0930_UTC = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)
FRIDAY_0859_UTC = dt.datetime(2026, 11, 27, 8, 59, tzinfo=dt.UTC)


def test_weekly_reminder_reaches_each_writer_once_at_the_check_in_hour(
    smtp, org, team, key_result, alice, bob, carol, victor
):
    assert send_weekly(org, FRIDAY_0859_UTC) == 0  # 09:59 in Berlin: not yet
    assert send_weekly(org, FRIDAY_0930_UTC) == 3  # alice, bob, carol; never the viewer
    assert send_weekly(org, FRIDAY_0930_UTC + dt.timedelta(hours=3)) == 0
    messages = smtp.wait_for(3)
    assert sorted(m["To"] for m in messages) == [alice.email, bob.email, carol.email]
    [to_bob] = smtp.to(bob.email)
    text = to_bob.get_body(("plain",)).get_content()
    assert key_result.title in text and "/acme/week/" in text
    html = to_bob.get_body(("html",)).get_content()
    assert key_result.title in html
    assert Delivery.objects.filter(kind=Kind.WEEKLY, status=Status.SENT).count() == 3
    assert set(Delivery.objects.values_list("period", flat=True)) == {"2026-W48"}


def test_someone_with_plans_and_nothing_to_check_in_is_left_alone(smtp, org, team, alice):
    from tenfold.checkins.models import WeeklyItem, WeeklyReport
    from tenfold.checkins.weekly import week_of

    with time_machine.travel(FRIDAY_0930_UTC):
        report = WeeklyReport.objects.create(organization=org, person=alice, week=week_of(org))
        WeeklyItem.objects.create(organization=org, report=report, category="plans", text="Ship")
        send_weekly(org, FRIDAY_0930_UTC)
    assert not smtp.to(alice.email)


def test_muted_people_and_switched_off_kinds_get_nothing(smtp, org, team, bob, carol):
    Preference.objects.create(organization=org, user=bob, muted_until=dt.date(2026, 11, 27))
    Preference.objects.create(organization=org, user=carol, kinds_off=["weekly"])
    send_weekly(org, FRIDAY_0930_UTC)
    smtp.wait_for(1)
    assert not smtp.to(bob.email) and not smtp.to(carol.email)


def test_a_team_schedule_and_a_personal_time_zone_move_the_hour(smtp, org, team, bob, carol):
    Schedule.objects.create(
        organization=org, unit=team, checkin_weekday=0, checkin_hour=9, time_zone="Asia/Tokyo"
    )
    bob.time_zone = "America/New_York"
    bob.save()
    monday_0005_utc = dt.datetime(2026, 11, 30, 0, 5, tzinfo=dt.UTC)  # 09:05 Monday in Tokyo
    send_weekly(org, monday_0005_utc)
    assert smtp.wait_for(1) and smtp.to(carol.email) and not smtp.to(bob.email)
    monday_1405_utc = dt.datetime(2026, 11, 30, 14, 5, tzinfo=dt.UTC)  # 09:05 in New York
    send_weekly(org, monday_1405_utc)
    smtp.wait_for(2)
    assert smtp.to(bob.email)


def test_stale_nudges_are_rate_limited(smtp, org, team, key_result, bob):
    with time_machine.travel(dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)):
        checkin_record(key_result=key_result, value=25, by=bob)
    sent = []
    # Every day of two weeks at 10:30 Berlin time, the tick runs (Fridays are reminder days).
    for day in range(14):
        moment = dt.datetime(2026, 11, 16, 9, 30, tzinfo=dt.UTC) + dt.timedelta(days=day)
        with time_machine.travel(moment, tick=False):
            tick(moment)
        sent.append(
            Delivery.objects.filter(
                user=bob, kind=Kind.STALE, period=moment.date().isoformat()
            ).count()
        )
    nudges = Delivery.objects.filter(user=bob, kind=Kind.STALE).order_by("created_at")
    days = [row.created_at for row in nudges]
    assert 0 < len(days) <= 6
    for i, at in enumerate(days):
        window = [d for d in days if at - dt.timedelta(days=7) < d <= at]
        assert len(window) <= 3, days
        assert i == 0 or at - days[i - 1] >= dt.timedelta(hours=23)


def test_review_reminder_goes_to_leads_once_per_cycle(smtp, org, team, objective, carol, bob):
    moment = dt.datetime(2026, 12, 25, 12, tzinfo=dt.UTC)  # six days before Q4 ends
    run_due(moment)
    run_due(moment + dt.timedelta(days=1))
    reviews = Delivery.objects.filter(kind=Kind.REVIEW)
    assert [row.user for row in reviews] == [carol]
    [message] = [m for m in smtp.wait_for(1) if "review" in m["Subject"].lower()]
    assert "Growth" in message.get_body(("plain",)).get_content()


def test_a_failing_mail_server_is_recorded_and_retried(org, team, settings, bob):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "use_tls": False, "timeout": 2},
        }
    }
    send_weekly(org, FRIDAY_0930_UTC)
    row = Delivery.objects.get(user=bob)
    assert row.status == Status.PENDING and row.error and row.attempts == 1


def test_the_team_channel_gets_one_weekly_reminder_in_slack_layout(
    org, team, carol, receiver, smtp
):
    import json

    from tenfold.chat.services import channel_create
    from tenfold.integrations.models import AllowedHost
    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for

    AllowedHost.objects.create(organization=org, host="127.0.0.1")
    access = access_for(Membership.objects.get(organization=org, user=carol))
    channel_create(
        access=access,
        unit=team,
        provider="slack",
        name="#growth",
        url=receiver.url("/slack"),
        kinds=["weekly"],
    )
    run_due(FRIDAY_0930_UTC)
    run_due(FRIDAY_0930_UTC + dt.timedelta(minutes=5))
    [posted] = receiver.wait_for(1)
    body = json.loads(posted.body)
    assert "Growth" in body["text"] and "blocks" in body
    assert (
        Delivery.objects.filter(kind=Kind.WEEKLY, channel="slack", status=Status.SENT).count() == 1
    )
