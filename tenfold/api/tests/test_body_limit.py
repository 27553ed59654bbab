"""A JSON body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 in the API's error
shape, and nothing is written; the same call with a small body works."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenfold.checkins.models import CheckIn

from .conftest import PREFIX, token_for

pytestmark = pytest.mark.django_db


def _check_in(client: Any, org: Any, key_result: Any, user: Any, note: str) -> Any:
    return client.post(
        f"{PREFIX}/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        json.dumps({"value": 25, "note": note}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(user, org)}"},
    )


def test_a_body_over_the_limit_is_413_in_the_error_shape(
    client: Any, org: Any, key_result: Any, bob: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _check_in(client, org, key_result, bob, "x" * 10_000)
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "too_large", "message": "The request body is too large.", "fields": {}}
    }
    assert not CheckIn.objects.exists()
    assert _check_in(client, org, key_result, bob, "nightly").status_code == 201
