"""Property: for any organization, export → import (under a new address) → export gives the
same document, once the address, the name and the export time are set aside."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.interchange.importing import load
from tenfold.okrs.models import (
    Alignment,
    Cycle,
    CycleState,
    KeyResult,
    KeyResultKind,
    Objective,
    ObjectiveState,
)
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.social.models import Comment

from .helpers import delete_organization, export_text, normalise

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
TIMES = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1), timezones=st.just(dt.UTC)
)
VALUES = st.decimals(
    min_value=-(10**9), max_value=10**9, places=4, allow_nan=False, allow_infinity=False
)
FRACTIONS = st.decimals(min_value=0, max_value=1, places=4)
JSONS = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)

CHANGES = st.dictionaries(TEXT, JSONS, max_size=3)


@st.composite
def organizations(draw: Any) -> dict[str, Any]:
    """A blueprint: indexes tie rows together, so every reference points at a row."""
    people = draw(st.integers(1, 4))
    units = draw(st.integers(1, 4))
    cycles = draw(st.integers(1, 3))
    objectives = draw(st.integers(0, 4))
    key_results = draw(st.integers(0, 5)) if objectives else 0
    return {
        "name": draw(TEXT.filter(lambda t: t.strip())),
        "ppp_names": draw(
            st.dictionaries(st.sampled_from(["plans", "progress", "problems"]), TEXT)
        ),
        "extra": draw(st.lists(TEXT, max_size=2)),
        "people": [
            (draw(TEXT), draw(st.sampled_from(Role.values)), draw(TIMES)) for _ in range(people)
        ],
        "units": [
            (draw(TEXT), draw(st.integers(0, max(0, i - 1))), draw(st.integers(0, 5)))
            for i in range(units)
        ],
        "members": draw(st.sets(st.tuples(st.integers(0, units - 1), st.integers(0, people - 1)))),
        "cycles": [
            (
                draw(st.dates(dt.date(2000, 1, 1), dt.date(2080, 1, 1))),
                draw(st.integers(1, 400)),
                draw(st.sampled_from(CycleState.values)),
                draw(st.none() | st.integers(0, max(0, i - 1))) if i else None,
            )
            for i in range(cycles)
        ],
        "objectives": [
            {
                "cycle": draw(st.integers(0, cycles - 1)),
                "unit": draw(st.integers(0, units - 1)),
                "title": draw(TEXT),
                "state": draw(st.sampled_from(ObjectiveState.values)),
                "progress": draw(FRACTIONS),
                "version": draw(st.integers(1, 50)),
                "lead": draw(st.none() | st.integers(0, people - 1)),
                "carried": draw(st.none() | st.integers(0, max(0, i - 1))) if i else None,
                "times": (draw(TIMES), draw(TIMES)),
                "parent": draw(st.none() | st.integers(0, max(0, i - 1))) if i else None,
                "weight": draw(FRACTIONS),
            }
            for i in range(objectives)
        ],
        "key_results": [
            {
                "objective": draw(st.integers(0, objectives - 1)),
                "kind": draw(st.sampled_from(KeyResultKind.values)),
                "values": (draw(st.none() | VALUES), draw(VALUES), draw(st.none() | VALUES)),
                "progress": draw(FRACTIONS),
                "owner": draw(st.none() | st.integers(0, people - 1)),
                "checkins": [
                    (draw(VALUES), draw(st.none() | FRACTIONS), draw(TEXT), draw(TIMES))
                    for _ in range(draw(st.integers(0, 3)))
                ],
                "correct": draw(st.booleans()),
            }
            for _ in range(key_results)
        ],
        "items": [
            (draw(st.integers(0, people - 1)), draw(TEXT), draw(st.sampled_from(["plans", "x"])))
            for _ in range(draw(st.integers(0, 3)))
        ],
        "comments": [draw(TEXT) for _ in range(draw(st.integers(0, 2)))],
        "events": [
            (draw(TEXT), draw(CHANGES), draw(TIMES)) for _ in range(draw(st.integers(0, 3)))
        ],
    }


def build(plan: dict[str, Any]) -> Organization:
    org = Organization.objects.create(
        slug="generated",
        name=plan["name"][:120],
        ppp_names=plan["ppp_names"],
        extra_categories=plan["extra"],
    )
    people = []
    for index, (name, role, joined) in enumerate(plan["people"]):
        person = User.objects.create_user(email=f"p{index}@generated.example", name=name)
        membership = Membership.objects.create(organization=org, user=person, role=role)
        Membership.objects.filter(pk=membership.pk).update(created_at=joined)
        people.append(person)
    units: list[Unit] = []
    for index, (name, parent, order) in enumerate(plan["units"]):
        units.append(
            Unit.objects.create(
                organization=org,
                name=f"{index} {name}"[:120],
                parent=units[parent] if index else None,
                kind="company" if index == 0 else "team",
                order=order,
            )
        )
    for unit, person in plan["members"]:
        UnitMember.objects.create(
            organization=org, unit=units[unit], user=people[person], is_lead=unit == 0
        )
    cycles: list[Cycle] = []
    for index, (start, days, state, parent) in enumerate(plan["cycles"]):
        cycles.append(
            Cycle.objects.create(
                organization=org,
                name=f"C{index}",
                start=start,
                end=start + dt.timedelta(days=days),
                state=state,
                parent=None if parent is None else cycles[parent],
            )
        )
    objectives: list[Objective] = []
    for spec in plan["objectives"]:
        objective = Objective.objects.create(
            organization=org,
            cycle=cycles[spec["cycle"]],
            unit=units[spec["unit"]],
            title=spec["title"] or "untitled",
            state=spec["state"],
            progress=spec["progress"],
            version=spec["version"],
            lead=None if spec["lead"] is None else people[spec["lead"]],
            carried_from=None if spec["carried"] is None else objectives[spec["carried"]],
        )
        created, updated = spec["times"]
        Objective.objects.filter(pk=objective.pk).update(created_at=created, updated_at=updated)
        if spec["parent"] is not None:
            Alignment.objects.create(
                organization=org,
                child=objective,
                parent_objective=objectives[spec["parent"]],
                weight=spec["weight"],
            )
        objectives.append(objective)
    for spec in plan["key_results"]:
        start, target, current = spec["values"]
        kr = KeyResult.objects.create(
            organization=org,
            objective=objectives[spec["objective"]],
            title="kr",
            kind=spec["kind"],
            start=start,
            target=target,
            current=current,
            progress=spec["progress"],
            owner=None if spec["owner"] is None else people[spec["owner"]],
        )
        previous = None
        for value, confidence, note, measured in spec["checkins"]:
            previous = CheckIn.objects.create(
                organization=org,
                key_result=kr,
                value=value,
                confidence=confidence,
                note=note,
                measured_at=measured,
                author=people[0],
                supersedes=previous if spec["correct"] else None,
            )
    for person, text, category in plan["items"]:
        report, _created = WeeklyReport.objects.get_or_create(
            organization=org, person=people[person], week=dt.date(2030, 1, 7)
        )
        WeeklyItem.objects.create(
            organization=org, report=report, text=text, category=category, added_by=people[person]
        )
    for body in plan["comments"]:
        if objectives:
            Comment.objects.create(
                organization=org, author=people[-1], body=body, objective=objectives[0]
            )
    for verb, changes, when in plan["events"]:
        AuditEvent.objects.create(
            organization=org,
            verb=verb,
            object_type="thing",
            object_code="x",
            object_repr="x",
            changes=changes,
            actor=people[0],
            created_at=when,
        )
    return org


@pytest.mark.django_db
@settings(
    max_examples=20,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=organizations())
def test_export_import_export_gives_the_same_document(plan: dict[str, Any]) -> None:
    with transaction.atomic():
        org = build(plan)
        first = export_text(org)
        delete_organization(org)
        copy = load(first, slug="imported")
        assert copy.slug == "imported"
        second = export_text(copy)
        assert normalise(second, slug=True) == normalise(first, slug=True)
        # Byte for byte, apart from the export time and the address.
        head, body = second.split("\n", 4)[3], second.split("\n", 4)[4]
        assert head.startswith('"exported_at": ')
        assert (
            body.replace('"slug": "imported"', '"slug": "generated"', 1)
            == (first.split("\n", 4)[4])
        )
        transaction.set_rollback(True)
