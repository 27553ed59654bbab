"""One chat message, drawn for Slack and for Microsoft Teams.

Reminders, digests and alerts describe what they want to say once, as a provider-neutral
`ChatMessage`; `slack_payload()` and `teams_payload()` turn it into the JSON each incoming
webhook expects. Pure functions, no database and no network, so the shapes are easy to test.

Slack gets Block Kit: a header, the intro and sections as mrkdwn, facts as section fields, a
button for the main link, a context line, and a plain `text` that notifications and screen
readers show. Slack reads `&`, `<` and `>` as markup (`<url|label>` is a link), so every piece
of our text that goes into mrkdwn is escaped. Teams gets an Adaptive Card (1.4, the highest
version Teams renders everywhere) inside the message envelope its webhooks take.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

# Limits of Slack's Block Kit; longer text is refused with "invalid_blocks", so we cut first.
SLACK_HEADER_MAX = 150
SLACK_TEXT_MAX = 3000
SLACK_FIELD_MAX = 2000
SLACK_FIELDS_PER_SECTION = 10
SLACK_BUTTON_MAX = 75
SLACK_BLOCKS_MAX = 50
ADAPTIVE_VERSION = "1.4"
ADAPTIVE_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


class Tone(enum.StrEnum):
    """How the message should feel: drawn as a coloured title in Teams and a coloured dot in
    Slack's context line."""

    INFO = "info"
    GOOD = "good"
    WARNING = "warning"
    DANGER = "danger"


class Section(NamedTuple):
    heading: str
    lines: Sequence[str]


class Fact(NamedTuple):
    label: str
    value: str


class Link(NamedTuple):
    label: str
    url: str


@dataclass(frozen=True)
class ChatMessage:
    """What a chat message says, whatever it is posted to. Sections, facts and the link may be
    given as plain tuples: `("Heading", ["line", ...])`, `("Label", "value")`,
    `("Open", "https://…")`."""

    title: str
    text: str = ""
    sections: Sequence[Section | tuple[str, Sequence[str]]] = ()
    facts: Sequence[Fact | tuple[str, str]] = ()
    link: Link | tuple[str, str] | None = None
    tone: Tone | str = Tone.INFO
    footer: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    """Free room for callers (not rendered)."""

    @property
    def the_sections(self) -> list[Section]:
        return [Section(str(h), [str(line) for line in lines]) for h, lines in self.sections]

    @property
    def the_facts(self) -> list[Fact]:
        return [Fact(str(label), str(value)) for label, value in self.facts]

    @property
    def the_link(self) -> Link | None:
        if self.link is None:
            return None
        label, url = self.link
        return Link(str(label), str(url))

    @property
    def the_tone(self) -> Tone:
        try:
            return Tone(str(self.tone))
        except ValueError:
            return Tone.INFO

    def plain_text(self) -> str:
        """The whole message as plain lines: Slack's notification fallback, logs, tests."""
        parts = [self.title]
        if self.text:
            parts.append(self.text)
        parts.extend(f"{fact.label}: {fact.value}" for fact in self.the_facts)
        for section in self.the_sections:
            parts.append(section.heading)
            parts.extend(f"• {line}" for line in section.lines)
        link = self.the_link
        if link is not None:
            parts.append(f"{link.label}: {link.url}")
        if self.footer:
            parts.append(self.footer)
        return "\n".join(part for part in parts if part)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Slack ------------------------------------------------------------------------------------


def slack_escape(text: str) -> str:
    """Text as Slack shows it literally: its three control characters as HTML entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


SLACK_DOTS = {
    Tone.INFO: "",
    Tone.GOOD: ":large_green_circle:",
    Tone.WARNING: ":large_yellow_circle:",
    Tone.DANGER: ":red_circle:",
}


def _trim_escaped(escaped: str, limit: int) -> str:
    """Cut already escaped text to `limit` characters without leaving half an entity
    ("&am") at the end."""
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "…"


def _escaped_cut(text: str, limit: int) -> str:
    return _trim_escaped(slack_escape(text), limit)


def slack_payload(message: ChatMessage) -> dict[str, Any]:
    """The JSON body for a Slack incoming webhook."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            # plain_text is shown as typed: no escaping here, or "&amp;" would show.
            "text": {
                "type": "plain_text",
                "text": _cut(message.title, SLACK_HEADER_MAX),
                "emoji": True,
            },
        }
    ]
    if message.text:
        blocks.append(
            {"type": "section", "text": _mrkdwn(_escaped_cut(message.text, SLACK_TEXT_MAX))}
        )
    facts = message.the_facts
    for start in range(0, len(facts), SLACK_FIELDS_PER_SECTION):
        chunk = facts[start : start + SLACK_FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [
                    _mrkdwn(
                        f"*{_escaped_cut(fact.label, 200)}*\n"
                        + _escaped_cut(fact.value, SLACK_FIELD_MAX - 220)
                    )
                    for fact in chunk
                ],
            }
        )
    for section in message.the_sections:
        heading = f"*{_escaped_cut(section.heading, 200)}*"
        lines = "\n".join(f"• {slack_escape(line)}" for line in section.lines)
        body = heading + ("\n" + lines if lines else "")
        if len(body) > SLACK_TEXT_MAX:
            body = _trim_escaped(body, SLACK_TEXT_MAX)
        blocks.append({"type": "section", "text": _mrkdwn(body)})
    link = message.the_link
    if link is not None:
        button: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": _cut(link.label, SLACK_BUTTON_MAX)},
            "url": link.url,
        }
        button["style"] = "danger" if message.the_tone is Tone.DANGER else "primary"
        blocks.append({"type": "actions", "elements": [button]})
    context = " ".join(
        part for part in (SLACK_DOTS[message.the_tone], _escaped_cut(message.footer, 2000)) if part
    )
    if context:
        blocks.append({"type": "context", "elements": [_mrkdwn(context)]})
    if len(blocks) > SLACK_BLOCKS_MAX:
        blocks = [*blocks[: SLACK_BLOCKS_MAX - 1], {"type": "context", "elements": [_mrkdwn("…")]}]
    return {"text": _escaped_cut(message.plain_text(), SLACK_TEXT_MAX), "blocks": blocks}


# --- Microsoft Teams --------------------------------------------------------------------------


TEAMS_COLOURS = {
    Tone.INFO: "Default",
    Tone.GOOD: "Good",
    Tone.WARNING: "Warning",
    Tone.DANGER: "Attention",
}


def _block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def teams_card(message: ChatMessage) -> dict[str, Any]:
    """The Adaptive Card alone."""
    body: list[dict[str, Any]] = [
        _block(
            message.title,
            size="Large",
            weight="Bolder",
            color=TEAMS_COLOURS[message.the_tone],
            style="heading",
        )
    ]
    if message.text:
        body.append(_block(message.text))
    facts = message.the_facts
    if facts:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": fact.label, "value": fact.value} for fact in facts],
            }
        )
    for section in message.the_sections:
        body.append(_block(section.heading, weight="Bolder", spacing="Medium"))
        # One block per line: Teams' markdown lists need exact line breaks, blocks do not.
        body.extend(_block(f"• {line}", spacing="Small") for line in section.lines)
    if message.footer:
        body.append(_block(message.footer, isSubtle=True, size="Small", spacing="Medium"))
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": ADAPTIVE_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    link = message.the_link
    if link is not None:
        card["actions"] = [{"type": "Action.OpenUrl", "title": link.label, "url": link.url}]
    return card


def teams_payload(message: ChatMessage) -> dict[str, Any]:
    """The JSON body for a Teams incoming webhook (or a Workflows "post to a channel when a
    webhook request is received" URL): a message with the card as its only attachment."""
    return {
        "type": "message",
        "summary": _cut(message.title, 200),
        "attachments": [
            {
                "contentType": ADAPTIVE_CONTENT_TYPE,
                "contentUrl": None,
                "content": teams_card(message),
            }
        ],
    }


def payload_for(provider: str, message: ChatMessage) -> dict[str, Any]:
    if provider == "slack":
        return slack_payload(message)
    if provider == "teams":
        return teams_payload(message)
    raise ValueError(f"unknown chat provider {provider!r}")
