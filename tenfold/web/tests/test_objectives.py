from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.okrs.models import Alignment, Initiative, KeyResult, Objective
from tenfold.okrs.services import cycle_set_state, key_result_create, objective_create


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def url(name, org, code=None):
    return reverse(name, kwargs={"org": org.slug, **({"code": code} if code else {})})


def test_the_objective_page_shows_key_results_and_check_in_forms(
    client, org, bob, objective, key_result
):
    client.force_login(bob)
    page = client.get(url("objective", org, objective.code)).content.decode()
    assert key_result.title in page
    assert "Check in" in page
    assert "How is this computed?" in page


def test_the_objective_page_runs_a_fixed_number_of_queries(client, org, carol, objective):
    client.force_login(carol)

    def add(count):
        for index in range(count):
            kr = key_result_create(
                objective=objective,
                title=f"KR {index}",
                kind="increase",
                start=0,
                target=10,
                owner=carol,
                by=carol,
            )
            from tenfold.okrs.services import initiative_create

            initiative_create(key_result=kr, title="Do a thing", by=carol)

    add(2)
    client.get(url("objective", org, objective.code))  # the first visit stores the session
    with CaptureQueriesContext(connection) as small:
        client.get(url("objective", org, objective.code))
    add(10)
    with CaptureQueriesContext(connection) as large:
        client.get(url("objective", org, objective.code))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_member_creates_an_objective_for_their_team(client, org, team, cycle, bob):
    client.force_login(bob)
    response = client.post(
        url("objective_new", org),
        {
            "cycle": cycle.code,
            "unit": team.code,
            "title": "Trials turn into customers",
            "description": "",
            "type": "committed",
            "visibility": "organization",
            "lead": str(bob.pk),
        },
    )
    objective = Objective.objects.get(title="Trials turn into customers")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/objectives/{objective.code}/")


@pytest.mark.parametrize("title", ["", "x" * 201])
def test_a_bad_title_creates_nothing(client, org, team, cycle, bob, title):
    client.force_login(bob)
    response = client.post(
        url("objective_new", org),
        {
            "cycle": cycle.code,
            "unit": team.code,
            "title": title,
            "type": "committed",
            "visibility": "organization",
        },
    )
    assert response.status_code == 400
    assert Objective.objects.count() == 0


def test_a_viewer_cannot_create_objectives(client, org, team, victor):
    client.force_login(victor)
    assert client.get(url("objective_new", org)).status_code == 403


def test_key_results_are_added_and_bad_ones_refused(client, org, carol, objective):
    client.force_login(carol)
    base = {
        "title": "Cut churn",
        "kind": "decrease",
        "start": "5",
        "target": "3",
        "value_format": "percent",
        "decimals": "1",
        "weight": "1",
        "owner": "",
    }
    assert client.post(url("key_result_new", org, objective.code), base).status_code == 302
    for bad in ({"target": "5"}, {"weight": "-1"}, {"target": "7"}, {"start": "abc"}):
        response = client.post(url("key_result_new", org, objective.code), {**base, **bad})
        assert response.status_code == 400, bad
    assert KeyResult.objects.count() == 1


def test_an_htmx_check_in_updates_the_key_result_and_the_objective(
    client, org, bob, objective, key_result
):
    client.force_login(bob)
    prefix = key_result.code
    response = client.post(
        url("key_result_checkin", org, key_result.code),
        {f"{prefix}-value": "30", f"{prefix}-confidence": "7", f"{prefix}-note": "Good week"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in page
    assert "50 %" in page
    objective.refresh_from_db()
    assert objective.progress == Decimal("0.5")


@pytest.mark.parametrize(("value", "confidence"), [("lots", "5"), ("30", "11"), ("", "5")])
def test_bad_check_ins_write_nothing(client, org, bob, key_result, value, confidence):
    client.force_login(bob)
    prefix = key_result.code
    events = AuditEvent.objects.count()
    response = client.post(
        url("key_result_checkin", org, key_result.code),
        {f"{prefix}-value": value, f"{prefix}-confidence": confidence},
    )
    assert response.status_code == 400
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_check_in_on_a_closed_cycle_is_refused(client, org, alice, bob, cycle, key_result):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    client.force_login(bob)
    prefix = key_result.code
    response = client.post(
        url("key_result_checkin", org, key_result.code), {f"{prefix}-value": "30"}
    )
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_viewers_and_outsiders_cannot_check_in(client, org, victor, mallory, other_org, key_result):
    prefix = key_result.code
    client.force_login(victor)
    assert (
        client.post(
            url("key_result_checkin", org, key_result.code), {f"{prefix}-value": "30"}
        ).status_code
        == 403
    )
    client.force_login(mallory)
    assert (
        client.post(
            url("key_result_checkin", org, key_result.code), {f"{prefix}-value": "30"}
        ).status_code
        == 404
    )
    assert CheckIn.objects.count() == 0


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


def test_initiatives_are_added_and_their_status_changed(client, org, carol, key_result, objective):
    client.force_login(carol)
    client.post(url("initiative_new", org, key_result.code), {"title": "Shorter form"})
    item = Initiative.objects.get()
    client.post(url("initiative_update", org, item.code), {"status": "doing"})
    item.refresh_from_db()
    assert item.status == "doing"
    response = client.post(url("initiative_update", org, item.code), {"status": "bogus"})
    assert response.status_code == 400


def test_the_history_lists_the_check_in(client, org, bob, objective, key_result):
    client.force_login(bob)
    prefix = key_result.code
    client.post(url("key_result_checkin", org, key_result.code), {f"{prefix}-value": "25"})
    page = client.get(url("objective_history", org, objective.code)).content.decode()
    assert "checked in on" in page
    assert "created the objective" in page


def test_editing_with_a_stale_version_is_a_conflict(client, org, carol, team, objective):
    client.force_login(carol)
    data = {
        "unit": team.code,
        "title": "Renamed",
        "type": "committed",
        "visibility": "organization",
        "lead": "",
        "version": objective.version - 1 or 99,
    }
    response = client.post(url("objective_edit", org, objective.code), data)
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "Customers love onboarding"
