"""API endpoint for quick search: the objectives, key results, people and units whose title,
name or code holds every word of `q`, as the caller may see them. The same function answers
the web's command palette and `tenfold search` (`tenfold.okrs.search.quick_search`); a query
that is empty or too long is refused through the one error shape (`views._invalid`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from tenfold.lib.quicksearch import QUERY_MAX
from tenfold.okrs.search import PER_KIND, quick_search, results_data

from .schemas import ErrorOut
from .views import scoped

router: Router = Router(tags=["search"])

LIMIT_MAX = 25


class SearchIn(Schema):
    q: str = Field(
        "",
        description=(
            f"Words to find (at most {QUERY_MAX} characters), in any order and case: each must "
            "occur in the title (a person's name or email); a single character only at the "
            "start of a word. An object's code finds that object."
        ),
    )
    limit: int = Field(PER_KIND, ge=1, le=LIMIT_MAX, description="Results of each kind at most")


class HitOut(Schema):
    kind: str = Field(description="objective, key_result, person or unit")
    code: str = Field(
        description="The code of the objective, key result or unit; for a person, the user id "
        "(as in /orgs/{org}/people/{user_id})"
    )
    title: str = Field(description="The title; a person's or a unit's name")
    context: str = Field(
        description="What tells it apart, joined by “ · ”: the owning unit (or person) and "
        "cycle; a key result's objective first; a unit's kind and parent; a person's job title "
        "and units"
    )
    cycle: str | None = Field(description="The cycle's name, for objectives and key results")
    current_cycle: bool = Field(description="Whether it belongs to the current cycle")
    url: str = Field(description="Its page")


class CycleRefOut(Schema):
    code: str
    name: str


class MoreOut(Schema):
    objectives: bool
    key_results: bool
    people: bool
    units: bool


class SearchOut(Schema):
    query: str = Field(description="The query as searched: white space made single")
    cycle: CycleRefOut | None = Field(
        description="The current cycle, whose objectives and key results are listed first"
    )
    objectives: list[HitOut]
    key_results: list[HitOut]
    people: list[HitOut]
    units: list[HitOut]
    more: MoreOut = Field(description="For each kind, whether more matched than `limit`")


@router.get(
    "/orgs/{org}/search",
    response={200: SearchOut, 400: ErrorOut, 404: ErrorOut},
    summary="Quick search over objectives, key results, people and units",
)
def search_organization(request: HttpRequest, org: str, params: Query[SearchIn]) -> Any:
    """Objectives and key results of the current cycle come first, then those of other
    cycles, most recent first; within each, an exact title or code, then titles that start
    with the query, then titles with a word that starts with it, then the rest. Private and
    unit-only objectives (and their key results) are found only by those who may see them."""
    _organization, access = scoped(request, org)
    results = quick_search(access, params.q, per_kind=params.limit)
    return results_data(results, request.build_absolute_uri)
