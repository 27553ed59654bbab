"""KPI services: validation that writes nothing, the append-only history, and the alerts
written when a KPI leaves health or comes back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.kpis.models import Kpi, KpiValue
from tenfold.kpis.services import kpi_create, kpi_record_value, kpi_update
from tenfold.lib.validation import error_dict

from .conftest import TODAY


def written() -> tuple[int, int, int]:
    return Kpi.objects.count(), KpiValue.objects.count(), AuditEvent.objects.count()


def refused(call, **kwargs) -> dict[str, list[str]]:
    before = written()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert written() == before
    return error_dict(caught.value)


def test_it_creates_a_kpi_and_audits_it(org, team, carol):
    kpi = kpi_create(
        organization=org, unit=team, name=" Trial starts ", target="120", owner=carol, by=carol
    )
    assert (kpi.name, kpi.target, kpi.direction, kpi.health) == (
        "Trial starts",
        Decimal(120),
        "higher_is_better",
        "unknown",
    )
    assert AuditEvent.objects.filter(verb="kpi.created", object_code=kpi.code).exists()


def test_a_kpi_of_the_company_unit_is_stored_without_a_unit(org, company, alice):
    kpi = kpi_create(organization=org, unit=company, name="Cash runway", target=12, by=alice)
    assert kpi.unit is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "cannot be empty"),
        ({"target": "forty"}, "target", "not a number"),
        ({"target": ""}, "target", "Enter a number"),
        ({"direction": "in_range"}, "target_high", "Enter a number"),
        ({"direction": "in_range", "target_high": "10"}, "target_high", "below its lower end"),
        ({"direction": "sideways"}, "direction", "higher or lower"),
        ({"value_format": "currency"}, "currency", "three-letter"),
        ({"decimals": "9"}, "decimals", "decimal places"),
        ({"value_format": "emoji"}, "value_format", "Unknown format"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(
    org, team, carol, fields, field, words
):
    data = {"name": "Trial starts", "target": "20", **fields}
    errors = refused(kpi_create, organization=org, unit=team, by=carol, **data)
    assert words in " ".join(errors[field])


def test_a_second_kpi_with_the_same_name_is_refused(org, team, carol, kpi):
    errors = refused(
        kpi_create, organization=org, unit=team, name="weekly ACTIVATION", target=1, by=carol
    )
    assert "already called" in errors["name"][0]


def test_an_owner_from_another_organization_is_refused(org, team, carol, mallory, other_org):
    errors = refused(
        kpi_create, organization=org, unit=team, name="X", target=1, owner=mallory, by=carol
    )
    assert "owner" in errors


def test_a_unit_of_another_organization_is_refused(org, carol, other_org):
    foreign = other_org.units.get()
    errors = refused(kpi_create, organization=org, unit=foreign, name="X", target=1, by=carol)
    assert "another organization" in errors["unit"][0]


def test_update_changes_fields_and_refuses_a_stale_version(kpi, carol):
    kpi_update(kpi=kpi, by=carol, expected_version=kpi.version, target="30")
    kpi.refresh_from_db()
    assert kpi.target == Decimal(30)
    before = written()
    with pytest.raises(ValidationError) as caught:
        kpi_update(kpi=kpi, by=carol, expected_version=1, target="50")
    assert caught.value.code == "conflict"
    assert written() == before


def test_update_refuses_unknown_fields(kpi, carol):
    with pytest.raises(ValidationError):
        kpi_update(kpi=kpi, by=carol, colour="red")


def test_recording_a_value_sets_the_current_value_and_health(kpi, bob):
    kpi_record_value(kpi=kpi, value="44.5", note="Onboarding emails fixed", by=bob)
    kpi.refresh_from_db()
    assert (kpi.current, kpi.health) == (Decimal("44.5"), "healthy")
    row = KpiValue.objects.filter(kpi=kpi).first()
    assert (row.author, row.note) == (bob, "Onboarding emails fixed")


@pytest.mark.parametrize(
    ("value", "words"),
    [("abc", "not a number"), ("", "Enter a number"), ("1e400", "too large")],
)
def test_a_value_that_is_not_a_number_writes_nothing(kpi, bob, value, words):
    errors = refused(kpi_record_value, kpi=kpi, value=value, by=bob)
    assert words in errors["value"][0]


def test_a_value_in_the_future_is_refused(kpi, bob):
    errors = refused(
        kpi_record_value, kpi=kpi, value="50", measured_at=TODAY + dt.timedelta(days=1), by=bob
    )
    assert "future" in errors["measured_at"][0]


def test_a_late_value_joins_the_history_without_replacing_the_newest(kpi, bob):
    kpi_record_value(kpi=kpi, value="99", measured_at=TODAY - dt.timedelta(days=40), by=bob)
    kpi.refresh_from_db()
    assert kpi.current == Decimal(32)
    assert KpiValue.objects.filter(kpi=kpi).count() == 5


def test_leaving_health_and_coming_back_are_audited_once_each(org, team, carol):
    kpi = kpi_create(organization=org, unit=team, name="NPS", target="30", by=carol)
    for value in ("35", "33", "25", "20", "31", "40"):
        kpi_record_value(kpi=kpi, value=value, by=carol)
    verbs = list(
        AuditEvent.objects.filter(object_code=kpi.code, verb__in=["kpi.unhealthy", "kpi.recovered"])
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["kpi.unhealthy", "kpi.recovered"]


def test_raising_the_target_above_the_value_is_an_alert_too(kpi, carol):
    kpi_update(kpi=kpi, by=carol, target="20")
    kpi_update(kpi=kpi, by=carol, target="60")
    verbs = AuditEvent.objects.filter(object_code=kpi.code).values_list("verb", flat=True)
    assert list(verbs).count("kpi.recovered") == 1
    assert list(verbs).count("kpi.unhealthy") == 2  # once from the values, once now
