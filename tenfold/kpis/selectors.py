"""Reads of KPIs, scoped to one organization, and who may do what with them.

Admins and the leads of a KPI's unit (or of a unit above it) manage the KPI; members of the
unit and the KPI's owner record values; everyone in the organization, viewers included, reads.
A KPI without a unit belongs to the whole company: admins and company leads manage it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.formats import number_format

from tenfold.okrs.models import Objective
from tenfold.organizations.models import Organization, Unit
from tenfold.organizations.permissions import Access
from tenfold.organizations.selectors import unit_tree

from .health import Trend, trend, trend_is_good
from .models import Kpi, KpiValue

SPARK_VALUES = 12
"""How many of the newest values the list's small chart shows."""


# --- permissions ------------------------------------------------------------------------------


def _root_id(kpi: Kpi) -> int | None:
    root = getattr(kpi.organization, "_root_unit_id", None)
    if root is None:
        root = (
            Unit.objects.filter(organization_id=kpi.organization_id, parent__isnull=True)
            .values_list("id", flat=True)
            .first()
        )
        kpi.organization._root_unit_id = root  # type: ignore[attr-defined]
    return root


def can_manage_in(access: Access, unit_id: int | None) -> bool:
    """May create and edit KPIs of this unit (None: the whole company)."""
    if not access.can_write:
        return False
    if access.is_admin:
        return True
    return unit_id is not None and unit_id in access.led_unit_ids


def can_manage(access: Access, kpi: Kpi) -> bool:
    return can_manage_in(access, kpi.unit_id or _root_id(kpi))


def can_create_any(access: Access) -> bool:
    return access.can_write and (access.is_admin or bool(access.led_unit_ids))


def can_record(access: Access, kpi: Kpi) -> bool:
    if not access.can_write:
        return False
    if kpi.owner_id == access.user_id or can_manage(access, kpi):
        return True
    unit_id = kpi.unit_id or _root_id(kpi)
    return unit_id in access.member_unit_ids


def can_write_okr(access: Access, kpi: Kpi) -> bool:
    """Whoever may create objectives in the KPI's unit may draft one for it."""
    unit = okr_unit(kpi)
    return access.can_create_in_unit(unit.id, unit.kind)


# --- formatting -------------------------------------------------------------------------------


def plain(number: Decimal | None) -> Decimal | None:
    """A stored decimal without padding zeros, never in exponent notation: 40, not 4E+1."""
    if number is None:
        return None
    return Decimal(format(number.normalize(), "f"))


def format_value(kpi: Kpi, value: Decimal | None) -> str:
    """A value in the KPI's own format: 12 %, EUR 4,500, 3.5 days."""
    if value is None:
        return "–"
    text = number_format(value, kpi.decimals, force_grouping=True)
    if kpi.value_format == "percent":
        return f"{text} %"
    if kpi.value_format == "currency":
        return f"{kpi.currency} {text}"
    return f"{text} {kpi.unit_label}".strip()


# --- reads ------------------------------------------------------------------------------------


def company_unit(organization: Organization) -> Unit:
    return Unit.objects.get(organization=organization, parent__isnull=True)


def okr_unit(kpi: Kpi) -> Unit:
    """The unit an objective written for this KPI belongs to."""
    return kpi.unit if kpi.unit is not None else company_unit(kpi.organization)


def get_kpi(organization: Organization, code: str) -> Kpi:
    """One KPI of the organization; 404 for a code of another organization or none at all."""
    kpi = (
        Kpi.objects.filter(organization=organization, code=code.strip().lower())
        .select_related("unit", "owner", "organization")
        .first()
    )
    if kpi is None:
        raise Http404
    kpi.organization = organization
    return kpi


def kpis_of(organization: Organization) -> QuerySet[Kpi]:
    return Kpi.objects.filter(organization=organization).select_related("unit", "owner")


@dataclass
class KpiRow:
    """A KPI as the list shows it: the newest values oldest first, and the last move."""

    kpi: Kpi
    recent: list[KpiValue]
    trend: Trend
    trend_good: bool | None
    current_text: str = ""
    target_text: str = ""
    target_high_text: str = ""
    may_write_okr: bool = False
    spark: str = ""

    @property
    def health(self) -> str:
        return self.kpi.health.value


@dataclass
class UnitGroup:
    unit: Unit | None
    depth: int
    rows: list[KpiRow] = field(default_factory=list)


@dataclass
class Overview:
    groups: list[UnitGroup]
    inactive: list[KpiRow]
    unhealthy: list[KpiRow]
    count: int


def _row(kpi: Kpi, recent: list[KpiValue]) -> KpiRow:
    move = trend([v.value for v in recent])
    good = trend_is_good(
        move,
        direction=kpi.direction,
        value=kpi.current,
        target=kpi.target,
        target_high=kpi.target_high,
    )
    return KpiRow(
        kpi,
        recent,
        move,
        good,
        current_text=format_value(kpi, kpi.current),
        target_text=format_value(kpi, kpi.target),
        target_high_text=format_value(kpi, kpi.target_high),
    )


def overview(access: Access, organization: Organization) -> Overview:
    """Every KPI grouped by unit in tree order, with its newest values, in three queries
    whatever the number of KPIs and values."""
    recent = KpiValue.objects.order_by("-measured_at", "-id")[:SPARK_VALUES]
    kpis = list(
        kpis_of(organization).prefetch_related(
            Prefetch("values", queryset=recent, to_attr="recent_values")
        )
    )
    tree = unit_tree(organization)
    root = next((unit for unit, _depth in tree if unit.parent_id is None), None)
    if root is not None:
        organization._root_unit_id = root.id  # type: ignore[attr-defined]
    groups = {unit.id: UnitGroup(unit, depth) for unit, depth in tree}
    inactive: list[KpiRow] = []
    unhealthy: list[KpiRow] = []
    for kpi in kpis:
        kpi.organization = organization
        row = _row(kpi, list(reversed(kpi.recent_values)))
        unit = kpi.unit or root
        if unit is not None:
            row.may_write_okr = access.can_create_in_unit(unit.id, unit.kind)
        if not kpi.active:
            inactive.append(row)
            continue
        if row.health == "unhealthy":
            unhealthy.append(row)
        key = unit.id if unit is not None else 0
        groups.setdefault(key, UnitGroup(unit, 0)).rows.append(row)
    return Overview(
        groups=[g for g in groups.values() if g.rows],
        inactive=inactive,
        unhealthy=unhealthy,
        count=len(kpis),
    )


@dataclass
class Detail:
    kpi: Kpi
    values: list[KpiValue]
    objectives: list[Objective]
    trend: Trend
    trend_good: bool | None


def detail(access: Access, kpi: Kpi) -> Detail:
    """The KPI's whole history, newest first, and the objectives written for it that the
    viewer may see: two queries however long the history."""
    from tenfold.okrs.selectors import visible_objectives

    values = list(KpiValue.objects.filter(kpi=kpi).select_related("author"))
    objectives = list(
        visible_objectives(access)
        .filter(kpi=kpi)
        .select_related("cycle", "unit")
        .order_by("-created_at", "-id")
    )
    move = trend([v.value for v in reversed(values[:SPARK_VALUES])])
    good = trend_is_good(
        move,
        direction=kpi.direction,
        value=kpi.current,
        target=kpi.target,
        target_high=kpi.target_high,
    )
    return Detail(kpi, values, objectives, move, good)


def _person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


def kpi_data(kpi: Kpi) -> dict[str, Any]:
    """A KPI as the API and `tenfold kpi --json` give it."""
    unit = kpi.unit
    return {
        "code": kpi.code,
        "name": kpi.name,
        "description": kpi.description,
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind} if unit else None,
        "unit_label": kpi.unit_label,
        "value_format": kpi.value_format,
        "currency": kpi.currency,
        "decimals": kpi.decimals,
        "direction": kpi.direction,
        "target": kpi.target,
        "target_high": kpi.target_high,
        "owner": _person(kpi.owner),
        "active": kpi.active,
        "current": kpi.current,
        "current_at": kpi.current_at,
        "health": kpi.health.value,
        "version": kpi.version,
    }


def value_data(row: KpiValue) -> dict[str, Any]:
    return {
        "code": row.code,
        "value": row.value,
        "measured_at": row.measured_at,
        "note": row.note,
        "author": _person(row.author),
        "created_at": row.created_at,
    }


def today_in(organization: Organization) -> dt.date:
    from tenfold.okrs.selectors import organization_today

    return organization_today(organization)
