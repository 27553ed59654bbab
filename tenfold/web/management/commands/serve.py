"""tenfold serve: the production server (gunicorn), with static files served by whitenoise."""

from __future__ import annotations

import gc
import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

DEFAULT_WORKERS = 2

# Garbage collection in the server: the first generation is collected after this many new
# objects instead of Python's 700, and a full collection comes a fifth as often. A page that
# builds thousands of rows otherwise pays for several collections, and every full one walks the
# whole heap of the loaded application (see docs/decisions.md).
GC_THRESHOLDS = (10_000, 20, 50)


def default_workers() -> int:
    """$WEB_CONCURRENCY (the convention hosting platforms set), else 2."""
    try:
        return max(1, int(os.environ.get("WEB_CONCURRENCY", DEFAULT_WORKERS)))
    except ValueError:
        return DEFAULT_WORKERS


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": bind_address(host, port),
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",  # stdout
        "errorlog": "-",  # stderr
        "timeout": 60,
        "graceful_timeout": 20,
        "proc_name": "tenfold",
        # gunicorn ≥ 25.1 otherwise opens one control socket per user in ~/.gunicorn, so a
        # second server on the same machine (or a read-only home directory) would fail.
        "control_socket_disable": True,
    }


class Command(BaseCommand):
    help = (
        "Serve Tenfold with gunicorn, a production WSGI server; static files are collected "
        "first and served by whitenoise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help=("Address to listen on (default: %(default)s; 0.0.0.0 for all)."),
        )
        parser.add_argument("--port", type=int, default=8000, help=("Port (default: %(default)s)."))
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help=("Worker processes (default: $WEB_CONCURRENCY or 2)."),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help=("Threads per worker process (default: %(default)s)."),
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help=_(
                "Also run `tenfold worker` (reminders, digests, webhooks, data feeds) beside the "
                "server, stopped with it. For one machine; larger setups run workers apart."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"].strip(), options["port"]
        if not host:
            raise CommandError(_("Give an address to listen on, e.g. 127.0.0.1."))
        if not 0 < port < 65536:
            raise CommandError(_("The port must be between 1 and 65535."))
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError(_("Workers and threads must be at least 1."))
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(
            _("Serving Tenfold at http://%(bind)s/ (%(workers)d workers × %(threads)d threads).")
            % {
                "bind": bind_address(host, port),
                "workers": options["workers"],
                "threads": options["threads"],
            }
        )
        os.environ.setdefault("SITE_URL", f"http://{bind_address(host, port)}")
        if options["with_worker"]:
            start_worker()
            self.stdout.write(_("A worker runs beside the server."))
        self.stdout.flush()
        run(
            gunicorn_options(
                host=host, port=port, workers=options["workers"], threads=options["threads"]
            )
        )


def start_worker() -> None:  # pragma: no cover - exercised by the demo, not the unit tests
    """`tenfold worker` as a child process that ends when this process ends."""
    import atexit
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-m", "tenfold", "worker"])  # nosec B603  # fixed argv

    def stop() -> None:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()

    atexit.register(stop)


def tune_gc() -> None:
    """Freeze what the master process has loaded (the workers inherit it and no collection walks
    it again; its memory pages also stay shared between them), then collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def run(options: dict[str, Any]) -> None:  # pragma: no cover - replaced in the unit tests
    from gunicorn.app.base import BaseApplication

    from tenfold.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    tune_gc()
    Server().run()
