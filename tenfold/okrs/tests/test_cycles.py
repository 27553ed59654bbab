"""Cycles: creating one, a whole year at once (quarters, months or six-week cycles), and moving
a cycle through its states."""

import datetime as dt
import itertools

import pytest
import time_machine

from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Cycle
from tenfold.okrs.services import cycle_create, cycle_set_state, cycles_create_for_year
from tenfold.okrs.tests.helpers import NOW, refused, row_counts

D = dt.date


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def new_cycle(org, by, **fields):
    defaults = {"name": "Q1 2027", "start": D(2027, 1, 1), "end": D(2027, 3, 31)}
    return cycle_create(organization=org, by=by, **{**defaults, **fields})


def test_creating_a_cycle_writes_one_audit_event(org, alice):
    before = row_counts()
    cycle = new_cycle(org, alice, kind="quarter")
    after = row_counts()
    assert (after["Cycle"], after["AuditEvent"]) == (before["Cycle"] + 1, before["AuditEvent"] + 1)
    assert (cycle.state, cycle.kind) == ("planning", "quarter")
    event = AuditEvent.objects.get(verb="cycle.created")
    assert (event.object_code, event.changes) == (
        cycle.code,
        {"start": "2027-01-01", "end": "2027-03-31"},
    )


def test_a_cycle_ending_before_it_starts_is_refused(org, alice):
    message = refused(
        "end",
        cycle_create,
        organization=org,
        name="X",
        start=D(2027, 3, 31),
        end=D(2027, 1, 1),
        by=alice,
    )
    assert "after the start" in message


def test_a_cycle_ending_on_the_day_it_starts_is_refused(org, alice):
    refused(
        "end",
        cycle_create,
        organization=org,
        name="X",
        start=D(2027, 1, 1),
        end=D(2027, 1, 1),
        by=alice,
    )


@pytest.mark.parametrize("field", ["start", "end"])
def test_a_cycle_without_a_date_is_refused(org, alice, field):
    dates = {"start": D(2027, 1, 1), "end": D(2027, 3, 31), field: None}
    assert "Enter the" in refused(
        field, cycle_create, organization=org, name="X", by=alice, **dates
    )


def test_a_cycle_of_two_days_is_accepted(org, alice):
    assert new_cycle(org, alice, name="Sprint", start=D(2027, 1, 1), end=D(2027, 1, 2))


def test_a_cycle_without_a_name_is_refused(org, alice):
    refused(
        "name",
        cycle_create,
        organization=org,
        name=" ",
        start=D(2027, 1, 1),
        end=D(2027, 3, 31),
        by=alice,
    )


def test_a_second_cycle_with_the_same_name_is_refused(org, cycle, alice):
    message = refused(
        "name",
        cycle_create,
        organization=org,
        name="Q4 2026",
        start=D(2027, 1, 1),
        end=D(2027, 3, 31),
        by=alice,
    )
    assert "already a cycle" in message


def test_the_same_name_is_fine_in_another_organization(org, other_org, alice):
    assert new_cycle(org, alice, name="Q4 2026")


@pytest.mark.parametrize(("field", "value"), [("kind", "fortnight"), ("state", "paused")])
def test_an_unknown_cycle_kind_or_state_is_refused(org, alice, field, value):
    refused(
        field,
        cycle_create,
        organization=org,
        name="X",
        start=D(2027, 1, 1),
        end=D(2027, 3, 31),
        by=alice,
        **{field: value},
    )


def test_a_cycle_must_lie_within_its_parent(org, alice):
    year = new_cycle(org, alice, name="2027", end=D(2027, 12, 31), kind="year")
    message = refused(
        "parent",
        cycle_create,
        organization=org,
        name="X",
        start=D(2026, 12, 1),
        end=D(2027, 2, 28),
        parent=year,
        by=alice,
    )
    assert "within" in message


def test_a_cycle_cannot_be_part_of_another_organizations_cycle(org, other_org, alice):
    theirs = Cycle.objects.get(organization=other_org)
    refused(
        "parent",
        cycle_create,
        organization=org,
        name="X",
        start=D(2026, 10, 1),
        end=D(2026, 10, 31),
        parent=theirs,
        by=alice,
    )


# --- a year at once ---------------------------------------------------------------------------


def names_and_dates(cycles):
    return [(c.name, c.start, c.end) for c in cycles]


def test_a_quarterly_organization_gets_a_year_and_four_quarters(org, alice):
    made = cycles_create_for_year(organization=org, year=2027, by=alice)
    assert names_and_dates(made) == [
        ("2027", D(2027, 1, 1), D(2027, 12, 31)),
        ("Q1 2027", D(2027, 1, 1), D(2027, 3, 31)),
        ("Q2 2027", D(2027, 4, 1), D(2027, 6, 30)),
        ("Q3 2027", D(2027, 7, 1), D(2027, 9, 30)),
        ("Q4 2027", D(2027, 10, 1), D(2027, 12, 31)),
    ]
    assert [c.kind for c in made] == ["year"] + ["quarter"] * 4
    assert all(c.parent == made[0] for c in made[1:])
    assert AuditEvent.objects.filter(verb="cycle.created").count() == 5


def test_a_fiscal_year_from_april_gets_fiscal_quarters(org, alice):
    org.fiscal_year_start_month = 4
    org.save()
    made = cycles_create_for_year(organization=org, year=2027, by=alice)
    assert [c.name for c in made] == ["FY2027", "Q1 FY2027", "Q2 FY2027", "Q3 FY2027", "Q4 FY2027"]
    assert (made[0].start, made[0].end) == (D(2026, 4, 1), D(2027, 3, 31))


def test_a_monthly_organization_gets_twelve_months(org, alice):
    org.cycle_length = "month"
    org.save()
    made = cycles_create_for_year(organization=org, year=2028, by=alice)
    assert len(made) == 13
    assert [c.kind for c in made[1:]] == ["month"] * 12
    assert (made[1].name, made[2].end, made[-1].end) == (
        "Jan 2028",
        D(2028, 2, 29),
        D(2028, 12, 31),
    )


def test_a_six_week_organization_gets_eight_cycles_that_fit_the_year(org, alice):
    org.cycle_length = "six_weeks"
    org.save()
    made = cycles_create_for_year(organization=org, year=2027, by=alice)
    parts = made[1:]
    assert [c.name for c in parts] == [f"C{n} 2027" for n in range(1, 9)]
    assert all((c.end - c.start).days == 41 for c in parts)
    assert all(b.start == a.end + dt.timedelta(days=1) for a, b in itertools.pairwise(parts))
    assert parts[-1].end <= made[0].end


@pytest.mark.parametrize("length", ["quarter", "month", "six_weeks"])
def test_making_the_year_again_creates_nothing_new(org, alice, length):
    org.cycle_length = length
    org.save()
    cycles_create_for_year(organization=org, year=2027, by=alice)
    before = row_counts()
    again = cycles_create_for_year(organization=org, year=2027, by=alice)
    assert row_counts() == before
    assert [c.name for c in again] == ["2027"]


def test_making_a_year_skips_the_cycles_that_already_exist(org, cycle, alice):
    made = cycles_create_for_year(organization=org, year=2026, by=alice)
    assert [c.name for c in made] == ["2026", "Q1 2026", "Q2 2026", "Q3 2026"]
    assert Cycle.objects.filter(organization=org, name="Q4 2026").count() == 1


# --- states -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        ["active"],
        ["active", "reviewing"],
        ["active", "closed"],
        ["active", "reviewing", "closed", "reviewing", "active"],
    ],
)
def test_a_cycle_moves_along_its_lifecycle(org, alice, path):
    cycle = new_cycle(org, alice)
    for state in path:
        cycle_set_state(cycle=cycle, state=state, by=alice)
    cycle.refresh_from_db()
    assert cycle.state == path[-1]
    assert AuditEvent.objects.filter(verb="cycle.state_changed").count() == len(path)


@pytest.mark.parametrize(
    ("path", "state"),
    [(["active", "closed"], "active"), ([], "closed"), ([], "reviewing"), (["active"], "planning")],
)
def test_a_cycle_cannot_jump_out_of_its_lifecycle(org, alice, path, state):
    cycle = new_cycle(org, alice)
    for step in path:
        cycle_set_state(cycle=cycle, state=step, by=alice)
    refused("state", cycle_set_state, cycle=cycle, state=state, by=alice)
    cycle.refresh_from_db()
    assert cycle.state == (path[-1] if path else "planning")


def test_an_ended_cycle_keeps_the_status_of_its_last_day(org, cycle, objective, key_result, bob):
    import datetime as dt

    import time_machine

    from tenfold.checkins.services import checkin_record
    from tenfold.lib.progress import Status
    from tenfold.okrs.selectors import key_result_status, objective_status

    with time_machine.travel("2026-12-28 12:00:00+00:00", tick=False):
        checkin_record(key_result=key_result, value=40, by=bob)
    key_result.refresh_from_db()
    objective.refresh_from_db()
    cycle.organization = org
    months_later = dt.date(2027, 3, 1)
    assert key_result_status(key_result, cycle, months_later) == Status.DONE
    assert objective_status(objective, [key_result], cycle, months_later) == Status.DONE
