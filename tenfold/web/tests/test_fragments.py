"""The organization change counter and the pages kept by it (tenfold.db.changes,
tenfold.web.fragments): every write moves the counter, reads never do, a kept page is never
shown to someone who may not see all of it, and a change shows at once to whoever made it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenfold.checkins.services import checkin_record
from tenfold.db import changes
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import objective_create, objective_update
from tenfold.organizations.models import Organization
from tenfold.web import fragments

NOW = "2026-11-16 12:00:00+00:00"


def access_of(user: Any, org: Organization) -> Any:
    from tenfold.organizations.selectors import access_to

    return access_to(user, org.slug)[1]


def without_tokens(html: str) -> str:
    """A page without its form tokens, which differ on every answer."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def version(org: Organization) -> int:
    return changes.version(org.id)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def all_signed_in(org: Organization, visitors: list[tuple[str, Any]]) -> dict[str, Client]:
    """Everyone signs in and opens one page first: signing in writes, and a write would have
    every copy built again, so nobody may sign in between the visits a test compares."""
    clients = {name: signed_in(user) for name, user in visitors}
    for client in clients.values():
        client.get(reverse("dashboard", args=[org.slug]))
    return clients


def get(client: Client, url: str, **headers: Any) -> tuple[str, int]:
    """The page's own content (the header around it carries the visitor's form token) and
    the queries it took."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return html, len(captured.captured_queries)


# --- which statements count --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "okrs_objective" ("title") VALUES (%s)', "okrs_objective"),
        ('insert or ignore into "okrs_alignment" values (1)', "okrs_alignment"),
        ('UPDATE "okrs_keyresult" SET "progress" = 1', "okrs_keyresult"),
        ('DELETE FROM "social_comment" WHERE id = 1', "social_comment"),
        ("REPLACE INTO okrs_cycle VALUES (1)", "okrs_cycle"),
        (
            'SELECT "okrs_keyresult"."id" FROM "okrs_keyresult" WHERE id = 1 FOR UPDATE OF '
            '"okrs_keyresult"',
            "okrs_keyresult",
        ),
        ('SELECT "okrs_objective"."id" FROM "okrs_objective"', None),
        ("WITH RECURSIVE down(node) AS (SELECT 1) SELECT node FROM down", None),
        ("SAVEPOINT s1", None),
    ],
)
def test_the_table_a_statement_writes_or_locks(sql: str, table: str | None) -> None:
    assert changes.written_table(sql) == table


def test_bookkeeping_tables_do_not_count() -> None:
    assert changes.counts('UPDATE "okrs_objective" SET "title" = %s')
    assert not changes.counts('UPDATE "django_session" SET "session_data" = %s')
    assert not changes.counts('INSERT INTO "apiguard_ratecounter" VALUES (1)')
    assert not changes.counts('UPDATE "organizations_changecounter" SET "number" = 1')


# --- the counter -------------------------------------------------------------------------------


def test_a_write_in_an_organization_moves_its_counter_only(
    org: Organization, other_org: Organization, cycle: Any, team: Any, alice: Any
) -> None:
    before, other_before = version(org), version(other_org)
    with changes.organization_scope(org.id):
        objective_create(organization=org, cycle=cycle, unit=team, title="Ship it", by=alice)
    assert version(org) > before
    assert version(other_org) == other_before


def test_a_write_outside_any_organization_moves_every_counter(
    org: Organization, other_org: Organization, objective: Objective
) -> None:
    before, other_before = version(org), version(other_org)
    Objective.objects.filter(pk=objective.pk).update(title="Renamed")
    assert version(org) > before
    assert version(other_org) > other_before


def test_a_rolled_back_write_leaves_the_counter_where_it_was(
    org: Organization, objective: Objective
) -> None:
    before = version(org)
    with pytest.raises(RuntimeError), transaction.atomic():
        Objective.objects.filter(pk=objective.pk).update(title="Never")
        raise RuntimeError
    assert version(org) == before


def test_a_transaction_moves_the_counter_once_however_much_it_writes(
    org: Organization, objective: Objective
) -> None:
    before = version(org)
    with (
        changes.organization_scope(org.id),
        transaction.atomic(),
        CaptureQueriesContext(connection) as captured,
    ):
        for n in range(5):
            Objective.objects.filter(pk=objective.pk).update(title=f"Renamed {n}")
    moves = [q for q in captured.captured_queries if "changecounter" in q["sql"]]
    assert len(moves) == 1
    assert version(org) == before + 1


def test_reading_the_counter_makes_the_next_write_in_the_transaction_move_it_again(
    org: Organization, objective: Objective
) -> None:
    before = version(org)
    with changes.organization_scope(org.id), transaction.atomic():
        Objective.objects.filter(pk=objective.pk).update(title="First")
        seen = version(org)  # a page kept now is filed under this number
        Objective.objects.filter(pk=objective.pk).update(title="Second")
        assert version(org) > seen
    assert version(org) == before + 2


def test_a_rolled_back_savepoint_that_moved_the_counter_does_not_hide_later_writes(
    org: Organization, objective: Objective
) -> None:
    before = version(org)
    with changes.organization_scope(org.id), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            Objective.objects.filter(pk=objective.pk).update(title="Never")
            raise RuntimeError
        Objective.objects.filter(pk=objective.pk).update(title="Kept")
    assert version(org) == before + 1


@pytest.mark.django_db(transaction=True)
def test_each_committed_transaction_moves_the_counter(
    org: Organization, objective: Objective
) -> None:
    before = version(org)
    with changes.organization_scope(org.id):
        for n in range(3):
            with transaction.atomic():
                Objective.objects.filter(pk=objective.pk).update(title=f"Take {n}")
                Objective.objects.filter(pk=objective.pk).update(progress=Decimal("0.1") * n)
    assert version(org) == before + 3


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", ["alice", "bob", "victor"])
def test_reading_pages_never_moves_the_counter(
    org: Organization, key_result: KeyResult, who: str, request: Any
) -> None:
    client = signed_in(request.getfixturevalue(who))
    pages = [
        reverse("dashboard", args=[org.slug]),
        reverse("tree", args=[org.slug]),
        reverse("tree_unit", args=[org.slug, key_result.objective.unit.code]),
        reverse("unit", args=[org.slug, key_result.objective.unit.code]),
        reverse("objective", args=[org.slug, key_result.objective.code]),
        f"/api/v1/orgs/{org.slug}/objectives",
        f"/api/v1/orgs/{org.slug}/objectives/{key_result.objective.code}",
    ]
    client.get(pages[0])  # the first visit remembers the organization in the session
    before = version(org)
    for url in pages * 2:
        get(client, url)
    assert version(org) == before


# --- kept pages --------------------------------------------------------------------------------


@pytest.fixture
def quiet_plan(org: Organization, cycle: Any, team: Any, carol: Any) -> Objective:
    """An objective only its unit's members (and leads and admins) may see."""
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=team,
        title="Quiet plan for the team",
        visibility="unit",
        state="active",
        by=carol,
    )


@pytest.fixture
def onboarding(org: Organization, cycle: Any, company: Any, alice: Any) -> Objective:
    """A company objective every member may see."""
    return objective_create(
        organization=org,
        cycle=cycle,
        unit=company,
        title="Customers love onboarding",
        state="active",
        by=alice,
    )


@time_machine.travel(NOW, tick=False)
def test_a_kept_dashboard_is_served_until_something_changes(
    org: Organization, onboarding: Objective, alice: Any
) -> None:
    goal = onboarding
    client = signed_in(alice)
    url = reverse("dashboard", args=[org.slug])
    client.get(reverse("tree", args=[org.slug]))  # remembers the organization in the session
    first, built = get(client, url)
    again, served = get(client, url)
    assert again == first
    assert served < built
    assert "Customers love onboarding" in first
    with changes.organization_scope(org.id):
        objective_update(objective=goal, title="Customers adore onboarding", by=alice)
    after, rebuilt = get(client, url)
    assert "Customers adore onboarding" in after
    assert rebuilt > served


@time_machine.travel(NOW, tick=False)
def test_the_tree_and_its_expansions_are_kept_per_address(
    org: Organization, key_result: KeyResult, alice: Any
) -> None:
    client = signed_in(alice)
    unit = key_result.objective.unit
    tree = reverse("tree", args=[org.slug])
    branch = reverse("tree_unit", args=[org.slug, unit.code])
    client.get(reverse("dashboard", args=[org.slug]))  # remembers the organization
    page, page_built = get(client, tree)
    piece, piece_built = get(client, branch, **{"HX-Request": "true"})
    again, page_served = get(client, tree)
    assert again == page
    assert page_served < page_built
    assert get(client, branch, **{"HX-Request": "true"})[1] < piece_built
    assert "Customers love onboarding" in piece
    assert "<main" not in piece  # the htmx answer stays a fragment
    opened = reverse("tree_objective", args=[org.slug, key_result.objective.code])
    branch_html, branch_built = get(client, opened, **{"HX-Request": "true"})
    assert key_result.title in branch_html
    assert get(client, opened, **{"HX-Request": "true"})[1] < branch_built


@time_machine.travel(NOW, tick=False)
def test_a_kept_page_is_never_shown_to_someone_who_may_not_see_all_of_it(
    org: Organization,
    team: Any,
    quiet_plan: Objective,
    alice: Any,
    bob: Any,
    carol: Any,
    victor: Any,
) -> None:
    branch = reverse("tree_unit", args=[org.slug, team.code])
    visitors = [("alice", alice), ("bob", bob), ("carol", carol), ("victor", victor)]
    # The admin asks first, so a copy with the restricted objective is kept before the others.
    clients = all_signed_in(org, visitors)
    before = version(org)
    seen = {
        name: "Quiet plan for the team" in get(client, branch)[0]
        for name, client in clients.items()
    }
    assert version(org) == before
    assert seen == {"alice": True, "bob": True, "carol": True, "victor": False}


@time_machine.travel(NOW, tick=False)
def test_organizations_never_share_kept_pages(
    org: Organization, other_org: Organization, key_result: KeyResult, mallory: Any, alice: Any
) -> None:
    signed_in(alice).get(reverse("tree", args=[org.slug]))
    page = get(signed_in(mallory), reverse("tree", args=[other_org.slug]))[0]
    assert "Customers love onboarding" not in page


@time_machine.travel(NOW, tick=False)
def test_the_api_list_keeps_its_body_and_paging_headers(
    org: Organization, cycle: Any, team: Any, carol: Any, alice: Any
) -> None:
    for n in range(3):
        objective_create(
            organization=org, cycle=cycle, unit=team, title=f"Goal {n}", state="active", by=carol
        )
    client = signed_in(alice)
    url = f"/api/v1/orgs/{org.slug}/objectives?limit=2"
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["X-Total-Count"] == first["X-Total-Count"] == "3"
    assert again["Link"] == first["Link"]
    assert again["Content-Type"] == first["Content-Type"]
    assert len(captured.captured_queries) < 8


# --- lag while others write --------------------------------------------------------------------


@pytest.fixture
def lagging(settings: Any) -> None:
    settings.FRAGMENT_LAG = 30


@time_machine.travel(NOW, tick=False)
def test_with_a_lag_others_changes_show_once_the_copy_is_older_than_the_lag(
    org: Organization, key_result: KeyResult, alice: Any, bob: Any, lagging: None
) -> None:
    reader = signed_in(alice)
    url = reverse("tree_unit", args=[org.slug, key_result.objective.unit.code])
    before = get(reader, url)[0]
    with changes.organization_scope(org.id):
        checkin_record(key_result=key_result, value=Decimal(80), by=bob)
    assert get(reader, url)[0] == before  # a copy younger than the lag
    assert get(reader, url, **{"Cache-Control": "no-cache"})[0] != before  # asked for fresh
    with time_machine.travel("2026-11-16 12:00:31+00:00", tick=False):
        signed_in(alice).get(reverse("dashboard", args=[org.slug]))
        assert get(signed_in(alice), url)[0] != before


@time_machine.travel(NOW, tick=False)
def test_with_a_lag_your_own_change_shows_at_once(
    org: Organization, key_result: KeyResult, bob: Any, lagging: None
) -> None:
    client = signed_in(bob)
    url = reverse("tree_unit", args=[org.slug, key_result.objective.unit.code])
    before = get(client, url)[0]
    with time_machine.travel("2026-11-16 12:00:05+00:00", tick=False):
        response = client.post(
            reverse("key_result_checkin", args=[org.slug, key_result.code]),
            {f"{key_result.code}-value": "80", f"{key_result.code}-confidence": "7"},
        )
        assert response.status_code in (200, 302)
        assert fragments.COOKIE in response.cookies
        assert get(client, url)[0] != before


def test_a_kept_form_carries_each_visitors_own_token(
    rf: Any, org: Organization, alice: Any, bob: Any, key_result: KeyResult
) -> None:
    from django.core.cache import caches

    from tenfold.organizations.selectors import access_to

    def fragment_for(user: Any) -> fragments.Fragment:
        request = rf.get("/")
        request.user = user
        organization, access = access_to(user, org.slug)
        return fragments.Fragment(request, organization, access, "test")

    form = '<form><input type="hidden" name="csrfmiddlewaretoken" value="{}"></form>'
    first = fragment_for(alice)
    first.put(form.format("alices-token"))
    (_version, _built, stored, _good_until) = caches[fragments.CACHE_ALIAS].get(first.key)
    assert "alices-token" not in stored
    served = fragment_for(alice).get()
    assert served is not None and "alices-token" not in served
    token = served.split('value="')[1].split('"')[0]
    assert len(token) == 64  # a token of this request's own


@time_machine.travel(NOW, tick=False)
def test_the_api_detail_is_kept_and_follows_changes(
    org: Organization, key_result: KeyResult, alice: Any, victor: Any, carol: Any
) -> None:
    objective = key_result.objective
    url = f"/api/v1/orgs/{org.slug}/objectives/{objective.code}"
    client = signed_in(alice)
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again.content == first.content and again.status_code == 200
    assert len(captured.captured_queries) < 8
    with changes.organization_scope(org.id):
        objective_update(objective=objective, title="Customers adore onboarding", by=carol)
    assert client.get(url).json()["title"] == "Customers adore onboarding"


@time_machine.travel(NOW, tick=False)
def test_a_kept_api_answer_is_not_shown_to_someone_who_may_not_see_it(
    org: Organization, quiet_plan: Objective, alice: Any, victor: Any
) -> None:
    url = f"/api/v1/orgs/{org.slug}/objectives/{quiet_plan.code}"
    admin, viewer = signed_in(alice), signed_in(victor)  # signing in writes: both first
    assert admin.get(url).status_code == 200
    assert viewer.get(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_kept_unit_page_keeps_each_visitors_own_controls(
    org: Organization, key_result: KeyResult, alice: Any, bob: Any, carol: Any, victor: Any
) -> None:
    unit = key_result.objective.unit
    url = reverse("unit", args=[org.slug, unit.code])
    schedule = reverse("unit_schedule", args=[org.slug, unit.code])
    new = reverse("objective_new", args=[org.slug])
    from tenfold.conftest import make_user
    from tenfold.organizations.services import person_add

    # Erin has bob's role and sees what he sees, but is not in his team.
    erin = make_user("erin@example.com", "Erin")
    person_add(organization=org, email=erin.email, by=alice)
    visitors = [
        ("alice", alice),
        ("carol", carol),
        ("bob", bob),
        ("erin", erin),
        ("victor", victor),
    ]
    clients = all_signed_in(org, visitors)
    before = version(org)
    seen = {}
    for name, client in clients.items():
        page = get(client, url)[0]
        assert "Customers love onboarding" in page
        seen[name] = (schedule in page, new in page)
    assert seen == {
        "alice": (True, True),
        "carol": (True, True),
        "bob": (False, True),
        "erin": (False, False),
        "victor": (False, False),
    }
    assert version(org) == before  # every copy above was built at the same version


@time_machine.travel(NOW, tick=False)
def test_a_form_in_a_kept_page_posts_with_the_visitors_token(
    org: Organization, key_result: KeyResult, alice: Any
) -> None:
    import re

    unit = key_result.objective.unit
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("unit", args=[org.slug, unit.code])
    client.get(url)
    before = version(org)
    page = client.get(url).content.decode()  # served from the kept copy
    assert version(org) == before
    reset = reverse("unit_calendar_reset", args=[org.slug, unit.code])
    assert f'action="{reset}"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(reset, {"csrfmiddlewaretoken": token[1]})
    assert response.status_code == 302


def test_a_connection_opened_inside_a_query_counter_keeps_its_watcher(
    org: Organization, objective: Objective
) -> None:
    """A server that counts queries per request (Server-Timing) wraps every request in an
    execute_wrapper block; the connection may open inside it and must still count changes
    after the block ends."""
    from django.db import connections

    calls = []

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        calls.append(sql)
        return execute(sql, params, many, context)

    fresh = connections.create_connection("default")
    try:
        with fresh.execute_wrapper(counter):
            fresh.ensure_connection()  # the watcher arrives now, inside the block
        assert any(isinstance(w, changes._Watcher) for w in fresh.execute_wrappers)
        assert counter not in fresh.execute_wrappers
    finally:
        fresh.close()


@time_machine.travel(NOW, tick=False)
def test_a_page_and_its_htmx_answer_at_the_same_address_are_kept_apart(
    org: Organization, cycle: Any, onboarding: Objective, alice: Any
) -> None:
    client = signed_in(alice)
    url = reverse("dashboard", args=[org.slug]) + f"?cycle={cycle.code}"
    client.get(reverse("tree", args=[org.slug]))  # remembers the organization in the session
    page = client.get(url).content.decode()
    piece = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<main" in page
    assert "<h1" in page[page.index("<main") :]
    assert "<h1" not in piece  # the htmx answer is the cycle's part alone, not the page's content
    assert "Customers love onboarding" in piece
    again = client.get(url).content.decode()
    assert "<h1" in again[again.index("<main") :]


@time_machine.travel(NOW, tick=False)
def test_a_persons_week_is_kept_for_them_alone(
    org: Organization, key_result: KeyResult, alice: Any, bob: Any, carol: Any
) -> None:
    from tenfold.checkins.weekly import item_add

    url = reverse("my_week", args=[org.slug])
    clients = all_signed_in(org, [("bob", bob), ("carol", carol)])
    with changes.organization_scope(org.id):
        item_add(access=access_of(bob, org), category="plans", text="Bob's own plan")
    first, built = get(clients["bob"], url)
    again, served = get(clients["bob"], url)
    assert without_tokens(again) == without_tokens(first)
    assert served < built
    assert "Bob&#x27;s own plan" in first
    carols, _ = get(clients["carol"], url)
    assert "own plan" not in carols
    with changes.organization_scope(org.id):
        item_add(access=access_of(bob, org), category="plans", text="A second plan")
    assert "A second plan" in get(clients["bob"], url)[0]


@time_machine.travel(NOW, tick=False)
def test_a_team_week_is_kept_for_each_visitor_and_shows_a_teammates_new_item(
    org: Organization, key_result: KeyResult, team: Any, bob: Any, carol: Any
) -> None:
    from tenfold.checkins.weekly import item_add

    url = reverse("team_week", args=[org.slug, team.code])
    with changes.organization_scope(org.id):
        item_add(access=access_of(bob, org), category="plans", text="Bob's plan")
    clients = all_signed_in(org, [("bob", bob), ("carol", carol)])
    first, built = get(clients["carol"], url)
    again, served = get(clients["carol"], url)
    assert without_tokens(again) == without_tokens(first)
    assert served < built
    # Each visitor has their own copy: Carol may give Bob kudos for his plan, Bob may not.
    bobs, _ = get(clients["bob"], url)
    assert 'data-testid="kudos-toggle"' in first
    assert "Bob&#x27;s plan" in bobs and 'data-testid="kudos-toggle"' not in bobs
    with changes.organization_scope(org.id):
        item_add(access=access_of(bob, org), category="problems", text="A new problem")
    after, _ = get(clients["carol"], url)
    assert "A new problem" in after and "A new problem" not in first


@time_machine.travel(NOW, tick=False)
def test_opening_my_week_again_writes_nothing(
    org: Organization, key_result: KeyResult, bob: Any
) -> None:
    from tenfold.checkins.weekly import item_add

    with changes.organization_scope(org.id):
        item_add(access=access_of(bob, org), category="plans", text="A plan")
    client = signed_in(bob)
    url = reverse("my_week", args=[org.slug])
    client.get(url)
    before = version(org)
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(url, headers={"Cache-Control": "no-cache"})  # built again each time
        writes = [q["sql"] for q in captured.captured_queries if changes.counts(q["sql"])]
        assert writes == []
    assert version(org) == before


@time_machine.travel(NOW, tick=False)
def test_a_kept_objective_page_marks_each_visitors_own_reactions(
    org: Organization, key_result: KeyResult, alice: Any, bob: Any, carol: Any
) -> None:
    from tenfold.conftest import make_user
    from tenfold.organizations.services import person_add
    from tenfold.social.services import reaction_toggle

    # Erin and Finn stand in the same relation to the objective: they share one copy.
    erin = make_user("erin@example.com", "Erin")
    finn = make_user("finn@example.com", "Finn")
    for person in (erin, finn):
        person_add(organization=org, email=person.email, by=alice)
    objective = key_result.objective
    with changes.organization_scope(org.id):
        reaction_toggle(access=access_of(erin, org), target=objective, emoji="party")
        reaction_toggle(access=access_of(erin, org), target=key_result, emoji="eyes")
        reaction_toggle(access=access_of(finn, org), target=key_result, emoji="eyes")
    url = reverse("objective", args=[org.slug, objective.code])
    clients = all_signed_in(org, [("erin", erin), ("finn", finn), ("bob", bob)])
    erins, built = get(clients["erin"], url)
    finns, served = get(clients["finn"], url)
    assert served < built  # Finn is served Erin's copy
    assert erins.count("reaction-mine") == 2
    assert finns.count("reaction-mine") == 1
    given = 'class="reaction reaction-given'
    eyes = f'data-reaction="key-result/{key_result.code}/eyes" {given}'
    party = f'data-reaction="objective/{objective.code}/party" {given}'
    assert f'{eyes} reaction-mine" aria-pressed="true"' in finns
    assert f'{party}" aria-pressed="false"' in finns
    # Bob owns the key result: he may check in on it, so his page is not theirs.
    bobs, _ = get(clients["bob"], url)
    check_in = reverse("key_result_checkin", args=[org.slug, key_result.code])
    assert f'action="{check_in}"' in bobs
    assert f'action="{check_in}"' not in finns
    assert bobs.count("reaction-mine") == 0


@time_machine.travel(NOW, tick=False)
def test_an_objective_page_that_says_just_now_is_kept_only_while_it_is_true(
    org: Organization, key_result: KeyResult, bob: Any
) -> None:
    url = reverse("objective", args=[org.slug, key_result.objective.code])
    client = signed_in(bob)
    client.get(reverse("dashboard", args=[org.slug]))
    with changes.organization_scope(org.id):
        checkin_record(key_result=key_result, value=Decimal(25), by=bob)
    page, built = get(client, url)
    assert "Checked in just now" in page
    with time_machine.travel("2026-11-16 12:00:40+00:00", tick=False):
        again, served = get(client, url)
    assert "Checked in just now" in again
    assert served < built
    with time_machine.travel("2026-11-16 12:05:00+00:00", tick=False):
        later, _ = get(client, url)
    assert "Checked in just now" not in later
    assert "Last check-in 5" in later


@time_machine.travel(NOW, tick=False)
def test_kept_pages_can_live_in_files_that_every_server_process_shares(
    settings: Any, tmp_path: Any, org: Organization, onboarding: Objective, alice: Any
) -> None:
    settings.CACHES = {
        **settings.CACHES,
        fragments.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "fragments"),
            "KEY_PREFIX": "test",
        },
    }
    client = signed_in(alice)
    url = reverse("dashboard", args=[org.slug])
    client.get(reverse("tree", args=[org.slug]))  # remembers the organization in the session
    first, built = get(client, url)
    assert list((tmp_path / "fragments").iterdir())  # kept on disk
    again, served = get(client, url)
    assert again == first
    assert served < built


def test_a_counter_made_again_starts_above_every_number_the_old_one_reached(
    org: Organization,
) -> None:
    from tenfold.organizations.models import ChangeCounter

    first = version(org)
    ChangeCounter.objects.filter(organization=org).update(number=first + 1000)
    ChangeCounter.objects.filter(organization=org).delete()  # the organization built again
    import datetime as dt

    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=1)):
        assert version(org) > first + 1000


def _fragment_store(tmp_path: Any, **env: str) -> Any:
    """The `fragments` cache the settings give in a process with this environment (and not
    under the test runner, whose default is memory)."""
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "REDIS_URL"}}
    clean.update(TENFOLD_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/a.sqlite3")
    clean.update(env)
    code = (
        "import tenfold.settings as s; c = s.CACHES['fragments']; "
        "print(c['BACKEND'].rsplit('.', 1)[1], c.get('KEY_PREFIX'), c.get('LOCATION'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "FragmentFiles"),
        ({"TENFOLD_FRAGMENT_STORE": "", "TENFOLD_FRAGMENT_DIR": ""}, "FragmentFiles"),
        ({"TENFOLD_FRAGMENT_STORE": "memory"}, "LocMemCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/9"}, "RedisCache"),
    ],
)
def test_kept_pages_live_in_files_unless_redis_or_memory_is_chosen(
    tmp_path: Any, env: dict[str, str], backend: str
) -> None:
    answer = _fragment_store(tmp_path, **env)
    assert answer.returncode == 0, answer.stderr
    found, _prefix, location = answer.stdout.split()
    assert found == backend
    if backend == "FragmentFiles":
        assert location == str(tmp_path / "cache" / "fragments")


def test_servers_of_two_databases_never_share_kept_pages(tmp_path: Any) -> None:
    first = _fragment_store(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/one.sqlite3")
    second = _fragment_store(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/two.sqlite3")
    assert first.stdout.split()[1] != second.stdout.split()[1]


def test_an_unknown_store_for_kept_pages_is_refused(tmp_path: Any) -> None:
    answer = _fragment_store(tmp_path, TENFOLD_FRAGMENT_STORE="disk")
    assert answer.returncode != 0
    assert "TENFOLD_FRAGMENT_STORE must be files, memory or" in answer.stderr


@time_machine.travel(NOW, tick=False)
def test_a_kept_page_stops_saying_just_now_when_it_no_longer_is(
    org: Organization, key_result: KeyResult, bob: Any
) -> None:
    client = signed_in(bob)
    url = reverse("my_week", args=[org.slug])
    client.get(reverse("dashboard", args=[org.slug]))
    with changes.organization_scope(org.id):
        checkin_record(key_result=key_result, value=Decimal(25), by=bob)
    assert "just now" in get(client, url)[0]
    with time_machine.travel("2026-11-16 12:00:30+00:00", tick=False):
        assert "just now" in get(client, url)[0]  # still true: the kept copy serves
    with time_machine.travel("2026-11-16 12:03:00+00:00", tick=False):
        later = get(client, url)[0]
    assert "just now" not in later
    assert "minutes ago" in later


def test_the_file_store_keeps_pages_uncompressed_and_skips_files_it_cannot_read(
    tmp_path: Any,
) -> None:
    import pickle
    import zlib

    from tenfold.web.filestore import FragmentFiles

    store = FragmentFiles(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    page = "<main>" + "kept page " * 500 + "</main>"
    store.set("frag:one", (7, 1.5, page, None), 60)
    assert store.get("frag:one") == (7, 1.5, page, None)
    (written,) = list(tmp_path.iterdir())
    assert page.encode() in written.read_bytes()  # readable as it is, nothing to inflate
    assert store.touch("frag:one", 120) and store.get("frag:one") == (7, 1.5, page, None)
    # A file in Django's own compressed format (an older version's) counts as absent.
    with open(written, "wb") as file:
        file.write(pickle.dumps(2**40))  # expires long after the test
        file.write(zlib.compress(pickle.dumps("old")))
    assert store.get("frag:one", "absent") == "absent"
    assert store.get("frag:two") is None


@time_machine.travel(NOW, tick=False)
def test_a_team_week_that_carries_plans_over_is_kept_at_once(
    org: Organization, key_result: KeyResult, team: Any, bob: Any, carol: Any
) -> None:
    """Opening the current week carries last week's open plans over (a write) before the
    page reads its rows; the copy is filed under the counter after that write, so the
    second visit is served from it."""
    import datetime as dt

    from tenfold.checkins.models import WeeklyItem, WeeklyReport
    from tenfold.checkins.weekly import week_of

    last = WeeklyReport.objects.create(
        organization=org, person=bob, week=week_of(org) - dt.timedelta(days=7)
    )
    WeeklyItem.objects.create(organization=org, report=last, category="plans", text="Open plan")
    url = reverse("team_week", args=[org.slug, team.code])
    client = all_signed_in(org, [("carol", carol)])["carol"]
    before = version(org)
    first, built = get(client, url)
    assert version(org) > before  # the carry-over wrote
    assert "Open plan" in first
    again, second = get(client, url)
    _, third = get(client, url)
    assert second == third < built  # the second visit is already served from the copy
    assert without_tokens(again) == without_tokens(first)
