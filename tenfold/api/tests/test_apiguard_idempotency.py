"""Idempotency-Key on writing API requests."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tenfold.apiguard import services
from tenfold.apiguard.jobs import run_due
from tenfold.apiguard.middleware import _request_digest
from tenfold.apiguard.models import IdempotencyKey
from tenfold.checkins.models import CheckIn

from .conftest import PREFIX, token_for


def post(client, token, path, data, key=None, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(
        PREFIX + path, json.dumps(data), content_type="application/json", headers=headers
    )


@pytest.fixture
def checkins_path(org, key_result):
    return f"/orgs/{org.slug}/key-results/{key_result.code}/check-ins"


@pytest.fixture
def bob_token(org, bob, key_result):
    return token_for(bob, org)


def test_a_retry_with_the_same_key_gets_the_first_answer_again(
    client, bob_token, checkins_path, key_result
):
    first = post(client, bob_token, checkins_path, {"value": "25"}, key="k-1")
    again = post(client, bob_token, checkins_path, {"value": "25"}, key="k-1")

    assert first.status_code == again.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def test_without_a_key_every_request_runs(client, bob_token, checkins_path, key_result):
    post(client, bob_token, checkins_path, {"value": "25"})
    post(client, bob_token, checkins_path, {"value": "25"})
    assert CheckIn.objects.filter(key_result=key_result).count() == 2


def test_the_same_key_with_another_body_is_refused(client, bob_token, checkins_path, key_result):
    post(client, bob_token, checkins_path, {"value": "25"}, key="k-2")
    other = post(client, bob_token, checkins_path, {"value": "30"}, key="k-2")

    assert other.status_code == 422
    assert other.json() == {
        "error": {
            "code": "idempotency_mismatch",
            "message": other.json()["error"]["message"],
            "fields": {},
        }
    }
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def test_a_key_belongs_to_its_caller_and_path(
    client, org, bob, carol, bob_token, checkins_path, key_result, objective
):
    carol_token = token_for(carol, org)
    post(client, bob_token, checkins_path, {"value": "25"}, key="shared")
    theirs = post(client, carol_token, checkins_path, {"value": "25"}, key="shared")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs

    # A second token of the same person is another caller too.
    second = post(client, token_for(bob, org), checkins_path, {"value": "25"}, key="shared")
    assert "Idempotent-Replayed" not in second
    assert CheckIn.objects.filter(key_result=key_result).count() == 3


def test_a_signed_in_session_is_a_caller(client, bob, checkins_path, key_result):
    client.force_login(bob)
    first = post(client, None, checkins_path, {"value": "25"}, key="browser")
    again = post(client, None, checkins_path, {"value": "25"}, key="browser")
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def test_error_answers_below_500_are_replayed_too(client, bob_token, checkins_path):
    first = post(client, bob_token, checkins_path, {"value": "lots"}, key="bad")
    again = post(client, bob_token, checkins_path, {"value": "lots"}, key="bad")
    assert first.status_code == again.status_code == 400
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def test_a_server_error_is_not_kept_so_the_retry_runs(
    bob_token, checkins_path, key_result, monkeypatch
):
    client = Client(raise_request_exception=False)

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("tenfold.api.views.checkin_record", broken)
    failed = post(client, bob_token, checkins_path, {"value": "25"}, key="k-500")
    assert failed.status_code == 500
    assert not IdempotencyKey.objects.exists()

    monkeypatch.undo()
    retried = post(client, bob_token, checkins_path, {"value": "25"}, key="k-500")
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256])
def test_an_empty_or_too_long_key_is_refused(client, bob_token, checkins_path, key_result, key):
    response = post(client, bob_token, checkins_path, {"value": "25"}, key=key)
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and "Idempotency-Key" in body["fields"]
    assert not CheckIn.objects.filter(key_result=key_result).exists()


def test_a_key_of_255_characters_is_fine(client, bob_token, checkins_path):
    response = post(client, bob_token, checkins_path, {"value": "25"}, key="k" * 255)
    assert response.status_code == 201


def test_a_retry_while_the_first_request_runs_answers_409(
    client, bob_token, bob, org, checkins_path, key_result
):
    from tenfold.accounts.models import ApiToken

    token_id = ApiToken.objects.get(user=bob, organization=org).pk
    request = _fake_request({"value": "25"})
    claim = services.idempotency_claim(
        caller=f"token:{token_id}",
        method="POST",
        path=PREFIX + checkins_path,
        key="slow",
        request_digest=_request_digest(request),
    )
    assert claim.outcome == "run"

    response = post(client, bob_token, checkins_path, {"value": "25"}, key="slow")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_in_progress"
    assert response["Retry-After"] == "1"
    assert not CheckIn.objects.filter(key_result=key_result).exists()

    # If the first request never finishes (its server died), the key is free again later.
    IdempotencyKey.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    response = post(client, bob_token, checkins_path, {"value": "25"}, key="slow")
    assert response.status_code == 201
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


def _fake_request(data):
    from django.test import RequestFactory

    return RequestFactory().post("/x", json.dumps(data), content_type="application/json")


def test_answers_expire_after_a_day_and_are_purged(client, bob_token, checkins_path, key_result):
    post(client, bob_token, checkins_path, {"value": "25"}, key="old")
    row = IdempotencyKey.objects.get()
    assert row.expires_at - row.created_at == dt.timedelta(hours=24)
    assert run_due(timezone.now()) == 0

    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    again = post(client, bob_token, checkins_path, {"value": "25"}, key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert CheckIn.objects.filter(key_result=key_result).count() == 2

    assert run_due(timezone.now() + dt.timedelta(hours=25)) >= 1
    assert not IdempotencyKey.objects.exists()


def test_the_request_digest_ignores_multipart_boundaries():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    def upload(boundary):
        from django.test.client import encode_multipart

        body = encode_multipart(
            boundary, {"note": "a", "file": SimpleUploadedFile("okrs.csv", b"title\nGrow\n")}
        )
        return RequestFactory().generic(
            "POST", "/x", body, content_type=f"multipart/form-data; boundary={boundary}"
        )

    assert _request_digest(upload("one")) == _request_digest(upload("two"))
    other = RequestFactory().post("/x", {"note": "b"})
    assert _request_digest(upload("one")) != _request_digest(other)


def test_reads_ignore_the_key(client, bob_token, org, cycle):
    headers = {"Authorization": f"Bearer {bob_token}", "Idempotency-Key": "r"}
    first = client.get(f"{PREFIX}/orgs/{org.slug}/cycles", headers=headers)
    again = client.get(f"{PREFIX}/orgs/{org.slug}/cycles", headers=headers)
    assert "Idempotent-Replayed" not in again and first.status_code == 200
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_let_exactly_one_run():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def claim() -> None:
        from django.db import connection as own

        try:
            barrier.wait()
            result = services.idempotency_claim(
                caller="token:1", method="POST", path="/api/v1/x", key="race", request_digest="d"
            )
            outcomes.append(result.outcome)
        finally:
            own.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["in_progress"] * 7 + ["run"]
    assert IdempotencyKey.objects.count() == 1


def test_text_with_a_nul_character_is_refused_before_it_reaches_the_database(
    client, bob_token, checkins_path, key_result, org
):
    response = post(client, bob_token, checkins_path, {"value": "25", "note": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"note": ["Remove the NUL character (\\u0000)."]}
    assert not CheckIn.objects.filter(key_result=key_result).exists()

    query = client.get(
        f"{PREFIX}/orgs/{org.slug}/cycles",
        {"updated_since": "x\x00"},
        headers={"Authorization": f"Bearer {bob_token}"},
    )
    assert query.status_code == 400 and "updated_since" in query.json()["error"]["fields"]
