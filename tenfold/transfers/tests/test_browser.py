"""An owner exports the organization from the data page: the row shows a progress bar that
follows the job, then the Download link, and the file downloads under its proper name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tenfold.conftest import PASSWORD
from tenfold.transfers import services
from tenfold.transfers.models import Status, Transfer
from tenfold.web.tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_shows_progress_then_a_download(page, org, objective, alice, monkeypatch):
    # The worker is played by the test: the request only queues the job, so the page can be
    # seen while the job waits and runs.
    queued: list[int] = []
    monkeypatch.setattr(services, "enqueue", queued.append)

    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/data/")
    page.get_by_label("Format").select_option("json")
    page.get_by_role("button", name="Start export").click()
    page.get_by_text("The export has started").wait_for()
    row = page.locator("tr.transfer").first
    assert row.get_by_test_id("progress-text").inner_text() == "Waiting to start"
    assert row.locator("progress").count() == 1
    assert len(queued) == 1
    transfer = Transfer.objects.get(pk=queued[0])

    # The worker takes it and reports how far it is; the row follows within a second or two.
    Transfer.objects.filter(pk=transfer.pk).update(
        status=Status.RUNNING, done=2, total=5, label="Objectives"
    )
    row.get_by_text("2 of 5 (40%) · Objectives").wait_for()
    bar = row.locator("progress")
    assert bar.get_attribute("value") == "2" and bar.get_attribute("max") == "5"
    screenshot(page, "transfers-export-running")

    # The work finishes (with the real JSON exporter); the row shows the link and stops asking.
    Transfer.objects.filter(pk=transfer.pk).update(status=Status.QUEUED)
    assert services.run(transfer.pk) == Status.DONE, Transfer.objects.get(pk=transfer.pk).error
    link = row.get_by_role("link", name="Download")
    link.wait_for()
    assert row.locator("progress").count() == 0
    assert page.locator("#main [hx-trigger]").count() == 0  # (the search palette is apart)
    screenshot(page, "transfers-export-done")

    with page.expect_download() as caught:
        link.click()
    download: Any = caught.value
    assert download.suggested_filename == Transfer.objects.get(pk=transfer.pk).download_name
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert objective.code in json.dumps(document)


def test_cancel_from_the_page_stops_a_running_export(page, org, alice, monkeypatch):
    monkeypatch.setattr(services, "enqueue", lambda transfer_id: None)
    transfer = services.start_export(org, alice, "json")
    Transfer.objects.filter(pk=transfer.pk).update(status=Status.RUNNING, done=1, total=9)

    sign_in(page, alice.email, PASSWORD)
    page.goto(f"{page.base_url}/{org.slug}/settings/data/")
    row = page.locator(f"#transfer-{transfer.code}")
    row.get_by_role("button", name="Cancel").click()
    row.get_by_text("· stopping").wait_for()
    assert row.get_by_role("button", name="Cancel").count() == 0
    transfer.refresh_from_db()
    assert transfer.cancel_requested
