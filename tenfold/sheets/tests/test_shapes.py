"""Differently shaped spreadsheets, each made here, land as the objectives and key results
they describe."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import CycleKind, CycleState
from tenfold.okrs.services import cycle_create

from .conftest import import_file, krs, preview_of, xlsx

pytestmark = pytest.mark.django_db

ONE_PER_KR = (
    "Objective,Key result,Owner,Team,Cycle,Start,Target,Current\r\n"
    "Customers love onboarding,Raise activation from 20 to 40,bob@example.com,Growth,Q4 2026,"
    "20,40,25\r\n"
    "Customers love onboarding,Cut time to first value to 2 days,carol@example.com,Growth,"
    "Q4 2026,6,2,6\r\n"
    "Sell to larger teams,Win 12 teams of 50+,Bob Member,Growth,Q4 2026,0,12,3\r\n"
)


def test_utf8_with_bom_one_row_per_key_result(org, team, cycle, alice, bob, carol):
    data = "\ufeff".encode() + ONE_PER_KR.encode()
    first, second = import_file(org, data, "okrs.csv", alice)
    assert first.title == "Customers love onboarding"
    assert (first.cycle, first.unit) == (cycle, team)
    raise_, cut = krs(first)
    assert (raise_.kind, raise_.start, raise_.target, raise_.current) == (
        "increase",
        Decimal(20),
        Decimal(40),
        Decimal(25),
    )
    assert raise_.owner == bob
    assert [c.value for c in raise_.checkins.all()] == [Decimal(25)]
    assert raise_.checkins.get().source == "import"
    assert (cut.kind, cut.current, cut.owner) == ("decrease", None, carol)
    assert not cut.checkins.exists()  # current equals start: nothing to record
    assert second.title == "Sell to larger teams"
    assert krs(second)[0].current == Decimal(3)


def test_utf16_with_bom_and_tabs(org, team, cycle, alice, bob):
    text = ONE_PER_KR.replace(",", "\t").replace("50+", "50 or more")
    objectives = import_file(org, text.encode("utf-16"), "okrs.txt", alice)
    assert [o.title for o in objectives] == ["Customers love onboarding", "Sell to larger teams"]
    assert krs(objectives[1])[0].title == "Win 12 teams of 50 or more"


def test_utf16_big_endian(org, team, cycle, alice):
    data = b"\xfe\xff" + ONE_PER_KR.encode("utf-16-be")
    objectives = import_file(org, data, "okrs.csv", alice)
    assert len(objectives) == 2


def test_latin1_semicolons_spanish_headers_and_decimal_commas(org, team, cycle, alice, bob):
    text = (
        "Objetivo;Resultado clave;Responsable;Equipo;Ciclo;Valor inicial;Meta;Actual;Tipo\r\n"
        "Atención más rápida;Bajar el tiempo de respuesta (horas);bob@example.com;Growth;"
        "Q4 2026;12,5;4;9,25;aspiracional\r\n"
        "Atención más rápida;Satisfacción por encima de 4,5;bob@example.com;Growth;Q4 2026;"
        "4,1;4,6;4,2;aspiracional\r\n"
    )
    (objective,) = import_file(org, text.encode("latin-1"), "equipo.csv", alice)
    assert objective.title == "Atención más rápida"
    assert objective.type == "aspirational"
    down, up = krs(objective)
    assert down.title == "Bajar el tiempo de respuesta (horas)"
    assert (down.kind, down.start, down.target, down.current) == (
        "decrease",
        Decimal("12.5"),
        Decimal(4),
        Decimal("9.25"),
    )
    assert down.decimals == 1
    assert (up.start, up.target, up.current) == (Decimal("4.1"), Decimal("4.6"), Decimal("4.2"))
    assert up.title == "Satisfacción por encima de 4,5"


def test_cp1252_punctuation(org, team, cycle, alice):
    text = "Objective,Key result,Target\r\nShip “Atlas”,Close 40 deals – all regions,40\r\n"
    (objective,) = import_file(org, text.encode("cp1252"), "x.csv", alice, unit=team)
    assert objective.title == "Ship “Atlas”"
    assert krs(objective)[0].title == "Close 40 deals – all regions"


def test_thousands_separators_both_conventions(org, team, cycle, alice):
    point = (
        "Objective\tKey result\tStart\tTarget\tCurrent\n"
        "Grow revenue\tMonthly revenue\t1,234.5\t2,500,000\t1 500 000\n"
        "Grow revenue\tSign-ups\t1,200\t10,000\t$2,500.75\n"
    )
    (objective,) = import_file(org, point.encode(), "point.tsv", alice, unit=team)
    revenue, signups = krs(objective)
    assert (revenue.start, revenue.target, revenue.current) == (
        Decimal("1234.5"),
        Decimal(2_500_000),
        Decimal(1_500_000),
    )
    assert (signups.start, signups.target, signups.current) == (
        Decimal(1200),
        Decimal(10000),
        Decimal("2500.75"),
    )
    assert (signups.value_format, signups.currency) == ("currency", "USD")

    comma = (
        "Ziel;Schlüsselergebnis;Startwert;Zielwert;Istwert;Maßeinheit\n"
        "Umsatz steigern;Monatsumsatz;1.234,5;2.500.000;1.500.000,25;EUR\n"
        "Umsatz steigern;Anmeldungen;1.200;10.000;2.000;\n"
    )
    (objective,) = import_file(org, comma.encode(), "komma.csv", alice, unit=team)
    revenue, signups = krs(objective)
    assert (revenue.start, revenue.target, revenue.current) == (
        Decimal("1234.5"),
        Decimal(2_500_000),
        Decimal("1500000.25"),
    )
    assert (revenue.value_format, revenue.currency) == ("currency", "EUR")
    assert (signups.start, signups.target, signups.current) == (
        Decimal(1200),
        Decimal(10000),
        Decimal(2000),
    )


def test_percentages_written_as_45_percent(org, team, cycle, alice):
    text = (
        "Objective,Key result,Start,Target,Current,Confidence\n"
        "Happier users,Weekly active share,20%,45%,30.5%,70%\n"
        "Happier users,NPS,10,30,15,0.6\n"
    )
    (objective,) = import_file(org, text.encode(), "p.csv", alice, unit=team)
    share, nps = krs(objective)
    assert share.value_format == "percent"
    assert (share.start, share.target, share.current) == (
        Decimal(20),
        Decimal(45),
        Decimal("30.5"),
    )
    assert share.last_confidence == Decimal("0.7")
    assert nps.value_format == "number"
    assert nps.last_confidence == Decimal("0.6")


def _with_formula(data: bytes, cell: str, formula: str, cached: str) -> bytes:
    """Give a cell of the first sheet a formula with a cached result, as a spreadsheet program
    saves it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index(f'<c r="{cell}"')
                end = text.index("</c>", start) + 4
                text = (
                    text[:start] + f'<c r="{cell}"><f>{formula}</f><v>{cached}</v></c>' + text[end:]
                )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_xlsx_with_title_row_merged_two_row_header_percent_cells_and_formulas(
    org, team, cycle, alice, bob
):
    rows = [
        ["Growth team OKRs — Q4 2026"],
        [],
        ["Objective", "Key result", None, None, None, "Owner"],
        [None, "Title", "Start", "Target", "Current", None],
        ["Customers love onboarding", "Activation rate", 0.2, 0.4, 0.25, "bob@example.com"],
        [None, "Onboarding calls", 10, 40, 0, "bob@example.com"],
        ["Sell to larger teams", "Large deals", 0, 12, 3, "bob@example.com"],
    ]
    data = xlsx(
        rows,
        merges=("A1:F1", "A3:A4", "B3:E3", "F3:F4", "A5:A6"),
        formats={"C5": "0%", "D5": "0%", "E5": "0%"},
    )
    data = _with_formula(data, "E6", "C6*2", "20")
    preview = preview_of(org, data, "plan.xlsx", alice, unit=team)
    assert preview.header_row == 4
    first, second = import_file(org, data, "plan.xlsx", alice, unit=team)
    activation, calls = krs(first)
    assert activation.value_format == "percent"
    assert (activation.start, activation.target, activation.current) == (
        Decimal(20),
        Decimal(40),
        Decimal(25),
    )
    assert calls.current == Decimal(20)  # the formula's cached value
    assert calls.owner == bob
    assert krs(second)[0].target == Decimal(12)


def test_xlsx_named_sheet_and_first_non_empty_sheet(org, team, cycle, alice):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Cover"
    data_sheet = book.create_sheet("Plan")
    data_sheet.append(["Objective", "Key result", "Target"])
    data_sheet.append(["Ship the app", "Store rating", 4.5])
    out = io.BytesIO()
    book.save(out)
    (objective,) = import_file(org, out.getvalue(), "book.xlsx", alice, unit=team)
    assert krs(objective)[0].target == Decimal("4.5")
    named = preview_of(org, out.getvalue(), "book.xlsx", alice, unit=team, sheet="Nope")
    assert "Cover, Plan" in named.problems[0].message


def test_dates_in_several_formats_choose_the_cycle_and_date_the_check_in(org, team, cycle, alice):
    q1 = cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.PLANNING,
        by=alice,
    )
    serial = (dt.date(2026, 12, 15) - dt.date(1899, 12, 30)).days
    text = (
        "Objective,Key result,Start,Target,Current,Due,As of\n"
        "A,KR iso,0,10,1,2026-12-15,2026-10-15\n"
        "B,KR day first,0,10,2,15/12/2026,20/10/2026\n"
        "C,KR words,0,10,3,15 Dec 2026,1 Oct 2026\n"
        f"D,KR serial,0,10,4,{serial},\n"
        "E,KR spanish month,0,10,,1 de febrero de 2027,\n"
        "F,KR german,0,10,5,15.12.2026,01.11.2026\n"
    )
    objectives = import_file(org, text.encode(), "dates.csv", alice, unit=team)
    by_title = {o.title: o for o in objectives}
    assert {o.cycle for t, o in by_title.items() if t != "E"} == {cycle}
    assert by_title["E"].cycle == q1
    measured = {
        t: krs(o)[0].checkins.get().measured_at.date() for t, o in by_title.items() if t in "ABCF"
    }
    assert measured == {
        "A": dt.date(2026, 10, 15),
        "B": dt.date(2026, 10, 20),
        "C": dt.date(2026, 10, 1),
        "F": dt.date(2026, 11, 1),
    }


def test_ambiguous_dates_are_reported_with_how_they_were_read(org, team, cycle, alice):
    text = "Objective,Key result,Target,Current,As of\nA,KR,10,2,01/10/2026\n"
    preview = preview_of(org, text.encode(), "d.csv", alice, unit=team)
    assert not preview.problems
    (warning,) = preview.warnings
    assert warning.row == 2 and warning.column == "As of"
    assert "01/10/2026" in warning.message and "2026-10-01" in warning.message
    assert preview.objectives[0].key_results[0].measured_at.date() == dt.date(2026, 10, 1)


def test_objective_rows_followed_by_key_result_rows_with_a_type_column(
    org, team, cycle, alice, carol, bob
):
    text = (
        "Type,Title,Owner,Start,Target,Current\n"
        "O,Customers love onboarding,carol@example.com,,,\n"
        "KR,Activation from 20 to 40,bob@example.com,20,40,30\n"
        "KR,Time to value down to 2 days,,6,2,\n"
        "Objective,Sell to larger teams,,,,\n"
        "Key result,Win 12 large teams,bob@example.com,0,12,1\n"
    )
    first, second = import_file(org, text.encode(), "b.csv", alice, unit=team)
    assert first.lead == carol
    assert [kr.title for kr in krs(first)] == [
        "Activation from 20 to 40",
        "Time to value down to 2 days",
    ]
    assert krs(first)[0].owner == bob
    assert [kr.title for kr in krs(second)] == ["Win 12 large teams"]


def test_numbered_titles_and_empty_key_result_cells(org, team, cycle, alice):
    numbered = (
        "OKR,Target,Current\n"
        "O1: Customers love onboarding,,\n"
        "KR1.1 Activation to 40%,40%,25%\n"
        "KR 1.2: Ten onboarding calls a week,10,2\n"
        "O2. Sell to larger teams,,\n"
        "KR2.1 - Twelve large deals,12,\n"
    )
    first, second = import_file(org, numbered.encode(), "n.csv", alice, unit=team)
    assert first.title == "Customers love onboarding"
    assert [kr.title for kr in krs(first)] == [
        "Activation to 40%",
        "Ten onboarding calls a week",
    ]
    assert second.title == "Sell to larger teams"
    assert krs(second)[0].title == "Twelve large deals"

    gaps = (
        "Objective,Key result,Target\n"
        "Customers love onboarding,,\n"
        ",Activation to 40,40\n"
        ",Calls per week,10\n"
        "Sell to larger teams,,\n"
        ",Large deals,12\n"
    )
    first, second = import_file(org, gaps.encode(), "g.csv", alice, unit=team)
    assert [kr.title for kr in krs(first)] == ["Activation to 40", "Calls per week"]
    assert [kr.target for kr in krs(second)] == [Decimal(12)]


def test_export_of_another_okr_tool(org, team, cycle, alice, bob, carol):
    text = (
        "Quarter,Team,Owner,Objective,Key Result,Baseline,Target,Current,Progress,"
        "Confidence,Status,Last updated\n"
        "2026-Q4,Growth,Bob Member,Win the mid-market,New mid-market logos,0,20,5,25%,"
        "7/10,On track,2026-10-20\n"
        "2026-Q4,Growth,Carol Lead,Win the mid-market,Pipeline value,100000,400000,,50%,"
        "0.4,At risk,\n"
    )
    preview = preview_of(org, text.encode(), "export.csv", alice)
    assert "Status" not in preview.ignored_columns  # recognised, deliberately not imported
    (objective,) = import_file(org, text.encode(), "export.csv", alice)
    assert objective.cycle == cycle and objective.unit == team
    logos, pipeline = krs(objective)
    assert logos.owner == bob and pipeline.owner == carol
    assert logos.current == Decimal(5)
    assert logos.checkins.get().measured_at.date() == dt.date(2026, 10, 20)
    assert pipeline.current == Decimal(250000)  # from the progress
    assert pipeline.last_confidence == Decimal("0.4")


def test_chinese_headers(org, team, cycle, alice, bob):
    text = (
        "目标,关键结果,负责人,团队,周期,起始值,目标值,当前值,信心\n"
        "提升新用户激活,激活率从20%提升到40%,bob@example.com,Growth,Q4 2026,20%,40%,28%,6\n"
    )
    (objective,) = import_file(org, text.encode(), "中文.csv", alice)
    kr = krs(objective)[0]
    assert objective.title == "提升新用户激活"
    assert kr.title == "激活率从20%提升到40%"
    assert (kr.value_format, kr.start, kr.target, kr.current) == (
        "percent",
        Decimal(20),
        Decimal(40),
        Decimal(28),
    )
    assert kr.last_confidence == Decimal("0.6")
    assert kr.owner == bob


def test_french_and_portuguese_headers(org, team, cycle, alice):
    french = "Objectif,Résultat clé,Équipe,Départ,Cible,Actuel\nCroître,Clients,Growth,5,50,10\n"
    (objective,) = import_file(org, french.encode(), "fr.csv", alice)
    assert (krs(objective)[0].start, krs(objective)[0].current) == (Decimal(5), Decimal(10))
    portuguese = (
        "Objetivo,Resultado chave,Equipe,Inicial,Alvo,Atual\nCrescer,Clientes,Growth,1,9,3\n"
    )
    (objective,) = import_file(org, portuguese.encode(), "pt.csv", alice)
    assert krs(objective)[0].target == Decimal(9)


OKR2GO = """# Become the easiest tool to start with

New teams should need no help to get going.

|  | Key result | current | target | contributors | comments |
| ---- | ---- | ---- | ---- | ---- | ---- |
| KR-1 | Publish starter templates | 5 | 5 | bob |  |
| KR-2 | Teams active in their first week | 30 | 60 | bob, oxisto | counted weekly |
| KR-3 | Guided tours finished | 7 | 10 | oxisto |  |

# Be known for great support

|  | Key result | current | target | contributors | comments |
| ---- | ---- | ---- | ---- | ---- | ---- |
| KR-1 | Answer within a day | 80 | 95 |  |  |
"""


def test_okr2go_markdown(org, team, cycle, alice, bob):
    preview = preview_of(org, OKR2GO.encode(), "okrs.md", alice, unit=team)
    assert preview.layout == "okr2go"
    assert [w.row for w in preview.warnings] == [9]  # "oxisto" is nobody here
    first, second = import_file(org, OKR2GO.encode(), "okrs.md", alice, unit=team)
    assert first.title == "Become the easiest tool to start with"
    assert first.description == "New teams should need no help to get going."
    templates, active, tours = krs(first)
    assert (templates.kind, templates.start, templates.target, templates.current) == (
        "reach",
        Decimal(0),
        Decimal(5),
        Decimal(5),
    )
    assert templates.owner == bob and active.owner == bob and tours.owner is None
    assert active.description == "counted weekly"
    assert second.title == "Be known for great support"
    assert krs(second)[0].current == Decimal(80)


def test_plain_markdown_pipe_table(org, team, cycle, alice):
    text = (
        "Some notes first.\n\n"
        "| Objective | Key result | Start | Target |\n"
        "|:--|:--|--:|--:|\n"
        "| **Fast pages** | p95 load time in ms | 2,400 | 800 |\n"
        "| **Fast pages** | Pages under budget \\| all | 40 | 95 |\n"
    )
    (objective,) = import_file(org, text.encode(), "t.md", alice, unit=team)
    assert objective.title == "Fast pages"
    load, budget = krs(objective)
    assert (load.kind, load.start) == ("decrease", Decimal(2400))
    assert budget.title == "Pages under budget | all"


def test_explicit_kinds_and_milestones(org, team, cycle, alice):
    text = (
        "Objective,Key result,Kind,Start,Target,Current\n"
        "Reliable,Uptime stays above 99.9,keep above,,99.9,99.95\n"
        "Reliable,Incidents at most 2,at most,,2,1\n"
        "Reliable,Status page live,milestone,,,yes\n"
    )
    (objective,) = import_file(org, text.encode(), "k.csv", alice, unit=team)
    above, below, milestone = krs(objective)
    assert (above.kind, above.start, above.target, above.current) == (
        "keep_above",
        None,
        Decimal("99.9"),
        Decimal("99.95"),
    )
    assert below.kind == "keep_below"
    assert (milestone.kind, milestone.current, milestone.progress) == (
        "milestone",
        Decimal(1),
        Decimal(1),
    )


def test_check_ins_are_recorded_once_per_key_result(org, team, cycle, alice):
    objective, _other = import_file(org, ONE_PER_KR.encode(), "x.csv", alice)
    assert CheckIn.objects.filter(key_result__objective=objective).count() == 1
