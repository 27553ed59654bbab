"""The comment thread fragment and page, adding, editing and deleting, per persona."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.audit.models import AuditEvent
from tenfold.social.models import Comment, Mention
from tenfold.social.services import comment_add

from .conftest import HTMX, access_of


def thread_url(org, kind, code):
    return reverse("comments", args=[org.slug, kind, code])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 200), ("carol", 200), ("victor", 200), ("mallory", 404)],
)
def test_each_persona_reaches_the_thread_as_expected(
    client, request, org, other_org, objective, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(thread_url(org, "objective", objective.code)).status_code == status


def test_anonymous_people_are_sent_to_sign_in(client, org, objective):
    response = client.get(thread_url(org, "objective", objective.code))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_htmx_gets_the_fragment_and_a_plain_request_the_page(client, org, bob, objective):
    comment_add(access=access_of(bob, org), target=objective, body="First <b>thoughts</b>")
    client.force_login(bob)
    fragment = client.get(thread_url(org, "objective", objective.code), headers=HTMX)
    page = client.get(thread_url(org, "objective", objective.code))
    assert "<html" not in fragment.content.decode()
    assert "<html" in page.content.decode()
    for response in (fragment, page):
        text = response.content.decode()
        assert "First &lt;b&gt;thoughts&lt;/b&gt;" in text
        assert 'name="body"' in text


@pytest.mark.parametrize("kind", ["key-result", "check-in", "item"])
def test_every_kind_of_target_has_a_thread(client, request, org, bob, kind):
    target = request.getfixturevalue(
        {"key-result": "key_result", "check-in": "checkin", "item": "item"}[kind]
    )
    client.force_login(bob)
    response = client.post(thread_url(org, kind, target.code), {"body": "On it"}, headers=HTMX)
    assert response.status_code == 200
    assert "On it" in response.content.decode()
    assert Comment.objects.get().target == target


def test_an_unknown_kind_or_code_is_a_404(client, org, bob, objective):
    client.force_login(bob)
    assert client.get(thread_url(org, "cycle", objective.code)).status_code == 404
    assert client.get(thread_url(org, "objective", "nosuchcode")).status_code == 404


def test_a_hidden_objective_is_a_404(client, org, bob, private_objective):
    client.force_login(bob)
    response = client.get(thread_url(org, "objective", private_objective.code))
    assert response.status_code == 404


def test_a_weekly_item_is_a_404_for_people_who_may_not_see_the_week(client, org, victor, item):
    client.force_login(victor)
    assert client.get(thread_url(org, "item", item.code)).status_code == 404


def test_an_htmx_post_adds_and_returns_the_refreshed_thread(client, org, bob, carol, objective):
    client.force_login(bob)
    response = client.post(
        thread_url(org, "objective", objective.code), {"body": "Ask @carol"}, headers=HTMX
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert '<span class="mention" title="carol@example.com">@Carol Lead</span>' in text
    assert Mention.objects.get().user == carol


def test_a_plain_post_redirects_to_the_thread(client, org, bob, objective):
    client.force_login(bob)
    response = client.post(thread_url(org, "objective", objective.code), {"body": "Plain"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"{thread_url(org, 'objective', objective.code)}#comment-{comment.code}"
    )


def test_an_empty_comment_is_refused_with_a_message_and_writes_nothing(client, org, bob, objective):
    client.force_login(bob)
    events = AuditEvent.objects.count()
    url = thread_url(org, "objective", objective.code)
    plain = client.post(url, {"body": "  "})
    htmx = client.post(url, {"body": ""}, headers=HTMX)
    assert plain.status_code == 400
    assert htmx.status_code == 200
    for response in (plain, htmx):
        assert "Write something before posting the comment." in response.content.decode()
    assert not Comment.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_viewer_may_read_but_not_post(client, org, victor, objective):
    client.force_login(victor)
    url = thread_url(org, "objective", objective.code)
    page = client.get(url).content.decode()
    assert 'name="body"' not in page
    assert client.post(url, {"body": "Hi"}).status_code == 403
    assert client.post(url, {"body": "Hi"}, headers=HTMX).status_code == 403
    assert not Comment.objects.exists()


def test_the_thread_runs_the_same_queries_for_3_or_30_comments(
    client, org, bob, carol, objective, django_assert_num_queries
):
    client.force_login(bob)
    url = thread_url(org, "objective", objective.code)

    def add(count):
        for n in range(count):
            comment_add(access=access_of(carol, org), target=objective, body=f"@bob {n}")

    add(3)
    client.get(url, headers=HTMX)  # stores the session
    with CaptureQueriesContext(connection) as small:
        client.get(url, headers=HTMX)
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url, headers=HTMX)
    assert response.content.decode().count('data-testid="comment"') == 30


# --- editing and deleting -------------------------------------------------------------------


@pytest.fixture
def bobs_comment(org, bob, objective):
    return comment_add(access=access_of(bob, org), target=objective, body="Draft words")


def edit_url(org, comment):
    return reverse("comment_edit", args=[org.slug, comment.code])


def delete_url(org, comment):
    return reverse("comment_delete", args=[org.slug, comment.code])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("alice", 200), ("bob", 200), ("carol", 403), ("victor", 403), ("mallory", 404)],
)
def test_the_author_and_admins_get_the_edit_form(
    client, request, org, other_org, bobs_comment, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(org, bobs_comment)).status_code == status


def test_editing_with_htmx_returns_the_changed_comment(client, org, bob, bobs_comment):
    client.force_login(bob)
    form = client.get(edit_url(org, bobs_comment), headers=HTMX).content.decode()
    assert "<html" not in form
    assert "Draft words</textarea>" in form
    response = client.post(edit_url(org, bobs_comment), {"body": "Final words"}, headers=HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="comment-{bobs_comment.code}"' in text
    assert "Final words" in text
    assert "edited" in text
    bobs_comment.refresh_from_db()
    assert bobs_comment.body == "Final words"


def test_a_plain_edit_redirects_and_an_empty_one_is_refused(client, org, bob, bobs_comment):
    client.force_login(bob)
    assert client.post(edit_url(org, bobs_comment), {"body": ""}).status_code == 400
    response = client.post(edit_url(org, bobs_comment), {"body": "Better"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{bobs_comment.code}")


def test_others_cannot_edit_or_delete(client, org, carol, bobs_comment):
    client.force_login(carol)
    assert client.post(edit_url(org, bobs_comment), {"body": "Mine"}).status_code == 403
    assert client.post(delete_url(org, bobs_comment)).status_code == 403
    bobs_comment.refresh_from_db()
    assert bobs_comment.body == "Draft words"
    assert bobs_comment.deleted_at is None


def test_deleting_with_htmx_returns_the_thread_without_the_comment(
    client, org, bob, bobs_comment, objective
):
    client.force_login(bob)
    assert client.get(delete_url(org, bobs_comment)).status_code == 405
    response = client.post(delete_url(org, bobs_comment), headers=HTMX)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Draft words" not in text
    assert f'id="thread-objective-{objective.code}"' in text
    # A deleted comment is gone for good from every route.
    assert client.get(edit_url(org, bobs_comment)).status_code == 404
    assert client.post(delete_url(org, bobs_comment)).status_code == 404


def test_an_admin_deletes_with_a_plain_post(client, org, alice, bobs_comment, objective):
    client.force_login(alice)
    response = client.post(delete_url(org, bobs_comment))
    assert response.status_code == 302
    assert response["Location"] == reverse("comments", args=[org.slug, "objective", objective.code])
    bobs_comment.refresh_from_db()
    assert bobs_comment.deleted_at is not None
