"""tenfold kpi: list, show and add-value, as a person; bad input exits with a message and
writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tenfold.audit.models import AuditEvent
from tenfold.kpis.models import KpiValue


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("kpi", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def written() -> tuple[int, int]:
    return KpiValue.objects.count(), AuditEvent.objects.count()


def test_list_shows_each_kpi_by_unit_with_its_health(kpi, victor):
    out = run("list", "--as", "victor@example.com")
    assert "Growth" in out
    assert kpi.code in out and "32 %" in out and "at or above 40 %" in out
    assert "NEEDS ATTENTION" in out


def test_list_as_json_parses(kpi, bob):
    data = json.loads(run("list", "--as", "bob@example.com", "--json"))
    assert [(k["code"], k["health"]) for k in data] == [(kpi.code, "unhealthy")]


def test_show_prints_the_history_newest_first(kpi, bob):
    out = run("show", kpi.code, "--as", "bob@example.com")
    lines = [line.strip() for line in out.splitlines()]
    assert lines[0] == f"Weekly activation ({kpi.code})"
    assert lines.index("2026-11-15  32 %") < lines.index("2026-10-25  41 %")


def test_show_as_json_has_the_values(kpi, bob):
    data = json.loads(run("show", kpi.code, "--as", "bob@example.com", "--json"))
    assert len(data["values"]) == 4


def test_add_value_records_it_and_reports_health(kpi, bob):
    out = run("add-value", kpi.code, "43", "--as", "bob@example.com", "--note", "Better invites")
    assert "43 %" in out and "healthy" in out
    kpi.refresh_from_db()
    assert kpi.current == 43


def test_add_value_for_a_past_day(kpi, bob):
    run("add-value", kpi.code, "39", "--as", "bob@example.com", "--date", "2026-11-01")
    kpi.refresh_from_db()
    assert kpi.current == 32  # a newer value still stands
    assert KpiValue.objects.filter(kpi=kpi).count() == 5


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add-value", "{code}", "lots", "--as", "bob@example.com"), "not a number"),
        (("add-value", "{code}", "1", "--as", "bob@example.com", "--date", "2027-01-01"), "future"),
        (("add-value", "{code}", "1", "--as", "bob@example.com", "--date", "soon"), "YYYY-MM-DD"),
        (("add-value", "{code}", "1", "--as", "victor@example.com"), "may not"),
        (("add-value", "nosuchcode", "1", "--as", "bob@example.com"), "No KPI"),
        (("show", "{code}", "--as", "nobody@example.com"), "Nobody"),
        (("show", "{code}", "--as", "mallory@example.com"), "belongs to no"),
    ],
)
def test_bad_input_exits_with_a_message_and_writes_nothing(kpi, bob, mallory, args, words):
    before = written()
    with pytest.raises(CommandError) as caught:
        run(*(arg.format(code=kpi.code) for arg in args))
    assert words in str(caught.value)
    assert written() == before


def test_an_outsider_cannot_read_another_organizations_kpi(kpi, mallory, other_org):
    with pytest.raises(CommandError, match="No KPI"):
        run("show", kpi.code, "--as", "mallory@example.com")
