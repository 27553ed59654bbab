"""Adding and editing key results."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tenfold.okrs.models import KeyResult
from tenfold.okrs.services import cycle_set_state

BASE = {
    "title": "Cut churn",
    "kind": "decrease",
    "start": "5",
    "target": "3",
    "unit_label": "",
    "value_format": "percent",
    "currency": "",
    "decimals": "1",
    "weight": "1",
    "owner": "",
}


def new_url(org, objective):
    return reverse("key_result_new", args=[org.slug, objective.code])


def edit_url(org, kr):
    return reverse("key_result_edit", args=[org.slug, kr.code])


def test_the_form_explains_every_kind(client, org, carol, objective):
    client.force_login(carol)
    page = client.get(new_url(org, objective)).content.decode()
    assert "Hold a level: met while the value stays at or above it." in page
    assert "prefer a number" in page
    assert 'data-field="start"' in page


def test_the_lead_adds_a_key_result(client, org, carol, bob, objective):
    client.force_login(carol)
    response = client.post(new_url(org, objective), {**BASE, "owner": str(bob.pk)})
    assert response.status_code == 302
    kr = KeyResult.objects.get()
    assert (kr.kind, kr.start, kr.target, kr.owner) == ("decrease", Decimal(5), Decimal(3), bob)
    assert kr.value_format == "percent"


def test_a_keep_above_key_result_needs_no_start(client, org, carol, objective):
    client.force_login(carol)
    data = {**BASE, "kind": "keep_above", "start": "", "target": "95"}
    assert client.post(new_url(org, objective), data).status_code == 302
    assert KeyResult.objects.get().start is None


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"title": ""}, "This cannot be empty."),
        ({"title": "x" * 201}, "under 200"),
        ({"target": "5"}, "The target must differ from the start value."),
        ({"weight": "-1"}, "The weight cannot be negative."),
        ({"target": "7"}, "To decrease, the target must be below the start value."),
        ({"start": "abc"}, "is not a number"),
        ({"value_format": "currency", "currency": "€"}, "three-letter currency code"),
        ({"decimals": "9"}, "decimal places"),
    ],
)
def test_bad_key_results_are_refused_and_nothing_is_written(
    client, org, carol, objective, key_result, bad, message
):
    client.force_login(carol)
    before = KeyResult.objects.count()
    response = client.post(new_url(org, objective), {**BASE, **bad})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert KeyResult.objects.count() == before


def test_the_edit_form_shows_numbers_as_typed(client, org, carol, key_result):
    client.force_login(carol)
    page = client.get(edit_url(org, key_result)).content.decode()
    assert 'value="20"' in page
    assert 'value="40"' in page


def test_the_lead_edits_a_key_result(client, org, carol, key_result):
    client.force_login(carol)
    data = {**BASE, "kind": "increase", "start": "20", "target": "50", "version": "1"}
    assert client.post(edit_url(org, key_result), data).status_code == 302
    key_result.refresh_from_db()
    assert (key_result.target, key_result.version) == (Decimal(50), 2)


def test_a_stale_edit_is_a_conflict(client, org, carol, key_result):
    client.force_login(carol)
    data = {**BASE, "kind": "increase", "start": "20", "target": "50", "version": "7"}
    response = client.post(edit_url(org, key_result), data)
    assert response.status_code == 400
    assert "Someone else changed this" in response.content.decode()
    key_result.refresh_from_db()
    assert key_result.target == Decimal(40)


def test_start_equal_to_target_on_edit_changes_nothing(client, org, carol, key_result):
    client.force_login(carol)
    data = {**BASE, "kind": "increase", "start": "40", "target": "40", "version": "1"}
    assert client.post(edit_url(org, key_result), data).status_code == 400
    key_result.refresh_from_db()
    assert (key_result.start, key_result.version) == (Decimal(20), 1)


def test_no_key_result_is_added_in_a_closed_cycle(client, org, alice, carol, cycle, objective):
    cycle_set_state(cycle=cycle, state="closed", by=alice)
    client.force_login(carol)
    response = client.post(new_url(org, objective), BASE)
    assert response.status_code in (400, 403)
    assert KeyResult.objects.count() == 0


def test_a_viewer_cannot_add_or_edit(client, org, victor, objective, key_result):
    client.force_login(victor)
    assert client.get(new_url(org, objective)).status_code == 403
    assert client.post(new_url(org, objective), BASE).status_code == 403
    assert client.post(edit_url(org, key_result), BASE).status_code == 403
    assert KeyResult.objects.count() == 1


def test_someone_from_another_organization_gets_a_404(
    client, org, mallory, other_org, objective, key_result
):
    client.force_login(mallory)
    assert client.get(new_url(org, objective)).status_code == 404
    assert client.post(edit_url(org, key_result), BASE).status_code == 404
