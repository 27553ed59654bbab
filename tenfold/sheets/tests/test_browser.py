"""A team lead uploads a spreadsheet, reads the preview, fixes nothing, and imports it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tenfold.conftest import PASSWORD
from tenfold.okrs.models import KeyResult, Objective
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = (
    b"Objective,Key result,Owner,Start,Target\n"
    b"Customers love onboarding,Activation from 20 to 40,bob@example.com,20,40\n"
    b"Customers love onboarding,Time to value down to 2 days,carol@example.com,6,2\n"
    b"Sell to larger teams,Win 12 large teams,bob@example.com,0,12\n"
)
BROKEN = SHEET + b"Third,Broken target,bob@example.com,0,lots\n"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    """The live server and the browser run on the real clock."""
    yield


def _upload(page, org, data: bytes, unit_name: str) -> None:
    page.goto(f"{page.base_url}/{org.slug}/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "okrs.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.locator("#id_unit").select_option(label=unit_name)
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_load_state()


def test_upload_preview_and_import(page, org, team, cycle, carol, bob):
    sign_in(page, carol.email, PASSWORD)
    _upload(page, org, BROKEN, team.name)
    problems = page.get_by_test_id("problems")
    problems.wait_for()
    assert "1 problem to fix" in problems.inner_text()
    assert problems.get_by_role("row", name="5 Target").is_visible()
    screenshot(page, "sheet-import-problems")
    assert page.get_by_test_id("apply").count() == 0
    page.get_by_role("button", name="Discard and upload another file").click()

    _upload(page, org, SHEET, team.name)
    plan = page.get_by_test_id("plan")
    plan.wait_for()
    assert "Win 12 large teams" in plan.inner_text()
    assert Objective.objects.count() == 0
    screenshot(page, "sheet-import-preview")
    page.get_by_role("button", name="Import 2 objectives and 3 key results").click()
    page.get_by_text("Imported 2 objectives and 3 key results.").wait_for()
    screenshot(page, "sheet-import-done")
    assert Objective.objects.filter(unit=team, cycle=cycle).count() == 2
    assert KeyResult.objects.filter(objective__unit=team).count() == 3
