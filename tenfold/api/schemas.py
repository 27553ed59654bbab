"""Input and output shapes of API v1. Decimals travel as strings so no precision is lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class ErrorBody(Schema):
    code: str = Field(description="Stable machine-readable code: invalid, conflict, not_found, …")
    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)


class ErrorOut(Schema):
    error: ErrorBody


class PersonOut(Schema):
    name: str
    email: str


class MembershipOut(Schema):
    organization: str = Field(description="The organization's address (slug)")
    name: str
    role: str


class MeOut(Schema):
    name: str
    email: str
    language: str
    time_zone: str
    memberships: list[MembershipOut]


class MeIn(Schema):
    """Only the fields given change. An empty language follows the browser; an empty time
    zone the organization's."""

    name: str | None = None
    language: str | None = None
    time_zone: str | None = None


class CycleOut(Schema):
    code: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    state: str


class UnitRef(Schema):
    code: str
    name: str
    kind: str


class AlignmentOut(Schema):
    objective: str | None = Field(None, description="Code of the parent objective")
    key_result: str | None = Field(None, description="Code of the parent key result")
    weight: Decimal


class ForecastOut(Schema):
    progress: Decimal = Field(description="Projected progress at the cycle's end, 0–1")
    low: Decimal = Field(description="Low end of the 80 % band, as progress 0–1")
    high: Decimal = Field(description="High end of the 80 % band, as progress 0–1")
    value: Decimal | None = Field(
        description="Projected value on the cycle's last day; null for objectives"
    )
    value_low: Decimal | None = Field(description="Low end of the band as a value")
    value_high: Decimal | None = Field(description="High end of the band as a value")
    readings: int = Field(description="How many check-ins the projection rests on")


class KeyResultOut(Schema):
    code: str
    objective: str
    title: str
    kind: str
    start: Decimal | None
    target: Decimal
    current: Decimal | None
    unit_label: str
    value_format: str
    currency: str
    decimals: int
    weight: Decimal
    aspirational: bool
    owner: PersonOut | None
    progress: Decimal = Field(description="0–1, used in roll-ups")
    progress_raw: Decimal = Field(description="Unclamped: 1.5 means 150 %")
    status: str
    confidence: int | None = Field(description="0–10 from the latest check-in")
    last_checkin_at: dt.datetime | None
    forecast: ForecastOut | None = Field(
        None,
        description="Least-squares trend of the check-ins read off on the cycle's last day, "
        "with an 80 % band; null with fewer than three check-ins, all on one day, or for "
        "milestones",
    )
    forecast_missing: str | None = Field(
        None,
        description="Why there is no forecast: too_few_readings, one_day or milestone",
    )


class ObjectiveOut(Schema):
    code: str
    title: str
    description: str
    cycle: str
    level: str
    type: str
    state: str
    visibility: str
    unit: UnitRef | None
    lead: PersonOut | None
    progress: Decimal
    aligned_to: list[AlignmentOut]
    key_results: list[KeyResultOut]
    version: int
    forecast: ForecastOut | None = Field(
        None,
        description="Weighted mean of the key results' forecasts (band ends combined the "
        "same way); null unless every key result with a weight above 0 has one",
    )
    forecast_missing: str | None = Field(
        None,
        description="Why there is no forecast: no_key_results, all_weights_zero or "
        "key_results_without_forecast",
    )


class CheckInIn(Schema):
    value: str | int | float = Field(description="The new value; a string keeps every decimal")
    confidence: int | None = Field(None, description="0–10")
    note: str = ""
    measured_at: dt.datetime | None = Field(
        None, description="When the value was true; defaults to now. Never in the future."
    )


class CorrectionIn(Schema):
    value: str | int | float = Field(description="The right value; a string keeps every decimal")
    confidence: int | None = Field(
        None, description="0–10. Leave it out to keep the original's; null clears it."
    )
    note: str | None = Field(None, description="Leave it out to keep the original's note.")
    reason: str = Field(description="Why the check-in is corrected (up to 300 characters)")


class CheckInOut(Schema):
    code: str
    key_result: str
    value: Decimal
    confidence: int | None
    note: str
    author: PersonOut | None
    source: str
    measured_at: dt.datetime
    created_at: dt.datetime
    supersedes: str | None = Field(
        None, description="Code of the check-in this one corrects, if it is a correction"
    )
    superseded_by: str | None = Field(
        None, description="Code of the correction that replaced this check-in, if any"
    )
    edit_reason: str = Field("", description="Why this correction was made")


class CheckInResult(Schema):
    checkin: CheckInOut
    key_result_progress: Decimal
    objective_progress: Decimal
