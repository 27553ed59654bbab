"""The browsing pages: home, the organization list, the company page and unit pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.okrs.models import CycleKind, CycleState, Objective
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import UnitKind
from tenfold.organizations.services import person_add, unit_create

MID_CYCLE = dt.datetime(2026, 11, 15, 12, 0, tzinfo=dt.UTC)


def week_url(org):
    """Home is the person's week."""
    return reverse("my_week", args=[org.slug])


def company_url(org, **query):
    url = reverse("company", kwargs={"org": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def unit_url(org, unit):
    return reverse("unit", kwargs={"org": org.slug, "code": unit.code})


def make_objective(org, cycle, unit, by, title, **kwargs):
    kwargs.setdefault("state", "active")
    return objective_create(organization=org, cycle=cycle, unit=unit, title=title, by=by, **kwargs)


def make_key_result(objective, by, title="Raise weekly users from 100 to 200"):
    return key_result_create(
        objective=objective,
        title=title,
        kind="increase",
        start=Decimal(100),
        target=Decimal(200),
        by=by,
    )


# --- health and home ---------------------------------------------------------------------------


def test_healthz_answers_ok_to_anyone(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_home_sends_anonymous_people_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_home_goes_straight_to_the_only_organization(client, org, bob, team):
    client.force_login(bob)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == week_url(org)


def test_home_lets_people_in_several_organizations_choose(client, org, other_org, mallory):
    person_add(organization=org, email=mallory.email, by=org.memberships.first().user)
    client.force_login(mallory)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [m.organization.slug for m in response.context["memberships"]] == ["acme", "globex"]


def test_home_returns_to_the_organization_last_visited(client, org, other_org, mallory):
    person_add(organization=org, email=mallory.email, by=org.memberships.first().user)
    client.force_login(mallory)
    client.get(company_url(other_org))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == week_url(other_org)


def test_home_ignores_a_remembered_organization_the_person_no_longer_belongs_to(
    client, org, other_org, alice, mallory
):
    person_add(organization=org, email=mallory.email, by=alice)
    client.force_login(alice)
    session = client.session
    session["org"] = other_org.slug
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == week_url(org)


def test_the_organization_list_tells_people_without_one_what_to_do(client, bob):
    client.force_login(bob)
    response = client.get(reverse("org_list"))
    assert response.status_code == 200
    assert "You do not belong to an organization yet" in response.text
    assert bob.email in response.text


def test_the_switcher_lists_only_the_persons_organizations(client, org, team, other_org, bob):
    client.force_login(bob)
    response = client.get(company_url(org))
    switcher = response.text.split('class="menu-list"', 1)[1].split("</ul>", 1)[0]
    assert "Acme" in switcher
    assert "Globex" not in switcher
    assert company_url(other_org) not in response.text


def test_the_switcher_costs_no_query_for_people_who_are_not_signed_in(
    rf, db, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    from tenfold.web.context_processors import tenfold

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert list(tenfold(request)["my_memberships"]) == []


def test_signed_in_pages_offer_a_sign_out_form(client, org, bob, team):
    client.force_login(bob)
    response = client.get(company_url(org))
    assert f'action="{reverse("account_logout")}"' in response.text
    assert 'method="post"' in response.text


def test_the_sign_in_page_wears_the_product_layout(client, db, settings):
    settings.ACCOUNT_ALLOW_REGISTRATION = False
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "tenfold/tenfold.css" in response.text
    assert 'class="btn btn-primary"' in response.text
    assert reverse("account_signup") not in response.text


def test_the_sign_in_page_invites_sign_up_only_when_it_is_open(client, db, settings):
    settings.ACCOUNT_ALLOW_REGISTRATION = True
    response = client.get(reverse("account_login"))
    assert reverse("account_signup") in response.text


# --- company page ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "victor"])
def test_the_company_page_shows_members_the_cycles_objectives(
    client, org, objective, key_result, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(company_url(org))
    assert response.status_code == 200
    assert objective.title in response.text
    assert key_result.title in response.text
    assert reverse("objective", args=[org.slug, objective.code]) in response.text


def test_the_browsing_pages_only_answer_reads(client, org, team, bob):
    client.force_login(bob)
    for url in (reverse("home"), reverse("org_list"), company_url(org), unit_url(org, team)):
        assert client.post(url).status_code == 405
        assert client.head(url).status_code in (200, 302)


def test_the_company_page_is_not_found_for_outsiders(client, org, objective, mallory, other_org):
    client.force_login(mallory)
    assert client.get(company_url(org)).status_code == 404


def test_the_company_page_sends_anonymous_people_to_sign_in(client, org):
    response = client.get(company_url(org))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_hides_private_objectives_from_members(client, org, company, cycle, alice, bob, team):
    make_objective(org, cycle, company, alice, "Secret acquisition", visibility="private")
    make_objective(org, cycle, company, alice, "Grow revenue")
    client.force_login(bob)
    text = client.get(company_url(org)).text
    assert "Grow revenue" in text
    assert "Secret acquisition" not in text
    client.force_login(alice)
    assert "Secret acquisition" in client.get(company_url(org)).text


def test_it_nests_aligned_objectives_under_their_parent(
    client, org, company, cycle, alice, objective, key_result
):
    parent = make_objective(org, cycle, company, alice, "Become the easiest tool to start with")
    alignment_link(child=objective, parent_objective=parent, by=alice)
    client.force_login(alice)
    response = client.get(company_url(org))
    tree = response.context["tree"]
    assert [node.objective for node in tree] == [parent]
    assert [node.objective for node in tree[0].children] == [objective]
    # The child sits in a nested list inside the parent's item.
    parent_at = response.text.index(parent.title)
    assert response.text.index('<ul class="tree">', parent_at) < response.text.index(
        objective.title
    )


def test_company_progress_is_the_mean_of_the_company_objectives(
    client, org, company, cycle, alice, objective
):
    first = make_objective(org, cycle, company, alice, "Win the market")
    second = make_objective(org, cycle, company, alice, "Keep customers")
    Objective.objects.filter(pk=first.pk).update(progress=Decimal("0.2"))
    Objective.objects.filter(pk=second.pk).update(progress=Decimal("0.6"))
    # A team objective at 100 % does not count toward the company's own figure.
    Objective.objects.filter(pk=objective.pk).update(progress=Decimal(1))
    client.force_login(alice)
    response = client.get(company_url(org))
    assert response.context["overall"] == Decimal("0.4")
    assert "40 %" in response.text
    assert "The mean progress of the 2 company objectives" in response.text


def test_company_progress_explains_why_it_is_missing(client, org, alice, objective):
    client.force_login(alice)
    response = client.get(company_url(org))
    assert response.context["overall"] is None
    assert "No company-level objectives in this cycle yet" in response.text


def test_key_results_and_objectives_show_their_status(client, org, alice, objective, key_result):
    client.force_login(alice)
    with time_machine.travel(MID_CYCLE, tick=False):
        response = client.get(company_url(org))
        assert 'status-pending">No check-in yet' in response.text
        # Half the cycle has passed; 20 → 21 of 20 → 40 is far behind.
        checkin_record(key_result=key_result, value=21, by=alice)
        response = client.get(company_url(org))
    row = response.context["tree"][0].objective
    assert row.status == "off_track"
    assert row.krs[0].status == "off_track"
    assert 'status-off_track">Off track' in response.text


def test_a_cycle_can_be_chosen_from_the_switcher(client, org, alice, cycle, objective, company):
    earlier = cycle_create(
        organization=org,
        name="Q3 2026",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )
    make_objective(org, earlier, company, alice, "Summer launch")
    client.force_login(alice)
    with time_machine.travel(MID_CYCLE, tick=False):
        current = client.get(company_url(org))
        chosen = client.get(company_url(org, cycle=earlier.code))
    assert objective.title in current.text and "Summer launch" not in current.text
    assert "Summer launch" in chosen.text and objective.title not in chosen.text
    assert f"?cycle={earlier.code}" in current.text


def test_an_unknown_or_foreign_cycle_is_not_found(client, org, alice, cycle, other_org):
    foreign = other_org.cycles.get()
    client.force_login(alice)
    assert client.get(company_url(org, cycle="nope")).status_code == 404
    assert client.get(company_url(org, cycle=foreign.code)).status_code == 404


def test_htmx_gets_only_the_cycle_section(client, org, alice, cycle, objective):
    client.force_login(alice)
    response = client.get(company_url(org, cycle=cycle.code), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="cycle"')
    assert "<html" not in response.text
    assert objective.title in response.text


def test_only_people_who_can_write_see_the_new_objective_button(
    client, org, cycle, bob, victor, team
):
    new_url = reverse("objective_new", args=[org.slug])
    client.force_login(bob)
    assert new_url in client.get(company_url(org)).text
    client.force_login(victor)
    assert new_url not in client.get(company_url(org)).text


def test_the_company_page_says_what_to_do_without_a_cycle(client, org, alice, bob, team):
    client.force_login(alice)
    text = client.get(company_url(org)).text
    assert "No OKR cycle yet" in text
    assert reverse("settings_cycles", args=[org.slug]) in text
    client.force_login(bob)
    text = client.get(company_url(org)).text
    assert "Ask an owner or admin" in text
    assert reverse("settings_cycles", args=[org.slug]) not in text


def test_the_company_page_says_what_to_do_without_objectives(client, org, cycle, bob, victor, team):
    client.force_login(bob)
    text = client.get(company_url(org)).text
    assert "No objectives in Q4 2026 yet" in text
    assert "Write the first objective" in text
    client.force_login(victor)
    text = client.get(company_url(org)).text
    assert "No objectives in Q4 2026 yet" in text
    assert "Write the first objective" not in text


def test_a_closed_cycle_without_objectives_does_not_invite_writing(client, org, alice, team):
    closed = cycle_create(
        organization=org,
        name="Q1 2026",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 3, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.CLOSED,
        by=alice,
    )
    client.force_login(alice)
    text = client.get(company_url(org, cycle=closed.code)).text
    assert "This cycle is closed" in text
    assert "Write the first objective" not in text
    assert "Company progress" not in text


def test_the_company_page_lists_units_with_links(client, org, cycle, team, objective, bob):
    client.force_login(bob)
    response = client.get(company_url(org))
    assert unit_url(org, team) in response.text
    assert "Product" in response.text
    assert "1 objective" in response.text


# --- unit page ---------------------------------------------------------------------------------


def test_the_unit_page_shows_its_place_people_and_objectives(
    client, org, team, objective, key_result, carol, bob
):
    client.force_login(bob)
    response = client.get(unit_url(org, team))
    assert response.status_code == 200
    assert response.context["ancestors"][-1].name == "Product"
    assert [u.display_name for u in response.context["leads"]] == ["Carol Lead"]
    assert [u.display_name for u in response.context["members"]] == ["Bob Member"]
    assert objective.title in response.text and key_result.title in response.text


def test_the_unit_page_lists_the_units_below(client, org, alice, team):
    product = team.parent
    client.force_login(alice)
    response = client.get(unit_url(org, product))
    assert response.context["sub_units"] == [team]
    assert unit_url(org, team) in response.text


def test_the_unit_page_is_not_found_for_outsiders_and_other_organizations(
    client, org, team, mallory, other_org, alice
):
    client.force_login(mallory)
    assert client.get(unit_url(org, team)).status_code == 404
    foreign_unit = other_org.units.get()
    client.force_login(alice)
    assert client.get(unit_url(org, foreign_unit)).status_code == 404


def test_the_unit_page_hides_private_objectives_from_members(
    client, org, cycle, team, carol, bob, victor
):
    make_objective(org, cycle, team, carol, "Team secret", visibility="private", lead=carol)
    client.force_login(victor)
    assert "Team secret" not in client.get(unit_url(org, team)).text
    client.force_login(carol)
    assert "Team secret" in client.get(unit_url(org, team)).text


def test_the_unit_page_never_names_a_parent_the_viewer_may_not_see(
    client, org, company, cycle, team, alice, victor, objective
):
    secret = make_objective(org, cycle, company, alice, "Confidential merger", visibility="private")
    public = make_objective(org, cycle, company, alice, "Delight customers")
    alignment_link(child=objective, parent_objective=secret, by=alice)
    alignment_link(child=objective, parent_objective=public, by=alice)
    client.force_login(victor)
    text = client.get(unit_url(org, team)).text
    assert "Contributes to" in text and "Delight customers" in text
    assert "Confidential merger" not in text


def test_team_members_may_start_an_objective_for_their_team_only(
    client, org, cycle, team, bob, victor
):
    new_url = reverse("objective_new", args=[org.slug]) + f"?unit={team.code}"
    client.force_login(bob)
    assert new_url in client.get(unit_url(org, team)).text
    # Bob belongs to the team, not to its department, which only its leads may plan for.
    product_url = reverse("objective_new", args=[org.slug]) + f"?unit={team.parent.code}"
    assert product_url not in client.get(unit_url(org, team.parent)).text
    client.force_login(victor)
    assert "New objective for this unit" not in client.get(unit_url(org, team)).text


def test_the_unit_page_says_what_to_do_without_objectives_or_people(
    client, org, cycle, alice, company
):
    empty = unit_create(organization=org, name="Research", parent=company, by=alice)
    client.force_login(alice)
    text = client.get(unit_url(org, empty)).text
    assert "Research has no objectives in Q4 2026 yet" in text
    assert "Nobody belongs to this unit yet." in text
    assert "No units below this one." in text


def test_the_unit_page_says_what_to_do_without_a_cycle(client, org, team, bob):
    client.force_login(bob)
    assert "No OKR cycle yet" in client.get(unit_url(org, team)).text


# --- query counts ------------------------------------------------------------------------------


def build_world(org, cycle, team, alice, size):
    """`size` team objectives with two key results each, half aligned to a company objective,
    spread over `size` // 3 extra units."""
    company = team.parent.parent
    parent = make_objective(org, cycle, company, alice, "Company objective")
    units = [team]
    for number in range(max(1, size // 3) - 1):
        units.append(
            unit_create(
                organization=org,
                name=f"Team {number}",
                parent=company,
                kind=UnitKind.TEAM,
                by=alice,
            )
        )
    for number in range(size):
        unit = units[number % len(units)]
        objective = make_objective(org, cycle, unit, alice, f"Objective {number}")
        first = make_key_result(objective, alice, f"Result {number}a")
        make_key_result(objective, alice, f"Result {number}b")
        if number % 2:
            alignment_link(child=objective, parent_objective=parent, by=alice)
        if number % 3 == 0:
            checkin_record(key_result=first, value=150, by=alice)
    return units


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_the_company_page_runs_the_same_queries_for_3_or_30_objectives(
    client, org, cycle, team, alice, persona, request, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    build_world(org, cycle, team, alice, 3)
    client.get(company_url(org))  # the first visit also stores the organization in the session
    small = count_queries(client, company_url(org))
    build_world(org, cycle, team, alice, 30)
    with django_assert_num_queries(small):
        response = client.get(company_url(org))
    assert response.context["objective_count"] == 3 + 30 + 2
    assert small <= 20


def test_the_unit_page_runs_the_same_queries_for_3_or_30_objectives(
    client, org, cycle, team, alice, carol, django_assert_num_queries, no_fragments
):
    client.force_login(carol)
    build_world(org, cycle, team, alice, 3)
    client.get(unit_url(org, team))
    small = count_queries(client, unit_url(org, team))
    build_world(org, cycle, team, alice, 30)
    person_add(organization=org, email="dave@example.com", units=[team], by=alice)
    with django_assert_num_queries(small):
        response = client.get(unit_url(org, team))
    assert len(response.context["objectives"]) > 3
    assert small <= 20


def test_the_organization_list_runs_a_single_membership_query(
    client, org, other_org, mallory, alice, django_assert_num_queries
):
    person_add(organization=org, email=mallory.email, by=alice)
    client.force_login(mallory)
    client.get(reverse("org_list"))
    # Session, user, memberships: the switcher reuses the page's list.
    with django_assert_num_queries(3):
        client.get(reverse("org_list"))


def test_a_closed_cycle_leads_to_its_reviews_and_carry_over(
    client, org, cycle, objective, alice, bob
):
    from tenfold.okrs.services import cycle_set_state

    cycle_set_state(cycle=cycle, state="reviewing", by=alice)
    client.force_login(bob)
    page = client.get(company_url(org, cycle=cycle.code)).content.decode()
    assert reverse("reviews", args=[org.slug, cycle.code]) in page
    assert reverse("carryover", args=[org.slug, cycle.code]) in page
