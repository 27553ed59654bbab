"""The example library pages per persona: the list with its htmx search and function chips,
one example, and "use this example"; constant query counts whatever the organization's size."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tenfold.coach.library import examples
from tenfold.okrs.models import CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.services import cycle_create
from tenfold.organizations.services import unit_create

SLUG = "sales-faster-deals"
PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt (GET, and POST with an empty
# body); `code` is an example's slug.
EXPECTED = {
    ("library", "GET"): (302, 200, 200, 200, 200, 404),
    ("library", "POST"): (302, 405, 405, 405, 405, 405),
    ("library_example", "GET"): (302, 200, 200, 200, 200, 404),
    ("library_example", "POST"): (302, 405, 405, 405, 405, 405),
    ("library_example_use", "GET"): (302, 405, 405, 405, 405, 405),
    ("library_example_use", "POST"): (302, 400, 400, 400, 403, 404),
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel("2026-11-15 12:00:00+00:00", tick=False):
        yield


def list_url(org):
    return reverse("library", args=[org.slug])


def detail_url(org, slug=SLUG):
    return reverse("library_example", args=[org.slug, slug])


def use_url(org, slug=SLUG):
    return reverse("library_example_use", args=[org.slug, slug])


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, name, method
):
    kwargs = {"org": org.slug}
    if name != "library":
        kwargs["code"] = SLUG
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


# --- the list ---------------------------------------------------------------------------------


def test_the_library_lists_every_example_with_function_chips(client, org, team, victor):
    client.force_login(victor)
    page = client.get(list_url(org)).content.decode()
    assert page.count('data-testid="library-card"') == len(examples("en"))
    assert 'hx-trigger="keyup changed delay:300ms, search"' in page
    assert 'role="search"' in page and 'method="get"' in page  # works without JavaScript
    assert 'data-function="sales"' in page and '>Sales <span class="count">6</span>' in page
    assert "Cut the median lead-to-close time from 48 to 35 days" in page
    assert reverse("library_example", args=[org.slug, SLUG]) in page


def test_a_search_answers_htmx_with_the_results_fragment_only(client, org, team, bob):
    client.force_login(bob)
    response = client.get(list_url(org), {"q": "churn"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<div id="library-results"')
    assert "<html" not in fragment and 'id="library-q"' not in fragment
    assert 'data-slug="cs-reduce-churn"' in fragment
    assert fragment.count('data-testid="library-card"') == 3
    assert "3 examples for “churn”" in fragment


def test_the_same_search_without_htmx_is_a_whole_page(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"q": "churn"}).content.decode()
    assert "<html" in page and 'value="churn"' in page
    assert page.count('data-testid="library-card"') == 3


def test_the_chips_count_what_the_query_finds_per_function(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"q": "churn"}).content.decode()
    assert 'data-function="customer_success" class="is-empty"' not in page
    assert 'data-function="sales" class="is-empty"' in page  # no sales example says churn
    assert 'href="?q=churn&amp;function=customer_success"' in page


def test_a_function_chip_filters_the_results(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"function": "security"}).content.decode()
    assert page.count('data-testid="library-card"') == 3
    assert "3 examples in Security" in page
    assert 'name="function" value="security"' in page  # typing keeps the filter
    assert 'data-function="security" aria-current="true"' in page


def test_query_and_function_combine(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"q": "churn", "function": "leadership"}).content.decode()
    assert page.count('data-testid="library-card"') == 1
    assert 'data-slug="leadership-win-mid-market"' in page


def test_an_unknown_function_is_ignored(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"function": "astrology"}).content.decode()
    assert page.count('data-testid="library-card"') == len(examples("en"))


def test_nothing_found_says_so(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"q": "zzzz nothing"}).content.decode()
    assert "No example matches" in page and 'data-testid="library-card"' not in page


def test_the_page_speaks_the_visitors_language(client, org, team, bob):
    client.force_login(bob)
    page = client.get(list_url(org), {"q": "rapido"}, headers={"Accept-Language": "es"})
    text = page.content.decode()
    assert "Cerrar ventas más rápido sin comprar velocidad con descuentos" in text
    chinese = client.get(list_url(org), {"q": "流失"}, headers={"Accept-Language": "zh-hans"})
    assert "让客户持续成功，根本不会想到离开" in chinese.content.decode()


# --- one example ------------------------------------------------------------------------------


def test_the_detail_shows_everything_and_the_use_form(client, org, team, cycle, bob):
    client.force_login(bob)
    page = client.get(detail_url(org)).content.decode()
    assert "Win deals faster without buying speed with discounts" in page
    assert "Why it matters" in page and "Why this is a good OKR" in page
    assert "keep-below key result on discounts" in page
    assert "Agree a dated close plan with the buyer" in page
    assert page.count('data-kind="') == 3
    assert "48 days → 35 days" in page and "22 % → 30 %" in page and "12 %" in page
    assert use_url(org) in page
    form = page.split('name="unit"')[1].split("</select>")[0]
    assert "Growth" in form and "Acme" not in form  # only units bob may write in
    assert f'value="{team.code}" selected' in form
    assert f'value="{cycle.code}" selected' in page
    assert reverse("objective_new", args=[org.slug]) + f"?example={SLUG}" in page


def test_a_viewer_reads_the_example_without_the_form(client, org, team, cycle, victor):
    client.force_login(victor)
    page = client.get(detail_url(org)).content.decode()
    assert "Win deals faster" in page
    assert use_url(org) not in page and 'name="cycle"' not in page


def test_a_personal_example_asks_only_for_the_cycle(client, org, team, cycle, bob):
    client.force_login(bob)
    page = client.get(detail_url(org, "personal-confident-presenter")).content.decode()
    assert 'name="cycle"' in page and 'name="unit"' not in page


def test_an_unknown_example_is_not_found(client, org, team, bob):
    client.force_login(bob)
    assert client.get(detail_url(org, "no-such-example")).status_code == 404
    assert client.post(use_url(org, "no-such-example"), {}).status_code == 404


def test_without_an_open_cycle_the_page_says_so(client, org, team, bob):
    client.force_login(bob)
    page = client.get(detail_url(org)).content.decode()
    assert "There is no cycle in planning or active" in page
    assert use_url(org) not in page


# --- using it -----------------------------------------------------------------------------------


def test_using_an_example_creates_a_draft_and_opens_it(client, org, team, cycle, carol):
    client.force_login(carol)
    response = client.post(use_url(org), {"unit": team.code, "cycle": cycle.code})
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("objective", args=[org.slug, objective.code])
    assert (objective.state, objective.unit, objective.cycle) == ("draft", team, cycle)
    assert objective.title == "Win deals faster without buying speed with discounts"
    assert KeyResult.objects.filter(objective=objective).count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "Draft objective created from the example" in page


def test_using_it_in_spanish_writes_spanish(client, org, team, cycle, bob):
    client.force_login(bob)
    client.post(
        use_url(org), {"unit": team.code, "cycle": cycle.code}, headers={"Accept-Language": "es"}
    )
    assert Objective.objects.get().title.startswith("Cerrar ventas más rápido")


def test_a_viewer_is_refused_and_nothing_is_written(client, org, team, cycle, victor):
    client.force_login(victor)
    response = client.post(use_url(org), {"unit": team.code, "cycle": cycle.code})
    assert response.status_code == 403
    assert not Objective.objects.exists()


def test_a_member_may_not_use_it_for_the_company(client, org, company, team, cycle, bob):
    client.force_login(bob)
    response = client.post(use_url(org), {"unit": company.code, "cycle": cycle.code})
    assert response.status_code == 403
    assert not Objective.objects.exists()


def test_another_organization_gets_404_and_nothing(client, org, team, cycle, other_org, mallory):
    client.force_login(mallory)
    assert client.get(detail_url(org)).status_code == 404
    assert client.get(list_url(org)).status_code == 404
    assert client.post(use_url(org), {"unit": team.code, "cycle": cycle.code}).status_code == 404
    assert not Objective.objects.filter(organization=org).exists()
    assert client.get(detail_url(other_org)).status_code == 200


def test_a_closed_cycle_gets_a_clear_message_and_nothing_is_written(
    client, org, team, cycle, alice, carol
):
    closed = cycle_create(
        organization=org,
        name="Q2 2026",
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.CLOSED,
        by=alice,
    )
    client.force_login(carol)
    page = client.get(detail_url(org)).content.decode()
    assert f'value="{closed.code}"' not in page  # not offered
    response = client.post(use_url(org), {"unit": team.code, "cycle": closed.code})
    assert response.status_code == 400
    assert "The cycle “Q2 2026” is closed" in response.content.decode()
    assert not Objective.objects.exists() and not KeyResult.objects.exists()


def test_an_unknown_cycle_or_unit_gets_a_message(client, org, team, cycle, carol):
    client.force_login(carol)
    response = client.post(use_url(org), {"unit": "nope", "cycle": "nope"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "No unit of this organization has that code." in text
    assert "No cycle of this organization has that code." in text
    assert not Objective.objects.exists()


def test_a_personal_example_needs_no_unit(client, org, team, cycle, bob):
    client.force_login(bob)
    response = client.post(use_url(org, "personal-fluent-with-data"), {"cycle": cycle.code})
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert (objective.level, objective.owner_person, objective.type) == (
        "personal",
        bob,
        "aspirational",
    )


# --- query counts ------------------------------------------------------------------------------


def grow(org, company, alice, units, cycles):
    for n in range(units):
        unit_create(organization=org, name=f"Team {n}", parent=company, by=alice)
    for n in range(cycles):
        cycle_create(
            organization=org,
            name=f"Sprint {n}",
            start=dt.date(2027, 1, 1) + dt.timedelta(days=30 * n),
            end=dt.date(2027, 1, 28) + dt.timedelta(days=30 * n),
            state=CycleState.PLANNING,
            by=alice,
        )


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_list_and_the_detail_run_a_constant_number_of_queries(
    client, org, company, team, cycle, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    client.get(list_url(org))  # the first visit also stores the organization in the session
    urls = [list_url(org), list_url(org) + "?q=team", detail_url(org)]
    before = [count_queries(client, url, django_assert_max_num_queries, 12) for url in urls]
    grow(org, company, alice, units=30, cycles=12)
    after = [count_queries(client, url, django_assert_max_num_queries, 12) for url in urls]
    assert after == before
    page = client.get(detail_url(org)).content.decode()
    assert page.count("Team 2") >= 1 and "Sprint 11" in page  # the rows are really there


def test_using_an_example_runs_a_bounded_number_of_queries(
    client, org, company, team, cycle, alice, django_assert_max_num_queries
):
    grow(org, company, alice, units=30, cycles=12)
    client.force_login(alice)
    with django_assert_max_num_queries(60):
        response = client.post(use_url(org), {"unit": team.code, "cycle": cycle.code})
    assert response.status_code == 302
