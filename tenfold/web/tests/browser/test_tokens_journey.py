"""A member makes a read-only API token for a dashboard, copies it once, and revokes it."""

from __future__ import annotations

import pytest

from tenfold.accounts.models import ApiToken
from tenfold.conftest import PASSWORD
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_make_and_revoke_a_token(page, org, team, bob):
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/me/notifications/")
    page.get_by_role("link", name="Manage tokens").click()
    page.get_by_label("Name").fill("Sales dashboard")
    page.get_by_label("Read only").check()
    page.get_by_role("button", name="Make token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("tf_")
    screenshot(page, "api-token-made")
    row = page.get_by_role("row", name="Sales dashboard")
    assert row.get_by_text("Read only").is_visible()
    page.reload()
    assert page.locator("#new-token").count() == 0  # shown once
    page.get_by_role("row", name="Sales dashboard").get_by_role("button", name="Revoke").click()
    page.get_by_text("The token is revoked").wait_for()
    assert ApiToken.objects.get(user=bob).revoked_at is not None


def test_an_admin_makes_a_service_token_and_it_works(page, org, team, alice, client):
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Board wallboard")
    page.get_by_label("Read only").check()
    page.get_by_label("Viewer: reads what every member may read").check()
    page.get_by_role("button", name="Make service token").click()
    token = page.locator("#new-token").inner_text()
    assert token.startswith("tf_")
    screenshot(page, "service-token-made")
    row = page.get_by_role("row", name="Board wallboard")
    assert row.get_by_text("Viewer").is_visible()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    row.get_by_role("button", name="Revoke").click()
    page.get_by_text("The token is revoked").wait_for()
    assert ApiToken.objects.get(name="Board wallboard").revoked_at is not None
