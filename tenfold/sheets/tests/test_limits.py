"""The API's spreadsheet import refuses a file over TENFOLD_IMPORT_MAX_BYTES with a clear
message before reading it, and writes nothing (the page's refusal is in test_views)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenfold.api.tests.conftest import PREFIX, token_for
from tenfold.okrs.models import KeyResult, Objective
from tenfold.sheets import reading

pytestmark = pytest.mark.django_db

GOOD = (
    b"Objective,Key result,Owner,Team,Start,Target,Current\n"
    b"Customers love onboarding,Activation,bob@example.com,Growth,20,40,30\n"
)


def _send(client: Any, org: Any, user: Any, data: bytes, **fields: Any) -> Any:
    return client.post(
        f"{PREFIX}/orgs/{org.slug}/imports/sheet",
        {"file": SimpleUploadedFile("okrs.csv", data), **fields},
        headers={"Authorization": f"Bearer {token_for(user, org)}"},
    )


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client: Any,
    org: Any,
    team: Any,
    cycle: Any,
    alice: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    dry_run: str,
) -> None:
    settings.TENFOLD_IMPORT_MAX_BYTES = 50
    monkeypatch.setattr(reading, "decode", lambda data: pytest.fail("the file was read"))
    response = _send(client, org, alice, GOOD, dry_run=dry_run)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == (
        f"The file is {len(GOOD)} B; files up to 50 B can be imported. Split it, or remove "
        "sheets and columns that are not OKRs."
    )
    assert not Objective.objects.exists() and not KeyResult.objects.exists()


def test_the_same_file_under_the_limit_is_imported(
    client: Any, org: Any, team: Any, cycle: Any, alice: Any, settings: Any
) -> None:
    settings.TENFOLD_IMPORT_MAX_BYTES = len(GOOD)
    response = _send(client, org, alice, GOOD, dry_run="false")
    assert response.status_code == 201, response.content
    assert Objective.objects.count() == 1
