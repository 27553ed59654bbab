"""Shared fixtures. The personas: alice owns organization A, bob is a member of A, carol leads
a team in A, victor only views A, and mallory belongs to organization B only."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer

from tenfold.accounts.models import User
from tenfold.accounts.services import addresses_verified
from tenfold.okrs.models import Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.services import cycle_create, key_result_create, objective_create
from tenfold.organizations.models import Organization, Role, Unit, UnitKind
from tenfold.organizations.services import organization_create, person_add, unit_create

PASSWORD = "correct-horse-battery"

not_on_postgresql = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="does not depend on the suite's database: run once, in the SQLite suite",
)
"""For slow tests whose subject is not the database (a server of their own on a SQLite file, a
check of documents against a schema): the PostgreSQL run of the suite leaves them out."""


@pytest.fixture(autouse=True)
def _long_query_log() -> None:
    """Query counting reads the connection's log, which keeps 9,000 queries by default: once a
    big setup fills it, every count would read zero. Keep a longer log in tests."""
    from collections import deque

    from django.db import connections

    for connection in connections.all():
        connection.queries_log = deque(maxlen=1_000_000)


@pytest.fixture(autouse=True)
def _fresh_fragments() -> Iterator[None]:
    """Each test starts with no kept pages and no organization for the change counter."""
    from django.core.cache import caches

    from tenfold.db import changes
    from tenfold.web.fragments import CACHE_ALIAS

    caches[CACHE_ALIAS].clear()
    changes.start_request()
    yield
    changes.start_request()


@pytest.fixture
def no_fragments(settings: Any) -> None:
    """Every page built from the database, never served from the fragment cache: for tests
    that count what building a page costs."""
    settings.FRAGMENT_CACHE = False


@pytest.fixture(scope="session")
def _scratch(tmp_path_factory: Any) -> Any:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(autouse=True)
def _scratch_dirs(settings: Any, _scratch: Any) -> None:
    """Files that tests make (exports, uploaded spreadsheets) go to a temporary folder, never
    into the data directory of the checkout."""
    settings.TRANSFERS_DIR = str(_scratch / "transfers")
    settings.IMPORTS_DIR = str(_scratch / "imports")


@pytest.fixture(autouse=True)
def _fast_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


PERSONAS = {
    "alice": ("alice@example.com", "Alice Owner"),
    "ada": ("ada@example.com", "Ada Admin"),
    "bob": ("bob@example.com", "Bob Member"),
    "carol": ("carol@example.com", "Carol Lead"),
    "victor": ("victor@example.com", "Victor Viewer"),
    "mallory": ("mallory@example.com", "Mallory Outsider"),
    # People of Mallory's organization only, as a member and as an admin.
    "mona": ("mona@example.com", "Mona Globex Member"),
    "bea": ("bea@example.com", "Bea Globex Admin"),
}


def make_user(email: str, name: str) -> User:
    """An account that has proven its address, as everybody who signs in has."""
    user = User.objects.create_user(email=email, password=PASSWORD, name=name)
    addresses_verified([user])
    return user


def make_persona(persona: str) -> User:
    return make_user(*PERSONAS[persona])


@pytest.fixture
def alice(db: Any) -> User:
    return make_persona("alice")


@pytest.fixture
def bob(db: Any) -> User:
    return make_persona("bob")


@pytest.fixture
def carol(db: Any) -> User:
    return make_persona("carol")


@pytest.fixture
def victor(db: Any) -> User:
    return make_persona("victor")


@pytest.fixture
def mallory(db: Any) -> User:
    return make_persona("mallory")


def build_org(alice: User) -> Organization:
    return organization_create(name="Acme", slug="acme", owner=alice, time_zone="Europe/Berlin")


@pytest.fixture
def org(alice: User) -> Organization:
    return build_org(alice)


@pytest.fixture
def company(org: Organization) -> Unit:
    return Unit.objects.get(organization=org, parent__isnull=True)


def build_team(org: Organization, alice: User, bob: User, carol: User, victor: User) -> Unit:
    """Product (a department) and its team Growth: bob a member, carol its lead, victor a
    viewer of the organization."""
    company = Unit.objects.get(organization=org, parent__isnull=True)
    dept = unit_create(
        organization=org, name="Product", parent=company, kind=UnitKind.DEPARTMENT, by=alice
    )
    unit = unit_create(organization=org, name="Growth", parent=dept, by=alice)
    person_add(organization=org, email=bob.email, units=[unit], by=alice)
    person_add(organization=org, email=carol.email, role=Role.LEAD, lead_of=[unit], by=alice)
    person_add(organization=org, email=victor.email, role=Role.VIEWER, by=alice)
    return unit


def build_quarter(organization: Organization, by: User) -> Cycle:
    return cycle_create(
        organization=organization,
        name="Q4 2026",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=by,
    )


def build_other_org(mallory: User) -> Organization:
    other = organization_create(name="Globex", slug="globex", owner=mallory)
    build_quarter(other, mallory)
    return other


def build_objective(org: Organization, cycle: Cycle, team: Unit, carol: User) -> Objective:
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Customers love onboarding",
        lead=carol,
        state="active",
        by=carol,
    )


def build_key_result(objective: Objective, bob: User, carol: User) -> KeyResult:
    return key_result_create(
        objective=objective,
        title="Raise activation from 20% to 40%",
        kind="increase",
        start=Decimal(20),
        target=Decimal(40),
        unit_label="%",
        owner=bob,
        by=carol,
    )


@pytest.fixture
def team(
    org: Organization, company: Unit, alice: User, bob: User, carol: User, victor: User
) -> Unit:
    return build_team(org, alice, bob, carol, victor)


@pytest.fixture
def other_org(mallory: User) -> Organization:
    return build_other_org(mallory)


@pytest.fixture
def cycle(org: Organization, alice: User) -> Cycle:
    """An active quarter that contains today's date in the tests that freeze time to it."""
    return build_quarter(org, alice)


@pytest.fixture
def objective(org: Organization, cycle: Cycle, team: Unit, carol: User) -> Objective:
    return build_objective(org, cycle, team, carol)


@pytest.fixture
def key_result(objective: Objective, bob: User, carol: User) -> KeyResult:
    return build_key_result(objective, bob, carol)


# --- browser tests ------------------------------------------------------------------------------
# One Chromium per test process, shared by every app's browser tests (two Playwright instances
# in one process would collide), so the fixtures live here rather than in a sub-folder.


class _SerialServer(WSGIServer):
    """The live server handles one request at a time. With SQLite in memory every request
    shares the test's one connection, and the pages' htmx requests (the coach's panel, a live
    check) can overlap a navigation; served in turn they cannot race on that connection."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _serial_live_server() -> Iterator[None]:
    from django.test.testcases import LiveServerThread

    original = LiveServerThread.server_class
    LiveServerThread.server_class = _SerialServer  # type: ignore[assignment]
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from tenfold.web.tests.browser.conftest import CHROMIUM_FLAGS, chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("TENFOLD_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is not installed: apt-get install chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    """A real SMTP server on loopback; Django's mail goes to it for the test."""
    from tenfold.notifications.testing import smtp_mailers, smtp_server

    with smtp_server() as inbox:
        settings.MAILERS = smtp_mailers(inbox)
        yield inbox


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A real HTTP server on loopback that records requests (see notifications.testing)."""
    from tenfold.notifications.testing import http_receiver

    with http_receiver() as found:
        yield found
