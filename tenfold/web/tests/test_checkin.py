"""Checking in on a key result from the objective page, with and without htmx."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn
from tenfold.okrs.services import cycle_set_state

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def checkin_url(org, kr):
    return reverse("key_result_checkin", args=[org.slug, kr.code])


def fields(kr, value="30", confidence="7", note="Good week"):
    return {f"{kr.code}-value": value, f"{kr.code}-confidence": confidence, f"{kr.code}-note": note}


def test_an_htmx_check_in_answers_with_the_key_result_and_the_objective_progress(
    client, org, bob, objective, key_result
):
    client.force_login(bob)
    response = client.post(checkin_url(org, key_result), fields(key_result), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f'id="kr-{key_result.code}"' in page
    assert "30 %" in page  # the new value, in the key result's own unit
    assert "Check-in saved." in page
    assert 'id="objective-progress" aria-labelledby="progress-heading" hx-swap-oob="true"' in page
    assert 'data-testid="objective-progress">50 %' in page
    objective.refresh_from_db()
    assert objective.progress == Decimal("0.5")


def test_a_plain_check_in_is_stored_and_redirects_to_the_key_result(
    client, org, bob, objective, key_result
):
    client.force_login(bob)
    response = client.post(checkin_url(org, key_result), fields(key_result))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/objectives/{objective.code}/#kr-{key_result.code}")
    checkin = CheckIn.objects.get()
    assert (checkin.value, checkin.confidence, checkin.source) == (
        Decimal(30),
        Decimal("0.7"),
        "web",
    )
    assert (checkin.author, checkin.note) == (bob, "Good week")


@pytest.mark.parametrize(
    ("value", "confidence", "note", "message"),
    [
        ("lots", "5", "", "is not a number"),
        ("", "5", "", "Enter a number."),
        ("30", "11", "", "Confidence is a whole number from 0 to 10."),
        ("30", "seven", "", "Confidence is a whole number from 0 to 10."),
        ("30", "5", "x" * 5001, "Keep the note under 5000 characters."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_check_ins_write_nothing(
    client, org, bob, key_result, value, confidence, note, message, htmx
):
    client.force_login(bob)
    events = AuditEvent.objects.count()
    response = client.post(
        checkin_url(org, key_result),
        fields(key_result, value, confidence, note),
        headers=HTMX if htmx else {},
    )
    # htmx 2 does not swap 4xx answers, so the fragment with the messages comes with a 200.
    assert response.status_code == (200 if htmx else 400)
    assert message in response.content.decode()
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == events
    key_result.refresh_from_db()
    assert key_result.current is None


@pytest.mark.parametrize("htmx", [False, True])
def test_a_check_in_on_a_closed_cycle_is_refused(client, org, alice, bob, cycle, key_result, htmx):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    client.force_login(bob)
    response = client.post(
        checkin_url(org, key_result), fields(key_result), headers=HTMX if htmx else {}
    )
    assert response.status_code == (200 if htmx else 400)
    assert "is closed" in response.content.decode()
    assert CheckIn.objects.count() == 0


def test_the_check_in_form_comes_as_a_fragment_for_htmx(client, org, bob, key_result):
    client.force_login(bob)
    response = client.get(checkin_url(org, key_result), headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f'name="{key_result.code}-value"' in page


def test_the_check_in_form_is_a_page_without_htmx(client, org, bob, key_result):
    client.force_login(bob)
    response = client.get(checkin_url(org, key_result))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    assert key_result.title in page
    assert f'name="{key_result.code}-value"' in page


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_the_owner_the_team_and_admins_may_check_in(client, request, org, key_result, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(checkin_url(org, key_result), fields(key_result)).status_code == 302
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_a_viewer_cannot_check_in(client, org, victor, key_result, htmx):
    client.force_login(victor)
    headers = HTMX if htmx else {}
    assert client.get(checkin_url(org, key_result), headers=headers).status_code == 403
    response = client.post(checkin_url(org, key_result), fields(key_result), headers=headers)
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_someone_from_another_organization_gets_a_404(client, org, mallory, other_org, key_result):
    client.force_login(mallory)
    response = client.post(checkin_url(org, key_result), fields(key_result), headers=HTMX)
    assert response.status_code == 404
    assert CheckIn.objects.count() == 0
