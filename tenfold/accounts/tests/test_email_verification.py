"""Sign-in addresses are proven by mail before a first password sign-in
(ACCOUNT_EMAIL_VERIFICATION "mandatory"); invitations, password resets, single sign-on and the
operator prove them on the way (tenfold.accounts.services.addresses_verified)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tenfold.accounts.models import User
from tenfold.accounts.services import addresses_verified
from tenfold.conftest import PASSWORD
from tenfold.organizations.models import Membership, Organization, Role
from tenfold.organizations.services import invitation_accept, invitation_create, person_add

pytestmark = pytest.mark.django_db

NEW = "nina.new@example.com"
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"


def sign_in(browser: Client, email: str, password: str = NEW_PASSWORD):
    return browser.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(browser: Client) -> bool:
    return browser.get(reverse("org_list")).status_code == 200


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def proven(email: str) -> bool:
    return EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()


def test_the_rule_is_on_by_default() -> None:
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"


@pytest.fixture
def added(org: Organization, alice: User) -> User:
    """Someone an admin added with a password, who has never confirmed their address."""
    person_add(organization=org, email=NEW, name="Nina New", password=NEW_PASSWORD, by=alice)
    return User.objects.get(email=NEW)


def test_a_first_sign_in_sends_a_link_instead_of_letting_in(added: User) -> None:
    browser = Client()
    mail.outbox.clear()
    reply = sign_in(browser, NEW)
    assert reply.status_code == 302
    assert reply["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(browser)
    assert [m.to for m in mail.outbox] == [[NEW]]
    assert not proven(NEW)

    # Following the link and confirming proves the address; signing in then works.
    confirm = browser.get(link_in(mail.outbox[0]))
    assert confirm.status_code == 200
    browser.post(link_in(mail.outbox[0]))
    assert proven(NEW)
    fresh = Client()
    assert sign_in(fresh, NEW).status_code == 302
    assert is_signed_in(fresh)


def test_a_wrong_password_sends_no_link(added: User) -> None:
    mail.outbox.clear()
    reply = sign_in(Client(), NEW, "not-the-password")
    assert reply.status_code == 200
    assert mail.outbox == []


def test_a_made_up_link_proves_nothing(added: User) -> None:
    browser = Client()
    reply = browser.post(reverse("account_confirm_email", args=["made-up-key"]))
    assert reply.status_code in (200, 302, 404)
    assert not proven(NEW)
    assert sign_in(Client(), NEW).status_code == 302
    assert not is_signed_in(browser)


def test_a_password_reset_proves_the_address(added: User) -> None:
    browser = Client()
    mail.outbox.clear()
    browser.post(reverse("account_reset_password"), {"email": NEW})
    assert [m.to for m in mail.outbox] == [[NEW]]
    key_page = browser.get(link_in(mail.outbox[0]), follow=True)
    assert key_page.status_code == 200
    form_url = (
        key_page.redirect_chain[-1][0] if key_page.redirect_chain else link_in(mail.outbox[0])
    )
    changed = browser.post(
        form_url,
        {"password1": "another-long-passphrase-77", "password2": "another-long-passphrase-77"},
    )
    assert changed.status_code == 302
    assert proven(NEW)
    fresh = Client()
    sign_in(fresh, NEW, "another-long-passphrase-77")
    assert is_signed_in(fresh)


def test_accepting_an_invitation_proves_the_address(org: Organization, alice: User) -> None:
    _invitation, token = invitation_create(organization=org, email=NEW, role=Role.MEMBER, by=alice)
    invitation_accept(token=token, name="Nina New", password=NEW_PASSWORD)
    assert proven(NEW)
    browser = Client()
    sign_in(browser, NEW)
    assert is_signed_in(browser)


def test_the_first_owner_made_on_the_command_line_is_proven() -> None:
    call_command(
        "createorg",
        "Proven Co",
        "--slug",
        "proven",
        "--owner",
        "owner@proven.example",
        "--password",
        NEW_PASSWORD,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert proven("owner@proven.example")
    assert Membership.objects.filter(user__email="owner@proven.example", role=Role.OWNER).exists()


def test_proving_twice_changes_nothing_and_fixes_a_stale_primary(added: User) -> None:
    assert addresses_verified([added]) == 1
    assert addresses_verified([added]) == 0
    other = EmailAddress.objects.create(user=added, email="old@example.com", verified=True)
    EmailAddress.objects.filter(user=added).update(primary=False)
    EmailAddress.objects.filter(pk=other.pk).update(primary=True)
    assert addresses_verified([added]) == 1
    assert list(
        EmailAddress.objects.filter(user=added, primary=True).values_list("email", flat=True)
    ) == [NEW]


def test_the_operator_can_turn_the_rule_off(added: User, settings) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    browser = Client()
    sign_in(browser, NEW)
    assert is_signed_in(browser)


def test_an_unknown_setting_stops_the_start_with_a_clear_message(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "ACCOUNT_EMAIL_VERIFICATION": "sometimes",
        "TENFOLD_DATA_DIR": str(tmp_path),
    }
    env["TENFOLD_ENV_FILE"] = str(tmp_path / "no.env")
    run = subprocess.run(
        [sys.executable, "-m", "tenfold", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0
    assert "ACCOUNT_EMAIL_VERIFICATION is 'sometimes'; use one of: mandatory, optional, none" in (
        run.stderr
    )
    env["ACCOUNT_EMAIL_VERIFICATION"] = "Optional"
    assert (
        subprocess.run(
            [sys.executable, "-m", "tenfold", "check"], env=env, capture_output=True, timeout=60
        ).returncode
        == 0
    )


def test_an_upgrade_keeps_existing_accounts_able_to_sign_in(alice: User, bob: User) -> None:
    from importlib import import_module

    EmailAddress.objects.all().delete()
    migration = import_module("tenfold.accounts.migrations.0007_existing_addresses_proven")
    migration.prove_existing(apps, None)
    assert proven(alice.email) and proven(bob.email)
    browser = Client()
    sign_in(browser, bob.email, PASSWORD)
    assert is_signed_in(browser)
