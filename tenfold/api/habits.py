"""API endpoints for habits: the leaderboard of habits, and kudos on check-ins and weekly items.

Like the rest of API v1: a scoped fetch, the same access rules as the web pages
(`tenfold.habits.selectors`), the same service (`tenfold.habits.services.kudos_toggle`), and the
one error shape. The leaderboard carries habits only: no progress, confidence, status or score
(docs/scores-policy.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.habits.selectors import (
    key_of,
    kudos_data,
    kudos_for,
    leaderboard,
    leaderboard_data,
    may_give,
)
from tenfold.habits.services import kudos_toggle
from tenfold.social.selectors import get_target

from .schemas import ErrorOut, UnitRef
from .views import scoped

router: Router = Router(tags=["Habits"])

POLICY = (
    "Habits only: teams are ranked by check-in streak or weekly participation, never by OKR "
    "progress or scores, and no person is ranked."
)


# --- shapes -----------------------------------------------------------------------------------


class HabitsCycleOut(Schema):
    code: str
    name: str


class HabitWeekOut(Schema):
    week: dt.date = Field(description="First day of the week")
    met: bool | None = Field(
        description="Every key result got a check-in that week; null when none was expected"
    )


class TeamHabitsOut(Schema):
    rank: int = Field(description="Position in the chosen order; ties are broken by name")
    unit: UnitRef
    part_of: str | None = Field(description="Name of the unit it belongs to")
    checkin_streak: int = Field(
        description="Weeks in a row in which every key result the team was working on got at "
        "least one check-in, ending last week or this week once this week qualifies"
    )
    checked_in_this_week: bool
    recent_weeks: list[HabitWeekOut] = Field(description="The last eight weeks, oldest first")
    wrote: int = Field(description="People who wrote their week in the participation week")
    people: int = Field(
        description="People expected to write it: the unit's people (and those of the units "
        "inside it) who are not viewers and were members before the week began"
    )
    participation: Decimal | None = Field(
        description="wrote / people, 0–1; null when nobody was expected to write"
    )
    key_results: int = Field(description="Key results the team checks in during the cycle")


class HabitsOut(Schema):
    enabled: bool = Field(
        description="Whether the organization turned leaderboards on; when false, teams is "
        "empty (an admin turns it on in Settings → General)"
    )
    policy: str
    cycle: HabitsCycleOut | None = Field(description="The current cycle")
    week: dt.date = Field(description="This week")
    participation_week: dt.date = Field(description="The last complete week")
    sort: str
    departments: bool
    teams: list[TeamHabitsOut]


TargetKind = Literal["check-in", "item"]


class KudosIn(Schema):
    checkin: str | None = Field(None, description="Code of the check-in")
    item: str | None = Field(None, description="Code of the weekly item")


class KudosOut(Schema):
    target_kind: TargetKind
    target: str = Field(description="Code of the check-in or weekly item")
    count: int = Field(description="How many people gave kudos")
    mine: bool = Field(description="Whether you gave kudos")
    can_give: bool = Field(
        description="Whether you may give kudos (not a viewer, not the target's author)"
    )


class KudosResult(KudosOut):
    on: bool = Field(description="Whether your kudos are now there (false: taken back)")


# --- helpers ----------------------------------------------------------------------------------


def _target(access: Any, checkin: str | None, item: str | None) -> Any:
    """The check-in or item named by exactly one of the two codes; 404 unless visible."""
    checkin, item = (checkin or "").strip(), (item or "").strip()
    if bool(checkin) == bool(item):
        raise ValidationError(
            {"__all__": [_("Name exactly one target: a check-in or a weekly item.")]}
        )
    return get_target(access, "check-in", checkin) if checkin else get_target(access, "item", item)


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/habits",
    response=HabitsOut,
    summary="The leaderboard of habits",
)
def get_habits(
    request: HttpRequest,
    org: str,
    sort: Literal["streak", "participation"] = "streak",
    departments: bool = False,
) -> dict[str, Any]:
    """Teams (and departments, with `departments=true`) by check-in streak or weekly
    participation, ties by name. Answers 200 with `enabled: false` and no teams when the
    organization has not turned leaderboards on."""
    organization, access = scoped(request, org)
    board = leaderboard(organization, access, sort=sort, departments=departments)
    return {**leaderboard_data(board), "policy": POLICY}


@router.get(
    "/orgs/{org}/kudos",
    response={200: KudosOut, 400: ErrorOut, 404: ErrorOut},
    summary="Kudos on a check-in or weekly item",
)
def get_kudos(
    request: HttpRequest, org: str, checkin: str | None = None, item: str | None = None
) -> dict[str, Any]:
    """Pass `checkin` or `item` (a code). How many people gave kudos, and whether you did."""
    _organization, access = scoped(request, org)
    found = _target(access, checkin, item)
    state = kudos_for([found], access.user_id)[key_of(found)]
    return kudos_data(state, can_give=may_give(access, state))


@router.post(
    "/orgs/{org}/kudos",
    response={200: KudosResult, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Give kudos, or take them back",
)
def toggle_kudos(request: HttpRequest, org: str, payload: KudosIn) -> dict[str, Any]:
    """Toggle your kudos on `{"checkin": CODE}` or `{"item": CODE}`. Everyone who may see the
    target may give kudos, except viewers (403) and its author (400)."""
    _organization, access = scoped(request, org)
    found = _target(access, payload.checkin, payload.item)
    if not access.can_write:
        raise PermissionDenied(_("Viewers can see kudos but not give them."))
    on = kudos_toggle(access=access, target=found)
    state = kudos_for([found], access.user_id)[key_of(found)]
    return {**kudos_data(state, can_give=may_give(access, state)), "on": on}
