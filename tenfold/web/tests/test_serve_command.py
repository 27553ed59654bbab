"""tenfold serve: the options it hands to gunicorn, and one real server answering."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenfold.conftest import not_on_postgresql
from tenfold.web.management.commands import serve


@pytest.fixture
def started(monkeypatch, tmp_path, settings):
    """Run the command without a server: collect the options gunicorn would get."""
    settings.STATIC_ROOT = tmp_path / "static"
    seen: dict = {}
    monkeypatch.setattr(serve, "run", seen.update)
    return seen


def test_it_collects_static_files_and_starts_gunicorn_with_the_options(started, settings):
    call_command("serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3")
    assert started["bind"] == "0.0.0.0:9001"
    assert (started["workers"], started["threads"]) == (3, 4)
    assert started["worker_class"] == "gthread"
    assert started["accesslog"] == "-"  # gunicorn's name for stdout
    assert started["control_socket_disable"] is True
    assert (Path(settings.STATIC_ROOT) / "tenfold" / "tenfold.css").exists()


def test_the_defaults_listen_locally_with_web_concurrency_workers(started, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    call_command("serve")
    assert started["bind"] == "127.0.0.1:8000"
    assert started["workers"] == 5


def test_a_broken_web_concurrency_falls_back_to_two_workers(started, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "lots")
    call_command("serve")
    assert started["workers"] == 2


def test_an_ipv6_address_is_bracketed(started):
    call_command("serve", "--host", "::1", "--port", "8080", "--threads", "8")
    assert started["bind"] == "[::1]:8080" and started["threads"] == 8


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--port", "70000"], "port"),
        (["--port", "0"], "port"),
        (["--workers", "0"], "at least 1"),
        (["--threads", "0"], "at least 1"),
        (["--host", " "], "address"),
    ],
)
def test_it_refuses_bad_options_without_starting(started, args, words):
    with pytest.raises(CommandError, match=words):
        call_command("serve", *args)
    assert started == {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, deadline: float, server: subprocess.Popen) -> tuple[bytes, str]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read(), answer.headers.get("Content-Type", "")
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.2)


@not_on_postgresql
def test_a_real_server_answers_health_checks_and_static_files(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "TENFOLD_DATA_DIR": str(tmp_path),
        "TENFOLD_ENV_FILE": str(tmp_path / "no.env"),  # ignore a developer's .env
        "DATABASE_URL": "",  # SQLite in the data directory
        "WEB_CONCURRENCY": "1",
    }
    env.pop("STATIC_ROOT", None)
    env.pop("TENFOLD_DEBUG", None)
    tenfold = [sys.executable, "-m", "tenfold"]
    subprocess.run([*tenfold, "migrate", "-v0"], env=env, check=True, timeout=60)
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*tenfold, "serve", "--port", str(port), "--threads", "2"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 12
        body, _type = fetch(f"http://127.0.0.1:{port}/healthz", deadline, server)
        assert body == b"ok"
        manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["tenfold/tenfold.css"]
        body, content_type = fetch(f"http://127.0.0.1:{port}/static/{hashed}", deadline, server)
        assert content_type.startswith("text/css") and len(body) > 100
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "GET /healthz" in log.read_text()  # the access log goes to stdout


def test_the_server_freezes_its_loaded_heap_and_collects_less_often():
    import gc

    before = gc.get_threshold()
    try:
        serve.tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == serve.GC_THRESHOLDS
        assert serve.GC_THRESHOLDS[0] > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
