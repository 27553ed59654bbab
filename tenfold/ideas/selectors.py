"""Reads of the ideas board, scoped to one organization, and who may do what on it.

Everyone in the organization reads the board, viewers included. Members, leads and admins add
ideas, vote and comment. The author of an idea (or an admin) edits, archives and reopens it;
the author of a comment edits it, and its author or an admin deletes it. Whoever may create
objectives in a unit may turn an idea into a draft objective of that unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from tenfold.okrs.models import Cycle, CycleKind, CycleState
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree

from .models import PROMPTS, Idea, IdeaComment, IdeaStatus, IdeaVote, Question

SORTS = ("votes", "new")
"""How the board can be ordered: most votes first (the default) or newest first."""
STATUSES = (IdeaStatus.OPEN, IdeaStatus.PROMOTED, IdeaStatus.ARCHIVED)


# --- permissions ------------------------------------------------------------------------------


def can_contribute(access: Access) -> bool:
    """May add ideas, vote and comment: everyone but viewers."""
    return access.can_write


def can_manage(access: Access, idea: Idea) -> bool:
    """May edit, archive and reopen the idea: its author or an admin."""
    return access.can_write and (access.is_admin or idea.author_id == access.user_id)


def can_vote(access: Access, idea: Idea) -> bool:
    return access.can_write and idea.status == IdeaStatus.OPEN


def can_comment(access: Access, idea: Idea) -> bool:
    """Archived ideas are closed to new comments; promoted ones still take them."""
    return access.can_write and idea.status != IdeaStatus.ARCHIVED


def can_edit_comment(access: Access, comment: IdeaComment) -> bool:
    """Only its author rewrites a comment: nobody else puts words in their mouth."""
    return access.can_write and comment.author_id == access.user_id


def can_delete_comment(access: Access, comment: IdeaComment) -> bool:
    return access.can_write and (access.is_admin or comment.author_id == access.user_id)


def promotable_units(access: Access, organization: Organization) -> list[Unit]:
    """Units the person may create objectives in, in tree order: where an idea of theirs may
    land as a draft objective."""
    if not access.can_write:
        return []
    return [
        unit
        for unit, _depth in unit_tree(organization)
        if access.can_create_in_unit(unit.id, unit.kind)
    ]


def may_promote_somewhere(access: Access, organization: Organization) -> bool:
    return bool(promotable_units(access, organization))


# --- cycles -----------------------------------------------------------------------------------


def open_cycles(organization: Organization, cycles: list[Cycle] | None = None) -> list[Cycle]:
    """Cycles an idea may be for, or an objective drafted in: every cycle not closed, the
    shorter ones first in calendar order, years last. Picked from `cycles` when given (all of
    the organization's), to save a query."""
    if cycles is None:
        cycles = list(Cycle.objects.filter(organization=organization))
    chosen = [c for c in cycles if c.state != CycleState.CLOSED]
    return sorted(chosen, key=lambda c: (c.kind == CycleKind.YEAR, c.start, c.end))


def default_cycle(organization: Organization) -> Cycle | None:
    """The cycle a new idea is for unless someone says otherwise: the next cycle in planning,
    else the active one. Ideas feed the next round of objectives (METHOD §6)."""
    from tenfold.okrs.planning import planning_cycle

    cycle = planning_cycle(organization)
    if cycle is None or cycle.state not in (CycleState.PLANNING, CycleState.ACTIVE):
        return None
    return cycle


# --- reads ------------------------------------------------------------------------------------


def _with_counts(ideas: QuerySet[Idea], user_id: int | None) -> QuerySet[Idea]:
    """Each idea with `comment_total` and whether `user_id` voted for it (`voted`), computed
    in the same query as the ideas themselves."""
    comments = (
        IdeaComment.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("id"))
        .values("n")
    )
    voted: Any = (
        Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), user_id=user_id))
        if user_id is not None
        else Value(False)
    )
    return ideas.select_related("author", "unit", "cycle", "promoted_to").annotate(
        comment_total=Coalesce(Subquery(comments, output_field=IntegerField()), 0),
        voted=voted,
    )


def get_idea(access: Access, code: str) -> Idea:
    """One idea of the person's organization, with its counts; 404 for a code of another
    organization or none at all."""
    organization = access.membership.organization
    idea = (
        _with_counts(Idea.objects.filter(organization=organization), access.user_id)
        .filter(code=(code or "").strip().lower())
        .first()
    )
    if idea is None:
        raise Http404
    idea.organization = organization
    return idea


def get_comment(access: Access, code: str) -> IdeaComment:
    organization = access.membership.organization
    comment = (
        IdeaComment.objects.filter(organization=organization, code=(code or "").strip().lower())
        .select_related("author", "idea")
        .first()
    )
    if comment is None:
        raise Http404
    comment.idea.organization = organization
    return comment


def comments_of(access: Access, idea: Idea) -> list[IdeaComment]:
    """The idea's comments, oldest first, each with `may_edit` and `may_delete`: one query."""
    comments = list(IdeaComment.objects.filter(idea=idea).select_related("author"))
    for comment in comments:
        comment.idea = idea
        comment.may_edit = can_edit_comment(access, comment)  # type: ignore[attr-defined]
        comment.may_delete = can_delete_comment(access, comment)  # type: ignore[attr-defined]
    return comments


@dataclass
class Filters:
    """What the board shows. Unknown values fall back to the defaults rather than failing:
    a stale bookmark still opens the board."""

    sort: str = "votes"
    status: str = IdeaStatus.OPEN
    question: str = ""
    unit: Unit | None = None
    cycle: Cycle | None = None

    def query(self, **changes: Any) -> dict[str, str]:
        """The query string of these filters (with `changes`), without the defaults."""
        values = {
            "sort": self.sort,
            "status": self.status,
            "question": self.question,
            "unit": self.unit.code if self.unit else "",
            "cycle": self.cycle.code if self.cycle else "",
        }
        values.update(changes)
        defaults = {"sort": "votes", "status": IdeaStatus.OPEN}
        return {key: value for key, value in values.items() if value and defaults.get(key) != value}


def filters_from(
    organization: Organization,
    params: Any,
    *,
    units: list[Unit] | None = None,
    cycles: list[Cycle] | None = None,
) -> Filters:
    """Read the board's filters from query parameters (`sort`, `status`, `question`, `unit`,
    `cycle`). Units and cycles are looked up among those given, when given, to save a query."""
    sort = params.get("sort") or "votes"
    status = params.get("status") or IdeaStatus.OPEN
    question = params.get("question") or ""
    unit_code = (params.get("unit") or "").strip().lower()
    cycle_code = (params.get("cycle") or "").strip().lower()
    unit = None
    if unit_code:
        pool = units if units is not None else Unit.objects.filter(organization=organization)
        unit = next((u for u in pool if u.code == unit_code), None)
    cycle = None
    if cycle_code:
        found = cycles if cycles is not None else Cycle.objects.filter(organization=organization)
        cycle = next((c for c in found if c.code == cycle_code), None)
    return Filters(
        sort=sort if sort in SORTS else "votes",
        status=status if status in STATUSES else IdeaStatus.OPEN,
        question=question if question in Question.values else "",
        unit=unit,
        cycle=cycle,
    )


def ideas_for(access: Access, filters: Filters) -> list[Idea]:
    """The ideas the board lists with these filters, with vote and comment counts and the
    person's own votes: one query, however many ideas, votes and comments there are."""
    organization = access.membership.organization
    ideas = Idea.objects.filter(organization=organization, status=filters.status)
    if filters.question:
        ideas = ideas.filter(question=filters.question)
    if filters.unit is not None:
        ideas = ideas.filter(unit=filters.unit)
    if filters.cycle is not None:
        ideas = ideas.filter(cycle=filters.cycle)
    order = (
        ("-created_at", "-id") if filters.sort == "new" else ("-vote_count", "-created_at", "-id")
    )
    rows = list(_with_counts(ideas, access.user_id).order_by(*order))
    for idea in rows:
        idea.organization = organization
    return rows


@dataclass
class Section:
    """One of the four questions on the board, with its ideas."""

    question: str
    label: str
    prompt: str
    ideas: list[Idea] = field(default_factory=list)
    form: Any = None
    """The add form the board shows under the question (set by the view)."""

    @property
    def key(self) -> str:
        return self.question


def sections(ideas: list[Idea], only: str = "") -> list[Section]:
    """The ideas grouped under the four questions, in the order the questions are asked."""
    groups = {
        value: Section(value, str(label), str(PROMPTS[Question(value)]))
        for value, label in Question.choices
        if not only or value == only
    }
    for idea in ideas:
        if idea.question in groups:
            groups[idea.question].ideas.append(idea)
    return list(groups.values())


def section_for(access: Access, filters: Filters, question: str) -> Section:
    """One question's section, as the board shows it with these filters (after an idea was
    added with htmx)."""
    one = Filters(
        sort=filters.sort,
        status=filters.status,
        question=question,
        unit=filters.unit,
        cycle=filters.cycle,
    )
    return sections(ideas_for(access, one), only=question)[0]


# --- data for the API and the CLI -------------------------------------------------------------


def _person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


def visible_objective(access: Access, idea: Idea) -> Any:
    """The objective the idea became, when the person may see it (it may have been made
    private since); None otherwise."""
    objective = idea.promoted_to
    if objective is None or not access.can_view_objective(objective):
        return None
    return objective


def idea_data(access: Access, idea: Idea) -> dict[str, Any]:
    """An idea as the API and `tenfold idea list --json` give it. Expects an idea from
    `ideas_for` or `get_idea` (with its counts)."""
    unit, cycle = idea.unit, idea.cycle
    objective = visible_objective(access, idea)
    return {
        "code": idea.code,
        "question": idea.question,
        "question_text": str(Question(idea.question).label),
        "text": idea.text,
        "details": idea.details,
        "status": idea.status,
        "author": _person(idea.author),
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "cycle": {"code": cycle.code, "name": cycle.name} if cycle else None,
        "votes": idea.vote_count,
        "voted": bool(getattr(idea, "voted", False)),
        "comment_count": int(getattr(idea, "comment_total", 0) or 0),
        "promoted_to": objective.code if objective is not None else None,
        "created_at": idea.created_at,
        "updated_at": idea.updated_at,
    }


def comment_data(comment: IdeaComment) -> dict[str, Any]:
    return {
        "code": comment.code,
        "body": comment.body,
        "author": _person(comment.author),
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }
