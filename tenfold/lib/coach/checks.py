"""The coach's checks: one key result, one objective, a unit's set of objectives, a whole cycle.

Pure functions over the dataclasses in `types`; no database. They never raise on odd input
(empty, enormous, emoji-only, None where text was expected): a clear finding comes back instead.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_noop

from tenfold.lib.coach import rewrite as rw
from tenfold.lib.coach.analyse import Traits, analyse, analyse_objective, is_personal_business
from tenfold.lib.coach.catalogue import make
from tenfold.lib.coach.text import clean, containment, signature, similarity
from tenfold.lib.coach.types import (
    Context,
    Finding,
    KeyResultText,
    ObjectiveText,
    Severity,
)

KINDS = ("increase", "decrease", "reach", "keep_above", "keep_below", "milestone")
FROM_TO_KINDS = ("increase", "decrease")
NUMERIC_KINDS = ("increase", "decrease", "reach", "keep_above", "keep_below")

# How alike two titles must be (0–1, see `text.similarity`) to count as the same thing.
SAME_AS_PARENT = 0.8
SAME_AS_KPI = 0.75
KPI_CONTAINED = 0.8
DUPLICATE = 0.85
SHARED_KEY_RESULT = 0.9

KR_LONG = 120  # a key result longer than this is hard to read in a check-in (info)
KR_TOO_LONG = 200  # the stored title limit (warning)


# --- small coercions: callers pass form data, model values, parsed files --------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _kind(value: Any) -> str | None:
    if value is None:
        return None
    text = clean(getattr(value, "value", value)).strip().lower().replace(" ", "_").replace("-", "_")
    return text if text in KINDS else None


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _level(value: Any) -> str:
    return clean(getattr(value, "value", value)).strip().lower() or "team"


def _by_severity(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: -Severity(f.severity).rank)


class _Findings:
    """Collects findings, one per rule id (a later one of higher severity replaces it)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Finding] = {}

    def add(self, finding: Finding) -> None:
        slot = (finding.rule, finding.subject)
        existing = self.items.get(slot)
        if existing is None or Severity(finding.severity).rank > Severity(existing.severity).rank:
            self.items[slot] = finding

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.add(finding)

    def has(self, rule: str) -> bool:
        return any(r == rule for r, _ in self.items)

    def result(self) -> list[Finding]:
        return _by_severity(list(self.items.values()))


# --- key results ------------------------------------------------------------------------------


def check_key_result(
    kr: KeyResultText, *, objective: ObjectiveText | None = None, context: Context | None = None
) -> list[Finding]:
    """Findings about one key result: its wording, its structured values, owner, alignment."""
    context = context or Context()
    title = clean(getattr(kr, "title", ""))
    kind = _kind(getattr(kr, "kind", None))
    start = _decimal(getattr(kr, "start", None))
    target = _decimal(getattr(kr, "target", None))
    unit = clean(getattr(kr, "unit", ""))
    t = analyse(title)
    out = _Findings()
    # Structured input (a form or a stored key result): the numbers live in the fields, and a
    # missing or inconsistent value gets its own finding below.
    has_values = kind in NUMERIC_KINDS

    def from_values() -> str:
        if kind not in NUMERIC_KINDS:
            return ""
        consistent_target = target
        if (
            start is not None
            and target is not None
            and (
                start == target
                or (kind == "increase" and target < start)
                or (kind == "decrease" and target > start)
            )
        ):
            consistent_target = None  # do not propose the inconsistent values again
        return rw.structured(t, kind=kind or "", start=start, target=consistent_target, unit=unit)

    if t.blank:
        out.add(make("kr.empty", rewrite=from_values() if has_values else ""))
    else:
        _length(out, t)
        if kind == "milestone":
            out.add(make("kr.milestone_kind", rewrite=rw.outcome(t)))
        elif has_values:
            _wording_with_values(out, t, from_values)
        else:
            _wording(out, t)
    _values(out, t, kind, start, target, unit)

    if _flag(getattr(kr, "has_owner", None)) is False:
        out.add(make("kr.no_owner"))
    if getattr(kr, "aspirational", False) and context.first_cycle:
        out.add(make("kr.aspirational_first_cycle"))
    if objective is not None and not t.blank:
        _restates(out, title, objective)
    return out.result()


def _length(out: _Findings, t: Traits) -> None:
    if t.length > KR_TOO_LONG:
        out.add(make("kr.too_long", count=t.length))
    elif t.length > KR_LONG:
        out.add(make("kr.too_long", severity=Severity.INFO, count=t.length))


def _wording(out: _Findings, t: Traits) -> None:
    """Text only: the title must carry the numbers itself."""
    if not t.measurable:
        if t.direction_at_start and t.direction in ("up", "down"):
            out.add(make("kr.vague_change", rewrite=rw.change(t)))
        elif t.milestone:
            out.add(make("kr.binary", rewrite=rw.outcome(t)))
        elif t.activity_anywhere and not (t.direction == "keep" and t.direction_at_start):
            out.add(make("kr.output", rewrite=rw.outcome(t)))
        elif t.direction == "keep":
            out.add(make("kr.keep_without_threshold", rewrite=rw.keep(t)))
        elif t.direction:
            out.add(make("kr.vague_change", rewrite=rw.change(t)))
        else:
            out.add(make("kr.no_number", rewrite=rw.change(t, direction="up")))
        return
    _counted_work(out, t)
    if t.only_baseline and t.direction in ("up", "down") and not t.from_to:
        # "Increase signups from 200": a baseline, but no target to grade against.
        out.add(make("kr.vague_change", rewrite=rw.change(t)))
    if t.start_equals_target:
        out.add(make("kr.start_equals_target", field="title", value=t.start_equals_target))
    if (
        t.direction in ("up", "down")
        and t.direction_at_start
        and not (t.from_to or t.relative or t.frequency_change)
        and not any(n.comparator for n in t.numbers)
        and not out.has("kr.counts_outputs")
        and not out.has("kr.vague_change")
    ):
        out.add(make("kr.no_start_value"))


def _counted_work(out: _Findings, t: Traits) -> None:
    if t.counts_outputs:
        out.add(make("kr.counts_outputs", rewrite=rw.outcome(t)))
    elif t.all_of_a_task:
        out.add(make("kr.binary", rewrite=rw.outcome(t)))
    elif t.activity_start and not t.activity_weak and (t.from_to or t.amount_numbers):
        out.add(make("kr.mixed_output"))


def _wording_with_values(out: _Findings, t: Traits, from_values: Any) -> None:
    """Structured values present: the numbers live in the fields, the title names the metric."""
    if t.measurable:
        _counted_work(out, t)
        return
    task = t.activity_start and not t.activity_weak and not t.direction_at_start
    if task or (t.zh_task and not t.direction):
        # The title names the work; the fields may hold anything. The usual outcome of that
        # work makes a better title than the task with numbers glued on.
        derived = rw.metric_for(t.key, t.lang)
        out.add(make("kr.output", rewrite=rw.outcome(t) if derived else from_values()))
    elif t.milestone and not t.direction:
        out.add(make("kr.binary", rewrite=from_values()))
    else:
        out.add(make("kr.no_number", severity=Severity.INFO, rewrite=from_values()))


def _values(
    out: _Findings,
    t: Traits,
    kind: str | None,
    start: Decimal | None,
    target: Decimal | None,
    unit: str,
) -> None:
    if kind is None or kind == "milestone":
        return
    if kind in ("keep_above", "keep_below"):
        if target is None:
            out.add(
                make(
                    "kr.keep_without_threshold",
                    severity=Severity.PROBLEM,
                    field="target",
                    rewrite=rw.keep(t) if not t.blank else "",
                )
            )
        return
    if target is None:
        out.add(make("kr.no_target"))
        return
    if kind not in FROM_TO_KINDS:
        return
    if start is None:
        out.add(make("kr.no_start_value", field="start"))
    elif start == target:
        out.add(make("kr.start_equals_target", value=rw.format_number(target, t.lang)))
    elif (kind == "increase" and target < start) or (kind == "decrease" and target > start):
        out.add(make("kr.direction_mismatch", kind=_kind_word(kind)))
    elif kind == "increase" and start == 0 and target == 1 and not unit.strip("% "):
        # 0 → 1 with no unit is a done/not-done dressed up as a number.
        out.add(make("kr.binary", field="target", rewrite=rw.outcome(t) if not t.blank else ""))


def _restates(out: _Findings, title: str, objective: ObjectiveText) -> None:
    for parent in getattr(objective, "parent_key_results", None) or []:
        parent = clean(parent)
        if parent and similarity(title, parent) >= SAME_AS_PARENT:
            out.add(make("kr.copies_parent"))
            break
    for kpi in getattr(objective, "kpi_targets", None) or []:
        kpi = clean(kpi)
        if not kpi:
            continue
        if similarity(title, kpi) >= SAME_AS_KPI or (
            len(signature(kpi)) >= 2 and containment(kpi, title) >= KPI_CONTAINED
        ):
            out.add(make("kr.restates_kpi"))
            break


# --- objectives -------------------------------------------------------------------------------


def check_objective(
    obj: ObjectiveText, *, context: Context | None = None, with_key_results: bool = True
) -> list[Finding]:
    """Findings about one objective, and (when asked) about each of its key results, whose
    findings carry the key result's title as `subject`."""
    context = context or Context()
    title = clean(getattr(obj, "title", ""))
    level = _level(getattr(obj, "level", "team"))
    kind = clean(getattr(getattr(obj, "type", ""), "value", getattr(obj, "type", "")))
    key_results = getattr(obj, "key_results", None)
    key_results = list(key_results) if key_results is not None else None
    o = analyse_objective(title)
    t = o.traits
    out = _Findings()

    if t.blank:
        out.add(make("objective.empty"))
    else:
        if t.length > context.title_max:
            out.add(
                make(
                    "objective.too_long",
                    count=t.length,
                    limit=context.title_max,
                    rewrite=rw.shorter_objective(t, context.title_max),
                )
            )
        if o.kpi:
            # A task with a count ("Hire 3 engineers") gets its rewrite from the task rule.
            rewrite = "" if o.task else rw.objective_without_numbers(t)
            out.add(make("objective.is_kpi", rewrite=rewrite))
        if o.task:
            out.add(make("objective.is_task", rewrite=rw.objective_from_task(t)))
        elif o.business_as_usual:
            out.add(make("objective.business_as_usual"))
        if o.vague and not (o.kpi or o.task):
            out.add(make("objective.too_vague"))

    if key_results is not None:
        _key_result_count(out, key_results, level, context)
        _duplicate_key_results(out, key_results)
    if _flag(getattr(obj, "has_owner", None)) is False:
        out.add(make("objective.no_owner"))
    if (
        _flag(getattr(obj, "aligned", None)) is False
        and level in ("team", "department")
        and not context.first_cycle  # METHOD §8: skip alignment until the habit exists
    ):
        out.add(make("objective.not_aligned"))
    if kind.strip().lower() == "aspirational" and context.first_cycle:
        out.add(make("objective.aspirational_first_cycle"))
    if level == "personal":
        texts = [title, clean(getattr(obj, "description", ""))]
        texts += [clean(getattr(kr, "title", "")) for kr in key_results or []]
        if is_personal_business(texts):
            out.add(make("objective.personal_not_development"))
    if level == "company" and not clean(getattr(obj, "description", "")).strip():
        out.add(make("objective.no_why"))

    findings = out.result()
    if with_key_results and key_results:
        for kr in key_results:
            subject = clean(getattr(kr, "title", ""))
            for finding in check_key_result(kr, objective=obj, context=context):
                findings.append(dataclasses.replace(finding, subject=subject))
    return findings


def _key_result_count(
    out: _Findings, key_results: list[KeyResultText], level: str, context: Context
) -> None:
    count = len(key_results)
    if count == 0 and level == "company":
        return  # METHOD §2: company objectives may be moved by the team OKRs aligned to them
    if count < context.min_key_results:
        tolerated = count == context.min_key_results - 1 and count > 1
        out.add(
            make(
                "objective.few_key_results",
                severity=Severity.INFO if tolerated else Severity.WARNING,
                count=count,
            )
        )
    elif count > context.max_key_results:
        out.add(make("objective.too_many_key_results", count=count))


def _duplicate_key_results(out: _Findings, key_results: list[KeyResultText]) -> None:
    titles = [clean(getattr(kr, "title", "")) for kr in key_results[:50]]
    for i, first in enumerate(titles):
        for second in titles[i + 1 :]:
            if first.strip() and second.strip() and similarity(first, second) >= DUPLICATE:
                out.add(make("objective.duplicate_key_results"))
                return


# --- a unit's objectives ----------------------------------------------------------------------


def check_unit(
    objectives: Sequence[ObjectiveText],
    *,
    level: str,
    name: str = "",
    context: Context | None = None,
) -> list[Finding]:
    """Set-level findings for one unit's objectives in a cycle: how many, duplicates, key
    results counted twice. Unit-wide findings carry the unit `name` as subject."""
    context = context or Context()
    objectives = list(objectives or [])
    level = _level(level)
    out = _Findings()
    count = len(objectives)
    # METHOD §2 and §8: one objective per unit in the first cycle, up to three later.
    recommended = 1 if context.first_cycle else context.recommended_objectives
    if count == 0:
        if level == "company":
            out.add(make("cycle.no_company_objectives", subject=name))
        else:
            out.add(make("set.no_objectives", subject=name))
    elif count > context.max_objectives:
        out.add(make("set.too_many_objectives", subject=name, count=count,
                     limit=context.max_objectives))  # fmt: skip
    elif count > recommended:
        out.add(make("set.many_objectives", subject=name, count=count, recommended=recommended))

    titles = [clean(getattr(o, "title", "")) for o in objectives]
    for _first, j in _similar_pairs(titles, DUPLICATE):
        out.add(make("set.duplicate_objectives", subject=titles[j]))

    owners: list[int] = []
    kr_titles: list[str] = []
    for index, objective in enumerate(objectives):
        for kr in getattr(objective, "key_results", None) or []:
            kr_titles.append(clean(getattr(kr, "title", "")))
            owners.append(index)
    for i, j in _similar_pairs(kr_titles, SHARED_KEY_RESULT):
        if owners[i] != owners[j]:
            out.add(make("set.shared_key_results", subject=kr_titles[j]))
    return out.result()


def _similar_pairs(titles: list[str], threshold: float) -> list[tuple[int, int]]:
    """Pairs (i < j) of titles at least `threshold` alike. An index of shared words keeps this
    far from quadratic on a big planning board."""
    index: dict[str, list[int]] = defaultdict(list)
    for position, title in enumerate(titles):
        if title.strip():
            for gram in signature(title):
                index[gram].append(position)
    candidates: set[tuple[int, int]] = set()
    for positions in index.values():
        if len(positions) > 200:
            continue  # a word shared by that many titles says nothing about any two of them
        for a_index, a in enumerate(positions):
            for b in positions[a_index + 1 :]:
                candidates.add((a, b))
    return sorted((a, b) for a, b in candidates if similarity(titles[a], titles[b]) >= threshold)


# --- the whole cycle --------------------------------------------------------------------------


def check_cycle(
    company: Sequence[ObjectiveText],
    units: Mapping[str, Sequence[ObjectiveText]],
    *,
    context: Context | None = None,
) -> list[Finding]:
    """Organization-level findings for a cycle: company objectives missing or too many, each
    unit's set findings (subject = unit name), units aligned to nothing, team OKRs copied from
    the company's, and objectives duplicated across units."""
    context = context or Context()
    company = list(company or [])
    units = dict(units or {})
    out: list[Finding] = []
    out.extend(check_unit(company, level="company", context=context))

    company_titles = [clean(getattr(o, "title", "")) for o in company]
    company_krs = [
        clean(getattr(kr, "title", ""))
        for o in company
        for kr in (getattr(o, "key_results", None) or [])
    ]
    everything: list[tuple[str, str]] = []  # (unit name, objective title)
    for name, objectives in units.items():
        objectives = list(objectives or [])
        levels = {_level(getattr(o, "level", "team")) for o in objectives}
        level = "department" if levels == {"department"} else "team"
        out.extend(check_unit(objectives, level=level, name=clean(name), context=context))
        linkable = [o for o in objectives if _level(getattr(o, "level", "team")) != "personal"]
        if (
            company
            and linkable
            and not context.first_cycle
            and all(_flag(getattr(o, "aligned", None)) is False for o in linkable)
        ):
            out.append(make("cycle.unit_not_aligned", subject=clean(name)))
        for objective in objectives:
            title = clean(getattr(objective, "title", ""))
            everything.append((clean(name), title))
            if title.strip() and any(
                similarity(title, c) >= DUPLICATE for c in company_titles if c.strip()
            ):
                out.append(make("cycle.copied_objective", subject=title))
            for kr in getattr(objective, "key_results", None) or []:
                kr_title = clean(getattr(kr, "title", ""))
                if kr_title.strip() and any(
                    similarity(kr_title, c) >= DUPLICATE for c in company_krs if c.strip()
                ):
                    out.append(make("cycle.copied_key_result", subject=kr_title))

    titles = [title for _, title in everything]
    reported: set[str] = set()
    for i, j in _similar_pairs(titles, DUPLICATE):
        if everything[i][0] != everything[j][0] and titles[j] not in reported:
            reported.add(titles[j])
            out.append(make("cycle.duplicate_across_units", subject=titles[j]))
    return _by_severity(out)


def needs_work(findings: Iterable[Finding]) -> bool:
    """True when any finding is a warning or a problem (info never counts)."""
    return any(str(f.severity) in (Severity.WARNING, Severity.PROBLEM) for f in findings)


def _kind_word(kind: str) -> str:
    """The kind in the reader's words ("increase" → "increase", "aumentar", "提高")."""
    words = {"increase": gettext_noop("increase"), "decrease": gettext_noop("decrease")}
    word = words.get(kind)
    return gettext(word) if word else kind
