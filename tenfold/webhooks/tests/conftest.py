"""Webhooks fixtures: time frozen inside the test quarter, the loopback host allowed for Acme
(the receiver listens there), a webhook of Acme's pointing at the receiver, and a way to run
what waits for a commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from tenfold.integrations.models import AllowedHost
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import Access, access_for
from tenfold.webhooks.models import Webhook
from tenfold.webhooks.services import webhook_create

NOW = "2026-11-15 12:00:00+00:00"


@pytest.fixture(autouse=True)
def _now() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def access_of(org: Any, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


@pytest.fixture
def allowed(org: Any, alice: Any) -> AllowedHost:
    """Acme's admin let its webhooks reach 127.0.0.1, where the test receiver listens."""
    return AllowedHost.objects.create(organization=org, host="127.0.0.1", created_by=alice)


@pytest.fixture
def webhook(org: Any, alice: Any, allowed: AllowedHost, receiver: Any) -> Webhook:
    return webhook_create(organization=org, name="Warehouse", url=receiver.url("/hook"), by=alice)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Any,
) -> Callable[[Callable[[], Any]], Any]:
    """`committed(lambda: service(...))`: run a service as if its transaction committed, so
    the webhook work queued for after the commit runs too (the tests' transaction never
    commits). Returns what the service returned."""

    def run(action: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result

    return run
