"""An administrator opens the replies-by-email settings and sees a reply that was applied.
Screenshot for a reviewer."""

from __future__ import annotations

from typing import Any

import pytest

from tenfold.checkins.weekly import week_of
from tenfold.conftest import PASSWORD
from tenfold.mailin.services import reply_apply
from tenfold.web.tests.browser.conftest import screenshot, sign_in

from .conftest import build_reply, token_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now() -> Any:
    """The live server runs on real time: the reply is for the week it is now."""
    yield


def test_an_admin_sees_the_reply_that_was_applied(page, org, team, alice, bob):
    token = token_of(bob, org, week_of(org))
    outcome = reply_apply(
        raw=build_reply(token=token, body="Plans:\n- Call the three pilot customers")
    )
    assert outcome.status == "applied", outcome.errors

    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/inbound/")
    assert page.get_by_role("heading", name="Replies by email").is_visible()
    table = page.locator("#inbound-messages")
    row = table.locator("tbody tr").first
    assert "Bob Member" in row.inner_text()
    assert "Applied" in row.inner_text()
    assert "Plans: Call the three pilot customers" in row.inner_text()
    assert page.get_by_text("https://okr.example.com/inbound/email/").first.is_visible()
    screenshot(page, "mailin-settings-inbound")
