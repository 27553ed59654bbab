"""The data page of the organization's settings and the site's import page: starting an export,
the progress row that polls itself until the job ends, cancelling, and who may download."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tenfold.transfers.models import Kind, Status, Transfer

from .conftest import export_row, fake_module, finished_export, stepping_exporter, use_exporter

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def page_url(org: Any) -> str:
    return reverse("transfers", kwargs={"org": org.slug})


def row_url(name: str, org: Any, transfer: Transfer) -> str:
    return reverse(name, kwargs={"org": org.slug, "code": transfer.code})


def test_admins_see_the_data_page_with_the_export_form(client, org, team, alice):
    client.force_login(alice)
    response = client.get(page_url(org))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="format"' in html and 'name="cycle"' in html
    assert 'data-testid="no-transfers"' in html


def test_members_are_refused_and_outsiders_find_nothing(client, org, team, bob, other_org, mallory):
    client.force_login(bob)
    assert client.get(page_url(org)).status_code == 403
    client.force_login(mallory)
    assert client.get(page_url(org)).status_code == 404


def test_starting_an_export_runs_it_and_lists_its_download_link(
    client, org, alice, monkeypatch, django_capture_on_commit_callbacks
):
    use_exporter(monkeypatch, stepping_exporter(3))
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_url(org), {"format": "json", "cycle": ""})
    assert response.status_code == 302
    transfer = Transfer.objects.get(organization=org)
    assert transfer.status == Status.DONE
    html = client.get(page_url(org)).content.decode()
    assert row_url("transfer_download", org, transfer) in html
    # Nothing left to poll (the search palette, on every page, is not part of the page).
    assert "hx-trigger" not in html.split('id="main"')[1].split('class="palette"')[0]


def test_a_bad_export_request_is_answered_on_the_form(client, org, cycle, alice):
    client.force_login(alice)
    response = client.post(page_url(org), {"format": "json", "cycle": cycle.code})
    assert response.status_code == 400
    assert "leave the cycle out" in response.content.decode()
    response = client.post(page_url(org), {"format": "pdf"})
    assert response.status_code == 400
    assert not Transfer.objects.exists()


def test_a_running_export_shows_a_progress_bar_that_polls_its_row(client, org, alice):
    transfer = export_row(org, alice, status=Status.RUNNING, done=3, total=12, label="Objectives")
    client.force_login(alice)
    html = client.get(page_url(org)).content.decode()
    assert f'<progress id="progress-{transfer.code}" max="12" value="3"' in html
    assert "3 of 12 (25%) · Objectives" in html
    assert f'hx-get="{row_url("transfer_status", org, transfer)}" hx-trigger="every 1s"' in html
    assert '<noscript><meta http-equiv="refresh"' in html  # without JavaScript: reload

    fragment = client.get(row_url("transfer_status", org, transfer), headers=HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert body.strip().startswith(f'<tr id="transfer-{transfer.code}"')
    assert 'hx-trigger="every 1s"' in body
    assert "<html" not in body


def test_the_fragment_of_a_finished_export_stops_the_polling(client, org, alice, transfers_dir):
    transfer = finished_export(org, alice, transfers_dir)
    client.force_login(alice)
    body = client.get(row_url("transfer_status", org, transfer), headers=HTMX).content.decode()
    assert "hx-trigger" not in body and "hx-get" not in body
    assert row_url("transfer_download", org, transfer) in body
    failed = export_row(org, alice, status=Status.FAILED, error="the disk is full")
    body = client.get(row_url("transfer_status", org, failed), headers=HTMX).content.decode()
    assert "hx-trigger" not in body and "the disk is full" in body


def test_the_status_route_without_htmx_shows_the_whole_page(client, org, alice):
    transfer = export_row(org, alice, status=Status.RUNNING)
    client.force_login(alice)
    response = client.get(row_url("transfer_status", org, transfer))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_cancel_stops_a_waiting_export_and_answers_htmx_with_the_row(client, org, alice):
    transfer = export_row(org, alice)
    client.force_login(alice)
    response = client.post(row_url("transfer_cancel", org, transfer), headers=HTMX)
    assert response.status_code == 200
    assert 'data-status="cancelled"' in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == Status.CANCELLED
    # Without htmx: back to the page, with a message when there was nothing left to cancel.
    response = client.post(row_url("transfer_cancel", org, transfer), follow=True)
    assert "already finished" in response.content.decode()


def test_members_cannot_cancel(client, org, team, bob):
    transfer = export_row(org, bob)
    client.force_login(bob)
    assert client.post(row_url("transfer_cancel", org, transfer)).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == Status.QUEUED


def test_admins_download_the_file_with_its_name_and_type(client, org, alice, transfers_dir):
    transfer = finished_export(org, alice, transfers_dir, b'{"organization": "acme"}')
    client.force_login(alice)
    response = client.get(row_url("transfer_download", org, transfer))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="acme-export.json"'
    assert b"".join(response.streaming_content) == b'{"organization": "acme"}'


def test_download_permissions(
    client, org, team, alice, bob, victor, other_org, mallory, transfers_dir
):
    transfer = finished_export(org, alice, transfers_dir)
    url = row_url("transfer_download", org, transfer)
    for person, status in ((bob, 403), (victor, 403), (mallory, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
    # Mallory's own organization does not open another organization's export either.
    client.force_login(mallory)
    foreign = reverse("transfer_download", kwargs={"org": other_org.slug, "code": transfer.code})
    assert client.get(foreign).status_code == 404


def test_downloads_answer_404_after_expiry_and_before_the_file_exists(
    client, org, alice, transfers_dir
):
    client.force_login(alice)
    transfer = finished_export(org, alice, transfers_dir)
    Transfer.objects.filter(pk=transfer.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(row_url("transfer_download", org, transfer)).status_code == 404
    running = export_row(org, alice, status=Status.RUNNING)
    assert client.get(row_url("transfer_download", org, running)).status_code == 404
    vanished = finished_export(org, alice, transfers_dir)
    (transfers_dir / vanished.file_name).unlink()
    assert client.get(row_url("transfer_download", org, vanished)).status_code == 404


def test_the_list_page_runs_a_constant_number_of_queries(
    client, org, alice, transfers_dir, django_assert_max_num_queries
):
    client.force_login(alice)

    def make(count: int) -> None:
        for number in range(count):
            status = (Status.DONE, Status.RUNNING, Status.FAILED)[number % 3]
            export_row(org, alice, status=status, done=number, total=10)

    make(2)
    client.get(page_url(org))  # warm up sessions and caches
    small_count = _count(client, page_url(org))
    make(15)
    assert _count(client, page_url(org)) == small_count
    with django_assert_max_num_queries(small_count):
        client.get(page_url(org))


def _count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_links_to_the_spreadsheet_import_when_it_exists(client, org, alice):
    from django.urls import NoReverseMatch

    client.force_login(alice)
    html = client.get(page_url(org)).content.decode()
    try:
        target = reverse("sheet_import", kwargs={"org": org.slug})
    except NoReverseMatch:
        assert "Spreadsheet import is not available" in html
    else:
        assert f'href="{target}"' in html


# --- the import page ------------------------------------------------------------------------------


@pytest.fixture
def staff(alice: Any) -> Any:
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


def test_only_staff_reach_the_import_page(client, org, team, alice, bob):
    url = reverse("transfer_import")
    client.force_login(bob)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403
    client.force_login(alice)  # owning an organization is not enough
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_start_an_import_and_see_it_listed(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from tenfold.organizations.services import organization_create

    def load(stream: Any, *, progress: Any = None, slug: str | None = None) -> Any:
        progress.step(1, 1, "Organization")
        return organization_create(name="Newco", slug=slug, owner=staff)

    fake_module(monkeypatch, "tenfold.interchange.importing", load=load)
    client.force_login(staff)
    url = reverse("transfer_import")
    assert client.get(url).status_code == 200
    document = SimpleUploadedFile("newco.json", b"{}", content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": document, "slug": "newco"})
    assert response.status_code == 302
    transfer = Transfer.objects.get(kind=Kind.IMPORT)
    assert transfer.status == Status.DONE and transfer.organization.slug == "newco"
    html = client.get(url).content.decode()
    assert "Made Newco (/newco/)" in html


def test_an_import_without_a_file_is_answered_on_the_form(client, staff):
    client.force_login(staff)
    response = client.post(reverse("transfer_import"), {"slug": "newco"})
    assert response.status_code == 400
    assert not Transfer.objects.exists()


def test_staff_follow_and_cancel_a_running_import(client, staff):
    transfer = Transfer.objects.create(kind=Kind.IMPORT, format="json", created_by=staff)
    client.force_login(staff)
    status_url = reverse("transfer_import_status", kwargs={"code": transfer.code})
    body = client.get(status_url, headers=HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert client.get(status_url).status_code == 302  # without htmx: the page
    cancel_url = reverse("transfer_import_cancel", kwargs={"code": transfer.code})
    body = client.post(cancel_url, headers=HTMX).content.decode()
    assert 'data-status="cancelled"' in body and "hx-trigger" not in body


PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# Rows of the permission matrix for the routes with a transfer's code (GET, and POST with an
# empty body), checked on a waiting export of organization A.
ROWS = {
    ("transfer_status", "GET"): (302, 200, 403, 403, 403, 404),
    ("transfer_status", "POST"): (302, 405, 405, 405, 405, 405),
    ("transfer_cancel", "GET"): (302, 405, 405, 405, 405, 405),
    ("transfer_cancel", "POST"): (302, 302, 403, 403, 403, 404),
    ("transfer_download", "GET"): (302, 404, 403, 403, 403, 404),
    ("transfer_download", "POST"): (302, 405, 405, 405, 405, 405),
    ("transfer_import_status", "GET"): (302, 403, 403, 403, 403, 403),
    ("transfer_import_status", "POST"): (302, 405, 405, 405, 405, 405),
    ("transfer_import_cancel", "GET"): (302, 405, 405, 405, 405, 405),
    ("transfer_import_cancel", "POST"): (302, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize(("name", "method"), sorted(ROWS))
def test_each_persona_gets_the_status_of_the_matrix(
    client, request, org, team, other_org, alice, name, method
):
    seen = []
    for persona in PERSONAS:
        transfer = export_row(org, alice)  # fresh each time: a cancel must not change the next
        kwargs = {"code": transfer.code}
        if "import" not in name:
            kwargs["org"] = org.slug
        url = reverse(name, kwargs=kwargs)
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == ROWS[(name, method)]
