"""The pure rules of `tenfold.lib.feeds`: JSON paths, CSV cells, numbers, the SQL guard,
schedules and secrets — no database, no network."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tenfold.lib import feeds
from tenfold.lib.feeds import FeedError
from tenfold.lib.schedule import zone

DOC = """{
  "data": {
    "metrics": [{"name": "signups", "value": 31.5}, {"name": "churn", "value": "2.25"}],
    "total": 1200,
    "odd key.with dots": {"n": 7},
    "flag": true,
    "nothing": null,
    "text": "n/a",
    "nested": {"list": [1, 2, 3]}
  }
}"""


# --- paths --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("data.metrics[0].value", ["data", "metrics", 0, "value"]),
        ("$.data.metrics[0].value", ["data", "metrics", 0, "value"]),
        ("$data.total", ["data", "total"]),
        ("data['odd key.with dots'].n", ["data", "odd key.with dots", "n"]),
        ('data["odd key.with dots"]["n"]', ["data", "odd key.with dots", "n"]),
        ("[0]", [0]),
        ("data.metrics[-1]", ["data", "metrics", -1]),
        ("  data.total  ", ["data", "total"]),
        ("", []),
        ("$", []),
    ],
)
def test_paths_are_read_into_steps(path, steps):
    assert feeds.parse_path(path) == steps


@pytest.mark.parametrize("path", ["data..total", "data.", "data[x]", "data[0", "a b", "data.[0]"])
def test_unreadable_paths_say_where_they_break(path):
    with pytest.raises(FeedError, match="cannot be read at"):
        feeds.parse_path(path)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("data.metrics[0].value", Decimal("31.5")),
        ("$.data.metrics[1].value", Decimal("2.25")),  # numbers as text count
        ("data.metrics[-1].value", Decimal("2.25")),
        ("data.total", Decimal(1200)),
        ("data['odd key.with dots'].n", Decimal(7)),
        ("data.nested.list.2", Decimal(3)),  # a dotted index into a list also works
    ],
)
def test_json_values_are_found(path, value):
    assert feeds.extract_json(DOC, path) == value


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("data.metric[0].value", "has no “metric”"),
        ("data.metrics[5].value", r"has 2 items; there is no item \[5\]"),
        ("data.total[0]", "is not a list"),
        ("data.total.value", "is not an object"),
        ("data.flag", "Found true where a number was expected"),
        ("data.nothing", "Found null"),
        ("data.text", "“n/a” is not a number"),
        ("data.metrics", "Found a list"),
        ("data", "Found an object"),
    ],
)
def test_json_problems_are_explained(path, message):
    with pytest.raises(FeedError, match=message):
        feeds.extract_json(DOC, path)


def test_a_missing_key_lists_the_keys_that_are_there():
    with pytest.raises(FeedError) as caught:
        feeds.extract_json(DOC, "data.totl")
    assert "$.data has no “totl”" in str(caught.value)
    assert "total" in str(caught.value) and "metrics" in str(caught.value)


def test_a_bare_number_document_needs_no_path():
    assert feeds.extract_json("42.5", "") == Decimal("42.5")


def test_invalid_json_is_refused():
    with pytest.raises(FeedError, match="not valid JSON"):
        feeds.extract_json("<html>", "data")


def test_big_json_numbers_keep_their_precision():
    assert feeds.extract_json('{"v": 0.1}', "v") == Decimal("0.1")  # not 0.1000000000000000055


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (12, Decimal(12)),
        (12.5, Decimal("12.5")),
        ("  -3 ", Decimal(-3)),
        ("+7.25", Decimal("7.25")),
        ("1e3", Decimal(1000)),
        (".5", Decimal("0.5")),
        ("1.234567", Decimal("1.2346")),  # rounded to the four places a key result keeps
        ("-0", Decimal(0)),
    ],
)
def test_numbers_are_read(raw, number):
    assert feeds.to_number(raw) == number


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12,5", "use a dot for decimals"),
        ("12 %", "is not a number"),
        ("", "is not a number"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        (True, "Found true"),
        (None, "Found null"),
        ("1e20", "too large"),
    ],
)
def test_things_that_are_not_numbers_are_refused(raw, message):
    with pytest.raises(FeedError, match=message):
        feeds.to_number(raw)


# --- CSV ----------------------------------------------------------------------------------------

CSV = "day,signups,region\n2026-11-01,10,EU\n2026-11-02,20,US\n2026-11-03,30,EU\n"


@pytest.mark.parametrize(
    ("options", "value"),
    [
        ({"column": "signups"}, Decimal(30)),  # the last row by default
        ({"column": "SIGNUPS", "row": "first"}, Decimal(10)),  # names match without case
        ({"column": "2", "row": "2"}, Decimal(20)),  # a position, counting from 1
        ({"column": "signups", "where": "region=EU", "row": "first"}, Decimal(10)),
        ({"column": "signups", "where": "region=US"}, Decimal(20)),
        ({"column": "signups", "where": " region = EU ", "row": "last"}, Decimal(30)),
    ],
)
def test_csv_cells_are_found(options, value):
    assert feeds.extract_csv(CSV, **options) == value


def test_semicolons_tabs_and_a_bom_are_understood():
    assert feeds.extract_csv("\ufeffa;b\n1;2,5\n3;4\n", column="b") == Decimal(4)
    assert feeds.extract_csv("a\tb\n1\t2\n", column="a") == Decimal(1)


def test_without_a_header_row_columns_are_positions():
    text = "1,10\n2,20\n"
    assert feeds.extract_csv(text, column="2", header=False) == Decimal(20)
    assert feeds.extract_csv(text, column="2", row="1", header=False) == Decimal(10)
    with pytest.raises(FeedError, match="position from 1 to 2"):
        feeds.extract_csv(text, column="signups", header=False)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"column": "visits"}, "no column “visits” .*day, signups, region"),
        ({"column": "signups", "row": "9"}, "only 3 rows"),
        ({"column": "signups", "row": "0"}, "counting from 1"),
        ({"column": "signups", "row": "middle"}, "counting from 1"),
        ({"column": "signups", "where": "region=APAC"}, "No row has region = “APAC”"),
        ({"column": "signups", "where": "region"}, "column=value"),
        ({"column": "region"}, "“EU” is not a number"),
        ({"column": ""}, "which column"),
    ],
)
def test_csv_problems_are_explained(options, message):
    with pytest.raises(FeedError, match=message):
        feeds.extract_csv(CSV, **options)


def test_an_empty_cell_or_an_empty_file_is_refused():
    with pytest.raises(FeedError, match="cell is empty"):
        feeds.extract_csv("a,b\n1,\n", column="b")
    with pytest.raises(FeedError, match="no data rows"):
        feeds.extract_csv("a,b\n", column="b")


# --- HTML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "html"),
    [
        ("<!DOCTYPE html><html></html>", "text/plain", True),
        ("\n  <html lang=en>", "", True),
        ('{"a": 1}', "text/html", True),
        ('{"a": 1}', "application/json", False),
        ("a,b\n1,2", "text/csv", False),
    ],
)
def test_web_pages_are_recognised(body, content_type, html):
    assert feeds.looks_like_html(body, content_type) is html


# --- SQL ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("SELECT count(*) FROM signups", "SELECT count(*) FROM signups"),
        ("  select 1 ;  ", "select 1"),
        ("WITH t AS (SELECT 1 AS n) SELECT n FROM t", None),
        ('SELECT "update" FROM t', None),  # a quoted name is not a keyword
        ("SELECT count(*) FROM t WHERE kind = 'delete; drop'", None),
        ("SELECT 1 -- it's fine, and so is ; here", None),
        ("SELECT /* insert */ 1", None),
        ("SELECT count(*) FROM t WHERE x = $$a; delete$$", None),
        ("SELECT updated_at FROM t", None),  # words only match whole
    ],
)
def test_read_queries_pass(query, kept):
    assert feeds.check_select(query) == (kept or query.strip())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("INSERT INTO t VALUES (1)", "start it with SELECT or WITH"),
        ("DELETE FROM t", "start it with SELECT or WITH"),
        ("UPDATE t SET n = 1", "start it with SELECT or WITH"),
        ("WITH gone AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM gone", "“DELETE”"),
        ("WITH x AS (UPDATE t SET n = 1 RETURNING n) SELECT sum(n) FROM x", "“UPDATE”"),
        ("SELECT 1; DELETE FROM t", "Only one statement"),
        ("SELECT 1; SELECT 2", "Only one statement"),
        ("SELECT * INTO copy FROM t", "“INTO”"),
        ("SELECT n FROM t FOR UPDATE", "“UPDATE”"),
        ("SELECT nextval('seq')", "“nextval”"),
        ("SELECT pg_terminate_backend(1)", "“pg_terminate_backend”"),
        ("SELECT lo_import('/etc/passwd')", "“lo_import”"),
        ("SELECT 'open", "unclosed"),
        ("SELECT 1 /* open", "unclosed"),
        ("", "Write the SELECT"),
        ("-- only a comment", "start it with SELECT"),
        ("PRAGMA writable_schema = 1", "start it with SELECT"),
        ("ATTACH DATABASE 'x.db' AS x", "start it with SELECT"),
    ],
)
def test_anything_that_could_write_is_refused(query, message):
    with pytest.raises(FeedError, match=message):
        feeds.check_select(query)


def test_very_long_queries_are_refused():
    with pytest.raises(FeedError, match="under"):
        feeds.check_select("SELECT " + "1 + " * 5000 + "1")


@pytest.mark.parametrize(
    ("rows", "value"),
    [([(42,)], Decimal(42)), ([(Decimal("3.5"),)], Decimal("3.5")), ([("7",)], Decimal(7))],
)
def test_a_query_answers_one_number(rows, value):
    assert feeds.single_value(rows) == value


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "no rows"),
        ([(1,), (2,)], "more than one row"),
        ([(1, 2)], "2 columns"),
        ([(None,)], "NULL"),
        ([("many",)], "not a number"),
    ],
)
def test_other_query_answers_are_explained(rows, message):
    with pytest.raises(FeedError, match=message):
        feeds.single_value(rows)


# --- schedules ----------------------------------------------------------------------------------

BERLIN = zone("Europe/Berlin")
SUNDAY_NOON = dt.datetime(2026, 11, 15, 12, 30, tzinfo=dt.UTC)  # 13:30 in Berlin


@pytest.mark.parametrize(
    ("schedule", "hour", "weekday", "expected"),
    [
        ("hourly", 0, 0, dt.datetime(2026, 11, 15, 13, 0, tzinfo=dt.UTC)),
        ("daily", 14, 0, dt.datetime(2026, 11, 15, 13, 0, tzinfo=dt.UTC)),  # 14:00 Berlin today
        ("daily", 9, 0, dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)),  # 9:00 tomorrow
        ("weekly", 9, 0, dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)),  # Monday
        ("weekly", 9, 6, dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)),  # next Sunday
        ("weekly", 14, 6, dt.datetime(2026, 11, 15, 13, 0, tzinfo=dt.UTC)),  # later today
    ],
)
def test_next_runs_follow_the_schedule_in_local_time(schedule, hour, weekday, expected):
    assert feeds.next_run(SUNDAY_NOON, schedule, hour=hour, weekday=weekday, tz=BERLIN) == expected


def test_the_next_run_is_always_strictly_later():
    at_nine = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)
    assert feeds.next_run(at_nine, "daily", hour=9, tz=BERLIN) == at_nine + dt.timedelta(days=1)
    on_the_hour = dt.datetime(2026, 11, 16, 8, 0, tzinfo=dt.UTC)
    assert feeds.next_run(on_the_hour, "hourly", tz=BERLIN) == on_the_hour + dt.timedelta(hours=1)


def test_daylight_saving_keeps_the_local_hour():
    # Berlin leaves summer time on 25 October 2026: 6:00 local is 4:00 UTC before, 5:00 after.
    before = dt.datetime(2026, 10, 24, 12, 0, tzinfo=dt.UTC)
    assert feeds.next_run(before, "daily", hour=6, tz=BERLIN) == dt.datetime(
        2026, 10, 25, 5, 0, tzinfo=dt.UTC
    )


# --- secrets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("connection", "shown"),
    [
        ("postgresql://reader:s3cret@db:5432/m", "postgresql://reader:••••@db:5432/m"),
        ("postgres://reader@db/m", "postgres://reader@db/m"),
        ("host=db user=r password=s3cret dbname=m", "host=db user=r password=•••• dbname=m"),
        ("host=db password='a b' dbname=m", "host=db password=•••• dbname=m"),
        ("sqlite:///metrics.db", "sqlite:///metrics.db"),
    ],
)
def test_passwords_are_masked(connection, shown):
    assert feeds.mask_connection(connection) == shown


def test_headers_are_read_one_per_line():
    text = "Authorization: Bearer abc:def\n\nX-Team:  growth "
    assert feeds.parse_headers(text) == {"Authorization": "Bearer abc:def", "X-Team": "growth"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Authorization Bearer", "Line 1"),
        ("Bad Name: x", "Line 1"),
        ("Host: evil.example", "set by Tenfold"),
        ("X-A: 1\nX-B: a\x07b", "Line 2: the value has a control character"),
    ],
)
def test_bad_headers_are_refused(text, message):
    with pytest.raises(FeedError, match=message):
        feeds.parse_headers(text)
