"""The coach on real OKRs: turn objectives and key results from the database (or a form being
typed) into the quality rules' text drafts, with the context only the database knows — the
level, whether the objective is aligned, its parent's key results, the unit's KPIs, whether this
is the organization's first cycle — and run the rules of `tenfold.lib.coach`.

Web pages, the API and `tenfold coach --org` all call these functions, so the same OKR gets
the same advice everywhere. Every function reads a fixed number of queries, however many
objectives a cycle holds."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.utils.translation import get_language

from tenfold.kpis.models import Kpi
from tenfold.lib.coach import (
    Context,
    Finding,
    KeyResultText,
    ObjectiveText,
    Severity,
    check_cycle,
    check_key_result,
    check_objective,
    check_unit,
    needs_work,
)
from tenfold.okrs.models import (
    Alignment,
    Cycle,
    KeyResult,
    Level,
    Objective,
)
from tenfold.okrs.selectors import visible_objectives
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access

SEVERITY_ORDER = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}
LEVEL_OF_UNIT: dict[str, str] = {
    UnitKind.COMPANY: Level.COMPANY,
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.TEAM: Level.TEAM,
}


# --- remembering findings -------------------------------------------------------------------
# The rules are pure functions of the text, the context and the reader's language, so a
# finding computed once is reused until any of them changes: a cycle's review or a planning
# board re-reads only what was edited since. Bounded, per process, safe across threads.

_MEMO: OrderedDict[tuple[Any, ...], list[Finding]] = OrderedDict()
_MEMO_SIZE = 60_000
_MEMO_LOCK = threading.Lock()


def _kr_key(kr: KeyResultText) -> tuple[Any, ...]:
    return (kr.title, kr.kind, kr.start, kr.target, kr.unit, kr.has_owner, kr.aspirational)


def _objective_key(o: ObjectiveText) -> tuple[Any, ...]:
    krs = None if o.key_results is None else tuple(_kr_key(kr) for kr in o.key_results)
    return (
        o.title,
        o.description,
        o.level,
        o.type,
        o.has_owner,
        o.aligned,
        krs,
        tuple(o.parent_key_results),
        tuple(o.kpi_targets),
    )


def _context_key(context: Context) -> tuple[Any, ...]:
    return (get_language(), *(getattr(context, f.name) for f in fields(context)))


def _remembered(key: tuple[Any, ...], compute: Callable[[], list[Finding]]) -> list[Finding]:
    with _MEMO_LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
            return found
    found = compute()
    with _MEMO_LOCK:
        _MEMO[key] = found
        if len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return found


def objective_findings(text: ObjectiveText, context: Context) -> list[Finding]:
    return _remembered(
        ("o", _context_key(context), _objective_key(text)),
        lambda: ordered(check_objective(text, context=context, with_key_results=False)),
    )


def key_result_findings(
    kr: KeyResultText, parent: ObjectiveText | None, context: Context
) -> list[Finding]:
    return _remembered(
        ("k", _context_key(context), _kr_key(kr), parent and _objective_key(parent)),
        lambda: ordered(check_key_result(kr, objective=parent, context=context)),
    )


def unit_findings(
    texts: Sequence[ObjectiveText], *, level: str, name: str, context: Context
) -> list[Finding]:
    return _remembered(
        ("u", _context_key(context), level, name, tuple(_objective_key(t) for t in texts)),
        lambda: ordered(check_unit(texts, level=level, name=name, context=context)),
    )


def cycle_findings(
    company: Sequence[ObjectiveText],
    units: dict[str, list[ObjectiveText]],
    context: Context,
) -> list[Finding]:
    key = (
        "c",
        _context_key(context),
        tuple(_objective_key(t) for t in company),
        tuple((name, tuple(_objective_key(t) for t in items)) for name, items in units.items()),
    )
    return _remembered(key, lambda: ordered(check_cycle(company, units, context=context)))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Problems first, then warnings, then hints; the rules' own order within each."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    found = {str(s): 0 for s in Severity}
    for finding in findings:
        found[str(finding.severity)] += 1
    return found


def finding_data(finding: Finding) -> dict[str, str]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": str(finding.message),
        "why": str(finding.why),
        "suggestion": str(finding.suggestion),
        "rewrite": finding.rewrite,
        "field": finding.field,
        "subject": finding.subject,
    }


def coach_context(organization: Organization) -> Context:
    """The rules' settings for this organization: the first-cycle limits come from its adoption
    programme (METHOD §2, §8)."""
    from tenfold.adoption.selectors import first_cycle_policy

    policy = first_cycle_policy(organization)
    return Context(
        first_cycle=policy.first_cycle,
        max_objectives=policy.max_objectives_per_team,
        recommended_objectives=policy.recommended_objectives_per_team,
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def key_result_text(kr: KeyResult) -> KeyResultText:
    return KeyResultText(
        title=kr.title,
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
        unit=kr.unit_label,
        has_owner=kr.owner_id is not None,
        aspirational=kr.aspirational,
    )


def kpi_text(kpi: Kpi) -> str:
    sign = "≤" if kpi.direction == "lower_is_better" else "≥"
    target = f"{kpi.target.normalize():f}" if kpi.target is not None else ""
    return f"{kpi.name} {sign} {target} {kpi.unit_label}".strip()


class Row(SimpleNamespace):
    """An objective, key result, unit or link read as plain values: the review of a whole
    cycle reads thousands of them, and model instances would cost more than the rules."""


KR_COLUMNS = (
    "id",
    "code",
    "objective_id",
    "title",
    "kind",
    "start",
    "target",
    "unit_label",
    "owner_id",
    "aspirational",
)
OBJECTIVE_COLUMNS = (
    "id",
    "code",
    "title",
    "description",
    "level",
    "type",
    "unit_id",
    "lead_id",
    "owner_person_id",
)


@dataclass
class _Facts:
    """What the database adds to the text of a cycle's objectives, loaded once."""

    key_results: dict[int, list[Any]] = field(default_factory=dict)  # KeyResult or Row
    aligned: set[int] = field(default_factory=set)
    parent_krs: dict[int, list[str]] = field(default_factory=dict)
    kpis: dict[int, list[str]] = field(default_factory=dict)


def _facts(objectives: Sequence[Objective]) -> _Facts:
    """Key results, alignment, parents' key results and the units' KPIs for `objectives`, in
    three queries (key results and links are usually prefetched already)."""
    facts = _Facts()
    ids = [o.id for o in objectives]
    if not ids:
        return facts
    links: list[Any] = []
    for objective in objectives:
        prefetched = getattr(objective, "_prefetched_objects_cache", {})
        if "key_results" in prefetched:
            facts.key_results[objective.id] = list(objective.key_results.all())
        if "parent_links" in prefetched:
            links.extend(objective.parent_links.all())
    missing = [i for i in ids if i not in facts.key_results]
    if missing:
        rows = (
            KeyResult.objects.filter(objective_id__in=missing)
            .order_by("order", "id")
            .values_list(*KR_COLUMNS)
        )
        for row in rows:
            kr = Row(**dict(zip(KR_COLUMNS, row, strict=True)))
            facts.key_results.setdefault(kr.objective_id, []).append(kr)
        for i in missing:
            facts.key_results.setdefault(i, [])
    prefetched_links = all(
        "parent_links" in getattr(o, "_prefetched_objects_cache", {}) for o in objectives
    )
    if not prefetched_links:
        links = [
            Row(child_id=child, parent_objective_id=objective, parent_key_result_id=kr)
            for child, objective, kr in Alignment.objects.filter(child_id__in=ids).values_list(
                "child_id", "parent_objective_id", "parent_key_result_id"
            )
        ]
    parent_objective_ids: dict[int, list[int]] = defaultdict(list)
    parent_kr_ids: dict[int, list[int]] = defaultdict(list)
    for link in links:
        facts.aligned.add(link.child_id)
        if link.parent_objective_id:
            parent_objective_ids[link.parent_objective_id].append(link.child_id)
        if link.parent_key_result_id:
            parent_kr_ids[link.parent_key_result_id].append(link.child_id)
    if parent_objective_ids or parent_kr_ids:
        rows = KeyResult.objects.filter(
            objective_id__in=list(parent_objective_ids)
        ) | KeyResult.objects.filter(id__in=list(parent_kr_ids))
        for kr_id, objective_id, title in rows.values_list("id", "objective_id", "title"):
            for child in parent_objective_ids.get(objective_id, []):
                facts.parent_krs.setdefault(child, []).append(title)
            for child in parent_kr_ids.get(kr_id, []):
                facts.parent_krs.setdefault(child, []).append(title)
    unit_ids = {o.unit_id for o in objectives if o.unit_id}
    if unit_ids:
        for kpi in Kpi.objects.filter(unit_id__in=unit_ids, active=True):
            facts.kpis.setdefault(kpi.unit_id or 0, []).append(kpi_text(kpi))
    return facts


def objective_text(objective: Objective, facts: _Facts) -> ObjectiveText:
    krs = facts.key_results.get(objective.id, [])
    level = objective.level
    return ObjectiveText(
        title=objective.title,
        description=objective.description,
        level=level,
        type=objective.type,
        has_owner=bool(objective.lead_id or objective.owner_person_id),
        key_results=[key_result_text(kr) for kr in krs],
        aligned=(objective.id in facts.aligned)
        if level in (Level.TEAM, Level.DEPARTMENT)
        else None,
        parent_key_results=facts.parent_krs.get(objective.id, []),
        kpi_targets=facts.kpis.get(objective.unit_id or 0, []),
    )


@dataclass
class KeyResultAdvice:
    key_result: KeyResult
    findings: list[Finding]


@dataclass
class ObjectiveAdvice:
    """The coach's findings on one objective: about the objective itself, and per key result."""

    objective: Objective
    findings: list[Finding]
    key_results: list[KeyResultAdvice]

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + [f for kr in self.key_results for f in kr.findings]

    @property
    def needs_work(self) -> bool:
        return needs_work(self.all_findings)

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.all_findings)


def advice_data(advice: ObjectiveAdvice) -> dict[str, Any]:
    """An objective's findings as plain data, for the API and `tenfold coach --json`."""
    return {
        "code": advice.objective.code,
        "title": advice.objective.title,
        "needs_work": advice.needs_work,
        "counts": advice.counts,
        "findings": [finding_data(f) for f in advice.findings],
        "key_results": [
            {
                "code": kr.key_result.code,
                "title": kr.key_result.title,
                "findings": [finding_data(f) for f in kr.findings],
            }
            for kr in advice.key_results
        ],
    }


def _advise(
    objective: Objective,
    facts: _Facts,
    context: Context,
    text: ObjectiveText | None = None,
) -> ObjectiveAdvice:
    text = text or objective_text(objective, facts)
    own = objective_findings(text, context)
    per_kr = [
        KeyResultAdvice(
            key_result=kr,
            findings=key_result_findings(key_result_text(kr), text, context),
        )
        for kr in facts.key_results.get(objective.id, [])
    ]
    return ObjectiveAdvice(objective=objective, findings=own, key_results=per_kr)


def objective_advice(objective: Objective, *, context: Context | None = None) -> ObjectiveAdvice:
    """The findings on one objective and its key results."""
    organization = objective.organization
    return _advise(objective, _facts([objective]), context or coach_context(organization))


def advice_for(objectives: Sequence[Objective], *, context: Context) -> dict[int, ObjectiveAdvice]:
    """Findings for many objectives at once (the planning board), keyed by objective id."""
    facts = _facts(objectives)
    return {o.id: _advise(o, facts, context) for o in objectives}


@dataclass
class UnitAdvice:
    unit: Unit | None
    findings: list[Finding]
    objectives: list[ObjectiveAdvice]


@dataclass
class CycleAdvice:
    cycle: Cycle
    findings: list[Finding]
    units: list[UnitAdvice]
    first_cycle: bool

    @property
    def all_findings(self) -> list[Finding]:
        found = list(self.findings)
        for unit in self.units:
            found.extend(unit.findings)
            for objective in unit.objectives:
                found.extend(objective.all_findings)
        return found

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.all_findings)

    @property
    def objective_count(self) -> int:
        return sum(len(u.objectives) for u in self.units)


def cycle_advice(access: Access, cycle: Cycle) -> CycleAdvice:
    """The coach's review of a whole cycle as `access` sees it: the organization-level
    findings, each unit's set, and every objective with its key results. Objectives, key
    results, links and units are read as plain rows in five queries, whatever their number."""
    organization = access.membership.organization
    context = coach_context(organization)
    objectives = [
        Row(**dict(zip(OBJECTIVE_COLUMNS, row, strict=True)))
        for row in visible_objectives(access)
        .filter(cycle=cycle)
        .exclude(level=Level.PERSONAL)
        .order_by("unit__order", "order", "id")
        .values_list(*OBJECTIVE_COLUMNS)
    ]
    facts = _facts(objectives)  # type: ignore[arg-type]
    unit_rows = {
        row[0]: Row(id=row[0], code=row[1], name=row[2], kind=row[3], order=row[4])
        for row in Unit.objects.filter(
            id__in={o.unit_id for o in objectives if o.unit_id}
        ).values_list("id", "code", "name", "kind", "order")
    }
    by_unit: dict[int | None, list[Any]] = defaultdict(list)
    for objective in objectives:
        by_unit[objective.unit_id].append(objective)
    texts = {o.id: objective_text(o, facts) for o in objectives}  # type: ignore[arg-type]
    company = [texts[o.id] for o in objectives if o.level == Level.COMPANY]
    per_unit_text = {
        (unit.name if unit else ""): [texts[o.id] for o in items]
        for unit_id, items in by_unit.items()
        for unit in [unit_rows.get(unit_id or 0)]
        if unit is None or unit.kind != UnitKind.COMPANY
    }
    found_in_cycle = cycle_findings(company, per_unit_text, context)
    unit_advice = []
    for unit_id, items in by_unit.items():
        unit = unit_rows.get(unit_id or 0)
        level = LEVEL_OF_UNIT.get(unit.kind, Level.TEAM) if unit else Level.TEAM
        unit_advice.append(
            UnitAdvice(
                unit=unit,  # type: ignore[arg-type]
                findings=unit_findings(
                    [texts[o.id] for o in items],
                    level=level,
                    name=unit.name if unit else "",
                    context=context,
                ),
                objectives=[_advise(o, facts, context, texts[o.id]) for o in items],
            )
        )
    return CycleAdvice(
        cycle=cycle,
        findings=found_in_cycle,
        units=unit_advice,
        first_cycle=context.first_cycle,
    )


# --- drafts being typed ----------------------------------------------------------------------


def draft_findings(
    organization: Organization,
    *,
    target: str,
    data: dict[str, Any],
    unit: Unit | None = None,
    objective: Objective | None = None,
    context: Context | None = None,
) -> list[Finding]:
    """Findings on a form being typed: an objective (`target="objective"`) or a key result of
    `objective` (`target="key_result"`). Only the text and the fields present are judged; the
    database adds the level of the unit and, for a key result, its objective and siblings."""
    context = context or coach_context(organization)
    if target == "key_result":
        kind = str(data.get("kind") or "") or None
        start, goal = _decimal(data.get("start")), _decimal(data.get("target"))
        if start is None and goal is None and kind != "milestone":
            # The numbers are not typed yet: judge the words alone, and leave the missing
            # target to the form, which asks for it when it is saved.
            kind = None
        kr = KeyResultText(
            title=str(data.get("title", "")),
            kind=kind,
            start=start,
            target=goal,
            unit=str(data.get("unit_label", "")),
            has_owner=None,
            aspirational=str(data.get("aspirational", "")).lower() in ("on", "true", "1"),
        )
        parent = None
        if objective is not None:
            parent = objective_text(objective, _facts([objective]))
        return key_result_findings(kr, parent, context)
    level = LEVEL_OF_UNIT.get(unit.kind, Level.TEAM) if unit is not None else Level.TEAM
    text = ObjectiveText(
        title=str(data.get("title", "")),
        description=str(data.get("description", "")),
        level=level,
        type=str(data.get("type") or "committed"),
        has_owner=None,
        key_results=None,
        aligned=None,
    )
    if objective is not None:  # editing: its key results and links are known
        facts = _facts([objective])
        known = objective_text(objective, facts)
        text.key_results = known.key_results
        text.aligned = known.aligned
        text.parent_key_results = known.parent_key_results
        text.kpi_targets = known.kpi_targets
    return objective_findings(text, context)
