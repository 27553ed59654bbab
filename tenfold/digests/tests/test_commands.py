"""tenfold digest show|send and tenfold subscriber list|add|remove: what they print, what they
send, and clear refusals that change nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.digests.models import Subscriber
from tenfold.digests.services import subscriber_add
from tenfold.habits.tests.test_scores_policy import (
    _figures,
    json_violations,
    line_violations,
)
from tenfold.notifications.models import Delivery

from .conftest import access_of

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_show_prints_the_text_of_a_teams_digest(story, team):
    out = run("digest", "show", "--org", "acme", "--unit", "Growth", "--week", "2026-11-20")
    assert out.startswith("Growth: the week in OKRs")
    assert "Week of 16 Nov 2026 to 22 Nov 2026" in out
    assert "* Reach 100 reviews" in out
    figures = set()
    for key in ("activation", "faster", "nps"):
        story[key].refresh_from_db()
        figures |= _figures(story[key].progress)
    assert line_violations(out, {"Bob Member", "Carol Lead"}, figures) == []


def test_show_as_html_and_json(story, team):
    html = run(
        "digest",
        "show",
        "--org",
        "acme",
        "--unit",
        team.code,
        "--week",
        "2026-11-16",
        "--format",
        "html",
    )
    assert html.startswith("<!doctype html>") and "Grow NPS from 20 to 50" in html
    data = json.loads(
        run("digest", "show", "--org", "acme", "--week", "2026-11-16", "--format", "json")
    )
    assert data["kind"] == "company" and data["week"] == "2026-11-16"
    assert json_violations(data) == []


def test_show_in_another_language(story, team):
    out = run(
        "digest",
        "show",
        "--org",
        "acme",
        "--unit",
        "Growth",
        "--week",
        "2026-11-16",
        "--language",
        "zh-hans",
    )
    assert "2026年11月16日" in out


def test_show_checks_the_reader_when_asked(story, team):
    assert "Growth" in run(
        "digest", "show", "--org", "acme", "--unit", "Growth", "--as", "bob@example.com"
    )
    with pytest.raises(CommandError, match="may not read this digest"):
        run("digest", "show", "--org", "acme", "--unit", "Growth", "--as", "victor@example.com")


def test_show_a_subscribers_version(story, org, alice):
    sub = subscriber_add(
        access=access_of(org, alice), email="ivy@example.org", sections=["at_risk"]
    )
    out = run("digest", "show", "--org", "acme", "--subscriber", sub.code, "--week", "2026-11-16")
    assert "Grow NPS from 20 to 50" in out and "Bob Member" not in out
    assert "Unsubscribe:" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--org", "nowhere"), "No organization has the address"),
        (("--org", "acme", "--unit", "Nope"), "No unit is called or coded"),
        (("--org", "acme", "--week", "someday"), "is not a date"),
        (("--org", "acme", "--subscriber", "zzz"), "No subscriber has the code"),
    ],
)
def test_show_refuses_bad_input_clearly(story, args, message):
    with pytest.raises(CommandError, match=message):
        run("digest", "show", *args)


def test_send_emails_a_member_now(story, smtp, team):
    out = run(
        "digest",
        "send",
        "--org",
        "acme",
        "--unit",
        "Growth",
        "--week",
        "2026-11-16",
        "--to",
        "carol@example.com",
    )
    assert "Sent “Growth: the week of 16 Nov in OKRs" in out
    (message,) = smtp.wait_for(1)
    assert message["To"] == "carol@example.com"


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("stranger@example.org", "digests go to members only"),
        ("victor@example.com", "may not read this digest"),
        ("mallory@example.com", "digests go to members only"),
    ],
)
def test_send_refuses_who_may_not_read_it(story, smtp, team, other_org, to, message):
    with pytest.raises(CommandError, match=message):
        run("digest", "send", "--org", "acme", "--unit", "Growth", "--to", to)
    assert not Delivery.objects.exists()


def test_subscriber_add_list_and_remove(org, team, alice):
    out = run(
        "subscriber",
        "add",
        "ivy@example.org",
        "--as",
        "alice@example.com",
        "--sections",
        "summary,at_risk",
        "--unit",
        "Growth",
        "--name",
        "Ivy",
    )
    sub = Subscriber.objects.get()
    assert sub.code in out and sub.sections == ["summary", "at_risk"] and sub.unit == team
    listing = run("subscriber", "list", "--as", "alice@example.com")
    assert f"{sub.code}  ivy@example.org  Growth  active  summary,at_risk  no names" in listing
    data = json.loads(run("subscriber", "list", "--as", "alice@example.com", "--json"))
    assert data[0]["email"] == "ivy@example.org"
    with pytest.raises(CommandError, match="No subscriber"):
        run("subscriber", "remove", "ivy@example.org", "--as", "alice@example.com")  # company
    assert "Removed ivy@example.org" in run(
        "subscriber", "remove", "ivy@example.org", "--unit", "Growth", "--as", "alice@example.com"
    )
    assert "Nobody outside" in run("subscriber", "list", "--as", "alice@example.com")


def test_subscriber_commands_refuse_non_admins_and_bad_input(org, team, bob, alice):
    with pytest.raises(CommandError, match="Only owners and admins"):
        run("subscriber", "list", "--as", "bob@example.com")
    with pytest.raises(CommandError, match="sections: Unknown sections: plans"):
        run(
            "subscriber", "add", "x@example.org", "--as", "alice@example.com", "--sections", "plans"
        )
    with pytest.raises(CommandError, match="is not an email address"):
        run("subscriber", "add", "nope", "--as", "alice@example.com")
    assert not Subscriber.objects.exists()
