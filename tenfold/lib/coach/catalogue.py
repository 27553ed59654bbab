"""Every rule the coach knows: a stable id, its usual severity, the field it is about and its
three texts (what is wrong, why it matters, what to do). The ids are part of the public
interface: pages, the API and saved reports refer to them, so never rename one.

Texts are marked for translation and translated when a finding is made, in the language
active at that moment; the check functions also work without Django settings (then in English).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from tenfold.lib.coach.types import Finding, Severity


def _(message: str) -> str:
    """Marks a text for translation (makemessages collects `_("…")`) without needing Django
    settings at import time; `translate` does the real work when a finding is made."""
    return message


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    field: str
    message: str
    why: str
    suggestion: str
    scope: str  # key_result | objective | set | cycle


PROBLEM, WARNING, INFO = Severity.PROBLEM, Severity.WARNING, Severity.INFO

_RULES = [
    # --- key results ---------------------------------------------------------------------
    Rule(
        "kr.empty", PROBLEM, "title",
        _("This key result has no words in it."),
        _("A key result is how everyone will know the objective was reached; an empty one "
          "cannot be measured or graded."),
        _("Write the measurable result you expect, for example “Reduce lead-to-close time from "
          "14 to 10 days”."),
        "key_result",
    ),
    Rule(
        "kr.too_long", WARNING, "title",
        _("This key result is %(count)s characters long."),
        _("A key result is read at a glance in check-ins and dashboards; long titles hide the "
          "number that matters."),
        _("Keep only the metric, the start and the target; move the explanation to the notes."),
        "key_result",
    ),
    Rule(
        "kr.no_number", PROBLEM, "title",
        _("There is no number in this key result."),
        _("A key result without a number is almost always an output or a wish: nobody can say "
          "at the end of the cycle whether it was achieved."),
        _("Name the metric and the values: where it is now and where it should be at the end "
          "of the cycle."),
        "key_result",
    ),
    Rule(
        "kr.vague_change", WARNING, "title",
        _("It says which way to move, but not from where or how far."),
        _("“Increase”, “improve” or “more” without a baseline and a target can be claimed "
          "with any movement at all, so it cannot be graded."),
        _("Add the starting value and the target: “from … to …”."),
        "key_result",
    ),
    Rule(
        "kr.output", WARNING, "title",
        _("This reads like a task to do, not a result to achieve."),
        _("Key results are outcomes. Launching, building or writing something is an output: "
          "it can be done and still change nothing."),
        _("Ask “why?” until the measurable outcome appears: what should change for customers "
          "or the business once this is done? Keep the task as an initiative under that key "
          "result."),
        "key_result",
    ),
    Rule(
        "kr.counts_outputs", WARNING, "title",
        _("The number counts work done, not a result."),
        _("Counting posts, calls, interviews or releases measures effort. A team can hit the "
          "count and still not move anything that matters."),
        _("Measure what the work is meant to change (visits, conversion, time saved, "
          "revenue) and keep the count as a weekly plan."),
        "key_result",
    ),
    Rule(
        "kr.binary", WARNING, "title",
        _("This is done or not done, so it cannot show progress."),
        _("Key results are not binary. Something that is either finished or not is a plan or "
          "an initiative; it scores 0 until the last day."),
        _("Write the effect you expect once it is done, as a number that can move week by "
          "week, and track the delivery as an initiative."),
        "key_result",
    ),
    Rule(
        "kr.milestone_kind", WARNING, "kind",
        _("This key result is set up as a milestone (done or not)."),
        _("Milestones are initiatives, not key results: they show no progress until they are "
          "finished and say nothing about the outcome."),
        _("Choose increase, decrease, reach or keep above/below with a real metric; keep the "
          "milestone as an initiative."),
        "key_result",
    ),
    Rule(
        "kr.keep_without_threshold", WARNING, "title",
        _("It asks to keep a level without saying which level."),
        _("A keep-above or keep-below key result is graded against its threshold; without one "
          "it is never clearly met or missed."),
        _("State the threshold, for example “Keep p95 latency below 300 ms”."),
        "key_result",
    ),
    Rule(
        "kr.no_target", PROBLEM, "target",
        _("This key result has no target value."),
        _("Progress is measured from the start towards the target; without a target there is "
          "nothing to grade."),
        _("Enter the value you want to reach by the end of the cycle."),
        "key_result",
    ),
    Rule(
        "kr.no_start_value", INFO, "title",
        _("The target is there, but not where you start from."),
        _("A baseline shows how ambitious the target is and makes progress visible from the "
          "first check-in."),
        _("Add the current value: “from … to …”."),
        "key_result",
    ),
    Rule(
        "kr.start_equals_target", PROBLEM, "target",
        _("The start and the target are the same (%(value)s)."),
        _("A from-to key result needs start and target to differ; holding a level is a "
          "keep-above or keep-below key result. As it stands, its progress is always 0."),
        _("Either set a different target or change the kind to keep above / keep below."),
        "key_result",
    ),
    Rule(
        "kr.direction_mismatch", WARNING, "target",
        _("The kind says %(kind)s, but the target goes the other way."),
        _("Progress is computed from the start towards the target, so a reversed direction "
          "shows progress when things get worse."),
        _("Check the start and target values, or pick the kind that matches them."),
        "key_result",
    ),
    Rule(
        "kr.no_owner", WARNING, "owner",
        _("Nobody owns this key result."),
        _("Teams that do not own their results stop checking in; it is one of the three big "
          "alignment mistakes."),
        _("Name one person who checks in on it every week."),
        "key_result",
    ),
    Rule(
        "kr.copies_parent", WARNING, "title",
        _("This repeats a key result of the objective it is aligned to."),
        _("Copying the parent's key results is how OKRs get pushed down instead of aligned: "
          "the team adds nothing of its own."),
        _("Write what your team can move week by week that contributes to the parent's "
          "result."),
        "key_result",
    ),
    Rule(
        "kr.restates_kpi", WARNING, "title",
        _("This only restates a KPI target."),
        _("A key result that repeats a KPI's target is weak: the KPI is watched anyway. Pick a "
          "leading outcome the team can move week by week."),
        _("Ask what drives the KPI and set a key result on that driver."),
        "key_result",
    ),
    Rule(
        "kr.aspirational_first_cycle", WARNING, "aspirational",
        _("An aspirational key result in the organization's first cycle."),
        _("New organizations should start with committed OKRs only; aspirational ones come "
          "after a cycle or two, once scoring 0.7 feels safe."),
        _("Make it committed for this first cycle."),
        "key_result",
    ),
    Rule(
        "kr.mixed_output", INFO, "title",
        _("The key result names a task as well as its result."),
        _("The result is what gets graded; the task is one way to get there and may change "
          "during the cycle."),
        _("Keep only the measurable result in the title and add the task as an initiative."),
        "key_result",
    ),
    # --- objectives ----------------------------------------------------------------------
    Rule(
        "objective.empty", PROBLEM, "title",
        _("This objective has no words in it."),
        _("The objective says where the team wants to go this cycle; everything else hangs "
          "from it."),
        _("Write a short, qualitative statement of where you want to be at the end of the "
          "cycle."),
        "objective",
    ),
    Rule(
        "objective.too_long", WARNING, "title",
        _("The title is %(count)s characters long (about %(limit)s is a good upper bound)."),
        _("Objectives are remembered and repeated; a long title is neither."),
        _("Shorten it to one clear sentence and move the detail to “why it matters”."),
        "objective",
    ),
    Rule(
        "objective.is_kpi", WARNING, "title",
        _("There is a number in this objective."),
        _("Objectives are qualitative; a number in an objective is a hint that it is really a "
          "KPI or a key result."),
        _("Say where you want to go in words and move the number into a key result."),
        "objective",
    ),
    Rule(
        "objective.is_task", WARNING, "title",
        _("This objective reads like a task."),
        _("An objective is a destination, not an activity: “launch the app” can be done "
          "without anything improving."),
        _("Ask why the task matters and write that as the objective; the task becomes an "
          "initiative under one of its key results."),
        "objective",
    ),
    Rule(
        "objective.too_vague", WARNING, "title",
        _("This objective is too short or too general to guide anyone."),
        _("An objective should say where the team wants to go this cycle, clearly enough "
          "that people can choose their weekly work by it."),
        _("Say what should be different at the end of the cycle, and for whom."),
        "objective",
    ),
    Rule(
        "objective.business_as_usual", WARNING, "title",
        _("This describes business as usual."),
        _("OKRs drive change; keeping things running is what KPIs watch."),
        _("Track the routine as a KPI and write the objective about what you want to change."),
        "objective",
    ),
    Rule(
        "objective.few_key_results", WARNING, "key_results",
        _("Too few key results: %(count)s (three to five work best)."),
        _("Three to five key results describe an objective from several sides; fewer leave it "
          "easy to reach in a way that misses the point."),
        _("Add key results until you would be convinced the objective is reached when they "
          "all are (three to five)."),
        "objective",
    ),
    Rule(
        "objective.too_many_key_results", WARNING, "key_results",
        _("Too many key results: %(count)s (five at most)."),
        _("More than five key results spread the team's attention and usually mix results "
          "with tasks."),
        _("Keep the three to five that matter most; turn the rest into initiatives or drop "
          "them."),
        "objective",
    ),
    Rule(
        "objective.duplicate_key_results", WARNING, "key_results",
        _("Two key results of this objective say nearly the same thing."),
        _("Each key result should add a view of the objective; repeating one counts it twice "
          "in the progress."),
        _("Merge them, or replace one with a different angle (quality, speed, cost)."),
        "objective",
    ),
    Rule(
        "objective.no_owner", WARNING, "owner",
        _("Nobody owns this objective."),
        _("OKRs without an owner are nobody's priority; teams not owning their results is one "
          "of the three big alignment mistakes."),
        _("Name the team and a lead person who answers for it."),
        "objective",
    ),
    Rule(
        "objective.not_aligned", WARNING, "alignment",
        _("This objective is not linked to anything above it."),
        _("Team objectives that link to nothing cannot move the company's objectives, and "
          "nobody sees how they contribute."),
        _("Link it to the company (or department) objective or key result it contributes to, "
          "or ask whether it belongs in this cycle."),
        "objective",
    ),
    Rule(
        "objective.aspirational_first_cycle", WARNING, "type",
        _("An aspirational objective in the organization's first cycle."),
        _("Copying the most ambitious practices at once is one of the reasons OKR programmes "
          "die; start with committed OKRs and add aspirational ones after a cycle or two."),
        _("Make it committed for this first cycle."),
        "objective",
    ),
    Rule(
        "objective.personal_not_development", WARNING, "level",
        _("This personal objective is about business results."),
        _("Personal OKRs are only for personal development. People contribute to business "
          "results through weekly plans linked to their team's key results."),
        _("Move the business result to the team's OKRs, or rewrite this objective around a "
          "skill you want to grow."),
        "objective",
    ),
    Rule(
        "objective.no_why", INFO, "description",
        _("This company objective does not say why it matters."),
        _("The company sets its objectives and explains why; teams need the reason to write "
          "OKRs that contribute."),
        _("Add a few sentences under “why it matters”."),
        "objective",
    ),
    # --- a unit's set of objectives ------------------------------------------------------
    Rule(
        "set.many_objectives", INFO, "objectives",
        _("Objectives this cycle: %(count)s; %(recommended)s or fewer are recommended."),
        _("Focus is the point of OKRs: every extra objective takes attention from the others."),
        _("Keep the most important ones and move the rest to the backlog."),
        "set",
    ),
    Rule(
        "set.too_many_objectives", WARNING, "objectives",
        _("Objectives this cycle: %(count)s; never more than %(limit)s."),
        _("With more objectives than this, nothing is a priority and check-ins become status "
          "reports."),
        _("Cut down to the few that matter most; the others can wait for a later cycle."),
        "set",
    ),
    Rule(
        "set.duplicate_objectives", WARNING, "objectives",
        _("Two objectives say nearly the same thing."),
        _("Duplicates split the key results and the check-ins between two places."),
        _("Merge them into one objective."),
        "set",
    ),
    Rule(
        "set.no_objectives", INFO, "objectives",
        _("No objectives this cycle."),
        _("A team without OKRs has nothing to check in against each week."),
        _("Draft one objective with three key results; in a first cycle one is enough."),
        "set",
    ),
    Rule(
        "set.shared_key_results", INFO, "key_results",
        _("The same key result appears under two objectives."),
        _("A result counted under two objectives inflates both and blurs who owns it."),
        _("Keep it under the objective it serves best."),
        "set",
    ),
    # --- the whole cycle -----------------------------------------------------------------
    Rule(
        "cycle.no_company_objectives", PROBLEM, "objectives",
        _("There are no company objectives this cycle."),
        _("Without company objectives teams have nothing to align to; leadership being "
          "absent is one of the reasons OKR programmes die."),
        _("Leadership drafts one to three company objectives and explains why they matter."),
        "cycle",
    ),
    Rule(
        "cycle.unit_not_aligned", WARNING, "alignment",
        _("None of this unit's objectives is linked to the company's."),
        _("Teams whose objectives link to nothing are one of the three big alignment "
          "mistakes: their work cannot move the company."),
        _("At the alignment session, link each objective to the company objective or key "
          "result it contributes to."),
        "cycle",
    ),
    Rule(
        "cycle.copied_objective", WARNING, "title",
        _("This team objective repeats a company objective."),
        _("OKRs align, they do not cascade: a copied objective is pushed down, not owned."),
        _("Write what this team will change to contribute to the company objective, and link "
          "it."),
        "cycle",
    ),
    Rule(
        "cycle.copied_key_result", WARNING, "title",
        _("This team key result repeats a company key result."),
        _("Team key results identical to the company's are the sign of OKRs pushed down from "
          "management."),
        _("Pick the part of the company result this team can move, and measure that."),
        "cycle",
    ),
    Rule(
        "cycle.duplicate_across_units", INFO, "title",
        _("Another unit has nearly the same objective."),
        _("Two teams chasing the same thing separately may duplicate work or pull in "
          "different directions."),
        _("Talk to the other team: share the objective, or split it clearly."),
        "cycle",
    ),
]  # fmt: skip

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}


def rule_ids() -> list[str]:
    return [rule.id for rule in _RULES]


def translate(message: str) -> str:
    """Translate now; without configured settings (a bare script) keep the English."""
    from django.conf import settings

    if not settings.configured:
        return message
    return gettext(message)


def make(
    rule_id: str,
    *,
    severity: Severity | None = None,
    rewrite: str = "",
    subject: str = "",
    field: str | None = None,
    **params: Any,
) -> Finding:
    rule = RULES[rule_id]
    message = translate(rule.message)
    if params:
        message = message % params
    return Finding(
        rule=rule.id,
        severity=severity or rule.severity,
        message=message,
        why=translate(rule.why),
        suggestion=translate(rule.suggestion),
        rewrite=rewrite,
        field=field or rule.field,
        subject=subject,
    )
