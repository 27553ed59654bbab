"""Moments with any offset Python accepts are stored, whatever the database takes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tenfold.checkins.models import CheckIn
from tenfold.db.postgresql.base import in_utc


def test_aware_moments_are_turned_into_utc_and_held_at_the_calendars_edges():
    wide = dt.timezone(dt.timedelta(hours=23, minutes=47))
    assert in_utc(dt.datetime(2026, 11, 20, 10, 0, tzinfo=wide)) == dt.datetime(
        2026, 11, 19, 10, 13, tzinfo=dt.UTC
    )
    assert in_utc(dt.datetime(1, 1, 1, tzinfo=wide)) == dt.datetime.min.replace(tzinfo=dt.UTC)
    west = dt.timezone(-dt.timedelta(hours=5))
    assert in_utc(dt.datetime(9999, 12, 31, 22, tzinfo=west)) == dt.datetime.max.replace(
        tzinfo=dt.UTC
    )
    naive = dt.datetime(2026, 1, 1)
    assert in_utc(naive) is naive
    assert in_utc("text") == "text"


@pytest.mark.django_db
def test_a_check_in_dated_with_a_wide_offset_is_stored(client, org, team, key_result, alice):
    client.force_login(alice)
    response = client.post(
        f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        data=json.dumps({"value": "30", "measured_at": "2026-11-20T10:00:00+23:47"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    stored = CheckIn.objects.get(key_result=key_result).measured_at
    assert stored == dt.datetime(2026, 11, 19, 10, 13, tzinfo=dt.UTC)
