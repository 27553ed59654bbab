"""The organization, unit and people endpoints of API v1. Every response is checked against the
OpenAPI document; every refused write is checked to have changed nothing."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tenfold.accounts.models import User
from tenfold.audit.models import AuditEvent
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitMember
from tenfold.organizations.services import (
    membership_set_role,
    person_add,
    unit_create,
    unit_update,
)

from .conftest import OpenApiClient, token_for


class Api(OpenApiClient):
    """The checked client, with the methods the directory needs."""

    def patch(self, path: str, data: Any) -> Any:
        response = self.client.patch(
            "/api/v1" + path,
            json.dumps(data),
            content_type="application/json",
            headers=self._headers(),
        )
        return self._check("patch", path, response)

    def delete(self, path: str) -> Any:
        response = self.client.delete("/api/v1" + path, headers=self._headers())
        return self._check("delete", path, response)


def api_as(client: Any, user: Any, org: Organization, read_only: bool = False) -> Api:
    if read_only:
        from tenfold.accounts.services import api_token_create

        _row, token = api_token_create(
            user=user, organization=org, name="reader", read_only=True, by=user
        )
        return Api(client, token)
    return Api(client, token_for(user, org))


def snapshot() -> list[Any]:
    """Everything a directory write could touch."""
    return [
        sorted(Organization.objects.values_list()),
        sorted(Unit.objects.values_list()),
        sorted(Membership.objects.values_list()),
        sorted(UnitMember.objects.values_list()),
        User.objects.count(),
        # Tokens made for the callers are audited too; they are not the write under test.
        AuditEvent.objects.exclude(verb__startswith="api_token.").count(),
    ]


@pytest.fixture
def alice_api(client, org, team, alice) -> Api:
    return api_as(client, alice, org)


@pytest.fixture
def product(team) -> Unit:
    return team.parent


# --- organizations ----------------------------------------------------------------------------


def test_a_session_lists_every_organization_and_a_token_only_its_own(
    client, org, other_org, alice, mallory
):
    person_add(organization=other_org, email=alice.email, role=Role.VIEWER, by=mallory)
    client.force_login(alice)
    listed = Api(client).get("/orgs")
    assert listed.status_code == 200
    assert listed.data == [
        {"slug": "acme", "name": "Acme", "role": "owner"},
        {"slug": "globex", "name": "Globex", "role": "viewer"},
    ]
    assert listed["X-Total-Count"] == "2"
    client.logout()
    assert [o["slug"] for o in api_as(client, alice, other_org).get("/orgs").data] == ["globex"]


def test_the_organization_shows_its_settings_to_a_viewer(client, org, team, victor):
    got = api_as(client, victor, org).get("/orgs/acme")
    assert got.status_code == 200
    data = got.data
    assert (data["slug"], data["name"], data["role"]) == ("acme", "Acme", "viewer")
    assert data["time_zone"] == "Europe/Berlin"
    assert (data["fiscal_year_start_month"], data["cycle_length"]) == (1, "quarter")
    assert (data["week_start"], data["checkin_weekday"], data["checkin_hour"]) == (0, 4, 10)
    assert (data["at_risk_gap"], data["off_track_gap"], data["stale_days"]) == ("0.20", "0.40", 10)
    assert data["approval_required"] is True
    assert data["ppp_names"] == {"plans": "Plans", "progress": "Progress", "problems": "Problems"}
    assert data["extra_categories"] == []


def test_anonymous_callers_get_401_and_outsiders_404(client, org, other_org, mallory):
    assert Api(client).get("/orgs/acme").status_code == 401
    assert Api(client).get("/orgs").status_code == 401
    assert api_as(client, mallory, other_org).get("/orgs/acme").status_code == 404


def test_an_owner_changes_the_settings(alice_api, org):
    changed = alice_api.patch(
        "/orgs/acme",
        {
            "name": "Acme Corp",
            "fiscal_year_start_month": 4,
            "cycle_length": "six_weeks",
            "week_start": 6,
            "checkin_weekday": 0,
            "checkin_hour": 9,
            "time_zone": "America/New_York",
            "language": "es",
            "at_risk_gap": "0.15",
            "off_track_gap": "0.5",
            "stale_days": 14,
            "approval_required": False,
            "leaderboards_enabled": True,
            "rollout": "pilot",
        },
    )
    assert changed.status_code == 200, changed.data
    org.refresh_from_db()
    assert (org.name, org.fiscal_year_start_month, org.cycle_length) == (
        "Acme Corp",
        4,
        "six_weeks",
    )
    assert (org.week_start, org.checkin_weekday, org.checkin_hour) == (6, 0, 9)
    assert (org.time_zone, org.language, org.rollout) == ("America/New_York", "es", "pilot")
    assert (org.at_risk_gap, org.off_track_gap, org.stale_days) == (
        Decimal("0.15"),
        Decimal("0.50"),
        14,
    )
    assert (org.approval_required, org.leaderboards_enabled) == (False, True)
    assert changed.data["slug"] == "acme"
    assert changed.data["name"] == "Acme Corp"
    event = AuditEvent.objects.filter(verb="organization.updated").get()
    assert event.changes["time_zone"] == ["Europe/Berlin", "America/New_York"]


def test_only_the_fields_sent_change(alice_api, org):
    assert alice_api.patch("/orgs/acme", {"checkin_hour": 16}).status_code == 200
    org.refresh_from_db()
    assert (org.checkin_hour, org.name, org.time_zone) == (16, "Acme", "Europe/Berlin")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"language": "xx"}, "language"),
        ({"cycle_length": "year"}, "cycle_length"),
        ({"checkin_hour": 24}, "checkin_hour"),
        ({"week_start": 7}, "week_start"),
        ({"fiscal_year_start_month": 13}, "fiscal_year_start_month"),
        ({"at_risk_gap": "0.5", "off_track_gap": "0.3"}, "off_track_gap"),
        ({"at_risk_gap": "1.5", "off_track_gap": "1.5"}, "at_risk_gap"),
        ({"stale_days": 0}, "stale_days"),
        ({"rollout": "nobody"}, "rollout"),
        ({"name": "  "}, "name"),
        ({"name": None}, "name"),
        ({"checkin_hour": "soon"}, "checkin_hour"),
        ({"name": "Evil\x00Corp"}, "name"),
        ({"ppp_names": {"plans": "p" * 41}}, "ppp_names.plans"),
        ({"extra_categories": [{"name": f"Extra {n}"} for n in range(7)]}, "extra_categories"),
        ({"name": "Fine", "time_zone": "nowhere"}, "time_zone"),
    ],
)
def test_bad_settings_are_refused_naming_the_field_and_nothing_changes(alice_api, org, body, field):
    before = snapshot()
    refused = alice_api.patch("/orgs/acme", body)
    assert refused.status_code == 400
    assert refused.data["error"]["code"] == "invalid"
    assert field in refused.data["error"]["fields"], refused.data
    assert snapshot() == before


def test_weekly_category_names_and_extra_categories_change_together(alice_api, org):
    changed = alice_api.patch(
        "/orgs/acme",
        {
            "ppp_names": {"plans": "Next"},
            "extra_categories": [{"name": "Kudos"}, {"name": "Risks"}],
        },
    )
    assert changed.status_code == 200, changed.data
    assert changed.data["ppp_names"] == {
        "plans": "Next",
        "progress": "Progress",
        "problems": "Problems",
    }
    assert changed.data["extra_categories"] == [
        {"key": "kudos", "name": "Kudos"},
        {"key": "risks", "name": "Risks"},
    ]
    # A known key renames; one left out is removed; the names stay.
    again = alice_api.patch(
        "/orgs/acme", {"extra_categories": [{"key": "kudos", "name": "Thanks"}]}
    )
    assert again.data["extra_categories"] == [{"key": "kudos", "name": "Thanks"}]
    assert again.data["ppp_names"]["plans"] == "Next"


def test_a_refused_category_leaves_the_other_settings_unchanged(alice_api, org):
    before = snapshot()
    refused = alice_api.patch(
        "/orgs/acme", {"name": "Renamed", "ppp_names": {"problems": "x" * 50}}
    )
    assert refused.status_code == 400
    assert list(refused.data["error"]["fields"]) == ["ppp_names.problems"]
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["bob", "carol", "victor"])
def test_only_owners_and_admins_change_the_settings(client, request, org, team, persona):
    before = snapshot()
    refused = api_as(client, request.getfixturevalue(persona), org).patch(
        "/orgs/acme", {"name": "Mine now"}
    )
    assert refused.status_code == 403
    assert snapshot() == before


def test_an_admin_changes_the_settings(client, org, team, bob, alice):
    membership_set_role(
        membership=Membership.objects.get(organization=org, user=bob), role="admin", by=alice
    )
    assert api_as(client, bob, org).patch("/orgs/acme", {"stale_days": 20}).status_code == 200


# --- units ------------------------------------------------------------------------------------


def test_units_are_listed_with_parent_children_leads_and_counts(
    client, org, company, team, product, bob
):
    listed = api_as(client, bob, org).get("/orgs/acme/units")
    assert listed.status_code == 200
    by_name = {u["name"]: u for u in listed.data}
    assert list(by_name) == ["Acme", "Growth", "Product"]
    assert by_name["Acme"]["parent"] is None
    assert by_name["Acme"]["children"] == [product.code]
    assert by_name["Acme"]["leads"] == [
        {
            "user_id": org.memberships.get(role="owner").user_id,
            "name": "Alice Owner",
            "email": "alice@example.com",
        }
    ]
    growth = by_name["Growth"]
    assert growth["parent"] == {"code": product.code, "name": "Product", "kind": "department"}
    assert (growth["kind"], growth["member_count"], growth["children"]) == ("team", 2, [])
    assert [p["name"] for p in growth["leads"]] == ["Carol Lead"]
    assert listed["X-Total-Count"] == "3"


def test_units_filter_by_parent_and_kind(client, org, company, team, product, victor):
    api = api_as(client, victor, org)
    assert [u["name"] for u in api.get("/orgs/acme/units", parent=product.code).data] == ["Growth"]
    assert [u["name"] for u in api.get("/orgs/acme/units", kind="department").data] == ["Product"]
    refused = api.get("/orgs/acme/units", kind="squad")
    assert (refused.status_code, list(refused.data["error"]["fields"])) == (400, ["kind"])
    refused = api.get("/orgs/acme/units", parent="nope")
    assert (refused.status_code, list(refused.data["error"]["fields"])) == (400, ["parent"])


def test_the_units_list_pages(client, org, company, team, bob):
    api = api_as(client, bob, org)
    first = api.get("/orgs/acme/units", limit=2)
    assert len(first.data) == 2
    assert 'rel="next"' in first["Link"]
    rest = api.get("/orgs/acme/units", limit=2, offset=2)
    assert [u["code"] for u in first.data + rest.data] == [
        u["code"] for u in api.get("/orgs/acme/units").data
    ]


def test_one_unit_and_a_unit_of_another_organization(client, org, team, other_org, bob):
    api = api_as(client, bob, org)
    got = api.get(f"/orgs/acme/units/{team.code}")
    assert (got.status_code, got.data["name"], got.data["member_count"]) == (200, "Growth", 2)
    elsewhere = Unit.objects.get(organization=other_org)
    assert api.get(f"/orgs/acme/units/{elsewhere.code}").status_code == 404


def test_an_owner_adds_a_unit(alice_api, org, product):
    made = alice_api.post("/orgs/acme/units", {"name": "Search", "parent": product.code})
    assert made.status_code == 201, made.data
    assert (made.data["name"], made.data["kind"], made.data["parent"]["code"]) == (
        "Search",
        "team",
        product.code,
    )
    assert Unit.objects.get(code=made.data["code"]).organization == org


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "", "parent": "PARENT"}, "name"),
        ({"name": "Growth", "parent": "PARENT"}, "name"),
        ({"name": "Ops", "parent": "nope"}, "parent"),
        ({"name": "Ops", "parent": "OTHER"}, "parent"),
        ({"name": "Ops", "parent": "PARENT", "kind": "company"}, "kind"),
        ({"name": "Ops"}, "parent"),
    ],
)
def test_a_bad_unit_is_refused_naming_the_field(alice_api, org, product, other_org, body, field):
    other_root = Unit.objects.get(organization=other_org)
    body = {
        key: {"PARENT": product.code, "OTHER": other_root.code}.get(value, value)
        for key, value in body.items()
    }
    before = snapshot()
    refused = alice_api.post("/orgs/acme/units", body)
    assert refused.status_code == 400
    assert field in refused.data["error"]["fields"], refused.data
    assert snapshot() == before


def test_an_owner_renames_moves_and_reorders_a_unit(alice_api, org, company, team, product):
    changed = alice_api.patch(
        f"/orgs/acme/units/{team.code}",
        {"name": "Growth Squad", "parent": company.code, "order": 3, "kind": "department"},
    )
    assert changed.status_code == 200, changed.data
    team.refresh_from_db()
    assert (team.name, team.parent_id, team.order, team.kind) == (
        "Growth Squad",
        company.id,
        3,
        "department",
    )
    assert changed.data["parent"]["code"] == company.code
    assert AuditEvent.objects.filter(verb="unit.updated", object_code=team.code).exists()
    assert alice_api.get(f"/orgs/acme/units/{company.code}").data["children"] == [
        product.code,
        team.code,
    ]


@pytest.mark.parametrize(
    ("target", "body", "field"),
    [
        ("product", {"parent": "team"}, "parent"),  # under its own child: a loop
        ("product", {"parent": "product"}, "parent"),  # under itself
        ("team", {"parent": "other"}, "parent"),  # another organization's unit
        ("team", {"parent": "nope"}, "parent"),
        ("company", {"parent": "product"}, "parent"),  # the root stays the root
        ("company", {"kind": "team"}, "kind"),
        ("team", {"name": ""}, "name"),
        ("team", {"order": -1}, "order"),
        ("team", {"parent": None}, "parent"),
        ("team", {"name": "x\x00"}, "name"),
    ],
)
def test_a_bad_unit_change_is_refused_and_nothing_moves(
    alice_api, org, company, team, product, other_org, target, body, field
):
    units = {
        "team": team,
        "product": product,
        "company": company,
        "other": Unit.objects.get(organization=other_org),
    }
    body = {
        key: units[value].code if isinstance(value, str) and value in units else value
        for key, value in body.items()
    }
    before = snapshot()
    refused = alice_api.patch(f"/orgs/acme/units/{units[target].code}", body)
    assert refused.status_code == 400, refused.data
    assert field in refused.data["error"]["fields"], refused.data
    assert snapshot() == before


def test_a_sibling_name_clash_after_a_move_is_refused(alice_api, org, company, team, alice):
    unit_create(organization=org, name="Growth", parent=company, by=alice)
    before = snapshot()
    refused = alice_api.patch(f"/orgs/acme/units/{team.code}", {"parent": company.code})
    assert (refused.status_code, list(refused.data["error"]["fields"])) == (400, ["name"])
    assert snapshot() == before


def test_a_unit_of_another_organization_cannot_be_changed(alice_api, other_org):
    elsewhere = Unit.objects.get(organization=other_org)
    before = snapshot()
    assert (
        alice_api.patch(f"/orgs/acme/units/{elsewhere.code}", {"name": "Mine"}).status_code == 404
    )
    assert snapshot() == before


def test_the_service_refuses_a_loop_and_a_foreign_parent(org, team, product, other_org, alice):
    with pytest.raises(ValidationError) as caught:
        unit_update(unit=product, parent=team, by=alice)
    assert "parent" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        unit_update(unit=team, parent=Unit.objects.get(organization=other_org), by=alice)
    assert "parent" in caught.value.message_dict


# --- unit members -----------------------------------------------------------------------------


def test_unit_members_are_listed_leads_first(client, org, team, victor):
    listed = api_as(client, victor, org).get(f"/orgs/acme/units/{team.code}/members")
    assert listed.status_code == 200
    assert [(m["name"], m["lead"], m["role"]) for m in listed.data] == [
        ("Carol Lead", True, "lead"),
        ("Bob Member", False, "member"),
    ]


def test_an_owner_places_people_and_makes_and_unmakes_leads(alice_api, org, team, victor, bob):
    added = alice_api.post(f"/orgs/acme/units/{team.code}/members", {"user_id": victor.pk})
    assert added.status_code == 201, added.data
    assert (added.data["user_id"], added.data["lead"]) == (victor.pk, False)
    again = alice_api.post(
        f"/orgs/acme/units/{team.code}/members", {"email": "VICTOR@example.com", "lead": True}
    )
    assert (again.status_code, again.data["lead"]) == (200, True)
    unmade = alice_api.patch(f"/orgs/acme/units/{team.code}/members/{victor.pk}", {"lead": False})
    assert (unmade.status_code, unmade.data["lead"]) == (200, False)
    assert not UnitMember.objects.get(unit=team, user=victor).is_lead
    gone = alice_api.delete(f"/orgs/acme/units/{team.code}/members/{bob.pk}")
    assert gone.status_code == 204
    assert not UnitMember.objects.filter(unit=team, user=bob).exists()
    assert Membership.objects.filter(organization=org, user=bob).exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"unit_member.added", "unit_member.updated", "unit_member.removed"} <= verbs


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user_id": "MALLORY"}, "user_id"),
        ({"email": "mallory@example.com"}, "email"),
        ({"user_id": 10**12}, "user_id"),
        ({}, "user_id"),
        ({"email": "x\x00@example.com"}, "email"),
    ],
)
def test_only_people_of_the_organization_are_placed(
    alice_api, org, team, mallory, other_org, body, field
):
    body = {k: mallory.pk if v == "MALLORY" else v for k, v in body.items()}
    before = snapshot()
    refused = alice_api.post(f"/orgs/acme/units/{team.code}/members", body)
    assert refused.status_code == 400, refused.data
    assert field in refused.data["error"]["fields"]
    assert snapshot() == before


def test_someone_outside_the_unit_is_not_found(alice_api, org, team, victor, mallory, other_org):
    for user in (victor, mallory):
        path = f"/orgs/acme/units/{team.code}/members/{user.pk}"
        assert alice_api.patch(path, {"lead": True}).status_code == 404
        assert alice_api.delete(path).status_code == 404


# --- people -----------------------------------------------------------------------------------


def test_people_are_listed_with_roles_units_and_leads(client, org, team, bob):
    listed = api_as(client, bob, org).get("/orgs/acme/people")
    assert listed.status_code == 200
    assert [(p["name"], p["role"]) for p in listed.data] == [
        ("Alice Owner", "owner"),
        ("Bob Member", "member"),
        ("Carol Lead", "lead"),
        ("Victor Viewer", "viewer"),
    ]
    carol = listed.data[2]
    assert carol["units"] == [{"code": team.code, "name": "Growth", "kind": "team", "lead": True}]
    assert carol["lead_of"] == [team.code]
    assert listed["X-Total-Count"] == "4"


def test_people_filter_by_unit_role_and_text(client, org, team, victor):
    api = api_as(client, victor, org)

    def names(**params):
        return [p["name"] for p in api.get("/orgs/acme/people", **params).data]

    assert names(unit=team.code) == ["Bob Member", "Carol Lead"]
    assert names(role="viewer") == ["Victor Viewer"]
    assert names(q="CAROL") == ["Carol Lead"]
    assert names(q="example.com", role="owner") == ["Alice Owner"]
    assert api.get("/orgs/acme/people", role="boss").data["error"]["fields"].keys() == {"role"}
    assert api.get("/orgs/acme/people", unit="nope").data["error"]["fields"].keys() == {"unit"}


def test_one_person_and_someone_from_elsewhere(client, org, team, carol, mallory, other_org):
    api = api_as(client, carol, org)
    got = api.get(f"/orgs/acme/people/{carol.pk}")
    assert got.status_code == 200
    assert (got.data["email"], got.data["role"], got.data["lead_of"]) == (
        "carol@example.com",
        "lead",
        [team.code],
    )
    assert (got.data["language"], got.data["time_zone"], got.data["title"]) == ("", "", "")
    assert api.get(f"/orgs/acme/people/{mallory.pk}").status_code == 404
    assert api.get("/orgs/acme/people/999999").status_code == 404


def test_an_owner_adds_a_new_person_with_units(alice_api, org, team, product):
    made = alice_api.post(
        "/orgs/acme/people",
        {
            "email": "Dana@Example.com",
            "name": "Dana",
            "role": "lead",
            "units": [team.code],
            "lead_of": [product.code],
        },
    )
    assert made.status_code == 201, made.data
    assert (made.data["email"], made.data["role"], made.data["lead_of"]) == (
        "dana@example.com",
        "lead",
        [product.code],
    )
    assert {u["code"] for u in made.data["units"]} == {team.code, product.code}
    assert User.objects.filter(email="dana@example.com").exists()


def test_adding_someone_already_in_places_them_and_keeps_their_role(alice_api, org, team, victor):
    again = alice_api.post("/orgs/acme/people", {"email": victor.email, "units": [team.code]})
    assert again.status_code == 200
    assert (again.data["role"], [u["code"] for u in again.data["units"]]) == (
        "viewer",
        [team.code],
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an email"}, "email"),
        ({"email": "dana@example.com", "role": "boss"}, "role"),
        ({"email": "dana@example.com", "units": ["OTHER"]}, "units"),
        ({"email": "dana@example.com", "lead_of": ["nope"]}, "lead_of"),
        ({"email": "dana@example.com", "name": "n" * 151}, "name"),
        ({"email": "alice@example.com", "role": "member"}, "role"),  # the last owner
        ({"name": "Dana"}, "email"),
    ],
)
def test_a_bad_person_is_refused_naming_the_field(alice_api, org, team, other_org, body, field):
    other_root = Unit.objects.get(organization=other_org)
    body = {key: [other_root.code] if value == ["OTHER"] else value for key, value in body.items()}
    before = snapshot()
    refused = alice_api.post("/orgs/acme/people", body)
    assert refused.status_code == 400, refused.data
    assert field in refused.data["error"]["fields"], refused.data
    assert snapshot() == before


def test_an_owner_changes_a_role_and_a_title(alice_api, org, team, bob):
    changed = alice_api.patch(f"/orgs/acme/people/{bob.pk}", {"role": "admin", "title": "PM"})
    assert changed.status_code == 200, changed.data
    assert (changed.data["role"], changed.data["title"]) == ("admin", "PM")
    membership = Membership.objects.get(organization=org, user=bob)
    assert (membership.role, membership.title) == ("admin", "PM")


def test_the_last_owner_keeps_the_owner_role(alice_api, org, team, alice, bob):
    before = snapshot()
    refused = alice_api.patch(f"/orgs/acme/people/{alice.pk}", {"role": "admin"})
    assert refused.status_code == 400
    assert "owner" in refused.data["error"]["fields"]["role"][0]
    assert snapshot() == before
    assert alice_api.patch(f"/orgs/acme/people/{bob.pk}", {"role": "owner"}).status_code == 200
    assert alice_api.patch(f"/orgs/acme/people/{alice.pk}", {"role": "admin"}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "boss"}, "role"),
        ({"role": None}, "role"),
        ({"title": "t" * 121}, "title"),
        ({"title": "t" * 121, "role": "viewer"}, "title"),
    ],
)
def test_a_bad_person_change_is_refused(alice_api, org, team, bob, body, field):
    before = snapshot()
    refused = alice_api.patch(f"/orgs/acme/people/{bob.pk}", body)
    assert refused.status_code == 400
    assert field in refused.data["error"]["fields"]
    assert snapshot() == before


def test_someone_outside_the_organization_cannot_be_changed(alice_api, org, mallory, other_org):
    before = snapshot()
    assert alice_api.patch(f"/orgs/acme/people/{mallory.pk}", {"role": "admin"}).status_code == 404
    assert snapshot() == before


def test_adding_the_last_owner_again_with_another_role_is_refused_in_the_service(org, alice):
    with pytest.raises(ValidationError) as caught:
        person_add(organization=org, email=alice.email, role="member", by=alice)
    assert "role" in caught.value.message_dict
    assert Membership.objects.get(organization=org, user=alice).role == "owner"


# --- every write, every refusal ---------------------------------------------------------------


def writes(world: dict[str, Any]) -> list[tuple[str, str, Any]]:
    team, bob = world["team"], world["bob"]
    return [
        ("patch", "/orgs/acme", {"name": "Taken"}),
        ("post", "/orgs/acme/units", {"name": "Ops", "parent": team.code}),
        ("patch", f"/orgs/acme/units/{team.code}", {"name": "Renamed"}),
        ("post", f"/orgs/acme/units/{team.code}/members", {"user_id": world["victor"].pk}),
        ("patch", f"/orgs/acme/units/{team.code}/members/{bob.pk}", {"lead": True}),
        ("delete", f"/orgs/acme/units/{team.code}/members/{bob.pk}", None),
        ("post", "/orgs/acme/people", {"email": "eve@example.com"}),
        ("patch", f"/orgs/acme/people/{bob.pk}", {"role": "admin"}),
    ]


def send(api: Api, method: str, path: str, body: Any) -> Any:
    return api.delete(path) if method == "delete" else getattr(api, method)(path, body)


@pytest.fixture
def world(org, team, alice, bob, carol, victor, mallory, other_org) -> dict[str, Any]:
    return {"team": team, "bob": bob, "victor": victor}


@pytest.mark.parametrize("index", range(8))
def test_a_read_only_token_members_and_viewers_are_refused_every_write(
    client, org, world, alice, bob, carol, victor, index
):
    method, path, body = writes(world)[index]
    before = snapshot()
    seen = [
        send(api_as(client, alice, org, read_only=True), method, path, body).status_code,
        *(
            send(api_as(client, user, org), method, path, body).status_code
            for user in (bob, carol, victor)
        ),
    ]
    assert seen == [403, 403, 403, 403]
    assert snapshot() == before


@pytest.mark.parametrize("index", range(8))
def test_another_organization_gets_404_on_every_write(
    client, org, world, mallory, other_org, index
):
    method, path, body = writes(world)[index]
    before = snapshot()
    assert send(api_as(client, mallory, other_org), method, path, body).status_code == 404
    client.force_login(mallory)
    assert send(Api(client), method, path, body).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("index", range(8))
def test_an_owner_may_make_every_write_with_a_session(client, org, world, alice, index):
    method, path, body = writes(world)[index]
    client.force_login(alice)
    assert send(Api(client), method, path, body).status_code in (200, 201, 204)


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/acme",
        "/orgs/acme/units",
        "/orgs/acme/units/TEAM",
        "/orgs/acme/units/TEAM/members",
        "/orgs/acme/people",
        "/orgs/acme/people/BOB",
    ],
)
def test_another_organization_reads_nothing(client, org, world, mallory, other_org, path):
    path = path.replace("TEAM", world["team"].code).replace("BOB", str(world["bob"].pk))
    assert api_as(client, mallory, other_org).get(path).status_code == 404
    client.force_login(mallory)
    assert Api(client).get(path).status_code == 404


def test_nul_characters_in_a_query_or_a_path_are_refused(client, org, team, bob):
    api = api_as(client, bob, org)
    assert api.get("/orgs/acme/people", q="a\x00b").data["error"]["fields"].keys() == {"q"}
    assert api.get("/orgs/acme/units/a%00b").status_code == 400


# --- a fixed number of queries, whatever the size ---------------------------------------------


def grow(org, team, alice, count: int, start: int) -> None:
    from tenfold.organizations.services import organization_create

    for n in range(start, start + count):
        owner = User.objects.create_user(email=f"owner{n}@example.com")
        other = organization_create(name=f"Org {n}", slug=f"org-{n}", owner=owner)
        person_add(organization=other, email=alice.email, by=owner)
        unit = unit_create(organization=org, name=f"Team {n}", parent=team.parent, by=alice)
        person_add(
            organization=org,
            email=f"person{n}@example.com",
            units=[unit, team],
            lead_of=[unit],
            by=alice,
        )


@pytest.mark.parametrize(
    "path",
    ["/orgs", "/orgs/acme/units", "/orgs/acme/people", "/orgs/acme/units/TEAM/members"],
)
def test_lists_run_the_same_number_of_queries_at_3_and_at_30_rows(
    client, org, team, alice, path, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A token opens one organization, so the list of organizations is read signed in.
    if path == "/orgs":
        client.force_login(alice)
        api = Api(client)
    else:
        api = api_as(client, alice, org)
    path = path.replace("TEAM", team.code)

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert api.get(path).status_code == 200
        return len(seen)

    grow(org, team, alice, 3, 0)
    api.get(path)  # the token's first use is recorded once; measure the steady state
    small = count()
    grow(org, team, alice, 27, 3)
    assert len(api.get(path, limit=500).data) >= 30
    with django_assert_num_queries(small):
        assert api.get(path).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", "/orgs/acme/people/99999999999999999999999", None, "user_id"),
        ("get", "/orgs/acme/people/0", None, "user_id"),
        ("patch", "/orgs/acme/units/TEAM/members/99999999999999999999", {"lead": True}, "user_id"),
        ("post", "/orgs/acme/units/TEAM/members", {"user_id": 10**25}, "user_id"),
        ("patch", "/orgs/acme", {"at_risk_gap": "NaN"}, "at_risk_gap"),
        ("patch", "/orgs/acme", {"checkin_hour": 10**30}, "checkin_hour"),
        ("patch", "/orgs/acme", {"week_start": -(10**30)}, "week_start"),
        ("patch", "/orgs/acme/units/TEAM", {"order": 10**30}, "order"),
    ],
)
def test_numbers_out_of_range_are_refused_not_crashed(
    alice_api, org, team, method, path, body, field
):
    path = path.replace("TEAM", team.code)
    before = snapshot()
    answer = alice_api.get(path) if method == "get" else getattr(alice_api, method)(path, body)
    assert answer.status_code == 400, answer.data
    assert field in answer.data["error"]["fields"]
    assert snapshot() == before
