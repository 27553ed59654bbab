"""The page header is drawn once for everything that decides it and kept (tenfold.web.header):
it always shows the person's current name, organizations and role, the current page, and the
visitor's own sign-out token."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tenfold.organizations.models import Membership, Organization, Role
from tenfold.organizations.services import organization_create
from tenfold.web import header

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept() -> Any:
    header.forget()
    yield
    header.forget()


def top(client: Client, url: str) -> str:
    page = client.get(url).text
    return page[page.index('<header class="topbar">') : page.index("</header>")]


def untokened(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def token_of(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', html)
    assert found is not None
    return found[1]


def test_the_header_follows_renames_new_memberships_and_roles(
    client: Client, org: Organization, alice: Any, bob: Any, team: Any
) -> None:
    client.force_login(bob)
    url = reverse("company", args=[org.slug])
    first = top(client, url)
    assert "Acme" in first and "Bob" in first
    assert reverse("settings_general", args=[org.slug]) not in first
    # Kept: the same header again, without drawing it.
    assert header._kept and untokened(top(client, url)) == untokened(first)

    Organization.objects.filter(pk=org.pk).update(name="Acme Labs")
    assert "Acme Labs" in top(client, url)
    bob.name = "Robert"
    bob.save()
    assert "Robert" in top(client, url)
    organization_create(name="Second Shop", slug="second", owner=bob)
    assert "Second Shop" in top(client, url)
    Membership.objects.filter(organization=org, user=bob).update(role=Role.ADMIN)
    assert reverse("settings_general", args=[org.slug]) in top(client, url)


def test_the_current_page_and_language_are_part_of_it(
    client: Client, org: Organization, bob: Any, team: Any
) -> None:
    client.force_login(bob)
    week = top(client, reverse("my_week", args=[org.slug]))
    tree = top(client, reverse("tree", args=[org.slug]))
    assert f'href="{reverse("my_week", args=[org.slug])}" aria-current="page"' in week
    assert f'href="{reverse("tree", args=[org.slug])}" aria-current="page"' in tree
    assert 'aria-current="page"' not in tree.split(reverse("my_week", args=[org.slug]))[1][:20]
    english = client.get(reverse("tree", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="en").text
    spanish = client.get(reverse("tree", args=[org.slug]), HTTP_ACCEPT_LANGUAGE="es").text
    assert ">My week<" in english and ">Mi semana<" in spanish


def test_each_visitor_gets_their_own_sign_out_token(
    org: Organization, alice: Any, bob: Any, team: Any
) -> None:
    url = reverse("company", args=[org.slug])
    first, second = Client(), Client()
    first.force_login(bob)
    second.force_login(bob)
    one, two = top(first, url), top(second, url)
    assert token_of(one) != token_of(two)
    # The token in the header signs the visitor out: it is their own.
    assert first.post(
        reverse("account_logout"), {"csrfmiddlewaretoken": token_of(one)}
    ).status_code in (
        200,
        302,
    )
    assert first.get(url).status_code == 302


def test_people_who_are_not_signed_in_get_a_header_drawn_for_them(client: Client) -> None:
    client.get(reverse("account_login"))
    assert not header._kept
