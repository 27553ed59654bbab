"""An owner works through the checklist in a real browser: ticking a step off and editing one
in place (both htmx), then a lead opens a sandbox. Screenshots for a reviewer."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tenfold.adoption.models import ChecklistItem, Sandbox
from tenfold.conftest import PASSWORD
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now() -> Any:
    """The live server runs on real time here (the other adoption tests freeze it)."""
    yield


def test_an_owner_ticks_and_edits_steps_in_place(page, org, team, alice, carol):
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/adoption/")
    page.get_by_text("0 of 9 done").wait_for()
    screenshot(page, "adoption-page")

    page.get_by_role("button", name="Mark as done: Everyone learns the basics of OKRs").click()
    page.get_by_text("1 of 9 done").wait_for()
    assert ChecklistItem.objects.get(organization=org, key="learn").done_by == alice

    page.get_by_role("link", name=re.compile(r"^Edit\s*:\s*Browse example OKRs$")).click()
    row = page.locator("[data-testid=step-edit]")
    row.get_by_label("Owner").select_option(label="Carol Lead")
    row.get_by_label("Note").fill("Carol picks five examples")
    row.get_by_role("button", name="Save").click()
    page.get_by_text("Carol picks five examples").wait_for()
    step = ChecklistItem.objects.get(organization=org, key="examples")
    assert step.owner == carol and step.note == "Carol picks five examples"
    assert page.url.endswith("/adoption/")  # edited in place, no navigation
    screenshot(page, "adoption-checklist-edited")


def test_a_lead_opens_a_sandbox(page, org, team, carol, fast_sandbox):
    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/adoption/")
    page.get_by_role("button", name="Open my sandbox").click()
    page.wait_for_load_state()
    sandbox = Sandbox.objects.get(person=carol)
    assert f"/{sandbox.organization.slug}/week/" in page.url
    page.get_by_text("Your sandbox is ready").wait_for()
