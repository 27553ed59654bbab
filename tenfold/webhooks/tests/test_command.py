"""tenfold webhook: list, add, remove, test, rotate and deliveries, as an admin; everyone else
and bad input exit with a message and change nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.notifications.testing import Answer
from tenfold.webhooks.models import Webhook, WebhookDelivery
from tenfold.webhooks.services import webhook_create

from .test_sending import NOW, queue


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("webhook", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written() -> tuple[int, int, int]:
    return Webhook.objects.count(), WebhookDelivery.objects.count(), AuditEvent.objects.count()


AS_ALICE = ("--as", "alice@example.com", "--org", "acme")


def test_add_prints_the_code_and_secret_then_list_shows_it(org, team):
    out = run(
        "add",
        "https://dw.example.com/in",
        "--name",
        "Warehouse",
        "--event",
        "checkin.recorded",
        "--event",
        "cycle.closed",
        *AS_ALICE,
    )
    webhook = Webhook.objects.get()
    assert webhook.code in out and webhook.secret in out
    assert webhook.event_types == ["checkin.recorded", "cycle.closed"]
    listed = run("list", *AS_ALICE)
    assert webhook.code in listed and "Warehouse" in listed
    assert "checkin.recorded, cycle.closed" in listed
    data = json.loads(run("list", "--json", *AS_ALICE))
    assert [row["code"] for row in data] == [webhook.code]
    assert "secret" not in data[0]


def test_an_empty_list_says_how_to_add_one(org, team):
    assert "No webhooks yet" in run("list", *AS_ALICE)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "ftp://x.example/", "--name", "X"), "url: Only http:// and https://"),
        (("add", "https://x.example/", "--name", " "), "name: Give the webhook a name"),
        (
            ("add", "https://x.example/", "--name", "X", "--event", "nope"),
            "event_types: Unknown event types: nope",
        ),
        (("remove", "nosuchcode"), "No webhook has the code"),
        (("test", "nosuchcode"), "No webhook has the code"),
        (("deliveries", "nosuchcode"), "No webhook has the code"),
    ],
)
def test_bad_input_exits_with_a_message_and_changes_nothing(org, team, args, message):
    before = written()
    with pytest.raises(CommandError, match=message):
        run(*args, *AS_ALICE)
    assert written() == before


@pytest.mark.parametrize("who", ["bob@example.com", "carol@example.com", "victor@example.com"])
def test_only_owners_and_admins_may_use_it(org, team, who):
    webhook_create(
        organization=org,
        name="W",
        url="https://w.example/",
        by=org.memberships.get(role="owner").user,
    )
    before = written()
    for args in (("list",), ("add", "https://x.example/", "--name", "X")):
        with pytest.raises(CommandError, match="Only owners and admins manage webhooks"):
            run(*args, "--as", who, "--org", "acme")
    assert written() == before


def test_another_organization_is_out_of_reach(org, other_org, team):
    with pytest.raises(CommandError, match="not a member"):
        run("list", "--as", "alice@example.com", "--org", "globex")


def test_remove_deletes_it(org, team, alice):
    webhook = webhook_create(organization=org, name="Old", url="https://o.example/", by=alice)
    assert "Deleted webhook" in run("remove", webhook.code, *AS_ALICE)
    assert not Webhook.objects.exists()


def test_test_prints_the_answer_or_fails(org, webhook, receiver):
    assert "Received: status 200" in run("test", webhook.code, *AS_ALICE)
    receiver.answers["/hook"] = Answer(status=503, body=b"down")
    with pytest.raises(CommandError, match=r"The test event failed \(503\)"):
        run("test", webhook.code, *AS_ALICE)
    assert WebhookDelivery.objects.count() == 2


def test_rotate_prints_the_new_secret(org, webhook):
    old = webhook.secret
    out = run("rotate", webhook.code, *AS_ALICE)
    webhook.refresh_from_db()
    assert webhook.secret != old and webhook.secret in out


def test_deliveries_lists_the_log(org, webhook, receiver):
    from tenfold.webhooks import jobs

    receiver.answers["/hook"] = Answer(status=500, body=b"nope")
    delivery = queue(webhook)
    jobs.run_due(NOW)
    out = run("deliveries", webhook.code, *AS_ALICE)
    assert delivery.code in out and "objective.updated" in out and "pending" in out
    assert "500" in out
    data = json.loads(run("deliveries", webhook.code, "--json", "--status", "pending", *AS_ALICE))
    assert data[0]["payload"]["type"] == "objective.updated"
    assert run("deliveries", webhook.code, "--status", "succeeded", *AS_ALICE).strip() == (
        "No deliveries in that status."
    )
    assert "2026-11-15 13:00" in out  # in Acme's time zone (Berlin)
    with pytest.raises(CommandError, match="between 1 and 200"):
        run("deliveries", webhook.code, "--limit", "0", *AS_ALICE)
