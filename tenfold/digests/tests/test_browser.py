"""A member opens the weekly digest of their team and finds the key result that is behind;
an admin adds a subscriber after previewing what they will receive. Screenshots for a
reviewer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tenfold.checkins.services import checkin_record
from tenfold.conftest import PASSWORD
from tenfold.digests.models import Subscriber
from tenfold.lib.progress import elapsed_fraction
from tenfold.okrs.services import key_result_create
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _behind(cycle: Any) -> Decimal:
    """A value of a 0→100 key result that puts it "at risk" today: 0.3 behind the calendar."""
    today = min(timezone.localdate(), cycle.end)
    elapsed = elapsed_fraction(cycle.start, cycle.end, today)
    return max(Decimal(1), (elapsed - Decimal("0.3")) * 100).quantize(Decimal(1))


def test_a_member_reads_the_digest_and_an_admin_adds_a_subscriber(
    page, org, cycle, team, objective, key_result, alice, bob, carol
):
    lagging = key_result_create(
        objective=objective,
        title="Lift weekly active teams from 0 to 100",
        kind="increase",
        start=0,
        target=100,
        owner=bob,
        by=carol,
    )
    checkin_record(key_result=lagging, value=_behind(cycle), confidence=3, by=bob)
    checkin_record(key_result=key_result, value=38, confidence=8, by=bob)

    # 1. Bob opens the company digest, picks his team, and sees what needs attention.
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/digest/")
    page.get_by_role("heading", name="Acme: the week in OKRs").wait_for()
    page.get_by_label("Digest of").select_option(label="Growth")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**/digest/?unit={team.code}*")
    attention = page.get_by_test_id("digest-attention")
    attention.get_by_text("Lift weekly active teams from 0 to 100").wait_for()
    assert "AT RISK" in attention.inner_text().upper()
    assert "Raise activation" in page.get_by_test_id("digest-movers").inner_text()
    screenshot(page, "digest-team-page")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    # 2. Alice previews what a board member would receive, then adds them.
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/subscribers/")
    page.get_by_label("Email address").fill("board@example.org")
    page.get_by_label("Key results that need attention").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    preview.get_by_text("Lift weekly active teams from 0 to 100").wait_for()
    assert "Bob Member" not in preview.inner_text()  # no names unless ticked
    screenshot(page, "digest-subscriber-preview")
    page.get_by_role("button", name="Add subscriber").click()
    page.wait_for_url("**/settings/subscribers/*/")
    page.get_by_role("heading", name="What they receive").wait_for()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "board@example.org"
    assert subscriber.sections == ["summary", "objectives", "at_risk", "highlights"]
    assert not subscriber.include_names
    screenshot(page, "digest-subscriber-added")
