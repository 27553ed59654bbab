"""The preview reads the organization with a fixed number of queries, whatever the file's
size; the import adds nothing per row beyond what the services themselves need."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.sheets import importing

from .conftest import preview_of

pytestmark = pytest.mark.django_db


def sheet(objectives: int, per_objective: int = 3) -> bytes:
    lines = ["Objective,Key result,Owner,Team,Cycle,Start,Target,Current,Confidence"]
    for i in range(objectives):
        for j in range(per_objective):
            lines.append(f"Objective {i},KR {i}.{j},bob@example.com,Growth,Q4 2026,0,10,{j + 1},7")
    return "\n".join(lines).encode()


def count(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def test_preview_queries_are_constant(org, team, cycle, alice, django_assert_max_num_queries):
    small = count(lambda: preview_of(org, sheet(2), "s.csv", alice))
    large = count(lambda: preview_of(org, sheet(40), "s.csv", alice))
    assert small == large
    with django_assert_max_num_queries(8):  # measured: 6 (access 3, cycles, units, people)
        preview_of(org, sheet(40), "s.csv", alice)


def test_apply_adds_nothing_beyond_the_services(org, team, cycle, alice, bob):
    n = 4
    per_objective = 3
    result = preview_of(org, sheet(n, per_objective), "s.csv", alice)
    assert result.ok
    imported = count(lambda: importing.apply(result, alice))

    def by_hand() -> None:
        for i in range(n):
            objective = objective_create(
                organization=org, cycle=cycle, unit=team, title=f"Objective {i}", by=alice
            )
            for j in range(per_objective):
                kr = key_result_create(
                    objective=objective,
                    title=f"KR {i}.{j}",
                    kind="increase",
                    start=Decimal(0),
                    target=Decimal(10),
                    owner=bob,
                    by=alice,
                )
                checkin_record(key_result=kr, value=Decimal(j + 1), confidence=7, by=alice)

    services = count(by_hand)
    # The import's own cost is the transaction around it (a savepoint pair at most) and the
    # one audit event that names the file.
    assert imported <= services + 3, (imported, services)
