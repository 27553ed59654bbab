"""The import page: upload → preview (nothing written) → import; and the export links."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenfold.okrs.models import KeyResult, Objective

pytestmark = pytest.mark.django_db

GOOD = (
    b"Objective,Key result,Owner,Start,Target,Current\n"
    b"Customers love onboarding,Activation,bob@example.com,20,40,30\n"
    b"Customers love onboarding,Calls,bob@example.com,0,10,2\n"
)
BAD = GOOD + b"Second,Broken,nobody@example.com,0,abc,1\n"


def upload(client, org, data: bytes, name: str = "okrs.csv", **fields):
    url = reverse("sheet_import", kwargs={"org": org.slug})
    return client.post(url, {"file": SimpleUploadedFile(name, data), **fields})


def kept_files(settings) -> list[Path]:
    folder = Path(settings.IMPORTS_DIR)
    return list(folder.iterdir()) if folder.exists() else []


def test_upload_preview_then_import(client, org, team, cycle, carol, settings):
    client.force_login(carol)
    page = client.get(reverse("sheet_import", kwargs={"org": org.slug}))
    assert page.status_code == 200
    assert reverse("sheet_export_xlsx", kwargs={"org": org.slug}) in page.text
    response = upload(client, org, GOOD, unit=team.code, cycle=cycle.code)
    preview_url = reverse("sheet_import_preview", kwargs={"org": org.slug})
    assert response.status_code == 302 and response.url == preview_url
    assert len(kept_files(settings)) == 1
    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert "Import 1 objectives and 2 key results" in preview.text
    assert "Customers love onboarding" in preview.text
    assert not Objective.objects.exists()  # the preview writes nothing
    done = client.post(preview_url, {"action": "import"})
    assert done.status_code == 302
    assert done.url == reverse("company", kwargs={"org": org.slug})
    objective = Objective.objects.get()
    assert (objective.unit, objective.cycle) == (team, cycle)
    assert KeyResult.objects.filter(objective=objective).count() == 2
    assert kept_files(settings) == []
    followed = client.get(done.url)
    assert "Imported 1 objectives and 2 key results." in followed.text


def test_problems_are_listed_by_row_and_nothing_is_imported(client, org, team, cycle, alice):
    client.force_login(alice)
    upload(client, org, BAD, unit=team.code)
    preview_url = reverse("sheet_import_preview", kwargs={"org": org.slug})
    page = client.get(preview_url)
    assert page.status_code == 200
    assert "2 problems to fix" in page.text
    assert "nobody@example.com" in page.text and "“abc” is not a number." in page.text
    assert 'data-testid="apply"' not in page.text
    refused = client.post(preview_url, {"action": "import"})
    assert refused.status_code == 400
    assert not Objective.objects.exists()


def test_an_htmx_import_redirects_the_page(client, org, team, cycle, alice):
    client.force_login(alice)
    upload(client, org, GOOD, unit=team.code)
    url = reverse("sheet_import_preview", kwargs={"org": org.slug})
    response = client.post(url, {"action": "import"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("company", kwargs={"org": org.slug})
    assert Objective.objects.count() == 1


def test_discarding_removes_the_file(client, org, team, cycle, alice, settings):
    client.force_login(alice)
    upload(client, org, GOOD, unit=team.code)
    url = reverse("sheet_import_preview", kwargs={"org": org.slug})
    response = client.post(url, {"action": "discard"})
    assert response.status_code == 302
    assert kept_files(settings) == []
    assert client.get(url).status_code == 302  # nothing waits any more
    assert not Objective.objects.exists()


def test_the_kept_file_belongs_to_the_session_that_uploaded_it(
    client, org, team, cycle, alice, carol
):
    client.force_login(alice)
    upload(client, org, GOOD, unit=team.code)
    from django.test import Client

    other = Client()
    other.force_login(carol)
    url = reverse("sheet_import_preview", kwargs={"org": org.slug})
    assert other.post(url, {"action": "import"}).status_code == 302
    assert not Objective.objects.exists()


def test_a_file_over_the_limit_is_refused_on_upload(client, org, team, cycle, alice, settings):
    settings.TENFOLD_IMPORT_MAX_BYTES = 50
    client.force_login(alice)
    response = upload(client, org, GOOD)
    assert response.status_code == 400
    assert "files up to 50 B can be imported" in response.text
    assert kept_files(settings) == []


def test_an_empty_upload(client, org, team, alice):
    client.force_login(alice)
    response = client.post(reverse("sheet_import", kwargs={"org": org.slug}), {})
    assert response.status_code == 400
    assert "This field is required." in response.text


def test_viewers_may_not_import(client, org, team, victor):
    client.force_login(victor)
    assert client.get(reverse("sheet_import", kwargs={"org": org.slug})).status_code == 403
    response = upload(client, org, GOOD)
    assert response.status_code == 403


def test_exports_download_what_the_viewer_may_see(client, org, objective, key_result, victor):
    client.force_login(victor)
    response = client.get(
        reverse("sheet_export_csv", kwargs={"org": org.slug}), {"cycle": objective.cycle.code}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="acme-okrs-Q4-2026.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    assert "Customers love onboarding" in body and "Raise activation" in body
    xlsx = client.get(reverse("sheet_export_xlsx", kwargs={"org": org.slug}))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=4).value == "Customers love onboarding"
    markdown = client.get(reverse("sheet_export_md", kwargs={"org": org.slug}))
    assert "## Customers love onboarding" in markdown.content.decode()


def test_an_unknown_cycle_in_an_export_is_404(client, org, team, alice):
    client.force_login(alice)
    url = reverse("sheet_export_csv", kwargs={"org": org.slug})
    assert client.get(url, {"cycle": "nope"}).status_code == 404


def test_other_organizations_see_nothing(client, org, team, other_org, mallory):
    client.force_login(mallory)
    assert client.get(reverse("sheet_import", kwargs={"org": org.slug})).status_code == 404
    assert client.get(reverse("sheet_export_csv", kwargs={"org": org.slug})).status_code == 404
