"""Server-Timing for measurements: how long the server took and how many SQL queries it ran.

Installed first in MIDDLEWARE when ``SERVER_TIMING`` is on (``TENFOLD_SERVER_TIMING=1``;
`tenfold bench` turns it on for the server it starts). Every response then carries

    Server-Timing: app;dur=12.41, db;dur=3.08;desc="queries=7", cpu;dur=9.87
    X-Tenfold-Queries: 7

``app`` is the whole time inside Django (middleware, view, template) in milliseconds; ``db``
the part spent waiting for the database; ``cpu`` the processor time the request's thread
used (without the time it waited for another thread or for the database), which under load
says what a request costs rather than how long it queued. Off by default: counting costs a
little on every query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse


class _Counter:
    __slots__ = ("count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _Counter()
        started = time.perf_counter()
        cpu_started = time.thread_time()
        wrappers = [connections[alias].execute_wrapper(counter) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        elapsed = (time.perf_counter() - started) * 1000
        cpu_ms = (time.thread_time() - cpu_started) * 1000
        db_ms = counter.seconds * 1000
        response["Server-Timing"] = (
            f'app;dur={elapsed:.2f}, db;dur={db_ms:.2f};desc="queries={counter.count}", '
            f"cpu;dur={cpu_ms:.2f}"
        )
        response["X-Tenfold-Queries"] = str(counter.count)
        return response
