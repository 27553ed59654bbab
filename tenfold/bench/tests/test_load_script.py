"""The wrk side of `tenfold load`: the generated Lua script and the reading of its result."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tenfold.bench.load_script import (
    MARKER,
    Call,
    lua_script,
    lua_string,
    parse_output,
    percentile_of_buckets,
    unflatten,
)


def test_lua_strings_escape_quotes_backslashes_and_non_ascii():
    assert lua_string('say "hi"\\') == '"say \\034hi\\034\\092"'
    assert lua_string("a\nb") == '"a\\010b"'
    assert lua_string("é") == '"\\195\\169"'


def test_the_script_holds_each_kind_with_its_weight_and_leaves_out_the_rest():
    calls = [
        Call("page", "GET", "/a/", {"Cookie": "sessionid=x"}),
        Call("page", "GET", "/b/"),
        Call("write", "POST", "/c/", {"X-CSRFToken": "t"}, "v=1"),
        Call("unweighted", "GET", "/d/"),
    ]
    script = lua_script(calls, {"page": 95, "write": 5, "missing": 10, "unweighted": 0}, seed=7)
    assert "seed = 7" in script
    assert 'name = "page", weight = 95.000000' in script
    assert 'name = "write", weight = 5.000000' in script
    assert '"missing"' not in script and '"unweighted"' not in script
    assert 'path = "/c/", headers = {["X-CSRFToken"] = "t"}, body = "v=1"' in script
    assert 'path = "/b/", headers = {}, body = nil' in script


def test_a_script_without_any_request_is_refused():
    with pytest.raises(ValueError):
        lua_script([Call("page", "GET", "/")], {"page": 0})


def test_percentiles_come_from_half_millisecond_buckets():
    buckets = {"20": 50, "40": 45, "400": 5}  # 10 ms, 20 ms and 200 ms
    assert percentile_of_buckets(buckets, 0.5) == 10.5
    assert percentile_of_buckets(buckets, 0.95) == 20.5
    assert percentile_of_buckets(buckets, 0.99) == 200.5
    assert percentile_of_buckets({}, 0.5) == 0.0


def test_flat_counters_are_put_back_together_per_kind():
    kinds = unflatten(
        {
            "tree|requests": 3,
            "tree|status|200": 2,
            "tree|status|500": 1,
            "tree|app|8": 3,
            "tree|db": 1.5,
        }
    )
    assert kinds == {
        "tree": {
            "requests": 3,
            "statuses": {"200": 2, "500": 1},
            "app_ms": {"8": 3},
            "db_ms": 1.5,
        }
    }


def _output(kinds: dict, errors: dict | None = None) -> str:
    document = {
        "duration_us": 10_000_000.0,
        "requests": 3000.0,
        "bytes": 1.0,
        "errors": {
            "connect": 0,
            "read": 0,
            "write": 0,
            "status": 0,
            "timeout": 0,
            **(errors or {}),
        },
        "latency_us": {
            "p50": 20000,
            "p90": 50000,
            "p95": 80000,
            "p99": 150000,
            "mean": 25000,
            "max": 400000,
        },
        "kinds": kinds,
    }
    return (
        "Running 10s test @ http://127.0.0.1:1/\n  16 threads\n"
        + MARKER
        + json.dumps(document)
        + "\n"
    )


def test_the_result_gives_rate_latency_errors_and_each_kind():
    result = parse_output(
        _output(
            {
                "my_week|requests": 2000.0,
                "my_week|status|200": 2000.0,
                "my_week|timed": 2000.0,
                "my_week|app|40": 2000.0,
                "my_week|db": 8000.0,
                "my_week|queries": 24000.0,
                "my_week|cpu": 14000.0,
                "checkin|requests": 1000.0,
                "checkin|status|200": 990.0,
                "checkin|status|500": 10.0,
                "checkin|errors": 10.0,
            },
            errors={"timeout": 2, "read": 1, "status": 10},
        )
    )
    assert result["requests_per_s"] == 300.0
    assert result["latency_ms"] == {
        "p50": 20.0,
        "p90": 50.0,
        "p95": 80.0,
        "p99": 150.0,
        "mean": 25.0,
        "max": 400.0,
    }
    # wrk's own status count (>399) is the same responses as the script's: counted once
    assert result["errors"]["total"] == 1 + 2 + 10
    assert result["errors"]["non_2xx_3xx"] == 10
    week, checkin = (
        next(e for e in result["endpoints"] if e["name"] == name) for name in ("my_week", "checkin")
    )
    assert week["share"] == pytest.approx(2 / 3, abs=1e-3)
    assert (
        week["server_p95_ms"] == 20.5 and week["db_mean_ms"] == 4.0 and week["queries_mean"] == 12
    )
    assert week["cpu_mean_ms"] == 7.0
    assert checkin["statuses"] == {"200": 990, "500": 10} and checkin["errors"] == 10
    assert checkin["server_p50_ms"] is None  # no Server-Timing header came back


def test_output_without_the_result_line_is_an_error():
    with pytest.raises(ValueError, match="no result line"):
        parse_output("Running 10s test\n")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status = 404 if self.path == "/missing/" else 200
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Server-Timing", 'app;dur=12.30, db;dur=2.00;desc="queries=4"')
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(
    shutil.which("wrk") is None, reason="wrk is not installed (apt-get install wrk)"
)
def test_wrk_runs_the_script_and_its_result_reads_back(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        script = tmp_path / "load.lua"
        calls = [
            Call("page", "GET", "/a/", {"Cookie": "sessionid=1"}),
            Call("gone", "GET", "/missing/"),
            Call(
                "write", "POST", "/w/", {"Content-Type": "application/x-www-form-urlencoded"}, "v=1"
            ),
        ]
        script.write_text(lua_script(calls, {"page": 80, "gone": 10, "write": 10}))
        port = server.server_address[1]
        finished = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                "2",
                "-d",
                "1s",
                "-s",
                str(script),
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    finally:
        server.shutdown()
    result = parse_output(finished.stdout)
    kinds = {row["name"]: row for row in result["endpoints"]}
    assert set(kinds) == {"page", "gone", "write"}
    assert sum(row["requests"] for row in kinds.values()) == result["requests"] > 0
    assert kinds["gone"]["errors"] == kinds["gone"]["requests"] and kinds["page"]["errors"] == 0
    assert result["errors"]["non_2xx_3xx"] == kinds["gone"]["requests"]
    assert kinds["page"]["server_p50_ms"] == 12.5 and kinds["page"]["queries_mean"] == 4
