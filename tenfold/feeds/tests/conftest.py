"""Fixtures of the feed tests: a clock inside the test quarter (running, so timeouts and
sockets behave), the personas' access, the loopback allowed for Acme, and builders of feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tenfold.feeds.models import DataSource
from tenfold.feeds.services import source_set
from tenfold.integrations.models import AllowedHost
from tenfold.notifications.testing import Answer
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

NOW = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def clock(request: Any) -> Any:
    if request.node.get_closest_marker("browser"):
        yield None  # the live server and the browser run on the real clock
        return
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


@pytest.fixture
def as_of(org: Any, team: Any) -> Any:
    return lambda user: access_of(org, user)


@pytest.fixture
def loopback(org: Any, alice: Any) -> AllowedHost:
    """Acme's admin lets feeds reach 127.0.0.1, where the test servers listen."""
    return AllowedHost.objects.create(organization=org, host="127.0.0.1", created_by=alice)


def json_answer(body: str, status: int = 200, delay: float = 0.0) -> Answer:
    return Answer(status=status, body=body.encode(), content_type="application/json", delay=delay)


def csv_answer(body: str) -> Answer:
    return Answer(body=body.encode(), content_type="text/csv")


@pytest.fixture
def url_feed(org: Any, key_result: Any, carol: Any, receiver: Any, loopback: Any) -> DataSource:
    """Carol (lead of Growth) pulls the key result from the receiver's /metrics.json."""
    receiver.answers["/metrics.json"] = json_answer('{"data": {"metrics": [{"value": 31.5}]}}')
    source, _token = source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="url",
        url=receiver.url("/metrics.json"),
        format="json",
        path="data.metrics[0].value",
    )
    return DataSource.objects.select_related("organization", "created_by").get(pk=source.pk)


@pytest.fixture
def push_feed(org: Any, key_result: Any, carol: Any) -> tuple[DataSource, str]:
    source, token = source_set(access=access_of(org, carol), key_result=key_result, kind="push")
    assert token is not None
    return source, token
