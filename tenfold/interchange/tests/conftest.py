from __future__ import annotations

from typing import Any

import pytest

from tenfold.organizations.models import Organization

from .factory import enrich


@pytest.fixture
def rich(
    org: Organization,
    alice: Any,
    bob: Any,
    carol: Any,
    team: Any,
    cycle: Any,
    objective: Any,
    key_result: Any,
) -> Organization:
    enrich(
        org,
        alice=alice,
        bob=bob,
        carol=carol,
        team=team,
        cycle=cycle,
        objective=objective,
        key_result=key_result,
    )
    return org
