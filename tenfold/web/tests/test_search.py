"""Quick search on the web: the palette's list (htmx), the search page (no script), the
shortcuts sheet and palette on every page, and `g t`'s way to the viewer's team week."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tenfold.okrs.models import Objective
from tenfold.okrs.services import objective_create
from tenfold.organizations.models import Organization
from tenfold.web import palette

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "palette-results"}


@pytest.fixture(autouse=True)
def _mid_quarter() -> Any:
    palette.forget()
    with time_machine.travel("2026-11-18 09:00:00+00:00", tick=False):
        yield
    palette.forget()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def search_url(org: Organization, **params: str) -> str:
    url = reverse("search", args=[org.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def options(html: str) -> list[tuple[str, str]]:
    """The palette's options: (id, the href)."""
    return re.findall(r'<a role="option" id="([^"]+)" class="[^"]*" href="([^"]+)"', html)


def test_the_palette_lists_actions_then_what_matches_as_a_listbox(
    org, team, objective, key_result, bob
) -> None:
    response = client_for(bob).get(search_url(org, q="onboard"), headers=HTMX)
    html = response.text
    assert response.status_code == 200
    assert "<html" not in html and "<!doctype" not in html.lower()  # the partial alone
    assert 'role="listbox" id="palette-list"' in html
    assert 'data-query="onboard"' in html
    assert options(html) == [("palette-objective-1", f"/acme/objectives/{objective.code}/")]
    assert "Customers love onboarding" in html and "Growth · Q4 2026" in html
    assert 'data-announce="1 result"' in html


def test_actions_are_found_by_their_words_and_keys_are_shown(org, team, bob) -> None:
    html = client_for(bob).get(search_url(org, q="week"), headers=HTMX).text
    assert options(html) == [
        ("palette-action-1", "/acme/week/"),
        ("palette-action-2", "/acme/week/team/"),
    ]
    assert "<kbd>g</kbd><kbd>w</kbd>" in html
    html = client_for(bob).get(search_url(org, q="confidence"), headers=HTMX).text
    assert options(html) == [("palette-action-1", "/acme/week/#key-results")]


def test_an_empty_palette_offers_every_action_this_person_may_take(
    org, team, alice, bob, victor
) -> None:
    def hrefs(user: Any) -> list[str]:
        return [
            href for _id, href in options(client_for(user).get(search_url(org), headers=HTMX).text)
        ]

    daily = [
        "/acme/week/",
        "/acme/week/#key-results",
        "/acme/week/team/",
        "/acme/",
        "/acme/dashboard/",
        "/acme/tree/",
    ]
    rest = ["/acme/planning/", "/acme/kpis/", "/acme/activity/", "/acme/me/notifications/"]
    assert hrefs(victor) == daily + rest
    assert hrefs(bob) == [*daily, "/acme/objectives/new/", *rest]
    assert hrefs(alice) == [*daily, "/acme/objectives/new/", *rest, "/acme/settings/"]
    html = client_for(bob).get(search_url(org), headers=HTMX).text
    assert "Type a few letters of a title, a name or a code to search for." in html


def test_the_palette_says_when_nothing_matches(org, team, bob) -> None:
    html = client_for(bob).get(search_url(org, q="zebra"), headers=HTMX).text
    assert options(html) == []
    assert 'role="listbox"' not in html  # no empty listbox
    assert "Nothing matches “zebra”. Try fewer words, or part of a word." in html


def test_the_palette_offers_all_results_when_there_are_more(org, cycle, team, alice, bob) -> None:
    for n in range(9):
        objective_create(organization=org, cycle=cycle, unit=team, title=f"Launch {n}", by=alice)
    html = client_for(bob).get(search_url(org, q="launch"), headers=HTMX).text
    found = options(html)
    assert len(found) == 8 + 1
    assert found[-1] == ("palette-all", "/acme/search/?q=launch")
    page = client_for(bob).get(search_url(org, q="launch"))
    assert page.text.count('<a href="/acme/objectives/') == 9  # the page shows up to 25
    assert "9 matches for “launch”" in page.text


def test_a_query_that_is_too_long_is_refused_with_a_message(org, team, bob) -> None:
    query = "x" * 101
    html = client_for(bob).get(search_url(org, q=query), headers=HTMX).text
    assert "Search for at most 100 characters (this has 101)." in html
    assert options(html) == []
    page = client_for(bob).get(search_url(org, q=query))
    assert page.status_code == 200
    assert 'aria-invalid="true" aria-describedby="search-error"' in page.text
    assert '<p class="errorlist search-error" id="search-error">Search for at most 100' in page.text


def test_the_search_page_works_without_script(org, team, objective, key_result, bob) -> None:
    response = client_for(bob).get(search_url(org, q="activation"))
    html = response.text
    assert response.status_code == 200
    assert '<h2 id="search-key_result">Key results</h2>' in html
    assert (
        f'<a href="/acme/key-results/{key_result.code}/">Raise activation from 20% to 40%</a>'
        in html
    )
    assert "1 match for “activation”" in html
    assert 'value="activation"' in html
    assert 'role="listbox"' not in html.split("<main")[1].split("</main>")[0]


def test_the_search_page_escapes_the_query(org, team, bob) -> None:
    html = client_for(bob).get(search_url(org, q="%3Cb%3Ex%3C%2Fb%3E")).text
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_hidden_objectives_are_not_listed(org, cycle, team, alice, bob, carol) -> None:
    secret = objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Secret pricing",
        visibility="private",
        lead=carol,
        by=carol,
    )
    assert secret.code not in client_for(bob).get(search_url(org, q="pricing"), headers=HTMX).text
    assert secret.code in client_for(carol).get(search_url(org, q="pricing"), headers=HTMX).text


def test_outsiders_get_404(org, other_org, team, mallory) -> None:
    assert client_for(mallory).get(search_url(org, q="growth")).status_code == 404
    assert client_for(mallory).get(reverse("my_team_week", args=[org.slug])).status_code == 404


def test_every_page_of_an_organization_carries_the_palette_and_the_sheet(
    org, team, objective, bob
) -> None:
    html = client_for(bob).get(reverse("objective", args=[org.slug, objective.code])).text
    assert '<dialog id="palette"' in html and '<dialog id="shortcuts"' in html
    assert 'aria-labelledby="shortcuts-title"' in html
    assert 'role="combobox"' in html and 'aria-controls="palette-list"' in html
    assert 'hx-trigger="input changed delay:150ms, palette-open"' in html
    rows = re.findall(r'<div class="keys-row" data-keys="([^"]+)" data-href="([^"]+)"', html)
    assert rows == [
        ("g w", "/acme/week/"),
        ("c", "/acme/week/#key-results"),
        ("g t", "/acme/week/team/"),
        ("g c", "/acme/"),
        ("g d", "/acme/dashboard/"),
        ("g a", "/acme/tree/"),
    ]
    # The script comes from a file, with this answer's nonce; no inline handler anywhere.
    response = client_for(bob).get(reverse("objective", args=[org.slug, objective.code]))
    nonce = re.search(
        r'<script src="/static/tenfold/keys.js" defer nonce="([^"]+)">', response.text
    )
    assert nonce and f"'nonce-{nonce[1]}'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"\son[a-z]+=", html.split("<dialog", 1)[1])
    # The search button works as a link without script.
    button = re.search(r'<a class="[^"]*topbar-search" href="([^"]+)" data-palette-open', html)
    assert button and button[1] == "/acme/search/"


def test_the_dialogs_speak_the_page_language_and_are_kept_for_each(org, team, bob) -> None:
    client = client_for(bob)
    url = reverse("my_week", args=[org.slug])
    spanish = client.get(url, headers={"Accept-Language": "es"}).text
    english = client.get(url, headers={"Accept-Language": "en"}).text
    assert "OKR de la empresa" in spanish.split('<dialog id="shortcuts"', 1)[1]
    assert "Company OKRs" in english.split('<dialog id="shortcuts"', 1)[1]
    assert len(palette._kept) == 2
    assert client.get(url, headers={"Accept-Language": "es"}).text.count("OKR de la empresa") == (
        spanish.count("OKR de la empresa")
    )
    assert len(palette._kept) == 2


def test_pages_outside_an_organization_have_no_dialogs(org, bob) -> None:
    html = client_for(bob).get(reverse("org_list")).text
    assert "<dialog" not in html
    assert "<dialog" not in Client().get(reverse("account_login")).text


def test_g_t_opens_the_week_of_the_viewer_s_team(org, company, team, alice, bob, carol) -> None:
    for user in (bob, carol):
        response = client_for(user).get(reverse("my_team_week", args=[org.slug]))
        assert response.status_code == 302
        assert response["Location"] == reverse("team_week", args=[org.slug, team.code])
    # The owner belongs to the company unit alone: the company's week.
    response = client_for(alice).get(reverse("my_team_week", args=[org.slug]))
    assert response["Location"] == reverse("team_week", args=[org.slug, company.code])


def test_g_t_takes_someone_in_no_team_to_their_own_week(org, team, victor) -> None:
    response = client_for(victor).get(reverse("my_team_week", args=[org.slug]), follow=True)
    assert response.redirect_chain == [(reverse("my_week", args=[org.slug]), 302)]
    assert "You are not in a team yet, so here is your own week." in response.text


def test_the_palette_runs_the_same_queries_in_a_small_and_a_large_organization(
    org, cycle, team, objective, key_result, alice, bob, django_assert_num_queries
) -> None:
    client = client_for(bob)
    url = search_url(org, q="goal")
    client.get(url, headers=HTMX)  # the first visit stores the organization in the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url, headers=HTMX).status_code == 200
    Objective.objects.bulk_create(
        Objective(organization=org, cycle=cycle, unit=team, title=f"Goal {n}", state="active")
        for n in range(500)
    )
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(url, headers=HTMX).text
    assert len(options(html)) == 8 + 1
    assert len(small.captured_queries) <= 12
