"""Reply tokens: addresses that survive mail systems, and every way a token can be refused."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import time_machine

from tenfold.mailin.tokens import MAX_AGE, TOKEN_LENGTH, TokenError, read_token, reply_address
from tenfold.organizations.models import Membership

from .conftest import DOMAIN, WEEK, token_of


def refused(token: str, reason: str) -> str:
    with pytest.raises(TokenError) as caught:
        read_token(token)
    assert caught.value.reason == reason
    return str(caught.value)


def test_no_reply_address_while_replies_are_off(settings, org, bob, team):
    settings.REPLY_DOMAIN = ""
    assert reply_address(user=bob, organization=org, week=WEEK) is None


def test_the_address_fits_a_local_part_and_is_lower_case_base32(org, bob, team):
    address = reply_address(user=bob, organization=org, week=WEEK)
    assert address is not None
    local, domain = address.split("@")
    assert domain == DOMAIN
    assert local.startswith("reply+") and len(local) <= 64
    token = local.removeprefix("reply+")
    assert len(token) == TOKEN_LENGTH == 48
    assert token == token.lower() and set(token) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_a_token_names_the_person_the_organization_and_the_week(org, bob, team):
    address = reply_address(user=bob, organization=org, week=WEEK)
    assert address is not None
    token = address.split("@")[0].removeprefix("reply+")
    target = read_token(token)
    assert (target.user, target.organization, target.week) == (bob, org, WEEK)
    assert target.membership == Membership.objects.get(organization=org, user=bob)
    # A mail system that changes the case of the address changes nothing.
    assert read_token(token.upper()).user == bob


def test_two_weeks_give_two_tokens(org, bob, team):
    assert token_of(bob, org) != token_of(bob, org, WEEK + dt.timedelta(days=7))


def test_a_made_up_token_is_forged(org, bob, team):
    fake = base64.b32encode(bytes(range(30))).decode().lower()
    assert "not made by this Tenfold" in refused(fake, "forged")


def test_a_token_signed_with_another_key_is_forged(settings, org, bob, team):
    settings.SECRET_KEY = "another-installation-entirely-" * 2
    other = token_of(bob, org)
    settings.SECRET_KEY = "this-installation-key-" * 3
    refused(other, "forged")


def test_a_token_stays_valid_while_the_secret_key_is_rotated(settings, org, bob, team):
    settings.SECRET_KEY = "old-key-old-key-old-key-old-key-old-key-old-key"
    token = token_of(bob, org)
    settings.SECRET_KEY = "new-key-new-key-new-key-new-key-new-key-new-key"
    settings.SECRET_KEY_FALLBACKS = ["old-key-old-key-old-key-old-key-old-key-old-key"]
    assert read_token(token).user == bob
    settings.SECRET_KEY_FALLBACKS = []
    refused(token, "forged")


@pytest.mark.parametrize("position", [0, 5, 20, 47])
def test_a_tampered_token_is_refused(org, bob, team, position):
    token = token_of(bob, org)
    changed = token[:position] + ("b" if token[position] != "b" else "c") + token[position + 1 :]
    with pytest.raises(TokenError) as caught:
        read_token(changed)
    assert caught.value.reason in ("forged", "malformed")


def test_a_token_for_another_person_cannot_be_made_by_editing_the_id(org, bob, alice, team):
    raw = bytearray(base64.b32decode(token_of(bob, org).upper()))
    raw[1:5] = alice.pk.to_bytes(4, "big")
    refused(base64.b32encode(bytes(raw)).decode().lower(), "forged")


@pytest.mark.parametrize("token", ["", "abc", "a" * 47, "1" * 48, "a" * 49])
def test_a_truncated_or_mangled_token_is_malformed(db, token):
    refused(token, "malformed")


def test_a_token_expires_after_fourteen_days(org, bob, team):
    token = token_of(bob, org)
    with time_machine.travel(dt.datetime.now(dt.UTC) + MAX_AGE - dt.timedelta(minutes=1)):
        assert read_token(token).user == bob
    with time_machine.travel(dt.datetime.now(dt.UTC) + MAX_AGE + dt.timedelta(minutes=1)):
        assert "14 days" in refused(token, "expired")


def test_a_token_of_someone_who_left_the_organization_is_refused(org, bob, team):
    token = token_of(bob, org)
    Membership.objects.filter(organization=org, user=bob).delete()
    refused(token, "not_member")


def test_a_token_for_an_organization_the_person_never_joined_is_refused(other_org, bob):
    refused(token_of(bob, other_org), "not_member")


def test_a_token_of_a_deleted_or_deactivated_account_is_refused(org, bob, team):
    token = token_of(bob, org)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    refused(token, "unknown_user")
    bob.delete()
    refused(token, "unknown_user")
