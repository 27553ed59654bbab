"""A team lead signs in, writes an objective with two key results and checks in on one:
the key result, the objective and the company objective it aligns to all move."""

import pytest
import time_machine

from tenfold.conftest import PASSWORD
from tenfold.okrs.models import Objective
from tenfold.okrs.services import objective_create

from .conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=True):
        yield


def add_key_result(page, org, objective, title, start, target):
    page.goto(f"{page.base_url}/{org.slug}/objectives/{objective.code}/key-results/new/")
    page.get_by_label("Key result:", exact=True).fill(title)
    page.get_by_label("Kind").select_option("increase")
    page.get_by_label("Start value").fill(start)
    page.get_by_label("Target").fill(target)
    page.get_by_role("button", name="Add key result").click()
    page.wait_for_url(f"**/objectives/{objective.code}/")


def test_a_lead_writes_an_objective_and_checks_in(page, org, company, team, cycle, alice, carol):
    company_objective = objective_create(
        organization=org, cycle=cycle, unit=company, title="Customers succeed in week one", by=alice
    )
    sign_in(page, carol.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/objectives/new/?unit={team.code}")
    page.get_by_label("Objective:", exact=True).fill("Trials become habits")
    page.get_by_label("Why it matters").fill("Teams that check in twice keep using us.")
    page.get_by_role("button", name="Create objective").click()
    page.wait_for_url("**/objectives/*/")
    objective = Objective.objects.get(title="Trials become habits")

    page.get_by_label("Contributes to").select_option(f"o:{company_objective.code}")
    page.get_by_role("button", name="Align", exact=True).click()
    page.wait_for_url(f"**/objectives/{objective.code}/")

    add_key_result(page, org, objective, "Raise week-two retention from 40% to 60%", "40", "60")
    add_key_result(page, org, objective, "Grow weekly check-ins from 100 to 300", "100", "300")
    assert page.get_by_test_id("kr").count() == 2

    first = page.get_by_test_id("kr").first
    first.get_by_label("New value").fill("50")
    first.get_by_label("Confidence (0–10)").fill("7")
    first.get_by_label("Note").fill("New reminder email")
    first.get_by_role("button", name="Check in").click()
    page.get_by_text("Check-in saved.").wait_for()
    assert page.get_by_test_id("objective-progress").inner_text() == "25 %"
    screenshot(page, "objective-after-check-in")
    screenshot(page, "objective-phone", width=390)

    objective.refresh_from_db()
    company_objective.refresh_from_db()
    assert str(objective.progress) == "0.2500"
    assert str(company_objective.progress) == "0.2500"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{page.base_url}/{org.slug}/")
    assert "25 %" in page.content()
    screenshot(page, "company-page")
