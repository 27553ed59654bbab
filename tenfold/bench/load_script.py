"""The wrk side of `tenfold load`: the generated Lua script and the reading of its result.

wrk sends what the script's `request()` returns. The script picks a kind of request by weight
(dashboard, tree, my week, API read, check-in …), then one prepared request of that kind, and
counts per kind what came back: the status codes, and the server's own time and query count
from the `Server-Timing` header. Each wrk thread drives exactly one connection, so a response
always belongs to the request that thread sent last; that is what makes per-kind figures exact.
At the end `done()` prints one line, a JSON document after a marker, which `parse_output` reads.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MARKER = "TENFOLD-LOAD-RESULT "


@dataclass(frozen=True)
class Call:
    """One prepared HTTP request of the workload."""

    kind: str
    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str = ""


def lua_string(text: str) -> str:
    """A Lua string literal for any text (decimal escapes for everything unusual)."""
    out = []
    for char in text.encode():
        if char in (0x22, 0x5C) or char < 0x20 or char > 0x7E:
            out.append(f"\\{char:03d}")
        else:
            out.append(chr(char))
    return '"' + "".join(out) + '"'


def _lua_call(call: Call) -> str:
    headers = ", ".join(
        f"[{lua_string(name)}] = {lua_string(value)}"
        for name, value in sorted(call.headers.items())
    )
    body = lua_string(call.body) if call.body else "nil"
    return (
        f"{{method = {lua_string(call.method)}, path = {lua_string(call.path)}, "
        f"headers = {{{headers}}}, body = {body}}}"
    )


_RUNTIME = r"""
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local total_weight = 0
for _, kind in ipairs(kinds) do total_weight = total_weight + kind.weight end
local last = nil
stats = {}

function init(args)
  math.randomseed(seed * 1000 + id)
  for _, kind in ipairs(kinds) do
    for _, call in ipairs(kind.calls) do
      call.raw = wrk.format(call.method, call.path, call.headers, call.body)
    end
  end
end

function request()
  local pick = math.random() * total_weight
  local chosen = kinds[#kinds]
  for _, kind in ipairs(kinds) do
    if pick < kind.weight then chosen = kind break end
    pick = pick - kind.weight
  end
  last = chosen.name
  return chosen.calls[math.random(#chosen.calls)].raw
end

local function add(key, amount)
  stats[key] = (stats[key] or 0) + amount
end

function response(status, headers, body)
  if last == nil then return end
  local prefix = last .. "|"
  add(prefix .. "requests", 1)
  add(prefix .. "status|" .. status, 1)
  if status < 200 or status > 399 then add(prefix .. "errors", 1) end
  local timing = headers["Server-Timing"] or headers["server-timing"]
  if timing then
    local app = tonumber(string.match(timing, "app;dur=([%d%.]+)"))
    local db = tonumber(string.match(timing, "db;dur=([%d%.]+)"))
    local queries = tonumber(string.match(timing, "queries=(%d+)"))
    local cpu = tonumber(string.match(timing, "cpu;dur=([%d%.]+)"))
    if app then
      -- server time in 0.5 ms steps: enough for percentiles, small to carry between threads
      add(prefix .. "app|" .. math.floor(app * 2), 1)
      add(prefix .. "timed", 1)
    end
    if db then add(prefix .. "db", db) end
    if queries then add(prefix .. "queries", queries) end
    if cpu then add(prefix .. "cpu", cpu) end
  end
  last = nil
end

local function encode(value)
  local kind = type(value)
  if kind == "number" then return string.format("%.6f", value) end
  if kind == "string" then return string.format("%q", value) end
  if kind == "table" then
    local parts = {}
    for k, v in pairs(value) do
      table.insert(parts, string.format("%q", tostring(k)) .. ":" .. encode(v))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

-- Only flat tables of numbers cross between wrk's threads: copying nested ones crashes wrk 4.1.
local function merge(into, from)
  for k, v in pairs(from) do into[k] = (into[k] or 0) + v end
end

function done(summary, latency, requests)
  local kinds_out = {}
  for _, thread in ipairs(threads) do merge(kinds_out, thread:get("stats")) end
  local result = {
    duration_us = summary.duration,
    requests = summary.requests,
    bytes = summary.bytes,
    errors = {
      connect = summary.errors.connect, read = summary.errors.read,
      write = summary.errors.write, status = summary.errors.status,
      timeout = summary.errors.timeout,
    },
    latency_us = {
      p50 = latency:percentile(50.0), p90 = latency:percentile(90.0),
      p95 = latency:percentile(95.0), p99 = latency:percentile(99.0),
      mean = latency.mean, max = latency.max,
    },
    kinds = kinds_out,
  }
  io.write("\n" .. marker .. encode(result) .. "\n")
end
"""


def lua_script(calls: Iterable[Call], weights: Mapping[str, float], *, seed: int = 1) -> str:
    """The wrk script for these calls, each kind drawn with its weight (kinds without calls or
    without weight are left out)."""
    by_kind: dict[str, list[Call]] = {}
    for call in calls:
        by_kind.setdefault(call.kind, []).append(call)
    kinds = [
        (name, weight, by_kind[name])
        for name, weight in weights.items()
        if weight > 0 and by_kind.get(name)
    ]
    if not kinds:
        raise ValueError("no request to send")
    lines = [
        "-- Generated by `tenfold load`: the mixed workload, one request kind drawn by weight.",
        f"seed = {int(seed)}",
        f"marker = {lua_string(MARKER)}",
        "kinds = {",
    ]
    for name, weight, kind_calls in kinds:
        lines.append(f"  {{name = {lua_string(name)}, weight = {weight:.6f}, calls = {{")
        lines.extend(f"    {_lua_call(call)}," for call in kind_calls)
        lines.append("  }},")
    lines.append("}")
    return "\n".join(lines) + "\n" + _RUNTIME


# --- reading the result ---------------------------------------------------------------------------


def percentile_of_buckets(
    buckets: Mapping[str, float], fraction: float, step: float = 0.5
) -> float:
    """The `fraction` quantile (0–1) of a histogram {bucket index: count} in `step` ms, taken as
    the upper edge of the bucket it falls in."""
    counts = sorted((int(key), value) for key, value in buckets.items() if value)
    total = sum(value for _, value in counts)
    if not total:
        return 0.0
    rank = max(1, math.ceil(fraction * total))
    seen = 0.0
    for index, value in counts:
        seen += value
        if seen >= rank:
            return (index + 1) * step
    return (counts[-1][0] + 1) * step  # pragma: no cover - rank never exceeds the total


def unflatten(flat: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """{"objective|status|200": 3, "objective|app|24": 1, "objective|db": 4.2} →
    {"objective": {"statuses": {"200": 3}, "app_ms": {"24": 1}, "db_ms": 4.2}}."""
    kinds: dict[str, dict[str, Any]] = {}
    names = {"status": "statuses", "app": "app_ms", "db": "db_ms", "cpu": "cpu_ms"}
    for key, value in flat.items():
        kind, _bar, rest = key.partition("|")
        field_name, _bar, sub = rest.partition("|")
        stats = kinds.setdefault(kind, {"statuses": {}, "app_ms": {}})
        name = names.get(field_name, field_name)
        if sub:
            stats[name][sub] = stats[name].get(sub, 0) + value
        else:
            stats[name] = stats.get(name, 0) + value
    return kinds


def _int(value: Any) -> int:
    return round(float(value or 0))


def parse_output(text: str) -> dict[str, Any]:
    """Turn wrk's output (with the script's result line) into the figures `tenfold load`
    reports: requests/s, latency percentiles in ms, errors by cause, and per request kind."""
    line = next(
        (line for line in reversed(text.splitlines()) if line.startswith(MARKER)),
        None,
    )
    if line is None:
        raise ValueError("wrk printed no result line; did the script run?")
    raw = json.loads(line[len(MARKER) :])
    duration_s = float(raw["duration_us"]) / 1e6
    requests = _int(raw["requests"])
    socket = {name: _int(raw["errors"].get(name)) for name in ("connect", "read", "write")}
    timeouts = _int(raw["errors"].get("timeout"))
    kinds: list[dict[str, Any]] = []
    non_ok = 0
    for name, stats in sorted(unflatten(raw.get("kinds", {})).items()):
        count = _int(stats.get("requests"))
        if not count:
            continue
        failed = _int(stats.get("errors"))
        non_ok += failed
        timed = _int(stats.get("timed"))
        buckets = stats.get("app_ms", {})
        server_total = sum((int(k) + 0.25) * 0.5 * v for k, v in buckets.items()) if timed else 0
        kinds.append(
            {
                "name": name,
                "requests": count,
                "share": round(count / requests, 4) if requests else 0.0,
                "errors": failed,
                "statuses": {k: _int(v) for k, v in sorted(stats.get("statuses", {}).items())},
                "server_p50_ms": percentile_of_buckets(buckets, 0.50) if timed else None,
                "server_p95_ms": percentile_of_buckets(buckets, 0.95) if timed else None,
                "server_mean_ms": round(server_total / timed, 2) if timed else None,
                "db_mean_ms": round(float(stats.get("db_ms", 0)) / timed, 2) if timed else None,
                "cpu_mean_ms": (
                    round(float(stats["cpu_ms"]) / timed, 2)
                    if timed and "cpu_ms" in stats
                    else None
                ),
                "queries_mean": round(float(stats.get("queries", 0)) / timed, 1) if timed else None,
            }
        )
    latency = {
        key: round(float(raw["latency_us"][key]) / 1000, 2)
        for key in ("p50", "p90", "p95", "p99", "mean", "max")
    }
    errors: dict[str, int] = {
        "socket": sum(socket.values()),
        "timeouts": timeouts,
        "non_2xx_3xx": non_ok,
        **{f"socket_{name}": value for name, value in socket.items()},
    }
    errors["total"] = errors["socket"] + timeouts + non_ok
    return {
        "duration_s": round(duration_s, 2),
        "requests": requests,
        "requests_per_s": round(requests / duration_s, 1) if duration_s else 0.0,
        "latency_ms": latency,
        "errors": errors,
        "endpoints": kinds,
    }
