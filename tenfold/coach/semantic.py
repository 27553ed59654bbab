"""Semantic help for the coach: the likely parent of a team objective, look-alike objectives
across units, and similar texts for other callers (the example library).

Everything here reads the database and never writes. Results only ever contain objectives the
viewer may see (`Access.can_view_objective`). The model is optional: when the `semantic` extra
is not installed (`is_on()` is False) every function returns an empty list and the caller shows
`off_message()`. See docs/semantic.md for what was measured.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from tenfold.lib import semantic
from tenfold.okrs.models import KeyResult, Level, Objective, ObjectiveState

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from tenfold.okrs.models import Cycle
    from tenfold.organizations.models import Organization, Unit
    from tenfold.organizations.permissions import Access

logger = logging.getLogger(__name__)

PARENT_LEVELS = (Level.COMPANY, Level.DEPARTMENT)


@dataclass(frozen=True)
class Suggestion:
    """A likely parent: an objective, or one of its key results, with how close it is (0-1)."""

    score: float
    objective: Objective
    key_result: KeyResult | None = None

    @property
    def target(self) -> Objective | KeyResult:
        return self.key_result if self.key_result is not None else self.objective

    @property
    def kind(self) -> str:
        return "key_result" if self.key_result is not None else "objective"

    @property
    def title(self) -> str:
        return self.target.title

    @property
    def code(self) -> str:
        return self.target.code


def is_on() -> bool:
    """Whether semantic help can run here: the extra is installed and the model loads."""
    if not semantic.available():
        return False
    try:
        semantic.model()
    except Exception:  # a damaged model file must not take pages down with it
        logger.exception("The semantic model could not be loaded; semantic help is off.")
        return False
    return True


def off_message() -> _StrPromise:
    return _(
        "Semantic help is off: it needs the optional “semantic” extra, which the administrator "
        "can install."
    )


def _same_organization(organization: Organization, access: Access) -> bool:
    return access.membership.organization_id == organization.pk


def suggest_parents(
    organization: Organization,
    cycle: Cycle,
    text: str,
    *,
    access: Access,
    exclude_unit: Unit | None = None,
    limit: int = 3,
) -> list[Suggestion]:
    """The company and department objectives (and their key results) that a team objective
    with this text most likely aligns to, best first.

    Candidates come from this cycle and from the cycles that contain it (a year holds its
    quarters), as alignment allows; closed objectives and the objectives of `exclude_unit`
    (usually the team's own unit) are left out. Two queries, whatever the number of
    candidates."""
    text = (text or "").strip()
    if not text or limit < 1 or not _same_organization(organization, access) or not is_on():
        return []
    objectives = (
        Objective.objects.filter(
            organization=organization,
            level__in=PARENT_LEVELS,
            cycle__start__lte=cycle.start,
            cycle__end__gte=cycle.end,
        )
        .exclude(state=ObjectiveState.CLOSED)
        .select_related("unit", "cycle")
        .prefetch_related(
            Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "id"))
        )
        .order_by("level", "order", "id")
    )
    if exclude_unit is not None:
        objectives = objectives.exclude(unit=exclude_unit)
    targets: dict[tuple[str, int], Suggestion] = {}
    candidates: list[tuple[tuple[str, int], str]] = []
    for objective in objectives:
        if not access.can_view_objective(objective):
            continue
        key = ("objective", objective.pk)
        targets[key] = Suggestion(0.0, objective)
        candidates.append((key, semantic.objective_text(objective.title, objective.description)))
        for key_result in objective.key_results.all():
            key = ("key_result", key_result.pk)
            targets[key] = Suggestion(0.0, objective, key_result)
            # A key result alone ("Raise NPS to 45") says little; its objective says where.
            candidates.append(
                (key, semantic.objective_text(key_result.title, context=objective.title))
            )
    return [
        Suggestion(round(score, 4), targets[key].objective, targets[key].key_result)
        for key, score in semantic.blend_rank(text, candidates, limit)
    ]


def duplicate_objectives(
    organization: Organization,
    cycle: Cycle,
    *,
    access: Access,
    threshold: float = semantic.DUPLICATE_THRESHOLD,
    limit: int = 50,
) -> list[tuple[Objective, Objective, float]]:
    """Pairs of open objectives of this cycle, owned by different units, whose titles read
    alike; most alike first. One query.

    The model tells pairs about the same subject from unrelated ones well, but not a true
    duplicate from a near miss ("grow revenue in Europe" / "in Asia"): callers should present
    a pair as "these look alike, do the teams know about each other?", not as a verdict."""
    if not _same_organization(organization, access) or not is_on():
        return []
    objectives = [
        objective
        for objective in Objective.objects.filter(
            organization=organization, cycle=cycle, unit__isnull=False
        )
        .exclude(level=Level.PERSONAL)
        .exclude(state=ObjectiveState.CLOSED)
        .select_related("unit")
        .order_by("level", "unit_id", "order", "id")
        if access.can_view_objective(objective)
    ]
    items = [(index, objective.title) for index, objective in enumerate(objectives)]
    pairs = []
    # Pairs within one unit are dropped after the limit, so ask for some room.
    for a, b, score in semantic.near_duplicates(items, threshold, limit=limit * 4):
        first, second = objectives[a], objectives[b]
        if first.unit_id != second.unit_id:
            pairs.append((first, second, round(score, 4)))
    return pairs[:limit]


def similar_texts[K: Hashable](
    query: str, candidates: Sequence[tuple[K, str]], limit: int
) -> list[tuple[K, float]]:
    """The candidates (key, text) closest in meaning to the query, best first, with scores.

    For callers with their own texts, such as the example library."""
    if not (query or "").strip() or limit < 1 or not candidates or not is_on():
        return []
    return semantic.rank(query, candidates, limit)
