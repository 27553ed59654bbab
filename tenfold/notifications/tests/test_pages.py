"""Pages, API and command of notifications: preferences, settings, schedules, the log, hosts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.models import Delivery, OrgSettings, Preference, Schedule

pytestmark = pytest.mark.django_db


def test_a_person_mutes_notifications_and_sets_a_time_zone(client, org, team, bob):
    client.force_login(bob)
    url = reverse("my_notifications", kwargs={"org": org.slug})
    page = client.get(url)
    assert page.status_code == 200 and "What reaches you" in page.content.decode()
    response = client.post(
        url,
        {
            "email": "on",
            "kinds_on": ["team_digest"],
            "muted_until": "2026-12-31",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302
    pref = Preference.objects.get(organization=org, user=bob)
    assert pref.muted_until == dt.date(2026, 12, 31)
    assert set(pref.kinds_off) == {"weekly", "stale", "review", "company_digest"}
    bob.refresh_from_db()
    assert bob.time_zone == "Asia/Tokyo"


def test_a_bad_time_zone_changes_nothing(client, org, team, bob):
    client.force_login(bob)
    url = reverse("my_notifications", kwargs={"org": org.slug})
    response = client.post(url, {"email": "on", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert not Preference.objects.filter(user=bob).exists()


def test_admins_change_settings_and_see_the_log(
    client, org, team, alice, bob, django_assert_max_num_queries
):
    for n in range(30):
        Delivery.objects.create(
            organization=org,
            recipient=f"user:{bob.pk}",
            user=bob,
            unit=team,
            channel="email",
            kind="weekly",
            period=f"p{n}",
            status="sent",
            subject=f"Reminder {n}",
        )
    client.force_login(alice)
    url = reverse("settings_notifications", kwargs={"org": org.slug})
    with django_assert_max_num_queries(25):
        page = client.get(url)
    assert page.status_code == 200 and "Reminder 29" in page.content.decode()
    response = client.post(
        url,
        {
            "weekly_reminders": "on",
            "review_reminder_days": "3",
            "digest_weekday": "0",
            "digest_hour": "7",
        },
    )
    assert response.status_code == 302
    opts = OrgSettings.objects.get(organization=org)
    assert (
        opts.weekly_reminders,
        opts.stale_nudges,
        opts.review_reminder_days,
        opts.digest_hour,
    ) == (True, False, 3, 7)
    bad = client.post(
        url, {"review_reminder_days": "-1", "digest_weekday": "9", "digest_hour": "30"}
    )
    assert bad.status_code == 400
    opts.refresh_from_db()
    assert opts.digest_hour == 7


def test_members_may_not_open_organization_settings(client, org, team, bob):
    client.force_login(bob)
    assert (
        client.get(reverse("settings_notifications", kwargs={"org": org.slug})).status_code == 403
    )
    assert client.get(reverse("settings_integrations", kwargs={"org": org.slug})).status_code == 403


def test_a_lead_sets_the_team_schedule_a_member_may_not(client, org, team, bob, carol):
    url = reverse("unit_schedule", kwargs={"org": org.slug, "code": team.code})
    client.force_login(bob)
    assert client.post(url, {"checkin_weekday": "0"}).status_code == 403
    client.force_login(carol)
    response = client.post(
        url,
        {
            "checkin_weekday": "0",
            "checkin_hour": "9",
            "time_zone": "America/New_York",
            "reminders": "on",
        },
    )
    assert response.status_code == 302
    schedule = Schedule.objects.get(unit=team)
    assert (schedule.checkin_weekday, schedule.checkin_hour, schedule.time_zone) == (
        0,
        9,
        "America/New_York",
    )
    assert client.post(url, {"checkin_hour": "25"}).status_code == 400


def test_admins_allow_and_remove_private_hosts(client, org, alice):
    client.force_login(alice)
    url = reverse("settings_integrations", kwargs={"org": org.slug})
    assert client.post(url, {"host": "10.0.0.0/8", "note": "warehouse"}).status_code == 302
    assert client.post(url, {"host": "not a host!"}).status_code == 400
    assert client.post(url, {"host": "10.0.0.0/8"}).status_code == 400  # already there
    row = AllowedHost.objects.get(organization=org)
    assert row.host == "10.0.0.0/8"
    delete = reverse("allowed_host_delete", kwargs={"org": org.slug})
    assert client.post(delete, {"host": str(row.pk)}).status_code == 302
    assert not AllowedHost.objects.exists()


# --- API ----------------------------------------------------------------------------------------


def _put(api: OpenApiClient, path: str, data):
    response = api.client.put(
        "/api/v1" + path,
        data=json.dumps(data),
        content_type="application/json",
        headers=api._headers(),
    )
    return api._check("put", path, response)


def test_api_preferences_settings_schedule_and_log(client, org, team, alice, bob, carol):
    bob_api = OpenApiClient(client, token_for(bob, org))
    got = bob_api.get(f"/orgs/{org.slug}/me/notifications")
    assert got.status_code == 200 and got.data["email"] is True
    changed = _put(
        bob_api,
        f"/orgs/{org.slug}/me/notifications",
        {"kinds_off": ["stale"], "muted_until": "2026-12-24"},
    )
    assert changed.status_code == 200 and changed.data["kinds_off"] == ["stale"]
    bad = _put(bob_api, f"/orgs/{org.slug}/me/notifications", {"kinds_off": ["spam"]})
    assert bad.status_code == 400
    assert Preference.objects.get(user=bob).kinds_off == ["stale"]
    assert bob_api.get(f"/orgs/{org.slug}/notification-settings").status_code == 403
    assert bob_api.get(f"/orgs/{org.slug}/deliveries").status_code == 403

    carol_api = OpenApiClient(client, token_for(carol, org))
    path = f"/orgs/{org.slug}/units/{team.code}/schedule"
    set_ = _put(carol_api, path, {"weekday": 2, "hour": 8, "time_zone": "Europe/Madrid"})
    assert set_.status_code == 200 and (set_.data["weekday"], set_.data["hour"]) == (2, 8)
    assert _put(bob_api, path, {"weekday": 1}).status_code == 403
    assert _put(carol_api, path, {"weekday": 9}).status_code == 400

    admin = OpenApiClient(client, token_for(alice, org))
    opts = _put(admin, f"/orgs/{org.slug}/notification-settings", {"digest_hour": 6})
    assert opts.status_code == 200 and opts.data["digest_hour"] == 6
    assert (
        _put(admin, f"/orgs/{org.slug}/notification-settings", {"digest_hour": 99}).status_code
        == 400
    )
    Delivery.objects.create(
        organization=org,
        recipient="x",
        channel="email",
        kind="weekly",
        period="2026-W48",
        status="failed",
        error="refused",
    )
    log = admin.get(f"/orgs/{org.slug}/deliveries", status="failed")
    assert log.status_code == 200 and [row["error"] for row in log.data] == ["refused"]
    assert admin.get(f"/orgs/{org.slug}/deliveries", limit=0).status_code == 400

    hosts = admin.post(f"/orgs/{org.slug}/allowed-hosts", {"host": "db.internal"})
    assert hosts.status_code == 201
    assert admin.get(f"/orgs/{org.slug}/allowed-hosts").data[0]["host"] == "db.internal"
    assert bob_api.get(f"/orgs/{org.slug}/allowed-hosts").status_code == 403


# --- command ------------------------------------------------------------------------------------


def _call(*args):
    from io import StringIO

    out = StringIO()
    call_command("notify", *args, stdout=out)
    return out.getvalue()


def test_the_notify_command(org, team, alice, bob, carol, key_result):
    assert "Receiving" in _call("prefs", "--as", bob.email, "--org", org.slug)
    _call(
        "prefs",
        "--as",
        bob.email,
        "--org",
        org.slug,
        "--off",
        "stale",
        "--mute-until",
        "2026-12-31",
    )
    pref = Preference.objects.get(user=bob)
    assert pref.kinds_off == ["stale"] and pref.muted_until == dt.date(2026, 12, 31)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _call("prefs", "--as", bob.email, "--org", org.slug, "--mute-until", "soon")
    with pytest.raises(CommandError, match="Only owners and admins"):
        _call("settings", "--as", bob.email, "--org", org.slug, "--weekly", "off")
    assert "weekly_reminders: False" in _call(
        "settings", "--as", alice.email, "--org", org.slug, "--weekly", "off"
    )
    out = _call(
        "schedule",
        "--as",
        carol.email,
        "--org",
        org.slug,
        "--unit",
        "Growth",
        "--day",
        "tue",
        "--hour",
        "9",
        "--zone",
        "Asia/Tokyo",
    )
    assert out.strip() == "Growth: Tuesday 09:00 (Asia/Tokyo)"
    with pytest.raises(CommandError, match="not a time zone"):
        _call(
            "schedule",
            "--as",
            carol.email,
            "--org",
            org.slug,
            "--unit",
            "Growth",
            "--zone",
            "Nowhere/Land",
        )
    assert Schedule.objects.get(unit=team).time_zone == "Asia/Tokyo"
    preview = _call("preview", "--as", bob.email, "--org", org.slug)
    assert key_result.title in preview
    assert "Nothing sent yet" in _call("log", "--as", alice.email, "--org", org.slug)
