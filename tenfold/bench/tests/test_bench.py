"""tenfold bench: its statistics, report, size check, argument errors, targets and floors.

The run from start to end (seeding, serving, measuring over HTTP) is in test_bench_e2e.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenfold.bench.floors import FLOORS, FloorDatabase, floor_params, measure_floor
from tenfold.bench.management.commands.bench import failure_message
from tenfold.bench.measure import Item, Measured, Response, Sample, items_for, summarize
from tenfold.bench.report import markdown, size_differences
from tenfold.bench.run import vendor_of, with_database_name
from tenfold.bench.stats import percentile
from tenfold.bench.targets import find
from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import KeyResult

# --- statistics ---------------------------------------------------------------------------------


def test_the_median_of_an_odd_count_is_the_middle_value() -> None:
    assert percentile([9.0, 1.0, 5.0], 50) == 5.0


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5


def test_p95_interpolates_between_the_nearest_ranks() -> None:
    samples = [float(n) for n in range(1, 31)]  # 1 … 30
    assert percentile(samples, 95) == pytest.approx(28.55)
    assert percentile(samples, 100) == 30.0
    assert percentile(samples, 0) == 1.0


def test_one_sample_is_every_percentile() -> None:
    assert percentile([7.5], 50) == percentile([7.5], 95) == 7.5


@pytest.mark.parametrize(("samples", "q"), [([], 50), ([1.0], 101), ([1.0], -1)])
def test_it_refuses_no_samples_or_a_percentile_out_of_range(samples: list[float], q: float) -> None:
    with pytest.raises(ValueError):
        percentile(samples, q)


# --- reading responses and summarizing ----------------------------------------------------------


def test_it_reads_the_server_time_and_query_count_of_a_response() -> None:
    answer = Response(
        200,
        {"server-timing": 'app;dur=12.41, db;dur=3.08;desc="queries=7"', "x-tenfold-queries": "7"},
        b"",
        14.0,
    )
    assert answer.server_ms == 12.41
    assert answer.queries == 7


def test_a_response_without_timing_has_none() -> None:
    answer = Response(200, {}, b"", 1.0)
    assert answer.server_ms is None
    assert answer.queries is None


def item(name: str = "unit page") -> Item:
    return Item(name, "page", "/acme/units/x/", "admin")


def test_a_summary_has_the_percentiles_and_the_query_count() -> None:
    sample = Sample(server_ms=[10.0, 20.0, 30.0], client_ms=[11.0, 21.0, 31.0], queries=[8, 8, 8])
    measured = summarize(item(), sample)
    assert (measured.p50_ms, measured.client_p50_ms, measured.n) == (20.0, 21.0, 3)
    assert measured.p95_ms == pytest.approx(29.0)
    assert measured.queries == 8
    assert not measured.queries_vary


def test_a_query_count_that_varies_is_flagged_and_the_highest_reported() -> None:
    sample = Sample(server_ms=[1.0, 1.0, 1.0], client_ms=[1.0, 1.0, 1.0], queries=[8, 9, 8])
    measured = summarize(item(), sample)
    assert measured.queries == 9
    assert measured.queries_vary
    assert measured.as_dict()["queries_vary"] is True


def test_the_ratio_is_the_p50_over_the_floor() -> None:
    measured = summarize(item(), Sample([10.0], [10.0], [3]))
    assert measured.as_dict()["ratio"] is None
    measured.floor_ms = 2.5
    row = measured.as_dict()
    assert (row["floor_ms"], row["ratio"]) == (2.5, 4.0)
    assert set(row) >= {"name", "p50_ms", "p95_ms", "queries", "floor_ms"}


# --- the size check -----------------------------------------------------------------------------


def test_equal_query_counts_at_both_sizes_pass() -> None:
    assert size_differences({"a": 5, "b": 7}, {"a": 5, "b": 7}) == []


def test_a_count_that_grows_with_size_is_named() -> None:
    assert size_differences({"a": 5, "b": 9}, {"a": 5, "b": 7}) == [("b", 7, 9)]


def test_a_count_that_shrinks_is_named_too_and_unknown_items_are_ignored() -> None:
    assert size_differences({"a": 4, "new": 3}, {"a": 5}) == [("a", 5, 4)]


# --- the Markdown report ------------------------------------------------------------------------


def result(**extra: Any) -> dict[str, Any]:
    return {
        "people": 10000,
        "database": "sqlite",
        "date": "2026-12-01T00:00:00+00:00",
        "items": [
            {
                "name": "company dashboard",
                "p50_ms": 41.234,
                "p95_ms": 60.0,
                "queries": 12,
                "queries_vary": False,
                "floor_ms": 9.5,
                "ratio": 4.3,
                "n": 30,
                "rebuilt_p50_ms": 150.0,
                "rebuilt_p95_ms": 171.25,
                "rebuilt_queries": 20,
                "rebuilt_ratio": 15.8,
                "rebuilt_n": 10,
            },
            {
                "name": "check-in write",
                "p50_ms": 80.0,
                "p95_ms": 95.5,
                "queries": 30,
                "queries_vary": True,
                "floor_ms": None,
                "ratio": None,
                "n": 30,
            },
        ],
        "commands": {"export": 12.345, "import": 30.0, "reconcile": 4.0},
        "workers_rss_mb": [140.2, 151.0],
        **extra,
    }


def test_the_table_has_a_row_per_item_with_its_figures() -> None:
    text = markdown(result())
    assert "10,000 people on sqlite" in text
    assert (
        "| Item | p50 ms | p95 ms | rebuilt p50 ms | rebuilt p95 ms | Queries | Floor ms "
        "| × floor | n |"
    ) in text
    assert (
        "| company dashboard | 41.2 | 60.0 | 150.0 | 171.2 | 12 / 20 | 9.50 | 4.3 / 15.8 | 30 |"
        in text
    )
    assert "| check-in write | 80.0 | 95.5 | – | – | 30 (varies) | – | – | 30 |" in text
    assert "Rebuilt: the same request right after a change" in text
    assert "export 12.3 s, import 30.0 s, reconcile 4.0 s" in text
    assert "140.2, 151.0 MB" in text


def test_the_table_names_the_counts_that_differ_at_the_baseline_size() -> None:
    baseline = {
        "people": 100,
        "queries": {
            "company dashboard": 11,
            "company dashboard (rebuilt)": 19,
            "check-in write": 30,
        },
        "differing": ["company dashboard", "company dashboard (rebuilt)"],
    }
    text = markdown(result(baseline=baseline))
    assert "| 12 (11 at 100) / 20 (19 at 100) |" in text
    assert (
        "differ between 100 and 10,000 people: company dashboard, company dashboard (rebuilt)."
    ) in text


def test_the_table_says_when_every_count_holds_at_both_sizes() -> None:
    baseline = {"people": 100, "queries": {"company dashboard": 12}, "differing": []}
    assert "same at 100 and 10,000 people" in markdown(result(baseline=baseline))


# --- arguments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"people": 0}, "--people must be between"),
        ({"people": 100, "baseline": 0}, "--baseline must be between"),
        ({"people": 100, "baseline": 100}, "different size"),
        ({"people": 100, "requests": 0}, "--requests must be at least 1"),
        ({"people": 100, "workers": 0}, "--workers must be at least 1"),
        ({"people": 100, "database": "mysql://x/y"}, "sqlite:///PATH or postgres://"),
    ],
)
def test_it_refuses_bad_arguments_before_doing_anything(
    arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("bench", **arguments)


def test_it_requires_a_size() -> None:
    with pytest.raises(CommandError, match="--people"):
        call_command("bench")


def test_it_knows_both_databases() -> None:
    assert vendor_of("sqlite:////tmp/b.sqlite3") == "sqlite"
    assert vendor_of("postgres://u@h:5432/db") == "postgresql"
    assert vendor_of("postgresql://u@h/db") == "postgresql"
    assert (
        with_database_name("postgres://u@h:5432/tenfold_bench", "postgres")
        == "postgres://u@h:5432/postgres"
    )


# --- targets, items and floors on a real organization -------------------------------------------


@pytest.fixture
def targets(key_result: KeyResult) -> dict[str, Any]:
    return find(key_result.organization.slug)


def test_it_finds_what_to_measure_in_an_organization(
    targets: dict[str, Any], key_result: KeyResult
) -> None:
    assert targets["exists"]
    assert targets["key_result"]["code"] == key_result.code
    assert targets["objective"]["code"] == key_result.objective.code
    assert targets["team"]["id"] == key_result.objective.unit_id
    assert targets["token"].startswith("tf_")
    assert targets["department"]["id"] in targets["department"]["subtree"]


def test_a_missing_organization_is_reported_as_missing(db: None) -> None:
    assert find("nobody-here") == {"exists": False}


def test_every_item_has_a_floor_and_the_check_in_sends_a_new_value(
    targets: dict[str, Any],
) -> None:
    items = items_for(targets)
    assert {i.name for i in items} == set(FLOORS)
    write = next(i for i in items if i.kind == "write")
    assert write.form is not None

    class Stub:
        csrf_token = "t"

    values = {write.form(n, Stub())[f"{targets['key_result']['code']}-value"] for n in range(5)}  # type: ignore[arg-type]
    assert len(values) == 5


def floor_database() -> FloorDatabase:
    connection.ensure_connection()
    return FloorDatabase.over(connection.connection, connection.vendor)


def test_every_read_floor_runs_and_reads_rows(targets: dict[str, Any]) -> None:
    database = floor_database()
    params = floor_params(targets)
    for floor in FLOORS.values():
        if floor.write:
            continue
        rows = database.run(floor.statements, params)
        assert rows > 0, floor.name


@pytest.mark.django_db(transaction=True)
def test_the_write_floor_records_a_check_in_and_puts_everything_back(
    key_result: KeyResult,
) -> None:
    targets = find(key_result.organization.slug)
    before = KeyResult.objects.values_list("current", "progress", "version").get(id=key_result.id)
    database = floor_database()
    times = measure_floor(
        database, FLOORS["check-in write"], floor_params(targets), runs=2, warmup=1
    )
    assert len(times) == 2 and all(t > 0 for t in times)
    assert not CheckIn.objects.filter(code__startswith="bench").exists()
    after = KeyResult.objects.values_list("current", "progress", "version").get(id=key_result.id)
    assert after == before


def test_a_failed_item_is_shown_as_failed_with_its_reason() -> None:
    failed = Measured.failed(item("my week"), "GET /acme/week/ got no answer within 60 s.")
    row = failed.as_dict()
    assert row["p50_ms"] is None and row["ratio"] is None and row["n"] == 0
    text = markdown(result(items=[row]))
    assert "| my week | failed | – | – | – | – | – | – | 0 |" in text
    assert "my week failed: GET /acme/week/ got no answer within 60 s." in text


def test_the_failure_message_names_failed_items_and_growing_counts() -> None:
    message = failure_message(
        result(
            failed=["my week"],
            baseline={"people": 100, "queries": {}, "differing": ["unit page", "API list"]},
        )
    )
    assert "Could not measure: my week." in message
    assert "unit page, API list differ between 100 and 10,000 people" in message


def test_a_key_result_without_a_start_is_checked_in_between_zero_and_its_target() -> None:
    code = {"code": "c", "id": 1}
    targets = {
        "org": {"slug": "acme"},
        "department": code,
        "team": code,
        "objective": code,
        "key_result": {"code": "kr", "start": None, "target": "200.0000"},
    }
    write = next(i for i in items_for(targets) if i.kind == "write")
    assert write.form is not None

    class Stub:
        csrf_token = "t"

    values = [Decimal(write.form(n, Stub())["kr-value"]) for n in range(100)]  # type: ignore[arg-type]
    assert all(0 <= value <= 200 for value in values)
    assert len(set(values)) > 50


def test_rebuilt_counts_join_the_size_check_under_their_own_name() -> None:
    from tenfold.bench.measure import Measured, all_counts

    kept = Measured("tree", "page", "/t/", 5.0, 6.0, 5.5, 9, False, 10, rebuilt_queries=14)
    plain = Measured("unit page", "page", "/u/", 5.0, 6.0, 5.5, 18, False, 10)
    counts = all_counts([kept, plain])
    assert counts == {"tree": 9, "tree (rebuilt)": 14, "unit page": 18}
    assert size_differences(counts, {"tree": 9, "tree (rebuilt)": 13}) == [
        ("tree (rebuilt)", 13, 14)
    ]
