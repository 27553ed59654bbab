"""The list of one's signed-in sessions and signing out the others, on Tenfold's own session
store (tenfold/accounts/sessions.py)."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tenfold.accounts.models import User
from tenfold.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Laptop"
PHONE = "Mozilla/5.0 (Linux; Android 15) Phone"


def signed_in(email: str, agent: str) -> Client:
    """A browser that signed in through the sign-in form."""
    browser = Client(HTTP_USER_AGENT=agent)
    reply = browser.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert reply.status_code == 302
    return browser


def is_signed_in(browser: Client) -> bool:
    return browser.get(reverse("org_list")).status_code == 200


def test_the_project_session_store_is_the_one_in_use() -> None:
    assert settings.SESSION_ENGINE == "tenfold.accounts.sessions"


def test_each_sign_in_is_recorded_with_its_browser(alice: User, bob: User) -> None:
    laptop = signed_in(alice.email, LAPTOP)
    signed_in(alice.email, PHONE)
    signed_in(bob.email, PHONE)
    rows = UserSession.objects.filter(user=alice)
    assert sorted(rows.values_list("user_agent", flat=True)) == [PHONE, LAPTOP]
    # Recorded under the key the browser holds after sign-in (Django changes it then).
    assert rows.get(user_agent=LAPTOP).session_key == laptop.session.session_key


def test_the_list_shows_only_ones_own_sessions(alice: User, bob: User) -> None:
    laptop = signed_in(alice.email, LAPTOP)
    signed_in(alice.email, PHONE)
    signed_in(bob.email, "Bob's browser")
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert LAPTOP in text and PHONE in text
    assert "Bob&#x27;s browser" not in text and "Bob's browser" not in text
    assert text.count("This browser") == 1
    assert "Sign out the other sessions" in text


def test_signing_out_the_others_keeps_this_one(alice: User, bob: User) -> None:
    laptop = signed_in(alice.email, LAPTOP)
    phone = signed_in(alice.email, PHONE)
    bobs = signed_in(bob.email, PHONE)
    phone_key = phone.session.session_key

    reply = laptop.post(reverse("usersessions_list"))
    assert reply.status_code == 302

    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert list(UserSession.objects.filter(user=alice).values_list("user_agent", flat=True)) == [
        LAPTOP
    ]
    assert is_signed_in(bobs)  # someone else's sessions are not touched


def test_a_single_session_offers_no_sign_out_of_others(alice: User) -> None:
    laptop = signed_in(alice.email, LAPTOP)
    text = laptop.get(reverse("usersessions_list")).content.decode()
    assert "You are signed in here only." in text
    assert "Sign out the other sessions" not in text


def test_the_list_needs_a_signed_in_person(client: Client) -> None:
    reply = client.get(reverse("usersessions_list"))
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("account_login"))
