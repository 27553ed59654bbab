"""Subscribers outside the organization: admins add them with the sections they may read, their
digest names nobody unless allowed and never carries plans or problems, and each email's
signed link unsubscribes without signing in."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.digests import emails, jobs
from tenfold.digests.models import Subscriber
from tenfold.digests.services import (
    subscriber_add,
    subscriber_remove,
    subscriber_unsubscribe,
    subscriber_update,
)
from tenfold.notifications.models import Delivery

from .conftest import NOW, access_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def investor(org, alice):
    return subscriber_add(
        access=access_of(org, alice), email=" Ivy@Example.org ", name="Ivy Investor"
    )


def parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


# --- services -------------------------------------------------------------------------------------


def test_an_admin_adds_a_subscriber_with_safe_defaults(investor, alice):
    assert investor.email == "ivy@example.org"
    assert investor.unit is None  # the company digest
    assert investor.sections == ["summary", "objectives", "highlights"]
    assert investor.include_names is False and investor.active
    assert investor.created_by == alice
    event = AuditEvent.objects.get(verb="subscriber.added")
    assert event.object_code == investor.code


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_only_admins_manage_subscribers(org, team, persona, request):
    with pytest.raises(PermissionDenied):
        subscriber_add(
            access=access_of(org, request.getfixturevalue(persona)), email="x@example.org"
        )
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not an address"}, "email"),
        ({"email": "x@example.org", "sections": []}, "sections"),
        ({"email": "x@example.org", "sections": ["plans"]}, "sections"),
        ({"email": "x@example.org", "name": "n" * 121}, "name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(org, alice, fields, field):
    with pytest.raises(ValidationError) as caught:
        subscriber_add(access=access_of(org, alice), **fields)
    assert field in caught.value.message_dict
    assert (
        not Subscriber.objects.exists()
        and not AuditEvent.objects.filter(verb="subscriber.added").exists()
    )


def test_the_same_address_subscribes_once_per_digest(org, team, alice, investor):
    access = access_of(org, alice)
    with pytest.raises(ValidationError) as caught:
        subscriber_add(access=access, email="IVY@example.org")
    assert "already receives this digest" in caught.value.message_dict["email"][0]
    team_one = subscriber_add(access=access, email="ivy@example.org", unit=team)
    assert team_one.unit == team


def test_a_unit_of_another_organization_is_refused(org, alice, other_org):
    from tenfold.organizations.models import Unit

    foreign = Unit.objects.get(organization=other_org)
    with pytest.raises(ValidationError) as caught:
        subscriber_add(access=access_of(org, alice), email="x@example.org", unit=foreign)
    assert "unit" in caught.value.message_dict


def test_an_update_is_audited_and_validated(org, alice, investor):
    access = access_of(org, alice)
    updated = subscriber_update(
        access=access, subscriber=investor, sections=["summary", "at_risk"], include_names=True
    )
    assert updated.sections == ["summary", "at_risk"] and updated.include_names
    event = AuditEvent.objects.get(verb="subscriber.updated")
    assert event.changes["include_names"] == [False, True]
    with pytest.raises(ValidationError):
        subscriber_update(access=access, subscriber=investor, colour="red")
    with pytest.raises(ValidationError):
        subscriber_update(access=access, subscriber=investor, email="nope")
    investor.refresh_from_db()
    assert investor.email == "ivy@example.org"


def test_removing_a_subscriber(org, alice, investor):
    subscriber_remove(access=access_of(org, alice), subscriber=investor)
    assert not Subscriber.objects.exists()
    assert AuditEvent.objects.filter(verb="subscriber.removed").exists()


# --- what they receive ----------------------------------------------------------------------------


def test_a_subscriber_digest_names_nobody_by_default(story, smtp, org, alice):
    subscriber_add(
        access=access_of(org, alice),
        email="ivy@example.org",
        sections=["summary", "objectives", "at_risk", "highlights"],
    )
    assert jobs.run_due(NOW) == 4
    message = next(m for m in smtp.wait_for(4) if m["To"] == "ivy@example.org")
    text, html = parts(message)
    assert "Grow NPS from 20 to 50" in text  # the at-risk list, as chosen
    for name in ("Bob Member", "Carol Lead", "Alice Owner", "bob@example.com"):
        assert name not in text and name not in html
    for private in ("Waiting for analytics access", "Interview five new customers"):
        assert private not in text and private not in html  # no plans, no problems
    assert "Who might welcome a hand" not in html and "What moved this week" not in html
    assert "/acme/" not in html  # no links into pages they cannot open
    unsubscribe = emails.unsubscribe_url(Subscriber.objects.get())
    assert unsubscribe in text and f'href="{unsubscribe}"' in html
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Delivery.objects.get(kind="subscriber_digest").recipient.startswith("subscriber:")


def test_names_appear_only_when_the_admin_ticked_it(story, smtp, org, alice):
    subscriber_add(
        access=access_of(org, alice),
        email="board@example.org",
        sections=["at_risk"],
        include_names=True,
    )
    jobs.run_due(NOW)
    message = next(m for m in smtp.wait_for(4) if m["To"] == "board@example.org")
    text, html = parts(message)
    assert "Owner: Bob Member" in text and "Owner: Carol Lead" in html
    assert "Waiting for analytics access" not in text  # names, but still no problems
    assert "Objectives stand at" not in text  # summary was not chosen


def test_a_unit_subscriber_reads_only_what_everyone_may_see(story, org, cycle, team, alice, carol):
    from tenfold.okrs.services import objective_create

    objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Members-only objective",
        visibility="unit",
        state="active",
        by=carol,
    )
    sub = subscriber_add(access=access_of(org, alice), email="partner@example.org", unit=team)
    sub.organization = org
    from tenfold.digests.selectors import subscriber_digest, team_digest

    from .conftest import DUE

    assert "Members-only objective" in {o.title for o in team_digest(team, DUE).objectives}
    assert "Members-only objective" not in {o.title for o in subscriber_digest(sub, DUE).objectives}


def test_an_inactive_subscriber_gets_nothing(story, smtp, org, alice, investor):
    subscriber_update(access=access_of(org, alice), subscriber=investor, active=False)
    assert jobs.run_due(NOW) == 3
    assert "ivy@example.org" not in {m["To"] for m in smtp.wait_for(3)}


# --- unsubscribing --------------------------------------------------------------------------------


def test_the_link_asks_then_unsubscribes_without_signing_in(client, investor):
    url = emails.unsubscribe_url(investor).removeprefix("http://127.0.0.1:8000")
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop sending the weekly update to ivy@example.org?" in page.content.decode()
    investor.refresh_from_db()
    assert investor.active  # a link checker opening the page unsubscribes nobody
    done = client.post(url, {"action": "unsubscribe"})
    assert done.status_code == 200
    assert "will not receive this update any more" in done.content.decode()
    investor.refresh_from_db()
    assert not investor.active and investor.unsubscribed_at is not None
    assert AuditEvent.objects.filter(verb="subscriber.unsubscribed", actor=None).exists()


def test_one_click_unsubscribe_posts_without_a_csrf_token(investor):
    from django.test import Client

    url = emails.unsubscribe_url(investor).removeprefix("http://127.0.0.1:8000")
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    investor.refresh_from_db()
    assert not investor.active


def test_a_forged_or_mangled_token_finds_nothing(client, investor):
    token = emails.unsubscribe_token(investor)
    for forged in (token[:-2] + "xx", f"{investor.code}:nope", "garbage", investor.code):
        assert client.get(f"/digests/unsubscribe/{forged}/").status_code == 404
        assert client.post(f"/digests/unsubscribe/{forged}/").status_code == 404
    investor.refresh_from_db()
    assert investor.active


def test_they_can_subscribe_again_but_an_admin_cannot_do_it_for_them(client, org, alice, investor):
    subscriber_unsubscribe(subscriber=investor)
    investor.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        subscriber_update(access=access_of(org, alice), subscriber=investor, active=True)
    assert "Only they can subscribe again" in caught.value.message_dict["active"][0]
    url = emails.unsubscribe_url(investor).removeprefix("http://127.0.0.1:8000")
    again = client.post(url, {"action": "subscribe"})
    assert "will receive the update again" in again.content.decode()
    investor.refresh_from_db()
    assert investor.active and investor.unsubscribed_at is None


def test_unsubscribing_twice_changes_nothing(investor):
    subscriber_unsubscribe(subscriber=investor)
    subscriber_unsubscribe(subscriber=investor)
    assert AuditEvent.objects.filter(verb="subscriber.unsubscribed").count() == 1
