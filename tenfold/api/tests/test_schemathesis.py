"""Schemathesis against the live OpenAPI document, as the admins of two organizations.

The WSGI application serves the document and every generated request, in the test's database.
The run, in this order:

1. B's read-write token on A's paths (A's organization and A's codes): never a success;
2. B's token on B's organization with A's codes, then on B's own data;
3. (A's rows are compared with a snapshot taken before 1: B changed nothing of A's;)
4. A's token on A's own data, with valid and with invalid input.

Every answer must be free of server errors and conform to the document (status code, content
type, headers, body); no answer to B may contain anything written by A.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import socket
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import DatabaseError, close_old_connections, connection, models, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tenfold.accounts.models import User
from tenfold.accounts.services import api_token_create
from tenfold.checkins.services import checkin_record
from tenfold.checkins.weekly import item_add
from tenfold.ideas import services as ideas
from tenfold.ideas.models import Question
from tenfold.kpis.services import kpi_create, kpi_record_value
from tenfold.okrs.models import CycleKind, CycleState
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    initiative_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Organization, Role, Unit
from tenfold.organizations.selectors import access_to
from tenfold.organizations.services import (
    invitation_create,
    organization_create,
    person_add,
    unit_create,
)
from tenfold.social.services import comment_add

MIN_REQUESTS = 2_000
# A safety valve, not the expected time: on an idle two-core machine the run takes about a
# minute; a much slower run stops here and fails for sending too few requests.
TIME_LIMIT = 300.0
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# --- two organizations, every text marked with its organization --------------------------------


def build(tag: str) -> dict[str, Any]:
    """An organization with a bit of everything; every text it holds contains ``tag``."""
    owner = User.objects.create_user(
        email=f"owner@{tag}.test", password="x-password-1", name=f"Owner {tag}"
    )
    org = organization_create(name=f"Corp {tag}", slug=f"corp-{tag}", owner=owner)
    company = Unit.objects.get(organization=org, parent__isnull=True)
    team = unit_create(organization=org, name=f"Team {tag}", parent=company, by=owner)
    member = person_add(
        organization=org,
        email=f"member@{tag}.test",
        name=f"Member {tag}",
        units=[team],
        role=Role.MEMBER,
        by=owner,
    ).user
    today = timezone.localdate()
    cycle = cycle_create(
        organization=org,
        name=f"Now {tag}",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=60),
        kind=CycleKind.CUSTOM,
        state=CycleState.ACTIVE,
        by=owner,
    )
    _org, access = access_to(owner, org.slug)
    objectives, key_results, checkins, initiatives, comments = [], [], [], [], []
    for number in range(2):
        objective = objective_create(
            organization=org,
            cycle=cycle,
            unit=team if number else company,
            title=f"Objective {number} {tag}",
            description=f"Why {tag}",
            lead=owner,
            state="active",
            by=owner,
        )
        objectives.append(objective)
        for kr_number in range(2):
            kr = key_result_create(
                objective=objective,
                title=f"Result {number}.{kr_number} {tag}",
                kind="increase",
                start=Decimal(0),
                target=Decimal(100),
                unit_label="%",
                owner=member,
                by=owner,
            )
            key_results.append(kr)
            checkins.append(
                checkin_record(key_result=kr, value="10", note=f"Note {tag}", by=member)
            )
            initiatives.append(initiative_create(key_result=kr, title=f"Do {tag}", by=owner))
        comments.append(comment_add(access=access, target=objective, body=f"Comment {tag}"))
    alignment_link(child=objectives[1], parent_objective=objectives[0], by=owner)
    comments.append(comment_add(access=access, target=key_results[0], body=f"On KR {tag}"))
    items = [
        item_add(access=access, category="plans", text=f"Plan {tag}", link=key_results[0].code),
        item_add(access=access, category="problems", text=f"Problem {tag}"),
    ]
    kpi = kpi_create(
        organization=org, by=owner, name=f"KPI {tag}", description=f"About {tag}", target="10"
    )
    kpi_record_value(kpi=kpi, value="5", by=owner)
    idea = ideas.idea_add(
        access=access, question=Question.CHANGE, text=f"Idea {tag}", details=f"More {tag}"
    )
    ideas.comment_add(access=access, idea=idea, body=f"Idea comment {tag}")
    invitation, _secret = invitation_create(
        organization=org, email=f"invitee@{tag}.test", units=[team], by=owner
    )
    _row, token = api_token_create(user=owner, organization=org, name=f"Token {tag}", by=owner)

    def codes(rows: list[Any]) -> list[str]:
        return [str(row.code) for row in rows if getattr(row, "code", None)]

    return {
        "org": org,
        "token": token,
        "markers": [tag, owner.email, member.email],
        # Values for a path parameter, by the name of the collection before it.
        "codes": {
            "objectives": codes(objectives),
            "key-results": codes(key_results),
            "check-ins": codes(checkins),
            "initiatives": codes(initiatives),
            "comments": codes(comments),
            "items": codes(items),
            "kpis": codes([kpi]),
            "ideas": codes([idea]),
            "units": codes([company, team]),
            "cycles": codes([cycle]),
            "people": [str(owner.pk), str(member.pk)],
            "invitations": codes([invitation]),
            "members": [str(owner.pk), str(member.pk)],
        },
    }


def snapshot(org: Organization) -> dict[str, str]:
    """A digest of every row that belongs to ``org``, per model."""
    result = {}
    for model in apps.get_models():
        fields = {field.name: field for field in model._meta.concrete_fields}
        if model is Organization:
            rows = model._base_manager.filter(pk=org.pk)
        elif isinstance(fields.get("organization"), models.ForeignKey):
            rows = model._base_manager.filter(organization=org)
        else:
            owners = [
                name
                for name, field in fields.items()
                if isinstance(field, models.ForeignKey)
                and any(f.name == "organization" for f in field.related_model._meta.fields)
            ]
            if not owners:
                continue
            rows = model._base_manager.filter(**{f"{owners[0]}__organization": org})
        values = list(rows.order_by("pk").values_list())
        result[model._meta.label] = (
            f"{len(values)}:" + hashlib.sha256(repr(values).encode()).hexdigest()
        )
    return result


# --- the run -----------------------------------------------------------------------------------


class Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.by_class: Counter[str] = Counter()
        self.by_operation: Counter[str] = Counter()
        self.by_run: Counter[str] = Counter()
        self.status_by_run: Counter[tuple[str, int]] = Counter()
        self.not_404: Counter[tuple[str, int]] = Counter()  # B's answers on A's paths
        self.seconds_by_run: Counter[str] = Counter()
        self.seconds_by_operation: Counter[str] = Counter()
        self.failures: dict[tuple[str, str], str] = {}
        self.leaks: list[str] = []
        self.cross: list[str] = []
        self.not_generated: list[str] = []


def path_values(operation: Any, world: dict[str, Any], org_slug: str) -> list[dict[str, str]]:
    """Choices of path parameters for ``operation``: the organization, then known codes of
    the collection each parameter follows (a made-up code is left to the generator)."""
    parts = operation.path.strip("/").split("/")
    fixed: dict[str, list[str]] = {}
    for index, part in enumerate(parts):
        if not (part.startswith("{") and part.endswith("}")):
            continue
        name = part[1:-1]
        if name == "org":
            fixed[name] = [org_slug]
            continue
        known = world["codes"].get(parts[index - 1] if index else "", [])
        if known:
            fixed[name] = known
    choices: list[dict[str, str]] = [{}]
    for name, values in fixed.items():
        choices = [{**choice, name: value} for choice in choices for value in values[:3]]
    return choices[:6]


@dataclass
class Run:
    """One identity sending generated requests to one organization's paths."""

    label: str
    token: str
    world: dict[str, Any]
    org_slug: str
    tally: Tally
    mode: GenerationMode = GenerationMode.POSITIVE
    foreign_markers: list[str] = field(default_factory=list)
    must_fail: bool = False  # a success on an organization's path is a cross-organization access

    def over(self, operations: list[Any], *, examples: int, deadline: float) -> None:
        for operation in operations:
            if time.monotonic() > deadline:
                return
            began = time.monotonic()
            try:
                self.exercise(operation, examples)
            except hypothesis.errors.Unsatisfiable:
                self.tally.not_generated.append(f"[{self.label}] {operation.label}")
            spent = time.monotonic() - began
            self.tally.seconds_by_run[self.label] += spent
            self.tally.seconds_by_operation[operation.label] += spent

    def exercise(self, operation: Any, examples: int) -> None:
        strategies = [
            operation.as_strategy(generation_mode=self.mode, path_parameters=choice)
            for choice in path_values(operation, self.world, self.org_slug)
        ]
        strategy = st.one_of(strategies) if len(strategies) > 1 else strategies[0]

        @hypothesis.settings(
            max_examples=examples,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            verbosity=hypothesis.Verbosity.quiet,
        )
        @hypothesis.given(case=strategy)
        def fire(case: Any) -> None:
            self.send(operation, case)

        fire()

    def send(self, operation: Any, case: Any) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        # Each request in a savepoint, as each would be its own transaction on a server: a
        # statement the database refuses must not spoil the requests after it.
        savepoint = transaction.savepoint_create()
        try:
            response = case.call(headers=headers)
        finally:
            try:
                transaction.savepoint_commit(savepoint)
            except DatabaseError:
                transaction.savepoint_rollback(savepoint)
        tally, name, status = self.tally, operation.label, response.status_code
        tally.requests += 1
        tally.by_run[self.label] += 1
        tally.by_operation[name] += 1
        tally.by_class[f"{status // 100}xx"] += 1
        tally.status_by_run[(self.label, status)] += 1
        request = response.request
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (FailureGroup, AssertionError) as error:
            key = (name, str(status))
            if key not in tally.failures:
                body = (request.body or b"")[:300]
                tally.failures[key] = (
                    f"[{self.label}] {request.method} {request.url} body={body!r}\n"
                    f"{str(error).strip()[:1500]}"
                )
        content = response.content.lower()
        if any(marker.lower().encode() in content for marker in self.foreign_markers):
            tally.leaks.append(f"[{self.label}] {name} {request.url}")
        if self.must_fail and "{org}" in operation.path:
            if 200 <= status < 400:
                tally.cross.append(f"[{self.label}] {name} {request.url} → {status}")
            elif status != 404:
                tally.not_404[(name, status)] += 1


@pytest.fixture
def no_outside_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated webhooks, feeds and chat channels may name any host: nothing leaves this
    machine during the run."""
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def local(host: Any) -> bool:
        return str(host) in ("localhost", "::1") or str(host).startswith("127.")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not local(host):
            raise socket.gaierror(socket.EAI_NONAME, "outside network disabled in tests")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not local(address[0]):
            raise ConnectionRefusedError("outside network disabled in tests")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def connection_kept() -> Any:
    """The WSGI handler closes "old" connections around each request, which would close the
    test's own connection (inside its transaction) on PostgreSQL; Django's test client turns
    this off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def quiet_client_errors() -> Any:
    """Thousands of expected 4xx answers would each log a warning; server errors still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="over a minute of generated requests: run once, on PostgreSQL (make test-postgres)",
)
def test_generated_requests_find_no_errors_and_no_leaks(
    db: Any,
    settings: Any,
    no_outside_network: None,
    quiet_client_errors: None,
    connection_kept: None,
) -> None:
    settings.API_RATE_LIMIT = 1_000_000
    settings.API_RATE_LIMIT_WRITES = 1_000_000
    settings.API_RATE_LIMIT_ANONYMOUS = 1_000_000
    started = time.monotonic()
    a, b = build("zqalpha"), build("zqbeta")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    with_codes = [
        op for op in operations if any(len(choice) > 1 for choice in path_values(op, a, "x"))
    ]
    # Examples per operation and run so that the runs together send a bit over the minimum
    # (weights: B on A 3, B with A's codes 2, B on B 3, A valid 5, A invalid 3).
    per = max(1, math.ceil(MIN_REQUESTS * 1.1 / (len(operations) * 14 + len(with_codes) * 2)))
    deadline = started + TIME_LIMIT
    tally = Tally()
    before = snapshot(a["org"])
    b_token, a_token = b["token"], a["token"]
    Run(
        "B on A", b_token, a, a["org"].slug, tally, foreign_markers=a["markers"], must_fail=True
    ).over(operations, examples=3 * per, deadline=deadline)
    Run("B with A's codes", b_token, a, b["org"].slug, tally, foreign_markers=a["markers"]).over(
        with_codes, examples=2 * per, deadline=deadline
    )
    Run("B on B", b_token, b, b["org"].slug, tally, foreign_markers=a["markers"]).over(
        operations, examples=3 * per, deadline=deadline
    )
    after = snapshot(a["org"])
    changed = sorted(label for label in before if before[label] != after.get(label))
    own = Run("A on A", a_token, a, a["org"].slug, tally, foreign_markers=b["markers"])
    own.over(operations, examples=5 * per, deadline=deadline)
    invalid = Run("A on A, invalid", a_token, a, a["org"].slug, tally, GenerationMode.NEGATIVE)
    invalid.over(operations, examples=3 * per, deadline=deadline)
    while tally.requests < MIN_REQUESTS and time.monotonic() < deadline:
        per += 1
        own.over(operations, examples=5 * per, deadline=deadline)

    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {tally.requests} requests in {elapsed:.1f} s, {len(operations)} ops")
    print("  by status class:", dict(sorted(tally.by_class.items())))
    for label, count in tally.by_run.items():
        statuses = {
            code: n for (run, code), n in sorted(tally.status_by_run.items()) if run == label
        }
        print(f"  {label}: {count} requests in {tally.seconds_by_run[label]:.1f} s, {statuses}")
    print("  per operation:")
    for name, count in sorted(tally.by_operation.items()):
        print(f"    {count:5d}  {name}")
    for (name, status), count in sorted(tally.not_404.items()):
        print(f"  B on A's path answered {status} (refused before the lookup): {count}x {name}")
    for key, text in sorted(tally.failures.items()):
        print(f"  FAILURE {key[0]} [{key[1]}]\n    " + text.replace("\n", "\n    "))
    for line in tally.cross + tally.leaks:
        print("  CROSS-ORGANIZATION", line)
    if changed:
        print("  A's rows changed during B's run:", changed)
    if tally.not_generated:
        print(f"  {len(tally.not_generated)} operation runs had nothing to generate")

    assert tally.requests >= MIN_REQUESTS
    assert not tally.failures, f"{len(tally.failures)} operations answered outside the document"
    assert not tally.cross, "B's token succeeded on A's paths"
    assert not tally.leaks, "A's data appeared in answers to B"
    assert not changed, f"B's run changed A's rows: {changed}"
