"""Measuring a running server over HTTP: one client, one kept-alive connection, signed in.

Each response of a server started with ``TENFOLD_SERVER_TIMING=1`` says how long Django took
(``Server-Timing: app;dur=…``) and how many SQL queries it ran (``X-Tenfold-Queries``); the
client also notes its own round-trip time.
"""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from .stats import percentile

APP_DURATION = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


class BenchError(Exception):
    """Something the benchmark cannot go on from; the message says what and why."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    client_ms: float

    @property
    def server_ms(self) -> float | None:
        match = APP_DURATION.search(self.headers.get("server-timing", ""))
        return float(match.group(1)) if match else None

    @property
    def queries(self) -> int | None:
        value = self.headers.get("x-tenfold-queries")
        return int(value) if value is not None else None


class Client:
    """A cookie-keeping HTTP/1.1 client on one connection, like a browser tab."""

    def __init__(self, host: str, port: int, *, timeout: float = 60) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def close(self) -> None:
        self.connection.close()

    def reconnect(self) -> None:
        self.connection.close()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            try:
                self.connection.request(method, path, body=data, headers=sent)
                answer = self.connection.getresponse()
                content = answer.read()
            except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
                # The server closed a kept-alive connection: open a new one, try once more.
                self.reconnect()
                started = time.perf_counter()
                self.connection.request(method, path, body=data, headers=sent)
                answer = self.connection.getresponse()
                content = answer.read()
        except TimeoutError as error:
            self.reconnect()
            raise BenchError(
                _("%(request)s got no answer within %(seconds)d s.")
                % {"request": f"{method} {path}", "seconds": self.timeout}
            ) from error
        except (OSError, http.client.HTTPException) as error:
            self.reconnect()
            raise BenchError(
                _("%(request)s failed: %(error)s") % {"request": f"{method} {path}", "error": error}
            ) from error
        elapsed = (time.perf_counter() - started) * 1000
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _sep, cookie = pair.partition("=")
                self.cookies[key.strip()] = cookie.strip()
        return Response(
            answer.status, {k.lower(): v for k, v in answer.getheaders()}, content, elapsed
        )

    def sign_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/accounts/login/")
        match = CSRF_INPUT.search(page.body.decode("utf-8", "replace"))
        if page.status != 200 or match is None:
            raise BenchError(
                _("The sign-in page answered %(status)s without a form.") % {"status": page.status}
            )
        answer = self.request(
            "POST",
            "/accounts/login/",
            body={"login": email, "password": password, "csrfmiddlewaretoken": match.group(1)},
            headers={"Referer": f"http://{self.host}:{self.port}/accounts/login/"},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise BenchError(
                _("Could not sign in as %(email)s (the server answered %(status)s).")
                % {"email": email, "status": answer.status}
            )

    @property
    def csrf_token(self) -> str:
        return self.cookies.get("csrftoken", "")


@dataclass
class Item:
    """One thing measured: a request (built afresh for every repetition) and its kind."""

    name: str
    kind: str  # page, partial, api or write
    path: str
    session: str  # which signed-in client sends it: admin, member or api
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    form: Callable[[int, Client], dict[str, str]] | None = None
    expect: int = 200
    kept: bool = False
    """Served from the fragment cache when nothing changed: also measured right after a
    change, when it is rebuilt from the database."""


@dataclass
class Sample:
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)


@dataclass
class Measured:
    name: str
    kind: str
    path: str
    p50_ms: float | None
    p95_ms: float | None
    client_p50_ms: float | None
    queries: int | None
    queries_vary: bool
    n: int
    floor_ms: float | None = None
    error: str | None = None
    """Why the item could not be measured (a timeout, an error status); figures are None."""
    rebuilt_p50_ms: float | None = None
    rebuilt_p95_ms: float | None = None
    rebuilt_queries: int | None = None
    rebuilt_n: int = 0

    @classmethod
    def failed(cls, item: Item, error: str) -> Measured:
        return cls(item.name, item.kind, item.path, None, None, None, None, False, 0, error=error)

    @property
    def rebuilt_ratio(self) -> float | None:
        if self.rebuilt_p50_ms is None or self.floor_ms is None or self.floor_ms <= 0:
            return None
        return self.rebuilt_p50_ms / self.floor_ms

    @property
    def ratio(self) -> float | None:
        if self.p50_ms is None or self.floor_ms is None or self.floor_ms <= 0:
            return None
        return self.p50_ms / self.floor_ms

    def as_dict(self) -> dict[str, Any]:
        ratio = self.ratio
        row = {
            "name": self.name,
            "kind": self.kind,
            "path": self.path,
            "p50_ms": _round(self.p50_ms, 2),
            "p95_ms": _round(self.p95_ms, 2),
            "queries": self.queries,
            "queries_vary": self.queries_vary,
            "floor_ms": _round(self.floor_ms, 3),
            "ratio": _round(ratio, 1),
            "client_p50_ms": _round(self.client_p50_ms, 2),
            "n": self.n,
        }
        if self.rebuilt_n:
            row.update(
                rebuilt_p50_ms=_round(self.rebuilt_p50_ms, 2),
                rebuilt_p95_ms=_round(self.rebuilt_p95_ms, 2),
                rebuilt_queries=self.rebuilt_queries,
                rebuilt_ratio=_round(self.rebuilt_ratio, 1),
                rebuilt_n=self.rebuilt_n,
            )
        if self.error:
            row["error"] = self.error
        return row


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def items_for(targets: dict[str, Any]) -> list[Item]:
    """The measured items for one organization (`tenfold.bench.targets` output)."""
    slug = targets["org"]["slug"]
    htmx = {"HX-Request": "true"}
    kr = targets["key_result"]
    # Kinds without a start (reach, keep above/below) move between 0 and the target.
    target = Decimal(kr["target"] or 100)
    start = Decimal(kr["start"]) if kr["start"] is not None else min(Decimal(0), target)

    def checkin(index: int, client: Client) -> dict[str, str]:
        # A new value every time, moving between start and target, so every request writes.
        value = start + (target - start) * Decimal((index % 89) + 5) / 100
        prefix = kr["code"]
        return {
            f"{prefix}-value": str(value.quantize(Decimal("0.01"))),
            f"{prefix}-confidence": str(5 + index % 5),
            f"{prefix}-note": "",
            "csrfmiddlewaretoken": client.csrf_token,
        }

    return [
        Item("company dashboard", "page", f"/{slug}/dashboard/", "admin", kept=True),
        Item("alignment tree", "page", f"/{slug}/tree/", "admin", kept=True),
        Item(
            "tree expansion",
            "partial",
            f"/{slug}/tree/units/{targets['department']['code']}/",
            "admin",
            headers=htmx,
            kept=True,
        ),
        Item("unit page", "page", f"/{slug}/units/{targets['team']['code']}/", "admin", kept=True),
        Item(
            "objective page",
            "page",
            f"/{slug}/objectives/{targets['objective']['code']}/",
            "admin",
            kept=True,
        ),
        Item("my week", "page", f"/{slug}/week/", "member", kept=True),
        Item(
            "team week",
            "page",
            f"/{slug}/units/{targets['team']['code']}/week/",
            "member",
            kept=True,
        ),
        Item(
            "check-in write",
            "write",
            f"/{slug}/key-results/{kr['code']}/check-in/",
            "member",
            method="POST",
            headers=htmx,
            form=checkin,
        ),
        Item("API list", "api", f"/api/v1/orgs/{slug}/objectives", "api", kept=True),
        Item(
            "API detail",
            "api",
            f"/api/v1/orgs/{slug}/objectives/{targets['objective']['code']}",
            "api",
            kept=True,
        ),
    ]


def send(item: Item, client: Client, index: int, extra: dict[str, str] | None = None) -> Response:
    headers = {**item.headers, **(extra or {})}
    body = item.form(index, client) if item.form else None
    if item.method == "POST":
        headers.setdefault("X-CSRFToken", client.csrf_token)
    answer = client.request(item.method, item.path, body=body, headers=headers)
    if answer.status != item.expect:
        snippet = answer.body[:300].decode("utf-8", "replace").strip()
        raise BenchError(
            _("%(request)s answered %(status)s, not %(expected)s. %(body)s")
            % {
                "request": f"{item.method} {item.path}",
                "status": answer.status,
                "expected": item.expect,
                "body": snippet,
            }
        )
    if answer.server_ms is None or answer.queries is None:
        raise BenchError(
            _("%(request)s: the answer has no Server-Timing header.")
            % {"request": f"{item.method} {item.path}"}
        )
    return answer


def measure_item(
    item: Item,
    client: Client,
    *,
    requests: int,
    warmup: int,
    extra_headers: dict[str, str] | None = None,
    rebuilds: int = 0,
    touch: Callable[[], None] | None = None,
) -> Measured:
    """`warmup` untimed requests, then `requests` timed ones. An item that fails (an error
    status, no answer in time) is reported as failed and the others are still measured.

    A kept item is then sent `rebuilds` more times, each right after `touch` moved the
    organization's change counter and asking for a fresh answer: what the first visitor
    after a change waits for."""
    sample = Sample()
    for index in range(warmup + requests):
        try:
            answer = send(item, client, index, extra_headers)
        except BenchError as error:
            return Measured.failed(item, str(error))
        if index < warmup:
            continue
        sample.server_ms.append(answer.server_ms or 0.0)
        sample.client_ms.append(answer.client_ms)
        sample.queries.append(answer.queries or 0)
    measured = summarize(item, sample)
    if item.kept and rebuilds and touch is not None:
        rebuilt = Sample()
        for index in range(rebuilds):
            touch()
            try:
                answer = send(item, client, index, {**(extra_headers or {}), **FRESH})
            except BenchError as error:
                return Measured.failed(item, str(error))
            rebuilt.server_ms.append(answer.server_ms or 0.0)
            rebuilt.queries.append(answer.queries or 0)
        measured.rebuilt_p50_ms = percentile(rebuilt.server_ms, 50)
        measured.rebuilt_p95_ms = percentile(rebuilt.server_ms, 95)
        measured.rebuilt_queries = max(rebuilt.queries)
        measured.rebuilt_n = len(rebuilt.server_ms)
    return measured


FRESH = {"Cache-Control": "no-cache"}
REBUILT = " (rebuilt)"


def summarize(item: Item, sample: Sample) -> Measured:
    return Measured(
        name=item.name,
        kind=item.kind,
        path=item.path,
        p50_ms=percentile(sample.server_ms, 50),
        p95_ms=percentile(sample.server_ms, 95),
        client_p50_ms=percentile(sample.client_ms, 50),
        queries=max(sample.queries),
        queries_vary=len(set(sample.queries)) > 1,
        n=len(sample.server_ms),
    )


def query_counts(
    items: list[Item],
    clients: dict[str, Client],
    extra: dict[str, dict[str, str]],
    touch: Callable[[], None] | None = None,
) -> dict[str, int]:
    """The query count of each item after one warm-up request (for the size comparison),
    and of each kept item when rebuilt after a change ("name (rebuilt)"); items that fail
    there are left out."""
    counts: dict[str, int] = {}
    for item in items:
        client = clients[item.session]
        headers = extra.get(item.session) or {}
        try:
            send(item, client, 0, headers)
            counts[item.name] = max(
                send(item, client, index, headers).queries or 0 for index in (1, 2)
            )
            if item.kept and touch is not None:
                rebuilt = []
                for index in (1, 2):
                    touch()
                    rebuilt.append(send(item, client, index, {**headers, **FRESH}).queries or 0)
                counts[item.name + REBUILT] = max(rebuilt)
        except BenchError:
            continue
    return counts


def all_counts(measured: list[Measured]) -> dict[str, int]:
    """The query counts of a run, named as `query_counts` names them."""
    counts = {row.name: row.queries for row in measured if row.queries is not None}
    counts.update(
        (row.name + REBUILT, row.rebuilt_queries)
        for row in measured
        if row.rebuilt_queries is not None
    )
    return counts
