"""The push address refuses a body over its limit with 413 and the error shape, whatever the
content type and however large (beyond Django's own limit on request bodies too), and nothing
changes; a body just under the limit is still read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from tenfold.checkins.models import CheckIn
from tenfold.feeds.models import DataSource
from tenfold.feeds.views import PUSH_BODY_MAX

LIMIT_MESSAGE = "The body is too large: send just the value."


def _json_of_size(size: int) -> str:
    """A valid push of exactly `size` bytes: a value and a note padded to fit."""
    empty = json.dumps({"value": 25, "note": ""})
    return json.dumps({"value": 25, "note": "x" * (size - len(empty))})


def _post(client: Any, token: str, body: Any, content_type: str | None) -> Any:
    url = reverse("feed_push", kwargs={"token": token})
    if content_type is None:
        return client.post(url, body)  # form fields, multipart
    return client.post(url, body, content_type=content_type)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(_json_of_size(PUSH_BODY_MAX + 1), "application/json", id="json-just-over"),
        pytest.param("25" + " " * PUSH_BODY_MAX, "text/plain", id="text-just-over"),
        pytest.param({"value": "25", "note": "x" * PUSH_BODY_MAX}, None, id="form-just-over"),
        # over Django's DATA_UPLOAD_MAX_MEMORY_SIZE: Django alone would answer an HTML 400
        pytest.param("25" + " " * 3_000_000, "text/plain", id="text-3-mb"),
        pytest.param({"value": "25", "note": "x" * 3_000_000}, None, id="form-3-mb"),
    ],
)
def test_a_body_over_the_limit_is_refused_with_413_and_changes_nothing(
    client: Any, push_feed: tuple[DataSource, str], body: Any, content_type: str | None
) -> None:
    source, token = push_feed
    before = DataSource.objects.values().get(pk=source.pk)
    response = _post(client, token, body, content_type)
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "too_large", "message": LIMIT_MESSAGE, "fields": {}}
    }
    assert CheckIn.objects.count() == 0
    assert DataSource.objects.values().get(pk=source.pk) == before


def test_a_body_at_the_limit_is_read(client: Any, push_feed: tuple[DataSource, str]) -> None:
    """The other side of the limit: the same push one byte smaller is not refused for its size
    (its note is too long for a check-in, which is a 400 about the note)."""
    _source, token = push_feed
    response = _post(client, token, _json_of_size(PUSH_BODY_MAX), "application/json")
    assert response.status_code == 400
    assert "Keep the note" in response.json()["error"]["message"]
    small = _post(client, token, json.dumps({"value": 25, "note": "nightly"}), "application/json")
    assert small.status_code == 200 and small.json()["recorded"] is True
