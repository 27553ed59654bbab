"""Two-factor sign-in in a real browser: a person turns on an authenticator app from their
own settings page, signs out, and signs in again with a password and the app's code; a wrong
code keeps them out."""

from typing import Any

import pytest

from tenfold.accounts.tests.test_two_factor import totp_code
from tenfold.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_turn_on_two_factor_then_sign_in_with_a_code(page: Any, org: Any, alice: Any) -> None:
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/me/notifications/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("link", name="Activate").first.click()
    # Changing how one signs in asks for the password again.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    screenshot(page, "two-factor-activate")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    assert "/accounts/2fa/" in page.url

    page.context.clear_cookies()  # signed out
    sign_in(page, alice.email, PASSWORD)
    code_field = page.get_by_label("Code")
    code_field.wait_for()
    assert f"/{org.slug}/" not in page.url  # not in yet: the code is asked for first
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    code_field.fill(wrong)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("Incorrect code.").wait_for()

    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    page.goto(f"{page.base_url}/{org.slug}/me/notifications/")
    assert page.get_by_role("link", name="Two-factor sign-in").is_visible()
    screenshot(page, "two-factor-signed-in")
