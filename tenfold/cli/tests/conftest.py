"""Fixtures for the command-line tests: a token for Bob, a way to run a command and read what
it printed, and a small recording HTTP server for the client's own behaviour."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.management import call_command

from tenfold.accounts.services import api_token_create


@dataclass
class Run:
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run(name: str, *args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    call_command(name, *args, stdout=out, stderr=err)
    return Run(out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def _no_server_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own TENFOLD_* variables must not turn local tests into remote ones."""
    for name in ("TENFOLD_URL", "TENFOLD_TOKEN", "TENFOLD_TOKEN_FILE", "TENFOLD_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def bob_token(org: Any, team: Any, bob: Any) -> str:
    _row, token = api_token_create(user=bob, organization=org, name="laptop", by=bob)
    return token


@pytest.fixture
def remote(live_server: Any, bob_token: str) -> Callable[..., Run]:
    """Run a command against the live server as Bob."""

    def go(name: str, *args: str) -> Run:
        return run(name, *args, "--url", live_server.url, "--token", bob_token)

    return go


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Stub:
    """Answers queued replies in order (status, headers, body) and records every request."""

    url: str
    replies: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def reply(self, status: int, body: Any = None, **headers: str) -> None:
        self.replies.append((status, {k.replace("_", "-"): v for k, v in headers.items()}, body))


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub(url="")

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            state.requests.append(
                Recorded(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
            )
            status, headers, body = state.replies.pop(0) if state.replies else (200, {}, [])
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = handle_one

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
