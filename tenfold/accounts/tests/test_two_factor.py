"""Two-factor sign-in: turning on an authenticator app, signing in with its code, and the
recovery codes that stand in for a lost phone."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from tenfold.accounts.models import User
from tenfold.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def totp_code(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for `secret` at `at` (RFC 6238: HOTP of
    the 30-second step, HMAC-SHA1, dynamic truncation)."""
    step = int(time.time() if at is None else at) // 30
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    """Post the sign-in form, as a browser does."""
    return client.post(reverse("account_login"), {"login": email, "password": password})


def open_activation(client: Client, user: User) -> Any:
    """Sign in, confirm the password again (changing how one signs in asks for it), and open
    the authenticator page."""
    assert sign_in(client, user.email).status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(asked["Location"], {"password": PASSWORD}).status_code == 302
    return client.get(reverse("mfa_activate_totp"))


def turn_on_totp(client: Client, user: User) -> str:
    """Open the authenticator page and confirm with a code; the secret the app holds."""
    page = open_activation(client, user)
    assert page.status_code == 200
    secret = str(page.context["form"].secret)
    reply = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert reply.status_code == 302, reply.content[:500]
    return secret


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("org_list")).status_code == 200


def test_the_activation_page_shows_a_qr_code_and_the_secret(client: Client, alice: User) -> None:
    page = open_activation(client, alice)
    assert page.status_code == 200
    assert "<svg" in page.content.decode() or "data:image/svg+xml" in page.content.decode()
    assert page.context["form"].secret in page.content.decode()


def test_a_wrong_code_does_not_turn_two_factor_on(client: Client, alice: User) -> None:
    page = open_activation(client, alice)
    secret = page.context["form"].secret
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    reply = client.post(reverse("mfa_activate_totp"), {"code": wrong})
    assert reply.status_code == 200
    assert "Incorrect code." in reply.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()


def test_turning_on_totp_also_makes_recovery_codes(client: Client, alice: User) -> None:
    turn_on_totp(client, alice)
    kinds = set(Authenticator.objects.filter(user=alice).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_signing_in_then_asks_for_the_code(client: Client, alice: User) -> None:
    secret = turn_on_totp(client, alice)
    client.post(reverse("account_logout"))
    # A minute on, so the code differs from the one that turned two-factor on.
    with time_machine.travel(time.time() + 60, tick=False):
        reply = sign_in(client, alice.email)
        assert reply.status_code == 302
        assert reply["Location"] == reverse("mfa_authenticate")
        assert not is_signed_in(client)  # the password alone is not enough

        wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
        refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert "Incorrect code." in refused.content.decode()
        assert not is_signed_in(client)

        done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert done.status_code == 302
        assert is_signed_in(client)


def test_a_recovery_code_signs_in_once(client: Client, alice: User) -> None:
    turn_on_totp(client, alice)
    client.post(reverse("account_logout"))
    stored = Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES)
    codes = RecoveryCodes(stored).get_unused_codes()
    assert len(codes) == 10

    sign_in(client, alice.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert is_signed_in(client)
    client.post(reverse("account_logout"))

    sign_in(client, alice.email)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "Incorrect code." in again.content.decode()
    assert not is_signed_in(client)
    stored.refresh_from_db()
    assert len(RecoveryCodes(stored).get_unused_codes()) == 9


def test_the_two_factor_page_wears_the_product_layout(client: Client, alice: User) -> None:
    sign_in(client, alice.email)
    page = client.get(reverse("mfa_index")).content.decode()
    assert 'class="topbar"' in page
    assert 'class="card stack"' in page  # allauth's panels as Tenfold cards


def test_the_own_settings_page_links_to_two_factor_and_sessions(
    client: Client, org: Any, alice: User
) -> None:
    client.force_login(alice)
    page = client.get(reverse("my_notifications", kwargs={"org": org.slug})).content.decode()
    assert f'href="{reverse("mfa_index")}"' in page
    assert f'href="{reverse("usersessions_list")}"' in page
