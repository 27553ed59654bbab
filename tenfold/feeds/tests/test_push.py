"""The push address `/feeds/<token>/`: JSON, form and plain-text values; a wrong token is 404,
a bad value 400 with a clear message, and nothing changes on errors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, Source
from tenfold.feeds.models import DataSource
from tenfold.feeds.services import source_set, token_rotate
from tenfold.okrs.models import KeyResult

from .conftest import access_of


def push(client, token, body, content_type="application/json"):
    url = reverse("feed_push", kwargs={"token": token})
    if content_type == "form":
        return client.post(url, body)
    return client.post(url, body, content_type=content_type)


def snapshot(source: DataSource) -> tuple:
    row = DataSource.objects.get(pk=source.pk)
    kr = KeyResult.objects.get(pk=source.key_result_id)
    return (
        CheckIn.objects.count(),
        AuditEvent.objects.filter(verb="checkin.recorded").count(),
        row.last_sync_at,
        row.last_value,
        row.last_status,
        row.last_error,
        kr.current,
        kr.progress,
    )


def test_a_json_value_becomes_a_check_in_without_signing_in(client, push_feed, carol):
    source, token = push_feed
    response = push(client, token, json.dumps({"value": 25.5, "note": "nightly export"}))
    assert response.status_code == 200
    body = response.json()
    assert (body["recorded"], body["value"], body["key_result"]) == (
        True,
        "25.5",
        source.key_result.code,
    )
    checkin = CheckIn.objects.get(code=body["checkin"])
    assert (checkin.value, checkin.note, checkin.source, checkin.author) == (
        Decimal("25.5"),
        "nightly export",
        Source.INTEGRATION,
        carol,
    )
    row = DataSource.objects.get(pk=source.pk)
    assert (row.last_status, row.last_value) == ("ok", Decimal("25.5"))
    assert KeyResult.objects.get(pk=source.key_result_id).current == Decimal("25.5")


@pytest.mark.parametrize(
    ("body", "content_type", "value"),
    [
        ({"value": "31", "note": "from a form"}, "form", Decimal(31)),
        ("32.25", "text/plain", Decimal("32.25")),
        ("  33\n", "application/octet-stream", Decimal(33)),
        ("34", "application/json", Decimal(34)),  # a bare JSON number
        ('{"value": "35.5"}', "application/json", Decimal("35.5")),
    ],
)
def test_values_arrive_as_form_fields_plain_text_or_json(
    client, push_feed, body, content_type, value
):
    source, token = push_feed
    response = push(client, token, body, content_type)
    assert response.status_code == 200, response.content
    assert KeyResult.objects.get(pk=source.key_result_id).current == value


def test_the_same_value_twice_is_noted_once(client, push_feed):
    _source, token = push_feed
    push(client, token, '{"value": 30}')
    response = push(client, token, '{"value": 30.0}')
    assert response.status_code == 200
    assert (response.json()["recorded"], response.json()["checkin"]) == (False, None)
    assert "No change" in response.json()["message"]
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"value": "twelve"}', "application/json", "“twelve” is not a number"),
        ('{"value": "12,5"}', "application/json", "use a dot for decimals"),
        ('{"value": null}', "application/json", "Send the value"),
        ('{"note": "no value"}', "application/json", "Send the value"),
        ('{"value": true}', "application/json", "Found true"),
        ('{"value": [1]}', "application/json", "Found a list"),
        ('{"value": 1e30}', "application/json", "too large"),
        ('{"value": ', "application/json", "not valid JSON"),
        ('["value", 1]', "application/json", "JSON object"),
        ("", "text/plain", "Send the value"),
        ("lots", "text/plain", "“lots” is not a number"),
        ({"note": "x"}, "form", "Send the value"),
        ('{"value": 1, "note": "' + "x" * 6000 + '"}', "application/json", "Keep the note"),
    ],
)
def test_bad_values_are_refused_with_a_message_and_change_nothing(
    client, push_feed, body, content_type, message
):
    source, token = push_feed
    push(client, token, '{"value": 21}')  # something to keep
    before = snapshot(source)
    response = push(client, token, body, content_type)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in error["message"], error
    assert snapshot(source) == before


@pytest.mark.parametrize("token", ["tff_nope", "not-even-the-prefix", "tff_" + "x" * 200])
def test_a_wrong_token_is_404_and_changes_nothing(client, push_feed, token):
    source, _token = push_feed
    before = snapshot(source)
    response = push(client, token, '{"value": 1}')
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot(source) == before


def test_only_post_is_accepted(client, push_feed):
    _source, token = push_feed
    assert client.get(reverse("feed_push", kwargs={"token": token})).status_code == 405


def test_a_rotated_token_stops_working_at_once(client, org, push_feed, carol):
    source, old = push_feed
    new = token_rotate(access=access_of(org, carol), source=source)
    assert push(client, old, '{"value": 5}').status_code == 404
    assert push(client, new, '{"value": 5}').status_code == 200


def test_switching_to_another_kind_retires_the_token(client, org, push_feed, carol, key_result):
    _source, token = push_feed
    source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="url",
        url="https://example.com/x.json",
        format="json",
        path="n",
    )
    assert push(client, token, '{"value": 5}').status_code == 404


def test_a_paused_feed_refuses_values(client, org, push_feed, carol, key_result):
    source, token = push_feed
    source_set(access=access_of(org, carol), key_result=key_result, kind="push", enabled=False)
    before = snapshot(source)
    response = push(client, token, '{"value": 5}')
    assert response.status_code == 400
    assert "paused" in response.json()["error"]["message"]
    assert snapshot(source) == before


def test_a_closed_cycle_refuses_values(client, push_feed, cycle):
    source, token = push_feed
    before = snapshot(source)
    cycle.state = "closed"
    cycle.save(update_fields=["state"])
    response = push(client, token, '{"value": 5}')
    assert response.status_code == 400
    assert "closed" in response.json()["error"]["message"]
    assert snapshot(source) == before


def test_the_token_is_not_stored(push_feed):
    source, token = push_feed
    row = DataSource.objects.filter(pk=source.pk).values().get()
    assert token not in json.dumps(row, default=str)
    assert token.startswith("tff_" + row["token_prefix"])
