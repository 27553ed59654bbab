"""The objective page, creating and editing objectives, state changes and alignment."""

from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Alignment, Objective
from tenfold.okrs.services import (
    cycle_set_state,
    initiative_create,
    key_result_create,
    objective_create,
)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def url(name, org, code=None):
    return reverse(name, kwargs={"org": org.slug, **({"code": code} if code else {})})


def page_of(client, org, objective):
    response = client.get(url("objective", org, objective.code))
    return response, response.content.decode()


def form_data(cycle, team, **changes):
    data = {
        "cycle": cycle.code,
        "unit": team.code,
        "title": "Trials turn into customers",
        "description": "Most trials never see the report that sells us.",
        "type": "committed",
        "visibility": "organization",
        "lead": "",
    }
    return {**data, **changes}


# --- the page --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor"])
def test_every_member_sees_the_objective_page(client, request, org, objective, key_result, persona):
    client.force_login(request.getfixturevalue(persona))
    response, page = page_of(client, org, objective)
    assert response.status_code == 200
    assert objective.title in page
    assert key_result.title in page
    assert reverse("unit", args=[org.slug, objective.unit.code]) in page
    assert "Carol Lead" in page
    assert "the team commits to deliver all of it" in page
    assert "How is this computed?" in page


def test_the_page_offers_check_ins_and_edits_to_the_team(client, org, bob, objective, key_result):
    client.force_login(bob)
    _, page = page_of(client, org, objective)
    assert url("key_result_checkin", org, key_result.code) in page
    assert 'hx-swap="outerHTML"' in page
    assert url("objective_edit", org, objective.code) in page
    assert url("key_result_new", org, objective.code) in page
    assert url("objective_history", org, objective.code) in page


def test_a_viewer_sees_the_page_without_any_form(client, org, victor, objective, key_result):
    client.force_login(victor)
    _, page = page_of(client, org, objective)
    assert url("key_result_checkin", org, key_result.code) not in page
    assert url("objective_edit", org, objective.code) not in page
    assert url("initiative_new", org, key_result.code) not in page


def test_someone_from_another_organization_gets_a_404(client, org, mallory, other_org, objective):
    client.force_login(mallory)
    assert client.get(url("objective", org, objective.code)).status_code == 404


def test_a_private_objective_is_a_404_for_people_who_may_not_see_it(
    client, org, cycle, team, alice, bob, carol
):
    hidden = objective_create(
        organization=org, cycle=cycle, unit=team, title="Quiet", visibility="private", by=alice
    )
    client.force_login(bob)
    assert client.get(url("objective", org, hidden.code)).status_code == 404
    client.force_login(carol)
    assert client.get(url("objective", org, hidden.code)).status_code == 200


def test_progress_above_the_target_shows_the_raw_share_but_a_full_bar(
    client, org, bob, objective, key_result
):
    checkin_record(key_result=key_result, value=50, confidence=9, by=bob)
    client.force_login(bob)
    _, page = page_of(client, org, objective)
    assert "150 % of the way" in page
    assert "width: 100.0%" in page
    assert "confidence 9/10" in page


def test_the_explanation_lists_each_key_result_with_its_weight(
    client, org, carol, objective, key_result
):
    key_result_create(
        objective=objective, title="Halve churn", kind="decrease", start=10, target=5,
        weight=3, by=carol,
    )  # fmt: skip
    checkin_record(key_result=key_result, value=30, by=carol)
    client.force_login(carol)
    _, page = page_of(client, org, objective)
    assert "Σ(key-result progress × weight) ÷ Σ(weight)" in page
    assert "Halve churn" in page
    assert "0.5 ÷ 4 = " in page


def test_the_objective_page_runs_a_fixed_number_of_queries(
    client, org, carol, objective, django_assert_num_queries, no_fragments
):
    client.force_login(carol)

    def add(count):
        for index in range(count):
            kr = key_result_create(
                objective=objective, title=f"KR {index}", kind="increase", start=0,
                target=10, owner=carol, by=carol,
            )  # fmt: skip
            initiative_create(key_result=kr, title="Do a thing", owner=carol, by=carol)
            initiative_create(key_result=kr, title="Do another", by=carol)
            checkin_record(key_result=kr, value=index, confidence=5, by=carol)
            checkin_record(key_result=kr, value=index + 1, confidence=6, by=carol)

    add(2)
    client.get(url("objective", org, objective.code))  # the first visit stores the session
    with CaptureQueriesContext(connection) as small:
        client.get(url("objective", org, objective.code))
    add(10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url("objective", org, objective.code))
    assert response.content.decode().count('data-testid="kr"') == 12


# --- creating ----------------------------------------------------------------------------------


def test_the_new_objective_form_offers_only_units_the_person_may_create_in(
    client, org, company, team, cycle, bob
):
    client.force_login(bob)
    response = client.get(url("objective_new", org) + f"?unit={team.code}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{team.code}" selected' in page
    assert f'value="{company.code}"' not in page
    assert f'value="{cycle.code}" selected' in page
    assert 'data-count-hint="70"' in page


def test_a_member_creates_an_objective_for_their_team(client, org, team, cycle, bob):
    client.force_login(bob)
    response = client.post(url("objective_new", org), form_data(cycle, team, lead=str(bob.pk)))
    objective = Objective.objects.get(title="Trials turn into customers")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/objectives/{objective.code}/")
    assert objective.lead == bob
    assert objective.unit == team


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "This cannot be empty."), ("   ", "This cannot be empty."), ("x" * 201, "under 200")],
)
def test_a_bad_title_creates_nothing(client, org, team, cycle, bob, title, message):
    client.force_login(bob)
    response = client.post(url("objective_new", org), form_data(cycle, team, title=title))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Objective.objects.count() == 0


def test_a_closed_cycle_is_not_offered_and_cannot_be_posted(client, org, alice, team, cycle, bob):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    client.force_login(bob)
    response = client.post(url("objective_new", org), form_data(cycle, team))
    assert response.status_code == 400
    assert Objective.objects.count() == 0


def test_a_viewer_cannot_create_objectives(client, org, team, cycle, victor):
    client.force_login(victor)
    assert client.get(url("objective_new", org)).status_code == 403
    assert client.post(url("objective_new", org), form_data(cycle, team)).status_code == 403
    assert Objective.objects.count() == 0


def test_someone_from_another_organization_cannot_create_objectives(
    client, org, team, cycle, mallory, other_org
):
    client.force_login(mallory)
    assert client.post(url("objective_new", org), form_data(cycle, team)).status_code == 404


# --- editing -------------------------------------------------------------------------------------


def edit_data(team, objective, **changes):
    data = {
        "unit": team.code,
        "title": objective.title,
        "description": "",
        "type": "aspirational",
        "visibility": "organization",
        "lead": "",
        "version": objective.version,
    }
    return {**data, **changes}


def test_the_lead_edits_the_objective(client, org, carol, team, objective):
    client.force_login(carol)
    response = client.post(
        url("objective_edit", org, objective.code), edit_data(team, objective, title="Renamed")
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.type, objective.version) == ("Renamed", "aspirational", 2)


def test_editing_with_a_stale_version_is_a_conflict(client, org, carol, team, objective):
    client.force_login(carol)
    data = edit_data(team, objective, title="Renamed", version=objective.version + 5)
    response = client.post(url("objective_edit", org, objective.code), data)
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "Customers love onboarding"


def test_an_empty_title_on_edit_changes_nothing(client, org, carol, team, objective):
    client.force_login(carol)
    data = edit_data(team, objective, title="")
    assert client.post(url("objective_edit", org, objective.code), data).status_code == 400
    objective.refresh_from_db()
    assert (objective.title, objective.version) == ("Customers love onboarding", 1)


def test_a_viewer_cannot_edit(client, org, victor, team, objective):
    client.force_login(victor)
    assert client.get(url("objective_edit", org, objective.code)).status_code == 403
    data = edit_data(team, objective, title="Mine now")
    assert client.post(url("objective_edit", org, objective.code), data).status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Customers love onboarding"


# --- state ---------------------------------------------------------------------------------------


def test_the_lead_closes_the_objective(client, org, carol, objective):
    client.force_login(carol)
    response = client.post(url("objective_state", org, objective.code), {"state": "closed"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.state == "closed"


def test_only_a_lead_above_or_an_admin_approves(client, org, cycle, team, alice, carol):
    proposed = objective_create(
        organization=org, cycle=cycle, unit=team, title="Wait for it", state="proposed", by=carol
    )
    client.force_login(carol)
    _, page = page_of(client, org, proposed)
    assert 'value="approved"' not in page
    response = client.post(url("objective_state", org, proposed.code), {"state": "approved"})
    assert response.status_code == 403
    assert "approves" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.state == "proposed"

    client.force_login(alice)
    _, page = page_of(client, org, proposed)
    assert 'value="approved"' in page
    client.post(url("objective_state", org, proposed.code), {"state": "approved"})
    proposed.refresh_from_db()
    assert proposed.state == "approved"


def test_a_viewer_cannot_change_the_state(client, org, victor, objective):
    client.force_login(victor)
    response = client.post(url("objective_state", org, objective.code), {"state": "closed"})
    assert response.status_code == 403
    objective.refresh_from_db()
    assert objective.state == "active"


# --- alignment -----------------------------------------------------------------------------------


def test_an_objective_aligns_to_another_with_a_contribution(
    client, org, cycle, company, alice, carol, objective
):
    parent = objective_create(organization=org, cycle=cycle, unit=company, title="Grow", by=alice)
    client.force_login(carol)
    response = client.post(
        url("objective_align", org, objective.code), {"parent": f"o:{parent.code}", "weight": "0.5"}
    )
    assert response.status_code == 302
    link = Alignment.objects.get()
    assert (link.parent_objective, link.weight) == (parent, Decimal("0.5"))
    _, page = page_of(client, org, parent)
    assert objective.title in page


def test_an_alignment_loop_is_refused_with_a_message(client, org, cycle, team, carol, objective):
    client.force_login(carol)
    other = objective_create(organization=org, cycle=cycle, unit=team, title="Other", by=carol)
    client.post(
        url("objective_align", org, other.code), {"parent": f"o:{objective.code}", "weight": "1"}
    )
    response = client.post(
        url("objective_align", org, objective.code), {"parent": f"o:{other.code}", "weight": "1"}
    )
    assert response.status_code == 400
    assert "loop" in response.content.decode()
    assert Alignment.objects.count() == 1


@pytest.mark.parametrize(
    ("parent", "weight"), [("o:{code}", "2"), ("o:{code}", "lots"), ("", "1"), ("o:nope", "1")]
)
def test_a_bad_alignment_writes_nothing(client, org, cycle, team, carol, objective, parent, weight):
    other = objective_create(organization=org, cycle=cycle, unit=team, title="Other", by=carol)
    client.force_login(carol)
    response = client.post(
        url("objective_align", org, objective.code),
        {"parent": parent.format(code=other.code), "weight": weight},
    )
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert Alignment.objects.count() == 0


def test_a_viewer_cannot_align(client, org, cycle, team, carol, victor, objective):
    other = objective_create(organization=org, cycle=cycle, unit=team, title="Other", by=carol)
    client.force_login(victor)
    response = client.post(
        url("objective_align", org, objective.code), {"parent": f"o:{other.code}"}
    )
    assert response.status_code == 403
    assert Alignment.objects.count() == 0


def test_the_new_objective_form_starts_in_the_cycle_asked_for(client, org, cycle, team, alice):
    import datetime

    from tenfold.okrs.services import cycle_create

    planned = cycle_create(
        organization=org,
        name="Q1 2027",
        start=datetime.date(2027, 1, 1),
        end=datetime.date(2027, 3, 31),
        kind="quarter",
        state="planning",
        by=alice,
    )
    client.force_login(alice)
    page = client.get(url("objective_new", org) + f"?unit={team.code}&cycle={planned.code}")
    text = page.content.decode()
    assert f'<option value="{planned.code}" selected>' in text
    other = client.get(url("objective_new", org) + "?cycle=nonsense").content.decode()
    assert f'<option value="{cycle.code}" selected>' in other


def test_an_objective_without_key_results_takes_its_status_from_those_aligned_to_it(
    client, org, alice, bob, company, cycle, key_result
):
    from tenfold.okrs.services import alignment_link
    from tenfold.okrs.tree import get_tree_objective
    from tenfold.organizations.selectors import access_to

    goal = objective_create(
        organization=org, cycle=cycle, unit=company, title="Customers stay", state="active",
        by=alice,
    )  # fmt: skip
    alignment_link(child=key_result.objective, parent_objective=goal, by=alice)
    checkin_record(key_result=key_result, value=Decimal(39), by=bob)
    in_tree = get_tree_objective(access_to(alice, org.slug)[1], org, goal.code)[0].status
    client.force_login(alice)
    for address in (url("objective", org, goal.code), url("unit", org, company.code)):
        response = client.get(address)
        shown = (
            next(o for o in response.context["objectives"] if o.id == goal.id)
            if ("objectives" in response.context)
            else response.context["objective"]
        )
        assert shown.status != "pending"  # a check-in below it counts
        assert shown.status == in_tree
