import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tenfold.web.management.commands import serve


def test_it_starts_gunicorn_with_the_given_options(monkeypatch, tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    seen = {}
    monkeypatch.setattr(serve, "run", lambda options: seen.update(options))
    call_command("serve", "--host", "0.0.0.0", "--port", "9001", "--workers", "3")
    assert seen["bind"] == "0.0.0.0:9001" and seen["workers"] == 3
    assert (tmp_path / "staticfiles.json").exists() or any(tmp_path.iterdir())


def test_it_refuses_a_bad_port():
    with pytest.raises(CommandError):
        call_command("serve", "--port", "70000")


def test_a_real_server_answers(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TENFOLD_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    tenfold = [sys.executable, "-m", "tenfold"]
    subprocess.run([*tenfold, "migrate", "-v0"], env=env, check=True, timeout=120)
    server = subprocess.Popen(
        [*tenfold, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        manifest = Path(tmp_path, "static", "staticfiles.json").read_text()
        assert "tenfold/tenfold.css" in manifest
    finally:
        server.terminate()
        server.wait(timeout=20)
