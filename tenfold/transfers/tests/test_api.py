"""The export endpoints of API v1, every JSON response checked against the OpenAPI document:
start (202), list, follow, cancel and download; owners and admins only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tenfold.api.tests.conftest import OpenApiClient, token_for
from tenfold.transfers.models import Status, Transfer

from .conftest import export_row, finished_export, stepping_exporter, use_exporter

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# Rows of the permission matrix for the routes with an export's code (GET, and POST with an
# empty body), checked here on a waiting export of organization A.
ONE = {
    ("api:get_transfer", "GET"): (401, 200, 403, 403, 403, 404),
    ("api:get_transfer", "POST"): (405, 405, 405, 405, 405, 405),
    ("api:cancel_transfer", "GET"): (405, 405, 405, 405, 405, 405),
    ("api:cancel_transfer", "POST"): (401, 200, 403, 403, 403, 404),
    ("api:download_transfer", "GET"): (401, 404, 403, 403, 403, 404),
    ("api:download_transfer", "POST"): (405, 405, 405, 405, 405, 405),
}


@pytest.fixture
def api(client: Any, alice: Any) -> OpenApiClient:
    client.force_login(alice)
    return OpenApiClient(client)


@pytest.mark.parametrize(("name", "method"), sorted(ONE))
def test_each_persona_gets_the_status_of_the_matrix(
    client, request, org, team, other_org, alice, name, method
):
    seen = []
    for persona in PERSONAS:
        # A fresh waiting export each time: a cancel by one persona must not change the next.
        transfer = export_row(org, alice)
        url = reverse(name, kwargs={"org": org.slug, "code": transfer.code})
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == ONE[(name, method)]


def test_starting_an_export_answers_202_and_it_can_be_followed(
    api, org, alice, monkeypatch, django_capture_on_commit_callbacks
):
    use_exporter(monkeypatch, stepping_exporter(3))
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/orgs/acme/exports", {"format": "json"})
    assert response.status_code == 202
    code = response.data["code"]
    # Tests run the work at once; a worker would still be on it here.
    response = api.get(f"/orgs/acme/exports/{code}")
    assert response.status_code == 200
    data = response.data
    assert (data["status"], data["done"], data["total"]) == ("done", 3, 3)
    assert data["download"] == f"/api/v1/orgs/acme/exports/{code}/download"
    assert data["created_by"] == alice.email
    assert data["file_name"].startswith("acme-") and data["file_name"].endswith(".json")


def test_a_waiting_export_shows_its_state_and_no_download(api, org, alice):
    transfer = export_row(org, alice, status=Status.RUNNING, done=4, total=10, label="People")
    data = api.get(f"/orgs/acme/exports/{transfer.code}").data
    assert (data["status"], data["done"], data["total"], data["label"]) == (
        "running",
        4,
        10,
        "People",
    )
    assert data["download"] is None


def test_an_export_of_one_cycle(api, org, cycle, monkeypatch):
    use_exporter(monkeypatch, stepping_exporter(1), "csv")
    response = api.post("/orgs/acme/exports", {"format": "csv", "cycle": cycle.code})
    assert response.status_code == 202
    assert response.data["cycle"] == cycle.code


def test_bad_export_requests_name_the_field(api, org, cycle, other_org):
    response = api.post("/orgs/acme/exports", {"format": "pdf"})
    assert response.status_code == 400 and "format" in response.data["error"]["fields"]
    response = api.post("/orgs/acme/exports", {"format": "json", "cycle": cycle.code})
    assert response.status_code == 400 and "cycle" in response.data["error"]["fields"]
    foreign = other_org.cycles.get()
    response = api.post("/orgs/acme/exports", {"format": "csv", "cycle": foreign.code})
    assert response.status_code == 404
    assert not Transfer.objects.exists()


def test_too_many_running_exports_answer_409(api, org, alice):
    for _ in range(3):
        export_row(org, alice, status=Status.RUNNING)
    response = api.post("/orgs/acme/exports", {"format": "json"})
    assert response.status_code == 409
    assert response.data["error"]["code"] == "conflict"


def test_the_list_is_paginated_newest_first(api, org, alice, other_org, mallory):
    codes = [export_row(org, alice).code for _ in range(3)]
    export_row(other_org, mallory)
    response = api.get("/orgs/acme/exports", limit=2)
    assert response.status_code == 200
    assert [row["code"] for row in response.data] == codes[::-1][:2]
    assert response["X-Total-Count"] == "3"
    assert 'rel="next"' in response["Link"]


def test_the_list_runs_a_constant_number_of_queries(api, org, alice, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    export_row(org, alice)
    with CaptureQueriesContext(connection) as small:
        api.get("/orgs/acme/exports")
    for _ in range(12):
        export_row(org, alice, status=Status.DONE)
    with django_assert_max_num_queries(len(small)):
        response = api.get("/orgs/acme/exports")
    assert len(response.data) == 13


def test_cancel_stops_a_waiting_export_and_refuses_a_finished_one(api, org, alice, transfers_dir):
    transfer = export_row(org, alice)
    response = api.post(f"/orgs/acme/exports/{transfer.code}/cancel", {})
    assert response.status_code == 200
    assert response.data["status"] == "cancelled"
    done = finished_export(org, alice, transfers_dir)
    response = api.post(f"/orgs/acme/exports/{done.code}/cancel", {})
    assert response.status_code == 409


def test_download_streams_the_file_then_404s_after_expiry(client, org, alice, transfers_dir):
    transfer = finished_export(org, alice, transfers_dir, b'{"ok": 1}')
    token = token_for(alice, org)
    url = f"/api/v1/orgs/acme/exports/{transfer.code}/download"
    headers = {"Authorization": f"Bearer {token}"}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acme-export.json"'
    assert b"".join(response.streaming_content) == b'{"ok": 1}'
    Transfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert client.get(url, headers=headers).status_code == 404


def test_a_token_of_another_organization_finds_nothing(client, org, alice, other_org, mallory):
    transfer = export_row(org, alice)
    api = OpenApiClient(client, token_for(mallory, other_org))
    assert api.get(f"/orgs/acme/exports/{transfer.code}").status_code == 404
    assert api.get(f"/orgs/globex/exports/{transfer.code}").status_code == 404


def test_a_read_only_token_cannot_start_an_export(client, org, alice):
    from tenfold.accounts.services import api_token_create

    _row, token = api_token_create(
        user=alice, organization=org, name="ro", by=alice, read_only=True
    )
    api = OpenApiClient(client, token)
    assert api.post("/orgs/acme/exports", {"format": "json"}).status_code == 403
    assert api.get("/orgs/acme/exports").status_code == 200
