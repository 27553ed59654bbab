"""Read-only tokens, and the page where people make and revoke their own tokens."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from tenfold.accounts.models import ApiToken
from tenfold.accounts.services import api_token_create
from tenfold.checkins.models import CheckIn

pytestmark = pytest.mark.django_db


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_read_only_token_reads_but_changes_nothing(client, org, team, key_result, bob):
    _row, token = api_token_create(
        user=bob, organization=org, name="Dashboard", read_only=True, by=bob
    )
    assert client.get("/api/v1/me", headers=_headers(token)).status_code == 200
    response = client.post(
        f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        data=json.dumps({"value": "30"}),
        content_type="application/json",
        headers=_headers(token),
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "only read" in response.json()["error"]["message"]
    assert not CheckIn.objects.filter(key_result=key_result).exists()
    _row, writer = api_token_create(user=bob, organization=org, name="Script", by=bob)
    allowed = client.post(
        f"/api/v1/orgs/{org.slug}/key-results/{key_result.code}/check-ins",
        data=json.dumps({"value": "30"}),
        content_type="application/json",
        headers=_headers(writer),
    )
    assert allowed.status_code == 201


def test_people_make_see_once_and_revoke_their_tokens(client, org, team, bob, carol):
    client.force_login(bob)
    url = reverse("my_tokens", kwargs={"org": org.slug})
    made = client.post(url, {"name": "Sales dashboard", "access": "read"}, follow=True)
    assert made.redirect_chain[-1][1] == 302
    token = re.search(r'id="new-token">(tf_[^<]+)<', made.content.decode()).group(1)
    row = ApiToken.objects.get(user=bob)
    assert row.read_only and row.name == "Sales dashboard"
    again = client.get(url).content.decode()
    assert token not in again and f"tf_{row.prefix}" in again  # shown once, then only its start
    assert client.post(url, {"name": "", "access": "write"}).status_code == 400
    assert ApiToken.objects.filter(user=bob).count() == 1

    client.force_login(carol)  # someone else cannot revoke it
    client.post(reverse("my_token_revoke", kwargs={"org": org.slug}), {"prefix": row.prefix})
    row.refresh_from_db()
    assert row.revoked_at is None
    client.force_login(bob)
    client.post(reverse("my_token_revoke", kwargs={"org": org.slug}), {"prefix": row.prefix})
    row.refresh_from_db()
    assert row.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/me", headers=_headers(token)).status_code == 401
