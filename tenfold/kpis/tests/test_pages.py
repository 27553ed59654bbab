"""KPI pages per persona, the htmx value form, write-an-OKR from the web, and constant query
counts on the list and the detail page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tenfold.kpis.models import Kpi, KpiValue
from tenfold.kpis.services import kpi_create
from tenfold.okrs.models import Objective

from .conftest import add_values

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body.
EXPECTED = {
    ("kpis", "GET"): (302, 200, 200, 200, 200, 404),
    ("kpis", "POST"): (302, 405, 405, 405, 405, 405),
    ("kpi_new", "GET"): (302, 200, 403, 200, 403, 404),
    ("kpi_new", "POST"): (302, 400, 403, 400, 403, 404),
    ("kpi", "GET"): (302, 200, 200, 200, 200, 404),
    ("kpi", "POST"): (302, 405, 405, 405, 405, 405),
    ("kpi_edit", "GET"): (302, 200, 403, 200, 403, 404),
    ("kpi_edit", "POST"): (302, 400, 403, 400, 403, 404),
    ("kpi_value_add", "GET"): (302, 405, 405, 405, 405, 405),
    ("kpi_value_add", "POST"): (302, 400, 400, 400, 403, 404),
    ("kpi_write_okr", "GET"): (302, 405, 405, 405, 405, 405),
    ("kpi_write_okr", "POST"): (302, 400, 400, 400, 403, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, kpi, name, method
):
    kwargs = {"org": org.slug}
    if name not in ("kpis", "kpi_new"):
        kwargs["code"] = kpi.code
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def test_the_list_groups_by_unit_flags_the_unhealthy_and_offers_an_okr(
    client, org, cycle, team, carol, kpi, alice
):
    kpi_create(organization=org, name="Cash runway", target="12", unit_label="months", by=alice)
    client.force_login(carol)
    page = client.get(reverse("kpis", args=[org.slug])).content.decode()
    assert page.index("Acme") < page.index("Cash runway") < page.index("Growth")
    assert 'data-testid="kpi-alert"' in page
    assert 'data-health="unhealthy"' in page and 'data-health="unknown"' in page
    assert reverse("kpi_write_okr", args=[org.slug, kpi.code]) in page
    assert "<svg" in page  # the small trend line


def test_a_viewer_sees_the_list_without_write_buttons(client, org, cycle, kpi, victor):
    client.force_login(victor)
    page = client.get(reverse("kpis", args=[org.slug])).content.decode()
    assert "Weekly activation" in page
    assert reverse("kpi_write_okr", args=[org.slug, kpi.code]) not in page
    assert reverse("kpi_new", args=[org.slug]) not in page


def test_the_detail_shows_chart_values_and_forms_by_permission(client, org, cycle, kpi, bob):
    client.force_login(bob)
    page = client.get(reverse("kpi", args=[org.slug, kpi.code])).content.decode()
    assert 'class="chart kpi-chart"' in page
    assert page.count('data-testid="kpi-value-row"') == 4
    assert reverse("kpi_value_add", args=[org.slug, kpi.code]) in page
    assert reverse("kpi_edit", args=[org.slug, kpi.code]) not in page  # bob is no lead


def test_another_organizations_kpi_is_not_found(client, org, kpi, other_org, mallory):
    foreign = kpi_create(organization=other_org, name="Theirs", target=1, by=mallory)
    client.force_login(mallory)
    assert client.get(reverse("kpi", args=[org.slug, kpi.code])).status_code == 404
    assert client.get(reverse("kpi", args=[other_org.slug, kpi.code])).status_code == 404
    assert client.get(reverse("kpi", args=[other_org.slug, foreign.code])).status_code == 200


def test_a_lead_creates_a_kpi_for_their_team(client, org, team, carol):
    client.force_login(carol)
    url = reverse("kpi_new", args=[org.slug])
    assert (
        "Acme" not in client.get(url).content.decode().split('name="unit"')[1].split("</select>")[0]
    )
    response = client.post(
        url,
        {
            "name": "Trial starts",
            "unit": team.code,
            "direction": "in_range",
            "target": "100",
            "target_high": "150",
            "value_format": "number",
            "decimals": "0",
            "active": "on",
        },
    )
    kpi = Kpi.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/kpis/{kpi.code}/")
    assert (kpi.unit, kpi.direction, kpi.target_high) == (team, "in_range", 150)


def test_a_bad_form_answers_400_with_the_message_and_writes_nothing(client, org, team, carol):
    client.force_login(carol)
    response = client.post(
        reverse("kpi_new", args=[org.slug]),
        {"name": "X", "unit": team.code, "direction": "higher_is_better", "target": "lots"},
    )
    assert response.status_code == 400
    assert "is not a number" in response.content.decode()
    assert not Kpi.objects.exists()


def test_editing_saves_and_redirects(client, org, kpi, carol):
    client.force_login(carol)
    url = reverse("kpi_edit", args=[org.slug, kpi.code])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Weekly activation rate",
            "unit": kpi.unit.code,
            "direction": "higher_is_better",
            "target": "35",
            "value_format": "percent",
            "decimals": "1",
            "active": "on",
            "version": kpi.version,
        },
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert (kpi.name, kpi.target, kpi.decimals, kpi.health) == (
        "Weekly activation rate",
        35,
        1,
        "unhealthy",
    )


def test_recording_a_value_with_htmx_swaps_the_body(client, org, kpi, bob):
    client.force_login(bob)
    url = reverse("kpi_value_add", args=[org.slug, kpi.code])
    response = client.post(url, {"value": "45", "note": "Fixed the invite"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="kpi-body"')
    assert "45 %" in body and "Value recorded" in body
    kpi.refresh_from_db()
    assert kpi.health == "healthy"


def test_a_value_that_is_not_a_number_is_refused_in_place(client, org, kpi, bob):
    client.force_login(bob)
    url = reverse("kpi_value_add", args=[org.slug, kpi.code])
    response = client.post(url, {"value": "lots"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "is not a number" in response.content.decode()
    plain = client.post(url, {"value": "1", "measured_on": "2027-01-01"})
    assert plain.status_code == 400
    assert "future" in plain.content.decode()
    assert KpiValue.objects.filter(kpi=kpi).count() == 4


def test_a_plain_value_post_redirects_back(client, org, kpi, bob):
    client.force_login(bob)
    url = reverse("kpi_value_add", args=[org.slug, kpi.code])
    response = client.post(url, {"value": "33", "measured_on": "2026-11-14"})
    assert response.status_code == 302
    assert response["Location"].endswith("#values")


def test_write_an_okr_redirects_to_the_draft_objectives_edit_page(client, org, cycle, kpi, carol):
    client.force_login(carol)
    response = client.post(
        reverse("kpi_write_okr", args=[org.slug, kpi.code]), {"cycle": cycle.code}
    )
    objective = Objective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("objective_edit", args=[org.slug, objective.code])
    assert objective.kpi == kpi
    page = client.get(reverse("kpi", args=[org.slug, kpi.code])).content.decode()
    assert objective.title in page


def test_the_list_runs_the_same_queries_for_3_and_30_kpis(client, org, team, cycle, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(carol)
    url = reverse("kpis", args=[org.slug])
    client.get(url)  # the first visit stores the organization in the session

    def make(n: int) -> int:
        start = Kpi.objects.count()
        for i in range(start, start + n):
            kpi = kpi_create(
                organization=org, unit=team if i % 2 else None, name=f"KPI {i}", target=10, by=carol
            )
            add_values(kpi, 3, carol)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = make(3)
    many = make(27)
    assert Kpi.objects.count() == 30
    assert few == many


def test_the_detail_runs_the_same_queries_for_3_and_60_values(client, org, cycle, team, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kpi = kpi_create(organization=org, unit=team, name="Signups", target=10, by=carol)
    client.force_login(carol)
    url = reverse("kpi", args=[org.slug, kpi.code])
    client.get(url)  # the first visit stores the organization in the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add_values(kpi, 3, carol)
    few = count()
    KpiValue.objects.filter(kpi=kpi).delete()
    add_values(kpi, 60, carol)
    assert count() == few
    assert KpiValue.objects.filter(kpi=kpi).count() == 60


def test_values_are_listed_newest_first(client, org, kpi, carol):
    client.force_login(carol)
    page = client.get(reverse("kpi", args=[org.slug, kpi.code])).content.decode()
    days = [dt.date(2026, 11, 15), dt.date(2026, 10, 25)]
    assert page.index(days[0].strftime("%-d %b %Y")) < page.index(days[1].strftime("%-d %b %Y"))
