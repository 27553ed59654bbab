"""tenfold serve: the production server (gunicorn), with static files served by whitenoise."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
    }


class Command(BaseCommand):
    help = "Serve Tenfold with gunicorn, a production WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "2")),
            help="Worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError("The port must be between 1 and 65535.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("Workers and threads must be at least 1.")
        call_command("collectstatic", interactive=False, verbosity=0)
        run(
            gunicorn_options(
                host=options["host"],
                port=options["port"],
                workers=options["workers"],
                threads=options["threads"],
            )
        )


def run(options: dict[str, Any]) -> None:  # pragma: no cover - replaced in tests
    from gunicorn.app.base import BaseApplication

    from tenfold.wsgi import application

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()
