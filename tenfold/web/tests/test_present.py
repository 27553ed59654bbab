"""Presentation mode: the company dashboard and a cycle's reviews as slides, per persona."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership
from tenfold.organizations.permissions import access_for
from tenfold.organizations.services import unit_create
from tenfold.reviews.models import Review
from tenfold.reviews.services import review_update

START = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
MID_CYCLE = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)
"""45 of the Q4 cycle's 92 days have passed: 49 % of it."""


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def present_url(org, **query):
    url = reverse("present_dashboard", kwargs={"org": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def reviews_url(org, cycle):
    return reverse("present_reviews", kwargs={"org": org.slug, "code": cycle.code})


def slides(html: str) -> list[str]:
    """The slides of a deck, in order, each as its HTML."""
    return re.findall(r'<section class="slide[^"]*".*?</section>', html, re.S)


def kr(objective, by, title, **fields):
    fields.setdefault("kind", "increase")
    fields.setdefault("start", Decimal(0))
    fields.setdefault("target", Decimal(100))
    return key_result_create(objective=objective, title=title, by=by, **fields)


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def deck(clock, org, cycle, company, team, objective, key_result, alice, bob, carol):
    """Two company objectives (the first with the team's objective aligned to it and two key
    results), and check-ins that put one key result off track, as of 15 November."""
    first = objective_create(
        organization=org, cycle=cycle, unit=company, title="Be loved", state="active", by=alice
    )
    second = objective_create(
        organization=org, cycle=cycle, unit=company, title="Grow revenue", state="active", by=alice
    )
    loved = kr(first, alice, "Net promoter score from 0 to 100", owner=bob)
    lagging = kr(first, alice, "Win ten partners", owner=carol)
    alignment_link(child=objective, parent_objective=first, by=carol)
    clock.move_to(dt.datetime(2026, 11, 13, 10, tzinfo=dt.UTC))
    checkin_record(key_result=loved, value=60, by=bob)  # 0.60: on track
    checkin_record(key_result=lagging, value=5, by=carol)  # 0.05: off track
    checkin_record(key_result=key_result, value=30, by=bob)  # 20 → 40 at 30: 0.50
    clock.move_to(MID_CYCLE)
    return {"first": first, "second": second, "lagging": lagging}


# --- the dashboard as slides --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "victor"])
def test_owner_member_and_viewer_see_the_dashboard_as_slides(client, org, deck, persona, request):
    response = get(client, request.getfixturevalue(persona), present_url(org))
    html = response.content.decode()
    shown = slides(html)
    # Title, two company objectives, status at a glance, key results behind, quiet teams.
    assert len(shown) == 6
    assert "Acme" in shown[0] and "Q4 2026" in shown[0]
    assert "49 %" in shown[0]  # share of the cycle gone by
    assert "16 %" in shown[0]  # company progress: the mean of 0.325 and 0
    assert 'data-objective="{}"'.format(deck["first"].code) in shown[1]
    assert "Be loved" in shown[1] and "Win ten partners" in shown[1]
    assert "1 team objective aligned" in shown[1]
    assert "status-off_track" in shown[1]
    assert "Grow revenue" in shown[2] and "No key results yet." in shown[2]
    assert "Status at a glance" in shown[3]
    assert "Win ten partners" in shown[4] and "behind by 44 %" in shown[4]
    assert "Growth" not in shown[5]  # it checked in two days ago
    assert 'class="deck"' in html and 'data-exit-url="/acme/dashboard/"' in html


def test_the_script_is_loaded_with_the_pages_nonce_and_the_top_bar_is_hidden(
    client, org, deck, alice
):
    response = get(client, alice, present_url(org))
    html = response.content.decode()
    nonce = re.search(r'<script src="[^"]*present\.js" defer nonce="([^"]+)"', html)
    assert nonce and nonce.group(1) in response["Content-Security-Policy"]
    assert '<body class="presenting"' in html
    assert "present.css" in html
    assert " on" + "click=" not in html and " on" + "keydown=" not in html


def test_the_chosen_cycle_carries_over_and_back(client, org, deck, cycle, alice):
    earlier = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        state="closed",
        by=alice,
    )
    dashboard = get(client, alice, reverse("dashboard", kwargs={"org": org.slug}))
    assert f'href="{present_url(org, cycle=cycle.code)}"' in dashboard.content.decode()
    response = get(client, alice, present_url(org, cycle=earlier.code))
    html = response.content.decode()
    assert len(slides(html)) == 4  # no company objective in Q3: title and three summaries
    assert "Q3 2026" in slides(html)[0]
    assert f'data-exit-url="/acme/dashboard/?cycle={earlier.code}"' in html


def test_another_organizations_member_and_an_unknown_cycle_get_not_found(
    client, org, deck, bob, mallory, other_org
):
    client.force_login(mallory)
    assert client.get(present_url(org)).status_code == 404
    client.force_login(bob)
    assert client.get(present_url(org, cycle="nope")).status_code == 404
    assert client.get(present_url(org, cycle=other_org.cycles.get().code)).status_code == 404


def test_a_private_objective_shows_only_to_those_who_may_see_it(
    clock, client, org, cycle, company, deck, alice, bob, victor
):
    clock.move_to(START)
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Quiet acquisition",
        visibility="private",
        lead=alice,
        state="active",
        by=alice,
    )
    kr(secret, alice, "Sign the term sheet", owner=alice)
    clock.move_to(MID_CYCLE)
    assert len(slides(get(client, alice, present_url(org)).content.decode())) == 7
    assert "Quiet acquisition" in get(client, alice, present_url(org)).content.decode()
    for persona in (bob, victor):
        html = get(client, persona, present_url(org)).content.decode()
        assert len(slides(html)) == 6
        assert "Quiet acquisition" not in html and "Sign the term sheet" not in html


def test_without_a_cycle_there_is_one_slide_saying_so(client, org, team, bob):
    html = get(client, bob, present_url(org)).content.decode()
    assert len(slides(html)) == 1
    assert "Nothing to show before the first cycle" in html


def test_posting_is_not_allowed(client, org, deck, bob):
    client.force_login(bob)
    assert client.post(present_url(org)).status_code == 405


def grow(clock, org, cycle, company, alice, teams: int, tag: str) -> None:
    """`teams` more teams with an objective and a key result each, and as many company
    objectives, each with a key result checked in and a team objective aligned to it."""
    clock.move_to(START)
    for n in range(teams):
        unit = unit_create(organization=org, name=f"{tag} team {n}", parent=company, by=alice)
        top = objective_create(
            organization=org,
            cycle=cycle,
            unit=company,
            title=f"{tag} top {n}",
            state="active",
            by=alice,
        )
        below = objective_create(
            organization=org, cycle=cycle, unit=unit, title=f"{tag} {n}", state="active", by=alice
        )
        alignment_link(child=below, parent_objective=top, by=alice)
        checkin_record(key_result=kr(top, alice, "Top", owner=alice), value=1, by=alice)
        kr(below, alice, "Below", owner=alice)
    clock.move_to(MID_CYCLE)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_the_dashboard_deck_runs_the_same_queries_for_3_or_25_teams(
    clock, client, org, cycle, company, team, alice, persona, request, django_assert_num_queries
):
    grow(clock, org, cycle, company, alice, 3, "small")
    client.force_login(request.getfixturevalue(persona))
    client.get(present_url(org))  # the first visit stores the organization in the session
    small = count_queries(client, present_url(org))
    grow(clock, org, cycle, company, alice, 22, "large")
    with django_assert_num_queries(small):
        response = client.get(present_url(org))
    assert len(slides(response.content.decode())) == 1 + 25 + 3
    assert small <= 20


# --- the reviews as slides ----------------------------------------------------------------------


def access_of(user, org):
    return access_for(Membership.objects.get(organization=org, user=user))


@pytest.fixture
def reviewing(clock, org, cycle, company, team, objective, key_result, alice, bob, carol):
    """The team and the company have scored their OKRs: the cycle is being reviewed. The team
    wrote learnings; the company wrote one."""
    clock.move_to(START)
    top = objective_create(
        organization=org, cycle=cycle, unit=company, title="Be loved", state="active", by=alice
    )
    kr(top, alice, "Grow weekly active teams from 0 to 100")
    clock.move_to(dt.datetime(2026, 12, 20, 12, tzinfo=dt.UTC))
    checkin_record(key_result=key_result, value=Decimal(33), by=bob)
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    team_review = Review.objects.get(cycle=cycle, unit=team)
    review_update(
        access=access_of(carol, org),
        review=team_review,
        learn_stop="Long planning meetings\n\n  Status decks  ",
        learn_start="Weekly demos",
        learn_continue="",
    )
    company_review = Review.objects.get(cycle=cycle, unit__isnull=True)
    review_update(access=access_of(alice, org), review=company_review, learn_continue="Focus")
    return {"team": team_review, "company": company_review}


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor"])
def test_everyone_sees_the_cycles_reviews_as_slides(
    client, org, cycle, reviewing, persona, request
):
    html = get(client, request.getfixturevalue(persona), reviews_url(org, cycle)).content.decode()
    shown = slides(html)
    assert len(shown) == 3  # title, the team's review, the company's
    assert "Reviews of Q4 2026" in shown[0] and "0 of 2 reviews submitted" in shown[0]
    assert f'data-review="{reviewing["team"].code}"' in shown[1] and "Growth" in shown[1]
    assert "Customers love onboarding" in shown[1]
    assert re.search(r'data-testid="objective-score">0\.7<', shown[1])  # 0.65 → 0.7
    stop = re.search(r"<dt>Stop</dt><dd><ul>(.*?)</ul>", shown[1], re.S)
    assert stop and re.findall(r"<li>(.*?)</li>", stop.group(1)) == [
        "Long planning meetings",
        "Status decks",
    ]
    assert "<dt>Continue</dt>" not in shown[1]
    assert "Company review" in shown[2] and "<li>Focus</li>" in shown[2]
    assert f'data-exit-url="/acme/cycles/{cycle.code}/reviews/"' in html


def test_the_review_pages_link_to_the_deck(client, org, cycle, reviewing, bob):
    url = reviews_url(org, cycle)
    listing = get(client, bob, reverse("reviews", kwargs={"org": org.slug, "code": cycle.code}))
    assert f'href="{url}"' in listing.content.decode()
    page = get(
        client, bob, reverse("review", kwargs={"org": org.slug, "code": reviewing["company"].code})
    )
    assert f'href="{url}"' in page.content.decode()


def test_a_private_objectives_scores_are_left_out_for_those_who_may_not_see_it(
    clock, client, org, cycle, team, reviewing, alice, bob, carol, victor
):
    secret = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        state="active",
        by=alice,
    )
    hidden = objective_create(
        organization=org,
        cycle=secret,
        unit=team,
        title="Quiet acquisition",
        visibility="private",
        lead=carol,
        state="active",
        by=carol,
    )
    kr(hidden, carol, "Sign the term sheet")
    cycle_set_state(cycle=secret, state="reviewing", by=alice)
    for persona, seen in ((alice, True), (carol, True), (bob, False), (victor, False)):
        html = get(client, persona, reviews_url(org, secret)).content.decode()
        assert ("Quiet acquisition" in html) is seen
        assert ("Sign the term sheet" in html) is seen


def test_a_company_review_with_nothing_to_show_closes_no_deck(
    client, org, cycle, team, objective, alice, bob
):
    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    html = get(client, bob, reviews_url(org, cycle)).content.decode()
    assert Review.objects.filter(cycle=cycle).count() == 2
    assert len(slides(html)) == 2  # title and the team's review


def test_reviews_of_another_organization_or_an_unknown_cycle_are_not_found(
    client, org, cycle, reviewing, bob, mallory, other_org
):
    client.force_login(mallory)
    assert client.get(reviews_url(org, cycle)).status_code == 404
    client.force_login(bob)
    missing = reverse("present_reviews", kwargs={"org": org.slug, "code": "nope"})
    assert client.get(missing).status_code == 404
    assert client.get(reviews_url(org, other_org.cycles.get())).status_code == 404


def test_the_review_deck_runs_the_same_queries_for_2_or_12_reviews(
    clock, client, org, company, team, alice, bob, django_assert_num_queries
):
    def reviewed_cycle(name, start, teams):
        clock.move_to(dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC))
        cycle = cycle_create(
            organization=org,
            name=name,
            start=start,
            end=start + dt.timedelta(days=80),
            state="active",
            by=alice,
        )
        for n in range(teams):
            unit = unit_create(organization=org, name=f"{name} team {n}", parent=company, by=alice)
            objective = objective_create(
                organization=org,
                cycle=cycle,
                unit=unit,
                title=f"{name} {n}",
                state="active",
                by=alice,
            )
            kr(objective, alice, "First")
            kr(objective, alice, "Second")
        cycle_set_state(cycle=cycle, state="reviewing", by=alice)
        return cycle

    small = reviewed_cycle("Q1 2026", dt.date(2026, 1, 1), 2)
    large = reviewed_cycle("Q2 2026", dt.date(2026, 4, 1), 12)
    client.force_login(bob)
    client.get(reviews_url(org, small))
    counted = count_queries(client, reviews_url(org, small))
    with django_assert_num_queries(counted):
        response = client.get(reviews_url(org, large))
    assert len(slides(response.content.decode())) == 1 + 12
    assert counted <= 8
