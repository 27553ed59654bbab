"""Input and output shapes of the organization, unit and people endpoints
(`tenfold.api.directory`). Decimals travel as strings so no precision is lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

ROLES = "owner, admin, lead, member or viewer"
WEEKDAYS = "0 = Monday … 6 = Sunday"
MAX_ID = 2**63 - 1


# --- organizations ----------------------------------------------------------------------------


class OrganizationSummaryOut(Schema):
    slug: str = Field(description="The organization's address, used in every URL")
    name: str
    role: str = Field(description=f"The caller's role: {ROLES}")


class CategoryNamesOut(Schema):
    plans: str
    progress: str
    problems: str


class ExtraCategoryOut(Schema):
    key: str = Field(description="Stable key, used by weekly items")
    name: str


class OrganizationOut(Schema):
    slug: str = Field(description="The organization's address, used in every URL")
    name: str
    role: str = Field(description=f"The caller's role: {ROLES}")
    fiscal_year_start_month: int = Field(description="1 = January … 12 = December")
    cycle_length: str = Field(description="quarter, six_weeks or month")
    week_start: int = Field(description=f"First day of the week: {WEEKDAYS}")
    checkin_weekday: int = Field(description=f"Weekly check-in day: {WEEKDAYS}")
    checkin_hour: int = Field(description="Hour of the check-in reminder, 0–23, local time")
    time_zone: str = Field(description="IANA time zone, e.g. Europe/Berlin")
    language: str = Field(description="en, zh-hans or es")
    at_risk_gap: Decimal = Field(description="At risk when behind schedule by more than this (0–1)")
    off_track_gap: Decimal = Field(
        description="Off track when behind schedule by more than this (0–1)"
    )
    stale_days: int = Field(description="A key result is stale after this many days unchecked")
    approval_required: bool = Field(description="Team and department objectives need approval")
    leaderboards_enabled: bool = Field(description="Habit leaderboards are shown")
    rollout: str = Field(description="pilot, leads or everyone")
    ppp_names: CategoryNamesOut = Field(description="Names of the three weekly categories")
    extra_categories: list[ExtraCategoryOut] = Field(description="Extra weekly categories")
    created_at: dt.datetime


class CategoryNamesIn(Schema):
    plans: str | None = Field(None, description="Leave out to keep; empty for the default name")
    progress: str | None = None
    problems: str | None = None


class ExtraCategoryIn(Schema):
    key: str = Field("", description="Key of an existing category to rename; empty to add one")
    name: str


class OrganizationPatch(Schema):
    """Only the fields sent change; null is refused."""

    name: str | None = None
    fiscal_year_start_month: int | None = Field(None, description="1–12")
    cycle_length: str | None = Field(None, description="quarter, six_weeks or month")
    week_start: int | None = Field(None, description=WEEKDAYS)
    checkin_weekday: int | None = Field(None, description=WEEKDAYS)
    checkin_hour: int | None = Field(None, description="0–23")
    time_zone: str | None = Field(None, description="IANA time zone, e.g. Europe/Berlin")
    language: str | None = Field(None, description="en, zh-hans or es")
    at_risk_gap: Decimal | None = Field(None, description="0–1, two decimals")
    off_track_gap: Decimal | None = Field(None, description="0–1, at least at_risk_gap")
    stale_days: int | None = Field(None, description="1–90")
    approval_required: bool | None = None
    leaderboards_enabled: bool | None = None
    rollout: str | None = Field(None, description="pilot, leads or everyone")
    ppp_names: CategoryNamesIn | None = Field(
        None, description="New names of Plans, Progress and Problems (each up to 40 characters)"
    )
    extra_categories: list[ExtraCategoryIn] | None = Field(
        None,
        description=(
            "The whole list of extra weekly categories (at most 6): a known key renames, an "
            "empty key adds, a known key left out removes"
        ),
    )


# --- units ------------------------------------------------------------------------------------


class PersonRefOut(Schema):
    user_id: int
    name: str
    email: str


class UnitParentOut(Schema):
    code: str
    name: str
    kind: str


class UnitOut(Schema):
    code: str
    name: str
    kind: str = Field(description="company, department or team")
    parent: UnitParentOut | None = Field(description="null for the company unit")
    order: int = Field(description="Place among its siblings, smallest first")
    children: list[str] = Field(description="Codes of the units directly below, in order")
    leads: list[PersonRefOut]
    member_count: int = Field(description="People placed directly in the unit, leads included")


class UnitIn(Schema):
    name: str = Field(description="Up to 120 characters, unique under its parent")
    parent: str = Field(description="Code of the unit it belongs to")
    kind: str = Field("team", description="team or department")


class UnitPatch(Schema):
    """Only the fields sent change; null is refused."""

    name: str | None = None
    parent: str | None = Field(
        None, description="Code of the new parent; not the unit itself nor a unit below it"
    )
    kind: str | None = Field(None, description="team or department")
    order: int | None = Field(None, description="Place among its siblings, 0 or more")


class UnitMemberOut(Schema):
    user_id: int
    name: str
    email: str
    role: str = Field(description=f"Role in the organization: {ROLES}")
    lead: bool = Field(description="Leads the unit")


class UnitMemberIn(Schema):
    user_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The person's id; or give their email"
    )
    email: str | None = Field(None, description="The email the person signs in with")
    lead: bool | None = Field(
        None, description="Lead of the unit; leave out to keep the lead flag of someone already in"
    )


class UnitMemberPatch(Schema):
    lead: bool


# --- people -----------------------------------------------------------------------------------


class PlaceOut(Schema):
    code: str
    name: str
    kind: str
    lead: bool


class PersonDetailOut(Schema):
    user_id: int
    name: str
    email: str
    role: str = Field(description=ROLES)
    title: str = Field(description="Job title; may be empty")
    units: list[PlaceOut] = Field(description="Units the person is placed in directly")
    lead_of: list[str] = Field(description="Codes of the units the person leads")
    language: str = Field(description="Preferred language; empty for the organization's")
    time_zone: str = Field(description="Own time zone; empty for the organization's")
    joined_at: dt.datetime


class PersonIn(Schema):
    email: str
    name: str = Field("", description="For a new account; up to 150 characters")
    role: str | None = Field(
        None,
        description=(
            f"{ROLES}. A new person is a member when left out; the role of someone already in "
            "changes only when given"
        ),
    )
    units: list[str] = Field(default_factory=list, description="Codes of units to place them in")
    lead_of: list[str] = Field(default_factory=list, description="Codes of units they lead")


class PersonPatch(Schema):
    """Only the fields sent change; null is refused."""

    role: str | None = Field(
        None, description=f"{ROLES}; the last owner keeps the owner role until another exists"
    )
    title: str | None = Field(None, description="Job title, up to 120 characters")
