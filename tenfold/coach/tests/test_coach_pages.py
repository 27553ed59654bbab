"""The coach in the pages: live suggestions on the forms, the panel of an objective page, the
cycle review and the planning board's badges."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tenfold.okrs.services import key_result_create, objective_create

pytestmark = pytest.mark.django_db


def check(client: Any, org: Any, **data: str) -> Any:
    return client.post(reverse("coach_check", args=[org.slug]), data, HTTP_HX_REQUEST="true")


def test_live_check_flags_a_task_key_result_and_offers_a_rewrite(client, org, objective, carol):
    client.force_login(carol)
    response = check(
        client,
        org,
        coach_target="key_result",
        coach_objective=objective.code,
        title="Launch the new onboarding emails",
        kind="increase",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-rule="kr.output"' in html
    assert "data-coach-apply=" in html  # the rewrite can be applied to the field
    assert "Use this wording" in html


def test_live_check_is_quiet_on_a_good_key_result(client, org, objective, carol):
    client.force_login(carol)
    html = check(
        client,
        org,
        coach_target="key_result",
        coach_objective=objective.code,
        title="Cut time to first report from 3 days to 1 day",
        kind="decrease",
        start="3",
        target="1",
        unit_label="days",
    ).content.decode()
    assert "finding-warning" not in html and "finding-problem" not in html
    assert "nothing to add" in html


def test_live_check_on_an_objective_that_is_really_a_kpi(client, org, team, carol):
    client.force_login(carol)
    html = check(
        client, org, coach_target="objective", unit=team.code, title="Revenue of 2 million euros"
    ).content.decode()
    assert "finding-warning" in html or "finding-problem" in html


@pytest.mark.parametrize(
    "title",
    ["", " ", "🚀" * 50, "x" * 100_000, "提高 NPS 🚀 mejorar العربية", "\u202eevil\u202c"],
)
def test_live_check_survives_odd_input(client, org, team, carol, title):
    client.force_login(carol)
    response = check(client, org, coach_target="objective", unit=team.code, title=title)
    assert response.status_code == 200


def test_live_check_reads_nothing_it_should_not(client, org, team, other_org, mallory, carol):
    client.force_login(mallory)
    assert check(client, org, title="x").status_code == 404
    client.force_login(carol)
    hidden = check(client, org, coach_target="key_result", coach_objective="nope", title="Grow")
    assert hidden.status_code == 200
    assert client.get(reverse("coach_check", args=[org.slug])).status_code == 405


def test_objective_page_loads_the_coach_panel(client, org, objective, key_result, carol):
    client.force_login(carol)
    page = client.get(reverse("objective", args=[org.slug, objective.code])).content.decode()
    assert reverse("coach_objective", args=[org.slug, objective.code]) in page
    panel = client.get(reverse("coach_objective", args=[org.slug, objective.code]))
    assert panel.status_code == 200
    html = panel.content.decode()
    # One key result only: the coach asks for three to five.
    assert 'data-rule="objective.few_key_results"' in html


def test_objective_panel_respects_visibility(client, org, objective, mallory, victor):
    client.force_login(mallory)
    url = reverse("coach_objective", args=[org.slug, objective.code])
    assert client.get(url).status_code == 404
    client.force_login(victor)
    assert client.get(url).status_code == 200  # reading advice is harmless


def test_edit_with_this_wording_prefills_the_form_without_saving(client, org, key_result, carol):
    client.force_login(carol)
    url = reverse("key_result_edit", args=[org.slug, key_result.code])
    html = client.get(url, {"title": "Raise activation from 20 % to 45 %"}).content.decode()
    assert 'value="Raise activation from 20 % to 45 %"' in html
    key_result.refresh_from_db()
    assert key_result.title == "Raise activation from 20% to 40%"


def test_cycle_review_lists_units_and_findings(
    client, org, cycle, team, objective, key_result, carol
):
    key_result_create(
        objective=objective, title="Publish 4 blog posts", kind="reach", target=4, by=carol
    )
    client.force_login(carol)
    response = client.get(reverse("coach", args=[org.slug]), {"cycle": cycle.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Growth" in html and "Publish 4 blog posts" in html
    everything = client.get(reverse("coach", args=[org.slug]), {"show": "all"})
    assert objective.title in everything.content.decode()


def test_cycle_review_queries_do_not_grow_with_objectives(
    client, org, cycle, team, carol, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            o = objective_create(
                organization=org, cycle=cycle, unit=team, title=f"Objective {i}", by=carol
            )
            for j in range(3):
                key_result_create(
                    objective=o,
                    title=f"Raise thing {j} from 1 to {j + 5}",
                    start=1,
                    target=j + 5,
                    by=carol,
                )

    client.force_login(carol)
    url = reverse("coach", args=[org.slug])
    add(2)
    with django_assert_max_num_queries(40) as small:
        client.get(url, {"show": "all"})
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url, {"show": "all"})


def test_planning_board_shows_the_coach_counts(
    client, org, cycle, team, objective, key_result, carol
):
    client.force_login(carol)
    html = client.get(reverse("planning", args=[org.slug, cycle.code])).content.decode()
    assert "plan-coach" in html


def test_forms_carry_the_live_panel(client, org, objective, team, carol):
    client.force_login(carol)
    new = client.get(reverse("objective_new", args=[org.slug])).content.decode()
    assert reverse("coach_check", args=[org.slug]) in new
    assert 'name="coach_target" value="objective"' in new
    kr = client.get(reverse("key_result_new", args=[org.slug, objective.code])).content.decode()
    assert 'name="coach_target" value="key_result"' in kr


def test_library_example_lists_similar_examples(client, org, team, carol):
    pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
    client.force_login(carol)
    html = client.get(reverse("library_example", args=[org.slug, "sales-faster-deals"])).content
    assert b"Similar examples" in html


def test_similar_examples_are_quietly_absent_when_semantic_help_is_off(
    client, org, team, carol, monkeypatch
):
    monkeypatch.setattr("tenfold.coach.semantic_help.available", lambda: False)
    client.force_login(carol)
    response = client.get(reverse("library_example", args=[org.slug, "sales-faster-deals"]))
    assert response.status_code == 200 and b"Similar examples" not in response.content


def test_objective_panel_says_when_semantic_help_is_off(
    client, org, objective, key_result, carol, monkeypatch
):
    monkeypatch.setattr("tenfold.coach.semantic_help.available", lambda: False)
    client.force_login(carol)
    html = client.get(reverse("coach_objective", args=[org.slug, objective.code])).content
    assert b"Semantic help is off" in html


def test_objective_panel_suggests_a_likely_parent(
    client, org, cycle, company, objective, alice, carol
):
    pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
    parent = objective_create(
        organization=org, cycle=cycle, unit=company, title="Customers love our onboarding", by=alice
    )
    objective_create(
        organization=org, cycle=cycle, unit=company, title="Cut office costs by moving", by=alice
    )
    client.force_login(carol)
    html = client.get(reverse("coach_objective", args=[org.slug, objective.code])).content.decode()
    assert "Likely contributes to" in html
    assert html.index(parent.title) < html.index("Align to it")


def test_review_loads_lookalike_objectives_after_the_page(
    client, org, cycle, company, team, objective, alice, carol
):
    pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
    from tenfold.organizations.services import unit_create

    other = unit_create(organization=org, name="Support", parent=company, by=alice)
    twin = objective_create(
        organization=org, cycle=cycle, unit=other, title="Customers love the onboarding", by=alice
    )
    client.force_login(carol)
    page = client.get(reverse("coach", args=[org.slug])).content.decode()
    assert reverse("coach_duplicates", args=[org.slug]) in page
    html = client.get(reverse("coach_duplicates", args=[org.slug]), {"cycle": cycle.code})
    text = html.content.decode()
    assert objective.title in text and twin.title in text


def test_lookalikes_say_when_semantic_help_is_off(client, org, cycle, team, carol, monkeypatch):
    monkeypatch.setattr("tenfold.coach.semantic_help.available", lambda: False)
    client.force_login(carol)
    html = client.get(reverse("coach_duplicates", args=[org.slug])).content
    assert b"Semantic help is off" in html


def test_review_shows_units_a_page_at_a_time(client, org, cycle, company, alice, monkeypatch):
    from tenfold.organizations.services import unit_create

    monkeypatch.setattr("tenfold.coach.views.UNITS_PER_PAGE", 2)
    for n in range(3):
        unit = unit_create(organization=org, name=f"Team {n}", parent=company, by=alice)
        objective_create(
            organization=org, cycle=cycle, unit=unit, title=f"Launch thing {n}", by=alice
        )
    client.force_login(alice)
    first = client.get(reverse("coach", args=[org.slug])).content.decode()
    assert "Page 1 of 2" in first and "Team 0" in first and "Team 2" not in first
    second = client.get(reverse("coach", args=[org.slug]), {"page": 2}).content.decode()
    assert "Team 2" in second


def test_objective_panel_lists_lookalikes_in_other_units(
    client, org, cycle, company, team, objective, alice, carol
):
    pytest.importorskip("numpy", reason="the 'semantic' extra is not installed")
    from tenfold.organizations.services import unit_create

    other = unit_create(organization=org, name="Support", parent=company, by=alice)
    objective_create(
        organization=org, cycle=cycle, unit=other, title="Customers love the onboarding", by=alice
    )
    objective_create(organization=org, cycle=cycle, unit=other, title="Cut office rent", by=alice)
    client.force_login(carol)
    html = client.get(reverse("coach_objective", args=[org.slug, objective.code])).content.decode()
    assert "Similar objectives in other units" in html
    assert "Customers love the onboarding" in html and "Cut office rent" not in html
