"""The history of an objective: who did what and when, in words."""

import pytest
import time_machine
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import initiative_create, initiative_update, objective_update


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=True):
        yield


def history_url(org, objective):
    return reverse("objective_history", args=[org.slug, objective.code])


def test_the_history_lists_the_check_in_in_words(client, org, bob, objective, key_result):
    client.force_login(bob)
    prefix = key_result.code
    client.post(
        reverse("key_result_checkin", args=[org.slug, key_result.code]),
        {f"{prefix}-value": "25", f"{prefix}-confidence": "7", f"{prefix}-note": "Nice"},
    )
    page = client.get(history_url(org, objective)).content.decode()
    assert "Bob Member" in page
    assert "checked in on" in page
    assert "7 of 10" in page
    assert "Nice" in page
    assert "created the objective" in page
    assert page.index("checked in on") < page.index("created the objective")  # newest first


def test_changes_read_as_before_and_after(client, org, carol, objective):
    objective_update(
        objective=objective, title="Onboarding delights", type="aspirational", by=carol
    )
    client.force_login(carol)
    page = client.get(history_url(org, objective)).content.decode()
    assert "Customers love onboarding → Onboarding delights" in page
    assert "Committed → Aspirational" in page


def test_initiative_changes_show_readable_statuses(client, org, carol, objective, key_result):
    item = initiative_create(key_result=key_result, title="Shorter form", by=carol)
    initiative_update(initiative=item, status="doing", by=carol)
    client.force_login(carol)
    page = client.get(history_url(org, objective)).content.decode()
    assert "Planned → Doing" in page
    assert key_result.title in page


def test_the_history_shows_fifty_events_a_page(client, org, bob, objective, key_result):
    for value in range(60):
        checkin_record(key_result=key_result, value=value, by=bob)
    client.force_login(bob)
    first = client.get(history_url(org, objective)).content.decode()
    second = client.get(history_url(org, objective) + "?page=2").content.decode()
    assert first.count('class="history-event"') == 50
    assert second.count('class="history-event"') == 62 - 50  # plus creating the objective and KR
    assert "Older" in first


def test_a_viewer_may_read_the_history(client, org, victor, objective):
    client.force_login(victor)
    assert client.get(history_url(org, objective)).status_code == 200


def test_someone_from_another_organization_gets_a_404(client, org, mallory, other_org, objective):
    client.force_login(mallory)
    assert client.get(history_url(org, objective)).status_code == 404


def test_corrections_and_comments_read_in_words(client, org, bob, carol, objective, key_result):
    from tenfold.checkins.services import checkin_correct
    from tenfold.organizations.models import Membership
    from tenfold.organizations.permissions import access_for
    from tenfold.social.services import comment_add

    original = checkin_record(key_result=key_result, value=25, by=bob)
    checkin_correct(checkin=original, value=27, reason="Read the wrong dashboard", by=bob)
    access = access_for(Membership.objects.get(organization=org, user=carol))
    comment_add(access=access, target=objective, body="Good start")
    client.force_login(carol)
    page = client.get(history_url(org, objective)).content.decode()
    assert "corrected a check-in on" in page
    assert "Read the wrong dashboard" in page
    assert "commented on" in page
    assert original.code not in page  # internal references stay out of the words
