"""Invitations in a real browser: an admin invites a new address from the people page, the
email arrives in a real (loopback) mailbox, the invited person opens its link in a browser of
their own, chooses a name and a password and lands in the organization with the invited role;
the same link used a second time is refused with a clear message that names no organization."""

import re
from typing import Any

import pytest

from tenfold.conftest import PASSWORD
from tenfold.organizations.models import Invitation, Membership

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet-harbour-lantern-42"
USED = "This invitation has been accepted already. Sign in to continue."


def fresh_tab(browser: Any, base_url: str) -> Any:
    """A tab in a browser context of its own: no cookies, nobody signed in."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = base_url
    return tab


def test_an_invited_person_joins_with_the_link_once(
    page: Any,
    browser: Any,
    live_server: Any,
    settings: Any,
    smtp: Any,
    org: Any,
    team: Any,
    alice: Any,
) -> None:
    settings.SITE_URL = live_server.url  # the link in the email points at this server
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/people/")
    inviting = page.get_by_role("region", name="Invite someone")
    inviting.get_by_label("Email").fill("dana@example.com")
    inviting.get_by_label("Role").select_option("lead")
    inviting.get_by_label("Growth").check()
    inviting.get_by_role("button", name="Invite").click()
    page.get_by_text("An invitation is on its way to dana@example.com.").wait_for()
    waiting = page.get_by_test_id("pending-invitations")
    assert "dana@example.com" in waiting.inner_text()
    assert "Growth" in waiting.inner_text()
    screenshot(page, "invitation-sent")

    (message,) = smtp.wait_for(1)
    assert message["To"] == "dana@example.com"
    assert "Acme" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"https?://\S+/invitations/[\w-]+/", text)
    assert found, text
    link = found.group(0)
    assert link.startswith(live_server.url + "/invitations/")

    dana = fresh_tab(browser, live_server.url)
    try:
        dana.goto(link)
        dana.get_by_role("heading", name="Join Acme").wait_for()
        dana.get_by_label("Your name").fill("Dana Reyes")
        dana.get_by_label("Password:", exact=True).fill(NEW_PASSWORD)
        dana.get_by_label("Password again").fill(NEW_PASSWORD)
        screenshot(dana, "invitation-accept")
        dana.get_by_role("button", name="Create my account and join").click()
        dana.get_by_text("Welcome to Acme.").wait_for()
        assert dana.url == f"{live_server.url}/{org.slug}/"
        screenshot(dana, "invitation-joined")
        membership = Membership.objects.select_related("user").get(
            organization=org, user__email="dana@example.com"
        )
        assert (membership.role, membership.user.name) == ("lead", "Dana Reyes")
        assert membership.user.check_password(NEW_PASSWORD)
        assert list(team.members.filter(user=membership.user).values_list("is_lead")) == [(False,)]
        assert Invitation.objects.get().accepted_at is not None

        # Dana, now signed in, opens the link again: it is used up.
        answer = dana.goto(link)
        assert answer.status == 404
        assert dana.get_by_test_id("invitation-gone").inner_text() == USED
    finally:
        dana.context.close()

    stranger = fresh_tab(browser, live_server.url)
    try:
        answer = stranger.goto(link)
        assert answer.status == 404
        assert stranger.get_by_test_id("invitation-gone").inner_text() == USED
        assert "Acme" not in stranger.locator("main").inner_text()
        assert stranger.get_by_label("Your name").count() == 0
        screenshot(stranger, "invitation-used")
    finally:
        stranger.context.close()
    assert Membership.objects.filter(organization=org).count() == 5
    assert Membership.objects.filter(user__email="dana@example.com").count() == 1
