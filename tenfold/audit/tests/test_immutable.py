"""The audit log is append-only: an event, once written, is never changed or removed through
the app — not by a service, a queryset, the admin or the API. It leaves the table only with its
organization, and that removal is itself recorded at site level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tenfold.api.tests.conftest import openapi_document
from tenfold.audit.models import AuditEvent, ImmutableAuditEvent
from tenfold.audit.services import (
    ORGANIZATION_DELETED,
    audit_record,
    audit_record_site,
    recorded_at,
)
from tenfold.organizations.models import Organization


@pytest.fixture
def event(org: Organization, alice: Any) -> AuditEvent:
    return audit_record(
        organization=org, actor=alice, verb="objective.updated", obj=org, changes={"a": 1}
    )


def stored(event: AuditEvent) -> tuple[str, dict[str, Any], dt.datetime]:
    """The event as the database holds it."""
    row = AuditEvent.objects.get(pk=event.pk)
    return row.verb, row.changes, row.created_at


def test_saving_an_event_that_is_already_stored_is_refused(event: AuditEvent) -> None:
    before = stored(event)
    event.verb = "objective.deleted"
    with pytest.raises(ImmutableAuditEvent, match="cannot be changed"):
        event.save()
    with pytest.raises(ImmutableAuditEvent):
        event.save(update_fields=["verb"])
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.get(pk=event.pk).save(force_update=True)
    assert stored(event) == before


def test_a_new_event_with_the_key_of_a_stored_one_never_overwrites_it(
    event: AuditEvent, org: Organization
) -> None:
    before = stored(event)
    twin = AuditEvent(
        pk=event.pk, organization=org, verb="x", object_type="x", object_code="", object_repr=""
    )
    # Without the forced insert, Django would turn this save into an UPDATE of the stored row.
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert stored(event) == before


def test_querysets_refuse_to_update_or_delete_events(event: AuditEvent) -> None:
    before = stored(event)
    events = AuditEvent.objects.filter(pk=event.pk)
    with pytest.raises(ImmutableAuditEvent, match="cannot be changed"):
        events.update(verb="objective.deleted")
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.bulk_update([event], ["verb"])
    with pytest.raises(ImmutableAuditEvent):
        AuditEvent.objects.update_or_create(pk=event.pk, defaults={"verb": "x"})
    with pytest.raises(ImmutableAuditEvent, match="cannot be deleted"):
        events.delete()
    with pytest.raises(ImmutableAuditEvent, match="cannot be deleted"):
        event.delete()
    with pytest.raises(ImmutableAuditEvent):
        event.organization.audit_events.all().delete()  # type: ignore[union-attr]
    assert stored(event) == before


def test_the_guard_is_what_stops_the_update(event: AuditEvent) -> None:
    """The same update through Django's plain queryset goes through: the refusals above come
    from the log's own manager, not from the database."""
    AuditEvent._base_manager.filter(pk=event.pk).update(verb="rewritten")
    assert stored(event)[0] == "rewritten"


def test_events_can_still_be_written_and_dated_by_builders(org: Organization, alice: Any) -> None:
    then = timezone.now() - dt.timedelta(days=30)
    earlier = then - dt.timedelta(days=1)
    with recorded_at(then):
        first = audit_record(organization=org, actor=alice, verb="a", obj=org)
        with recorded_at(earlier):
            inner = audit_record(organization=org, actor=alice, verb="b", obj=org)
        explicit = audit_record(organization=org, actor=alice, verb="c", obj=org, at=earlier)
    after = audit_record(organization=org, actor=alice, verb="d", obj=org)
    assert (first.created_at, inner.created_at, explicit.created_at) == (then, earlier, earlier)
    assert after.created_at > then + dt.timedelta(days=29)
    AuditEvent.objects.bulk_create(
        [AuditEvent(organization=org, verb="e", object_type="x", object_code="", created_at=then)]
    )
    assert AuditEvent.objects.get(verb="e").created_at == then


def test_deleting_an_organization_takes_its_log_and_records_that_at_site_level(
    org: Organization, alice: Any, event: AuditEvent
) -> None:
    slug, code = org.slug, org.code
    org.delete()
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    record = AuditEvent.objects.get(verb=ORGANIZATION_DELETED)
    assert record.organization is None
    assert (record.object_type, record.object_code) == ("organization", code)
    assert record.changes == {"slug": slug, "name": "Acme"}


def test_a_deletion_that_fails_leaves_no_record(org: Organization, event: AuditEvent) -> None:
    org_id = org.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        org.delete()
        assert AuditEvent.objects.filter(verb=ORGANIZATION_DELETED).exists()
        raise RuntimeError("the deletion is rolled back")
    assert AuditEvent.objects.filter(organization_id=org_id).count() > 0
    assert not AuditEvent.objects.filter(verb=ORGANIZATION_DELETED).exists()


def test_site_level_events_belong_to_no_organization(alice: Any, org: Organization) -> None:
    record = audit_record_site(actor=alice, verb="site.checked", obj=org)
    assert record.organization is None and record.actor == alice
    assert not org.audit_events.filter(verb="site.checked").exists()


def test_removing_a_person_keeps_their_events_without_them(org: Organization, bob: Any) -> None:
    kept = audit_record(organization=org, actor=bob, verb="objective.updated", obj=org)
    bob.delete()
    row = AuditEvent.objects.get(pk=kept.pk)
    assert (row.actor_id, row.verb) == (None, "objective.updated")


@pytest.fixture
def root(db: Any) -> Any:
    return get_user_model().objects.create_superuser(email="root@example.com", password="x")


def test_the_admin_shows_events_but_cannot_add_change_or_delete_them(
    client: Any, root: Any, event: AuditEvent
) -> None:
    client.force_login(root)
    listing = reverse("admin:audit_auditevent_changelist")
    page = client.get(listing)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    change = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200  # to read
    assert client.post(change, {"verb": "rewritten"}).status_code == 403
    delete = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    refused = client.post(listing, {"action": "delete_selected", "_selected_action": [event.pk]})
    assert refused.status_code in (200, 302)
    assert stored(event)[0] == "objective.updated"


def test_the_api_reads_the_log_and_has_no_way_to_change_it(
    client: Any, alice: Any, org: Organization, event: AuditEvent
) -> None:
    paths = {
        path: set(operations)
        for path, operations in openapi_document()["paths"].items()
        if "activity" in path or "audit" in path
    }
    assert paths and all(methods == {"get"} for methods in paths.values()), paths
    client.force_login(alice)
    url = f"/api/v1/orgs/{org.slug}/activity"
    assert client.get(url).status_code == 200
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        answer = client.generic(method, url, b"{}", content_type="application/json")
        assert answer.status_code == 405, method
    assert stored(event)[0] == "objective.updated"
