"""Reads: counts and reactions for lists, threads, unread mentions and the activity feed, each
in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import key_result_create
from tenfold.social.selectors import (
    activity,
    comment_counts,
    reactions_for,
    thread,
    unread_mentions,
)
from tenfold.social.services import comment_add, comment_delete, reaction_toggle

from .conftest import access_of


def make_key_results(objective, carol, count):
    return [
        key_result_create(
            objective=objective, title=f"KR {n}", kind="increase", start=0, target=10, by=carol
        )
        for n in range(count)
    ]


def test_comment_counts_take_one_query_for_any_number_of_targets(
    org, bob, carol, objective, django_assert_num_queries
):
    krs = make_key_results(objective, carol, 5)
    access = access_of(bob, org)
    for index, kr in enumerate(krs):
        for _ in range(index):
            comment_add(access=access, target=kr, body="Hm")
    deleted = comment_add(access=access, target=krs[0], body="Oops")
    comment_delete(access=access, comment=deleted)
    with django_assert_num_queries(1):
        counts = comment_counts("key-result", [kr.pk for kr in krs])
    assert counts == {krs[1].pk: 1, krs[2].pk: 2, krs[3].pk: 3, krs[4].pk: 4}


def test_no_ids_need_no_query(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        assert comment_counts("objective", []) == {}
        assert reactions_for("objective", [], 1) == {}


def test_reactions_are_counted_per_emoji_with_the_viewers_own_marked(
    org, bob, carol, alice, objective, key_result, django_assert_num_queries
):
    reaction_toggle(access=access_of(bob, org), target=key_result, emoji="rocket")
    reaction_toggle(access=access_of(carol, org), target=key_result, emoji="rocket")
    reaction_toggle(access=access_of(carol, org), target=key_result, emoji="thumbs_up")
    reaction_toggle(access=access_of(alice, org), target=objective, emoji="eyes")
    with django_assert_num_queries(1):
        found = reactions_for("key-result", [key_result.pk], bob.pk)
    summary = [(r.emoji, r.count, r.mine) for r in found[key_result.pk]]
    assert summary == [("thumbs_up", 1, False), ("rocket", 2, True)]
    assert found[key_result.pk][1].glyph == "🚀"


@pytest.mark.parametrize("kind", ["objective", "item"])
def test_a_thread_runs_the_same_queries_for_3_or_30_comments(
    request, org, bob, carol, kind, django_assert_num_queries
):
    target = request.getfixturevalue({"objective": "objective", "item": "item"}[kind])
    access = access_of(bob, org)

    def add(count):
        for n in range(count):
            comment = comment_add(access=access, target=target, body=f"@carol number {n}")
            reaction_toggle(access=access_of(carol, org), target=comment, emoji="eyes")

    add(3)
    with CaptureQueriesContext(connection) as small:
        assert len(thread(access, target)) == 3
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        comments = thread(access, target)
    assert len(comments) == 30
    assert '<span class="mention"' in comments[0].html
    assert comments[0].can_manage
    assert comments[0].reaction_list[3].count == 1


def test_unread_mentions_take_the_same_queries_for_3_or_30(
    org, bob, carol, objective, key_result, checkin, item, django_assert_num_queries
):
    access = access_of(bob, org)
    targets = [objective, key_result, checkin, item]
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            made.append(comment_add(access=access, target=targets[n % 4], body=f"@carol see {n}"))

    add(3)
    carol_access = access_of(carol, org)
    with CaptureQueriesContext(connection) as small:
        assert len(unread_mentions(carol_access, limit=50)) == 3
    add(27)
    with django_assert_num_queries(len(small.captured_queries)):
        mentions = unread_mentions(carol_access, limit=50)
    assert len(mentions) == 30
    assert mentions[0].comment.body == "@carol see 29"
    urls = {m.comment.body.split()[-1]: m.url for m in mentions}
    assert urls["28"] == f"/acme/objectives/{objective.code}/#comment-{made[28].code}"
    assert urls["29"] == f"/acme/key-results/{key_result.code}/#comment-{made[29].code}"
    assert urls["27"] == f"/acme/comments/item/{item.code}/#comment-{made[27].code}"
    assert len(unread_mentions(carol_access)) == 10


def test_mentions_of_deleted_comments_or_hidden_targets_are_left_out(
    org, alice, bob, carol, objective
):
    comment = comment_add(access=access_of(bob, org), target=objective, body="@carol hi")
    comment_add(access=access_of(bob, org), target=objective, body="@carol still here")
    comment_delete(access=access_of(bob, org), comment=comment)
    assert [m.comment.body for m in unread_mentions(access_of(carol, org))] == ["@carol still here"]
    # The objective turns private to a lead carol is not: the mention goes quiet too.
    objective.visibility = "private"
    objective.lead = alice
    objective.unit = None
    objective.owner_person = alice
    objective.save()
    assert unread_mentions(access_of(carol, org)) == []


# --- activity -------------------------------------------------------------------------------


def test_the_feed_tells_what_happened_newest_first(org, bob, carol, objective, key_result):
    checkin_record(key_result=key_result, value=34, confidence=7, by=bob)
    comment_add(access=access_of(carol, org), target=objective, body="Nice")
    sentences = [e.sentence for e in activity(access_of(bob, org)).entries]
    assert sentences[:3] == [
        f"Carol Lead commented on “{objective.title}”",
        f"Bob Member checked in 34 on “{key_result.title}”",
        f"Carol Lead added the key result “{key_result.title}”",
    ]


def test_events_of_objectives_the_viewer_cannot_see_are_left_out(
    org, alice, bob, objective, private_objective
):
    comment_add(access=access_of(alice, org), target=private_objective, body="Lease talk")
    seen_by_bob = " ".join(e.sentence for e in activity(access_of(bob, org)).entries)
    seen_by_alice = " ".join(e.sentence for e in activity(access_of(alice, org)).entries)
    assert private_objective.title not in seen_by_bob
    assert objective.title in seen_by_bob
    assert f"created the objective “{private_objective.title}”" in seen_by_alice
    assert f"commented on “{private_objective.title}”" in seen_by_alice


def test_weekly_items_show_only_to_people_who_may_see_the_week(
    org, alice, bob, carol, victor, item
):
    from tenfold.audit.services import audit_record

    item.objective = None
    item.save()
    audit_record(
        organization=org, actor=bob, verb="weekly.item_added", obj=item, changes={"person": bob.pk}
    )
    comment_add(access=access_of(carol, org), target=item, body="Good plan")

    def sentences(user):
        return [e.sentence for e in activity(access_of(user, org)).entries]

    added = f"Bob Member added “{item.text}” to a weekly report"
    commented = f"Carol Lead commented on “{item.text}”"
    for user in (alice, bob, carol):
        assert added in sentences(user)
        assert commented in sentences(user)
    # victor shares no unit with bob and is no admin
    assert added not in sentences(victor)
    assert commented not in sentences(victor)


def test_the_unit_feed_keeps_to_the_units_objectives_and_weeks(
    org, alice, bob, team, objective, private_objective, item
):
    from tenfold.audit.services import audit_record
    from tenfold.organizations.models import Unit

    audit_record(organization=org, actor=bob, verb="weekly.item_added", obj=item)
    finance = Unit.objects.get(name="Finance")
    growth = [e.sentence for e in activity(access_of(alice, org), unit=team).entries]
    assert f"Bob Member added “{item.text}” to a weekly report" in growth
    assert any(objective.title in s for s in growth)
    assert not any(private_objective.title in s for s in growth)
    other = [e.sentence for e in activity(access_of(alice, org), unit=finance).entries]
    assert other == [f"Alice Owner created the objective “{private_objective.title}”"]


def test_the_feed_pages_by_keyset_and_keeps_a_fixed_number_of_queries(
    org, bob, carol, objective, key_result, django_assert_num_queries
):
    access = access_of(bob, org)

    def add(count):
        for n in range(count):
            checkin_record(key_result=key_result, value=n, by=bob)

    add(3)
    with CaptureQueriesContext(connection) as small:
        activity(access, limit=5)
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        first = activity(access, limit=50)
    assert len(first.entries) == 50
    assert first.older == first.entries[-1].pk
    second = activity(access, before=first.older, limit=50)
    assert second.entries[0].pk < first.entries[-1].pk
    assert {e.pk for e in first.entries}.isdisjoint({e.pk for e in second.entries})
    assert second.older is None


def test_the_feed_follows_when_things_happened_not_when_they_were_written(
    org, bob, objective, key_result
):
    import datetime as dt

    from django.utils import timezone

    from tenfold.audit.services import recorded_at

    base = timezone.now()
    # Written in id order, but the first three happened later (as backdated history does).
    for n, offset in enumerate((1, 2, 3, -3, -2, -1)):
        with recorded_at(base + dt.timedelta(hours=offset)):
            checkin_record(key_result=key_result, value=n, by=bob)
    access = access_of(bob, org)
    first = activity(access, limit=3)
    second = activity(access, before=first.older, limit=50)
    seen = [
        e.changes["value"] for e in first.entries + second.entries if e.verb.startswith("checkin")
    ]
    assert seen == ["2", "1", "0", "5", "4", "3"]
