"""The first-OKR wizard: from a problem, by asking "why?", to an objective with its reason,
key results built from the usual shapes, the coach's check, and the company objective it
contributes to — created as a draft in one transaction at the end.

The draft lives in the person's session between steps; these functions read and check it and
create the OKR through the same services as the forms."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.lib.coach import Context, Finding, KeyResultText, ObjectiveText, check_objective
from tenfold.okrs.models import TITLE_MAX, Cycle, KeyResult, Level, Objective, ObjectiveType
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.organizations.models import Unit, UnitKind
from tenfold.organizations.permissions import Access

STEPS = ("problem", "objective", "key_results", "check", "align")
MAX_WHYS = 5
MAX_KEY_RESULTS = 5
SHAPES = ("increase", "decrease", "reach", "keep_above", "keep_below")
TEXT_LIMIT = 2_000


@dataclass
class KeyResultRow:
    shape: str = "increase"
    metric: str = ""
    start: str = ""
    target: str = ""
    unit: str = ""
    whole: bool = False
    """The metric field holds the whole key result, as written (from a library example)."""

    @property
    def filled(self) -> bool:
        return bool(self.metric.strip() or self.target.strip() or self.start.strip())


@dataclass
class Draft:
    step: str = "problem"
    problem: str = ""
    whys: list[str] = field(default_factory=lambda: [""])
    title: str = ""
    description: str = ""
    unit: str = ""
    cycle: str = ""
    type: str = ObjectiveType.COMMITTED
    rows: list[KeyResultRow] = field(default_factory=lambda: [KeyResultRow() for _ in range(3)])
    parent: str = ""  # "o:CODE" or "k:CODE" or "" for none

    def to_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: Any) -> Draft:
        if not isinstance(data, dict):
            return cls()
        try:
            rows = [KeyResultRow(**row) for row in data.get("rows", [])][:MAX_KEY_RESULTS]
            draft = cls(**{k: v for k, v in data.items() if k != "rows"})
        except TypeError:
            return cls()
        draft.rows = rows or [KeyResultRow()]
        if draft.step not in STEPS:
            draft.step = "problem"
        return draft


def _clip(value: Any) -> str:
    return str(value or "").strip()[:TEXT_LIMIT]


def read_step(draft: Draft, post: Any) -> None:
    """Copy what the current step's form posted into the draft (nothing is checked yet)."""
    if draft.step == "problem":
        draft.problem = _clip(post.get("problem"))
        draft.whys = [_clip(w) for w in post.getlist("why")][:MAX_WHYS] or [""]
    elif draft.step == "objective":
        draft.title = _clip(post.get("title"))
        draft.description = _clip(post.get("description"))
        draft.unit = _clip(post.get("unit"))
        draft.cycle = _clip(post.get("cycle"))
        draft.type = _clip(post.get("type")) or ObjectiveType.COMMITTED
    elif draft.step == "key_results":
        shapes, metrics = post.getlist("shape"), post.getlist("metric")
        starts, targets, units = post.getlist("start"), post.getlist("target"), post.getlist("unit")
        wholes = post.getlist("whole")
        rows = []
        for i in range(min(len(metrics), MAX_KEY_RESULTS)):
            rows.append(
                KeyResultRow(
                    shape=_clip(shapes[i] if i < len(shapes) else "increase"),
                    metric=_clip(metrics[i])[:TITLE_MAX],
                    start=_clip(starts[i] if i < len(starts) else "")[:40],
                    target=_clip(targets[i] if i < len(targets) else "")[:40],
                    unit=_clip(units[i] if i < len(units) else "")[:30],
                    whole=i < len(wholes) and wholes[i] == "1",
                )
            )
        draft.rows = rows or [KeyResultRow()]
    elif draft.step == "align":
        draft.parent = _clip(post.get("parent"))


def _number(text: str) -> Decimal | None:
    cleaned = text.replace(",", "").replace(" ", "").rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _shown(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "…"
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    return f"{text}{unit}" if unit in ("%", "％") else text


def _places(row: KeyResultRow) -> int:
    """Decimal places to show: as many as the values were written with (at most 4)."""
    places = 0
    for value in (_number(row.start), _number(row.target)):
        if value is not None:
            exponent = value.normalize().as_tuple().exponent
            if isinstance(exponent, int) and exponent < 0:
                places = max(places, -exponent)
    return min(places, 4)


def key_result_title(row: KeyResultRow) -> str:
    """The title a row reads as, in the reader's language: "Increase X from A to B"."""
    if row.whole and row.metric.strip():
        return row.metric.strip()
    metric = row.metric.strip() or "…"
    if row.unit.strip() and row.unit.strip() not in ("%", "％"):
        # "time to first report (days) from 3 to 1": the unit once, beside what is measured,
        # so no number has to agree with it in the reader's language.
        metric = f"{metric} ({row.unit.strip()})"
    start = _shown(_number(row.start), row.unit)
    target = _shown(_number(row.target), row.unit)
    values = {"metric": metric, "start": start, "target": target}
    if row.shape == "decrease":
        return _("Reduce %(metric)s from %(start)s to %(target)s") % values
    if row.shape == "reach":
        return _("Reach %(target)s %(metric)s") % values
    if row.shape == "keep_above":
        return _("Keep %(metric)s above %(target)s") % values
    if row.shape == "keep_below":
        return _("Keep %(metric)s below %(target)s") % values
    return _("Increase %(metric)s from %(start)s to %(target)s") % values


def check_step(draft: Draft, *, units: dict[str, Unit], cycles: dict[str, Cycle]) -> list[str]:
    """What keeps the current step from moving on, as messages (empty: go on)."""
    errors: list[str] = []
    if draft.step == "problem":
        if not draft.problem:
            errors.append(_("Describe the problem or the opportunity in a sentence or two."))
        if not any(draft.whys):
            errors.append(_("Answer “why does it matter?” at least once."))
    elif draft.step == "objective":
        if not draft.title:
            errors.append(_("Write the objective."))
        elif len(draft.title) > TITLE_MAX:
            errors.append(_("Keep the objective under %(n)s characters.") % {"n": TITLE_MAX})
        if draft.unit not in units:
            errors.append(_("Choose the team that owns the objective."))
        if draft.cycle not in cycles:
            errors.append(_("Choose the cycle."))
        if draft.type not in ObjectiveType.values:
            errors.append(_("An objective is committed or aspirational."))
    elif draft.step == "key_results":
        filled = [row for row in draft.rows if row.filled]
        if not filled:
            errors.append(_("Write at least one key result."))
        for number, row in enumerate(filled, start=1):
            where = {"n": number}
            if row.shape not in SHAPES:
                errors.append(_("Key result %(n)s: choose a shape.") % where)
            if not row.metric:
                errors.append(_("Key result %(n)s: say what you measure.") % where)
            target = _number(row.target)
            if target is None:
                errors.append(_("Key result %(n)s: the target must be a number.") % where)
            if row.shape in ("increase", "decrease"):
                start = _number(row.start)
                if start is None:
                    errors.append(_("Key result %(n)s: the start value must be a number.") % where)
                elif target is not None and start == target:
                    errors.append(
                        _("Key result %(n)s: the target must differ from the start.") % where
                    )
                elif target is not None and row.shape == "increase" and target < start:
                    errors.append(_("Key result %(n)s: to increase, aim above the start.") % where)
                elif target is not None and row.shape == "decrease" and target > start:
                    errors.append(_("Key result %(n)s: to reduce, aim below the start.") % where)
    return errors


def draft_text(draft: Draft, unit: Unit | None, *, aligned: bool | None = None) -> ObjectiveText:
    levels: dict[str, str] = {
        UnitKind.COMPANY: Level.COMPANY,
        UnitKind.DEPARTMENT: Level.DEPARTMENT,
    }
    level = levels.get(unit.kind if unit else "", Level.TEAM)
    return ObjectiveText(
        title=draft.title,
        description=draft.description,
        level=level,
        type=draft.type,
        has_owner=True,
        key_results=[
            KeyResultText(
                title=key_result_title(row),
                kind=row.shape,
                start=_number(row.start),
                target=_number(row.target),
                unit=row.unit,
                has_owner=True,
            )
            for row in draft.rows
            if row.filled
        ],
        aligned=aligned,
    )


def coach_check(draft: Draft, unit: Unit | None, context: Context) -> list[Finding]:
    """The coach's findings on the whole draft, before it is created. Alignment is judged at
    the next step, where it is chosen."""
    return check_objective(draft_text(draft, unit), context=context, with_key_results=True)


@transaction.atomic
def create_from_draft(
    *,
    access: Access,
    draft: Draft,
    unit: Unit,
    cycle: Cycle,
    parent: Objective | KeyResult | None,
    by: Any,
) -> Objective:
    """Create the draft objective, its key results and its alignment, or nothing at all."""
    if not access.can_create_in_unit(unit.id, unit.kind):
        raise PermissionDenied(_("You may not create objectives in that team."))
    description = draft.description
    if draft.problem:
        reasons = [draft.problem, *[w for w in draft.whys if w]]
        description = (description + "\n\n" if description else "") + "\n".join(
            f"— {line}" for line in reasons
        )
    objective = objective_create(
        organization=access.membership.organization,
        cycle=cycle,
        unit=unit,
        title=draft.title,
        description=description[:5000],
        type=draft.type,
        lead=by,
        by=by,
        state="draft",
    )
    for row in draft.rows:
        if not row.filled:
            continue
        key_result_create(
            objective=objective,
            by=by,
            title=key_result_title(row)[:TITLE_MAX],
            kind=row.shape,
            start=_number(row.start),
            target=_number(row.target),
            unit_label="" if row.unit in ("%", "％") else row.unit,
            value_format="percent" if row.unit in ("%", "％") else "number",
            decimals=_places(row),
            owner=by,
        )
    if isinstance(parent, Objective):
        alignment_link(child=objective, parent_objective=parent, by=by)
    elif isinstance(parent, KeyResult):
        alignment_link(child=objective, parent_key_result=parent, by=by)
    return objective
