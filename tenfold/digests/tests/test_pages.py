"""The digest page (the email, as a page, with a unit and week picker and "email me this now"),
and the subscriber settings with their preview: who may open what, what they show, and the
writes, each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tenfold.digests.models import Subscriber
from tenfold.digests.services import subscriber_add
from tenfold.notifications.models import Delivery
from tenfold.organizations.services import unit_create

from .conftest import LAST_WEEK, access_of

pytestmark = pytest.mark.django_db


def digest_url(**query: str) -> str:
    url = reverse("digest", kwargs={"org": "acme"})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


# --- the digest page ----------------------------------------------------------------------------


def test_a_member_reads_their_teams_digest_of_last_week(client, story, team, bob):
    client.force_login(bob)
    response = client.get(digest_url(unit=team.code, week=LAST_WEEK.isoformat()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="digest-paper"' in html
    assert "Growth: the week in OKRs" in html
    assert "Week of 16 Nov 2026 to 22 Nov 2026" in html
    assert "Grow NPS from 20 to 50" in html
    assert "Waiting for analytics access" in html
    assert f'<option value="{team.code}" selected>' in html  # the unit picker


def test_the_page_shows_the_emails_own_body(client, story, team, bob, org):
    from tenfold.digests import emails
    from tenfold.digests.selectors import team_digest, week_end_of

    client.force_login(bob)
    html = client.get(digest_url(unit=team.code, week=LAST_WEEK.isoformat())).content.decode()
    email_html = emails.render_member(
        team_digest(team, week_end_of(org, LAST_WEEK)), language="en"
    ).html
    start = email_html.index('<div class="digest-email"')
    end = email_html.index("</div>", email_html.rindex("Open this digest")) + len("</div>")
    assert email_html[start:end] in html


def test_without_a_unit_it_is_the_company_digest_for_everyone(client, story, victor):
    client.force_login(victor)
    response = client.get(digest_url())
    assert response.status_code == 200
    assert "Acme: the week in OKRs" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("alice", 200), ("carol", 200), ("victor", 403)])
def test_who_may_open_a_teams_digest(client, story, team, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(digest_url(unit=team.code)).status_code == status


def test_other_organizations_and_strangers_find_nothing(client, story, team, mallory):
    assert client.get(digest_url()).status_code == 302  # to sign in
    client.force_login(mallory)
    assert client.get(digest_url()).status_code == 404
    client.force_login(story["activation"].owner)
    assert client.get(digest_url(unit="nosuchunit")).status_code == 404
    assert client.get(digest_url(week="last-tuesday")).status_code == 404


def test_the_unit_picker_lists_what_the_person_may_read(client, story, org, company, alice, bob):
    sales = unit_create(organization=org, name="Sales", parent=company, by=alice)
    client.force_login(bob)
    html = client.get(digest_url()).content.decode()
    assert ">Growth</option>" in html and f'value="{sales.code}"' not in html
    client.force_login(alice)
    assert ">Sales</option>" in client.get(digest_url()).content.decode()


def test_weeks_link_to_each_other(client, story, team, bob):
    client.force_login(bob)
    html = client.get(digest_url(unit=team.code, week="2026-11-18")).content.decode()
    assert f"?unit={team.code}&amp;week=2026-11-09" in html
    assert f"?unit={team.code}&amp;week=2026-11-23" in html
    this_week = client.get(digest_url(unit=team.code)).content.decode()
    assert "This week is not over yet" in this_week and 'rel="next"' not in this_week


def test_email_me_this_now_goes_to_the_requester_only(client, story, team, bob, smtp, clock):
    client.force_login(bob)
    data = {"unit": team.code, "week": LAST_WEEK.isoformat()}
    response = client.post(reverse("digest_send", kwargs={"org": "acme"}), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?unit={team.code}&week=2026-11-16")
    (message,) = smtp.wait_for(1)
    assert message["To"] == "bob@example.com"
    assert message["Subject"].startswith("Growth: the week of 16 Nov")
    # A double click in the same minute sends once; a minute later it sends again, and the
    # weekly send is not used up.
    client.post(reverse("digest_send", kwargs={"org": "acme"}), data)
    assert len(smtp.messages) == 1
    clock.shift(dt.timedelta(minutes=1))
    client.post(reverse("digest_send", kwargs={"org": "acme"}), data)
    smtp.wait_for(2)
    assert all(row.period.startswith("now:") for row in Delivery.objects.all())


def test_email_me_this_now_refuses_a_team_one_may_not_read(client, story, team, victor, smtp):
    client.force_login(victor)
    url = reverse("digest_send", kwargs={"org": "acme"})
    assert client.post(url, {"unit": team.code}).status_code == 403
    assert client.get(url).status_code == 405
    assert not Delivery.objects.exists()


def test_the_digest_page_costs_the_same_for_a_small_or_large_team(
    client, story, org, cycle, team, carol, bob, django_assert_max_num_queries
):
    from .test_content import _grow

    client.force_login(bob)
    _grow(org, cycle, team, carol, bob, 25)
    with django_assert_max_num_queries(30):
        assert client.get(digest_url(unit=team.code, week="2026-11-16")).status_code == 200


# --- subscribers --------------------------------------------------------------------------------


def settings_url(name: str = "settings_subscribers", **kwargs: str) -> str:
    return reverse(name, kwargs={"org": "acme", **kwargs})


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_only_admins_open_the_subscriber_settings(client, team, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(settings_url()).status_code == 403
    assert (
        client.post(settings_url("subscriber_add"), {"email": "x@example.org"}).status_code == 403
    )
    assert not Subscriber.objects.exists()


def test_an_admin_adds_a_subscriber(client, story, alice):
    client.force_login(alice)
    page = client.get(settings_url())
    assert page.status_code == 200
    assert "Organization settings" in page.content.decode()  # one of the settings pages
    assert page.context["tab"] == "integrations"
    response = client.post(
        settings_url("subscriber_add"),
        {"email": "ivy@example.org", "unit": "company", "sections": ["summary", "at_risk"]},
    )
    subscriber = Subscriber.objects.get()
    assert response.status_code == 302
    assert response["Location"] == settings_url("subscriber_edit", code=subscriber.code)
    assert subscriber.sections == ["summary", "at_risk"] and not subscriber.include_names
    listing = client.get(settings_url()).content.decode()
    assert "ivy@example.org" in listing


def test_bad_input_shows_the_form_again(client, story, alice):
    client.force_login(alice)
    response = client.post(settings_url("subscriber_add"), {"email": "nope", "sections": []})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not an email address" in html and "Choose at least one section" in html
    assert not Subscriber.objects.exists()


def test_preview_before_adding_saves_nothing(client, story, alice):
    client.force_login(alice)
    response = client.post(
        settings_url("subscriber_add"),
        {
            "email": "ivy@example.org",
            "unit": "company",
            "sections": ["at_risk"],
            "action": "preview",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "What they would receive this week" in html
    assert "Grow NPS from 20 to 50" in html
    assert "Bob Member" not in html.split('id="preview"')[1]  # no names without the tick
    assert not Subscriber.objects.exists()


def test_the_edit_page_previews_and_saves(client, story, org, team, alice):
    subscriber = subscriber_add(
        access=access_of(org, alice), email="ivy@example.org", unit=team, sections=["at_risk"]
    )
    client.force_login(alice)
    url = settings_url("subscriber_edit", code=subscriber.code)
    page = client.get(url).content.decode()
    assert "What they receive" in page and "Grow NPS from 20 to 50" in page
    preview = client.post(
        url,
        {
            "email": "ivy@example.org",
            "unit": team.code,
            "sections": ["at_risk"],
            "include_names": "on",
            "active": "on",
            "action": "preview",
        },
    ).content.decode()
    assert "Owner: Bob Member" in preview
    subscriber.refresh_from_db()
    assert not subscriber.include_names  # a preview saves nothing
    saved = client.post(
        url,
        {
            "email": "ivy@example.org",
            "unit": team.code,
            "sections": ["at_risk", "highlights"],
            "include_names": "on",
            "active": "on",
        },
    )
    assert saved.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.include_names and subscriber.sections == ["at_risk", "highlights"]


def test_subscriber_pages_of_another_organization_are_not_found(client, story, alice, other_org):
    from tenfold.digests.models import Subscriber as Model

    foreign = Model.objects.create(organization=other_org, email="x@example.org")
    client.force_login(alice)
    assert client.get(settings_url("subscriber_edit", code=foreign.code)).status_code == 404
    assert client.post(settings_url("subscriber_delete", code=foreign.code)).status_code == 404
    assert Model.objects.filter(pk=foreign.pk).exists()


def test_an_admin_removes_a_subscriber(client, story, org, alice):
    subscriber = subscriber_add(access=access_of(org, alice), email="ivy@example.org")
    client.force_login(alice)
    response = client.post(settings_url("subscriber_delete", code=subscriber.code))
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert client.get(settings_url("subscriber_delete", code="x")).status_code == 405


def test_the_subscriber_list_costs_the_same_for_many(
    client, org, alice, team, django_assert_max_num_queries
):
    access = access_of(org, alice)
    for number in range(30):
        subscriber_add(
            access=access, email=f"s{number}@example.org", unit=team if number % 2 else None
        )
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(settings_url()).status_code == 200
