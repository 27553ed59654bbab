"""The question bank of the end-of-cycle review (METHOD §7), in Tenfold's own words.

Answers are stored by question id, so the ids are part of the data format: never reuse an id
for a different question, and keep old ids readable if a question is retired.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    id: str
    group: str
    text: str | Promise


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    hint: str | Promise


GROUPS = (
    Group(
        "process",
        _("The OKRs and the process"),
        _("Were these the right goals, and did the way you worked with them help?"),
    ),
    Group("success", _("What went well"), _("Name what worked, so it can happen again.")),
    Group(
        "failures",
        _("Failures and challenges"),
        _("Look for causes, not culprits: falling short is how a team learns where it stands."),
    ),
    Group("future", _("Looking ahead"), _("Turn what you learned into the next cycle's plan.")),
    Group(
        "company",
        _("For the whole company"),
        _("Read the teams' summaries first, then answer for the organization as a whole."),
    ),
)

UNIT_QUESTIONS = (
    # The OKRs and the process
    Question(
        "process.right_okrs",
        "process",
        _(
            "Looking back, were these the right objectives for this cycle? What would you pick "
            "instead?"
        ),
    ),
    Question(
        "process.measurable",
        "process",
        _(
            "Did the key results tell you how things were really going, or did they count "
            "activity rather than outcomes?"
        ),
    ),
    Question(
        "process.rhythm",
        "process",
        _("How well did the weekly check-ins work for the team? What got in their way?"),
    ),
    Question(
        "process.ambition",
        "process",
        _("Was the level of ambition right? Which targets were too easy, and which out of reach?"),
    ),
    Question(
        "process.satisfied",
        "process",
        _("All things considered, how satisfied is the team with this cycle, and why?"),
    ),
    # Success
    Question(
        "success.proud",
        "success",
        _("Which result are you proudest of, and what made it happen?"),
    ),
    Question(
        "success.initiatives",
        "success",
        _("Which initiatives moved a key result the most?"),
    ),
    Question(
        "success.surprise",
        "success",
        _("Did anything work better than you expected? Why do you think it did?"),
    ),
    Question(
        "success.help",
        "success",
        _("Who outside the team helped you succeed, and how?"),
    ),
    # Failures and challenges
    Question(
        "failures.missed",
        "failures",
        _("Which key results fell short, and what do you now think caused it?"),
    ),
    Question(
        "failures.signs",
        "failures",
        _("When did you first notice something was going off track, and what did you do about it?"),
    ),
    Question(
        "failures.blockers",
        "failures",
        _("What held the team back that was outside its control?"),
    ),
    Question(
        "failures.dropped",
        "failures",
        _("Which initiatives did you stop or never start, and was that the right call?"),
    ),
    Question(
        "failures.again",
        "failures",
        _("If you could run this cycle again, what would you do differently?"),
    ),
    # The future
    Question(
        "future.carry_over",
        "future",
        _("Which objectives or key results should carry over into the next cycle, and why?"),
    ),
    Question(
        "future.focus",
        "future",
        _("What should the team concentrate on next cycle?"),
    ),
    Question(
        "future.support",
        "future",
        _("What support, people or tools would make the next cycle go better?"),
    ),
    Question(
        "future.one_change",
        "future",
        _("What single change to how you work with OKRs would help the most?"),
    ),
    Question(
        "future.risks",
        "future",
        _("Which risks can you already see coming in the next cycle?"),
    ),
)

COMPANY_QUESTIONS = (
    Question(
        "company.movement",
        "company",
        _("How far did the company move toward its objectives this cycle?"),
    ),
    Question(
        "company.teams",
        "company",
        _("Which teams made the most headway, and what can the others learn from how they worked?"),
    ),
    Question(
        "company.support",
        "company",
        _("How can we help the teams that did not reach their goals?"),
    ),
    Question(
        "company.focus",
        "company",
        _("Was the company's focus clear to every team? Where did it cause confusion?"),
    ),
    Question(
        "company.learnings",
        "company",
        _("What are the most important lessons for the whole organization?"),
    ),
    Question(
        "company.process",
        "company",
        _("How should we change the way we run OKRs in the next cycle?"),
    ),
)

ALL_QUESTIONS = {q.id: q for q in (*UNIT_QUESTIONS, *COMPANY_QUESTIONS)}


def questions_for(*, company: bool) -> tuple[Question, ...]:
    """The questions a review asks: the company review asks about the organization as a
    whole; a unit review works through the four groups."""
    return COMPANY_QUESTIONS if company else UNIT_QUESTIONS


def grouped(questions: tuple[Question, ...]) -> list[tuple[Group, list[Question]]]:
    """Questions under their group, in the bank's order, leaving out empty groups."""
    result = []
    for group in GROUPS:
        inside = [q for q in questions if q.group == group.key]
        if inside:
            result.append((group, inside))
    return result
