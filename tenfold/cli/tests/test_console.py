"""The real `tenfold` program in its own process: what a person at a shell sees, and the exit
status a script tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def tenfold(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TENFOLD_")}
    return subprocess.run(
        [sys.executable, "-m", "tenfold", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **env},
    )


def test_an_unreachable_server_is_one_line_and_status_3():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = tenfold("okrs", TENFOLD_URL=f"http://127.0.0.1:{port}", TENFOLD_TOKEN="tf_a_b")
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        f"CommandError: Cannot reach http://127.0.0.1:{port}: connection refused. "
        "Is TENFOLD_URL right and the server running?"
    ]


def test_a_refused_token_is_status_4_and_never_printed(live_server, key_result):
    secret = "tf_deadbeef_this-is-not-valid"
    done = tenfold("okrs", TENFOLD_URL=live_server.url, TENFOLD_TOKEN=secret)
    assert done.returncode == 4
    assert "The token was refused" in done.stderr
    assert secret not in done.stderr + done.stdout


def test_json_from_a_server_parses(live_server, bob_token, key_result):
    done = tenfold("okrs", "--json", TENFOLD_URL=live_server.url, TENFOLD_TOKEN=bob_token)
    assert done.returncode == 0, done.stderr
    [objective] = json.loads(done.stdout)
    assert objective["key_results"][0]["code"] == key_result.code
