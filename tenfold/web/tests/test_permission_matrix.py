"""Every route, requested by every persona, answers with the status code in
`permission_matrix.txt`. A new route fails this test until its row is added, so nobody adds a
page without deciding who may reach it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tenfold.adoption.models import ChecklistItem
from tenfold.adoption.services import checklist_ensure
from tenfold.adoption.tests.conftest import small_build
from tenfold.calendars.selectors import unit_token
from tenfold.chat.services import channel_create
from tenfold.checkins.models import WeeklyItem, WeeklyReport
from tenfold.checkins.services import checkin_record
from tenfold.checkins.weekly import week_of
from tenfold.conftest import PERSONAS as PEOPLE
from tenfold.conftest import (
    build_key_result,
    build_objective,
    build_org,
    build_other_org,
    build_quarter,
    build_team,
    make_persona,
    make_user,
)
from tenfold.digests.emails import unsubscribe_token
from tenfold.digests.services import subscriber_add
from tenfold.feeds.services import source_set as feed_set
from tenfold.guide import pages as guide_pages
from tenfold.ideas.services import comment_add as idea_comment_add
from tenfold.ideas.services import idea_add
from tenfold.integrations.models import AllowedHost
from tenfold.kpis.services import kpi_create
from tenfold.okrs.services import initiative_create
from tenfold.organizations.models import Membership, Role
from tenfold.organizations.permissions import access_for
from tenfold.organizations.services import invitation_create, person_add
from tenfold.organizations.tenancy import reads_stay_in_one_organization
from tenfold.reviews.models import Review
from tenfold.social.services import comment_add
from tenfold.transfers.models import Transfer
from tenfold.webhooks.services import webhook_create

TABLE = Path(__file__).with_name("permission_matrix.txt")
PERSONAS = ("anonymous", *PEOPLE)
# Routes that belong to libraries (sign-in, admin) and are tested by them.
FOREIGN_PREFIXES = ("accounts/", "admin/")


def read_table() -> dict[tuple[str, str], dict[str, int]]:
    """The main table and the tables of parts kept beside it in ``permission_matrix.d/``."""
    rows: dict[tuple[str, str], dict[str, int]] = {}
    parts = sorted(TABLE.with_name("permission_matrix.d").glob("*.txt"))
    lines = [line for table in (TABLE, *parts) for line in table.read_text().splitlines()]
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, method, *codes = line.split()
        assert len(codes) == len(PERSONAS), f"{name} {method}: one code per persona"
        assert (name, method) not in rows, f"{name} {method}: listed twice"
        rows[(name, method)] = dict(zip(PERSONAS, map(int, codes), strict=True))
    return rows


def own_routes() -> dict[str, str]:
    """Every named route of Tenfold's own (namespaced as "api:name" for the API), with its
    pattern."""
    routes: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(FOREIGN_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                routes[namespace + pattern.name] = route

    walk(get_resolver().url_patterns, "", "")
    return routes


def own_route_names() -> set[str]:
    return set(own_routes())


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    table = read_table()
    assert own_route_names() == {name for name, _ in table}
    missing = [
        f"{name} {method}"
        for name in sorted(own_route_names())
        for method in METHODS
        if (name, method) not in table
    ]
    assert not missing, f"rows missing from the table: {missing[:20]}"
    assert {method for _name, method in table} <= set(METHODS)


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[dict, dict[str, str]]]:
    """The personas and the world every route is requested against, built once for the
    module inside a transaction that is rolled back at its end. Each test runs in a savepoint
    of that transaction (pytest-django's `db`), so what one test's request writes is undone
    before the next; building the world for each of the routes took most of this file's time."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        pytest.MonkeyPatch.context() as monkeypatch,
        transaction.atomic(),
    ):
        people = {persona: make_persona(persona) for persona in PERSONAS if persona != "anonymous"}
        yield people, build_world(people, monkeypatch)
        transaction.set_rollback(True)


@pytest.fixture
def world(shared: tuple[dict, dict[str, str]], db: Any) -> dict[str, str]:
    return shared[1]


@pytest.fixture
def personas(shared: tuple[dict, dict[str, str]], db: Any) -> dict[str, Any]:
    return shared[0]


def build_world(people: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    org = build_org(alice)
    team = build_team(org, alice, bob, carol, people["victor"])
    objective = build_objective(org, build_quarter(org, alice), team, carol)
    key_result = build_key_result(objective, bob, carol)
    person_add(organization=org, email=people["ada"].email, role=Role.ADMIN, by=alice)
    other = build_other(people)
    # Sandboxes are opened for real here, from a small stand-in for the demo (permissions are
    # the point; the demo build has tests of its own).
    monkeypatch.setattr("tenfold.adoption.services._build", small_build)
    initiative = initiative_create(key_result=key_result, title="Shorter signup", by=carol)
    report = WeeklyReport.objects.create(organization=org, person=bob, week=week_of(org))
    item = WeeklyItem.objects.create(
        organization=org, report=report, category="plans", text="Bob's plan"
    )
    checkin = checkin_record(key_result=key_result, value=25, by=bob)
    comment = comment_add(
        access=access_for(Membership.objects.get(organization=org, user=bob)),
        target=objective,
        body="Looks right to me",
    )
    review = Review.objects.create(organization=org, cycle=objective.cycle, unit=team)
    kpi = kpi_create(organization=org, unit=team, name="Weekly activation", target="40", by=carol)
    bob_access = access_for(Membership.objects.get(organization=org, user=bob))
    idea = idea_add(access=bob_access, question="change", text="Shorter onboarding")
    idea_comment = idea_comment_add(access=bob_access, idea=idea, body="Yes")
    checklist_ensure(organization=org, by=org.memberships.get(role="owner").user)
    step = ChecklistItem.objects.get(organization=org, key="learn")
    # Integrations point at a closed loopback port with no allowed host: a test send is refused
    # on the spot, without touching the network.
    channel = channel_create(
        access=access_for(Membership.objects.get(organization=org, user=carol)),
        unit=team,
        provider="slack",
        name="#growth",
        url="http://127.0.0.1:9/hook",
    )
    hook = webhook_create(
        organization=org,
        name="Hook",
        url="http://127.0.0.1:9/hook",
        by=org.memberships.get(role="owner").user,
    )
    host = AllowedHost.objects.create(organization=org, host="db.internal")
    _feed, feed_token = feed_set(
        access=access_for(Membership.objects.get(organization=org, user=carol)),
        key_result=key_result,
        kind="push",
    )
    subscriber = subscriber_add(
        access=access_for(Membership.objects.get(organization=org, role="owner")),
        email="ivy@example.org",
    )
    transfer = Transfer.objects.create(
        organization=org,
        kind="export",
        format="json",
        created_by=org.memberships.get(role="owner").user,
    )
    invitation, invitation_token = invitation_create(
        organization=org, email="ivan@example.org", by=alice
    )
    return {
        **other,
        "invitation_token": invitation_token,
        "invitation": invitation.code,
        "transfer": transfer.code,
        "subscriber": subscriber.code,
        "unsubscribe_token": unsubscribe_token(subscriber),
        "feed_token": feed_token,
        "host_id": str(host.pk),
        "chat_channel": channel.code,
        "calendar_token": unit_token(org, team),
        "webhook": hook.code,
        "step": step.code,
        "idea": idea.code,
        "idea_comment": idea_comment.code,
        "example": "sales-faster-deals",
        "review": review.code,
        "user_id": str(bob.pk),
        "kpi": kpi.code,
        "org": org.slug,
        "unit": team.code,
        "objective": objective.code,
        "key_result": key_result.code,
        "initiative": initiative.code,
        "cycle": objective.cycle.code,
        "item": item.code,
        "checkin": checkin.code,
        "comment": comment.code,
    }


def build_other(people: dict[str, Any]) -> dict[str, str]:
    """Mallory's organization, with Mona a member of its team and Bea an admin, holding the
    same kinds of things as Alice's: a query that forgets its organization finds some of
    them. Returns their codes under "other:" keys."""
    mallory, mona, bea = people["mallory"], people["mona"], people["bea"]
    other = build_other_org(mallory)
    viewer = make_user("vic@globex.example", "Vic Globex")
    team = build_team(other, mallory, mona, bea, viewer)
    person_add(organization=other, email=bea.email, role=Role.ADMIN, by=mallory)
    cycle = other.cycles.get()
    objective = build_objective(other, cycle, team, bea)
    key_result = build_key_result(objective, mona, bea)
    checkin = checkin_record(key_result=key_result, value=30, by=mona)
    report = WeeklyReport.objects.create(organization=other, person=mona, week=week_of(other))
    item = WeeklyItem.objects.create(
        organization=other, report=report, category="plans", text="Mona's plan"
    )
    mona_access = access_for(Membership.objects.get(organization=other, user=mona))
    comment = comment_add(access=mona_access, target=objective, body="Globex only")
    initiative = initiative_create(key_result=key_result, title="Globex initiative", by=bea)
    kpi = kpi_create(organization=other, unit=team, name="Globex signups", target="10", by=bea)
    idea = idea_add(access=mona_access, question="change", text="Globex idea")
    review = Review.objects.create(organization=other, cycle=cycle, unit=team)
    invitation, _token = invitation_create(
        organization=other, email="zed@globex.example", by=mallory
    )
    return {
        "other:org": other.slug,
        "other:unit": team.code,
        "other:cycle": cycle.code,
        "other:objective": objective.code,
        "other:key_result": key_result.code,
        "other:checkin": checkin.code,
        "other:item": item.code,
        "other:comment": comment.code,
        "other:initiative": initiative.code,
        "other:kpi": kpi.code,
        "other:idea": idea.code,
        "other:review": review.code,
        "other:invitation": invitation.code,
        "other:user_id": str(mona.pk),
    }


GUIDE_IMAGE = min(path.name for path in (guide_pages.docs_dir() / "images").glob("*.png"))
"""A picture of the user guide (docs/images/), served by tenfold/guide."""


def url_of(name: str, world: dict[str, str]) -> str:
    """The URL of a route, filled in with the objects of the `world` fixture."""
    params = set(re.findall(r"<(?:\w+:)?(\w+)>", own_routes()[name]))
    kwargs: dict[str, str] = {}
    if "org" in params:
        kwargs["org"] = world["org"]
    if "user_id" in params:
        kwargs["user_id"] = world["user_id"]
    if "host_id" in params:
        kwargs["host_id"] = world["host_id"]
    if name == "guide_page":
        kwargs["slug"] = "getting-started"
    if name == "guide_image":
        kwargs["name"] = GUIDE_IMAGE
    if "token" in params:
        kwargs["token"] = world[
            "invitation_token"
            if "invitation" in name
            else "calendar_token"
            if "calendar" in name
            else "unsubscribe_token"
            if "unsubscribe" in name
            else "feed_token"
        ]
    if "kind" in params:  # comments and reactions: on the objective
        kwargs["kind"] = "objective"
        kwargs["code"] = world["objective"]
        return reverse(name, kwargs=kwargs)
    if "code" in params:
        bare = name.split(":")[-1]
        # Routes that create a child take the parent's code.
        bare = {"initiative_new": "key_result", "key_result_new": "objective"}.get(bare, bare)
        if (
            "review" in bare and "preview" not in bare
        ):  # the list of a cycle's reviews, or one review
            kwargs["code"] = world["cycle"] if bare.endswith("reviews") else world["review"]
            return reverse(name, kwargs=kwargs)
        for key, words in (
            ("invitation", ("invitation",)),
            ("transfer", ("transfer",)),
            ("idea_comment", ("idea_comment_edit", "idea_comment_delete")),
            ("chat_channel", ("chat_channel",)),
            ("webhook", ("webhook",)),
            ("subscriber", ("subscriber",)),
            ("idea", ("idea",)),
            ("example", ("example",)),
            ("step", ("adoption_item", "adoption_step")),
            ("item", ("week_item", "kudos_item")),
            ("kpi", ("kpi",)),
            ("comment", ("comment_edit", "comment_delete", "delete_comment")),
            ("checkin", ("checkin_correct", "correct_checkin", "kudos_checkin")),
            ("unit", ("team_", "meeting_")),
            ("key_result", ("key_result", "checkin", "kr_feed")),
            ("initiative", ("initiative",)),
            ("objective", ("objective",)),
            ("unit", ("unit",)),
            ("cycle", ("cycle", "carryover", "planning", "alignment_session")),
        ):
            if any(word in bare for word in words):
                kwargs["code"] = world[key]
                break
    return reverse(name, kwargs=kwargs)


def request(client: Any, method: str, url: str) -> Any:
    """An empty request (a form post for POST, an empty JSON object for PUT and PATCH), whose
    writes are undone afterwards: each persona meets the same world, so a delete that one
    persona may make leaves the object there for the next."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif method == "POST":
            response = client.post(url, {})
        elif method == "DELETE":
            response = client.delete(url)
        else:
            response = client.generic(method, url, b"{}", content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.fixture
def one_organization() -> Iterator[list[str]]:
    """Every request below reads rows of the organization it answers for only."""
    with reads_stay_in_one_organization() as checked:
        yield checked


@pytest.mark.usefixtures("one_organization")
@pytest.mark.parametrize(("name", "method"), sorted(read_table()))
def test_route_answers_each_persona_as_the_table_says(
    client: Any, world: dict[str, str], personas: dict[str, Any], name: str, method: str
) -> None:
    expected = read_table()[(name, method)]
    url = url_of(name, world)
    seen = {}
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(personas[persona])
        seen[persona] = request(client, method, url).status_code
    assert seen == expected, f"{method} {url}"


# Writes a viewer may make: their own settings, marks and subscriptions, never shared data.
VIEWER_WRITES = {
    "api:get_my_notifications",  # PUT on the same address: one's own notification settings
    "api:me",  # PATCH on the same address: one's own name, language and time zone
    "api:update_me",
    "my_preferences",
    "api:set_my_notifications",
    "api:reset_my_calendar",
    "api:openapi-json",  # the API's schema and docs answer every method alike, writing nothing
    "api:openapi-view",
    "coach_check",  # the coach's suggestions for a draft: nothing is stored
    "digest_send",  # a digest sent to oneself
    "digest_unsubscribe",  # by the link in an email
    "mentions_read",
    "my_calendar_reset",
    "my_notifications",
    "my_token_revoke",
}


def test_the_table_lets_no_outsider_in_and_no_viewer_write() -> None:
    """Rules the table itself must keep, so a row can never quietly allow too much: the
    people of the other organization get 404 (or 405) on every route under this
    organization's address, and a viewer's only successful writes are their own."""
    table, routes = read_table(), own_routes()
    in_organization = {name for name, pattern in routes.items() if "org>" in pattern}
    outsiders = [
        f"{name} {method} {persona}={row[persona]}"
        for (name, method), row in table.items()
        if name in in_organization
        for persona in ("mallory", "mona", "bea")
        if row[persona] not in (404, 405)
    ]
    viewer = [
        f"{name} {method}={row['victor']}"
        for (name, method), row in table.items()
        if method != "GET" and name not in VIEWER_WRITES and 200 <= row["victor"] < 400
    ]
    allows = sum(200 <= code < 400 for row in table.values() for code in row.values())
    print(
        f"\npermission matrix: {len(routes)} routes × {len(METHODS)} methods × "
        f"{len(PERSONAS)} personas = {len(table) * len(PERSONAS)} requests; {allows} allowed; "
        f"outsider allows {len(outsiders)}, viewer writes outside their own {len(viewer)}"
    )
    assert outsiders == []
    assert viewer == []
