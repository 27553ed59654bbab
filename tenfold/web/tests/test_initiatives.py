"""Initiatives under a key result: added and changed in place, with a plain-form fallback."""

import datetime as dt

import pytest
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.okrs.models import Initiative
from tenfold.okrs.services import initiative_create

HTMX = {"HX-Request": "true"}


def new_url(org, kr):
    return reverse("initiative_new", args=[org.slug, kr.code])


def update_url(org, item):
    return reverse("initiative_update", args=[org.slug, item.code])


@pytest.fixture
def item(key_result, carol):
    return initiative_create(key_result=key_result, title="Shorter sign-up form", by=carol)


def test_an_initiative_is_added_with_a_plain_form(client, org, carol, bob, key_result, objective):
    client.force_login(carol)
    response = client.post(
        new_url(org, key_result),
        {"title": "Shorter form", "owner": str(bob.pk), "due": "2026-12-01"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(
        f"/objectives/{objective.code}/#initiatives-{key_result.code}"
    )
    item = Initiative.objects.get()
    assert (item.title, item.owner, item.due, item.status) == (
        "Shorter form", bob, dt.date(2026, 12, 1), "planned",
    )  # fmt: skip


def test_an_initiative_added_with_htmx_comes_back_in_its_list(client, org, bob, key_result):
    client.force_login(bob)
    response = client.post(new_url(org, key_result), {"title": "Shorter form"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.strip().startswith(
        f'<div class="kr-initiatives" id="initiatives-{key_result.code}"'
    )
    assert "Shorter form" in page


@pytest.mark.parametrize("title", ["", "x" * 201])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_bad_initiative_title_writes_nothing(client, org, carol, key_result, title, htmx):
    client.force_login(carol)
    events = AuditEvent.objects.count()
    response = client.post(new_url(org, key_result), {"title": title}, headers=HTMX if htmx else {})
    assert response.status_code == (200 if htmx else 400)
    assert 'class="errorlist"' in response.content.decode()
    assert Initiative.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_status_is_changed_in_place(client, org, carol, item):
    client.force_login(carol)
    response = client.post(update_url(org, item), {"status": "doing"}, headers=HTMX)
    assert response.status_code == 200
    assert '<option value="doing" selected>' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "doing"


def test_owner_title_and_due_date_are_changed(client, org, carol, bob, item):
    client.force_login(carol)
    response = client.post(
        update_url(org, item),
        {"owner": str(bob.pk), "title": "Two-field sign-up", "due": "2026-12-20"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner, item.title, item.due) == (bob, "Two-field sign-up", dt.date(2026, 12, 20))


@pytest.mark.parametrize(
    "bad",
    [{"status": "bogus"}, {"title": ""}, {"owner": "999999"}, {"due": "soon"}, {}],
)
def test_bad_initiative_changes_write_nothing(client, org, carol, item, bad):
    client.force_login(carol)
    response = client.post(update_url(org, item), bad)
    assert response.status_code == 400
    item.refresh_from_db()
    assert (item.status, item.title, item.owner, item.due) == (
        "planned", "Shorter sign-up form", None, None,
    )  # fmt: skip


def test_a_viewer_cannot_add_or_change_initiatives(client, org, victor, key_result, item):
    client.force_login(victor)
    assert client.post(new_url(org, key_result), {"title": "Mine"}, headers=HTMX).status_code == 403
    assert client.post(update_url(org, item), {"status": "done"}, headers=HTMX).status_code == 403
    item.refresh_from_db()
    assert item.status == "planned"
    assert Initiative.objects.count() == 1


def test_someone_from_another_organization_gets_a_404(
    client, org, mallory, other_org, key_result, item
):
    client.force_login(mallory)
    assert client.post(new_url(org, key_result), {"title": "Mine"}).status_code == 404
    assert client.post(update_url(org, item), {"status": "done"}).status_code == 404
