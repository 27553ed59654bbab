"""What comments and reactions hang on: the kinds of target, how each is named in URLs and
the API, and who may see and talk about it."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from tenfold.checkins.models import CheckIn, WeeklyItem
from tenfold.checkins.weekly import can_see_report
from tenfold.okrs.models import KeyResult, Objective
from tenfold.organizations.permissions import Access

from .models import Comment

COMMENT_KINDS: dict[str, str] = {
    "objective": "objective",
    "key-result": "key_result",
    "check-in": "checkin",
    "item": "weekly_item",
}
"""URL and API name of each kind of comment target → the model field pointing at it."""

REACTION_KINDS: dict[str, str] = {**COMMENT_KINDS, "comment": "comment"}

FIELD_KINDS = {field: kind for kind, field in REACTION_KINDS.items()}

Target = Objective | KeyResult | CheckIn | WeeklyItem
"""Something people comment on."""


def kind_of(target: Any) -> str:
    """The URL name of a target's kind; ValueError for anything that is not a target."""
    for model, kind in (
        (Objective, "objective"),
        (KeyResult, "key-result"),
        (CheckIn, "check-in"),
        (WeeklyItem, "item"),
        (Comment, "comment"),
    ):
        if isinstance(target, model):
            return kind
    raise ValueError(f"Not a comment or reaction target: {type(target).__name__}")


def field_of(target: Any) -> str:
    return REACTION_KINDS[kind_of(target)]


def objective_of(target: Any) -> Objective | None:
    """The objective a target belongs to, if any (weekly items may stand alone)."""
    if isinstance(target, Comment):
        return objective_of(target.target)
    if isinstance(target, Objective):
        return target
    if isinstance(target, KeyResult):
        return target.objective
    if isinstance(target, CheckIn):
        return target.key_result.objective
    if isinstance(target, WeeklyItem):
        if target.objective_id:
            return target.objective
        if target.key_result_id:
            return target.key_result.objective  # type: ignore[union-attr]
    return None


def may_view(access: Access, target: Any) -> bool:
    """Whether the person may see a target; the target's own organization is checked too, so
    an object of another organization is never visible."""
    if target is None or target.organization_id != access.membership.organization_id:
        return False
    if isinstance(target, Comment):
        return target.deleted_at is None and may_view(access, target.target)
    if isinstance(target, WeeklyItem):
        return can_see_report(access, target.report)
    objective = objective_of(target)
    return objective is not None and access.can_view_objective(objective)


def may_talk(access: Access, target: Any) -> bool:
    """Comment on or react to a target: anyone who sees it and is not a viewer."""
    return access.can_write and may_view(access, target)


def title_of(target: Any) -> str:
    if isinstance(target, Objective | KeyResult):
        return target.title
    if isinstance(target, CheckIn):
        return target.key_result.title
    if isinstance(target, WeeklyItem):
        return target.text
    if isinstance(target, Comment):
        return target.body[:80]
    return str(target)


def thread_url(slug: str, kind: str, code: str) -> str:
    return reverse("comments", kwargs={"org": slug, "kind": kind, "code": code})


def key_result_url(slug: str, kr_code: str, objective_code: str) -> str:
    """The key result's own page once it exists, else its card on the objective page."""
    try:
        return reverse("key_result", kwargs={"org": slug, "code": kr_code})
    except NoReverseMatch:
        url = reverse("objective", kwargs={"org": slug, "code": objective_code})
        return f"{url}#kr-{kr_code}"


def page_url(slug: str, target: Any) -> str:
    """Where a target is shown in the web app (a weekly item: its comment thread)."""
    if isinstance(target, Objective):
        return reverse("objective", kwargs={"org": slug, "code": target.code})
    if isinstance(target, KeyResult):
        return key_result_url(slug, target.code, target.objective.code)
    if isinstance(target, CheckIn):
        kr = target.key_result
        return key_result_url(slug, kr.code, kr.objective.code)
    if isinstance(target, Comment):
        return page_url(slug, target.target)
    return thread_url(slug, kind_of(target), target.code)
