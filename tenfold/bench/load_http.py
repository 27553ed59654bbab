"""Small HTTP and process helpers shared by `tenfold load` and the scale-out check: a server
started as a child process on a free loopback port, plain requests, signing in through the
real sign-in form. Loopback only: every address here is 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from django.utils.translation import gettext as _

HOST = "127.0.0.1"


class LoadError(Exception):
    """Something stopped the measurement; the message says what, for the person running it."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes

    def server_timing(self) -> tuple[float | None, float | None, int | None]:
        """(app ms, db ms, queries) from the Server-Timing header, when the server sends it."""
        value = self.headers.get("server-timing", "")
        app = re.search(r"app;dur=([\d.]+)", value)
        db = re.search(r"db;dur=([\d.]+)", value)
        queries = re.search(r"queries=(\d+)", value)
        return (
            float(app.group(1)) if app else None,
            float(db.group(1)) if db else None,
            int(queries.group(1)) if queries else None,
        )


def request(
    port: int,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: str | bytes = b"",
    timeout: float = 30.0,
) -> Answer:
    """One request to the server on 127.0.0.1:`port`; redirects are returned, not followed."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = body.encode() if isinstance(body, str) else body
        connection.request(method, path, body=data or None, headers=dict(headers or {}))
        response = connection.getresponse()
        content = response.read()
        cookies: dict[str, str] = {}
        for value in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, cookies, content)
    finally:
        connection.close()


@dataclass
class Visitor:
    """A person signed in through the sign-in form: what a browser would send back."""

    email: str
    session: str
    csrf: str

    def cookie_header(self) -> dict[str, str]:
        return {"Cookie": f"sessionid={self.session}; csrftoken={self.csrf}"}

    def post_headers(self, *, htmx: bool = False) -> dict[str, str]:
        headers = {
            **self.cookie_header(),
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        if htmx:
            headers["HX-Request"] = "true"
        return headers


_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(port: int, email: str, password: str) -> Visitor | None:
    """Sign in through the real form; None when the account or password is refused."""
    form = request(port, "GET", "/accounts/login/")
    match = _CSRF_FIELD.search(form.body)
    csrf = form.cookies.get("csrftoken")
    if form.status != 200 or match is None or not csrf:
        raise LoadError(
            _("The sign-in page answered %(status)s without a form to fill in.")
            % {"status": form.status}
        )
    body = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
    )
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=body,
    )
    session = answer.cookies.get("sessionid")
    if answer.status not in (301, 302, 303) or not session:
        return None
    return Visitor(email=email, session=session, csrf=answer.cookies.get("csrftoken", csrf))


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child `tenfold` process (never the test runner's
    marker, which would make tasks run in place), with `extra` on top."""
    env = {key: value for key, value in os.environ.items() if key != "PYTEST_VERSION"}
    env.update(extra)
    return env


class Process:
    """A `tenfold` subcommand run as a child in its own process group, output to a log file."""

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, dict(env), log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(  # nosec B603  # this Python running tenfold itself
            [sys.executable, "-m", "tenfold", *self.args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=handle,
            start_new_session=True,
        )
        handle.close()

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM to the whole group (gunicorn stops its workers gracefully), SIGKILL after
        `grace` seconds."""
        if self.popen is None or self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
        except ProcessLookupError:  # pragma: no cover - ended between the check and the signal
            pass


class Server(Process):
    """`tenfold serve` on 127.0.0.1:`port`."""

    def __init__(
        self, *, port: int, workers: int, threads: int, env: Mapping[str, str], log: Path
    ) -> None:
        args = ["serve", "--host", HOST, "--port", str(port)]
        args += ["--workers", str(workers), "--threads", str(threads)]
        super().__init__(args, env, log)
        self.port = port

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise LoadError(_("The server stopped while starting:") + "\n" + self.log_tail())
            try:
                if request(self.port, "GET", "/healthz", timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise LoadError(
            _("The server did not answer within %(seconds)s s:") % {"seconds": f"{timeout:.0f}"}
            + "\n"
            + self.log_tail()
        )

    def worker_pids(self) -> list[int]:
        return children_of(self.pid)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may hold spaces
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def resident_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks
