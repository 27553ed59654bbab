"""The alignment tree page: who reaches it, what the first screen and each expansion show,
filters, objectives aligned to several parents, private objectives, the explain panel, and a
query count that does not grow with the organization."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import Alignment, KeyResult, Objective
from tenfold.okrs.services import alignment_link, key_result_create, objective_create
from tenfold.okrs.tree import BRANCH_LIMIT
from tenfold.organizations.models import Unit, UnitKind

MID_CYCLE = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _mid_cycle():
    with time_machine.travel(MID_CYCLE, tick=False):
        yield


def tree_url(org, **query):
    url = reverse("tree", kwargs={"org": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def unit_url(org, unit, **query):
    url = reverse("tree_unit", kwargs={"org": org.slug, "code": unit.code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def objective_url(org, objective):
    return reverse("tree_objective", kwargs={"org": org.slug, "code": objective.code})


def explain_url(org, kind, code):
    return reverse("tree_explain", kwargs={"org": org.slug, "kind": kind, "code": code})


def htmx(client, url):
    return client.get(url, headers={"HX-Request": "true"})


@pytest.fixture
def world(org, cycle, company, team, objective, key_result, alice, bob, carol):
    """Company goal ← Growth's objective (half its weight) and Product's objective; Growth's
    objective also counts for Product's objective; one private Growth objective under the
    company goal."""
    product = team.parent
    goal = objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Win the mid-market",
        level="company",
        state="active",
        by=alice,
    )
    product_goal = objective_create(
        organization=org,
        cycle=cycle,
        unit=product,
        title="Ship the self-serve plan",
        level="department",
        type="aspirational",
        state="active",
        by=alice,
    )
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quietly prepare the price change",
        visibility="private",
        lead=carol,
        state="active",
        by=carol,
    )
    alignment_link(child=objective, parent_objective=goal, weight="0.5", by=carol)
    alignment_link(child=objective, parent_objective=product_goal, weight="0.25", by=carol)
    alignment_link(child=product_goal, parent_objective=goal, by=alice)
    alignment_link(child=secret, parent_objective=goal, weight="0.3", by=carol)
    checkin_record(key_result=key_result, value=30, by=bob)
    return {"goal": goal, "product": product, "product_goal": product_goal, "secret": secret}


# --- who reaches it -----------------------------------------------------------------------------


def all_urls(org, world, objective, key_result, team):
    return [
        tree_url(org),
        unit_url(org, team),
        objective_url(org, objective),
        explain_url(org, "objective", objective.code),
        explain_url(org, "key-result", key_result.code),
    ]


def test_anonymous_people_are_sent_to_sign_in(client, org, world, objective, key_result, team):
    for url in all_urls(org, world, objective, key_result, team):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


def test_a_viewer_may_read_every_part_of_the_tree(
    client, org, world, objective, key_result, team, victor
):
    client.force_login(victor)
    for url in all_urls(org, world, objective, key_result, team):
        assert client.get(url).status_code == 200, url


def test_people_of_another_organization_get_404(
    client, org, world, objective, key_result, team, other_org, mallory
):
    client.force_login(mallory)
    for url in all_urls(org, world, objective, key_result, team):
        assert client.get(url).status_code == 404, url


def test_codes_from_another_organization_are_not_found(client, org, other_org, alice, mallory):
    theirs = Unit.objects.get(organization=other_org, parent__isnull=True)
    client.force_login(alice)
    assert client.get(unit_url(org, theirs)).status_code == 404
    assert client.get(tree_url(org, unit=theirs.code)).status_code == 404


def test_an_unknown_explain_kind_is_not_found(client, org, world, objective, alice):
    client.force_login(alice)
    assert client.get(explain_url(org, "initiative", objective.code)).status_code == 404


def test_writes_are_not_allowed(client, org, world, alice):
    client.force_login(alice)
    assert client.post(tree_url(org)).status_code == 405


def test_the_top_bar_links_to_the_page(client, org, world, bob):
    client.force_login(bob)
    response = client.get(reverse("company", kwargs={"org": org.slug}))
    assert f'href="{tree_url(org)}"' in response.text


# --- the first screen ---------------------------------------------------------------------------


def test_the_first_screen_shows_company_objectives_and_collapsed_departments(
    client, org, world, bob
):
    client.force_login(bob)
    response = client.get(tree_url(org))
    assert response.status_code == 200
    page = response.text
    assert "Win the mid-market" in page
    assert "Product" in page
    # Inside a collapsed unit nothing is loaded yet: only its counts.
    assert "Ship the self-serve plan" not in page
    assert "Customers love onboarding" not in page
    (summary,) = response.context["summaries"]
    assert summary.unit == world["product"]
    # Bob sees Product's objective and Growth's public one, not the private one.
    assert summary.total == 2
    assert summary.own == 1
    # Product's objective has no key results: the check-in below it keeps it fresh.
    assert dict(summary.parts) == {"on_track": 2}
    assert 'aria-expanded="false"' in page


def test_a_unit_summary_counts_what_the_viewer_may_see(client, org, world, alice):
    client.force_login(alice)
    (summary,) = client.get(tree_url(org)).context["summaries"]
    assert summary.total == 3  # the owner also sees the private objective


def test_the_tree_can_start_at_a_unit(client, org, world, team, bob):
    client.force_login(bob)
    response = client.get(tree_url(org, unit=world["product"].code))
    assert response.context["start"] == world["product"]
    assert [o.title for o in response.context["objectives"]] == ["Ship the self-serve plan"]
    assert [s.unit for s in response.context["summaries"]] == [team]


def test_another_cycle_can_be_chosen(client, org, world, alice):
    from tenfold.okrs.services import cycle_create

    later = cycle_create(
        organization=org,
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        by=alice,
    )
    client.force_login(alice)
    response = client.get(tree_url(org, cycle=later.code))
    assert response.context["cycle"] == later
    assert response.context["objectives"] == []
    assert f'name="cycle" value="{later.code}"' in response.text  # kept in the expanders


# --- expanding ----------------------------------------------------------------------------------


def test_opening_a_unit_with_htmx_returns_only_the_fragment(client, org, world, team, bob):
    client.force_login(bob)
    response = htmx(client, unit_url(org, world["product"]))
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Ship the self-serve plan" in response.text
    assert "Growth" in response.text
    assert response.context["summaries"][0].unit == team


def test_opening_a_unit_without_javascript_shows_it_as_a_page(client, org, world, bob):
    client.force_login(bob)
    response = client.get(unit_url(org, world["product"]))
    assert "<html" in response.text
    assert "Ship the self-serve plan" in response.text
    assert "Back to the tree" in response.text


def test_expanders_are_buttons_that_work_without_javascript(client, org, world, bob):
    client.force_login(bob)
    page = client.get(tree_url(org)).text
    button = re.search(r"<button[^>]*data-tree-toggle[^>]*>", page).group(0)
    assert 'type="submit"' in button
    assert 'aria-expanded="false"' in button
    assert "aria-controls=" in button
    assert f'action="{unit_url(org, world["product"])}"' in page


def test_opening_an_objective_shows_its_key_results_and_aligned_objectives(
    client, org, world, objective, key_result, alice
):
    client.force_login(alice)
    response = htmx(client, objective_url(org, objective))
    assert "<html" not in response.text
    page = response.text
    assert key_result.title.replace("%", "%") in page
    assert "Bob Member" in page  # the key result's owner
    assert "30 %" in page and "40 %" in page  # value and target in the key result's format
    assert "50 %" in page  # progress of 20 → 40 at 30


def test_a_child_appears_under_every_parent_with_its_other_parents_named(
    client, org, world, objective, bob
):
    client.force_login(bob)
    under_goal = htmx(client, objective_url(org, world["goal"])).text
    under_product = htmx(client, objective_url(org, world["product_goal"])).text
    for page in (under_goal, under_product):
        assert "Customers love onboarding" in page
        assert "Also contributes to" in page
    assert "Contributes 50 %" in under_goal
    assert "Ship the self-serve plan</a> (25 %)" in under_goal
    assert "Contributes 25 %" in under_product
    assert "Win the mid-market</a> (50 %)" in under_product


def test_a_private_child_shows_without_its_title(client, org, world, bob):
    client.force_login(bob)
    page = htmx(client, objective_url(org, world["goal"])).text
    assert "A private objective" in page
    assert "contributes 30 %" in page
    assert "Quietly prepare" not in page


def test_the_lead_sees_the_private_child(client, org, world, carol):
    client.force_login(carol)
    page = htmx(client, objective_url(org, world["goal"])).text
    assert "Quietly prepare the price change" in page
    assert "A private objective" not in page


def test_a_hidden_objective_cannot_be_opened_or_explained(client, org, world, bob):
    client.force_login(bob)
    assert client.get(objective_url(org, world["secret"])).status_code == 404
    assert client.get(explain_url(org, "objective", world["secret"].code)).status_code == 404


def test_a_kept_expansion_is_never_served_to_someone_who_may_not_see_it(
    client, org, world, bob, carol
):
    client.force_login(carol)
    assert htmx(client, objective_url(org, world["secret"])).status_code == 200
    client.force_login(bob)
    assert htmx(client, objective_url(org, world["secret"])).status_code == 404
    missing = reverse("tree_objective", kwargs={"org": org.slug, "code": "nothing-here"})
    assert client.get(missing, headers={"HX-Request": "true"}).status_code == 404


def test_a_child_aligned_to_a_key_result_says_so(client, org, cycle, world, key_result, carol):
    helper = objective_create(
        organization=org,
        cycle=cycle,
        unit=world["product"],
        title="Document the activation funnel",
        state="active",
        by=carol,
    )
    alignment_link(child=helper, parent_key_result=key_result, weight="0.4", by=carol)
    client.force_login(carol)
    page = htmx(client, objective_url(org, key_result.objective)).text
    assert "Document the activation funnel" in page
    assert "through the key result" in page
    assert "Contributes 40 %" in page


# --- filters ------------------------------------------------------------------------------------


def test_a_status_filter_lists_matches_with_their_unit_path(
    client, org, cycle, team, world, carol, bob
):
    fresh = objective_create(
        organization=org, cycle=cycle, unit=team, title="Not started", state="active", by=carol
    )
    key_result_create(objective=fresh, title="K", kind="increase", start=0, target=10, by=carol)
    client.force_login(bob)
    response = client.get(tree_url(org, status="pending"))
    assert [o.title for o in response.context["matches"]] == ["Not started"]
    assert response.context["match_total"] == 1
    assert "Acme › Product › Growth" in response.text
    on_track = client.get(tree_url(org, status="on_track")).context["matches"]
    assert [o.title for o in on_track] == [
        "Win the mid-market",
        "Ship the self-serve plan",
        "Customers love onboarding",
    ]


def test_a_type_filter_keeps_only_that_type(client, org, world, bob):
    client.force_login(bob)
    response = client.get(tree_url(org, type="aspirational"))
    assert [o.title for o in response.context["matches"]] == ["Ship the self-serve plan"]


def test_a_search_matches_titles_of_objectives_and_key_results(client, org, world, bob):
    client.force_login(bob)
    by_objective = client.get(tree_url(org, q="MID-MARKET")).context["matches"]
    by_key_result = client.get(tree_url(org, q="activation")).context["matches"]
    assert [o.title for o in by_objective] == ["Win the mid-market"]
    assert [o.title for o in by_key_result] == ["Customers love onboarding"]


def test_a_search_never_finds_what_the_viewer_may_not_see(client, org, world, bob):
    client.force_login(bob)
    response = client.get(tree_url(org, q="price"))
    assert response.context["match_total"] == 0
    assert "Quietly" not in response.text


def test_unknown_filter_values_are_ignored(client, org, world, bob):
    client.force_login(bob)
    response = client.get(tree_url(org, status="purple", type="heroic"))
    assert response.status_code == 200
    assert not response.context["filters"].narrowing
    assert response.context["summaries"]


def test_filters_are_kept_in_the_expand_and_explain_addresses(client, org, cycle, world, bob):
    client.force_login(bob)
    page = client.get(tree_url(org, cycle=cycle.code, status="on_track", q="love")).text
    assert f"?cycle={cycle.code}&amp;status=on_track&amp;q=love" in page
    assert '<input type="hidden" name="status" value="on_track">' in page


# --- explain ------------------------------------------------------------------------------------


def test_explaining_an_objective_with_key_results(client, org, world, objective, alice):
    client.force_login(alice)
    response = htmx(client, explain_url(org, "objective", objective.code))
    page = response.text
    assert "<html" not in page
    assert "Σ(key-result progress × weight) ÷ Σ(weight)" in page
    assert "Raise activation from 20% to 40%" in page
    assert "0.5 ÷ 1 = 50 %" in page
    # Status: the cycle's calendar, the gap and the organization's thresholds.
    assert "45 of the cycle's 92 days have passed" in page
    assert "ahead of the time passed" in page
    assert "more than 20 points behind as at risk" in page
    assert "more than 40 points behind as off track" in page
    assert "The newest check-in was today." in page


def test_a_recent_check_in_is_within_the_grace_period(
    client, org, world, objective, key_result, alice
):
    KeyResult.objects.filter(pk=key_result.pk).update(
        last_checkin_at=MID_CYCLE - dt.timedelta(days=3)
    )
    client.force_login(alice)
    page = htmx(client, explain_url(org, "key-result", key_result.code)).text
    assert "12 Nov 2026, 3 days ago, within the grace period" in page


def test_explaining_a_roll_up_names_private_contributors_only_as_private(client, org, world, bob):
    client.force_login(bob)
    page = htmx(client, explain_url(org, "objective", world["goal"].code)).text
    assert "Σ(progress of aligned objective × contribution) ÷ Σ(contribution)" in page
    assert "Customers love onboarding" in page
    assert "a private objective" in page
    assert "Quietly" not in page


def test_explaining_a_key_result_shows_the_arithmetic(client, org, world, key_result, alice):
    client.force_login(alice)
    page = htmx(client, explain_url(org, "key-result", key_result.code)).text
    assert "(now − start) ÷ (target − start)" in page
    assert "10 % ÷ 20 % = 50 %" in page
    assert "On track" in page


def test_explaining_without_a_check_in_says_the_status_waits(
    client, org, cycle, team, carol, alice
):
    fresh = objective_create(
        organization=org, cycle=cycle, unit=team, title="New", state="active", by=carol
    )
    key_result_create(objective=fresh, title="K", kind="increase", start=0, target=10, by=carol)
    client.force_login(alice)
    page = htmx(client, explain_url(org, "objective", fresh.code)).text
    assert "No check-in has been recorded yet" in page


def test_a_stale_figure_is_explained_as_stale(client, org, world, objective, key_result, alice):
    KeyResult.objects.filter(pk=key_result.pk).update(
        last_checkin_at=MID_CYCLE - dt.timedelta(days=20)
    )
    client.force_login(alice)
    page = htmx(client, explain_url(org, "objective", objective.code)).text
    assert "20 days ago" in page
    assert "stale after more than 10 days" in page


def test_explaining_without_javascript_is_a_page(client, org, world, objective, bob):
    client.force_login(bob)
    response = client.get(explain_url(org, "objective", objective.code))
    assert "<html" in response.text
    assert "How this figure is computed" in response.text


def test_every_progress_figure_has_an_explain_link(client, org, world, objective, alice):
    client.force_login(alice)
    page = htmx(client, objective_url(org, objective)).text
    assert page.count('hx-target="#tree-explain"') == len(page.split('class="progress"')) - 1


# --- a constant number of queries ---------------------------------------------------------------


def build_large(org, cycle, goal, department):
    """A thousand objectives: ten departments with ten objectives each, a hundred teams (ten
    of them under `department`) with nine each, two key results per team objective, and every
    team objective aligned to its department's objective and every third also to `goal`."""
    root = Unit.objects.get(organization=org, parent__isnull=True)
    more = Unit.objects.bulk_create(
        Unit(organization=org, name=f"Department {i}", kind=UnitKind.DEPARTMENT, parent=root)
        for i in range(9)
    )
    departments = [department, *more]
    teams = Unit.objects.bulk_create(
        Unit(organization=org, name=f"Team {d}-{t}", kind=UnitKind.TEAM, parent=dept)
        for d, dept in enumerate(departments)
        for t in range(10)
    )
    common = {"organization": org, "cycle": cycle, "state": "active"}
    dept_objectives = Objective.objects.bulk_create(
        Objective(unit=dept, title=f"{dept.name} goal {i}", level="department", **common)
        for dept in departments
        for i in range(10)
    )
    team_objectives = Objective.objects.bulk_create(
        Objective(
            unit=team,
            title=f"{team.name} goal {i}",
            progress=Decimal("0.3"),
            visibility="private" if i == 0 else "organization",
            **common,
        )
        for team in teams
        for i in range(9)
    )
    checked = MID_CYCLE - dt.timedelta(days=3)
    KeyResult.objects.bulk_create(
        KeyResult(
            organization=org,
            objective=objective,
            title=f"KR {k}",
            start=0,
            target=10,
            current=3,
            progress=Decimal("0.3"),
            last_checkin_at=checked if k == 0 else None,
        )
        for objective in team_objectives
        for k in range(2)
    )
    first_of = {}
    for objective in dept_objectives:
        first_of.setdefault(objective.unit_id, objective)
    links = [
        Alignment(organization=org, child=o, parent_objective=goal, weight=Decimal("0.1"))
        for o in dept_objectives
    ]
    for i, objective in enumerate(team_objectives):
        team = next(t for t in teams if t.id == objective.unit_id)
        links.append(
            Alignment(
                organization=org,
                child=objective,
                parent_objective=first_of[team.parent_id],
                weight=Decimal("0.5"),
            )
        )
        if i % 3 == 0:
            links.append(
                Alignment(organization=org, child=objective, parent_objective=goal, weight=1)
            )
    Alignment.objects.bulk_create(links)
    return len(dept_objectives) + len(team_objectives)


def queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_the_tree_runs_the_same_queries_for_a_small_and_a_large_organization(
    client, org, cycle, world, persona, request, no_fragments
):
    client.force_login(request.getfixturevalue(persona))
    goal, product = world["goal"], world["product"]
    urls = [
        (tree_url(org), {}),
        (unit_url(org, product), {"HX-Request": "true"}),
        (objective_url(org, goal), {"HX-Request": "true"}),
        (explain_url(org, "objective", goal.code), {"HX-Request": "true"}),
        (tree_url(org, status="at_risk"), {}),
    ]
    client.get(tree_url(org))  # the first visit also stores the organization in the session
    small = [queries(client, url, **headers) for url, headers in urls]
    build_large(org, cycle, goal, product)
    assert Objective.objects.filter(organization=org).count() >= 1000
    large = [queries(client, url, **headers) for url, headers in urls]
    assert large == small
    assert max(small) <= 15


def test_the_large_tree_still_adds_up(client, org, cycle, world, bob):
    build_large(org, cycle, world["goal"], world["product"])
    client.force_login(bob)
    response = client.get(tree_url(org))
    summaries = {s.unit.name: s for s in response.context["summaries"]}
    assert len(summaries) == 10
    # Ten department objectives and ten teams of nine, minus the private one in each team.
    assert summaries["Department 0"].total == 10 + 10 * 8
    response = htmx(client, objective_url(org, world["goal"]))
    branch = response.context["branch"]
    # Every team's first objective is private and, being every third, aligned to the goal;
    # so is the world's private objective. The first BRANCH_LIMIT are listed, the rest counted.
    goal = world["goal"]
    aligned = (
        Alignment.objects.filter(Q(parent_objective=goal) | Q(parent_key_result__objective=goal))
        .values("child_id")
        .distinct()
    )
    assert len(branch.children) == BRANCH_LIMIT
    assert len(branch.children) + branch.more == aligned.count() > 100 + 1


def test_a_cycle_that_is_not_there_is_a_404_even_when_copies_are_kept(client, org, world, bob):
    client.force_login(bob)
    product = world["product"]
    # Kept copies of both pages exist; a wrong cycle in the address must not reach them.
    assert client.get(tree_url(org)).status_code == 200
    assert htmx(client, unit_url(org, product)).status_code == 200
    assert client.get(tree_url(org, cycle="nope")).status_code == 404
    assert client.get(unit_url(org, product, cycle="nope")).status_code == 404
    unit_page = reverse("unit", kwargs={"org": org.slug, "code": product.code})
    assert client.get(unit_page).status_code == 200
    assert client.get(unit_page + "?cycle=nope").status_code == 404
