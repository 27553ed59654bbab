"""A person's own name, language and time zone: the service, the page, the API, and what the
pages then look like for them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tenfold.accounts.models import User
from tenfold.accounts.services import api_token_create, preferences_set
from tenfold.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_the_service_keeps_good_values_and_refuses_bad_ones_whole(alice: User) -> None:
    preferences_set(user=alice, name=" Alice O. ", language="zh-hans", time_zone="Asia/Shanghai")
    alice.refresh_from_db()
    assert (alice.name, alice.language, alice.time_zone) == ("Alice O.", "zh-hans", "Asia/Shanghai")
    with pytest.raises(ValidationError) as caught:
        preferences_set(user=alice, name="Someone else", language="klingon", time_zone="Mars/Base")
    assert set(caught.value.message_dict) == {"language", "time_zone"}
    alice.refresh_from_db()
    assert (alice.name, alice.language, alice.time_zone) == ("Alice O.", "zh-hans", "Asia/Shanghai")
    with pytest.raises(ValidationError, match="name"):
        preferences_set(user=alice, name="   ")
    preferences_set(user=alice, language="", time_zone="")
    alice.refresh_from_db()
    assert (alice.language, alice.time_zone) == ("", "")


def test_the_page_shows_and_saves_them(alice: User, org: Organization) -> None:
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("my_preferences"))
    assert page.status_code == 200
    assert 'name="time_zone"' in page.content.decode()
    saved = client.post(
        reverse("my_preferences"),
        {"name": "Alice Owner", "language": "es", "time_zone": "America/Mexico_City"},
    )
    assert saved.status_code == 302
    alice.refresh_from_db()
    assert (alice.language, alice.time_zone) == ("es", "America/Mexico_City")
    # From now on the pages speak Spanish to her, whatever her browser asks for.
    again = client.get(reverse("my_preferences"), HTTP_ACCEPT_LANGUAGE="en")
    assert again["Content-Language"] == "es"
    assert '<html lang="es">' in again.content.decode()


def test_bad_input_on_the_page_is_answered_400_and_changes_nothing(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    reply = client.post(
        reverse("my_preferences"), {"name": "", "language": "xx", "time_zone": "Nowhere/Land"}
    )
    assert reply.status_code == 400
    alice.refresh_from_db()
    assert (alice.name, alice.language, alice.time_zone) == ("Alice Owner", "", "")


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    reply = Client().get(reverse("my_preferences"))
    assert reply.status_code == 302 and reverse("account_login") in reply["Location"]


def test_the_api_reads_and_changes_them(alice: User, org: Organization) -> None:
    _row, token = api_token_create(user=alice, organization=org, name="prefs", by=alice)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    reply = client.patch(
        "/api/v1/me", json.dumps({"time_zone": "Europe/Madrid"}), content_type="application/json"
    )
    assert reply.status_code == 200, reply.content
    assert reply.json()["time_zone"] == "Europe/Madrid" and reply.json()["language"] == ""
    bad = client.patch(
        "/api/v1/me", json.dumps({"language": "tlh"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert "language" in json.dumps(bad.json())
    alice.refresh_from_db()
    assert (alice.language, alice.time_zone) == ("", "Europe/Madrid")


def test_a_read_only_token_cannot_change_them(alice: User, org: Organization) -> None:
    _row, token = api_token_create(
        user=alice, organization=org, name="read", by=alice, read_only=True
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    reply = client.patch(
        "/api/v1/me", json.dumps({"language": "es"}), content_type="application/json"
    )
    assert reply.status_code == 403
    alice.refresh_from_db()
    assert alice.language == ""


def test_times_are_shown_in_the_persons_time_zone(alice: User, rf) -> None:
    from tenfold.accounts.preferences import PersonPreferencesMiddleware

    seen = {}

    def page(request):
        seen["zone"] = timezone.get_current_timezone_name()
        seen["language"] = translation.get_language()
        seen["hour"] = timezone.localtime(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)).hour
        from django.http import HttpResponse

        return HttpResponse("ok")

    preferences_set(user=alice, language="zh-hans", time_zone="Asia/Shanghai")
    request = rf.get("/")
    request.user = alice
    PersonPreferencesMiddleware(page)(request)
    assert seen == {"zone": "Asia/Shanghai", "language": "zh-hans", "hour": 20}
    # The next request of the same process is not left in her time zone.
    assert timezone.get_current_timezone_name() != "Asia/Shanghai"
    translation.activate("en")


def test_kept_pages_are_kept_apart_by_time_zone(alice: User, org: Organization, rf) -> None:
    import zoneinfo

    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for
    from tenfold.web.fragments import Fragment

    access = access_for(Membership.objects.get(organization=org, user=alice))
    request = rf.get("/acme/")
    request.user = alice
    fragment = Fragment(request, org, access, "company")
    plain = fragment.key
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        tokyo = fragment.key
    assert plain != tokyo and "Asia/Tokyo" in tokyo
