"""The pages' door to the optional semantic help: every call answers something sensible (an
empty list and a reason) when the model is not installed."""

from __future__ import annotations

from typing import Any

from tenfold.okrs.models import Cycle, Objective
from tenfold.organizations.permissions import Access


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


def duplicates_of(access: Access, objective: Objective) -> list[Any]:
    """Objectives of other units that say nearly the same as this one."""
    found = []
    for first, second, score in duplicates_in(access, objective.cycle):
        if first.id == objective.id:
            found.append((second, score))
        elif second.id == objective.id:
            found.append((first, score))
    return found


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
