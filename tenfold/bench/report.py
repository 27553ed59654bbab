"""The benchmark's results: the JSON document, the Markdown table and the size check."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from .measure import REBUILT


def machine_notes() -> dict[str, Any]:
    """What the figures were measured on, so two runs can be compared fairly."""
    notes: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    notes["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/loadavg", encoding="utf-8") as loadavg:
            notes["load_average"] = float(loadavg.read().split()[0])
    except OSError:  # not Linux: the other notes still hold
        pass
    return notes


def size_differences(
    measured: Mapping[str, int], baseline: Mapping[str, int]
) -> list[tuple[str, int, int]]:
    """Items whose query count differs between the two sizes: (name, baseline, measured)."""
    return [
        (name, baseline[name], count)
        for name, count in measured.items()
        if name in baseline and baseline[name] != count
    ]


def _cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _queries(name: str, count: int | None, baseline: Mapping[str, Any]) -> str:
    """A query count, with the smaller organization's when it differs."""
    text = _cell(count)
    small = baseline.get("queries", {}).get(name)
    if small is not None and small != count:
        text += " " + _("(%(count)s at %(people)s)") % {
            "count": small,
            "people": f"{baseline['people']:,}",
        }
    return text


def markdown(result: Mapping[str, Any]) -> str:
    """The results as a Markdown table with a few lines of context."""
    lines = [
        _("Tenfold benchmark: %(people)s people on %(vendor)s, %(date)s")
        % {"people": f"{result['people']:,}", "vendor": result["database"], "date": result["date"]},
        "",
        "| "
        + " | ".join(
            [
                _("Item"),
                "p50 ms",
                "p95 ms",
                _("rebuilt p50 ms"),
                _("rebuilt p95 ms"),
                _("Queries"),
                _("Floor ms"),
                _("× floor"),
                "n",
            ]
        )
        + " |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    baseline = result.get("baseline") or {}
    for row in result["items"]:
        if row.get("error"):
            lines.append(
                f"| {row['name']} | "
                + _("failed")
                + f" | – | – | – | – | {_cell(row['floor_ms'], 2)} | – | 0 |"
            )
            continue
        queries = _queries(row["name"], row["queries"], baseline)
        if row.get("queries_vary"):
            queries += " " + _("(varies)")
        ratio = _cell(row["ratio"])
        if row.get("rebuilt_n"):
            queries += " / " + _queries(row["name"] + REBUILT, row["rebuilt_queries"], baseline)
            ratio += " / " + _cell(row["rebuilt_ratio"])
        lines.append(
            "| "
            + " | ".join(
                [
                    row["name"],
                    _cell(row["p50_ms"]),
                    _cell(row["p95_ms"]),
                    _cell(row.get("rebuilt_p50_ms")),
                    _cell(row.get("rebuilt_p95_ms")),
                    queries,
                    _cell(row["floor_ms"], 2),
                    ratio,
                    str(row["n"]),
                ]
            )
            + " |"
        )
    if any(row.get("rebuilt_n") for row in result["items"]):
        lines.append("")
        lines.append(
            _(
                "Rebuilt: the same request right after a change, when a kept page is built "
                "again from the database (queries and × floor show kept / rebuilt)."
            )
        )
    lines.append("")
    for row in result["items"]:
        if row.get("error"):
            lines.append(
                _("%(name)s failed: %(error)s") % {"name": row["name"], "error": row["error"]}
            )
    timings = result.get("commands") or {}
    if timings:
        lines.append(
            _("Commands: %(list)s.")
            % {"list": ", ".join(f"{name} {_cell(seconds)} s" for name, seconds in timings.items())}
        )
    workers = result.get("workers_rss_mb") or []
    if workers:
        lines.append(
            _("Server workers' resident memory after the run: %(list)s MB.")
            % {"list": ", ".join(_cell(mb) for mb in workers)}
        )
    if baseline:
        differing = baseline.get("differing") or []
        if differing:
            lines.append(
                _("Query counts differ between %(small)s and %(large)s people: %(items)s.")
                % {
                    "small": f"{baseline['people']:,}",
                    "large": f"{result['people']:,}",
                    "items": ", ".join(differing),
                }
            )
        else:
            lines.append(
                _("Every query count is the same at %(small)s and %(large)s people.")
                % {"small": f"{baseline['people']:,}", "large": f"{result['people']:,}"}
            )
    return "\n".join(lines) + "\n"
