"""The inbound web hook and the administrators' page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tenfold.checkins.models import WeeklyItem
from tenfold.mailin import services
from tenfold.mailin.models import InboundMessage
from tenfold.mailin.services import reply_apply

from .conftest import SECRET, sample

URL = "/inbound/email/"
AUTH = {"Authorization": f"Bearer {SECRET}"}


def post_raw(client: Client, raw: bytes, *, headers=AUTH, query: str = "", **extra):
    return client.post(
        URL + query, data=raw, content_type="message/rfc822", headers=headers, **extra
    )


def test_the_route_is_where_providers_are_told_it_is():
    assert reverse("inbound_email") == URL


# --- the hook: access ------------------------------------------------------------------------


def test_the_hook_is_closed_until_a_secret_is_configured(settings, client, reply):
    settings.INBOUND_SECRET = ""
    response = post_raw(client, reply("Plans: one"))
    assert response.status_code == 404
    assert response.json()["reason"] == "off"
    assert WeeklyItem.objects.count() == 0


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({}, ""),
        ({"Authorization": "Bearer wrong"}, ""),
        ({"Authorization": f"Basic {SECRET}"}, ""),
        ({}, "?key=wrong"),
        ({"Authorization": f"Bearer {SECRET}x"}, ""),
    ],
)
def test_a_wrong_or_missing_secret_is_refused(client, reply, headers, query):
    response = post_raw(client, reply("Plans: one"), headers=headers, query=query)
    assert response.status_code == 401
    assert response.json()["status"] == "rejected"
    assert WeeklyItem.objects.count() == 0 and InboundMessage.objects.count() == 0


def test_only_post_is_taken(client):
    assert client.get(URL, headers=AUTH).status_code == 405


def test_no_session_or_csrf_token_is_needed(bob, reply):
    strict = Client(enforce_csrf_checks=True)
    response = post_raw(strict, reply("Plans: from the hook"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "applied"


# --- the hook: messages ----------------------------------------------------------------------


def test_a_raw_message_in_the_body_is_applied(client, bob, kr_code, reply):
    response = post_raw(client, reply(f"hello there\nPlans: one\nKR {kr_code}: 30"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "applied"
    assert body["added"] == ["Check-in on “Raise activation from 20% to 40%”: 30", "Plans: one"]
    assert "hello there" in body["warnings"][0]
    assert body["errors"] == []
    assert WeeklyItem.objects.get().text == "one"


def test_the_key_may_travel_in_the_address(client, bob, reply):
    response = post_raw(client, reply("Plans: one"), headers={}, query=f"?key={SECRET}")
    assert response.json()["status"] == "applied"


def test_octet_stream_is_taken_too(client, bob, bob_token, kr_code):
    response = client.post(
        URL,
        data=sample("chinese_gbk.eml", token=bob_token, kr_code=kr_code),
        content_type="application/octet-stream",
        headers=AUTH,
    )
    assert response.json()["status"] == "applied"
    assert WeeklyItem.objects.filter(text="修复注册页面的错误").exists()


def test_a_provider_form_with_the_message_as_a_file(client, bob, bob_token, kr_code):
    upload = SimpleUploadedFile(
        "message.eml", sample("spanish.eml", token=bob_token, kr_code=kr_code), "message/rfc822"
    )
    response = client.post(URL, {"email": upload}, headers=AUTH)
    assert response.json()["status"] == "applied"
    assert WeeklyItem.objects.filter(text="Revisar la página de precios").exists()


def test_a_provider_form_with_the_message_as_text_and_the_envelope_recipient(
    client, bob, bob_token, reply
):
    raw = reply("Plans: mailgun style").replace(f"reply+{bob_token}@".encode(), b"team-inbox@")
    response = client.post(
        URL,
        {"body-mime": raw.decode(), "recipient": f"reply+{bob_token}@reply.example.com"},
        headers=AUTH,
    )
    assert response.json()["status"] == "applied"


def test_a_request_without_a_message_is_a_bad_request(client):
    assert post_raw(client, b"").status_code == 400
    response = client.post(URL, {"subject": "no message here"}, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["reason"] == "no_message"


def test_a_refused_reply_is_judged_and_answered_200(client, bob, reply):
    response = post_raw(client, reply("KR zz9zz9zz9z: 4"))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["reason"]) == ("rejected", "invalid")
    assert "zz9zz9zz9z" in body["errors"][0]


def test_a_duplicate_is_answered_as_such(client, bob, reply):
    raw = reply("Plans: once", message_id="<dup@x>")
    assert post_raw(client, raw).json()["status"] == "applied"
    assert post_raw(client, raw).json()["status"] == "duplicate"
    assert WeeklyItem.objects.count() == 1


def test_a_message_over_the_limit_is_refused_from_its_declared_length(
    settings, client, bob, bob_token, reply, monkeypatch
):
    settings.INBOUND_MAX_BYTES = 4000
    raw = reply("Plans: big\n" + "x" * 10_000, message_id="<large@x>")
    monkeypatch.setattr(
        services, "parse_message", lambda raw: pytest.fail("the body must not be parsed")
    )
    response = post_raw(client, raw)
    assert response.status_code == 413
    assert response.json()["reason"] == "too_large"
    row = InboundMessage.objects.get()
    # Only the header block was read, and it was enough to tell Bob.
    assert (row.user, row.size, row.message_id) == (bob, len(raw), "large@x")
    assert WeeklyItem.objects.count() == 0


def test_a_form_over_the_limit_is_refused_before_it_is_read(settings, client, reply):
    settings.INBOUND_MAX_BYTES = 1000
    upload = SimpleUploadedFile("m.eml", reply("Plans: x\n" + "y" * 200_000))
    response = client.post(URL, {"email": upload}, headers=AUTH)
    assert response.status_code == 413
    assert InboundMessage.objects.count() == 0


def test_a_fault_answers_500_and_is_logged(client, bob, reply, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "item_add", broken)
    response = post_raw(client, reply("Plans: one"))
    assert response.status_code == 500
    assert response.json()["status"] == "error"
    assert InboundMessage.objects.get().status == "error"


# --- the administrators' page ----------------------------------------------------------------


@pytest.fixture
def kr_code(key_result) -> str:
    return key_result.code


def settings_url(org) -> str:
    return reverse("settings_inbound", kwargs={"org": org.slug})


def test_admins_see_the_setup_and_the_recent_messages(client, org, alice, bob, reply):
    reply_apply(raw=reply("Plans: visible on the page"))
    reply_apply(raw=reply("KR zz9zz9zz9z: 4"))
    client.force_login(alice)
    response = client.get(settings_url(org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://okr.example.com/inbound/email/" in page
    assert "reply+…@reply.example.com" in page
    assert "protected by the inbound secret" in page
    assert "Plans: visible on the page" in page
    assert "there is no key result “zz9zz9zz9z”" in page
    assert "Bob Member" in page
    assert response.context["tab"] == "integrations"
    assert response.context["example_address"].startswith("reply+")


def test_the_page_says_when_replies_are_off(settings, client, org, alice):
    settings.REPLY_DOMAIN = ""
    settings.INBOUND_SECRET = ""
    client.force_login(alice)
    page = client.get(settings_url(org)).content.decode()
    assert "Set TENFOLD_REPLY_DOMAIN to turn them on." in page
    assert "closed: set TENFOLD_INBOUND_SECRET" in page
    assert "No replies have come in yet." in page


def test_other_organizations_messages_are_not_listed(client, org, alice, other_org, mallory):
    InboundMessage.objects.create(
        organization=other_org, user=mallory, status="applied", subject="Globex secret plan"
    )
    InboundMessage.objects.create(status="rejected", reason="forged", subject="Forged one")
    client.force_login(alice)
    page = client.get(settings_url(org)).content.decode()
    assert "Globex secret plan" not in page and "Forged one" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 403), ("carol", 403), ("victor", 403), ("mallory", 404)],
)
def test_only_admins_reach_the_page(client, request, org, team, other_org, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(settings_url(org)).status_code == status


def test_the_page_is_read_only(client, org, alice):
    client.force_login(alice)
    assert client.post(settings_url(org), {}).status_code == 405


def test_the_page_runs_a_fixed_number_of_queries(
    client, org, alice, bob, team, django_assert_max_num_queries
):
    InboundMessage.objects.bulk_create(
        InboundMessage(
            organization=org,
            user=bob,
            status="applied",
            message_id=f"m{n}@x",
            summary={"items": [{"category": "plans", "name": "Plans", "text": f"item {n}"}]},
        )
        for n in range(80)
    )
    client.force_login(alice)
    client.get(settings_url(org))  # warm the session and the organization switcher
    with django_assert_max_num_queries(12):
        response = client.get(settings_url(org))
    assert response.content.decode().count("item ") == 50


# --- the permission matrix -------------------------------------------------------------------

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows for tenfold/web/tests/permission_matrix.txt, measured as that test measures: GET, and
# POST with an empty body, with the settings of a fresh install (no inbound secret).
MATRIX = {
    ("inbound_email", "GET"): (405, 405, 405, 405, 405, 405),
    ("inbound_email", "POST"): (404, 404, 404, 404, 404, 404),
    ("settings_inbound", "GET"): (302, 200, 403, 403, 403, 404),
    ("settings_inbound", "POST"): (302, 405, 405, 405, 405, 405),
}


@pytest.mark.parametrize(("name", "method"), sorted(MATRIX))
def test_each_persona_gets_the_status_the_matrix_says(
    settings, client, request, org, team, other_org, name, method
):
    settings.INBOUND_SECRET = ""
    url = reverse(name) if name == "inbound_email" else settings_url(org)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == MATRIX[(name, method)]
