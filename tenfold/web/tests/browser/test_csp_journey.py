"""The Content-Security-Policy in a real browser: an owner opens the dashboard, expands the
alignment tree, checks in on an objective page and adds an idea with Ctrl+Enter. The browser
reports no violation of the policy, and everything htmx does still works without eval."""

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from tenfold.conftest import PASSWORD

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded in every document before its own scripts run.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=True):
        yield


def violations(page: Any) -> list[str]:
    """The violations this document reported so far."""
    found: list[str] = page.evaluate("() => window.__violations")
    return found


def test_pages_and_htmx_work_under_the_policy_without_a_violation(
    page: Any,
    org: Any,
    company: Any,
    team: Any,
    cycle: Any,
    objective: Any,
    key_result: Any,
    alice: Any,
) -> None:
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(WATCH)
    sign_in(page, alice.email, PASSWORD)

    response = page.goto(f"{page.base_url}/{org.slug}/dashboard/")
    assert "'nonce-" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert violations(page) == []

    page.goto(f"{page.base_url}/{org.slug}/tree/")
    toggle = page.get_by_role("button", name="Objectives and units of Product")
    toggle.click()
    page.get_by_role("link", name="Growth").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"  # tree.js ran, after htmx's swap
    assert violations(page) == []

    page.goto(f"{page.base_url}/{org.slug}/objectives/{objective.code}/")
    card = page.get_by_test_id("kr").first
    card.get_by_label("New value").fill("30")
    card.get_by_label("Confidence (0–10)").fill("8")
    card.get_by_role("button", name="Check in").click()
    page.get_by_text("Check-in saved.").wait_for()
    assert page.get_by_test_id("objective-progress").inner_text() == "50 %"
    assert violations(page) == []
    screenshot(page, "csp-objective-after-check-in")

    page.goto(f"{page.base_url}/{org.slug}/ideas/")
    idea = page.get_by_label("Your idea").first
    text = "Ask new teams what they check in on first"
    idea.press_sequentially(text)
    assert idea.input_value() == text  # typing alone sends nothing
    idea.press("Control+Enter")
    page.get_by_text("Idea added. Thank you!").wait_for()
    assert violations(page) == []
    assert refused == []

    # The watch does see a refusal: a script injected without the nonce is blocked.
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.head.appendChild(script);
        }"""
    )
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("() => window.__ran === undefined")
    assert violations(page)[0].startswith("script-src-elem inline")
