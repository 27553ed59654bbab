"""The webhook pages per persona, the forms, the htmx test button and "retry now", and a
constant number of queries on the list and the delivery log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.notifications.testing import Answer
from tenfold.webhooks import jobs, sending
from tenfold.webhooks.models import Webhook, WebhookDelivery
from tenfold.webhooks.services import webhook_create

from .test_sending import NOW, queue

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body. Only owners and admins reach webhooks; the webhook points at a
# loopback address no AllowedHost opens, so a test event is refused without leaving the machine.
EXPECTED = {
    ("webhooks", "GET"): (302, 200, 403, 403, 403, 404),
    ("webhooks", "POST"): (302, 405, 405, 405, 405, 405),
    ("webhook_new", "GET"): (302, 200, 403, 403, 403, 404),
    ("webhook_new", "POST"): (302, 400, 403, 403, 403, 404),
    ("webhook", "GET"): (302, 200, 403, 403, 403, 404),
    ("webhook", "POST"): (302, 405, 405, 405, 405, 405),
    ("webhook_edit", "GET"): (302, 200, 403, 403, 403, 404),
    ("webhook_edit", "POST"): (302, 400, 403, 403, 403, 404),
    ("webhook_delete", "GET"): (302, 200, 403, 403, 403, 404),
    ("webhook_delete", "POST"): (302, 302, 403, 403, 403, 404),
    ("webhook_test", "GET"): (302, 405, 405, 405, 405, 405),
    ("webhook_test", "POST"): (302, 302, 403, 403, 403, 404),
    ("webhook_rotate", "GET"): (302, 405, 405, 405, 405, 405),
    ("webhook_rotate", "POST"): (302, 302, 403, 403, 403, 404),
    ("webhook_redeliver", "GET"): (302, 405, 405, 405, 405, 405),
    ("webhook_redeliver", "POST"): (302, 400, 403, 403, 403, 404),
}


@pytest.fixture
def nowhere(org, alice) -> Webhook:
    return webhook_create(organization=org, name="Nowhere", url="http://127.0.0.1:9/hook", by=alice)


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, nowhere, name, method
):
    kwargs = {"org": org.slug}
    if name not in ("webhooks", "webhook_new"):
        kwargs["code"] = nowhere.code
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_route_of_the_app_is_in_the_table():
    from tenfold.webhooks.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


def test_another_organizations_webhook_is_not_found(client, org, other_org, mallory, alice):
    theirs = webhook_create(
        organization=other_org, name="Theirs", url="https://example.org/h", by=mallory
    )
    client.force_login(alice)
    url = reverse("webhook", kwargs={"org": org.slug, "code": theirs.code})
    assert client.get(url).status_code == 404


# --- list, add, edit, delete ------------------------------------------------------------------


def page(client, name, org, **kwargs) -> str:
    response = client.get(reverse(name, kwargs={"org": org.slug, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_each_webhook_and_its_latest_delivery(client, org, alice, webhook, receiver):
    queue(webhook)
    jobs.run_due(NOW)
    client.force_login(alice)
    html = page(client, "webhooks", org)
    assert "Warehouse" in html and "127.0.0.1" in html
    assert "All events" in html
    assert "Succeeded" in html
    assert 'aria-current="page"' in html  # inside the settings tabs


def test_adding_a_webhook(client, org, alice):
    client.force_login(alice)
    form = page(client, "webhook_new", org)
    assert "checkin.recorded" in form and "Someone checked in" in form
    response = client.post(
        reverse("webhook_new", kwargs={"org": org.slug}),
        {
            "name": "Chat bot",
            "url": "https://hooks.example.com/tenfold?token=abc",
            "event_types": ["checkin.recorded", "cycle.closed"],
            "active": "on",
        },
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("webhook", kwargs={"org": org.slug, "code": webhook.code})
    assert webhook.event_types == ["checkin.recorded", "cycle.closed"]
    assert webhook.active and not webhook.include_private
    assert webhook.created_by == alice
    audit = AuditEvent.objects.get(verb="webhook.created")
    assert audit.changes["host"] == "hooks.example.com"
    assert "token" not in str(audit.changes)  # the address may carry a secret: never logged
    detail = client.get(response.url).content.decode()
    assert webhook.secret in detail and "Show signing secret" in detail


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "Only http:// and https://"),
        ("https://user:pw@example.com/", "credentials"),
        ("", "This field is required"),
    ],
)
def test_a_bad_address_is_refused_and_nothing_is_added(client, org, alice, url, message):
    client.force_login(alice)
    response = client.post(
        reverse("webhook_new", kwargs={"org": org.slug}), {"name": "Bad", "url": url}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Webhook.objects.exists()


def test_an_unknown_event_type_is_refused(client, org, alice):
    client.force_login(alice)
    response = client.post(
        reverse("webhook_new", kwargs={"org": org.slug}),
        {"name": "Bad", "url": "https://example.com/", "event_types": ["objective.exploded"]},
    )
    assert response.status_code == 400
    assert not Webhook.objects.exists()


def test_editing_a_webhook(client, org, alice, nowhere):
    client.force_login(alice)
    url = reverse("webhook_edit", kwargs={"org": org.slug, "code": nowhere.code})
    form = client.get(url).content.decode()
    assert 'value="http://127.0.0.1:9/hook"' in form
    response = client.post(
        url,
        {
            "name": "Renamed",
            "url": "https://example.com/new",
            "event_types": ["review.submitted"],
            "include_private": "on",
        },
    )
    assert response.status_code == 302
    nowhere.refresh_from_db()
    assert (nowhere.name, nowhere.url, nowhere.event_types) == (
        "Renamed",
        "https://example.com/new",
        ["review.submitted"],
    )
    assert nowhere.include_private and not nowhere.active
    changes = AuditEvent.objects.get(verb="webhook.updated").changes
    assert changes["host"] == ["127.0.0.1", "example.com"]


def test_deleting_asks_first_then_deletes_the_log_too(client, org, alice, nowhere):
    queue(nowhere)
    client.force_login(alice)
    url = reverse("webhook_delete", kwargs={"org": org.slug, "code": nowhere.code})
    assert "Delete the webhook" in client.get(url).content.decode()
    assert Webhook.objects.exists()
    response = client.post(url)
    assert response.url == reverse("webhooks", kwargs={"org": org.slug})
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()


def test_rotating_the_secret(client, org, alice, nowhere):
    old = nowhere.secret
    client.force_login(alice)
    client.post(reverse("webhook_rotate", kwargs={"org": org.slug, "code": nowhere.code}))
    nowhere.refresh_from_db()
    assert nowhere.secret != old and nowhere.previous_secret == old
    html = page(client, "webhook", org, code=nowhere.code)
    assert nowhere.secret in html and "previous secret" in html


# --- test events and retries ------------------------------------------------------------------


def test_the_test_button_answers_in_place_with_htmx(client, org, alice, webhook, receiver):
    client.force_login(alice)
    url = reverse("webhook_test", kwargs={"org": org.slug, "code": webhook.code})
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Received: status 200" in html
    assert 'id="delivery-log" hx-swap-oob="true"' in html
    assert "webhook.test" in html
    assert "<html" not in html
    assert receiver.wait_for(1)[0].path == "/hook"


def test_a_failing_test_shows_the_error(client, org, alice, webhook, receiver, monkeypatch):
    monkeypatch.setattr(sending, "TIMEOUT", 0.2)
    receiver.answers["/hook"] = Answer(status=200, delay=1.0)
    client.force_login(alice)
    url = reverse("webhook_test", kwargs={"org": org.slug, "code": webhook.code})
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "The test event failed." in html and "No answer within 0.2 seconds" in html


def test_the_test_button_works_without_javascript(client, org, alice, nowhere):
    client.force_login(alice)
    url = reverse("webhook_test", kwargs={"org": org.slug, "code": nowhere.code})
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "The test event failed" in html and "private or local network" in html
    assert WebhookDelivery.objects.get().status == "failed"


def test_retry_now_sends_a_failed_delivery_again(
    client, org, alice, webhook, receiver, monkeypatch
):
    monkeypatch.setattr(sending, "BACKOFF", ())
    receiver.answers["/hook"] = Answer(status=500, body=b"oops")
    delivery = queue(webhook)
    jobs.run_due(NOW)
    client.force_login(alice)
    html = page(client, "webhook", org, code=webhook.code)
    assert "Retry now" in html and "oops" in html
    receiver.answers["/hook"] = Answer(status=204, body=b"")
    url = reverse("webhook_redeliver", kwargs={"org": org.slug, "code": webhook.code})
    html = client.post(url, {"delivery": delivery.code}, HTTP_HX_REQUEST="true").content.decode()
    assert "Sent again and received (status 204)" in html
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


def test_retry_now_refuses_what_has_not_failed(client, org, alice, webhook):
    delivery = queue(webhook)
    client.force_login(alice)
    url = reverse("webhook_redeliver", kwargs={"org": org.slug, "code": webhook.code})
    response = client.post(url, {"delivery": delivery.code}, follow=True)
    assert "Only a failed delivery can be sent again" in response.content.decode()
    assert client.post(url, {"delivery": "nosuchcode"}).status_code == 404
    assert WebhookDelivery.objects.get().attempts == 0


def test_a_delivery_of_another_webhook_is_not_found(client, org, alice, webhook, nowhere):
    theirs = queue(nowhere)
    client.force_login(alice)
    url = reverse("webhook_redeliver", kwargs={"org": org.slug, "code": webhook.code})
    assert client.post(url, {"delivery": theirs.code}).status_code == 404


# --- queries ----------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_delivery_log_runs_a_fixed_number_of_queries(client, org, alice, webhook):
    client.force_login(alice)
    url = reverse("webhook", kwargs={"org": org.slug, "code": webhook.code})
    for n in range(3):
        queue(webhook, n=n)
    client.get(url)  # the first visit also remembers the organization in the session
    few = count_queries(client, url)
    for n in range(3, 80):
        queue(webhook, n=n)
    assert count_queries(client, url) == few
    html = client.get(url).content.decode()
    assert html.count('data-status="pending"') == 50  # the newest 50


def test_the_list_runs_a_fixed_number_of_queries(
    client, org, alice, nowhere, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("webhooks", kwargs={"org": org.slug})
    queue(nowhere)
    client.get(url)
    few = count_queries(client, url)
    for n in range(6):
        other = webhook_create(
            organization=org, name=f"W{n}", url=f"https://e{n}.example/", by=alice
        )
        queue(other)
    with django_assert_max_num_queries(few):
        client.get(url)
