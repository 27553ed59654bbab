"""The feed behind its secret link (no sign-in), forged and reset links, the personal calendar
page, the calendar card on the unit page, and who may reset which link."""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.calendars.models import CalendarKey
from tenfold.calendars.selectors import SALT, person_feed_url, unit_feed_url, unit_token

from .ics_parser import parse

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body). calendar_feed takes <token>: Growth's current feed token.
EXPECTED = {
    ("calendar_feed", "GET"): (200, 200, 200, 200, 200, 200),
    ("calendar_feed", "POST"): (405, 405, 405, 405, 405, 405),
    ("my_calendar", "GET"): (302, 200, 200, 200, 200, 404),
    ("my_calendar", "POST"): (302, 405, 405, 405, 405, 405),
    ("my_calendar_reset", "GET"): (302, 405, 405, 405, 405, 405),
    ("my_calendar_reset", "POST"): (302, 302, 302, 302, 302, 404),
    ("unit_calendar_reset", "GET"): (302, 405, 405, 405, 405, 405),
    ("unit_calendar_reset", "POST"): (302, 302, 403, 302, 403, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, name, method
):
    if name == "calendar_feed":
        url = reverse(name, kwargs={"token": unit_token(org, team)})
    elif name == "unit_calendar_reset":
        url = reverse(name, kwargs={"org": org.slug, "code": team.code})
    else:
        url = reverse(name, kwargs={"org": org.slug})
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_route_of_the_app_is_in_the_table():
    from tenfold.calendars.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


def get(client, url: str):
    return client.get("/" + url.split("://", 1)[1].split("/", 1)[1])


def test_the_team_feed_opens_without_signing_in(client, new_york, team, cycles):
    response = get(client, unit_feed_url(new_york, team))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    root = parse(response.content.decode())
    assert any(e.get("RRULE") == "FREQ=WEEKLY;BYDAY=TH" for e in root.all("VEVENT"))


def test_the_personal_feed_opens_without_signing_in(client, new_york, team, cycles, bob):
    response = get(client, person_feed_url(new_york, bob))
    assert response.status_code == 200
    uids = [e.get("UID") for e in parse(response.content.decode()).all("VEVENT")]
    assert any(uid.startswith(f"checkin-{team.code}@") for uid in uids)


def test_forged_altered_and_unknown_tokens_are_404(client, org, team, bob, other_org, mallory):
    good = unit_token(org, team)
    value, signature = good.split("~")
    other_unit = other_org.units.get()
    cases = [
        "nonsense",
        value + "~" + "A" * len(signature),  # a made-up signature
        value.replace(team.code, other_unit.code) + "~" + signature,  # someone else's unit
        signing.Signer(salt="another.salt", sep="~").sign(value),  # signed for another use
        signing.Signer(salt=SALT, sep="~").sign(f"u-{org.code}-nosuchunit-0"),
        signing.Signer(salt=SALT, sep="~").sign(f"p-{org.code}-{mallory.pk}-0"),  # not a member
        signing.Signer(salt=SALT, sep="~").sign("x-y-z"),
    ]
    for token in cases:
        response = client.get(reverse("calendar_feed", kwargs={"token": token}))
        assert response.status_code == 404, token
    assert client.get(reverse("calendar_feed", kwargs={"token": good})).status_code == 200


def test_resetting_the_team_link_kills_the_old_one(client, org, team, carol):
    old = unit_feed_url(org, team)
    assert get(client, old).status_code == 200
    client.force_login(carol)
    response = client.post(
        reverse("unit_calendar_reset", kwargs={"org": org.slug, "code": team.code})
    )
    assert response.status_code == 302 and response["Location"].endswith("#calendar")
    new = unit_feed_url(org, team)
    assert new != old
    client.logout()
    assert get(client, old).status_code == 404
    assert get(client, new).status_code == 200
    assert AuditEvent.objects.filter(
        verb="calendar.unit_link_reset", object_code=team.code
    ).exists()


def test_resetting_the_personal_link_kills_only_that_one(client, org, team, bob):
    team_link = unit_feed_url(org, team)
    old = person_feed_url(org, bob)
    client.force_login(bob)
    response = client.post(reverse("my_calendar_reset", kwargs={"org": org.slug}), follow=True)
    assert "New link made." in response.content.decode()
    client.logout()
    assert get(client, old).status_code == 404
    assert get(client, person_feed_url(org, bob)).status_code == 200
    assert get(client, team_link).status_code == 200
    assert CalendarKey.objects.filter(user=bob, unit=None).count() == 1


def test_a_person_who_left_loses_their_feed(client, org, team, bob):
    url = person_feed_url(org, bob)
    org.memberships.filter(user=bob).delete()
    assert get(client, url).status_code == 404


def test_my_calendar_shows_the_personal_and_team_links(client, org, team, bob):
    client.force_login(bob)
    html = client.get(reverse("my_calendar", kwargs={"org": org.slug})).content.decode()
    assert person_feed_url(org, bob) in html
    assert unit_feed_url(org, team) in html
    assert "webcal://" in html
    assert "Copy link" in html and "Reset link" in html


def test_the_unit_page_shows_the_feed_to_members_and_the_reset_to_leads(
    client, org, team, bob, carol, victor
):
    url = reverse("unit", kwargs={"org": org.slug, "code": team.code})
    client.force_login(bob)
    html = client.get(url).content.decode()
    assert 'data-testid="unit-calendar-card"' in html
    assert unit_feed_url(org, team) in html
    assert "Weekly check-in on Friday at 10:00 (Europe/Berlin)" in html
    assert reverse("unit_calendar_reset", kwargs={"org": org.slug, "code": team.code}) not in html
    client.force_login(carol)
    html = client.get(url).content.decode()
    assert reverse("unit_calendar_reset", kwargs={"org": org.slug, "code": team.code}) in html
    client.force_login(victor)
    assert 'data-testid="unit-calendar-card"' not in client.get(url).content.decode()


@pytest.mark.parametrize("teams", [1, 5])
def test_my_calendar_costs_the_same_for_many_teams(
    client, org, team, alice, bob, teams, django_assert_max_num_queries
):
    from tenfold.organizations.models import UnitMember
    from tenfold.organizations.services import unit_create

    for n in range(teams - 1):
        unit = unit_create(organization=org, name=f"Team {n}", parent=team.parent, by=alice)
        UnitMember.objects.create(organization=org, unit=unit, user=bob)
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("my_calendar", kwargs={"org": org.slug}))
    assert response.content.decode().count('data-copy="team-feed-') == teams


def test_the_feed_costs_a_fixed_number_of_queries(
    client, org, team, cycles, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = get(client, unit_feed_url(org, team))
    assert response.status_code == 200
