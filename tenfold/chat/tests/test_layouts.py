"""The JSON that Slack and Teams receive, built from one ChatMessage: shapes, limits and
Slack's escaping. Pure: no database."""

from __future__ import annotations

import json

from tenfold.chat.layouts import (
    ADAPTIVE_CONTENT_TYPE,
    ChatMessage,
    Fact,
    Link,
    Section,
    Tone,
    payload_for,
    slack_escape,
    slack_payload,
    teams_payload,
)

MESSAGE = ChatMessage(
    title="Weekly check-in: Growth",
    text="Three key results wait for an update.",
    sections=[Section("Key results", ["Activation 20% → 40%", "Churn < 3% & falling"])],
    facts=[Fact("Due", "Friday 10:00"), ("Team", "Growth")],
    link=Link("Open my week", "https://okr.example.com/acme/week/"),
    tone=Tone.WARNING,
    footer="Sent by Tenfold",
)


def test_slack_gets_header_sections_fields_button_and_context():
    payload = slack_payload(MESSAGE)
    types = [block["type"] for block in payload["blocks"]]
    assert types == ["header", "section", "section", "section", "actions", "context"]
    header, intro, facts, section, actions, context = payload["blocks"]
    assert header["text"] == {
        "type": "plain_text",
        "text": "Weekly check-in: Growth",
        "emoji": True,
    }
    assert intro["text"] == {"type": "mrkdwn", "text": "Three key results wait for an update."}
    assert facts["fields"] == [
        {"type": "mrkdwn", "text": "*Due*\nFriday 10:00"},
        {"type": "mrkdwn", "text": "*Team*\nGrowth"},
    ]
    assert section["text"]["text"] == (
        "*Key results*\n• Activation 20% → 40%\n• Churn &lt; 3% &amp; falling"
    )
    button = actions["elements"][0]
    assert button["type"] == "button"
    assert button["url"] == "https://okr.example.com/acme/week/"
    assert button["text"]["text"] == "Open my week"
    assert context["elements"][0]["text"] == ":large_yellow_circle: Sent by Tenfold"
    # The plain fallback carries everything, for notifications and screen readers.
    assert payload["text"].startswith("Weekly check-in: Growth\nThree key results")
    assert "Open my week: https://okr.example.com/acme/week/" in payload["text"]
    json.dumps(payload)  # serialisable as it is


def test_slack_escapes_its_control_characters_in_every_mrkdwn_text():
    assert slack_escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    evil = ChatMessage(
        title="<!channel> & co",
        text="Ping <!here> or <https://evil.example|click>",
        facts=[("<b>", "x > y")],
        sections=[("A & B", ["<@U123>"])],
        footer="1 < 2",
    )
    payload = slack_payload(evil)
    mrkdwn = [
        payload["text"],
        payload["blocks"][1]["text"]["text"],
        *(field["text"] for field in payload["blocks"][2]["fields"]),
        payload["blocks"][3]["text"]["text"],
        payload["blocks"][4]["elements"][0]["text"],
    ]
    for text in mrkdwn:
        assert "<" not in text and ">" not in text, text
    assert "Ping &lt;!here&gt; or &lt;https://evil.example|click&gt;" in mrkdwn[1]
    assert mrkdwn[2] == "*&lt;b&gt;*\nx &gt; y"
    # plain_text shows as typed: escaping it would show "&amp;" to people.
    assert payload["blocks"][0]["text"]["text"] == "<!channel> & co"


def test_slack_limits_are_respected_and_entities_are_never_cut_in_half():
    long = ChatMessage(
        title="T" * 400,
        text="&" * 2000,  # 10,000 characters once escaped
        facts=[(f"F{n}", "v") for n in range(23)],
    )
    payload = slack_payload(long)
    header, intro, *fields = payload["blocks"]
    assert len(header["text"]["text"]) == 150 and header["text"]["text"].endswith("…")
    assert len(intro["text"]["text"]) <= 3000
    assert intro["text"]["text"].endswith("&amp;…")
    assert [len(block["fields"]) for block in fields] == [10, 10, 3]
    assert len(payload["text"]) <= 3000


def test_a_minimal_message_is_a_header_and_its_fallback():
    payload = slack_payload(ChatMessage(title="Hello"))
    assert payload == {
        "text": "Hello",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Hello", "emoji": True}}
        ],
    }


def test_teams_gets_an_adaptive_card_in_a_message_envelope():
    payload = teams_payload(MESSAGE)
    assert payload["type"] == "message"
    assert len(payload["attachments"]) == 1
    attachment = payload["attachments"][0]
    assert attachment["contentType"] == ADAPTIVE_CONTENT_TYPE
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    body = card["body"]
    assert body[0]["type"] == "TextBlock" and body[0]["text"] == "Weekly check-in: Growth"
    assert body[0]["weight"] == "Bolder" and body[0]["color"] == "Warning"
    assert body[1] == {"type": "TextBlock", "text": MESSAGE.text, "wrap": True}
    assert body[2] == {
        "type": "FactSet",
        "facts": [{"title": "Due", "value": "Friday 10:00"}, {"title": "Team", "value": "Growth"}],
    }
    texts = [block["text"] for block in body if block["type"] == "TextBlock"]
    assert "Key results" in texts
    assert "• Churn < 3% & falling" in texts  # Teams needs no HTML entities
    assert texts[-1] == "Sent by Tenfold"
    assert all(block.get("wrap") for block in body if block["type"] == "TextBlock")
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open my week",
            "url": "https://okr.example.com/acme/week/",
        }
    ]
    json.dumps(payload)


def test_tones_colour_the_teams_title_and_the_slack_dot():
    for tone, colour, dot in (
        (Tone.INFO, "Default", None),
        (Tone.GOOD, "Good", ":large_green_circle:"),
        (Tone.DANGER, "Attention", ":red_circle:"),
    ):
        message = ChatMessage(title="x", tone=tone)
        assert teams_payload(message)["attachments"][0]["content"]["body"][0]["color"] == colour
        blocks = slack_payload(message)["blocks"]
        if dot is None:
            assert [b["type"] for b in blocks] == ["header"]
        else:
            assert blocks[-1]["elements"][0]["text"] == dot
    assert ChatMessage(title="x", tone="nonsense").the_tone is Tone.INFO


def test_payload_for_picks_the_provider():
    assert payload_for("slack", MESSAGE) == slack_payload(MESSAGE)
    assert payload_for("teams", MESSAGE) == teams_payload(MESSAGE)
    try:
        payload_for("irc", MESSAGE)
    except ValueError as error:
        assert "irc" in str(error)
    else:
        raise AssertionError("an unknown provider must be refused")
