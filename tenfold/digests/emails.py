"""Digests as emails (a subject / text / html triple of templates), as a short chat message,
and the signed unsubscribe link of subscribers.

Rendering happens inside `translation.override(language)`: the recipient's language when they
chose one, else the organization's. The page at `digest` includes the very same body template
(`digests/email/_digest.html`), so what people see there is what the email says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenfold.notifications.services import send_email, site_url
from tenfold.organizations.models import Organization
from tenfold.web.templatetags.tenfold import pct, status_label

from .models import Section, Subscriber
from .selectors import Digest

MEMBER_SECTIONS = ("summary", "moved", "at_risk", "objectives", "plans", "help", "highlights")
"""Everything a member's digest shows."""
UNSUBSCRIBE_SALT = "tenfold.digests.unsubscribe"
CHAT_LINES = 5


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    language: str


def language_of(organization: Organization, user: Any = None) -> str:
    """The language to write to someone in: theirs, else the organization's, else the site's;
    always one Tenfold speaks."""
    wanted = (getattr(user, "language", "") or "") or organization.language or ""
    try:
        return translation.get_supported_language_variant(wanted or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


# --- what a reader sees ---------------------------------------------------------------------------


def member_context(digest: Digest) -> dict[str, Any]:
    """The template context of a member's digest: every section, names, links to the pages.
    The company's leaves out people's plans and problems: it counts them per team instead."""
    show = dict.fromkeys(MEMBER_SECTIONS, True)
    show["plans"] = digest.kind != "company"
    return {
        "d": digest,
        "org": digest.organization,
        "show": show,
        "names": True,
        "links": True,
        "preferences_url": site_url("my_notifications", org=digest.organization.slug),
        "unsubscribe_url": "",
    }


def subscriber_sections(subscriber: Subscriber) -> list[str]:
    return [value for value in Section.values if value in (subscriber.sections or [])]


def subscriber_context(
    digest: Digest,
    *,
    sections: Iterable[str],
    include_names: bool,
    unsubscribe_url: str = "",
) -> dict[str, Any]:
    """A subscriber's digest: only the sections the admin ticked, no links into the product
    (they cannot sign in), names only when the admin allowed them, and never plans, problems
    or who may need help."""
    chosen = set(sections)
    return {
        "d": digest,
        "org": digest.organization,
        "show": {key: key in chosen for key in MEMBER_SECTIONS},
        "names": include_names,
        "links": False,
        "preferences_url": "",
        "unsubscribe_url": unsubscribe_url,
    }


def render(template: str, context: dict[str, Any], *, language: str) -> Rendered:
    """The subject, text and HTML of `digests/email/<template>*`, in `language`."""
    with translation.override(language):
        context = {**context, "LANGUAGE_CODE": language}
        base = f"digests/email/{template}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    return Rendered(subject=subject, text=_tidy(text), html=html, language=language)


def _tidy(text: str) -> str:
    """Plain text without the runs of blank lines template tags leave behind."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines).strip() + "\n"


def render_member(digest: Digest, *, language: str) -> Rendered:
    return render(digest.kind, member_context(digest), language=language)


def render_subscriber(digest: Digest, subscriber: Subscriber) -> Rendered:
    context = subscriber_context(
        digest,
        sections=subscriber_sections(subscriber),
        include_names=subscriber.include_names,
        unsubscribe_url=unsubscribe_url(subscriber),
    )
    return render("subscriber", context, language=language_of(digest.organization))


def send(to: str, rendered: Rendered, *, unsubscribe: str = "") -> str:
    """Send a rendered digest; says which language it is in, and how to stop it."""
    headers = {"Content-Language": rendered.language}
    if unsubscribe:
        # One-click unsubscribe (RFC 8058): mail clients POST to the link without a cookie.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return send_email(
        to=to, subject=rendered.subject, text=rendered.text, html=rendered.html, headers=headers
    )


# --- unsubscribing without signing in -------------------------------------------------------------


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.code)


def unsubscribe_url(subscriber: Subscriber) -> str:
    return site_url("digest_unsubscribe", token=unsubscribe_token(subscriber))


def subscriber_of_token(token: str) -> Subscriber | None:
    """The subscriber a token was signed for; None for a forged or mangled token."""
    try:
        code = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    return Subscriber.objects.select_related("organization", "unit").filter(code=code).first()


# --- chat -----------------------------------------------------------------------------------------


def chat_message(digest: Digest, *, language: str) -> Any:
    """The short version for a team's chat channels: a few numbers, the biggest movers and
    what needs attention, and a link to the whole digest. None when the chat app is not
    installed. Nobody is named: chat channels may have guests."""
    try:
        from tenfold.chat.layouts import ChatMessage
    except ImportError:
        return None
    with translation.override(language):
        facts: list[tuple[str, str]] = []
        if digest.cycle is not None:
            facts.append((_("Cycle elapsed"), pct(digest.elapsed)))
            if digest.progress is not None:
                facts.append((_("Average progress"), pct(digest.progress)))
            facts.append((_("Behind the calendar"), str(digest.behind)))
            facts.append((_("Stale"), str(digest.stale_total)))
            facts.append((_("Check-ins this week"), str(digest.checkin_count)))
        sections: list[tuple[str, list[str]]] = []
        moved = [
            f"{line.title}: {pct(line.before_progress)} → {pct(line.progress)}"
            for line in digest.movers[:CHAT_LINES]
        ]
        if moved:
            sections.append((_("What moved this week"), moved))
        attention = [
            f"{line.title} ({status_label(line.status)})"
            for line in [*digest.at_risk, *digest.stale][:CHAT_LINES]
        ]
        if attention:
            sections.append((_("Needs attention"), attention))
        reached = [line.title for line in digest.reached[:CHAT_LINES]]
        if reached:
            sections.append((_("Reached its target"), reached))
        if digest.kind == "company" and digest.teams_needing_help:
            sections.append(
                (
                    _("Teams that may need support"),
                    [team.name for team in digest.teams_needing_help[:CHAT_LINES]],
                )
            )
        title = _("Weekly digest: %(title)s, week of %(week)s") % {
            "title": digest.title,
            "week": date_format(digest.week, "MONTH_DAY_FORMAT"),
        }
        tone = "warning" if digest.behind or digest.stale_total else "good"
        return ChatMessage(
            title=title,
            sections=sections,
            facts=facts,
            link=(_("Open the digest"), digest.url),
            tone=tone,
        )
