"""Input and output shapes of the API's writes on cycles, objectives, alignment, key results and
initiatives. Numbers may be sent as strings so no decimal is lost; people are named by the
email they sign in with; every other reference is an opaque code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from .schemas import CycleOut, PersonOut

Number = str | int | float

# --- cycles -----------------------------------------------------------------------------------


class CycleIn(Schema):
    name: str = Field(description="Unique in the organization, up to 60 characters")
    start: dt.date
    end: dt.date = Field(description="After the start")
    kind: str = Field("custom", description="quarter, year, month or custom")
    parent: str | None = Field(
        None, description="Code of the cycle this one is part of (a year holds its quarters)"
    )


class CycleDetailOut(CycleOut):
    parent: str | None = Field(description="Code of the cycle this one is part of")
    next_states: list[str] = Field(description="The states this cycle may move to now")


class StateIn(Schema):
    state: str = Field(description="The state to move to")


# --- objectives -------------------------------------------------------------------------------


class ObjectiveIn(Schema):
    cycle: str = Field(description="Code of an open cycle of the organization")
    unit: str = Field(description="Code of the unit that owns the objective")
    title: str
    description: str = Field("", description="Why it matters")
    type: str = Field("committed", description="committed or aspirational")
    visibility: str = Field("organization", description="organization, unit or private")
    lead: str | None = Field(None, description="Email of the person who leads it")


class ObjectivePatch(Schema):
    """Only the fields sent change. Send `version` (from the last read) to be told, with a
    409, when someone else changed the objective in between."""

    title: str | None = None
    description: str | None = None
    type: str | None = None
    visibility: str | None = None
    lead: str | None = Field(None, description="Email of the lead; null clears it")
    unit: str | None = Field(None, description="Code of the owning unit")
    version: int | None = Field(None, description="The version this change was made on")


class ObjectiveStateIn(Schema):
    state: str = Field(
        description="draft, proposed, approved, active or closed, as the objective's state allows"
    )


# --- alignment --------------------------------------------------------------------------------


class AlignIn(Schema):
    objective: str | None = Field(None, description="Code of the parent objective")
    key_result: str | None = Field(None, description="Code of the parent key result")
    weight: Number = Field(1, description="The share of the parent's progress it carries, 0–1")


class ParentLinkOut(Schema):
    objective: str = Field(description="Code of the parent objective (the key result's, if any)")
    key_result: str | None = Field(description="Code of the parent key result, if aligned to one")
    title: str = Field(description="Title of the parent objective or key result")
    weight: Decimal
    created_at: dt.datetime


class ChildLinkOut(Schema):
    objective: str = Field(description="Code of the child objective")
    key_result: str | None = Field(
        description="Code of this objective's key result it aligns to, if not the objective"
    )
    title: str = Field(description="Title of the child objective")
    weight: Decimal
    created_at: dt.datetime


class AlignmentsOut(Schema):
    parents: list[ParentLinkOut] = Field(description="What this objective contributes to")
    children: list[ChildLinkOut] = Field(description="Objectives that contribute to this one")


# --- key results ------------------------------------------------------------------------------


class KeyResultIn(Schema):
    title: str
    description: str = ""
    kind: str = Field(
        "increase", description="increase, decrease, reach, keep_above, keep_below or milestone"
    )
    start: Number | None = Field(None, description="Where the number is today")
    target: Number | None = Field(None, description="Where it should be, or the level to hold")
    unit_label: str = ""
    value_format: str = Field("number", description="number, percent or currency")
    currency: str = Field("", description="Three letters, for the currency format")
    decimals: int = 0
    weight: Number = Field(1, description="Relative weight in the objective's progress")
    owner: str | None = Field(None, description="Email of the owner")
    aspirational: bool = False


class KeyResultPatch(Schema):
    """Only the fields sent change; `version` as for objectives."""

    title: str | None = None
    description: str | None = None
    kind: str | None = None
    start: Number | None = None
    target: Number | None = None
    unit_label: str | None = None
    value_format: str | None = None
    currency: str | None = None
    decimals: int | None = None
    weight: Number | None = None
    owner: str | None = Field(None, description="Email of the owner; null clears it")
    aspirational: bool | None = None
    version: int | None = Field(None, description="The version this change was made on")


# --- initiatives ------------------------------------------------------------------------------


class InitiativeIn(Schema):
    key_result: str = Field(description="Code of the key result the work should move")
    title: str
    owner: str | None = Field(None, description="Email of the owner")
    status: str = Field("planned", description="planned, doing, done or dropped")
    due: dt.date | None = None


class InitiativePatch(Schema):
    """Only the fields sent change."""

    title: str | None = None
    owner: str | None = Field(None, description="Email of the owner; null clears it")
    status: str | None = None
    due: dt.date | None = Field(None, description="null clears it")


class InitiativeOut(Schema):
    code: str
    title: str
    status: str
    due: dt.date | None
    owner: PersonOut | None
    key_result: str | None = Field(description="Code of its key result")
    objective: str = Field(description="Code of its objective")
    created_at: dt.datetime
