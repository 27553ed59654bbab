"""`tenfold load`: the workload it prepares, the mix, the report, and what it says when wrk
is missing. (The run itself starts a server for tens of seconds: measured by hand, see
docs/benchmarks.md; the wrk script and its result are tested in test_load_script.py.)"""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tenfold.bench import load
from tenfold.bench.load_http import Visitor


def test_the_mix_adds_up_to_all_requests_with_the_write_share_on_top():
    weights = load.mix(0.05)
    assert sum(weights.values()) == pytest.approx(100)
    assert weights["checkin"] == pytest.approx(5)
    assert weights["my_week"] > weights["tree"] > 0


def test_a_write_share_of_one_or_more_is_refused():
    with pytest.raises(load.LoadError):
        load.mix(1.0)


def test_it_prepares_every_kind_of_request_for_the_signed_in_people(
    org, team, objective, key_result, bob, carol
):
    visitors = [Visitor(bob.email, "s-bob", "c-bob"), Visitor(carol.email, "s-carol", "c-carol")]
    calls = load.plan_calls(org, visitors, "tf_token", rng=random.Random(1))
    kinds = {call.kind for call in calls}
    assert kinds == {
        "dashboard",
        "tree",
        "tree_expand",
        "unit",
        "objective",
        "my_week",
        "api_list",
        "api_detail",
        "checkin",
    }
    by_path = {call.path: call for call in calls}
    assert by_path["/acme/week/"].headers["Cookie"] in {
        "sessionid=s-bob; csrftoken=c-bob",
        "sessionid=s-carol; csrftoken=c-carol",
    }
    assert f"/acme/objectives/{objective.code}/" in by_path
    assert by_path[f"/acme/tree/units/{team.parent.code}/"].headers["HX-Request"] == "true"
    assert by_path[f"/api/v1/orgs/acme/objectives/{objective.code}"].headers == {
        "Authorization": "Bearer tf_token"
    }
    checkins = [call for call in calls if call.kind == "checkin"]
    # bob owns the key result: his session and CSRF token post it, with values on the way
    assert {call.path for call in checkins} == {f"/acme/key-results/{key_result.code}/check-in/"}
    assert all(call.headers["X-CSRFToken"] == "c-bob" for call in checkins)
    assert {call.body.split("&")[0] for call in checkins} == {
        f"{key_result.code}-value=26.00",
        f"{key_result.code}-value=30.00",
        f"{key_result.code}-value=34.00",
    }


def test_the_largest_organization_is_measured_unless_one_is_named(org, other_org, team):
    chosen, people = load.choose_organization(None)
    assert (chosen, people) == (org, 4)
    assert load.choose_organization("globex")[0] == other_org
    with pytest.raises(load.LoadError, match="No organization at /nowhere/"):
        load.choose_organization("nowhere")


def test_the_report_shows_the_figures_and_the_targets():
    document = {
        "database": "sqlite",
        "organization": "acme",
        "people": 1000,
        "server": {"workers": 2, "threads": 4, "class": "gthread"},
        "connections": 16,
        "duration_s": 30,
        "requests_per_s": 312.4,
        "requests": 9372,
        "latency_ms": {"p50": 40.0, "p95": 120.5, "p99": 180.0},
        "errors": {"total": 0, "socket": 0, "timeouts": 0, "non_2xx_3xx": 0},
        "server_cpu_ms_per_request": 5.9,
        "worker_rss_mb": [120.5, 118.0],
        "targets": {"requests_per_s": {"met": True}, "p95_ms": {"met": False}},
        "endpoints": [
            {
                "name": "tree",
                "share": 0.08,
                "errors": 0,
                "server_p50_ms": 9.5,
                "server_p95_ms": 21.0,
                "db_mean_ms": 2.1,
                "queries_mean": 9.0,
                "one_client": {"server_p50_ms": 7.2},
            },
            {
                "name": "checkin",
                "share": 0.05,
                "errors": 0,
                "server_p50_ms": None,
                "server_p95_ms": None,
                "db_mean_ms": None,
                "queries_mean": None,
                "one_client": None,
            },
        ],
    }
    text = "\n".join(load.summary_lines(document))
    assert "312.4 requests/s" in text and "p95 120.5 ms" in text
    assert "requests_per_s met, p95_ms NOT met" in text
    assert "120.5 MB, 118.0 MB" in text
    assert "tree" in text and "7.2" in text


def test_without_wrk_it_says_how_to_install_it(monkeypatch, db):
    monkeypatch.setattr(load.shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match="apt-get install -y wrk"):
        call_command("load", "--duration", "1", stdout=StringIO())


def test_bad_numbers_are_refused_before_anything_starts(db):
    with pytest.raises(CommandError, match="--connections must be at least 1"):
        call_command("load", "--connections", "0", stdout=StringIO())
