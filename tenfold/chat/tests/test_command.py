"""tenfold chat: list, add, remove and test, as a person; bad input exits with a message and
writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.chat.models import ChatChannel
from tenfold.notifications.testing import Answer


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("chat", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


AS_CAROL = ("--as", "carol@example.com", "--org", "acme")


def test_add_list_and_remove(org, team):
    out, err = run(
        "add",
        *AS_CAROL,
        "--unit",
        "Growth",
        "--provider",
        "slack",
        "--name",
        "#growth",
        "--url",
        "https://hooks.slack.com/services/T/B/secret1234",
        "--kinds",
        "weekly,at_risk",
    )
    channel = ChatChannel.objects.get()
    assert f"Added #growth ({channel.code}) to Growth." in out and err == ""
    assert channel.kinds == ["weekly", "at_risk"]
    listed, _err = run("list", *AS_CAROL)
    assert channel.code in listed and "hooks.slack.com/…1234" in listed and "secret" not in listed
    data = json.loads(run("list", *AS_CAROL, "--unit", team.code, "--json")[0])
    assert [(c["code"], c["kinds"]) for c in data] == [(channel.code, ["weekly", "at_risk"])]
    out, _err = run("remove", *AS_CAROL, channel.code)
    assert "Removed #growth." in out
    assert not ChatChannel.objects.exists()


def test_an_unusual_host_is_warned_about_on_stderr(org, team):
    _out, err = run(
        "add",
        *AS_CAROL,
        "--unit",
        team.code,
        "--provider",
        "teams",
        "--name",
        "T",
        "--url",
        "https://relay.example.org/teams",
    )
    assert "relay.example.org is not an address Microsoft Teams usually gives out" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kinds", "weekly,nope"), "kinds: Unknown kind of message: nope."),
        (("--kinds", ""), "kinds: Choose at least one kind of message."),
        (("--url", "ftp://x"), "url: Only http:// and https:// addresses can be used."),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(org, team, args, message):
    base = {"--provider": "slack", "--name": "#g", "--url": "https://hooks.slack.com/x"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    with pytest.raises(CommandError) as raised:
        run("add", *AS_CAROL, "--unit", team.code, *flat)
    assert message in str(raised.value)
    assert not ChatChannel.objects.exists()


def test_a_member_may_not_add_and_an_unknown_unit_or_code_is_refused(org, team):
    with pytest.raises(CommandError, match="Only the unit's leads and the organization's admins"):
        run(
            "add",
            "--as",
            "bob@example.com",
            "--unit",
            team.code,
            "--provider",
            "slack",
            "--name",
            "x",
            "--url",
            "https://hooks.slack.com/x",
        )
    with pytest.raises(CommandError, match="No unit is called or coded “Nowhere”"):
        run("list", *AS_CAROL, "--unit", "Nowhere")
    with pytest.raises(CommandError, match="No chat channel of this organization has that code"):
        run("remove", *AS_CAROL, "zzzzzzzzzz")


def test_test_sends_or_says_why_not(org, slack, receiver):
    out, _err = run("test", *AS_CAROL, slack.code)
    assert "Test message sent to #growth." in out
    receiver.wait_for(1)
    receiver.answers["/slack/T000/B000/XXXXsecret"] = Answer(404, b"no_service")
    with pytest.raises(
        CommandError, match="did not arrive: Slack answered with status 404: no_service"
    ):
        run("test", *AS_CAROL, slack.code)
