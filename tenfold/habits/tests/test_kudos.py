"""Kudos: the toggle's rules, counts for whole lists in one query, "received this week", the
template tags, and the web toggles per persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tenfold.checkins.models import WeeklyItem
from tenfold.checkins.services import checkin_record
from tenfold.habits.models import Kudos
from tenfold.habits.selectors import kudos_for, kudos_received
from tenfold.habits.services import kudos_toggle
from tenfold.okrs.services import objective_create

from .conftest import HTMX, LAST_WEEK, THIS_WEEK, access_of, at, to_now, write_week


@pytest.fixture
def checkin(clock, key_result, bob):
    at(clock, THIS_WEEK + dt.timedelta(days=1))
    return checkin_record(key_result=key_result, value=30, by=bob)


@pytest.fixture
def item(org, bob):
    return write_week(org, bob, THIS_WEEK)


# --- the service ------------------------------------------------------------------------------


def test_kudos_toggle_on_and_off(org, team, carol, checkin):
    access = access_of(org, carol)
    assert kudos_toggle(access=access, target=checkin) is True
    assert kudos_for([checkin], carol)[("check-in", checkin.pk)].count == 1
    assert kudos_toggle(access=access, target=checkin) is False
    assert not Kudos.objects.exists()


def test_nobody_gives_kudos_to_their_own_work(org, team, bob, checkin, item):
    for target, word in ((checkin, "check-in"), (item, "item")):
        with pytest.raises(ValidationError) as caught:
            kudos_toggle(access=access_of(org, bob), target=target)
        assert f"your own {word}" in caught.value.messages[0]
    assert not Kudos.objects.exists()


def test_viewers_see_kudos_but_do_not_give_them(org, team, victor, checkin):
    with pytest.raises(PermissionDenied):
        kudos_toggle(access=access_of(org, victor), target=checkin)


def test_nobody_gives_kudos_for_what_they_cannot_see(org, team, alice, victor, item):
    # victor shares no unit with bob, so bob's week is not open to him
    with pytest.raises(PermissionDenied, match="cannot see"):
        kudos_toggle(access=access_of(org, victor), target=item)


def test_only_check_ins_and_weekly_items_take_kudos(org, team, carol, objective):
    with pytest.raises(ValueError, match="Objective"):
        kudos_toggle(access=access_of(org, carol), target=objective)


def test_the_database_keeps_one_kudos_per_giver_and_target(org, team, carol, checkin, item):
    Kudos.objects.create(organization=org, giver=carol, checkin=checkin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(organization=org, giver=carol, checkin=checkin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(organization=org, giver=carol, checkin=checkin, weekly_item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(organization=org, giver=carol)


# --- the selectors ----------------------------------------------------------------------------


def test_kudos_for_counts_a_mixed_list_in_one_query(
    org, team, alice, bob, carol, checkin, item, django_assert_num_queries
):
    other = write_week(org, carol, THIS_WEEK)
    for giver, target in ((alice, checkin), (carol, checkin), (alice, item), (bob, other)):
        kudos_toggle(access=access_of(org, giver), target=target)
    items = list(WeeklyItem.objects.select_related("report").filter(pk__in=[item.pk, other.pk]))
    with django_assert_num_queries(1):
        states = kudos_for([checkin, *items], carol)
    assert (states[("check-in", checkin.pk)].count, states[("check-in", checkin.pk)].mine) == (
        2,
        True,
    )
    assert (states[("item", item.pk)].count, states[("item", item.pk)].mine) == (1, False)
    assert states[("item", other.pk)].own and not states[("item", item.pk)].own


def test_items_without_their_report_cost_one_more_query_for_the_whole_list(
    org, team, carol, bob, django_assert_num_queries
):
    items = [write_week(org, bob, THIS_WEEK) for _ in range(5)]
    bare = list(WeeklyItem.objects.filter(pk__in=[i.pk for i in items]))
    with django_assert_num_queries(2):
        states = kudos_for(bare, bob)
    assert all(state.own for state in states.values())


def test_kudos_received_this_week_lists_the_givers_once(
    clock, org, team, alice, bob, carol, key_result
):
    at(clock, LAST_WEEK + dt.timedelta(days=2))
    old_item = write_week(org, bob, LAST_WEEK)
    kudos_toggle(access=access_of(org, carol), target=old_item)  # given last week
    at(clock, THIS_WEEK + dt.timedelta(days=1))
    checkin = checkin_record(key_result=key_result, value=30, by=bob)
    item = write_week(org, bob, THIS_WEEK)
    kudos_toggle(access=access_of(org, carol), target=checkin)
    kudos_toggle(access=access_of(org, carol), target=item)
    kudos_toggle(access=access_of(org, alice), target=old_item)  # an old item, kudos this week
    to_now(clock)
    received = kudos_received(org, bob.pk, THIS_WEEK)
    assert (received.count, received.givers) == (3, ["Alice Owner", "Carol Lead"])
    assert kudos_received(org, bob.pk, LAST_WEEK).count == 1
    assert kudos_received(org, carol.pk, THIS_WEEK).count == 0


# --- the template tags ------------------------------------------------------------------------

LIST = Template(
    "{% load habits %}{% kudos_prefetch rows attr='items' %}"
    "{% for row in rows %}{% for item in row.items %}{% kudos_button item %}{% endfor %}"
    "{% endfor %}"
)


class Row:
    def __init__(self, items):
        self.items = items


def context_of(user, org, **extra):
    request = RequestFactory().get("/acme/week/")
    request.user = user
    return Context({"org": org, "access": access_of(org, user), "request": request, **extra})


def render(template, user, org, **extra):
    return template.render(context_of(user, org, **extra))


def test_the_button_list_runs_the_same_queries_for_3_or_30_items(
    org, team, bob, carol, django_assert_num_queries
):
    def rows(count):
        for _ in range(count):
            write_week(org, bob, THIS_WEEK)
        items = list(WeeklyItem.objects.select_related("report"))
        return [Row(items[: len(items) // 2]), Row(items[len(items) // 2 :])]

    few = context_of(carol, org, rows=rows(3))
    with django_assert_num_queries(1):
        LIST.render(few)
    many = context_of(carol, org, rows=rows(27))
    with django_assert_num_queries(1):
        html = LIST.render(many)
    assert html.count('data-testid="kudos-toggle"') == 30


def test_the_button_shows_the_count_and_the_state(org, team, alice, carol, bob, checkin):
    kudos_toggle(access=access_of(org, alice), target=checkin)
    button = Template("{% load habits %}{% kudos_button target %}")
    for_carol = render(button, carol, org, target=checkin)
    assert 'aria-pressed="false"' in for_carol and 'data-testid="kudos-count">1<' in for_carol
    assert reverse("kudos_checkin", args=[org.slug, checkin.code]) in for_carol
    for_alice = render(button, alice, org, target=checkin)
    assert 'aria-pressed="true"' in for_alice
    for_bob = render(button, bob, org, target=checkin)  # the author sees the count only
    assert "kudos-toggle" not in for_bob and 'data-testid="kudos-count">1<' in for_bob


def test_the_button_reads_a_mapping_passed_in(org, team, carol, checkin, django_assert_num_queries):
    states = kudos_for([checkin], carol)
    button = Template("{% load habits %}{% kudos_button target kudos=states %}")
    context = context_of(carol, org, target=checkin, states=states)
    with django_assert_num_queries(0):
        button.render(context)


def test_the_received_line_shows_on_a_week_its_reader_may_see(
    org, team, alice, bob, carol, victor, checkin
):
    kudos_toggle(access=access_of(org, carol), target=checkin)
    line = Template("{% load habits %}{% kudos_received_line person week %}")
    mine = render(line, bob, org, person=bob, week=THIS_WEEK)
    assert "You received 1 kudos this week, from Carol Lead." in " ".join(mine.split())
    assert "1 kudos this week, from Carol Lead." in " ".join(
        render(line, alice, org, person=bob, week=THIS_WEEK).split()
    )
    assert "kudos" not in render(line, victor, org, person=bob, week=THIS_WEEK)
    assert "kudos" not in render(line, carol, org, person=carol, week=THIS_WEEK)


# --- the web toggles --------------------------------------------------------------------------


def test_a_plain_post_gives_kudos_and_returns_to_the_page(client, org, team, carol, checkin):
    client.force_login(carol)
    url = reverse("kudos_checkin", args=[org.slug, checkin.code])
    back = reverse("key_result", args=[org.slug, checkin.key_result.code])
    response = client.post(url, {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Kudos.objects.filter(giver=carol, checkin=checkin).exists()
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response["Location"] == back  # never sent off the site; and now taken back
    assert not Kudos.objects.exists()


def test_htmx_gets_the_button_back(client, org, team, carol, item):
    client.force_login(carol)
    url = reverse("kudos_item", args=[org.slug, item.code])
    response = client.post(url, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="kudos-item-{item.code}"' in html and 'aria-pressed="true"' in html


def test_own_work_gets_a_clear_message(client, org, team, bob, checkin):
    client.force_login(bob)
    url = reverse("kudos_checkin", args=[org.slug, checkin.code])
    response = client.post(url)
    assert response.status_code == 400
    assert "your own check-in" in response.content.decode()
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200 and "your own check-in" in response.content.decode()
    assert not Kudos.objects.exists()


def test_a_viewer_is_refused_and_an_invisible_target_is_not_found(
    client, org, team, victor, checkin, item
):
    client.force_login(victor)
    assert client.post(reverse("kudos_checkin", args=[org.slug, checkin.code])).status_code == 403
    assert client.post(reverse("kudos_item", args=[org.slug, item.code])).status_code == 404


def test_another_organization_sees_nothing(client, org, team, other_org, mallory, checkin, item):
    client.force_login(mallory)
    for name, code in (("kudos_checkin", checkin.code), ("kudos_item", item.code)):
        assert client.post(reverse(name, args=[org.slug, code])).status_code == 404
        assert client.post(reverse(name, args=[other_org.slug, code])).status_code == 404
    assert not Kudos.objects.exists()


def test_a_check_in_of_a_private_objective_is_not_found(client, org, cycle, team, alice, bob):
    hidden = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet",
        visibility="private",
        state="active",
        lead=alice,
        by=alice,
    )
    from tenfold.okrs.services import key_result_create

    kr = key_result_create(
        objective=hidden, title="KR", kind="increase", start=0, target=1, by=alice
    )
    checkin = checkin_record(key_result=kr, value=1, by=alice)
    client.force_login(bob)
    assert client.post(reverse("kudos_checkin", args=[org.slug, checkin.code])).status_code == 404
