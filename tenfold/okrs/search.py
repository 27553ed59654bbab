"""Quick search: the objectives, key results, people and units of an organization whose title,
name or code matches a few typed words, as one viewer may see them. The web's command
palette and search page, the API and `tenfold search` all call `quick_search`.

Each kind is one query that keeps its first few rows in the database (a top-N sort over the
organization's rows), so a search costs the same number of queries in an organization of any
size and never loads more than it shows. A substring can use no ordinary index, so the rows
are read from the organization's index and the text compared there; the ranking below puts
the likeliest first:

1. for objectives and key results, those of the current cycle before older or later ones;
2. an exact code or title, then a title that starts with the query, then one with a word that
   starts with it, then one that merely contains it, then one that has all its words apart;
3. for objectives and key results, the most recent cycle; then the title itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse

from tenfold.lib.quicksearch import clean_query, query_words
from tenfold.organizations.models import Membership, Unit, UnitMember
from tenfold.organizations.permissions import Access

from .models import Cycle, KeyResult, Level, Objective
from .selectors import current_cycle, organization_today, visible_objectives

PER_KIND = 8
"""Rows shown of each kind: a palette is read at a glance; more typing narrows it."""

OBJECTIVE, KEY_RESULT, PERSON, UNIT = "objective", "key_result", "person", "unit"
KINDS = (OBJECTIVE, KEY_RESULT, PERSON, UNIT)


@dataclass(frozen=True)
class Hit:
    """One thing found: what it is, its public code (a person's user id), its title, the page
    that shows it, and what tells it apart from others of the same title (its unit, cycle,
    objective; a person's job title and units), most telling first."""

    kind: str
    code: str
    title: str
    path: str
    context: tuple[str, ...] = ()
    cycle: str = ""
    current: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "context", tuple(part for part in self.context if part))

    @property
    def context_line(self) -> str:
        return " · ".join(self.context)


@dataclass
class SearchResults:
    query: str
    cycle: Cycle | None
    """The current cycle, whose objectives and key results come first."""
    objectives: list[Hit] = field(default_factory=list)
    key_results: list[Hit] = field(default_factory=list)
    people: list[Hit] = field(default_factory=list)
    units: list[Hit] = field(default_factory=list)
    more: dict[str, bool] = field(default_factory=dict)
    """For each kind, whether more matched than are shown."""

    def of(self, kind: str) -> list[Hit]:
        return {
            OBJECTIVE: self.objectives,
            KEY_RESULT: self.key_results,
            PERSON: self.people,
            UNIT: self.units,
        }[kind]

    @property
    def total(self) -> int:
        return sum(len(self.of(kind)) for kind in KINDS)


def quick_search(
    access: Access, query: str, *, per_kind: int = PER_KIND, today: dt.date | None = None
) -> SearchResults:
    """What `query` finds in the viewer's organization, at most `per_kind` of each kind.
    A query that is empty or longer than `QUERY_MAX` raises ValidationError (field `q`)."""
    text = clean_query(query)
    organization = access.membership.organization
    cycle = current_cycle(organization, today or organization_today(organization))
    results = SearchResults(query=text, cycle=cycle)
    for kind, find in (
        (OBJECTIVE, _objectives),
        (KEY_RESULT, _key_results),
        (PERSON, _people),
        (UNIT, _units),
    ):
        rows = list(find(access, text, cycle)[: per_kind + 1])
        results.more[kind] = len(rows) > per_kind
        hits = results.of(kind)
        hits.extend(_hit(kind, organization.slug, row, cycle) for row in rows[:per_kind])
    return results


# --- the queries --------------------------------------------------------------------------------


def _words(fields: tuple[str, ...], text: str) -> Q:
    """Every word of the query in one of `fields`. A word of one character must start the
    field or one of its words: inside words, a single letter is in nearly every title, and
    sorting all of those took three times a longer word's time at 10,000 people."""
    found = Q()
    for word in query_words(text):
        either = Q()
        for name in fields:
            if len(word) == 1:
                either |= Q(**{f"{name}__istartswith": word})
                either |= Q(**{f"{name}__icontains": f" {word}"})
            else:
                either |= Q(**{f"{name}__icontains": word})
        found &= either
    return found


def _code(text: str) -> Q:
    """The query as a code: codes are one word of lower-case letters and digits."""
    word = text.lower()
    return Q(code=word) if word.isalnum() else Q(pk__in=[])


def _rank(name: str, text: str, code: str | None = "code") -> Case:
    """0 for the exact code or title, 1 for a title starting with the query, 2 for a word of
    it starting with the query, 3 for the query inside the title, 4 for the words apart."""
    exact = Q(**{f"{name}__iexact": text})
    if code is not None:
        exact |= Q(**{code: text.lower()})
    return Case(
        When(exact, then=Value(0)),
        When(Q(**{f"{name}__istartswith": text}), then=Value(1)),
        When(Q(**{f"{name}__icontains": f" {text}"}), then=Value(2)),
        When(Q(**{f"{name}__icontains": text}), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _in_cycle(name: str, cycle: Cycle | None) -> Case | Value:
    """0 for rows of the current cycle, 1 for the others."""
    if cycle is None:
        return Value(0)
    return Case(When(Q(**{name: cycle.id}), then=Value(0)), default=Value(1))


def _objectives(access: Access, text: str, cycle: Cycle | None) -> QuerySet[Objective]:
    return (
        visible_objectives(access)
        .filter(_words(("title",), text) | _code(text))
        .annotate(in_cycle=_in_cycle("cycle_id", cycle), rank=_rank("title", text))
        .select_related("cycle", "unit", "owner_person")
        .only(
            "code",
            "title",
            "level",
            "cycle",
            "unit",
            "owner_person",
            "cycle__name",
            "cycle__start",
            "unit__name",
            "owner_person__name",
            "owner_person__email",
        )
        .order_by("in_cycle", "rank", "-cycle__start", "title", "id")
    )


def _key_results(access: Access, text: str, cycle: Cycle | None) -> QuerySet[KeyResult]:
    rows = KeyResult.objects.filter(organization_id=access.membership.organization_id).filter(
        _words(("title",), text) | _code(text)
    )
    if not access.is_admin:
        # The same rule as the objective pages: a key result is seen with its objective.
        # Asked of each matching row's objective (`objective_id IN (…)` made SQLite walk
        # every visible objective's key results: 45 ms instead of 13 at 10,000 people).
        visible = visible_objectives(access).filter(pk=OuterRef("objective_id"))
        rows = rows.filter(Exists(visible))
    return (
        rows.annotate(in_cycle=_in_cycle("objective__cycle_id", cycle), rank=_rank("title", text))
        .select_related(
            "objective", "objective__cycle", "objective__unit", "objective__owner_person"
        )
        .only(
            "code",
            "title",
            "objective",
            "objective__title",
            "objective__level",
            "objective__cycle",
            "objective__unit",
            "objective__owner_person",
            "objective__cycle__name",
            "objective__cycle__start",
            "objective__unit__name",
            "objective__owner_person__name",
            "objective__owner_person__email",
        )
        .order_by("in_cycle", "rank", "-objective__cycle__start", "title", "id")
    )


def _people(access: Access, text: str, cycle: Cycle | None) -> QuerySet[Membership]:
    organization_id = access.membership.organization_id
    return (
        Membership.objects.filter(organization_id=organization_id, user__is_service=False)
        .filter(_words(("user__name", "user__email"), text))
        .annotate(rank=_rank("user__name", text, code=None))
        .select_related("user")
        .only("title", "user", "user__name", "user__email")
        .prefetch_related(
            Prefetch(
                "user__unit_memberships",
                queryset=UnitMember.objects.filter(organization_id=organization_id)
                .select_related("unit")
                .only("user", "unit", "unit__name")
                .order_by("unit__order", "unit__name", "unit_id"),
                to_attr="places",
            )
        )
        .order_by("rank", "user__name", "user__email", "id")
    )


def _units(access: Access, text: str, cycle: Cycle | None) -> QuerySet[Unit]:
    return (
        Unit.objects.filter(organization_id=access.membership.organization_id)
        .filter(_words(("name",), text) | _code(text))
        .annotate(rank=_rank("name", text))
        .select_related("parent")
        .only("code", "name", "kind", "parent", "parent__name")
        .order_by("rank", "name", "id")
    )


# --- the hits -----------------------------------------------------------------------------------


def _owner(objective: Objective) -> str:
    if objective.level == Level.PERSONAL and objective.owner_person is not None:
        return objective.owner_person.display_name
    return objective.unit.name if objective.unit is not None else ""


def _hit(kind: str, slug: str, row: Any, cycle: Cycle | None) -> Hit:
    if kind == OBJECTIVE:
        return Hit(
            kind=kind,
            code=row.code,
            title=row.title,
            path=reverse("objective", kwargs={"org": slug, "code": row.code}),
            context=(_owner(row), row.cycle.name),
            cycle=row.cycle.name,
            current=cycle is not None and row.cycle_id == cycle.id,
        )
    if kind == KEY_RESULT:
        objective = row.objective
        return Hit(
            kind=kind,
            code=row.code,
            title=row.title,
            path=reverse("key_result", kwargs={"org": slug, "code": row.code}),
            context=(objective.title, _owner(objective), objective.cycle.name),
            cycle=objective.cycle.name,
            current=cycle is not None and objective.cycle_id == cycle.id,
        )
    if kind == PERSON:
        user = row.user
        places = ", ".join(place.unit.name for place in user.places)
        return Hit(
            kind=kind,
            code=str(user.pk),
            title=user.display_name,
            path=reverse("person", kwargs={"org": slug, "user_id": user.pk}),
            context=(row.title, places) if row.title or places else (user.email,),
        )
    return Hit(
        kind=kind,
        code=row.code,
        title=row.name,
        path=reverse("unit", kwargs={"org": slug, "code": row.code}),
        context=(str(row.get_kind_display()), row.parent.name if row.parent else ""),
    )


PLURAL = {OBJECTIVE: "objectives", KEY_RESULT: "key_results", PERSON: "people", UNIT: "units"}


def results_data(results: SearchResults, url: Callable[[str], str]) -> dict[str, Any]:
    """What a search found, as the API answers it and `tenfold search --json` prints it;
    `url` makes a page's path an address."""
    cycle = results.cycle
    answer: dict[str, Any] = {
        "query": results.query,
        "cycle": {"code": cycle.code, "name": cycle.name} if cycle else None,
    }
    for kind in KINDS:
        answer[PLURAL[kind]] = [
            {
                "kind": hit.kind,
                "code": hit.code,
                "title": hit.title,
                "context": hit.context_line,
                "cycle": hit.cycle or None,
                "current_cycle": hit.current,
                "url": url(hit.path),
            }
            for hit in results.of(kind)
        ]
    answer["more"] = {PLURAL[kind]: results.more[kind] for kind in KINDS}
    return answer
