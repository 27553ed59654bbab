"""A member presents the company dashboard: "Present" opens the slides, one at a time; the
arrow keys, Space, Home and End move through them and the counter follows; the shortcuts of
keys.js still answer; Esc goes back to the dashboard. The decks pass axe in both schemes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine

from tenfold.checkins.services import checkin_record
from tenfold.conftest import PASSWORD
from tenfold.okrs.services import (
    alignment_link,
    cycle_set_state,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.reviews.models import Review
from tenfold.reviews.services import review_update

from .conftest import screenshot, sign_in
from .test_accessibility import axe_check, report
from .test_accessibility import axe_source as axe_source  # a fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


@pytest.fixture
def company_objective(org, cycle, company, objective, key_result, alice, bob, carol) -> Any:
    top = objective_create(
        organization=org, cycle=cycle, unit=company, title="Be loved", state="active", by=alice
    )
    nps = key_result_create(
        objective=top,
        title="Net promoter score from 0 to 100",
        kind="increase",
        start=Decimal(0),
        target=Decimal(100),
        owner=bob,
        by=alice,
    )
    alignment_link(child=objective, parent_objective=top, by=carol)
    checkin_record(key_result=nps, value=Decimal(10), by=bob)
    checkin_record(key_result=key_result, value=Decimal(30), by=bob)
    return top


def visible_slides(page: Any) -> list[str]:
    return page.locator("section.slide").evaluate_all(
        "slides => slides.filter(s => s.offsetParent !== null)"
        ".map(s => s.querySelector('h1, h2').textContent)"
    )


def test_a_member_presents_the_dashboard_with_the_keyboard(page, org, company_objective, bob):
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/dashboard/")
    page.get_by_role("link", name="Present").click()
    page.wait_for_url(f"**/{org.slug}/dashboard/present/?cycle=*")
    counter = page.get_by_test_id("slide-counter")

    # Slide 1 alone: the organization, the cycle, its share gone by and the company's progress.
    counter.get_by_text("1 / 5").wait_for()
    assert visible_slides(page) == ["Acme"]
    assert page.locator(".topbar").is_hidden()
    assert counter.get_attribute("aria-live") == "polite"
    assert counter.inner_text().strip().startswith("1 / 5")
    assert page.get_by_role("heading", name="Acme").is_visible()
    assert page.get_by_test_id("elapsed").get_by_text("52 %").is_visible()  # 48 of 92 days
    screenshot(page, "present-dashboard-title")

    # → the first company objective, with its key result and the team objective aligned.
    page.keyboard.press("ArrowRight")
    counter.get_by_text("2 / 5").wait_for()
    assert visible_slides(page) == ["Be loved"]
    slide = page.locator(f'section[data-objective="{company_objective.code}"]')
    assert slide.get_by_text("Net promoter score from 0 to 100").is_visible()
    assert slide.get_by_text("1 team objective aligned").is_visible()
    assert page.url.endswith("#slide-2")
    screenshot(page, "present-dashboard-objective")

    # Space, End, Home and ← move too; past either end the deck stays put.
    page.keyboard.press(" ")
    counter.get_by_text("3 / 5").wait_for()
    assert visible_slides(page) == ["Status at a glance"]
    page.keyboard.press("End")
    counter.get_by_text("5 / 5").wait_for()
    page.keyboard.press("ArrowRight")
    assert counter.inner_text().strip().startswith("5 / 5")
    page.keyboard.press("Home")
    counter.get_by_text("1 / 5").wait_for()
    page.keyboard.press("ArrowLeft")
    assert counter.inner_text().strip().startswith("1 / 5")
    page.keyboard.press("PageDown")
    counter.get_by_text("2 / 5").wait_for()

    # ? still shows the shortcuts of keys.js, and Esc then closes the sheet, not the deck.
    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    page.keyboard.press("?")
    sheet.wait_for(state="visible")
    page.keyboard.press("Escape")
    sheet.wait_for(state="hidden")
    assert "/dashboard/present/" in page.url
    assert counter.inner_text().strip().startswith("2 / 5")

    # Esc outside full screen: back to the dashboard.
    page.keyboard.press("Escape")
    page.wait_for_url(f"**/{org.slug}/dashboard/?cycle=*")
    assert page.get_by_role("heading", name="Company objectives").is_visible()


def test_without_the_script_every_slide_shows(browser, live_server, org, company_objective, bob):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.base_url = live_server.url
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/dashboard/present/")
    assert page.locator("section.slide").count() == 5
    for index in range(5):
        assert page.locator("section.slide").nth(index).is_visible()
    assert page.get_by_role("link", name="Exit").is_visible()
    assert page.get_by_role("button", name="Next").is_hidden()
    context.close()


@pytest.fixture
def reviewed(org, cycle, team, company_objective, alice, carol) -> Any:
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    review = Review.objects.get(cycle=cycle, unit=team)
    review_update(
        access=access_for(Membership.objects.get(organization=org, user=carol)),
        review=review,
        learn_stop="Long planning meetings",
        learn_start="Weekly demos\nShorter check-ins",
        learn_continue="Pairing",
    )
    return cycle


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_decks_pass_axe(browser, live_server, axe_source, org, reviewed, bob, scheme):
    # axe is put into the page as an inline script, which the policy would refuse.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.emulate_media(color_scheme=scheme)
    sign_in(page, bob.email, PASSWORD)
    found = []
    page.goto(f"{page.base_url}/{org.slug}/dashboard/present/")
    counter = page.get_by_test_id("slide-counter")
    for number in range(1, 6):
        counter.get_by_text(f"{number} / 5").wait_for()
        found += axe_check(page, axe_source, f"dashboard deck, slide {number}", scheme)
        page.keyboard.press("ArrowRight")
    page.goto(f"{page.base_url}/{org.slug}/cycles/{reviewed.code}/reviews/")
    page.get_by_role("link", name="Present").click()
    counter.get_by_text("1 / 3").wait_for()
    page.keyboard.press("ArrowRight")
    counter.get_by_text("2 / 3").wait_for()
    assert page.get_by_text("Shorter check-ins").is_visible()
    screenshot(page, f"present-review-{scheme}")
    found += axe_check(page, axe_source, "review deck, a team", scheme)
    page.keyboard.press("ArrowRight")
    counter.get_by_text("3 / 3").wait_for()
    found += axe_check(page, axe_source, "review deck, the company", scheme)
    context.close()
    assert not found, report(found)
