"""Spreadsheet import: a preview that writes nothing, then an all-or-nothing apply.

`preview()` reads the file, recognises its columns and layout, matches cycles, units and
people by name, code or email (from three queries, whatever the file's size), checks every
value with the same rules the services use, and lists what would be created and every
problem with its row and column. `apply()` creates it all through the services — objectives,
key results, and a check-in where the current value differs from the start — in one
transaction, and refuses a preview that has problems.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.checkins.models import Source
from tenfold.checkins.services import checkin_record, measured_on, parse_confidence
from tenfold.lib.longrun import Progress
from tenfold.lib.validation import Errors, error_dict
from tenfold.okrs.models import (
    TITLE_MAX,
    Cycle,
    CycleKind,
    KeyResult,
    KeyResultKind,
    Level,
    Objective,
    ObjectiveType,
    ValueFormat,
    Visibility,
)
from tenfold.okrs.selectors import current_cycle, organization_today
from tenfold.okrs.services import (
    VALUE_PLACES,
    _check_key_result,
    _check_objective,
    _value,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership, Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access, access_for

from . import detect
from .reading import SheetError, Table, read_table

PLACES = Decimal(1).scaleb(-VALUE_PLACES)


# --- what a preview holds -----------------------------------------------------------------------


@dataclass
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return _("Row %(row)d, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class KeyResultPlan:
    row: int
    code: str
    fields: dict[str, Any]
    """What `key_result_create` takes, owner aside, checked by the service's own rules."""
    owner: Any = None
    current: Decimal | None = None
    confidence: int | None = None
    measured_at: dt.datetime | None = None
    check_in: bool = False

    @property
    def title(self) -> str:
        return str(self.fields["title"])


@dataclass
class ObjectivePlan:
    row: int
    code: str
    title: str
    cycle: Cycle | None
    unit: Unit | None
    description: str = ""
    type: str = ObjectiveType.COMMITTED
    lead: Any = None
    key_results: list[KeyResultPlan] = field(default_factory=list)


@dataclass
class Preview:
    organization: Organization
    filename: str
    kind: str = ""
    sheet: str = ""
    encoding: str = ""
    delimiter: str = ""
    layout: str = ""
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    objectives: list[ObjectivePlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.objectives)

    @property
    def objective_count(self) -> int:
        return len(self.objectives)

    @property
    def key_result_count(self) -> int:
        return sum(len(o.key_results) for o in self.objectives)

    @property
    def checkin_count(self) -> int:
        return sum(1 for o in self.objectives for kr in o.key_results if kr.check_in)

    @property
    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.row}

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "format": self.kind,
            "sheet": self.sheet,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "ignored_columns": list(self.ignored_columns),
            "ok": self.ok,
            "objectives": [
                {
                    "row": o.row,
                    "title": o.title,
                    "cycle": o.cycle.name if o.cycle else None,
                    "unit": o.unit.name if o.unit else None,
                    "type": o.type,
                    "lead": o.lead.email if o.lead else None,
                    "key_results": [
                        {
                            "row": kr.row,
                            "title": kr.title,
                            "kind": kr.fields["kind"],
                            "start": _plain(kr.fields["start"]),
                            "target": _plain(kr.fields["target"]),
                            "current": _plain(kr.current),
                            "unit": kr.fields["unit_label"],
                            "format": kr.fields["value_format"],
                            "confidence": kr.confidence,
                            "owner": kr.owner.email if kr.owner else None,
                            "check_in": kr.check_in,
                        }
                        for kr in o.key_results
                    ],
                }
                for o in self.objectives
            ],
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [w.as_dict() for w in self.warnings],
            "counts": {
                "objectives": self.objective_count,
                "key_results": self.key_result_count,
                "checkins": self.checkin_count,
            },
        }


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else f"{number.normalize():f}"


# --- matching names to rows of the organization -----------------------------------------------


def _key(text: Any) -> str:
    return detect.normalize(text)


QUARTER = re.compile(r"^(?:q(\d)\s*(?:fy\s*)?(\d{2,4})|(?:fy\s*)?(\d{4})\s*q(\d)|(\d)q\s*(\d{4}))$")


def cycle_key(text: Any) -> str:
    """ "Q4 2026", "2026-Q4", "2026 Q4", "Q4/2026" and "4Q 2026" are one name."""
    key = _key(text)
    match = QUARTER.match(key)
    if match:
        quarter = match.group(1) or match.group(4) or match.group(5)
        year = match.group(2) or match.group(3) or match.group(6)
        year = str(2000 + int(year)) if len(year) == 2 else year
        return f"q{quarter} {year}"
    return key


class Directory:
    """Cycles, units and people of the organization, loaded once."""

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.cycles = list(Cycle.objects.filter(organization=organization))
        self.units = list(Unit.objects.filter(organization=organization))
        self.people = [
            m.user
            for m in Membership.objects.filter(organization=organization).select_related("user")
        ]
        self.cycle_by: dict[str, list[Cycle]] = {}
        for cycle in self.cycles:
            for key in {cycle.code.lower(), cycle_key(cycle.name)}:
                self.cycle_by.setdefault(key, []).append(cycle)
        self.unit_by: dict[str, list[Unit]] = {}
        for unit in self.units:
            for key in {unit.code.lower(), _key(unit.name)}:
                self.unit_by.setdefault(key, []).append(unit)
        self.person_by: dict[str, list[Any]] = {}
        for user in self.people:
            email = user.email.lower()
            keys = {email, _key(user.name), _key(getattr(user, "display_name", ""))}
            keys.add(email.split("@", 1)[0])
            for key in keys - {""}:
                self.person_by.setdefault(key, []).append(user)

    def cycle(self, text: str) -> tuple[Cycle | None, str | None]:
        found = self.cycle_by.get(cycle_key(text)) or self.cycle_by.get(text.strip().lower(), [])
        if len(found) == 1:
            return found[0], None
        if not found:
            names = ", ".join(sorted(c.name for c in self.cycles)[:12]) or _("none yet")
            return None, _("No cycle is called “%(name)s”. Cycles: %(names)s.") % {
                "name": text,
                "names": names,
            }
        return None, _("Several cycles match “%(name)s”; use the cycle's code.") % {"name": text}

    def cycle_on(self, day: dt.date) -> Cycle | None:
        """The shortest cycle (a quarter rather than its year) that contains the day."""
        found = [c for c in self.cycles if c.start <= day <= c.end]
        found.sort(key=lambda c: (c.kind == CycleKind.YEAR, c.end - c.start))
        return found[0] if found else None

    def unit(self, text: str) -> tuple[Unit | None, str | None]:
        found = self.unit_by.get(_key(text)) or self.unit_by.get(text.strip().lower(), [])
        if len(found) == 1:
            return found[0], None
        if not found:
            names = ", ".join(sorted(u.name for u in self.units)[:15])
            return None, _("No unit is called “%(name)s”. Units: %(names)s.") % {
                "name": text,
                "names": names,
            }
        return None, _("Several units are called “%(name)s”; use the unit's code.") % {"name": text}

    def person(self, text: str) -> tuple[Any, str | None]:
        """A member by email, by name, or by the part of the email before the @; "Name
        <email>" works too, and of a list of names the first one found."""
        email = re.search(r"<([^<>@\s]+@[^<>\s]+)>", text)
        candidates = (
            [email.group(1)] if email else re.split(r"[,;/、，]|\s+(?:and|y|und|et|e)\s+", text)
        )
        for candidate in candidates:
            candidate = candidate.strip()
            if not candidate:
                continue
            found = self.person_by.get(candidate.lower()) or self.person_by.get(_key(candidate), [])
            if len(found) == 1:
                return found[0], None
            if len(found) > 1:
                return None, _("Several people are called “%(name)s”; use their email.") % {
                    "name": candidate
                }
        return None, _("“%(name)s” is not a member of this organization.") % {"name": text}


# --- reading the rows -------------------------------------------------------------------------

OBJECTIVE_ERROR_COLUMNS = {
    "title": "objective",
    "cycle": "cycle",
    "unit": "team",
    "level": "team",
    "type": "type",
    "lead": "objective_owner",
}
KEY_RESULT_ERROR_COLUMNS = {
    "title": "key_result",
    "description": "description",
    "kind": "kind",
    "start": "start",
    "target": "target",
    "weight": "weight",
    "unit_label": "unit_label",
    "currency": "unit_label",
    "value_format": "unit_label",
    "value": "current",
    "confidence": "confidence",
    "measured_at": "as_of",
}
NUMBER_FIELDS = ("start", "target", "current", "progress", "confidence", "weight")
DATE_FIELDS = ("due", "as_of")
NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell.normalize():f}"
    text = str(cell).strip()
    return NEUTRALISED.sub("", text)  # our own exports guard formulas with a leading '


class Reader:
    """Turns classified rows into plans, collecting problems and warnings."""

    def __init__(
        self,
        preview: Preview,
        table: Table,
        columns: detect.Columns,
        directory: Directory,
        access: Access,
        default_cycle: Cycle | None,
        default_unit: Unit | None,
    ) -> None:
        self.preview = preview
        self.columns = columns
        self.directory = directory
        self.access = access
        self.default_cycle = default_cycle
        self.default_unit = default_unit
        self.organization = preview.organization
        self.today = organization_today(self.organization)
        self.plans: dict[tuple[Any, ...], ObjectivePlan] = {}
        self.current: ObjectivePlan | None = None
        rows = table.rows[columns.data_from :]

        def column_cells(names: tuple[str, ...]) -> list[Any]:
            wanted = [columns.index[n] for n in names if n in columns.index]
            return [cells[c] for _n, cells in rows for c in wanted if c < len(cells)]

        hint = detect.decimal_comma_hint(column_cells(NUMBER_FIELDS))
        self.decimal_comma = hint if hint is not None else table.delimiter == ";"
        hint = detect.day_first_hint(column_cells(DATE_FIELDS))
        self.day_first_known = hint is not None
        self.day_first = (
            hint if hint is not None else not self.organization.language.lower().startswith("en-us")
        )
        self.contributors = _key(columns.headers.get("owner", "")) in (
            "contributor",
            "contributors",
        )

    # problems

    def problem(self, row: int | None, name: str | None, message: str) -> None:
        column = self.columns.header(name) if name else None
        self.preview.problems.append(Problem(row, column, message))

    def warning(self, row: int | None, name: str | None, message: str) -> None:
        column = self.columns.header(name) if name else None
        self.preview.warnings.append(Problem(row, column, message))

    def errors(self, row: int, errors: Errors, names: dict[str, str], fallback: str) -> None:
        for key, messages in errors.fields.items():
            name = names.get(key, fallback if key == "title" else "")
            if name and name not in self.columns.index:
                name = fallback if key == "title" and fallback in self.columns.index else ""
            for message in messages:
                self.problem(row, name or None, message)

    # cells

    def text(self, record: detect.Record, name: str) -> str:
        return _cell_text(record.values.get(name, ""))

    def number(self, record: detect.Record, name: str) -> detect.Number | None:
        try:
            return detect.parse_number(record.values.get(name), decimal_comma=self.decimal_comma)
        except detect.NumberError:
            self.problem(
                record.row,
                name,
                _("“%(value)s” is not a number.") % {"value": self.text(record, name)},
            )
            return None

    def date(self, record: detect.Record, name: str) -> dt.date | None:
        try:
            parsed = detect.parse_date(record.values.get(name), day_first=self.day_first)
        except detect.DateError:
            self.problem(
                record.row,
                name,
                _("“%(value)s” is not a date; write it as 2026-10-01.")
                % {"value": self.text(record, name)},
            )
            return None
        if parsed is None:
            return None
        if parsed.ambiguous and not self.day_first_known:
            self.warning(
                record.row,
                name,
                _(
                    "“%(value)s” could be read two ways; it was read as %(date)s. Write dates as "
                    "2026-10-01 to leave no doubt."
                )
                % {"value": self.text(record, name), "date": date_format(parsed.value)},
            )
        return parsed.value

    def person(self, record: detect.Record, name: str) -> Any:
        text = self.text(record, name)
        if not text:
            return None
        user, message = self.directory.person(text)
        if message:
            if name == "owner" and self.contributors:
                # okr2go's contributors are often handles that are nobody's name here.
                self.warning(
                    record.row, name, message + " " + _("The key result will have no owner.")
                )
            else:
                self.problem(record.row, name, message)
        return user

    # objectives

    def objective_for(self, record: detect.Record, *, own_row: bool) -> ObjectivePlan | None:
        """The objective a row names (creating its plan the first time), or on a key-result
        row without one, the objective above it."""
        title = (
            self.text(record, "objective")
            if record.kind != "objective"
            else _cell_text(record.title)
        )
        code = self.text(record, "objective_code") or (self.text(record, "code") if own_row else "")
        if not title and not code:
            if self.current is None:
                self.problem(
                    record.row,
                    None,
                    _("This key result comes before any objective; add its objective."),
                )
            return self.current
        cycle = self.cycle(record)
        unit = self.unit(record)
        key = (
            cycle.pk if cycle else self.text(record, "cycle"),
            unit.pk if unit else self.text(record, "team"),
            code.lower() if code else _key(title),
        )
        plan = self.plans.get(key)
        if plan is None:
            if not title:
                self.problem(record.row, "objective", _("The objective has no title."))
                return None
            plan = ObjectivePlan(row=record.row, code=code, title=title, cycle=cycle, unit=unit)
            self.plans[key] = plan
            self.preview.objectives.append(plan)
            self.check_objective_access(record.row, unit)
        self.fill_objective(plan, record, own_row=own_row)
        self.current = plan
        return plan

    def fill_objective(self, plan: ObjectivePlan, record: detect.Record, *, own_row: bool) -> None:
        description = self.text(record, "objective_description") or (
            self.text(record, "description") if own_row else ""
        )
        if description and not plan.description:
            plan.description = description
        lead_field = "objective_owner" if "objective_owner" in self.columns.index else None
        if lead_field is None and own_row and "owner" in self.columns.index:
            lead_field = "owner"
        if lead_field and plan.lead is None and self.text(record, lead_field):
            plan.lead = self.person(record, lead_field)
        kind = self.objective_type(record)
        if kind:
            plan.type = kind

    def objective_type(self, record: detect.Record) -> str | None:
        for name in ("type", "level"):
            text = self.text(record, name)
            if text and _key(text) in detect.OBJECTIVE_TYPES:
                return detect.OBJECTIVE_TYPES[_key(text)]
        flag = _key(self.text(record, "aspirational"))
        if flag:
            return (
                ObjectiveType.ASPIRATIONAL
                if flag in detect.TRUE_WORDS or flag in detect.OBJECTIVE_TYPES
                else ObjectiveType.COMMITTED
            )
        return None

    def cycle(self, record: detect.Record) -> Cycle | None:
        text = self.text(record, "cycle")
        if text:
            cycle, message = self.directory.cycle(text)
            if message:
                self.problem(record.row, "cycle", message)
            return cycle
        day = self.date(record, "due") if "due" in self.columns.index else None
        if day is not None:
            cycle = self.directory.cycle_on(day)
            if cycle is None:
                self.problem(
                    record.row,
                    "due",
                    _("No cycle contains %(date)s; create the cycle first or add a cycle column.")
                    % {"date": date_format(day)},
                )
            return cycle
        if self.default_cycle is None:
            self.problem(
                record.row, None, _("No cycle is given; choose one or add a cycle column.")
            )
        return self.default_cycle

    def unit(self, record: detect.Record) -> Unit | None:
        text = self.text(record, "team")
        if text:
            unit, message = self.directory.unit(text)
            if message:
                self.problem(record.row, "team", message)
            return unit
        if self.default_unit is None:
            self.problem(record.row, None, _("No unit is given; choose one or add a team column."))
        return self.default_unit

    def check_objective_access(self, row: int, unit: Unit | None) -> None:
        if unit is None or self.access.can_create_in_unit(unit.id, unit.kind):
            return
        self.problem(
            row,
            "team" if "team" in self.columns.index else None,
            _("You may not create objectives for “%(unit)s”.") % {"unit": unit.name},
        )

    def validate_objective(self, plan: ObjectivePlan) -> None:
        if plan.cycle is None or plan.unit is None:
            return
        errors = Errors()
        title = plan.title
        if len(title) > TITLE_MAX:
            errors.add(
                "title",
                _("Keep this under %(limit)d characters (it has %(count)d).")
                % {"limit": TITLE_MAX, "count": len(title)},
            )
        level = {UnitKind.COMPANY: Level.COMPANY, UnitKind.DEPARTMENT: Level.DEPARTMENT}.get(
            plan.unit.kind,  # type: ignore[call-overload]
            Level.TEAM,
        )
        _check_objective(
            errors,
            organization=self.organization,
            cycle=plan.cycle,
            unit=plan.unit,
            owner_person=None,
            level=level,
            type=plan.type,
            visibility=Visibility.ORGANIZATION,
            lead=None,  # resolved among the members already
        )
        self.errors(plan.row, errors, OBJECTIVE_ERROR_COLUMNS, "objective")

    # key results

    def key_result(self, record: detect.Record) -> None:
        objective = self.objective_for(record, own_row=False)
        record.title = _cell_text(record.title)
        if not record.title:
            self.problem(record.row, "key_result", _("The key result has no title."))
            return
        owner = self.person(record, "owner")
        start = self.number(record, "start")
        target = self.number(record, "target")
        current_text = self.text(record, "current")
        kind_text = self.text(record, "kind")
        kind = detect.KINDS.get(_key(kind_text)) if kind_text else None
        if kind_text and kind is None:
            self.problem(
                record.row,
                "kind",
                _("“%(value)s” is not a kind of key result; use one of: %(kinds)s.")
                % {"value": kind_text, "kinds": ", ".join(KeyResultKind.values)},
            )
        if (
            kind == KeyResultKind.MILESTONE
            and _key(current_text) in detect.TRUE_WORDS | detect.FALSE_WORDS
        ):
            current: detect.Number | None = detect.Number(
                Decimal(1) if _key(current_text) in detect.TRUE_WORDS else Decimal(0)
            )
        else:
            current = self.number(record, "current")
        numbers = [n for n in (start, target, current) if n is not None]
        fmt, currency, unit_label = self.value_format(record, numbers)
        start_value = start.value if start else None
        target_value = target.value if target else None
        current_value = current.value if current else None
        if kind is None:
            if target_value is None and self.text(record, "target"):
                return  # not a number: said already
            if target_value is None:
                self.problem(
                    record.row,
                    "target" if "target" in self.columns.index else None,
                    _("Give the target (or the kind “milestone” for a done-or-not key result)."),
                )
                return
            if start_value is None:
                if current_value is not None and current_value > target_value:
                    kind, start_value = KeyResultKind.DECREASE, current_value
                else:
                    kind = KeyResultKind.REACH
            else:
                kind = (
                    KeyResultKind.DECREASE if target_value < start_value else KeyResultKind.INCREASE
                )
        progress = self.progress(record)
        if (
            current_value is None
            and progress is not None
            and target_value is not None
            and kind in (KeyResultKind.INCREASE, KeyResultKind.DECREASE, KeyResultKind.REACH)
        ):
            base = start_value or Decimal(0)
            current_value = (base + progress * (target_value - base)).quantize(PLACES)
        weight = self.number(record, "weight")
        data: dict[str, Any] = {
            "title": record.title,
            "description": self.text(record, "description"),
            "kind": kind,
            "start": start_value,
            "target": target_value,
            "unit_label": unit_label,
            "value_format": fmt,
            "currency": currency,
            "decimals": min(VALUE_PLACES, max([n.places for n in (start, target) if n] or [0])),
            "weight": weight.value if weight else None,
            "aspirational": False,
        }
        errors = Errors()
        _check_key_result(errors, self.organization, data)
        self.errors(record.row, errors, KEY_RESULT_ERROR_COLUMNS, "key_result")
        plan = KeyResultPlan(
            row=record.row,
            code=self.text(record, "key_result_code") or self.text(record, "code"),
            fields=data,
            owner=owner,
        )
        self.check_in(plan, record, objective, current_value)
        if objective is not None:
            objective.key_results.append(plan)

    def value_format(
        self, record: detect.Record, numbers: list[detect.Number]
    ) -> tuple[str, str, str]:
        label = self.text(record, "unit_label")
        currencies = {n.currency for n in numbers if n.currency}
        if label in ("%", "％") or _key(label) in ("percent", "percentage", "porcentaje", "百分比"):
            return ValueFormat.PERCENT, "", ""
        if label.upper() in detect.CURRENCY_CODES:
            return ValueFormat.CURRENCY, label.upper(), ""
        if label in detect.CURRENCY_SYMBOLS:
            return ValueFormat.CURRENCY, detect.CURRENCY_SYMBOLS[label], ""
        if currencies:
            return ValueFormat.CURRENCY, sorted(currencies)[0], label
        if any(n.percent for n in numbers):
            return ValueFormat.PERCENT, "", label
        return ValueFormat.NUMBER, "", label

    def progress(self, record: detect.Record) -> Decimal | None:
        number = self.number(record, "progress")
        if number is None:
            return None
        value = number.value / 100 if number.percent or number.value > 1 else number.value
        if not 0 <= value <= 1:
            self.problem(record.row, "progress", _("Progress is a share from 0% to 100%."))
            return None
        return value

    def confidence(self, record: detect.Record) -> int | None:
        out_of_ten = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*/\s*10", self.text(record, "confidence"))
        if out_of_ten:  # "7/10"
            record.values["confidence"] = out_of_ten.group(1).replace(",", ".")
        number = self.number(record, "confidence")
        if number is None:
            return None
        value = number.value
        if number.percent:
            value = value / 10
        elif value <= 1 and (number.places > 0 or value != value.to_integral_value()):
            value = value * 10  # 0.7 means 7 out of 10
        rounded = value.quantize(Decimal(1))
        errors = Errors()
        parse_confidence(rounded, errors)
        if errors:
            self.problem(
                record.row,
                "confidence",
                _("Confidence is from 0 to 10, or a percentage; “%(value)s” is not.")
                % {"value": self.text(record, "confidence")},
            )
            return None
        return int(rounded)

    def check_in(
        self,
        plan: KeyResultPlan,
        record: detect.Record,
        objective: ObjectivePlan | None,
        current: Decimal | None,
    ) -> None:
        confidence = self.confidence(record)
        plan.current, plan.confidence = current, confidence
        if current is None:
            if confidence is not None:
                self.warning(
                    record.row,
                    "confidence",
                    _("A confidence without a current value is not recorded."),
                )
            return
        start = plan.fields.get("start")
        if current == start and confidence is None:
            return
        errors = Errors()
        _value(errors, "value", current, required=True)
        if errors:
            self.errors(record.row, errors, KEY_RESULT_ERROR_COLUMNS, "current")
            return
        cycle = objective.cycle if objective else None
        day = self.date(record, "as_of") if "as_of" in self.columns.index else None
        if cycle is None:
            return
        if day is not None:
            if day > self.today:
                self.problem(record.row, "as_of", _("A check-in cannot be in the future."))
                return
            if day < cycle.start:
                self.problem(
                    record.row,
                    "as_of",
                    _("The cycle “%(name)s” began on %(date)s; a check-in cannot be dated earlier.")
                    % {"name": cycle.name, "date": date_format(cycle.start)},
                )
                return
            plan.measured_at = measured_on(day, organization=self.organization)
        elif self.today < cycle.start:
            self.warning(
                record.row,
                "current",
                _(
                    "The cycle “%(name)s” starts on %(date)s; the current value is kept out "
                    "until then (record it with a check-in once the cycle has begun)."
                )
                % {"name": cycle.name, "date": date_format(cycle.start)},
            )
            return
        plan.check_in = True

    def read(self, records: list[detect.Record], progress: Progress) -> None:
        for position, record in enumerate(records, start=1):
            if record.kind == "objective":
                self.objective_for(record, own_row=True)
            elif record.kind == "key_result":
                self.key_result(record)
            else:
                self.problem(
                    record.row, None, _("This row has neither an objective nor a key result.")
                )
            if position % 200 == 0:
                progress.step(position, len(records), _("Reading rows"))
                progress.check()
        for plan in self.preview.objectives:
            self.validate_objective(plan)


# --- the two entry points ---------------------------------------------------------------------


def _access(organization: Organization, by: Any) -> Access:
    membership = (
        Membership.objects.filter(organization=organization, user=by).select_related("user").first()
    )
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organization."))
    return access_for(membership)


def may_import(access: Access, units: list[Unit]) -> bool:
    """Whoever may create an objective for some unit may import: admins, unit leads and
    members of teams (the same rule as creating objectives)."""
    return any(access.can_create_in_unit(u.id, u.kind) for u in units)


def preview(
    organization: Organization,
    data: bytes,
    filename: str,
    *,
    cycle: Cycle | None = None,
    unit: Unit | None = None,
    by: Any,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> Preview:
    """What importing the file would create, and every problem in it. Writes nothing."""
    progress = progress or Progress()
    access = _access(organization, by)
    result = Preview(organization=organization, filename=filename)
    try:
        table = read_table(data, filename, sheet=sheet)
    except SheetError as error:
        result.problems.append(Problem(None, None, " ".join(error.messages)))
        return result
    result.kind, result.sheet = table.kind, table.sheet
    result.encoding, result.delimiter = table.encoding, table.delimiter
    try:
        columns = detect.find_columns(table)
    except detect.ColumnsError as error:
        result.problems.append(Problem(error.row, None, error.message))
        return result
    result.header_row = columns.header_row
    result.columns = {name: columns.headers[name] for name in columns.index}
    result.ignored_columns = columns.ignored
    records = list(detect.records(table, columns))
    result.layout = _layout(records, table)
    if cycle is None and "cycle" not in columns.index and "due" not in columns.index:
        cycle = current_cycle(organization)
    directory = Directory(organization)
    reader = Reader(result, table, columns, directory, access, cycle, unit)
    reader.read(records, progress)
    if not records:
        result.problems.append(
            Problem(columns.header_row, None, _("There are no rows under the header."))
        )
    progress.step(len(records), len(records), _("Read"))
    return result


def _layout(records: list[detect.Record], table: Table) -> str:
    if "okr2go" in table.notes:
        return "okr2go"
    kinds = {r.kind for r in records}
    return "objective-rows" if "objective" in kinds else "key-result-rows"


def apply(preview: Preview, by: Any, *, progress: Progress | None = None) -> list[Objective]:
    """Create everything the preview lists, or nothing: one transaction, through the services.
    A preview with problems is refused."""
    progress = progress or Progress()
    if preview.problems:
        raise ValidationError(
            _("The file has %(count)d problem(s); nothing was imported. %(first)s")
            % {"count": len(preview.problems), "first": str(preview.problems[0])},
            code="invalid",
        )
    if not preview.objectives:
        raise ValidationError(_("The file holds no objectives to import."), code="invalid")
    total = preview.objective_count + preview.key_result_count
    done = 0
    created: list[Objective] = []
    note = _("Imported from %(file)s") % {"file": preview.filename}
    with transaction.atomic():
        for plan in preview.objectives:
            progress.check()
            assert plan.cycle is not None and plan.unit is not None  # no problems: resolved
            try:
                objective = objective_create(
                    organization=preview.organization,
                    cycle=plan.cycle,
                    unit=plan.unit,
                    title=plan.title,
                    description=plan.description,
                    type=plan.type,
                    lead=plan.lead,
                    by=by,
                )
                for kr_plan in plan.key_results:
                    _create_key_result(objective, kr_plan, by, note)
                    done += 1
            except ValidationError as error:
                raise _at_row(error, plan.row) from None
            created.append(objective)
            done += 1
            progress.step(done, total, plan.title)
        # Each objective and key result has its own event; this one says who imported what.
        audit_record(
            organization=preview.organization,
            actor=by,
            verb="sheet.imported",
            obj=preview.organization,
            changes={
                "file": preview.filename,
                "objectives": [objective.code for objective in created],
                "key_results": preview.key_result_count,
            },
        )
    return created


def _create_key_result(objective: Objective, plan: KeyResultPlan, by: Any, note: str) -> KeyResult:
    try:
        kr = key_result_create(objective=objective, by=by, owner=plan.owner, **plan.fields)
        if plan.check_in and plan.current is not None:
            checkin_record(
                key_result=kr,
                value=plan.current,
                confidence=plan.confidence,
                note=note,
                source=Source.IMPORT,
                measured_at=plan.measured_at or timezone.now(),
                by=by,
            )
    except ValidationError as error:
        raise _at_row(error, plan.row) from None
    return kr


class RowError(ValidationError):
    pass


def _at_row(error: ValidationError, row: int) -> ValidationError:
    if isinstance(error, RowError):
        return error
    messages = [m for values in error_dict(error).values() for m in values]
    return RowError(
        _("Row %(row)d: %(message)s Nothing was imported.")
        % {"row": row, "message": " ".join(messages)},
        code="invalid",
    )
