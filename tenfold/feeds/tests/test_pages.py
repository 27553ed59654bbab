"""Feed pages per persona, the settings forms of the three kinds, Test, Sync now (htmx and
plain), the token shown once, and the feed's box on the key-result page with its query count."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.models import CheckIn
from tenfold.feeds.models import DataSource
from tenfold.feeds.services import source_set
from tenfold.okrs.models import KeyResult

from .conftest import HTMX, access_of, json_answer

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, measured the same way: GET, and
# POST with an empty body. The key result is Bob's, in Carol's team, and has a push feed.
EXPECTED = {
    ("kr_feed", "GET"): (302, 200, 200, 200, 403, 404),
    ("kr_feed", "POST"): (302, 400, 400, 400, 403, 404),
    ("kr_feed_test", "GET"): (302, 405, 405, 405, 405, 405),
    ("kr_feed_test", "POST"): (302, 200, 200, 200, 403, 404),
    ("kr_feed_sync", "GET"): (302, 405, 405, 405, 405, 405),
    ("kr_feed_sync", "POST"): (302, 400, 400, 400, 403, 404),
    ("kr_feed_rotate", "GET"): (302, 405, 405, 405, 405, 405),
    ("kr_feed_rotate", "POST"): (302, 200, 200, 200, 403, 404),
    ("kr_feed_delete", "GET"): (302, 405, 405, 405, 405, 405),
    ("kr_feed_delete", "POST"): (302, 302, 302, 302, 403, 404),
    ("feed_push", "GET"): (405, 405, 405, 405, 405, 405),
    ("feed_push", "POST"): (400, 400, 400, 400, 400, 400),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, other_org, key_result, push_feed, name, method
):
    _source, token = push_feed
    kwargs = {"token": token} if name == "feed_push" else {"org": org.slug, "code": key_result.code}
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_every_route_of_the_app_is_in_the_table():
    from tenfold.feeds.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


def feed_url(org, kr, name="kr_feed"):
    return reverse(name, kwargs={"org": org.slug, "code": kr.code})


def kr_url(org, kr):
    return reverse("key_result", kwargs={"org": org.slug, "code": kr.code})


# --- settings -----------------------------------------------------------------------------------


def test_the_settings_page_offers_the_three_kinds(client, org, key_result, carol):
    client.force_login(carol)
    html = client.get(feed_url(org, key_result)).content.decode()
    for kind in ("push", "url", "sql"):
        assert f'data-testid="feed-kind-{kind}"' in html
    assert 'name="kind" value="url"' in html and 'name="query"' in html


def test_saving_a_url_feed_redirects_with_a_message(client, org, key_result, carol, receiver):
    client.force_login(carol)
    response = client.post(
        feed_url(org, key_result),
        {
            "kind": "url",
            "url": receiver.url("/m.json"),
            "format": "json",
            "path": "data.total",
            "csv_row": "last",
            "headers": "Authorization: Bearer page-s3cret",
            "schedule": "weekly",
            "schedule_hour": "8",
            "schedule_weekday": "2",
            "enabled": "on",
        },
    )
    assert response.status_code == 302 and response.url == feed_url(org, key_result)
    row = DataSource.objects.get()
    assert (row.kind, row.path, row.schedule, row.schedule_hour, row.schedule_weekday) == (
        "url",
        "data.total",
        "weekly",
        8,
        2,
    )
    assert row.headers == {"Authorization": "Bearer page-s3cret"}
    page = client.get(feed_url(org, key_result)).content.decode()
    assert "Feed saved." in page
    assert "page-s3cret" not in page  # write-only
    assert "Authorization: ••••" in page


def test_bad_settings_answer_400_with_the_messages_beside_the_fields(
    client, org, key_result, carol
):
    client.force_login(carol)
    response = client.post(
        feed_url(org, key_result),
        {
            "kind": "url",
            "url": "ftp://x.example/",
            "format": "json",
            "schedule": "daily",
            "schedule_hour": "6",
            "schedule_weekday": "0",
        },
    )
    assert response.status_code == 400
    assert "Only http:// and https:// addresses can be used." in response.content.decode()
    assert not DataSource.objects.exists()


def test_a_sql_feeds_password_is_never_shown(client, org, key_result, carol):
    client.force_login(carol)
    source_set(
        access=access_of(org, carol),
        key_result=key_result,
        kind="sql",
        connection="postgresql://reader:pg-s3cret@db.example.com:5432/metrics",
        query="SELECT count(*) FROM signups",
    )
    html = client.get(feed_url(org, key_result)).content.decode()
    assert "pg-s3cret" not in html
    assert "postgresql://reader:••••@db.example.com:5432/metrics" in html
    assert "SELECT count(*) FROM signups" in html


def test_a_push_token_is_shown_once(client, org, key_result, carol):
    client.force_login(carol)
    response = client.post(feed_url(org, key_result), {"kind": "push", "enabled": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    token = re.search(r"/feeds/(tff_[\w-]+)/", html).group(1)
    assert "cannot be shown again" in html
    assert token not in client.get(feed_url(org, key_result)).content.decode()
    rotated = client.post(feed_url(org, key_result, "kr_feed_rotate")).content.decode()
    new = re.search(r"/feeds/(tff_[\w-]+)/", rotated).group(1)
    assert new != token and "no longer works" in rotated
    assert client.post(f"/feeds/{token}/", {"value": "3"}).status_code == 404
    assert client.post(f"/feeds/{new}/", {"value": "3"}).status_code == 200


def test_deleting_keeps_the_check_ins(client, org, url_feed, key_result, carol):
    from tenfold.feeds.services import source_sync

    source_sync(source=url_feed)
    client.force_login(carol)
    response = client.post(feed_url(org, key_result, "kr_feed_delete"))
    assert response.status_code == 302 and response.url == kr_url(org, key_result)
    assert not DataSource.objects.exists()
    assert CheckIn.objects.filter(key_result=key_result).count() == 1


# --- test ---------------------------------------------------------------------------------------


def posted_url_form(receiver, path="/m.json", json_path="data.total"):
    return {
        "kind": "url",
        "url": receiver.url(path),
        "format": "json",
        "path": json_path,
        "csv_row": "last",
        "schedule": "daily",
        "schedule_hour": "6",
        "schedule_weekday": "0",
        "enabled": "on",
    }


def test_test_shows_the_value_without_saving_or_recording(
    client, org, key_result, carol, receiver, loopback
):
    receiver.answers["/m.json"] = json_answer('{"data": {"total": 1234.5}}')
    client.force_login(carol)
    url = feed_url(org, key_result, "kr_feed_test")
    response = client.post(url, posted_url_form(receiver))
    assert response.status_code == 200
    assert "The feed reads 1234.5. Nothing was recorded." in response.content.decode()
    fragment = client.post(url, posted_url_form(receiver), headers=HTMX).content.decode()
    assert "The feed reads 1234.5" in fragment and "<html" not in fragment
    assert not DataSource.objects.exists() and not CheckIn.objects.exists()


def test_test_explains_what_went_wrong(client, org, key_result, carol, receiver, loopback):
    receiver.answers["/m.json"] = json_answer('{"data": {"count": 3}}')
    client.force_login(carol)
    response = client.post(
        feed_url(org, key_result, "kr_feed_test"), posted_url_form(receiver), headers=HTMX
    )
    assert "$.data has no “total” (it has: count)" in response.content.decode()


def test_test_refuses_settings_that_are_not_valid(client, org, key_result, carol, receiver):
    client.force_login(carol)
    data = {**posted_url_form(receiver), "path": "data..x"}
    response = client.post(feed_url(org, key_result, "kr_feed_test"), data)
    assert response.status_code == 400
    assert "cannot be read at" in response.content.decode()
    assert receiver.requests == []


# --- sync now -----------------------------------------------------------------------------------


def poll_url(html: str) -> str:
    return re.search(r'hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


def test_sync_now_with_htmx_waits_for_the_worker_then_reloads_the_page(
    client, org, key_result, url_feed, carol, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        waiting = client.post(feed_url(org, key_result, "kr_feed_sync"), headers=HTMX)
    # the sync is enqueued once the request's work is committed
    assert any("sync_request" in c.__qualname__ for c in queued)
    html = waiting.content.decode()
    assert 'data-testid="feed-waiting"' in html and "part=source" in poll_url(html)
    done = client.get(poll_url(html), headers=HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert KeyResult.objects.get(pk=key_result.pk).current == Decimal("31.5")
    page = client.get(kr_url(org, key_result)).content.decode()
    assert 'data-testid="feed-value">32 %' in page


def test_sync_now_shows_no_change_and_errors_in_the_box(
    client, org, key_result, url_feed, carol, receiver, django_capture_on_commit_callbacks
):
    from tenfold.feeds.services import source_sync

    source_sync(source=url_feed)
    client.force_login(carol)
    url = feed_url(org, key_result, "kr_feed_sync")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.post(url, headers=HTMX).content.decode()
    again = client.get(poll_url(waiting), headers=HTMX)
    assert again.status_code == 200
    assert "no check-in was added" in again.content.decode()
    receiver.answers["/metrics.json"] = json_answer("{}", status=502)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = client.post(url, headers=HTMX).content.decode()
    failed = client.get(poll_url(waiting), headers=HTMX).content.decode()
    assert "HTTP status 502" in failed and 'data-testid="feed-error"' in failed
    assert CheckIn.objects.count() == 1


def test_sync_now_without_javascript_returns_to_the_key_result(
    client, org, key_result, url_feed, carol, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(feed_url(org, key_result, "kr_feed_sync"))
    assert response.status_code == 302 and response.url == kr_url(org, key_result)
    page = client.get(response.url).content.decode()
    assert "Sync requested" in page and 'data-testid="feed-value">32 %' in page


@pytest.mark.django_db(transaction=True)
def test_when_the_sync_runs_at_once_the_answer_says_so_at_once(
    client, org, key_result, url_feed, carol, receiver
):
    """Outside a test transaction the task runs when the request enqueues it (the immediate
    backend), as in production with TENFOLD_TASKS=immediate."""
    client.force_login(carol)
    url = feed_url(org, key_result, "kr_feed_sync")
    response = client.post(url, headers=HTMX)
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    receiver.answers["/metrics.json"] = json_answer("{}", status=500)
    followed = client.post(url, follow=True).content.decode()
    assert "The sync failed: The address answered with HTTP status 500" in followed


def test_while_the_worker_is_busy_the_box_asks_again(
    client, org, key_result, url_feed, carol, django_capture_on_commit_callbacks
):
    from tenfold.feeds.services import source_sync

    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run
        html = client.post(feed_url(org, key_result, "kr_feed_sync"), headers=HTMX).content.decode()
    still = client.get(poll_url(html), headers=HTMX).content.decode()
    assert 'data-testid="feed-waiting"' in still and "try=2" in poll_url(still)
    source_sync(source=DataSource.objects.select_related("organization").get(pk=url_feed.pk))
    done = client.get(poll_url(still), headers=HTMX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_polling_gives_up_after_a_while(client, org, key_result, url_feed, carol):
    client.force_login(carol)
    url = feed_url(org, key_result) + "?part=source&since=2099-01-01T00:00:00%2B00:00&try=40"
    html = client.get(url, headers=HTMX).content.decode()
    assert "hx-get" not in html and 'data-testid="kr-feed"' in html


# --- the box on the key-result page -------------------------------------------------------------


def test_the_box_shows_the_feed_to_everyone_and_its_controls_to_editors(
    client, org, key_result, url_feed, bob, victor
):
    from tenfold.feeds.services import source_sync

    source_sync(source=url_feed)
    client.force_login(victor)
    html = client.get(kr_url(org, key_result)).content.decode()
    assert 'data-testid="kr-feed"' in html and "Fetched from an address" in html
    assert "Sync now" not in html and 'data-testid="feed-configure"' not in html
    client.force_login(bob)
    html = client.get(kr_url(org, key_result)).content.decode()
    assert "Sync now" in html and feed_url(org, key_result) in html


def test_without_a_feed_only_editors_see_the_box(client, org, key_result, bob, victor):
    client.force_login(victor)
    assert 'data-testid="kr-feed"' not in client.get(kr_url(org, key_result)).content.decode()
    client.force_login(bob)
    html = client.get(kr_url(org, key_result)).content.decode()
    assert "Connect a data feed" in html


def test_errors_show_on_the_key_result(client, org, key_result, url_feed, victor, receiver):
    from tenfold.feeds.services import source_sync

    receiver.answers["/metrics.json"] = json_answer('{"data": {"metrics": [{"value": "soon"}]}}')
    source_sync(source=url_feed)
    client.force_login(victor)
    html = client.get(kr_url(org, key_result)).content.decode()
    assert "“soon” is not a number." in html


def test_the_feed_adds_a_fixed_number_of_queries_to_the_key_result_page(
    client, org, key_result, carol, url_feed
):
    from tenfold.feeds.services import source_sync

    source_sync(source=url_feed)
    client.force_login(carol)
    url = kr_url(org, key_result)
    client.get(url)
    with CaptureQueriesContext(connection) as with_feed:
        client.get(url)
    DataSource.objects.all().delete()
    with CaptureQueriesContext(connection) as without_feed:
        client.get(url)
    assert len(with_feed) - len(without_feed) <= 2


def test_the_settings_page_runs_a_fixed_number_of_queries(
    client, org, key_result, carol, url_feed, django_assert_max_num_queries
):
    client.force_login(carol)
    client.get(feed_url(org, key_result))
    with django_assert_max_num_queries(8):
        assert client.get(feed_url(org, key_result)).status_code == 200
