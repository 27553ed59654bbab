"""Pulls against a real HTTP server on loopback: good JSON and CSV become check-ins; web pages,
non-numbers, missing paths, HTTP errors, slow answers and refused addresses are recorded on the
feed and create no check-in; nothing hangs."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from tenfold.checkins.models import CheckIn, Source
from tenfold.feeds import fetch
from tenfold.feeds.models import DataSource, SyncStatus
from tenfold.feeds.services import source_set, source_sync
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.testing import Answer
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Membership

from .conftest import access_of, csv_answer, json_answer


def fresh(source: DataSource) -> DataSource:
    return DataSource.objects.select_related("organization", "created_by").get(pk=source.pk)


def assert_failed(source: DataSource, message: str) -> None:
    source = fresh(source)
    assert source.last_status == SyncStatus.ERROR
    assert message in source.last_error, source.last_error
    assert source.last_sync_at is not None
    assert not CheckIn.objects.filter(key_result_id=source.key_result_id).exists()


def test_a_json_pull_records_a_check_in_by_the_person_who_set_it_up(url_feed, receiver, carol):
    outcome = source_sync(source=url_feed)
    assert (outcome.ok, outcome.recorded, outcome.value) == (True, True, Decimal("31.5"))
    checkin = CheckIn.objects.get(key_result_id=url_feed.key_result_id)
    assert (checkin.value, checkin.source, checkin.author) == (
        Decimal("31.5"),
        Source.INTEGRATION,
        carol,
    )
    source = fresh(url_feed)
    assert (source.last_status, source.last_value, source.last_error) == ("ok", Decimal("31.5"), "")
    assert source.last_recorded_at is not None
    assert KeyResult.objects.get(pk=url_feed.key_result_id).current == Decimal("31.5")
    request = receiver.wait_for(1)[0]
    assert (request.method, request.path) == ("GET", "/metrics.json")
    assert request.headers["accept"] == "application/json"


def test_an_unchanged_value_is_noted_but_not_recorded_again(url_feed, receiver):
    source_sync(source=url_feed)
    outcome = source_sync(source=fresh(url_feed))
    assert (outcome.ok, outcome.recorded) == (True, False)
    assert "No change" in outcome.message
    assert CheckIn.objects.filter(key_result_id=url_feed.key_result_id).count() == 1
    receiver.answers["/metrics.json"] = json_answer('{"data": {"metrics": [{"value": 33}]}}')
    assert source_sync(source=fresh(url_feed)).recorded
    assert CheckIn.objects.filter(key_result_id=url_feed.key_result_id).count() == 2


def test_an_unchanged_value_is_recorded_again_before_the_key_result_goes_stale(
    url_feed, receiver, clock
):
    source_sync(source=url_feed)
    clock.shift(60 * 60 * 24 * 4)  # four days: still fresh (half of the 10-day grace is 5)
    assert not source_sync(source=fresh(url_feed)).recorded
    clock.shift(60 * 60 * 24 * 2)
    assert source_sync(source=fresh(url_feed)).recorded
    assert CheckIn.objects.filter(key_result_id=url_feed.key_result_id).count() == 2


def test_a_csv_pull_reads_the_chosen_cell(org, key_result, carol, receiver, loopback):
    receiver.answers["/export.csv"] = csv_answer(
        "day,signups,region\n1,10,EU\n2,20,US\n3,30,EU\n4,40,US\n"
    )
    source, _ = source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="url",
        url=receiver.url("/export.csv"),
        format="csv",
        csv_column="signups",
        csv_row="last",
        csv_filter="region=EU",
    )
    outcome = source_sync(source=fresh(source))
    assert (outcome.ok, outcome.value) == (True, Decimal(30))
    assert receiver.wait_for(1)[0].headers["accept"] == "text/csv"


def test_saved_headers_are_sent(org, key_result, carol, receiver, loopback):
    receiver.answers["/secure.json"] = json_answer('{"n": 5}')
    source, _ = source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="url",
        url=receiver.url("/secure.json"),
        format="json",
        path="n",
        headers="Authorization: Bearer s3cret\nX-Team: growth",
    )
    assert source_sync(source=fresh(source)).ok
    headers = receiver.wait_for(1)[0].headers
    assert (headers["authorization"], headers["x-team"]) == ("Bearer s3cret", "growth")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            Answer(body=b"<!doctype html><h1>Sign in</h1>", content_type="text/html"),
            "a web page (HTML)",
        ),
        (
            Answer(body=b"<html><body>oops</body></html>", content_type="application/json"),
            "a web page (HTML)",
        ),
        (json_answer('{"data": {"metrics": [{"value": "n/a"}]}}'), "“n/a” is not a number"),
        (json_answer('{"data": {"metrics": []}}'), "has 0 items; there is no item [0]"),
        (json_answer('{"data": {}}'), "$.data has no “metrics”"),
        (json_answer('{"data": ', status=200), "not valid JSON"),
        (json_answer('{"error": "boom"}', status=500), "HTTP status 500"),
        (json_answer("", status=404), "HTTP status 404"),
    ],
)
def test_bad_answers_are_recorded_on_the_feed_and_create_no_check_in(
    url_feed, receiver, answer, message
):
    receiver.answers["/metrics.json"] = answer
    outcome = source_sync(source=url_feed)
    assert (outcome.ok, outcome.recorded) == (False, False)
    assert message in outcome.message
    assert_failed(url_feed, message)


def test_a_slow_answer_times_out_without_hanging(url_feed, receiver, monkeypatch):
    monkeypatch.setattr(fetch, "HTTP_TIMEOUT", 0.3)
    receiver.answers["/metrics.json"] = json_answer(
        '{"data": {"metrics": [{"value": 1}]}}', delay=1.5
    )
    started = time.monotonic()
    outcome = source_sync(source=url_feed)
    assert time.monotonic() - started < 1.4
    assert not outcome.ok
    assert_failed(url_feed, "No answer within 0.3 seconds")


def test_an_answer_over_the_size_limit_is_refused(url_feed, receiver, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_BYTES", 100)
    receiver.answers["/metrics.json"] = json_answer('{"pad": "' + "x" * 500 + '", "n": 1}')
    assert not source_sync(source=url_feed).ok
    assert_failed(url_feed, "larger than")


def test_a_private_address_is_refused_unless_an_admin_allowed_it(url_feed, receiver):
    AllowedHost.objects.all().delete()
    outcome = source_sync(source=url_feed)
    assert not outcome.ok
    assert_failed(url_feed, "private or local network")
    assert receiver.requests == []  # the request was never made


def test_a_refused_connection_is_recorded(url_feed):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    DataSource.objects.filter(pk=url_feed.pk).update(url=f"http://127.0.0.1:{port}/x.json")
    assert not source_sync(source=fresh(url_feed)).ok
    assert_failed(url_feed, "The request failed")


def test_an_error_after_a_good_value_keeps_the_value_and_clears_on_success(url_feed, receiver):
    source_sync(source=url_feed)
    receiver.answers["/metrics.json"] = json_answer("{}", status=503)
    source_sync(source=fresh(url_feed))
    source = fresh(url_feed)
    assert (source.last_status, source.last_value) == ("error", Decimal("31.5"))
    receiver.answers["/metrics.json"] = json_answer('{"data": {"metrics": [{"value": 31.5}]}}')
    source_sync(source=fresh(url_feed))
    source = fresh(url_feed)
    assert (source.last_status, source.last_error) == ("ok", "")


def test_a_closed_objective_turns_the_value_into_an_error(url_feed, key_result):
    key_result.objective.state = "closed"
    key_result.objective.save(update_fields=["state"])
    outcome = source_sync(source=url_feed)
    assert not outcome.ok
    assert_failed(url_feed, "This objective is closed.")


def test_the_check_in_has_no_author_once_the_creator_left(url_feed, org, carol):
    Membership.objects.filter(organization=org, user=carol).delete()
    assert source_sync(source=fresh(url_feed)).recorded
    assert CheckIn.objects.get(key_result_id=url_feed.key_result_id).author is None


def test_long_values_are_rounded_to_the_places_a_key_result_keeps(url_feed, receiver):
    receiver.answers["/metrics.json"] = json_answer('{"data": {"metrics": [{"value": 0.123456}]}}')
    assert source_sync(source=url_feed).value == Decimal("0.1235")
    assert CheckIn.objects.get(key_result_id=url_feed.key_result_id).value == Decimal("0.1235")
