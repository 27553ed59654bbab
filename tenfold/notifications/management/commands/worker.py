"""`tenfold worker`: run background tasks and the periodic tick.

The queue is a SQLite file beside the database unless REDIS_URL is set; any number of workers
can share a Redis queue. `--once` runs a single tick in this process and exits (for cron or a
check after configuration)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Run background work: reminders, digests, webhooks and data feeds.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--threads", type=int, default=None, help=_("How many tasks run at once.")
        )
        parser.add_argument(
            "--once", action="store_true", help=_("Run one tick now, print what it did, and exit.")
        )
        parser.add_argument(
            "--ping",
            action="store_true",
            help=_("Check that a worker is running: queue a task and wait for its answer."),
        )
        parser.add_argument(
            "--timeout", type=float, default=30.0, help=_("Seconds --ping waits (default 30).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["ping"]:
            self._ping(options["timeout"])
            return
        if options["once"]:
            from tenfold.notifications.tick import tick

            result = tick()
            for name, count in sorted(result.done.items()):
                self.stdout.write(f"{name}: {count}")
            for name, error in sorted(result.errors.items()):
                self.stderr.write(f"{name}: {error}")
            if result.errors:
                raise CommandError(_("Some jobs failed; see above."))
            return
        if settings.TASKS_MODE == "immediate":
            raise CommandError(
                _(
                    "TENFOLD_TASKS=immediate runs every task where it is enqueued; "
                    "no worker is needed."
                )
            )
        from huey.consumer_options import ConsumerConfig
        from huey.contrib.djhuey import HUEY

        autodiscover_modules("tasks")
        values: dict[str, Any] = dict(settings.HUEY.get("consumer", {}))  # type: ignore[call-overload]
        if options["threads"]:
            values["workers"] = options["threads"]
        values.setdefault("periodic", True)
        config = ConsumerConfig(**values)
        config.validate()
        logger = logging.getLogger("huey")
        if not logger.handlers:
            config.setup_logger(logger)
            logger.propagate = False  # printed once, not again by the root logger
        where = settings.REDIS_URL or settings.HUEY.get("filename")
        self.stdout.write(_("Worker started; queue: %(where)s") % {"where": where})
        HUEY.create_consumer(**config.values).run()

    def _ping(self, timeout: float) -> None:
        import secrets
        import time

        from django.tasks import TaskResultStatus

        from tenfold.notifications.tasks import ping

        token = secrets.token_hex(8)
        started = time.monotonic()
        result = ping.enqueue(token)
        while True:
            if result.status == TaskResultStatus.SUCCESSFUL and result.return_value == token:
                elapsed = int((time.monotonic() - started) * 1000)
                self.stdout.write(_("The worker answered in %(ms)s ms.") % {"ms": elapsed})
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(_("The worker ran the check and it failed."))
            if time.monotonic() - started > timeout:
                raise CommandError(
                    _("No worker answered within %(seconds)s seconds. Is `tenfold worker` running?")
                    % {"seconds": f"{timeout:g}"}
                )
            time.sleep(0.1)
            result.refresh()
