"""POST /orgs/{org}/imports/sheet and GET /orgs/{org}/exports/okrs.*, every JSON answer checked
against the OpenAPI document."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenfold.api.tests.conftest import PREFIX, OpenApiClient, token_for
from tenfold.okrs.models import KeyResult, Objective

pytestmark = pytest.mark.django_db

GOOD = (
    b"Objective,Key result,Owner,Team,Start,Target,Current\n"
    b"Customers love onboarding,Activation,bob@example.com,Growth,20,40,30\n"
    b"Customers love onboarding,Calls,bob@example.com,Growth,0,10,\n"
)


class Caller:
    def __init__(self, client, user, org) -> None:
        self.api = OpenApiClient(client, token_for(user, org))
        self.client = client
        self.org = org

    def send(self, data: bytes, name: str = "okrs.csv", **fields):
        path = f"/orgs/{self.org.slug}/imports/sheet"
        response = self.client.post(
            PREFIX + path,
            {"file": SimpleUploadedFile(name, data), **fields},
            headers={"Authorization": f"Bearer {self.api.token}"},
        )
        return self.api._check("post", path, response)


def test_a_dry_run_answers_the_preview_and_writes_nothing(client, org, team, cycle, carol):
    response = Caller(client, carol, org).send(GOOD)
    assert response.status_code == 200
    body = response.data
    assert body["ok"] is True
    assert body["counts"] == {"objectives": 1, "key_results": 2, "checkins": 1}
    (objective,) = body["objectives"]
    assert objective["unit"] == "Growth" and objective["cycle"] == "Q4 2026"
    assert [kr["current"] for kr in objective["key_results"]] == ["30", None]
    assert not Objective.objects.exists()


def test_an_import_creates_everything_and_answers_the_codes(client, org, team, cycle, alice):
    response = Caller(client, alice, org).send(GOOD, dry_run="false", cycle=cycle.code)
    assert response.status_code == 201
    (created,) = response.data["objectives"]
    objective = Objective.objects.get(code=created["code"])
    assert sorted(created["key_results"]) == sorted(
        KeyResult.objects.filter(objective=objective).values_list("code", flat=True)
    )


def test_problems_refuse_the_import_with_rows(client, org, team, cycle, alice):
    bad = GOOD + b"Second,Broken,nobody@example.com,Growth,0,abc,\n"
    caller = Caller(client, alice, org)
    preview = caller.send(bad)
    assert preview.status_code == 200 and preview.data["ok"] is False
    assert {(p["row"], p["column"]) for p in preview.data["problems"]} == {
        (4, "Owner"),
        (4, "Target"),
    }
    refused = caller.send(bad, dry_run="false")
    assert refused.status_code == 400
    assert refused.data["error"]["fields"]["file"][0].startswith("Row 4")
    assert not Objective.objects.exists()


def test_a_file_over_the_limit(client, org, team, cycle, alice, settings):
    settings.TENFOLD_IMPORT_MAX_BYTES = 40
    response = Caller(client, alice, org).send(GOOD, dry_run="false")
    assert response.status_code == 400
    assert "can be imported" in response.data["error"]["message"]
    assert not Objective.objects.exists()


def test_a_corrupt_workbook(client, org, team, cycle, alice):
    response = Caller(client, alice, org).send(b"PK\x03\x04broken", name="x.xlsx")
    assert response.status_code == 200
    assert "not a readable XLSX" in response.data["problems"][0]["message"]


def test_viewers_may_not_import_and_outsiders_do_not_find_it(
    client, org, team, cycle, victor, other_org, mallory
):
    assert Caller(client, victor, org).send(GOOD).status_code == 403
    outsider = Caller(client, mallory, other_org)
    outsider.org = org
    assert outsider.send(GOOD).status_code == 404


def test_an_unknown_cycle_code_is_404(client, org, team, cycle, alice):
    assert Caller(client, alice, org).send(GOOD, cycle="nope").status_code == 404


def test_exports(client, org, objective, key_result, victor):
    token = token_for(victor, org)
    headers = {"Authorization": f"Bearer {token}"}
    csv = client.get(f"{PREFIX}/orgs/{org.slug}/exports/okrs.csv", headers=headers)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "Raise activation" in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"{PREFIX}/orgs/{org.slug}/exports/okrs.xlsx", headers=headers)
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 2
    md = client.get(
        f"{PREFIX}/orgs/{org.slug}/exports/okrs.md",
        {"cycle": objective.cycle.code},
        headers=headers,
    )
    assert "| Raise activation from 20% to 40% |" in md.content.decode()
    api = OpenApiClient(client, token)
    assert api.get(f"/orgs/{org.slug}/exports/okrs.csv", cycle="nope").status_code == 404
