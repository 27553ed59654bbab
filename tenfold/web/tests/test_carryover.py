"""The carry-over page (read, preview, apply) and duplicating an objective, per persona."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import CycleKind, KeyResult, Objective
from tenfold.okrs.services import cycle_create, cycle_set_state, key_result_create, objective_create


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


@pytest.fixture
def next_cycle(org, alice):
    return cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind=CycleKind.QUARTER,
        by=alice,
    )


def page_url(org, cycle):
    return reverse("carryover", kwargs={"org": org.slug, "code": cycle.code})


def duplicate_url(org, objective):
    return reverse("objective_duplicate", kwargs={"org": org.slug, "code": objective.code})


def choose(target, objective, *krs, action=None):
    data = {"target": target.code, "objective": [objective.code], "kr": [kr.code for kr in krs]}
    if action:
        data["action"] = action
    return data


# --- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor"])
def test_every_member_reads_where_the_cycle_ended(
    client, request, org, cycle, next_cycle, objective, key_result, bob, persona
):
    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(page_url(org, cycle))
    page = response.content.decode()
    assert response.status_code == 200
    assert objective.title in page and key_result.title in page
    assert "34 %" in page  # the last value, in the key result's format
    can_choose = f'name="objective" value="{objective.code}"' in page
    assert can_choose == (persona != "victor")
    if persona != "victor":
        assert f'value="{next_cycle.code}"' in page


def test_outsiders_and_strangers_are_turned_away(client, org, cycle, mallory, other_org):
    assert client.get(page_url(org, cycle)).status_code == 302
    client.force_login(mallory)
    assert client.get(page_url(org, cycle)).status_code == 404
    assert client.post(page_url(org, cycle), {}).status_code == 404


def test_the_page_shows_where_a_carried_key_result_came_from(
    client, org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(carol)
    client.post(page_url(org, cycle), choose(next_cycle, objective, key_result, action="apply"))
    response = client.get(page_url(org, next_cycle))
    assert "Carried from Q4 2026 (ended at 34 %)" in response.content.decode()


# --- preview and apply ------------------------------------------------------------------------


def test_preview_shows_what_will_be_created_and_writes_nothing(
    client, org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(carol)
    objectives = Objective.objects.count()
    response = client.post(page_url(org, cycle), choose(next_cycle, objective, key_result))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This will be created in Q1 2027" in page
    assert "from 34 % to 40 %" in page
    assert 'name="action" value="apply"' in page
    assert Objective.objects.count() == objectives


def test_an_htmx_preview_answers_with_the_fragment(
    client, org, cycle, next_cycle, objective, key_result, carol
):
    client.force_login(carol)
    response = client.post(
        page_url(org, cycle),
        choose(next_cycle, objective, key_result),
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="carryover-preview"')
    assert "<html" not in page


def test_apply_carries_and_lists_what_was_created(
    client, org, cycle, next_cycle, objective, key_result, carol, bob
):
    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(carol)
    response = client.post(
        page_url(org, cycle), choose(next_cycle, objective, key_result, action="apply")
    )
    copy = Objective.objects.get(cycle=next_cycle)
    kr = KeyResult.objects.get(objective=copy)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("objective", args=[org.slug, copy.code]) in page
    assert reverse("key_result", args=[org.slug, kr.code]) in page
    assert (copy.carried_from, kr.carried_from, kr.start) == (objective, key_result, Decimal(34))


def test_a_second_apply_is_refused_with_a_message(
    client, org, cycle, next_cycle, objective, key_result, carol
):
    client.force_login(carol)
    data = choose(next_cycle, objective, key_result, action="apply")
    client.post(page_url(org, cycle), data)
    response = client.post(page_url(org, cycle), data)
    assert response.status_code == 400
    assert "already carried into Q1 2027" in response.content.decode()
    assert Objective.objects.filter(cycle=next_cycle).count() == 1


def test_a_closed_target_is_refused_and_nothing_written(
    client, org, cycle, next_cycle, objective, key_result, alice, carol
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)
    client.force_login(carol)
    response = client.post(
        page_url(org, cycle), choose(next_cycle, objective, key_result, action="apply")
    )
    assert response.status_code == 400
    assert "“Q1 2027” is closed" in response.content.decode()
    assert not Objective.objects.filter(cycle=next_cycle).exists()


def test_no_target_is_a_clear_refusal(client, org, cycle, objective, carol):
    client.force_login(carol)
    response = client.post(page_url(org, cycle), {"objective": [objective.code]})
    assert response.status_code == 400
    assert "Choose the cycle to carry into." in response.content.decode()


def test_a_viewer_may_not_carry(client, org, cycle, next_cycle, objective, key_result, victor):
    client.force_login(victor)
    response = client.post(
        page_url(org, cycle), choose(next_cycle, objective, key_result, action="apply")
    )
    assert response.status_code == 403
    assert not Objective.objects.filter(cycle=next_cycle).exists()


def test_a_member_may_not_carry_an_objective_of_another_unit(
    client, org, company, team, cycle, next_cycle, alice, bob
):
    theirs = objective_create(
        organization=org, cycle=cycle, unit=company, title="Company goal", by=alice
    )
    client.force_login(bob)
    page = client.get(page_url(org, cycle)).content.decode()
    assert f'value="{theirs.code}"' not in page
    response = client.post(page_url(org, cycle), choose(next_cycle, theirs, action="apply"))
    assert response.status_code == 403
    assert not Objective.objects.filter(cycle=next_cycle).exists()


# --- duplicate --------------------------------------------------------------------------------


def test_duplicate_makes_a_copy_and_opens_it(
    client, org, cycle, next_cycle, objective, key_result, carol
):
    client.force_login(carol)
    response = client.post(duplicate_url(org, objective), {"target": next_cycle.code})
    copy = Objective.objects.get(cycle=next_cycle)
    assert response.status_code == 302
    assert response.url == reverse("objective", args=[org.slug, copy.code])
    assert copy.carried_from is None and copy.key_results.count() == 1


@pytest.mark.parametrize(("persona", "status"), [("victor", 403), ("mallory", 404)])
def test_duplicate_is_refused_to_viewers_and_outsiders(
    client, request, org, cycle, objective, other_org, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(duplicate_url(org, objective), {"target": cycle.code})
    assert response.status_code == status
    assert Objective.objects.filter(organization=org).count() == 1


def test_duplicate_into_a_closed_cycle_says_so(
    client, org, cycle, next_cycle, objective, alice, carol
):
    cycle_set_state(cycle=next_cycle, state="active", by=alice)
    cycle_set_state(cycle=next_cycle, state="closed", by=alice)
    client.force_login(carol)
    response = client.post(duplicate_url(org, objective), {"target": next_cycle.code})
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    assert Objective.objects.count() == 1


def test_duplicate_answers_get_with_405(client, org, objective, carol):
    client.force_login(carol)
    assert client.get(duplicate_url(org, objective)).status_code == 405


# --- queries ----------------------------------------------------------------------------------


def make_objectives(org, cycle, team, carol, count):
    for index in range(count):
        objective = objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Objective {index}", by=carol
        )
        for kr_index in range(2):
            key_result_create(
                objective=objective, title=f"KR {index}.{kr_index}", start=0, target=10, by=carol
            )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_page_runs_the_same_number_of_queries_for_3_or_30_objectives(
    client, org, team, cycle, next_cycle, carol, alice
):
    client.force_login(carol)
    make_objectives(org, cycle, team, carol, 3)
    later = cycle_create(
        organization=org, name="Q3 2026", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30),
        state="active", by=alice,
    )  # fmt: skip
    make_objectives(org, later, team, carol, 30)
    client.get(page_url(org, cycle))  # warm the session
    few = queries_for(client, page_url(org, cycle))
    many = queries_for(client, page_url(org, later))
    assert few == many


# --- the include ------------------------------------------------------------------------------


def test_the_include_lists_earlier_cycles_from_a_chain(
    client, org, cycle, next_cycle, objective, key_result, alice, carol, bob
):
    from django.template.loader import render_to_string

    from tenfold.okrs.carryover import carried_chain

    checkin_record(key_result=key_result, value=34, by=bob)
    client.force_login(carol)
    client.post(page_url(org, cycle), choose(next_cycle, objective, key_result, action="apply"))
    middle = KeyResult.objects.get(objective__cycle=next_cycle)
    KeyResult.objects.filter(pk=middle.pk).update(current=37)
    later = cycle_create(
        organization=org, name="Q2 2027", start=dt.date(2027, 4, 1), end=dt.date(2027, 6, 30),
        by=alice,
    )  # fmt: skip
    client.post(
        page_url(org, next_cycle),
        choose(later, middle.objective, middle, action="apply"),
    )
    last = KeyResult.objects.get(objective__cycle=later)
    assert last.start == Decimal(37)
    html = render_to_string("web/_carried_from.html", {"chain": carried_chain(last), "org": org})
    assert "Carried from Q1 2027 (ended at 37 %)" in html
    assert "Q4 2026</a>: ended at 34 %" in html
    assert render_to_string("web/_carried_from.html", {"org": org}).strip() == ""


def test_the_key_result_page_says_where_it_was_carried_from(
    client, org, alice, cycle, objective, key_result
):
    import datetime

    from django.urls import reverse

    from tenfold.checkins.services import checkin_record
    from tenfold.okrs.carryover import Selection, carry_over_objectives
    from tenfold.okrs.services import cycle_create
    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for

    checkin_record(key_result=key_result, value=31, by=alice)
    nxt = cycle_create(
        organization=org,
        name="Q1 2027",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        kind="quarter",
        state="planning",
        by=alice,
    )
    access = access_for(Membership.objects.get(organization=org, user=alice))
    carry_over_objectives(
        source_cycle=cycle,
        target_cycle=nxt,
        selections=[Selection(objective)],
        by=alice,
        access=access,
    )
    new_kr = key_result.__class__.objects.get(carried_from=key_result)
    client.force_login(alice)
    page = client.get(reverse("key_result", args=[org.slug, new_kr.code])).content.decode()
    assert 'data-testid="carried-from"' in page and "Carried from Q4 2026" in page
