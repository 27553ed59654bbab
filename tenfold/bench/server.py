"""The production server (`tenfold serve`) as a child process of the benchmark.

It runs in a process group of its own, so stopping it stops its workers too, whatever
happened in the benchmark (an error, Ctrl-C); nothing is left behind.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from django.utils.translation import gettext as _

from .measure import BenchError

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    """A port nobody listens on now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def resident_mb(pid: int) -> float | None:
    """VmRSS of a process in MB (None when it is gone or /proc is absent)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def children_of(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found.extend(int(child) for child in text)
    except OSError:
        return []
    return sorted(set(found))


class Server:
    """``with Server(env, log) as server:`` — started, ready, and always stopped."""

    def __init__(
        self, env: dict[str, str], log: Path, *, workers: int = 2, port: int | None = None
    ) -> None:
        self.env, self.log, self.workers = env, log, workers
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(  # nosec B603  # this Python running tenfold serve
                [
                    sys.executable,
                    "-m",
                    "tenfold",
                    "serve",
                    "--host",
                    HOST,
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    _("The server stopped before it was ready (exit status %(status)s).")
                    % {"status": self.process.returncode}
                    + "\n"
                    + self.log_tail()
                )
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
                connection.close()
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(
            _("The server did not answer /healthz on port %(port)s within %(seconds)d s.")
            % {"port": self.port, "seconds": timeout}
            + "\n"
            + self.log_tail()
        )

    def log_tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        return children_of(self.process.pid) if self.process else []

    def worker_rss_mb(self) -> list[float]:
        sizes = (resident_mb(pid) for pid in self.worker_pids())
        return [round(size, 1) for size in sizes if size is not None]

    def stop(self) -> None:
        """INT to the server's process group (gunicorn's quick shutdown: the benchmark has no
        request in flight to finish), KILL if it is still there after a while."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        except ProcessLookupError:
            pass
