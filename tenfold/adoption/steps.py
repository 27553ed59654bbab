"""The standard steps of the implementation checklist (METHOD §8) and the explanation of each
rollout shape, adapted to the shape: with a pilot only the pilot team drafts, with team leads
only the leads draft, with everyone every team does. Pure data and date arithmetic; no
database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .policy import EVERYONE, LEADS, PILOT

PREPARATION_DAYS = 21
"""Without a cycle to aim at, the first one is assumed to start three weeks from today:
METHOD §6 drafts OKRs two to four weeks before a cycle."""
DEFAULT_CYCLE_DAYS = 91


@dataclass(frozen=True)
class Shape:
    key: str
    name: Promise
    who: Promise
    suits: Promise
    first_cycle: Promise


SHAPE_TEXTS: dict[str, Shape] = {
    PILOT: Shape(
        PILOT,
        _("Pilot team first"),
        _("One team writes and runs OKRs; everyone else watches how it goes."),
        _(
            "Larger or cautious organizations, or when people doubt OKRs will work here: one "
            "team learns the method and becomes the example for the others."
        ),
        _(
            "The pilot team writes one committed objective that serves a company objective the "
            "leaders wrote, checks in every week and reports what it learned at the end. Other "
            "teams join from the next cycle."
        ),
    ),
    LEADS: Shape(
        LEADS,
        _("Team leads only"),
        _(
            "Leaders write the company objective; each team lead writes their team's OKR and "
            "runs its weekly check-in."
        ),
        _(
            "Organizations with several teams that want to practise alignment between the "
            "company and the teams before asking every person to take part."
        ),
        _(
            "Every lead drafts one committed objective for their team, the leads present them "
            "to each other in an alignment session, and the leads check in every week. Team "
            "members join when the rhythm is steady."
        ),
    ),
    EVERYONE: Shape(
        EVERYONE,
        _("Everyone at once"),
        _("Every team writes its OKR together, and every person plans their week with it."),
        _(
            "Small or flat companies where everyone already talks to everyone, so one shared "
            "start is simpler than a staged one."
        ),
        _(
            "Each team drafts one committed objective together, all teams align in one session, "
            "and everyone writes their weekly plans, progress and problems against it."
        ),
    ),
}


@dataclass(frozen=True)
class Step:
    key: str
    titles: dict[str, Promise]
    """The step's title for each rollout shape."""
    help: Promise
    link: str | None
    """The URL name of the page where the step is done."""
    needs: str = ""
    """What the link needs besides the organization: "cycle" or "pilot" (the pilot team)."""
    fallback: str | None = None
    """The URL name to use when what `needs` names is missing, or `link` does not exist."""
    link_label: Promise | None = None
    anchor: str = "start"
    """The date the due date counts from: the first cycle's "start" or "end"."""
    days: int = 0
    pilot_owned: bool = False
    """With a pilot rollout, the pilot team's lead owns the step."""

    def title(self, shape: str) -> str:
        return str(self.titles.get(shape) or self.titles[EVERYONE])


def _same(text: Promise) -> dict[str, Promise]:
    return {PILOT: text, LEADS: text, EVERYONE: text}


STEPS: tuple[Step, ...] = (
    Step(
        "learn",
        {
            PILOT: _("The pilot team and its sponsor learn how OKRs work"),
            LEADS: _("Leaders and team leads learn how OKRs work"),
            EVERYONE: _("Everyone learns the basics of OKRs"),
        },
        _(
            "Objectives say where to go, key results measure that you got there, weekly plans "
            "move them. Scores are for learning and never feed performance reviews."
        ),
        None,
        anchor="start",
        days=-21,
    ),
    Step(
        "examples",
        _same(_("Browse example OKRs")),
        _("Look at good and weak examples for teams like yours before writing your own."),
        "library",
        link_label=_("Open the examples"),
        days=-19,
    ),
    Step(
        "levels",
        {
            PILOT: _("Choose the pilot team and set up the levels"),
            LEADS: _("Decide the levels: the company and its teams"),
            EVERYONE: _("Decide the levels: the company and its teams"),
        },
        _(
            "Two levels are enough to start: the company and the teams. Add departments only "
            "if teams already report to one."
        ),
        "settings_units",
        link_label=_("Set up units"),
        days=-17,
    ),
    Step(
        "company",
        {
            PILOT: _("Leaders write the company objective the pilot serves"),
            LEADS: _("Leaders draft the company objective"),
            EVERYONE: _("Leaders draft the company objective"),
        },
        _(
            "One company objective for the first cycle, with a short explanation of why it "
            "matters now. It may have no key results: the teams' OKRs move it."
        ),
        "planning_next",
        link_label=_("Open planning"),
        days=-14,
    ),
    Step(
        "teams",
        {
            PILOT: _("The pilot team drafts its one objective"),
            LEADS: _("Each team lead drafts one objective for their team"),
            EVERYONE: _("Each team drafts one objective together"),
        },
        _(
            "One committed objective per team, with three to five key results that measure "
            "outcomes, not tasks."
        ),
        "planning_next",
        link_label=_("Open planning"),
        days=-10,
        pilot_owned=True,
    ),
    Step(
        "alignment",
        {
            PILOT: _("The pilot team presents its OKR to the leaders"),
            LEADS: _("Alignment session: each lead presents their team's OKR"),
            EVERYONE: _("Alignment session: each team presents its OKR"),
        },
        _(
            "Each draft is presented, questioned and improved; then it is approved. In the "
            "first cycle, linking every team objective up can wait until the habit exists."
        ),
        "alignment_session",
        needs="cycle",
        fallback="planning_next",
        link_label=_("Open the alignment session"),
        days=-5,
        pilot_owned=True,
    ),
    Step(
        "weekly",
        {
            PILOT: _("Agree the pilot team's weekly check-in slot"),
            LEADS: _("Agree a weekly check-in slot for each team"),
            EVERYONE: _("Agree a weekly check-in slot for each team"),
        },
        _(
            "Fifteen to twenty minutes a week: where each OKR stands, what was learned, and "
            "next week's plans."
        ),
        "team_meeting",
        needs="pilot",
        fallback="settings_weekly",
        link_label=_("Set the weekly rhythm"),
        days=-2,
        pilot_owned=True,
    ),
    Step(
        "monthly",
        _same(_("Hold a monthly retrospective")),
        _(
            "Once a month, leads and managers look for what gets in the way of the OKRs and "
            "agree how to fix it."
        ),
        "monthly_review",
        link_label=_("Open the monthly review"),
        days=28,
    ),
    Step(
        "review",
        _same(_("Put the end-of-cycle review on the calendar")),
        _(
            "Teams review first, then the company: score each key result, note what worked "
            "and what to stop, start and continue."
        ),
        "reviews",
        needs="cycle",
        link_label=_("Open the reviews"),
        anchor="end",
        days=-10,
    ),
)

STEP_BY_KEY = {step.key: step for step in STEPS}


def due_dates(
    today: dt.date, cycle_start: dt.date | None, cycle_end: dt.date | None
) -> dict[str, dt.date]:
    """The due date of each standard step, counted from the first cycle (or from a cycle
    assumed to start in three weeks), never before today."""
    start = cycle_start or today + dt.timedelta(days=PREPARATION_DAYS)
    end = cycle_end or start + dt.timedelta(days=DEFAULT_CYCLE_DAYS - 1)
    result = {}
    for step in STEPS:
        anchor = end if step.anchor == "end" else start
        result[step.key] = max(today, anchor + dt.timedelta(days=step.days))
    return result


def shape_choices() -> list[tuple[str, Any]]:
    return [(key, shape.name) for key, shape in SHAPE_TEXTS.items()]
