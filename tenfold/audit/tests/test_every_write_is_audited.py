"""Every route that changes data writes exactly one audit event, naming who did it, in the
organization of the route, at the time of the request.

The routes come from the permission matrix (`tenfold/web/tests/test_permission_matrix.py`):
each page or htmx route that its table lets a person of the organization post to, and each API
operation that posts, puts, patches or deletes. Each is sent one valid request from
`audited_writes.py`, in the matrix's world, as the first of the owner, the admin, the lead, the
member and the viewer the table lets through. A route without an entry there fails, so a new
route is not forgotten."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tenfold.api.views import api
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Organization
from tenfold.web.tests.test_permission_matrix import read_table, url_of

from .audited_writes import EXEMPT, OTHER_ORGANIZATIONS, SITE_LEVEL, WRITES, Write, values

WRITERS = ("alice", "ada", "carol", "bob", "victor")
"""Who sends a route's request: the first of these the matrix lets through."""
REFUSED = {401, 403, 404, 405}
CHANGES = ("POST", "PUT", "PATCH", "DELETE")
# The matrix's world has a current quarter (Q4 2026); requests are sent in the middle of it.
DURING_THE_QUARTER = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)


def api_operations() -> dict[tuple[str, str], str]:
    """(route, method) of every API operation that changes data, read from the API's routers
    (the operations behind each named route). The matrix cannot tell who may call these: it
    sends an empty body, which the API refuses before it checks permissions. They are sent as
    the owner."""
    found: dict[tuple[str, str], str] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                name = getattr(operation, "url_name", None) or api.get_operation_url_name(
                    operation, router=router
                )
                for method in operation.methods:
                    if method in CHANGES:
                        found[(f"api:{name}", method)] = "alice"
    assert found, "no API operation found: has django-ninja changed how it keeps them?"
    return found


def page_routes(methods: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(route, method) of the page and htmx routes that the matrix lets a person of the
    organization request with one of `methods`, with the first such person."""
    found: dict[tuple[str, str], str] = {}
    for (name, method), codes in read_table().items():
        if name.startswith("api:") or method not in methods:
            continue
        persona = next((p for p in WRITERS if codes.get(p, 403) not in REFUSED), None)
        if persona is not None:
            found[(name, method)] = persona
    return found


def mutating_routes() -> dict[tuple[str, str], str]:
    """Pages change data by POST only (other methods are checked to change nothing); the API
    by POST, PUT, PATCH and DELETE."""
    return {**page_routes(("POST",)), **api_operations()}


ROUTES = mutating_routes()


@pytest.fixture(scope="module", autouse=True)
def _during_the_quarter() -> Iterator[None]:
    """The world is built, and every request sent, within its current quarter; the clock
    keeps running so that each request has a time window."""
    with time_machine.travel(DURING_THE_QUARTER, tick=True):
        yield


def fill(template: Any, known: dict[str, str]) -> Any:
    """`template` with every "{name}" replaced by the known value, in keys and values; a
    (file name, content) pair becomes an uploaded file."""
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: known[m.group(1)], template)
    if isinstance(template, list):
        return [fill(item, known) for item in template]
    if isinstance(template, dict):
        return {fill(key, known): fill(item, known) for key, item in template.items()}
    if isinstance(template, tuple):
        return SimpleUploadedFile(*template)
    return template


def url_for(name: str, write: Write, known: dict[str, str]) -> str:
    if write.kwargs is not None:
        url = reverse(name, kwargs=fill({"org": "{org}", **write.kwargs}, known))
    else:
        url = url_of(name, known)
    return url + ("?" + fill(write.query, known) if write.query else "")


def send(
    client: Any, name: str, method: str, write: Write, known: dict[str, str], people: Any
) -> Any:
    """The route's request, as a form post for pages and as JSON for the API."""
    url = url_for(name, write, known)
    data = fill(write.data(known, people) if callable(write.data) else write.data, known)
    if write.upload is not None:
        field_name, file_name, content = write.upload
        data[field_name] = SimpleUploadedFile(file_name, content)
    if not name.startswith("api:") or write.upload is not None:
        return client.post(url, data)
    if method == "DELETE" and not data:
        return client.delete(url)
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def _why(response: Any) -> str:
    """The messages of a refused request, for the failure report."""
    text = response.content.decode(errors="replace")
    if not text.lstrip().startswith("<"):
        return text[:600]
    parts = []
    for found in re.finditer(r'errorlist|role="alert"|class="[^"]*(?:error|message)', text):
        snippet = re.sub(r"<[^>]+>", " ", text[found.start() : found.start() + 400])
        parts.append(" ".join(snippet.split()[1:40]))
    return " | ".join(parts)[:900] or re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:300]


def test_every_route_that_changes_data_has_a_request_or_a_reason() -> None:
    names = {name for name, _method in ROUTES}
    missing = sorted(names - set(WRITES) - set(EXEMPT))
    assert not missing, f"add a valid request to audited_writes.py (or exempt): {missing}"
    stale = sorted((set(WRITES) | set(EXEMPT) | set(SITE_LEVEL)) - names)
    assert not stale, f"entries in audited_writes.py for routes that do not exist: {stale}"
    both = sorted(set(EXEMPT) & set(SITE_LEVEL))
    assert not both, f"exempt and site-level at once: {both}"


FIGURES = {"checked": 0, "exempted": 0, "events": 0, "other methods": 0}
"""Counted as the tests run; `conftest.py` prints them at the end of the session."""


def new_events(last: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=last).order_by("id"))


def last_event() -> int:
    return int(AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0)


@pytest.mark.parametrize(("name", "method"), sorted(ROUTES))
def test_a_write_leaves_exactly_one_event(
    client: Any,
    world: dict[str, str],
    personas: dict[str, Any],
    name: str,
    method: str,
) -> None:
    write = WRITES.get(name)
    if write is None:
        if name in EXEMPT:
            FIGURES["exempted"] += 1
        pytest.skip("exempt" if name in EXEMPT else "no request yet (see the test above)")
    persona = write.persona or ROUTES[(name, method)]
    known = values(world, personas)
    if write.setup is not None:
        known.update(write.setup(world, personas))
    organization = Organization.objects.get(slug=world["org"])
    if persona != "anonymous":
        client.force_login(personas[persona])
    for route, data in write.before:
        earlier = client.post(url_for(route, Write(), known), fill(data, known))
        assert earlier.status_code < 400, f"{route} before {name}: {_why(earlier)}"
    last = last_event()
    start = timezone.now()
    response = send(client, name, method, write, known, personas)
    end = timezone.now()
    assert response.status_code < 400, f"{method} {name}: {response.status_code} {_why(response)}"
    new = new_events(last)
    actor = write.actor or persona
    found = problems(
        new,
        exempt=name in EXEMPT,
        home=None if name in SITE_LEVEL else organization.pk,
        also=write.also,
        elsewhere_allowed=name in OTHER_ORGANIZATIONS,
        actor_id=None if actor == "anonymous" else personas[actor].pk,
        window=(start, end),
    )
    assert not found, f"{method} {name}: " + "; ".join(found)
    if name in EXEMPT:
        FIGURES["exempted"] += 1
    else:
        FIGURES["checked"] += 1
        FIGURES["events"] += sum(1 for e in new if e.organization_id == organization.pk)


def problems(
    events: list[Any],
    *,
    exempt: bool,
    home: int | None,
    also: tuple[str, ...],
    elsewhere_allowed: bool,
    actor_id: int | None,
    window: tuple[dt.datetime, dt.datetime],
) -> list[str]:
    """What is wrong with the events one request wrote: none for an exempt route; else
    exactly one event of its own in the organization `home` (any number of the `also` verbs
    beside it), nothing in other organizations unless allowed, and every event naming the
    actor and dated within the request's `window`."""
    if exempt:
        return [f"exempt, but wrote {[e.verb for e in events]}"] if events else []
    here = [e for e in events if e.organization_id == home]
    elsewhere = [e for e in events if e.organization_id != home]
    found = []
    own = [e.verb for e in here if e.verb not in also]
    if len(own) != 1:
        found.append(f"{len(own)} events of its own instead of one: {[e.verb for e in here]}")
    if elsewhere and not elsewhere_allowed:
        found.append(f"events in another organization: {[e.verb for e in elsewhere]}")
    for event in here:
        if event.actor_id != actor_id:
            found.append(f"{event.verb} names actor {event.actor_id}, not {actor_id}")
        if not window[0] <= event.created_at <= window[1]:
            found.append(f"{event.verb} is dated {event.created_at}, outside the request")
    return found


def test_the_check_catches_missing_extra_misattributed_and_misdated_events() -> None:
    """The rules the route test applies, each shown catching its bad case."""
    start = timezone.now()
    end = start + dt.timedelta(seconds=1)

    def event(verb: str, org: int | None = 1, actor: int | None = 7, at: Any = None) -> Any:
        return SimpleNamespace(
            verb=verb, organization_id=org, actor_id=actor, created_at=at or start
        )

    rules: dict[str, Any] = {
        "exempt": False,
        "home": 1,
        "also": ("key_result.created",),
        "elsewhere_allowed": False,
        "actor_id": 7,
        "window": (start, end),
    }
    assert problems([event("objective.created")], **rules) == []
    assert problems([event("objective.created"), event("key_result.created")], **rules) == []
    assert "0 events" in problems([], **rules)[0]
    assert "2 events" in problems([event("a"), event("b")], **rules)[0]
    assert "another organization" in problems([event("a"), event("b", org=2)], **rules)[0]
    assert "names actor 8" in problems([event("a", actor=8)], **rules)[0]
    late = event("a", at=end + dt.timedelta(seconds=1))
    assert "outside the request" in problems([late], **rules)[0]
    assert "0 events" in problems([event("a", org=None)], **rules)[0]  # not site-level
    assert problems([event("a", org=None)], **{**rules, "home": None}) == []
    assert problems([], **{**rules, "exempt": True}) == []
    assert "exempt, but wrote" in problems([event("a")], **{**rules, "exempt": True})[0]


OTHER_METHODS = page_routes(("PUT", "PATCH", "DELETE"))
"""Pages that answer PUT, PATCH or DELETE with something other than a refusal (most show the
page, as for GET)."""


@pytest.mark.parametrize(("name", "method"), sorted(OTHER_METHODS))
def test_other_methods_on_pages_change_nothing(
    client: Any,
    world: dict[str, str],
    personas: dict[str, Any],
    name: str,
    method: str,
) -> None:
    persona = OTHER_METHODS[(name, method)]
    client.force_login(personas[persona])
    last = last_event()
    response = client.generic(method, url_of(name, world))
    assert response.status_code < 500
    assert not new_events(last), f"{method} {name} wrote {[e.verb for e in new_events(last)]}"
    FIGURES["other methods"] += 1
