"""A team lead writes a weak key result, sees the coach's suggestion as she types and applies
its rewrite; then writes a first OKR with the wizard and ticks a step of the adoption
checklist. Screenshots for a reviewer."""

from __future__ import annotations

from typing import Any

import pytest

from tenfold.adoption.models import ChecklistItem
from tenfold.conftest import PASSWORD
from tenfold.okrs.models import Alignment, KeyResult, Objective
from tenfold.okrs.services import objective_create
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now() -> Any:
    """The live server runs on real time (the cycle fixture covers the whole quarter)."""
    yield


def test_the_coach_suggests_and_the_wizard_guides(
    page, org, cycle, company, team, objective, alice, carol
):
    parent = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Customers love their first month",
        by=alice,
    )
    sign_in(page, carol.email, PASSWORD)

    # 1. A key result that counts outputs: the coach says so while she types.
    page.goto(f"{page.base_url}/{org.slug}/objectives/{objective.code}/key-results/new/")
    title = page.get_by_label("Key result:", exact=True)
    title.fill("Write 4 blog posts")
    finding = page.locator('.finding[data-rule="kr.counts_outputs"]')
    finding.wait_for()
    screenshot(page, "coach-live-suggestion")
    suggested = finding.locator("[data-coach-apply]").get_attribute("data-coach-apply")
    assert suggested and suggested != "Write 4 blog posts"
    finding.get_by_role("button", name="Use this wording").click()
    assert title.input_value() == suggested
    # The coach reads the new wording: the output finding is gone.
    page.locator('.finding[data-rule="kr.counts_outputs"]').wait_for(state="detached")
    title.fill("Raise weekly readers from 1200 to 3000")
    page.get_by_label("Start value").fill("1200")
    page.get_by_label("Target").fill("3000")
    page.get_by_text("The coach has nothing to add").wait_for()
    page.get_by_role("button", name="Add key result").click()
    page.wait_for_url(f"**/objectives/{objective.code}/")
    assert KeyResult.objects.filter(
        objective=objective, title__startswith="Raise weekly readers"
    ).exists()
    page.locator("#coach .coach-head").wait_for()  # the objective page's coach card loads
    screenshot(page, "coach-objective-card")

    # 2. The wizard, from the problem to a draft objective aligned to the company.
    page.goto(f"{page.base_url}/{org.slug}/coach/wizard/")
    page.get_by_label("The problem or opportunity").fill(
        "New customers give up before they see any value"
    )
    page.get_by_label("Why does it matter?").fill("Most cancellations happen in the first month")
    page.get_by_role("button", name="Ask “why?” again").click()
    page.get_by_label("And why does that matter?").fill(
        "Every early cancellation costs us a year of revenue"
    )
    screenshot(page, "wizard-problem")
    page.get_by_role("button", name="Next: the objective").click()
    page.get_by_label("Objective", exact=True).fill("New customers see value in their first week")
    page.get_by_label("Team").select_option(label="Growth")
    page.get_by_role("button", name="Next: key results").click()
    rows = [
        ("increase", "week-one activation", "30", "45", "%"),
        ("decrease", "time to first report", "3", "1", "days"),
        ("keep_below", "support tickets per new account", "", "2", ""),
    ]
    for n, (shape, metric, start, target, unit) in enumerate(rows, start=1):
        page.get_by_label(f"Shape {n}").select_option(shape)
        page.locator(f"#w-metric-{n}").fill(metric)
        page.locator(f"#w-start-{n}").fill(start)
        page.locator(f"#w-target-{n}").fill(target)
        page.locator(f"#w-unit-{n}").fill(unit)
    screenshot(page, "wizard-key-results")
    page.get_by_role("button", name="Next: the coach's check").click()
    page.get_by_role("heading", name="The coach's check").wait_for()
    screenshot(page, "wizard-check")
    page.get_by_role("button", name="Next: alignment").click()
    page.get_by_label(parent.title).check()
    page.get_by_role("button", name="Create the draft objective").click()
    page.get_by_text("saved as a draft").wait_for()
    created = Objective.objects.get(title="New customers see value in their first week")
    assert created.state == "draft" and created.key_results.count() == 3
    assert Alignment.objects.filter(child=created, parent_objective=parent).exists()
    screenshot(page, "wizard-created")

    # 3. The adoption checklist: the lead's view, then the owner ticks the first step.
    page.goto(f"{page.base_url}/{org.slug}/adoption/")
    page.get_by_text("0 of 9 done").wait_for()
    page.context.clear_cookies()
    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/adoption/")
    page.get_by_role("button", name="Mark as done: Everyone learns the basics of OKRs").click()
    page.get_by_text("1 of 9 done").wait_for()
    assert ChecklistItem.objects.get(organization=org, key="learn").done_by == alice
    screenshot(page, "adoption-checklist-ticked")
