"""The programme health check as pure rules: facts in, signals and a score out.

METHOD §9 lists why OKR programmes die and §3 the three big alignment mistakes; each becomes a
signal here. Nothing in this module touches the database: `selectors.py` gathers the facts of a
cycle with a fixed number of queries, and these functions judge them, so every rule can be
tested with a few hand-made rows. `reverse()` only reads the URL configuration.

Every threshold is a module constant so an operator can tune it; `docs/health.md` explains why
each default is what it is.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# --- thresholds (defaults; see docs/health.md for the reasons) ------------------------------

MAX_ITEMS = 10
"""Concrete examples listed under a signal; the rest are counted."""
WEAKEST_UNITS = 10
"""Units listed under a health report, weakest first."""

MIN_SAMPLE = 3
"""Fewer scores or confidences than this say nothing about sandbagging."""
PERFECT_SCORES_WATCH = 0.75
PERFECT_SCORES_PROBLEM = 0.9
"""Share of scored key results at 1.0 above which the bar was probably set to be safe."""
SURE_CONFIDENCE = Decimal("0.9")
"""A first confidence above this (10 out of 10) is a sure bet."""
DRAFTING_DAYS = 21
"""A first confidence counts as given "at drafting" within this many days of the cycle start."""
SURE_CONFIDENCE_WATCH = 0.5
SURE_CONFIDENCE_PROBLEM = 0.75

PRIVATE_WATCH = 0.10
PRIVATE_PROBLEM = 0.25

FEEDBACK_DAYS = 28
FEEDBACK_WATCH = 1.0
"""Comments and reactions per objective in four weeks below which conversation is thin."""
FEEDBACK_PROBLEM = 0.25

COMPANY_OBJECTIVES_MIN = 1
COMPANY_OBJECTIVES_MAX = 5
COMPANY_STALE_WATCH = 0.0
COMPANY_STALE_PROBLEM = 0.5
SILENT_LEADERS_WATCH = 0.2
SILENT_LEADERS_PROBLEM = 0.5

FIRST_CYCLES = 1
"""How many of an organization's first cycles count as "first" (METHOD §4: one or two)."""
ASPIRATIONAL_FIRST_WATCH = 0.0
ASPIRATIONAL_FIRST_PROBLEM = 0.25

STALE_WATCH = 0.2
STALE_PROBLEM = 0.4
SILENCE_WATCH_WEEKS = 2.0
SILENCE_PROBLEM_WEEKS = 3.0

PUSHED_DOWN_WATCH = 0.1
PUSHED_DOWN_PROBLEM = 0.3
SIMILARITY = 0.9
"""Two normalised titles at least this similar (difflib ratio) are the same key result."""
COPIED_WATCH = 0.0
COPIED_PROBLEM = 0.2
NO_OWNER_WATCH = 0.0
NO_OWNER_PROBLEM = 0.2
UNLINKED_WATCH = 0.2
UNLINKED_PROBLEM = 0.5

NO_NUMBER_WATCH = 0.2
NO_NUMBER_PROBLEM = 0.4
OBJECTIVES_PER_UNIT_WATCH = 3
OBJECTIVES_PER_UNIT_PROBLEM = 5
PLANS_WEEKS = 2
UNLINKED_PEOPLE_WATCH = 0.25
UNLINKED_PEOPLE_PROBLEM = 0.5
BUSINESS_AS_USUAL_WATCH = 0.5
BUSINESS_AS_USUAL_PROBLEM = 0.8

GRADE_HEALTHY = 75
"""A score at or above this is healthy."""
GRADE_ATTENTION = 50
"""A score at or above this (and below healthy) needs attention; below it, at risk."""

WORKING_STATES = frozenset({"approved", "active", "closed"})
"""Objectives whose key results are expected to be checked in (drafts are still ideas)."""
SHARED_LEVELS = frozenset({"company", "department", "team"})
CHILD_LEVELS = frozenset({"department", "team"})


# --- shapes -----------------------------------------------------------------------------------


class State(enum.StrEnum):
    OK = "ok"
    WATCH = "watch"
    PROBLEM = "problem"
    NOT_APPLICABLE = "not_applicable"


class Grade(enum.StrEnum):
    HEALTHY = "healthy"
    NEEDS_ATTENTION = "needs_attention"
    AT_RISK = "at_risk"
    UNKNOWN = "unknown"
    """Nothing to judge yet: every signal is not applicable."""


STATE_LABELS: dict[State, Promise] = {
    State.OK: gettext_lazy("ok"),
    State.WATCH: gettext_lazy("watch"),
    State.PROBLEM: gettext_lazy("problem"),
    State.NOT_APPLICABLE: gettext_lazy("not applicable"),
}
GRADE_LABELS: dict[Grade, Promise] = {
    Grade.HEALTHY: gettext_lazy("healthy"),
    Grade.NEEDS_ATTENTION: gettext_lazy("needs attention"),
    Grade.AT_RISK: gettext_lazy("at risk"),
    Grade.UNKNOWN: gettext_lazy("not enough data"),
}
POINTS = {State.OK: Decimal(1), State.WATCH: Decimal("0.5"), State.PROBLEM: Decimal(0)}
"""What a signal in each state earns, times its weight. Not applicable signals do not count."""


class Measure(enum.StrEnum):
    SHARE = "share"
    COUNT = "count"
    WEEKS = "weeks"
    PER_OBJECTIVE = "per_objective"
    POLICY = "policy"


@dataclass(frozen=True)
class Threshold:
    """When a value turns a signal to watch or problem. Higher values are worse unless
    `lower_is_worse`; `minimum` adds a floor below which the signal is a problem."""

    measure: Measure
    watch: float | None = None
    problem: float | None = None
    lower_is_worse: bool = False
    minimum: float | None = None

    def judge(self, value: float) -> State:
        if self.minimum is not None and value < self.minimum:
            return State.PROBLEM
        if self.lower_is_worse:
            if self.problem is not None and value < self.problem:
                return State.PROBLEM
            if self.watch is not None and value < self.watch:
                return State.WATCH
            return State.OK
        if self.problem is not None and value > self.problem:
            return State.PROBLEM
        if self.watch is not None and value > self.watch:
            return State.WATCH
        return State.OK

    def label(self) -> str:
        if self.measure is Measure.POLICY:
            return _("no score per person, anywhere")
        parts = []
        if self.minimum is not None:
            parts.append(_("problem below %(n)s") % {"n": show(self.minimum, self.measure)})
        if self.lower_is_worse:
            if self.watch is not None:
                parts.append(_("watch below %(n)s") % {"n": show(self.watch, self.measure)})
            if self.problem is not None:
                parts.append(_("problem below %(n)s") % {"n": show(self.problem, self.measure)})
        else:
            if self.watch is not None:
                parts.append(_("watch above %(n)s") % {"n": show(self.watch, self.measure)})
            if self.problem is not None:
                parts.append(_("problem above %(n)s") % {"n": show(self.problem, self.measure)})
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure.value,
            "watch": self.watch,
            "problem": self.problem,
            "lower_is_worse": self.lower_is_worse,
            "minimum": self.minimum,
        }


def percent(share: float) -> str:
    whole = Decimal(str(share)) * 100
    return f"{whole.quantize(Decimal(1), rounding=ROUND_HALF_UP)} %"


def show(value: float, measure: Measure) -> str:
    if measure is Measure.SHARE:
        return percent(value)
    if measure is Measure.WEEKS:
        return _("%(n)s weeks") % {"n": f"{value:.1f}"}
    if measure is Measure.PER_OBJECTIVE:
        return _("%(n)s per objective") % {"n": f"{value:.2f}"}
    return f"{value:g}"


@dataclass(slots=True)
class Item:
    """One concrete example behind a signal: an objective, key result, unit or person."""

    kind: str
    label: str
    url: str
    note: str = ""


@dataclass(slots=True)
class Signal:
    key: str
    group: str
    title: str
    state: State
    value: float | None
    """The measured figure (a share 0–1, a count, weeks …); None when not applicable."""
    value_label: str
    threshold: Threshold
    evidence: str
    """A sentence with the figures."""
    items: tuple[Item, ...]
    more: int
    """Examples left off the list."""
    nudge: str
    nudge_url: str
    weight: int

    @property
    def threshold_label(self) -> str:
        return self.threshold.label()

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def counts(self) -> bool:
        return self.state is not State.NOT_APPLICABLE and self.weight > 0

    @property
    def group_title(self) -> str:
        return str(GROUPS_BY_KEY[self.group].title)

    @property
    def group_source(self) -> str:
        return GROUPS_BY_KEY[self.group].source


@dataclass(frozen=True)
class Group:
    key: str
    title: Promise
    source: str


GROUPS = (
    Group("judging", gettext_lazy("Scores used to judge people"), "§9.1"),
    Group("safety", gettext_lazy("No safety to fail"), "§9.2"),
    Group("trust", gettext_lazy("No trust"), "§9.3"),
    Group("feedback", gettext_lazy("No feedback culture"), "§9.4"),
    Group("leadership", gettext_lazy("Leadership absent"), "§9.5"),
    Group("ambition", gettext_lazy("Too ambitious too soon"), "§9.6"),
    Group("rhythm", gettext_lazy("The method forgotten"), "§9.7"),
    Group("alignment", gettext_lazy("Alignment mistakes"), "§3"),
    Group("other", gettext_lazy("Other signals"), "§9"),
)
GROUPS_BY_KEY = {group.key: group for group in GROUPS}


@dataclass(frozen=True)
class Spec:
    key: str
    group: str
    title: Promise
    weight: int
    threshold: Threshold


SPECS: dict[str, Spec] = {
    spec.key: spec
    for spec in (
        # Always ok (the product enforces it), so it carries no weight: counting it would only
        # inflate every score.
        Spec(
            "scores_policy",
            "judging",
            gettext_lazy("Scores never judge people"),
            0,
            Threshold(Measure.POLICY),
        ),
        Spec(
            "perfect_scores",
            "safety",
            gettext_lazy("Perfect scores everywhere"),
            2,
            Threshold(Measure.SHARE, PERFECT_SCORES_WATCH, PERFECT_SCORES_PROBLEM),
        ),
        Spec(
            "sure_confidence",
            "safety",
            gettext_lazy("Sure bets at drafting"),
            1,
            Threshold(Measure.SHARE, SURE_CONFIDENCE_WATCH, SURE_CONFIDENCE_PROBLEM),
        ),
        Spec(
            "private_objectives",
            "trust",
            gettext_lazy("Hidden objectives"),
            2,
            Threshold(Measure.SHARE, PRIVATE_WATCH, PRIVATE_PROBLEM),
        ),
        Spec(
            "feedback",
            "feedback",
            gettext_lazy("Conversation on OKRs"),
            1,
            Threshold(Measure.PER_OBJECTIVE, FEEDBACK_WATCH, FEEDBACK_PROBLEM, lower_is_worse=True),
        ),
        Spec(
            "company_objectives",
            "leadership",
            gettext_lazy("Company objectives"),
            3,
            Threshold(Measure.COUNT, watch=COMPANY_OBJECTIVES_MAX, minimum=COMPANY_OBJECTIVES_MIN),
        ),
        Spec(
            "company_key_results",
            "leadership",
            gettext_lazy("Company key results checked in"),
            2,
            Threshold(Measure.SHARE, COMPANY_STALE_WATCH, COMPANY_STALE_PROBLEM),
        ),
        Spec(
            "leaders_checkin",
            "leadership",
            gettext_lazy("Leaders check in"),
            2,
            Threshold(Measure.SHARE, SILENT_LEADERS_WATCH, SILENT_LEADERS_PROBLEM),
        ),
        Spec(
            "aspirational_first_cycle",
            "ambition",
            gettext_lazy("Moonshots in the first cycle"),
            2,
            Threshold(Measure.SHARE, ASPIRATIONAL_FIRST_WATCH, ASPIRATIONAL_FIRST_PROBLEM),
        ),
        Spec(
            "stale_key_results",
            "rhythm",
            gettext_lazy("Stale key results"),
            3,
            Threshold(Measure.SHARE, STALE_WATCH, STALE_PROBLEM),
        ),
        Spec(
            "last_checkin",
            "rhythm",
            gettext_lazy("Time since the last check-in"),
            3,
            Threshold(Measure.WEEKS, SILENCE_WATCH_WEEKS, SILENCE_PROBLEM_WEEKS),
        ),
        Spec(
            "pushed_down",
            "alignment",
            gettext_lazy("Objectives pushed down"),
            2,
            Threshold(Measure.SHARE, PUSHED_DOWN_WATCH, PUSHED_DOWN_PROBLEM),
        ),
        Spec(
            "copied_key_results",
            "alignment",
            gettext_lazy("Key results copied from the parent"),
            1,
            Threshold(Measure.SHARE, COPIED_WATCH, COPIED_PROBLEM),
        ),
        Spec(
            "key_result_owner",
            "alignment",
            gettext_lazy("Key results without an owner"),
            2,
            Threshold(Measure.SHARE, NO_OWNER_WATCH, NO_OWNER_PROBLEM),
        ),
        Spec(
            "unlinked_objectives",
            "alignment",
            gettext_lazy("Team objectives linked to nothing"),
            2,
            Threshold(Measure.SHARE, UNLINKED_WATCH, UNLINKED_PROBLEM),
        ),
        Spec(
            "measurable_key_results",
            "other",
            gettext_lazy("Key results without a number"),
            1,
            Threshold(Measure.SHARE, NO_NUMBER_WATCH, NO_NUMBER_PROBLEM),
        ),
        Spec(
            "objectives_per_unit",
            "other",
            gettext_lazy("Too many objectives"),
            1,
            Threshold(Measure.COUNT, OBJECTIVES_PER_UNIT_WATCH, OBJECTIVES_PER_UNIT_PROBLEM),
        ),
        Spec(
            "plans_linked",
            "other",
            gettext_lazy("Plans linked to OKRs"),
            1,
            Threshold(Measure.SHARE, UNLINKED_PEOPLE_WATCH, UNLINKED_PEOPLE_PROBLEM),
        ),
        Spec(
            "business_as_usual",
            "other",
            gettext_lazy("Plans that are only business as usual"),
            1,
            Threshold(Measure.SHARE, BUSINESS_AS_USUAL_WATCH, BUSINESS_AS_USUAL_PROBLEM),
        ),
    )
}


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the rules need to know about the cycle and the scope being judged."""

    org_slug: str
    cycle_code: str
    cycle_name: str
    cycle_start: dt.date
    cycle_end: dt.date
    today: dt.date
    """The reference day: today, but never after the cycle's last day (a closed cycle is
    judged as it stood when it ended)."""
    stale_days: int = 10
    first_cycle: bool = False
    includes_company: bool = True
    """The scope holds the company unit: company-wide signals apply."""
    company_unit_code: str | None = None
    scope_unit_code: str | None = None
    """The unit being judged (None for the whole organization)."""
    scored_cycle_name: str | None = None
    """The cycle whose end-of-cycle scores were read: this one once reviewed, else the latest
    closed one before it."""
    brief: bool = False
    """Only states and values, no evidence or nudges: for scoring many units at once."""

    @property
    def started(self) -> bool:
        return self.today >= self.cycle_start

    @property
    def past_grace(self) -> bool:
        """The cycle has run longer than the grace period, so silence means something."""
        return self.started and (self.today - self.cycle_start).days > self.stale_days


@dataclass(slots=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


@dataclass(slots=True)
class ObjectiveRow:
    id: int
    code: str
    title: str
    unit_id: int
    level: str = "team"
    type: str = "committed"
    visibility: str = "organization"
    state: str = "active"
    creator_inside: bool | None = True
    """Whether whoever created it is a member or lead of its unit; None when unknown."""
    linked: bool = False
    """Aligned to a parent objective or key result."""
    feedback: int = 0
    """Comments and reactions on it, its key results and their check-ins, in the window."""


@dataclass(slots=True)
class ParentKeyResult:
    title: str
    visible: bool = True
    """Whether its objective is open to the organization (its title may be quoted)."""


@dataclass(slots=True)
class KeyResultRow:
    id: int
    code: str
    title: str
    objective_id: int
    unit_id: int
    level: str = "team"
    objective_type: str = "committed"
    objective_state: str = "active"
    kind: str = "increase"
    has_owner: bool = True
    aspirational: bool = False
    last_checkin: dt.date | None = None
    created: dt.date | None = None
    first_confidence: Decimal | None = None
    """The first confidence recorded within DRAFTING_DAYS of the cycle start, if any."""
    parents: tuple[ParentKeyResult, ...] = ()
    """Key results of what its objective aligns to (the parent key result itself, or the
    key results of the parent objective)."""

    @property
    def working(self) -> bool:
        return self.objective_state in WORKING_STATES


@dataclass(slots=True)
class ScoreRow:
    code: str
    title: str
    unit_id: int
    score: Decimal
    aspirational: bool = False


@dataclass(slots=True)
class PersonRow:
    id: int
    name: str
    unit_ids: frozenset[int] = frozenset()
    plans: int = 0
    """Plans in their weekly reports of the last PLANS_WEEKS weeks."""
    linked: int = 0
    """Of those, plans linked to an objective or key result."""


@dataclass(slots=True)
class LeaderRow:
    id: int
    name: str
    unit_ids: frozenset[int] = frozenset()
    """Units they lead."""
    is_admin: bool = False
    checked_in: bool = False
    """Recorded at least one check-in in the cycle."""


@dataclass(frozen=True)
class Facts:
    context: Context
    units: Mapping[int, UnitRow] = field(default_factory=dict)
    objectives: tuple[ObjectiveRow, ...] = ()
    key_results: tuple[KeyResultRow, ...] = ()
    scores: tuple[ScoreRow, ...] = ()
    people: tuple[PersonRow, ...] = ()
    leaders: tuple[LeaderRow, ...] = ()


# --- helpers ----------------------------------------------------------------------------------


def link(ctx: Context, name: str, *args: Any, query: str = "") -> str:
    return reverse(name, args=[ctx.org_slug, *args]) + query


def _objective_item(ctx: Context, row: ObjectiveRow, note: str = "") -> Item:
    return Item("objective", row.title, link(ctx, "objective", row.code), note)


def _kr_item(ctx: Context, row: KeyResultRow | ScoreRow, note: str = "") -> Item:
    return Item("key_result", row.title, link(ctx, "key_result", row.code), note)


def _person_item(ctx: Context, person_id: int, name: str, note: str = "") -> Item:
    return Item("person", name, link(ctx, "person", person_id), note)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _of(part: int, whole: int) -> dict[str, Any]:
    return {"n": part, "total": whole, "share": percent(_share(part, whole))}


def _make(
    key: str,
    state: State,
    *,
    value: float | None,
    evidence: str,
    items: Sequence[Item] = (),
    found: int | None = None,
    nudge: str = "",
    nudge_url: str = "",
    value_label: str | None = None,
) -> Signal:
    """`items` may stop at MAX_ITEMS (build no more: links cost time at scale); `found` says
    how many there were in all."""
    spec = SPECS[key]
    listed = tuple(items[:MAX_ITEMS])
    more = max(0, (len(items) if found is None else found) - len(listed))
    if value_label is None:
        value_label = "—" if value is None else show(value, spec.threshold.measure)
    return Signal(
        key=key,
        group=spec.group,
        title=str(spec.title),
        state=state,
        value=None if value is None else round(value, 4),
        value_label=value_label,
        threshold=spec.threshold,
        evidence=evidence,
        items=listed,
        more=more,
        nudge=nudge,
        nudge_url=nudge_url,
        weight=spec.weight,
    )


def _brief(key: str, state: State, value: float | None) -> Signal:
    spec = SPECS[key]
    return Signal(
        key=key,
        group=spec.group,
        title=key,
        state=state,
        value=value,
        value_label="",
        threshold=spec.threshold,
        evidence="",
        items=(),
        more=0,
        nudge="",
        nudge_url="",
        weight=spec.weight,
    )


def _not_applicable(
    ctx: Context, key: str, why: str, nudge: str = "", nudge_url: str = ""
) -> Signal:
    if ctx.brief:
        return _brief(key, State.NOT_APPLICABLE, None)
    return _make(
        key, State.NOT_APPLICABLE, value=None, evidence=why, nudge=nudge, nudge_url=nudge_url
    )


def _judged(key: str, value: float) -> State:
    return SPECS[key].threshold.judge(value)


def is_stale(row: KeyResultRow, ctx: Context) -> bool:
    """No check-in for longer than the grace period. A key result nobody ever checked in is
    measured from the later of its creation and the cycle start: silence is never green."""
    since = row.last_checkin
    if since is None:
        since = max(row.created or ctx.cycle_start, ctx.cycle_start)
    return (ctx.today - since).days > ctx.stale_days


def _silence_note(row: KeyResultRow) -> str:
    if row.last_checkin is None:
        return _("never checked in")
    return _("last check-in %(day)s") % {"day": row.last_checkin.isoformat()}


_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower case, punctuation and spacing removed: "Raise NPS to 40 %!" → "raise nps to 40"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


@functools.lru_cache(maxsize=65536)
def near_identical(one: str, other: str) -> bool:
    a, b = normalise(one), normalise(other)
    if not a or not b:
        return False
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SIMILARITY
        and matcher.quick_ratio() >= SIMILARITY
        and matcher.ratio() >= SIMILARITY
    )


_DIGIT = re.compile(r"\d")


def has_number(row: KeyResultRow) -> bool:
    return row.kind != "milestone" and bool(_DIGIT.search(row.title))


def _scope_url(ctx: Context, team_page: str, org_page: str) -> str:
    if ctx.scope_unit_code:
        return link(ctx, team_page, ctx.scope_unit_code)
    return link(ctx, org_page)


def _share_signal[T](
    ctx: Context,
    key: str,
    *,
    rows: Sized,
    flagged: Sequence[T],
    evidence: Callable[[], str],
    item: Callable[[Context, T], Item],
    ok_nudge: Callable[[], str],
    nudge: Callable[[], str],
    nudge_url: Callable[[], str],
) -> Signal:
    """The most common signal: the share of `rows` that are `flagged`, judged against the
    key's thresholds. The caller has already ruled out what makes the signal not applicable.

    The texts and the link come as functions, called only when needed: in brief mode nothing
    is written (scoring every unit must stay cheap), `ok_nudge` only when all is well, `nudge`
    and `nudge_url` (which may point at `flagged[0]`) only in watch or problem state. Each
    caller writes its messages as literal `_()` and `ngettext()` calls, for makemessages.
    Items are the first MAX_ITEMS flagged rows, in order."""
    share = _share(len(flagged), len(rows))
    state = _judged(key, share)
    if ctx.brief:
        return _brief(key, state, share)
    if state is State.OK:
        advice, url = ok_nudge(), ""
    else:
        advice, url = nudge(), nudge_url()
    return _make(
        key,
        state,
        value=share,
        evidence=evidence(),
        items=[item(ctx, row) for row in flagged[:MAX_ITEMS]],
        found=len(flagged),
        nudge=advice,
        nudge_url=url,
    )


# --- the signals ------------------------------------------------------------------------------


def scores_policy(facts: Facts) -> Signal:
    """METHOD §9.1. Tenfold itself keeps no score per person, so this is a statement of what
    the product enforces, not a measurement; it carries no weight."""
    return _make(
        "scores_policy",
        State.OK,
        value=None,
        value_label=_("enforced"),
        evidence=_(
            "Tenfold keeps no score per person: scores belong to key results and objectives, "
            "leaderboards count habits only, and no score is exported to HR tools. Whether "
            "your own written policy says the same is for you to confirm."
        ),
        nudge=_(
            "Say it plainly, in writing and at the next all-hands: OKR scores are for "
            "learning and never feed performance reviews or pay."
        ),
    )


def perfect_scores(facts: Facts) -> Signal:
    ctx = facts.context
    key = "perfect_scores"
    scores = facts.scores
    if not scores:
        return _not_applicable(
            ctx,
            key,
            _(
                "No key result has an end-of-cycle score yet: this is measured once a cycle "
                "has been reviewed."
            ),
        )
    if len(scores) < MIN_SAMPLE:
        return _not_applicable(
            ctx,
            key,
            _("Only %(n)d key results were scored; at least %(min)d are needed to judge.")
            % {"n": len(scores), "min": MIN_SAMPLE},
        )
    perfect = [row for row in scores if row.score >= 1]
    perfect.sort(key=lambda row: (not row.aspirational, row.title))
    return _share_signal(
        ctx,
        key,
        rows=scores,
        flagged=perfect,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d key result scored in %(cycle)s got a perfect 1.0 (%(share)s); "
                "%(aspirational)d of them aspirational.",
                "%(n)d of %(total)d key results scored in %(cycle)s got a perfect 1.0 (%(share)s); "
                "%(aspirational)d of them aspirational.",
                len(scores),
            )
            % {
                **_of(len(perfect), len(scores)),
                "cycle": ctx.scored_cycle_name or ctx.cycle_name,
                "aspirational": sum(1 for row in perfect if row.aspirational),
            }
        ),
        item=lambda ctx, row: _kr_item(ctx, row, _("aspirational") if row.aspirational else ""),
        ok_nudge=lambda: _(
            "A healthy mix: committed key results reach 1.0, aspirational ones land around 0.7."
        ),
        nudge=lambda: _(
            "When planning the next cycle, ask every team for one key result they are only "
            "half sure to reach, and mark it aspirational: missing it will be fine."
        ),
        nudge_url=lambda: link(ctx, "planning_next"),
    )


def sure_confidence(facts: Facts) -> Signal:
    ctx = facts.context
    key = "sure_confidence"
    rated = [row for row in facts.key_results if row.first_confidence is not None]
    if len(rated) < MIN_SAMPLE:
        return _not_applicable(
            ctx,
            key,
            _(
                "%(n)d key results got a confidence in the first %(days)d days of the cycle; "
                "at least %(min)d are needed to judge."
            )
            % {"n": len(rated), "days": DRAFTING_DAYS, "min": MIN_SAMPLE},
        )
    sure = [row for row in rated if (row.first_confidence or 0) > SURE_CONFIDENCE]
    return _share_signal(
        ctx,
        key,
        rows=rated,
        flagged=sorted(sure, key=lambda row: row.title),
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d key result was 10 out of 10 sure at its first check-in, in the "
                "first %(days)d days of the cycle (%(share)s).",
                "%(n)d of %(total)d key results were 10 out of 10 sure at their first check-in, in "
                "the first %(days)d days of the cycle (%(share)s).",
                len(rated),
            )
            % {**_of(len(sure), len(rated)), "days": DRAFTING_DAYS}
        ),
        item=_kr_item,
        ok_nudge=lambda: _("Targets start out uncertain, as they should: keep setting them high."),
        nudge=lambda: _(
            "Ask the owners of these key results which target would leave them only half "
            "sure, and raise the target to it."
        ),
        # The first one in the order they came, not the first listed.
        nudge_url=lambda: link(ctx, "key_result_edit", sure[0].code) if sure else "",
    )


def private_objectives(facts: Facts) -> Signal:
    ctx = facts.context
    key = "private_objectives"
    objectives = facts.objectives
    if not objectives:
        return _not_applicable(ctx, key, _("There are no objectives in this cycle yet."))
    hidden = [row for row in objectives if row.visibility == "private"]
    return _share_signal(
        ctx,
        key,
        rows=objectives,
        flagged=hidden,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d objective is private (%(share)s): only its lead and the "
                "managers can see it.",
                "%(n)d of %(total)d objectives are private (%(share)s): only their lead and the "
                "managers can see them.",
                len(objectives),
            )
            % _of(len(hidden), len(objectives))
        ),
        item=_objective_item,
        ok_nudge=lambda: _("Objectives are out in the open: keep new ones visible to everyone."),
        nudge=lambda: _(
            "Ask the leads of these objectives to open them to the whole organization, "
            "unless they truly must stay confidential."
        ),
        nudge_url=lambda: link(ctx, "objective_edit", hidden[0].code),
    )


def feedback(facts: Facts) -> Signal:
    ctx = facts.context
    key = "feedback"
    objectives = facts.objectives
    if not objectives:
        return _not_applicable(ctx, key, _("There are no objectives in this cycle yet."))
    total = sum(row.feedback for row in objectives)
    per_objective = total / len(objectives)
    state = _judged(key, per_objective)
    if ctx.brief:
        return _brief(key, state, per_objective)
    evidence = ngettext(
        "%(n)d comments and reactions on %(objectives)d objective, its key results and "
        "check-ins in the %(days)d days up to %(day)s: %(per)s per objective.",
        "%(n)d comments and reactions on %(objectives)d objectives, their key results and "
        "check-ins in the %(days)d days up to %(day)s: %(per)s per objective.",
        len(objectives),
    ) % {
        "n": total,
        "objectives": len(objectives),
        "days": FEEDBACK_DAYS,
        "day": ctx.today.isoformat(),
        "per": f"{per_objective:.2f}",
    }
    quiet = [row for row in objectives if row.feedback == 0]
    items = [_objective_item(ctx, row, _("no comment or reaction")) for row in quiet[:MAX_ITEMS]]
    if state is State.OK:
        nudge = _("People talk about the OKRs: keep answering questions quickly.")
        url = ""
    else:
        nudge = _(
            "This week, comment on or react to an objective of another team, and answer "
            "every open question at the next check-in meeting."
        )
        url = link(ctx, "objective", quiet[0].code) if quiet else link(ctx, "activity")
    return _make(
        key,
        state,
        value=per_objective,
        evidence=evidence,
        items=items,
        found=len(quiet),
        nudge=nudge,
        nudge_url=url,
    )


def _company_only(ctx: Context, key: str) -> Signal:
    return _not_applicable(
        ctx, key, _("Measured for the whole organization (and its company unit), not for one unit.")
    )


def company_objectives(facts: Facts) -> Signal:
    ctx = facts.context
    key = "company_objectives"
    if not ctx.includes_company:
        return _company_only(ctx, key)
    company = [row for row in facts.objectives if row.level == "company"]
    count = len(company)
    state = _judged(key, count)
    if ctx.brief:
        return _brief(key, state, count)
    items = [_objective_item(ctx, row) for row in company[:MAX_ITEMS]]
    if count == 0:
        evidence = _(
            "There is no company objective in %(cycle)s, so teams have nothing to align to."
        ) % {"cycle": ctx.cycle_name}
        nudge = _(
            "Leaders: write one to three company objectives for this cycle, and say why each "
            "matters."
        )
        query = f"?cycle={ctx.cycle_code}"
        if ctx.company_unit_code:
            query += f"&unit={ctx.company_unit_code}"
        url = link(ctx, "objective_new", query=query)
    else:
        evidence = ngettext(
            "%(n)d company objective in %(cycle)s.",
            "%(n)d company objectives in %(cycle)s.",
            count,
        ) % {"n": count, "cycle": ctx.cycle_name}
        if state is State.OK:
            nudge = _("Explain the why of each company objective again at the next all-hands.")
            url = link(ctx, "tree")
        else:
            nudge = _(
                "Keep three company objectives at most: turn the others into team objectives "
                "or drop them."
            )
            url = link(ctx, "tree")
    return _make(
        key,
        state,
        value=count,
        evidence=evidence,
        items=items,
        found=len(company),
        nudge=nudge,
        nudge_url=url,
    )


def _too_early(key: str, ctx: Context) -> Signal:
    return _not_applicable(
        ctx,
        key,
        _(
            "The cycle has not yet run longer than the %(days)d-day grace period, so silence "
            "means nothing yet."
        )
        % {"days": ctx.stale_days},
    )


def company_key_results(facts: Facts) -> Signal:
    ctx = facts.context
    key = "company_key_results"
    if not ctx.includes_company:
        return _company_only(ctx, key)
    rows = [row for row in facts.key_results if row.level == "company" and row.working]
    if not rows:
        return _not_applicable(
            ctx,
            key,
            _(
                "The company objectives have no key results under way; the team OKRs aligned "
                "to them move them."
            ),
        )
    if not ctx.past_grace:
        return _too_early(key, ctx)
    stale = [row for row in rows if is_stale(row, ctx)]
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=stale,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d company key result has had no check-in for more than "
                "%(days)d days.",
                "%(n)d of %(total)d company key results have had no check-in for more than "
                "%(days)d days.",
                len(rows),
            )
            % {**_of(len(stale), len(rows)), "days": ctx.stale_days}
        ),
        item=lambda ctx, row: _kr_item(ctx, row, _silence_note(row)),
        ok_nudge=lambda: _("Leaders keep the company key results fresh: keep the weekly habit."),
        nudge=lambda: _(
            "Check in on the company key results in this week's leadership meeting, even if "
            "nothing moved."
        ),
        nudge_url=lambda: link(ctx, "key_result", stale[0].code),
    )


def leaders_checkin(facts: Facts) -> Signal:
    ctx = facts.context
    key = "leaders_checkin"
    leaders = facts.leaders
    if not leaders:
        return _not_applicable(ctx, key, _("Nobody leads this scope yet."))
    if not ctx.past_grace:
        return _too_early(key, ctx)
    silent = sorted((row for row in leaders if not row.checked_in), key=lambda row: row.name)

    def leader_item(ctx: Context, row: LeaderRow) -> Item:
        led = [facts.units[u].name for u in sorted(row.unit_ids) if u in facts.units]
        note = _("leads %(units)s") % {"units": ", ".join(led[:3])} if led else _("admin")
        return _person_item(ctx, row.id, row.name, note)

    return _share_signal(
        ctx,
        key,
        rows=leaders,
        flagged=silent,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d leader (admins and unit leads) has not recorded a single "
                "check-in in %(cycle)s.",
                "%(n)d of %(total)d leaders (admins and unit leads) have not recorded a single "
                "check-in in %(cycle)s.",
                len(leaders),
            )
            % {**_of(len(silent), len(leaders)), "cycle": ctx.cycle_name}
        ),
        item=leader_item,
        ok_nudge=lambda: _("Leaders check in where teams can see it: keep doing it."),
        nudge=lambda: _(
            "Ask each of these leaders to record a check-in this week on a key result they "
            "own or sponsor: teams copy what leaders do."
        ),
        nudge_url=lambda: link(ctx, "my_week"),
    )


def aspirational_first_cycle(facts: Facts) -> Signal:
    ctx = facts.context
    key = "aspirational_first_cycle"
    if not ctx.first_cycle:
        return _not_applicable(ctx, key, _("Only checked in the organization's first cycle."))
    objectives = facts.objectives
    if not objectives:
        return _not_applicable(ctx, key, _("There are no objectives in this cycle yet."))
    bold_krs = {row.objective_id for row in facts.key_results if row.aspirational}
    bold = [row for row in objectives if row.type == "aspirational" or row.id in bold_krs]
    return _share_signal(
        ctx,
        key,
        rows=objectives,
        flagged=bold,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d objective in this first cycle is aspirational or holds an "
                "aspirational key result (%(share)s).",
                "%(n)d of %(total)d objectives in this first cycle are aspirational or hold an "
                "aspirational key result (%(share)s).",
                len(objectives),
            )
            % _of(len(bold), len(objectives))
        ),
        item=_objective_item,
        ok_nudge=lambda: _("A committed first cycle is the right start; moonshots can come later."),
        nudge=lambda: _(
            "Make these committed for the first cycle; bring in aspirational OKRs after a "
            "cycle or two, once check-ins are a habit."
        ),
        nudge_url=lambda: link(ctx, "objective_edit", bold[0].code),
    )


def stale_key_results(facts: Facts) -> Signal:
    ctx = facts.context
    key = "stale_key_results"
    rows = [row for row in facts.key_results if row.working]
    if not rows:
        return _not_applicable(ctx, key, _("No key result is under way in this cycle."))
    if not ctx.past_grace:
        return _too_early(key, ctx)
    stale = [row for row in rows if is_stale(row, ctx)]
    stale.sort(key=lambda row: (row.last_checkin or dt.date.min, row.title))
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=stale,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d key result under way has had no check-in for more than "
                "%(days)d days (%(share)s).",
                "%(n)d of %(total)d key results under way have had no check-in for more than "
                "%(days)d days (%(share)s).",
                len(rows),
            )
            % {**_of(len(stale), len(rows)), "days": ctx.stale_days}
        ),
        item=lambda ctx, row: _kr_item(ctx, row, _silence_note(row)),
        ok_nudge=lambda: _("Key results are checked in: keep the weekly rhythm."),
        nudge=lambda: _(
            "Hold a 15-minute check-in this week and update every stale key result, even if "
            "nothing moved."
        ),
        nudge_url=lambda: _scope_url(ctx, "team_meeting", "dashboard"),
    )


def last_checkin(facts: Facts) -> Signal:
    ctx = facts.context
    key = "last_checkin"
    rows = [row for row in facts.key_results if row.working]
    if not rows:
        return _not_applicable(ctx, key, _("No key result is under way in this cycle."))
    if not ctx.started:
        return _not_applicable(ctx, key, _("The cycle has not started yet."))
    last = max((row.last_checkin for row in rows if row.last_checkin), default=None)
    if last is None:
        since = max(min((row.created or ctx.cycle_start) for row in rows), ctx.cycle_start)
        days = max(0, (ctx.today - since).days)
        evidence = _("Nobody has checked in since %(day)s.") % {"day": since.isoformat()}
    else:
        days = max(0, (ctx.today - last).days)
        evidence = ngettext(
            "The last check-in was on %(day)s, %(days)d day before %(today)s.",
            "The last check-in was on %(day)s, %(days)d days before %(today)s.",
            days,
        ) % {"day": last.isoformat(), "days": days, "today": ctx.today.isoformat()}
    weeks = days / 7
    state = _judged(key, weeks)
    if ctx.brief:
        return _brief(key, state, weeks)
    if state is State.OK:
        nudge = _("Check-ins happen every week: keep the slot in the calendar.")
        url = ""
    else:
        nudge = _(
            "Put a weekly check-in slot in every team's calendar, and hold the first one this week."
        )
        url = _scope_url(ctx, "team_meeting", "dashboard")
    return _make(key, state, value=weeks, evidence=evidence, nudge=nudge, nudge_url=url)


def pushed_down(facts: Facts) -> Signal:
    ctx = facts.context
    key = "pushed_down"
    rows = [
        row for row in facts.objectives if row.level == "team" and row.creator_inside is not None
    ]
    if not rows:
        return _not_applicable(ctx, key, _("There are no team objectives in this cycle yet."))
    outside = [row for row in rows if not row.creator_inside]
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=outside,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d team objective was created by someone outside the team "
                "(%(share)s).",
                "%(n)d of %(total)d team objectives were created by someone outside the team "
                "(%(share)s).",
                len(rows),
            )
            % _of(len(outside), len(rows))
        ),
        item=lambda ctx, row: _objective_item(
            ctx, row, facts.units[row.unit_id].name if row.unit_id in facts.units else ""
        ),
        ok_nudge=lambda: _("Teams write their own objectives: OKRs align, they do not cascade."),
        nudge=lambda: _(
            "Hand these objectives back to their teams: let each team rewrite its objective "
            "in its own words and own it."
        ),
        nudge_url=lambda: link(ctx, "objective_edit", outside[0].code),
    )


def copied_key_results(facts: Facts) -> Signal:
    ctx = facts.context
    key = "copied_key_results"
    rows = [row for row in facts.key_results if row.level in CHILD_LEVELS and row.parents]
    if not rows:
        return _not_applicable(ctx, key, _("No team key result sits under an aligned objective."))
    copied: list[tuple[KeyResultRow, ParentKeyResult]] = []
    for row in rows:
        match = next((p for p in row.parents if near_identical(row.title, p.title)), None)
        if match is not None:
            copied.append((row, match))

    def copied_item(ctx: Context, pair: tuple[KeyResultRow, ParentKeyResult]) -> Item:
        row, parent = pair
        return _kr_item(
            ctx,
            row,
            _("same as “%(title)s”") % {"title": parent.title}
            if parent.visible
            else _("same as a key result of its parent"),
        )

    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=copied,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d key result of aligned team objectives repeats a key result of "
                "what its objective aligns to (%(share)s).",
                "%(n)d of %(total)d key results of aligned team objectives repeat a key result of "
                "what their objectives align to (%(share)s).",
                len(rows),
            )
            % _of(len(copied), len(rows))
        ),
        item=copied_item,
        ok_nudge=lambda: _("Teams write their own contributing key results."),
        nudge=lambda: _(
            "Ask the team what it will change to move the parent's number, and write that "
            "outcome as its key result."
        ),
        nudge_url=lambda: link(ctx, "key_result_edit", copied[0][0].code),
    )


def key_result_owner(facts: Facts) -> Signal:
    ctx = facts.context
    key = "key_result_owner"
    rows = facts.key_results
    if not rows:
        return _not_applicable(ctx, key, _("There are no key results in this cycle yet."))
    orphans = [row for row in rows if not row.has_owner]
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=orphans,
        evidence=lambda: (
            _("%(n)d of %(total)d key results have no owner (%(share)s).")
            % _of(len(orphans), len(rows))
        ),
        item=_kr_item,
        ok_nudge=lambda: _("Every key result has someone who answers for it."),
        nudge=lambda: _("Give each of these key results one owner who checks in on it every week."),
        nudge_url=lambda: link(ctx, "key_result_edit", orphans[0].code),
    )


def unlinked_objectives(facts: Facts) -> Signal:
    ctx = facts.context
    key = "unlinked_objectives"
    if ctx.first_cycle:
        return _not_applicable(
            ctx, key, _("Alignment waits until after the first cycle, once the habit exists.")
        )
    rows = [row for row in facts.objectives if row.level == "team"]
    if not rows:
        return _not_applicable(ctx, key, _("There are no team objectives in this cycle yet."))
    loose = [row for row in rows if not row.linked]
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=loose,
        evidence=lambda: (
            _("%(n)d of %(total)d team objectives are aligned to nothing (%(share)s).")
            % _of(len(loose), len(rows))
        ),
        item=_objective_item,
        ok_nudge=lambda: _("Team objectives say which company goal they serve."),
        nudge=lambda: _(
            "Align each of these objectives to the company objective or key result it helps."
        ),
        nudge_url=lambda: link(ctx, "objective_align", loose[0].code),
    )


def measurable_key_results(facts: Facts) -> Signal:
    ctx = facts.context
    key = "measurable_key_results"
    rows = facts.key_results
    if not rows:
        return _not_applicable(ctx, key, _("There are no key results in this cycle yet."))
    vague = [row for row in rows if not has_number(row)]
    return _share_signal(
        ctx,
        key,
        rows=rows,
        flagged=vague,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d key result has no number in its title or is a done-or-not "
                "milestone (%(share)s).",
                "%(n)d of %(total)d key results have no number in their title or are done-or-not "
                "milestones (%(share)s).",
                len(rows),
            )
            % _of(len(vague), len(rows))
        ),
        item=lambda ctx, row: _kr_item(
            ctx, row, _("milestone") if row.kind == "milestone" else _("no number")
        ),
        ok_nudge=lambda: _("Key results are measurable outcomes."),
        nudge=lambda: _(
            "Rewrite these as outcomes with a number (“from 14 to 10 days”); turn "
            "done-or-not items into initiatives."
        ),
        nudge_url=lambda: link(ctx, "key_result_edit", vague[0].code),
    )


def objectives_per_unit(facts: Facts) -> Signal:
    ctx = facts.context
    key = "objectives_per_unit"
    if not facts.objectives:
        return _not_applicable(ctx, key, _("There are no objectives in this cycle yet."))
    counts: dict[int, int] = defaultdict(int)
    for row in facts.objectives:
        counts[row.unit_id] += 1
    busiest = max(counts.values())
    state = _judged(key, busiest)
    if ctx.brief:
        return _brief(key, state, busiest)
    crowded = sorted(
        (
            (count, unit_id)
            for unit_id, count in counts.items()
            if count > OBJECTIVES_PER_UNIT_WATCH
        ),
        key=lambda pair: (-pair[0], pair[1]),
    )
    top = max(counts, key=lambda unit_id: (counts[unit_id], -unit_id))
    top_name = facts.units[top].name if top in facts.units else "?"
    evidence = _(
        "The busiest unit, %(unit)s, has %(n)d objectives in this cycle; %(over)d units have "
        "more than %(watch)d."
    ) % {"unit": top_name, "n": busiest, "over": len(crowded), "watch": OBJECTIVES_PER_UNIT_WATCH}
    items = [
        Item(
            "unit",
            facts.units[unit_id].name,
            link(ctx, "unit", facts.units[unit_id].code),
            ngettext("%(n)d objective", "%(n)d objectives", count) % {"n": count},
        )
        for count, unit_id in crowded[:MAX_ITEMS]
        if unit_id in facts.units
    ]
    if state is State.OK:
        nudge = _("Units keep to a few objectives: focus is kept.")
        url = ""
    else:
        nudge = _("Keep one to three objectives per unit: merge related ones and drop the rest.")
        url = link(ctx, "planning", ctx.cycle_code)
    return _make(
        key,
        state,
        value=busiest,
        evidence=evidence,
        items=items,
        found=len(crowded),
        nudge=nudge,
        nudge_url=url,
    )


def _no_plans(key: str, ctx: Context) -> Signal:
    return _not_applicable(
        ctx,
        key,
        _("Nobody here wrote weekly plans in the last %(weeks)d weeks.") % {"weeks": PLANS_WEEKS},
        _("Start the weekly habit: three to seven plans each, linked to key results."),
        link(ctx, "my_week"),
    )


def plans_linked(facts: Facts) -> Signal:
    ctx = facts.context
    key = "plans_linked"
    people = facts.people
    if not people or not any(row.plans for row in people):
        return _no_plans(key, ctx)
    unlinked = sorted((row for row in people if not row.linked), key=lambda row: row.name)
    return _share_signal(
        ctx,
        key,
        rows=people,
        flagged=unlinked,
        evidence=lambda: (
            ngettext(
                "%(n)d of %(total)d person has no plan linked to an objective or key result in "
                "the last %(weeks)d weeks (%(share)s).",
                "%(n)d of %(total)d people have no plan linked to an objective or key result in "
                "the last %(weeks)d weeks (%(share)s).",
                len(people),
            )
            % {**_of(len(unlinked), len(people)), "weeks": PLANS_WEEKS}
        ),
        item=lambda ctx, row: _person_item(
            ctx,
            row.id,
            row.name,
            ngettext("%(n)d plan, none linked", "%(n)d plans, none linked", row.plans)
            % {"n": row.plans}
            if row.plans
            else _("no plans"),
        ),
        ok_nudge=lambda: _("Weekly plans move key results."),
        nudge=lambda: _(
            "Ask these people to link at least one of this week's plans to the key result it moves."
        ),
        nudge_url=lambda: link(ctx, "my_week"),
    )


def business_as_usual(facts: Facts) -> Signal:
    ctx = facts.context
    key = "business_as_usual"
    total = sum(row.plans for row in facts.people)
    if not total:
        return _no_plans(key, ctx)
    unlinked = total - sum(row.linked for row in facts.people)
    share = _share(unlinked, total)
    state = _judged(key, share)
    if ctx.brief:
        return _brief(key, state, share)
    evidence = ngettext(
        "%(n)d of %(total)d plan written in the last %(weeks)d weeks is linked to no objective or "
        "key result (%(share)s).",
        "%(n)d of %(total)d plans written in the last %(weeks)d weeks are linked to no objective "
        "or key result (%(share)s).",
        total,
    ) % {**_of(unlinked, total), "weeks": PLANS_WEEKS}
    only_usual = sorted(
        (row for row in facts.people if row.plans and not row.linked),
        key=lambda row: (-row.plans, row.name),
    )
    items = [
        _person_item(
            ctx,
            row.id,
            row.name,
            ngettext("%(n)d plan, none linked", "%(n)d plans, none linked", row.plans)
            % {"n": row.plans},
        )
        for row in only_usual[:MAX_ITEMS]
    ]
    if state is State.OK:
        nudge = _("Most plans move an OKR.")
        url = ""
    else:
        nudge = _(
            "At the next check-in, ask which key result each plan moves; keep business as "
            "usual to a line or two."
        )
        url = link(ctx, "my_week")
    return _make(
        key,
        state,
        value=share,
        evidence=evidence,
        items=items,
        found=len(only_usual),
        nudge=nudge,
        nudge_url=url,
    )


RULES: tuple[Callable[[Facts], Signal], ...] = (
    scores_policy,
    perfect_scores,
    sure_confidence,
    private_objectives,
    feedback,
    company_objectives,
    company_key_results,
    leaders_checkin,
    aspirational_first_cycle,
    stale_key_results,
    last_checkin,
    pushed_down,
    copied_key_results,
    key_result_owner,
    unlinked_objectives,
    measurable_key_results,
    objectives_per_unit,
    plans_linked,
    business_as_usual,
)


def signals_of(facts: Facts) -> list[Signal]:
    return [rule(facts) for rule in RULES]


# --- the score --------------------------------------------------------------------------------


def score_of(signals: Iterable[Signal]) -> int | None:
    """100 × Σ(weight × points) / Σ(weight) over the signals that count (ok earns 1, watch ½,
    problem 0); None when nothing counts."""
    earned = Decimal(0)
    possible = Decimal(0)
    for signal in signals:
        if not signal.counts:
            continue
        earned += POINTS[signal.state] * signal.weight
        possible += signal.weight
    if not possible:
        return None
    return int((earned * 100 / possible).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def grade_of(score: int | None) -> Grade:
    if score is None:
        return Grade.UNKNOWN
    if score >= GRADE_HEALTHY:
        return Grade.HEALTHY
    if score >= GRADE_ATTENTION:
        return Grade.NEEDS_ATTENTION
    return Grade.AT_RISK


@dataclass(frozen=True)
class UnitScore:
    code: str
    name: str
    kind: str
    score: int | None
    grade: Grade
    problems: int
    watches: int
    url: str

    @property
    def grade_label(self) -> str:
        return str(GRADE_LABELS[self.grade])


@dataclass(frozen=True)
class Health:
    """A health report: of the organization (`unit_code` None) or of a unit and everything
    below it, for one cycle."""

    org_slug: str
    cycle_code: str | None
    cycle_name: str | None
    unit_code: str | None
    unit_name: str | None
    reference: dt.date | None
    score: int | None
    grade: Grade
    signals: tuple[Signal, ...] = ()
    units: tuple[UnitScore, ...] = ()
    """The weakest units below, lowest score first."""
    units_judged: int = 0
    """How many units below had enough data for a score."""
    scored_cycle_name: str | None = None

    @property
    def grade_label(self) -> str:
        return str(GRADE_LABELS[self.grade])

    def sections(self) -> list[tuple[str, list[Signal]]]:
        """What to act on first: problems then signals to watch, then those in good shape, then
        those with nothing to measure yet; METHOD order within each."""
        act = [s for s in self.signals if s.state is State.PROBLEM]
        act += [s for s in self.signals if s.state is State.WATCH]
        return [
            ("act", act),
            ("ok", [s for s in self.signals if s.state is State.OK]),
            ("not_applicable", [s for s in self.signals if s.state is State.NOT_APPLICABLE]),
        ]

    def counts(self) -> dict[str, int]:
        found = {state.value: 0 for state in State}
        for signal in self.signals:
            found[signal.state.value] += 1
        return found


def judge(facts: Facts, *, unit: UnitRow | None = None) -> Health:
    """The health report of the facts' scope."""
    ctx = facts.context
    signals = tuple(signals_of(facts))
    score = score_of(signals)
    return Health(
        org_slug=ctx.org_slug,
        cycle_code=ctx.cycle_code,
        cycle_name=ctx.cycle_name,
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        reference=ctx.today,
        score=score,
        grade=grade_of(score),
        signals=signals,
        scored_cycle_name=ctx.scored_cycle_name,
    )


# --- scopes: the organization, a unit and everything below it ---------------------------------


def subtree(units: Mapping[int, UnitRow], unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for row in units.values():
        children[row.parent_id].append(row.id)
    found: set[int] = set()
    stack = [unit_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, ()))
    return found


class Scopes:
    """Cuts the facts of a whole organization (or of a subtree) into the facts of any unit's
    subtree without going back to the database: rows are grouped by unit once, so judging
    every unit costs about as much as judging the organization a few times."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.root_id = next((row.id for row in facts.units.values() if row.parent_id is None), None)
        self.objectives: dict[int, list[ObjectiveRow]] = defaultdict(list)
        self.key_results: dict[int, list[KeyResultRow]] = defaultdict(list)
        self.scores: dict[int, list[ScoreRow]] = defaultdict(list)
        self.people: dict[int, list[PersonRow]] = defaultdict(list)
        self.leaders: dict[int, list[LeaderRow]] = defaultdict(list)
        for objective in facts.objectives:
            self.objectives[objective.unit_id].append(objective)
        for kr in facts.key_results:
            self.key_results[kr.unit_id].append(kr)
        for score in facts.scores:
            self.scores[score.unit_id].append(score)
        for person in facts.people:
            for unit_id in person.unit_ids:
                self.people[unit_id].append(person)
        for leader in facts.leaders:
            for unit_id in leader.unit_ids:
                self.leaders[unit_id].append(leader)
        self._children: dict[int | None, list[int]] = defaultdict(list)
        for row in facts.units.values():
            self._children[row.parent_id].append(row.id)

    def below(self, unit_id: int) -> set[int]:
        found: set[int] = set()
        stack = [unit_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.add(current)
            stack.extend(self._children.get(current, ()))
        return found

    def facts_for(self, unit_id: int, *, brief: bool = False) -> Facts:
        """The facts of a unit and everything below it. The company unit's scope is the whole
        organization: everyone, admins among the leaders, company-wide signals."""
        ids = self.below(unit_id)
        unit = self.facts.units[unit_id]
        includes_company = unit_id == self.root_id
        ctx = replace(
            self.facts.context,
            includes_company=includes_company,
            scope_unit_code=unit.code,
            brief=brief,
        )
        if includes_company:
            return replace(self.facts, context=ctx)
        people: dict[int, PersonRow] = {}
        leaders: dict[int, LeaderRow] = {}
        for current in ids:
            for person in self.people.get(current, ()):
                people[person.id] = person
            for leader in self.leaders.get(current, ()):
                leaders[leader.id] = leader
        return replace(
            self.facts,
            context=ctx,
            objectives=tuple(o for current in ids for o in self.objectives.get(current, ())),
            key_results=tuple(k for current in ids for k in self.key_results.get(current, ())),
            scores=tuple(s for current in ids for s in self.scores.get(current, ())),
            people=tuple(people.values()),
            leaders=tuple(leaders.values()),
        )

    def unit_scores(self, unit_ids: Iterable[int]) -> tuple[tuple[UnitScore, ...], int]:
        """The weakest of these units (each judged with everything below it), lowest score
        first, and how many had a score at all."""
        judged: list[UnitScore] = []
        ctx = self.facts.context
        for unit_id in unit_ids:
            unit = self.facts.units[unit_id]
            signals = signals_of(self.facts_for(unit_id, brief=True))
            score = score_of(signals)
            if score is None:
                continue
            judged.append(
                UnitScore(
                    code=unit.code,
                    name=unit.name,
                    kind=unit.kind,
                    score=score,
                    grade=grade_of(score),
                    problems=sum(1 for s in signals if s.state is State.PROBLEM),
                    watches=sum(1 for s in signals if s.state is State.WATCH),
                    url=link(ctx, "health_unit", unit.code, query=f"?cycle={ctx.cycle_code}"),
                )
            )
        judged.sort(key=lambda row: (row.score if row.score is not None else 101, row.name))
        return tuple(judged[:WEAKEST_UNITS]), len(judged)


def as_dict(health: Health) -> dict[str, Any]:
    """The report as plain data: what the API answers and `tenfold health --json` prints."""
    return {
        "organization": health.org_slug,
        "cycle": (
            {"code": health.cycle_code, "name": health.cycle_name} if health.cycle_code else None
        ),
        "unit": (
            {"code": health.unit_code, "name": health.unit_name} if health.unit_code else None
        ),
        "reference_day": health.reference,
        "score": health.score,
        "grade": health.grade.value,
        "grade_label": health.grade_label,
        "scored_cycle": health.scored_cycle_name,
        "signals": [
            {
                "key": s.key,
                "group": s.group,
                "title": s.title,
                "state": s.state.value,
                "value": s.value,
                "value_label": s.value_label,
                "threshold": s.threshold.as_dict(),
                "threshold_label": s.threshold_label,
                "evidence": s.evidence,
                "items": [
                    {"kind": i.kind, "label": i.label, "url": i.url, "note": i.note}
                    for i in s.items
                ],
                "more_items": s.more,
                "nudge": s.nudge,
                "nudge_url": s.nudge_url or None,
                "weight": s.weight,
            }
            for s in health.signals
        ],
        "weakest_units": [
            {
                "code": u.code,
                "name": u.name,
                "kind": u.kind,
                "score": u.score,
                "grade": u.grade.value,
                "problems": u.problems,
                "watches": u.watches,
            }
            for u in health.units
        ],
        "units_judged": health.units_judged,
    }
