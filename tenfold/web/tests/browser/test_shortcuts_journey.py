"""A member gets around with the keyboard alone: `?` shows the shortcuts, Ctrl+K opens the
palette, a few letters of an objective find it, the arrow keys choose it and Enter opens it;
`g w` goes to my week, where `c` puts the cursor in a check-in field; keys typed into a field
stay in the field."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tenfold.conftest import PASSWORD
from tenfold.okrs.services import objective_create

from .conftest import screenshot, sign_in
from .test_accessibility import axe_check, report
from .test_accessibility import axe_source as axe_source  # a fixture, used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=True):
        yield


def active_option(page: Any) -> str:
    """The text of the option the palette's field points at (aria-activedescendant)."""
    chosen = page.locator("#palette-q").get_attribute("aria-activedescendant")
    assert chosen, "no option is active"
    option = page.locator(f"#{chosen}")
    assert option.get_attribute("aria-selected") == "true"
    return option.locator(".palette-title").inner_text()


def test_a_member_gets_around_with_the_keyboard(
    page, org, cycle, team, objective, key_result, alice, bob
) -> None:
    objective_create(
        organization=org, cycle=cycle, unit=team, title="Onboarding checklist", by=alice
    )
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/")
    page.wait_for_load_state("load")

    # ? shows the sheet of shortcuts; Esc closes it.
    sheet = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert not sheet.is_visible()
    page.keyboard.press("?")
    sheet.wait_for(state="visible")
    assert sheet.get_by_text("Go to my week").is_visible()
    assert sheet.locator(".keys-row").count() == 9
    screenshot(page, "shortcuts-sheet")
    page.keyboard.press("Escape")
    sheet.wait_for(state="hidden")

    # Ctrl+K opens the palette with the cursor in its field; every action is offered first.
    page.keyboard.press("Control+k")
    palette = page.get_by_role("dialog", name="Search Acme and go")
    palette.wait_for(state="visible")
    field = palette.get_by_role("combobox")
    assert field.evaluate("element => element === document.activeElement")
    palette.get_by_role("option", name="Go to my week").wait_for()

    # Part of a title: the one that starts with it first, the other below it.
    page.keyboard.type("onboard")
    listbox = palette.get_by_role("listbox")
    listbox.get_by_role("option", name="Customers love onboarding").wait_for()
    names = [o.locator(".palette-title").inner_text() for o in listbox.get_by_role("option").all()]
    assert names == ["Onboarding checklist", "Customers love onboarding"]
    assert field.get_attribute("aria-expanded") == "true"
    assert active_option(page) == "Onboarding checklist"
    page.wait_for_function("document.getElementById('palette-live').textContent === '2 results'")
    screenshot(page, "command-palette")
    page.keyboard.press("ArrowDown")
    assert active_option(page) == "Customers love onboarding"
    page.keyboard.press("ArrowDown")  # round to the top
    assert active_option(page) == "Onboarding checklist"
    page.keyboard.press("ArrowUp")
    assert active_option(page) == "Customers love onboarding"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{org.slug}/objectives/{objective.code}/")
    assert page.get_by_role("heading", name="Customers love onboarding").is_visible()
    # c on a page with a check-in form: the cursor goes to its value field.
    page.keyboard.press("c")
    assert page.evaluate("document.activeElement.closest('.checkin-form .checkin-value') !== null")
    page.locator("h1").first.click()

    # g then w: my week. c puts the cursor in the first check-in field.
    page.keyboard.press("g")
    page.keyboard.press("w")
    page.wait_for_url(f"**/{org.slug}/week/")
    page.keyboard.press("c")
    focused = page.evaluate("document.activeElement.className")
    assert "checkin-value" in focused

    # Keys typed into a field stay there: no sheet, no palette, no navigation.
    page.keyboard.type("?/gw")
    assert page.locator(f"#kr-{key_result.code} .checkin-value").input_value() == "?/gw"
    assert not sheet.is_visible() and not palette.is_visible()
    assert page.url.endswith(f"/{org.slug}/week/")

    # / opens the palette too; Esc closes it and gives the cursor back.
    page.locator(f"#kr-{key_result.code} .checkin-value").fill("")
    page.locator("h1").first.click()
    page.keyboard.press("/")
    palette.wait_for(state="visible")
    assert field.input_value() == ""  # a new page: the palette starts afresh
    palette.get_by_role("option", name="Go to my team's week").wait_for()
    assert active_option(page) == "Go to my week"
    page.keyboard.press("Escape")
    palette.wait_for(state="hidden")

    # g t: the team's week.
    page.keyboard.press("g")
    page.keyboard.press("t")
    page.wait_for_url(f"**/{org.slug}/units/{team.code}/week/")


def test_the_search_button_opens_the_palette_and_enter_opens_the_first_match(
    page, org, cycle, team, objective, key_result, bob
) -> None:
    sign_in(page, bob.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/tree/")
    page.get_by_role("link", name="Search").click()
    palette = page.get_by_role("dialog", name="Search Acme and go")
    palette.wait_for(state="visible")
    assert page.url.endswith("/tree/")  # the link opened the palette instead of the page
    # Typed and Enter at once: the first match of what was typed opens when it arrives.
    page.keyboard.type("raise activ")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{org.slug}/key-results/{key_result.code}/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_palette_the_sheet_and_the_search_page_pass_axe(
    browser, live_server, axe_source, org, cycle, team, objective, key_result, alice, bob, scheme
) -> None:
    """axe-core (as `test_accessibility` runs it) with the dialogs open: the labelled dialog,
    the combobox and its listbox, the chosen option, an empty list, the sheet; and the search
    page with results and with an error."""
    for n in range(10):
        objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Onboarding step {n}", by=alice
        )
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
    page.goto(f"{page.base_url}/{org.slug}/")
    page.keyboard.press("Control+k")
    page.get_by_role("option", name="Go to my week").wait_for()
    found += axe_check(page, axe_source, "palette, nothing typed", scheme)
    page.keyboard.type("onboarding")
    page.get_by_role("option", name="Onboarding step 0").wait_for()
    page.keyboard.press("ArrowDown")
    found += axe_check(page, axe_source, "palette with results", scheme)
    page.keyboard.type("zzz")
    page.wait_for_function(
        "document.querySelector('#palette-results .palette-body').dataset.query === 'onboardingzzz'"
    )
    found += axe_check(page, axe_source, "palette, nothing found", scheme)
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    page.get_by_role("dialog", name="Keyboard shortcuts").wait_for()
    found += axe_check(page, axe_source, "shortcuts sheet", scheme)
    page.goto(f"{page.base_url}/{org.slug}/search/?q=onboarding")
    found += axe_check(page, axe_source, "search page", scheme)
    page.goto(f"{page.base_url}/{org.slug}/search/?q={'x' * 120}")
    found += axe_check(page, axe_source, "search page, too long", scheme)
    context.close()
    assert found == [], report(found)
