"""Setting feeds up: who may, what is checked, what switching kinds drops, what the audit log
keeps (never a secret), and the key result's own "data source" field."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tenfold.audit.models import AuditEvent
from tenfold.feeds.models import DataSource, Kind
from tenfold.feeds.selectors import can_configure, source_data
from tenfold.feeds.services import source_delete, source_set, source_test, token_rotate
from tenfold.okrs.models import KeyResult

from .conftest import access_of

URL = {"url": "https://metrics.example.com/a.json", "format": "json", "path": "data.n"}


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("alice", True), ("bob", True), ("carol", True), ("victor", False)],
)
def test_owner_lead_and_admin_may_configure_others_not(request, org, key_result, persona, allowed):
    access = access_of(org, request.getfixturevalue(persona))
    assert can_configure(access, key_result) is allowed
    if allowed:
        source_set(access=access, key_result=key_result, kind="url", **URL)
        assert DataSource.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            source_set(access=access, key_result=key_result, kind="url", **URL)
        assert not DataSource.objects.exists()


def test_a_member_who_neither_owns_nor_leads_may_not(org, key_result, carol, alice, bob):
    KeyResult.objects.filter(pk=key_result.pk).update(owner=carol)
    key_result.refresh_from_db()
    assert not can_configure(access_of(org, bob), key_result)
    with pytest.raises(PermissionDenied):
        source_delete(access=access_of(org, bob), key_result=key_result)


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        ("rss", {}, "kind", "push, url or sql"),
        ("url", {"format": "json"}, "url", "Give the address"),
        ("url", {"url": "ftp://x.example/a", "format": "json"}, "url", "http://"),
        ("url", {"url": "https://u:p@x.example/a", "format": "json"}, "url", "credentials"),
        ("url", {"url": "https://x.example/a", "format": "xml"}, "format", "json or csv"),
        ("url", {"url": "https://x.example/a", "format": "json", "path": "a..b"}, "path", "read"),
        ("url", {"url": "https://x.example/a", "format": "csv"}, "csv_column", "Say which"),
        (
            "url",
            {"url": "https://x.example/a", "format": "csv", "csv_column": "n", "csv_row": "mid"},
            "csv_row",
            "counting from 1",
        ),
        (
            "url",
            {"url": "https://x.example/a", "format": "csv", "csv_column": "n", "csv_filter": "x"},
            "csv_filter",
            "column=value",
        ),
        ("url", {**URL, "headers": "Authorization Bearer"}, "headers", "Name: value"),
        ("url", {**URL, "schedule": "monthly"}, "schedule", "hourly, daily or weekly"),
        ("url", {**URL, "schedule_hour": 24}, "schedule_hour", "0 to 23"),
        ("url", {**URL, "schedule_weekday": "x"}, "schedule_weekday", "0 (Monday)"),
        ("sql", {"query": "SELECT 1"}, "connection", "connection string"),
        ("sql", {"connection": "postgresql://r@db.example.com/m"}, "query", "Write the SELECT"),
        (
            "sql",
            {"connection": "postgresql://r@db.example.com/m", "query": "DELETE FROM t"},
            "query",
            "SELECT or WITH",
        ),
    ],
)
def test_bad_settings_are_refused_field_by_field(
    org, key_result, carol, kind, fields, field, message
):
    with pytest.raises(ValidationError) as caught:
        source_set(access=access_of(org, carol), key_result=key_result, kind=kind, **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert not DataSource.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="feed.").exists()


def test_a_closed_cycle_takes_no_new_feed(org, key_result, carol, cycle):
    cycle.state = "closed"
    cycle.save(update_fields=["state"])
    with pytest.raises(ValidationError, match="closed"):
        source_set(access=access_of(org, carol), key_result=key_result, kind="url", **URL)


def test_setting_up_marks_the_key_results_data_source(org, key_result, carol):
    access = access_of(org, carol)
    source_set(access=access, key_result=key_result, kind="url", **URL)
    assert KeyResult.objects.get(pk=key_result.pk).data_source == "pull"
    source_set(access=access, key_result=key_result, kind="push")
    assert KeyResult.objects.get(pk=key_result.pk).data_source == "push"
    assert source_delete(access=access, key_result=key_result)
    assert KeyResult.objects.get(pk=key_result.pk).data_source == "manual"
    assert not source_delete(access=access, key_result=key_result)


def test_a_new_pull_is_due_at_once_then_keeps_its_schedule(org, key_result, carol, clock):
    access = access_of(org, carol)
    source, token = source_set(access=access, key_result=key_result, kind="url", **URL)
    assert token is None and source.next_run_at is not None
    DataSource.objects.filter(pk=source.pk).update(next_run_at=None)
    source_set(access=access, key_result=key_result, kind="url", enabled=True)  # nothing moved
    assert DataSource.objects.get(pk=source.pk).next_run_at is None
    source_set(access=access, key_result=key_result, kind="url", path="data.m")  # pointed elsewhere
    assert DataSource.objects.get(pk=source.pk).next_run_at is not None


def test_fields_left_out_keep_their_values_and_secrets_stay_until_replaced(org, key_result, carol):
    access = access_of(org, carol)
    source_set(
        access=access,
        key_result=key_result,
        kind="url",
        headers="Authorization: Bearer s3cret",
        **URL,
    )
    source_set(access=access, key_result=key_result, kind="url", schedule="hourly")
    row = DataSource.objects.get()
    assert (row.url, row.path, row.schedule) == (URL["url"], "data.n", "hourly")
    assert row.headers == {"Authorization": "Bearer s3cret"}
    source_set(access=access, key_result=key_result, kind="url", headers={})
    assert DataSource.objects.get().headers == {}


def test_switching_kind_drops_the_old_kinds_settings_and_secrets(org, key_result, carol):
    access = access_of(org, carol)
    source_set(
        access=access,
        key_result=key_result,
        kind="sql",
        connection="postgresql://reader:s3cret@db.example.com/m",
        query="SELECT 1",
    )
    source, token = source_set(access=access, key_result=key_result, kind="push")
    row = DataSource.objects.get(pk=source.pk)
    assert (row.kind, row.connection, row.query, row.next_run_at) == (Kind.PUSH, "", "", None)
    assert token and row.token_digest
    source_set(access=access, key_result=key_result, kind="url", **URL)
    row = DataSource.objects.get(pk=source.pk)
    assert (row.token_digest, row.token_prefix) == ("", "")


def test_the_audit_log_and_the_data_shown_never_hold_secrets(org, key_result, carol):
    access = access_of(org, carol)
    source_set(
        access=access,
        key_result=key_result,
        kind="url",
        headers="Authorization: Bearer header-s3cret",
        **URL,
    )
    source, _ = source_set(
        access=access,
        key_result=key_result,
        kind="sql",
        connection="postgresql://reader:db-s3cret@db.example.com/m",
        query="SELECT 1",
    )
    source, token = source_set(access=access, key_result=key_result, kind="push")
    rotated = token_rotate(access=access, source=source)
    logged = json.dumps(list(AuditEvent.objects.values("verb", "changes")))
    for secret in ("header-s3cret", "db-s3cret", token, rotated):
        assert secret not in logged
    assert [e.verb for e in AuditEvent.objects.order_by("id") if e.verb.startswith("feed.")] == [
        "feed.created",
        "feed.updated",
        "feed.updated",
        "feed.token_rotated",
    ]
    assert "Authorization" in logged  # the header's name is fine to keep
    sql_source, _ = source_set(
        access=access,
        key_result=key_result,
        kind="sql",
        connection="postgresql://reader:db-s3cret@db.example.com/m",
        query="SELECT 1",
    )
    shown = json.dumps(
        source_data(DataSource.objects.get(pk=sql_source.pk)), default=str, ensure_ascii=False
    )
    assert "db-s3cret" not in shown and "reader:••••@db.example.com" in shown


def test_rotating_is_for_push_feeds_only(org, key_result, carol):
    source, _ = source_set(access=access_of(org, carol), key_result=key_result, kind="url", **URL)
    with pytest.raises(ValidationError, match="Only push feeds"):
        token_rotate(access=access_of(org, carol), source=source)


def test_viewers_may_not_test_or_rotate(org, key_result, carol, victor):
    source, _ = source_set(access=access_of(org, carol), key_result=key_result, kind="push")
    with pytest.raises(PermissionDenied):
        token_rotate(access=access_of(org, victor), source=source)
    with pytest.raises(PermissionDenied):
        source_test(access=access_of(org, victor), key_result=key_result, kind="url", **URL)
