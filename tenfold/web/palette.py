"""The command palette's actions and the keyboard shortcuts of every page.

The shortcuts sheet and the palette are two <dialog>s at the end of every page of an
organization (`web/_keys.html`), the same for everyone in it who reads the same language, so
they are drawn once per organization and language and kept in this process, like the header.
`tenfold/web/static/tenfold/keys.js` reads the shortcuts from the sheet itself (each row
carries its keys and where it leads): every text stays in the templates, translated."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tenfold.lib.quicksearch import label_matches

CHECK_IN_FIELDS = "input.checkin-value, .checkin-form .checkin-value input"
"""Where `c` puts the cursor on a page with a check-in form (my week, an objective, a key
result): the first value field."""

LIMIT = 1000
_kept: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Action:
    """Somewhere the palette can take you: its label, the words that also find it, where it
    leads, and its keyboard shortcut (keys pressed one after the other)."""

    label: str
    path: str
    words: str = ""
    keys: tuple[str, ...] = ()
    focus: str = ""
    """On pages that have one, the field the shortcut puts the cursor in instead."""

    def matches(self, query: str) -> bool:
        return label_matches(query, self.label, self.words)


def daily_actions(slug: str) -> list[Action]:
    """The actions with a shortcut: the same for everyone in the organization."""
    week = reverse("my_week", kwargs={"org": slug})
    return [
        Action(_("Go to my week"), week, _("plans progress problems weekly report"), ("g", "w")),
        Action(
            _("Check in on my key results"),
            f"{week}#key-results",
            _("update progress confidence value"),
            ("c",),
            CHECK_IN_FIELDS,
        ),
        Action(
            _("Go to my team's week"),
            reverse("my_team_week", kwargs={"org": slug}),
            _("team weekly plans meeting"),
            ("g", "t"),
        ),
        Action(
            _("Company OKRs"),
            reverse("company", kwargs={"org": slug}),
            _("objectives home"),
            ("g", "c"),
        ),
        Action(
            _("Company dashboard"),
            reverse("dashboard", kwargs={"org": slug}),
            _("status progress heatmap"),
            ("g", "d"),
        ),
        Action(
            _("Alignment tree"),
            reverse("tree", kwargs={"org": slug}),
            _("align objectives hierarchy"),
            ("g", "a"),
        ),
    ]


def actions_for(slug: str, *, can_write: bool, is_admin: bool) -> list[Action]:
    """Every action the palette offers this person: the daily ones, then the other places
    they may go."""
    actions = daily_actions(slug)
    if can_write:
        actions.append(
            Action(
                _("Write a new objective"),
                reverse("objective_new", kwargs={"org": slug}),
                _("create add objective"),
            )
        )
    actions += [
        Action(
            _("Plan the next cycle"),
            reverse("planning_next", kwargs={"org": slug}),
            _("planning draft approve"),
        ),
        Action(_("KPIs"), reverse("kpis", kwargs={"org": slug}), _("health metrics")),
        Action(_("Activity"), reverse("activity", kwargs={"org": slug}), _("feed recent changes")),
        Action(
            _("Reminders and notifications"),
            reverse("my_notifications", kwargs={"org": slug}),
            _("email digest calendar settings"),
        ),
    ]
    if is_admin:
        actions.append(
            Action(
                _("Organization settings"),
                reverse("settings_general", kwargs={"org": slug}),
                _("people units cycles admin"),
            )
        )
    return actions


def dialogs(context: Any) -> str:
    """The shortcuts sheet and the palette for the page's organization, as HTML drawn from
    an auto-escaping template, or nothing outside one (or for someone not signed in)."""
    org = context.get("org")
    user = context.get("user")
    slug = getattr(org, "slug", None)
    if not slug or user is None or not getattr(user, "is_authenticated", False):
        return ""
    key = (slug, getattr(org, "name", ""), translation.get_language() or "")
    html = _kept.get(key)
    if html is None:
        html = render_to_string("web/_keys.html", {"org": org, "shortcuts": daily_actions(slug)})
        with _lock:
            _kept[key] = html
            while len(_kept) > LIMIT:
                _kept.popitem(last=False)
    return html


def forget() -> None:
    """Drop every kept copy (tests)."""
    with _lock:
        _kept.clear()
