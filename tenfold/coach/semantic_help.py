"""The pages' door to the optional semantic help: every call answers something sensible (an
empty list and a reason) when the model is not installed."""

from __future__ import annotations

from typing import Any

from tenfold.okrs.models import Cycle, Objective
from tenfold.organizations.permissions import Access

MAX_COMPARED = 2_000


def available() -> bool:
    from .semantic import is_on

    return is_on()


def reason() -> str:
    """Why the semantic help is off, in words for the person reading the page."""
    from .semantic import off_message

    return "" if available() else str(off_message())


def parent_data(suggestion: Any) -> dict[str, Any]:
    return {
        "kind": suggestion.kind,
        "code": suggestion.code,
        "title": suggestion.title,
        "score": suggestion.score,
    }


def likely_parents(access: Access, objective: Objective, limit: int = 3) -> list[Any]:
    """Company and department objectives (or key results) this objective most likely
    contributes to, best first."""
    from .semantic import suggest_parents

    text = f"{objective.title}\n{objective.description}".strip()
    return list(
        suggest_parents(
            access.membership.organization,
            objective.cycle,
            text,
            access=access,
            exclude_unit=objective.unit,
            limit=limit,
        )
    )


def duplicates_in(access: Access, cycle: Cycle) -> list[Any]:
    """Pairs of objectives in different units that say nearly the same thing."""
    from .semantic import duplicate_objectives

    return list(duplicate_objectives(access.membership.organization, cycle, access=access))


def duplicates_of(access: Access, objective: Objective, limit: int = 5) -> list[Any]:
    """Objectives of other units in the same cycle that read nearly like this one, as
    (objective, score) pairs, most alike first. Compares this one objective with the others
    (at most MAX_COMPARED of them), not every pair of the cycle."""
    from tenfold.lib import semantic

    if objective.unit_id is None or not available():
        return []
    others = [
        o
        for o in Objective.objects.filter(
            organization_id=objective.organization_id,
            cycle_id=objective.cycle_id,
            unit__isnull=False,
        )
        .exclude(unit_id=objective.unit_id)
        .exclude(level="personal")
        .select_related("unit")
        .order_by("-updated_at")[:MAX_COMPARED]
        if access.can_view_objective(o)
    ]
    by_id = {o.id: o for o in others}
    ranked = semantic.rank(objective.title, [(o.id, o.title) for o in others], limit)
    return [
        (by_id[key], round(score, 4))
        for key, score in ranked
        if score >= semantic.DUPLICATE_THRESHOLD
    ]


def similar_examples(text: str, *, exclude: str = "", limit: int = 3) -> list[Any]:
    """Examples of the library closest to `text` (meaning blended with shared wording), in
    the reader's language; [] when the semantic help is off."""
    if not text.strip() or not available():
        return []
    from tenfold.lib import semantic

    from .library import examples

    found = [e for e in examples() if e.slug != exclude]
    candidates = [(e.slug, f"{e.title}. {e.description[:200]}") for e in found]
    by_slug = {e.slug: e for e in found}
    return [by_slug[slug] for slug, _score in semantic.blend_rank(text, candidates, limit)]
