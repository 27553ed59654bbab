"""Chat fixtures: time frozen inside the test quarter, the personas' access, loopback allowed
for Acme (the receiver stands in for Slack and Teams), and a Slack and a Teams channel of the
Growth team pointing at the receiver."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from tenfold.chat.models import ChatChannel
from tenfold.chat.services import channel_create
from tenfold.integrations.models import AllowedHost
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now(request: Any) -> Any:
    if request.node.get_closest_marker("browser"):
        yield  # the live server runs on real time
        return
    with time_machine.travel(NOW, tick=False):
        yield


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


@pytest.fixture
def allowed(org: Any) -> AllowedHost:
    return AllowedHost.objects.create(organization=org, host="127.0.0.1", note="tests")


@pytest.fixture
def slack(org: Any, team: Any, carol: Any, receiver: Any, allowed: Any) -> ChatChannel:
    channel = channel_create(
        access=access_of(org, carol),
        unit=team,
        provider="slack",
        name="#growth",
        url=receiver.url("/slack/T000/B000/XXXXsecret"),
    )
    channel.organization = org
    return channel


@pytest.fixture
def teams(org: Any, team: Any, carol: Any, receiver: Any, allowed: Any) -> ChatChannel:
    channel = channel_create(
        access=access_of(org, carol),
        unit=team,
        provider="teams",
        name="Growth (Teams)",
        url=receiver.url("/teams/webhookb2/abcdef"),
    )
    channel.organization = org
    return channel
