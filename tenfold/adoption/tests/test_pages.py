"""The adoption page and its writes, per persona; the htmx fragments; constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.adoption.models import ChecklistItem, Programme
from tenfold.adoption.services import item_add, item_update
from tenfold.okrs.models import Cycle
from tenfold.organizations.models import Organization

from .conftest import TODAY

PERSONAS = ("anonymous", "alice", "bob", "carol", "victor", "mallory")
HTMX = {"HTTP_HX_REQUEST": "true"}
# The rows to add to tenfold/web/tests/permission_matrix.txt, checked here the same way: GET,
# and POST with an empty body. <code> is a checklist step owned by alice.
EXPECTED = {
    ("adoption", "GET"): (302, 200, 200, 200, 200, 404),
    ("adoption", "POST"): (302, 405, 405, 405, 405, 405),
    ("adoption_shape", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_shape", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_first_cycle", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_first_cycle", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_item_add", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_item_add", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_item_check", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_item_check", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_item_edit", "GET"): (302, 200, 403, 403, 403, 404),
    ("adoption_item_edit", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_item_move", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_item_move", "POST"): (302, 400, 403, 403, 403, 404),
    ("adoption_item_delete", "GET"): (302, 405, 405, 405, 405, 405),
    ("adoption_item_delete", "POST"): (302, 400, 403, 403, 403, 404),
    ("sandbox_open", "GET"): (302, 405, 405, 405, 405, 405),
    ("sandbox_open", "POST"): (302, 302, 403, 302, 403, 404),
    ("sandbox_reset", "GET"): (302, 405, 405, 405, 405, 405),
    ("sandbox_reset", "POST"): (302, 302, 403, 302, 403, 404),
    ("sandbox_delete", "GET"): (302, 405, 405, 405, 405, 405),
    ("sandbox_delete", "POST"): (302, 302, 403, 302, 403, 404),
}


@pytest.mark.parametrize(("name", "method"), sorted(EXPECTED))
def test_each_persona_gets_the_status_the_matrix_says(
    client, request, org, team, cycle, other_org, step, fast_sandbox, name, method
):
    kwargs = {"org": org.slug}
    if "_item_" in name and name != "adoption_item_add":
        kwargs["code"] = step.code
    url = reverse(name, kwargs=kwargs)
    seen = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        response = client.get(url) if method == "GET" else client.post(url, {})
        seen.append(response.status_code)
    assert tuple(seen) == EXPECTED[(name, method)]


def page(client, user, org, **extra):
    client.force_login(user)
    response = client.get(reverse("adoption", args=[org.slug]), **extra)
    assert response.status_code == 200
    return response.content.decode()


# --- reading ----------------------------------------------------------------------------------


def test_the_page_explains_each_shape_and_marks_the_current_one(client, org, team, alice):
    html = page(client, alice, org)
    for text in ("Pilot team first", "Team leads only", "Everyone at once"):
        assert text in html
    assert html.count("Who writes OKRs") == 3 and html.count("When it suits") == 3
    assert 'shape-option is-current" data-testid="shape-everyone"' in html
    assert 'value="everyone" checked' in html


def test_everyone_reads_the_checklist_but_only_admins_see_the_controls(
    client, org, team, alice, victor
):
    html = page(client, victor, org)
    assert html.count('data-testid="step"') == 9 and "0 of 9 done" in html
    assert reverse("adoption_shape", args=[org.slug]) not in html
    assert reverse("adoption_item_add", args=[org.slug]) not in html
    assert "/check/" not in html and "/edit/" not in html
    assert "Team leads and admins can open a sandbox." in html
    admin = page(client, alice, org)
    assert reverse("adoption_shape", args=[org.slug]) in admin
    assert admin.count("/check/") == 18 and admin.count("/edit/") == 18  # action + hx-post


def test_a_steps_owner_may_tick_it_off_but_not_edit_it(client, org, team, step, alice, bob):
    item_update(item=step, by=alice, owner=bob)
    html = page(client, bob, org)
    assert reverse("adoption_item_check", args=[org.slug, step.code]) in html
    assert "/edit/" not in html
    assert html.count("/check/") == 2  # only their own step
    response = client.post(
        reverse("adoption_item_check", args=[org.slug, step.code]), {"done": "1"}, **HTMX
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert "1 of 9 done" in fragment and "Marked as done." in fragment
    step.refresh_from_db()
    assert step.done_by == bob


def test_ticking_without_htmx_redirects_back_to_the_checklist(client, org, team, step, alice):
    client.force_login(alice)
    response = client.post(
        reverse("adoption_item_check", args=[org.slug, step.code]), {"done": "1"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/adoption/#checklist")
    response = client.post(
        reverse("adoption_item_check", args=[org.slug, step.code]), {"done": "0"}, **HTMX
    )
    assert "0 of 9 done" in response.content.decode()


def test_overdue_steps_are_highlighted_and_counted(client, org, team, programme, alice):
    ChecklistItem.objects.filter(programme=programme, key__in=["learn", "examples"]).update(
        due=TODAY - dt.timedelta(days=3)
    )
    html = page(client, alice, org)
    assert html.count('data-testid="overdue"') == 2 and html.count("is-overdue") == 2
    assert "2 steps are overdue." in html


def test_the_first_cycle_section_says_which_rules_hold(client, org, team, cycle, alice):
    html = page(client, alice, org)
    assert "Your organization is in its first cycle" in html
    assert "Create a short first cycle" in html


# --- the checklist's writes -------------------------------------------------------------------


def test_editing_a_step_in_place(client, org, team, step, alice, carol):
    client.force_login(alice)
    url = reverse("adoption_item_edit", args=[org.slug, step.code])
    form = client.get(url, **HTMX).content.decode()
    assert form.lstrip().startswith('<li class="step is-editing"') and 'name="version"' in form
    assert 'name="title"' not in form  # a standard step keeps its title
    response = client.post(
        url,
        {"owner": str(carol.pk), "due": "2026-12-01", "note": "Workshop", "version": "1"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="checklist"' in html and "Workshop" in html and "Carol Lead" in html
    step.refresh_from_db()
    assert (step.owner, step.due, step.version) == (carol, dt.date(2026, 12, 1), 2)


def test_a_bad_edit_keeps_the_form_in_place_with_the_message(client, org, team, step, alice):
    client.force_login(alice)
    url = reverse("adoption_item_edit", args=[org.slug, step.code])
    response = client.post(url, {"due": "next week", "version": "1"}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#step-{step.code}"
    assert "Give the day as a date" in response.content.decode()
    plain = client.post(url, {"due": "next week", "version": "1"})
    assert plain.status_code == 400 and "<html" in plain.content.decode()
    step.refresh_from_db()
    assert step.version == 1


def test_an_edit_of_an_old_version_says_someone_else_changed_it(client, org, team, step, alice):
    item_update(item=step, by=alice, note="first")
    client.force_login(alice)
    url = reverse("adoption_item_edit", args=[org.slug, step.code])
    response = client.post(url, {"note": "second", "version": "1"}, **HTMX)
    assert "Someone else changed this step" in response.content.decode()
    step.refresh_from_db()
    assert step.note == "first"


def test_the_edit_page_works_without_javascript(client, org, team, step, alice):
    client.force_login(alice)
    url = reverse("adoption_item_edit", args=[org.slug, step.code])
    html = client.get(url).content.decode()
    assert "<html" in html and "Edit a step" in html
    response = client.post(url, {"note": "Plain", "version": "1"})
    assert response.status_code == 302


def test_adding_moving_and_deleting_a_step_of_ones_own(client, org, team, programme, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("adoption_item_add", args=[org.slug]),
        {"title": "Tell the board", "owner": str(bob.pk), "due": "2026-11-30"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Tell the board" in html and "0 of 10 done" in html
    added = ChecklistItem.objects.get(programme=programme, title="Tell the board")
    client.post(
        reverse("adoption_item_move", args=[org.slug, added.code]), {"direction": "up"}, **HTMX
    )
    added.refresh_from_db()
    assert added.position == 9
    response = client.post(reverse("adoption_item_delete", args=[org.slug, added.code]), **HTMX)
    assert "0 of 9 done" in response.content.decode()
    assert not ChecklistItem.objects.filter(pk=added.pk).exists()


def test_a_step_without_a_title_is_refused_with_the_message(client, org, team, programme, alice):
    client.force_login(alice)
    url = reverse("adoption_item_add", args=[org.slug])
    response = client.post(url, {"title": " "}, **HTMX)
    assert response.status_code == 200 and "Say what the step is." in response.content.decode()
    assert client.post(url, {"title": ""}).status_code == 400
    assert ChecklistItem.objects.filter(programme=programme).count() == 9


def test_a_standard_step_cannot_be_deleted(client, org, team, step, alice):
    client.force_login(alice)
    response = client.post(reverse("adoption_item_delete", args=[org.slug, step.code]), **HTMX)
    assert "cannot be deleted" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=step.pk).exists()


def test_another_organizations_step_is_not_found(client, org, step, other_org, mallory):
    client.force_login(mallory)
    url = reverse("adoption_item_check", args=[other_org.slug, step.code])
    assert client.post(url, {"done": "1"}).status_code == 404
    step.refresh_from_db()
    assert step.done_at is None


# --- shape and first cycle --------------------------------------------------------------------


def test_choosing_a_pilot_needs_the_pilot_team(client, org, team, alice):
    client.force_login(alice)
    url = reverse("adoption_shape", args=[org.slug])
    response = client.post(url, {"shape": "pilot"})
    assert response.status_code == 400
    assert "Choose the team that pilots OKRs." in response.content.decode()
    response = client.post(url, {"shape": "pilot", "pilot_unit": team.code})
    assert response.status_code == 302 and response["Location"].endswith("#shape")
    org.refresh_from_db()
    assert org.rollout == "pilot"
    assert "Pilot team: <strong>Growth</strong>" in page(client, alice, org)


def test_switching_the_first_cycle_rules_off(client, org, team, alice):
    client.force_login(alice)
    response = client.post(
        reverse("adoption_first_cycle", args=[org.slug]), {"action": "defaults", "defaults": "off"}
    )
    assert response.status_code == 302
    assert Programme.objects.get(organization=org).first_cycle_defaults is False
    assert "The first-cycle rules are switched off" in page(client, alice, org)


def test_creating_a_short_first_cycle_from_the_page(client, org, team, alice):
    client.force_login(alice)
    url = reverse("adoption_first_cycle", args=[org.slug])
    bad = client.post(url, {"action": "create", "length": "month", "start": "2026-11-01"})
    assert bad.status_code == 400 and "cannot start in the past" in bad.content.decode()
    assert not Cycle.objects.filter(organization=org).exists()
    response = client.post(url, {"action": "create", "length": "month", "start": "2026-12-01"})
    assert response.status_code == 302
    cycle = Cycle.objects.get(organization=org)
    assert (cycle.start, cycle.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    html = page(client, alice, org)
    assert reverse("planning", args=[org.slug, cycle.code]) in html
    assert "Create a short first cycle" not in html


# --- query counts -----------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    print(url, len(queries))
    return len(queries)


def test_the_page_takes_the_same_queries_for_nine_steps_or_fifty(
    client, org, team, cycle, programme, alice, bob, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("adoption", args=[org.slug])
    client.get(url)  # the session and the programme exist from here on
    few = count_queries(client, url)
    for n in range(41):
        item_add(organization=org, title=f"Extra step {n}", owner=bob, by=alice)
    ChecklistItem.objects.filter(programme=programme).update(done_by=bob)
    many = count_queries(client, url)
    assert many == few
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert html.count('data-testid="step"') == 50


def test_the_checklist_fragment_takes_the_same_queries_whatever_its_length(
    client, org, team, programme, step, alice, bob, django_assert_max_num_queries
):
    client.force_login(alice)
    url = reverse("adoption_item_check", args=[org.slug, step.code])
    client.post(url, {"done": "1"}, **HTMX)
    with CaptureQueriesContext(connection) as few:
        client.post(url, {"done": "0"}, **HTMX)
    for n in range(30):
        item_add(organization=org, title=f"Extra step {n}", owner=bob, by=alice)
    with CaptureQueriesContext(connection) as many:
        client.post(url, {"done": "1"}, **HTMX)
    assert len(many) == len(few)
    with django_assert_max_num_queries(30):
        client.post(url, {"done": "0"}, **HTMX)


# --- sandbox pages (with a fast stand-in for the demo build; test_sandbox builds the real one)


def test_a_lead_opens_a_sandbox_and_lands_on_their_week_there(
    client, org, team, carol, fast_sandbox
):
    client.force_login(carol)
    response = client.post(reverse("sandbox_open", args=[org.slug]))
    sandbox = carol.adoption_sandbox
    assert response.status_code == 302
    assert response["Location"] == reverse("my_week", args=[sandbox.organization.slug])
    assert sandbox.home == org and sandbox.organization.slug.startswith("sandbox-")
    again = client.post(reverse("sandbox_open", args=[org.slug]))
    assert again["Location"] == response["Location"]
    html = page(client, carol, org)
    assert 'data-testid="sandbox-open"' in html
    assert reverse("sandbox_reset", args=[org.slug]) in html


def test_reset_and_delete_from_the_adoption_page(client, org, team, carol, fast_sandbox):
    client.force_login(carol)
    client.post(reverse("sandbox_open", args=[org.slug]))
    first = carol.adoption_sandbox.organization
    response = client.post(reverse("sandbox_reset", args=[org.slug]))
    carol.refresh_from_db()
    rebuilt = carol.adoption_sandbox.organization
    assert response["Location"] == reverse("my_week", args=[rebuilt.slug])
    assert rebuilt.slug == first.slug and rebuilt.pk != first.pk
    response = client.post(reverse("sandbox_delete", args=[org.slug]))
    assert response["Location"].endswith(f"/{org.slug}/adoption/#sandbox")
    assert not Organization.objects.filter(slug=first.slug).exists()


def test_deleting_from_inside_the_sandbox_goes_back_home(client, org, team, carol, fast_sandbox):
    client.force_login(carol)
    client.post(reverse("sandbox_open", args=[org.slug]))
    slug = carol.adoption_sandbox.organization.slug
    response = client.post(reverse("sandbox_delete", args=[slug]))
    assert response["Location"].endswith(f"/{org.slug}/adoption/#sandbox")


def test_the_banner_marks_a_sandbox_and_costs_nothing_elsewhere(
    org, team, carol, fast_sandbox, django_assert_num_queries
):
    from django.template import Context, Template

    from tenfold.adoption.services import sandbox_open

    sandbox, _built = sandbox_open(person=carol, home=org)
    template = Template("{% load adoption_tags %}{% sandbox_banner %}")
    html = template.render(Context({"org": sandbox.organization, "user": carol}))
    assert 'data-testid="sandbox-banner"' in html and "Nothing you do here reaches Acme" in html
    assert reverse("sandbox_reset", args=[sandbox.organization.slug]) in html
    with django_assert_num_queries(0):
        assert "sandbox-banner" not in template.render(Context({"org": org, "user": carol}))
