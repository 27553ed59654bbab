from __future__ import annotations

from typing import Any

import pytest

from tenfold.interchange.tests.factory import enrich
from tenfold.organizations.models import Organization

from .site_rows import add_site_rows


@pytest.fixture
def site(
    org: Organization,
    alice: Any,
    bob: Any,
    carol: Any,
    team: Any,
    cycle: Any,
    objective: Any,
    key_result: Any,
    mallory: Any,
) -> Organization:
    """A site with two organizations: Acme with a row in every section of the interchange
    format and in every table of a backup's site part, and Globex, Mallory's."""
    from tenfold.conftest import build_other_org

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
    add_site_rows(org)
    build_other_org(mallory)
    return org
