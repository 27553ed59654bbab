"""An admin connects a webhook to a receiving system in a real browser: adds it under the
organization's settings, sends a test event with the button (htmx) and sees in the delivery
log that it got through, signed. Screenshots for a reviewer."""

from __future__ import annotations

import json

import pytest
import time_machine

from tenfold.conftest import PASSWORD
from tenfold.integrations.models import AllowedHost
from tenfold.web.tests.browser.conftest import screenshot, sign_in
from tenfold.webhooks.models import Webhook
from tenfold.webhooks.signing import verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now():
    """The live server runs on a clock that moves, inside the test quarter."""
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


def test_an_admin_adds_a_webhook_and_sends_a_test_event(page, org, team, alice, receiver):
    AllowedHost.objects.create(organization=org, host="127.0.0.1", created_by=alice)
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/webhooks/")
    page.get_by_text("No webhooks yet.").wait_for()
    page.get_by_role("link", name="Add a webhook").click()

    page.get_by_label("Name").fill("Data warehouse")
    page.get_by_label("Address").fill(receiver.url("/tenfold"))
    page.get_by_label("checkin.recorded").check()
    page.get_by_label("cycle.closed").check()
    screenshot(page, "webhook-form")
    page.get_by_role("button", name="Add webhook").click()

    webhook = Webhook.objects.get()
    page.wait_for_url(f"**/settings/webhooks/{webhook.code}/")
    page.get_by_text("Nothing sent yet.").wait_for()
    assert webhook.event_types == ["checkin.recorded", "cycle.closed"]
    page.get_by_text("Show signing secret").click()
    assert page.locator("#webhook-secret").inner_text() == webhook.secret

    page.get_by_role("button", name="Send test event").click()
    page.locator(".test-outcome").filter(has_text="Received: status 200").wait_for()
    row = page.locator(".delivery-log tbody tr").first
    row.filter(has_text="webhook.test").wait_for()  # the log was refreshed in place
    assert row.get_attribute("data-status") == "succeeded"
    assert "Succeeded" in row.inner_text()
    screenshot(page, "webhook-test-sent")

    request = receiver.wait_for(1)[0]
    assert request.path == "/tenfold"
    verify(webhook.secret, request.headers, request.body)
    assert json.loads(request.body)["type"] == "webhook.test"
