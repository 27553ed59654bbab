"""One valid request for every route that changes data, for `test_every_write_is_audited`.

Keyed by route name (API operations as "api:name"). Values in `data`, `kwargs` and `query` may
name objects of the permission matrix's world in braces — "{objective}", "{key_result}",
"{org}", "{bob_id}" — and whatever a `setup` adds. A new route that changes data fails the test
until it has an entry here, or an entry in `EXEMPT` with the reason it leaves no trace in the
audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tenfold.accounts.services import api_token_create, service_token_create
from tenfold.adoption.models import ChecklistItem
from tenfold.adoption.services import item_add, item_set_done, sandbox_open
from tenfold.checkins.models import WeeklyItem
from tenfold.ideas.models import Idea
from tenfold.ideas.services import idea_archive, vote_add
from tenfold.kpis.models import Kpi
from tenfold.okrs.models import KeyResult, Objective
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership, Organization, Unit
from tenfold.organizations.permissions import Access, access_for
from tenfold.organizations.services import invitation_create
from tenfold.reviews.models import Review
from tenfold.reviews.services import review_update
from tenfold.webhooks.models import Webhook, WebhookDelivery

World = dict[str, str]
People = dict[str, Any]
Setup = Callable[[World, People], dict[str, str]]


@dataclass(frozen=True)
class Write:
    """A valid request: its body (form fields, or JSON for the API), who sends it when it is
    not the first writer the matrix names, the URL arguments when they are not the world's
    objects, and what must exist first."""

    data: dict[str, Any] | Callable[[World, People], dict[str, Any]] = field(default_factory=dict)
    persona: str | None = None
    kwargs: dict[str, str] | None = None
    query: str = ""
    setup: Setup | None = None
    upload: tuple[str, str, bytes] | None = None
    # Whom the event names, when it is not the sender ("anonymous": nobody).
    actor: str | None = None
    # Verbs the route may write besides its one event: other objects it creates, or a
    # consequence that readers of the log listen for (each tuple below says why).
    also: tuple[str, ...] = ()
    # Requests sent first, in the same session: (route, form data).
    before: tuple[tuple[str, dict[str, Any]], ...] = ()


def values(world: World, people: People) -> dict[str, str]:
    """What the placeholders of a request may name: the world's objects, each person's id
    ("{bob_id}") and the versions that edit forms send back."""
    objective = _objective(world)
    known = dict(world)
    known.update({f"{name}_id": str(person.pk) for name, person in people.items()})
    known["objective_version"] = str(objective.version)
    known["key_result_version"] = str(KeyResult.objects.get(code=world["key_result"]).version)
    known["unit_parent"] = objective.unit.parent.code if objective.unit else ""
    known["step_version"] = str(ChecklistItem.objects.get(code=world["step"]).version)
    known["kpi_version"] = str(Kpi.objects.get(code=world["kpi"]).version)
    return known


# --- what some requests need first -----------------------------------------------------------


def _org(world: World) -> Organization:
    return Organization.objects.get(slug=world["org"])


def _objective(world: World) -> Objective:
    return Objective.objects.get(code=world["objective"])


def _access(world: World, user: Any) -> Access:
    return access_for(Membership.objects.get(organization=_org(world), user=user))


def next_quarter(world: World, people: People) -> dict[str, str]:
    """A cycle in planning after the current one, to carry objectives into."""
    cycle = cycle_create(
        organization=_org(world),
        name="Q1 2027",
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 3, 31),
        kind="quarter",
        by=people["alice"],
    )
    return {"next_cycle": cycle.code}


def company_objective(world: World, people: People) -> dict[str, str]:
    """An objective of the company, for the team's objective to contribute to."""
    objective = _objective(world)
    parent = objective_create(
        organization=objective.organization,
        cycle=objective.cycle,
        unit=Unit.objects.get(organization=objective.organization, parent__isnull=True),
        title="Grow revenue in Europe",
        lead=people["alice"],
        state="active",
        by=people["alice"],
    )
    return {"parent": parent.code}


def aligned(world: World, people: People) -> dict[str, str]:
    """The team's objective contributing to a company objective."""
    known = company_objective(world, people)
    parent = Objective.objects.get(code=known["parent"])
    alignment_link(child=_objective(world), parent_objective=parent, by=people["alice"])
    return known


def draft_objective(state: str) -> Setup:
    """An objective of the Growth team in `state` (draft, proposed or approved)."""

    def setup(world: World, people: People) -> dict[str, str]:
        objective = _objective(world)
        made = objective_create(
            organization=objective.organization,
            cycle=objective.cycle,
            unit=objective.unit,
            title="Signups double from referrals",
            lead=people["carol"],
            state=state,
            by=people["carol"],
        )
        assert Objective.objects.get(pk=made.pk).state == state
        return {"draft": made.code}

    return setup


def fresh_key_result(world: World, people: People) -> dict[str, str]:
    """A key result without check-ins (only those can be deleted)."""
    kr = key_result_create(
        objective=_objective(world),
        title="Answer support within a day",
        kind="increase",
        start=0,
        target=100,
        by=people["carol"],
    )
    return {"fresh_key_result": kr.code}


def general_settings(world: World) -> dict[str, Any]:
    """The general settings form as it stands, with a new name."""
    organization = _org(world)
    fields = (
        "fiscal_year_start_month",
        "cycle_length",
        "time_zone",
        "language",
        "week_start",
        "checkin_weekday",
        "checkin_hour",
        "at_risk_gap",
        "off_track_gap",
        "stale_days",
        "rollout",
    )
    return {"name": "Acme Corporation"} | {name: getattr(organization, name) for name in fields}


def service_token(world: World, people: People) -> dict[str, str]:
    row, _token = service_token_create(
        organization=_org(world), name="Nightly export", role="member", by=people["alice"]
    )
    return {"service_token": row.prefix}


def personal_token(world: World, people: People) -> dict[str, str]:
    row, _token = api_token_create(
        user=people["alice"],
        organization=_org(world),
        name="Old laptop",
        read_only=True,
        by=people["alice"],
    )
    return {"my_token": row.prefix}


def an_invitation(world: World, people: People) -> dict[str, str]:
    """A pending invitation, for an admin to withdraw."""
    invitation, _token = invitation_create(
        organization=_org(world), email="erin@example.com", by=people["alice"]
    )
    return {"invitation": invitation.code}


def own_step(world: World, people: People) -> dict[str, str]:
    """A step added by hand (the programme's own steps cannot be deleted)."""
    step = item_add(organization=_org(world), title="Book a room", by=people["alice"])
    return {"own_step": step.code}


def step_done(world: World, people: People) -> dict[str, str]:
    item_set_done(item=ChecklistItem.objects.get(code=world["step"]), done=True, by=people["alice"])
    return {}


def sandbox(world: World, people: People) -> dict[str, str]:
    """Alice's sandbox, opened from the organization."""
    sandbox_open(person=people["alice"], home=_org(world))
    return {}


def archived_idea(world: World, people: People) -> dict[str, str]:
    idea_archive(access=_access(world, people["alice"]), idea=Idea.objects.get(code=world["idea"]))
    return {}


def voted(world: World, people: People) -> dict[str, str]:
    vote_add(access=_access(world, people["alice"]), idea=Idea.objects.get(code=world["idea"]))
    return {}


def delivery(world: World, people: People) -> dict[str, str]:
    """A failed delivery of the world's webhook, to send again."""
    hook = Webhook.objects.get(code=world["webhook"])
    row = WebhookDelivery.objects.create(
        organization=hook.organization,
        webhook=hook,
        event_id="msg_test",
        event_type="objective.created",
        payload={},
        status="failed",
    )
    return {"delivery": row.code}


def problem(world: World, people: People) -> dict[str, str]:
    """A problem in Bob's week, to resolve."""
    item = WeeklyItem.objects.get(code=world["item"])
    made = WeeklyItem.objects.create(
        organization=item.organization,
        report=item.report,
        category="problems",
        text="The staging server is down",
        position=1,
    )
    return {"problem": made.code}


def under_review(world: World, people: People) -> dict[str, str]:
    """The quarter under review: its reviews open, with their proposed scores."""
    cycle_set_state(cycle=_objective(world).cycle, state="reviewing", by=people["alice"])
    return {}


def a_review_missing(world: World, people: People) -> dict[str, str]:
    """The quarter under review, with the team's review missing."""
    under_review(world, people)
    objective = _objective(world)
    Review.objects.filter(cycle=objective.cycle, unit=objective.unit).delete()
    return {}


def review_ready(world: World, people: People) -> dict[str, str]:
    """The quarter under review, the team's review summarised and ready to submit."""
    under_review(world, people)
    review = Review.objects.get(code=world["review"])
    review_update(access=_access(world, people["alice"]), review=review, summary="We learned a lot")
    return {}


SHEET = (
    "okrs.csv",
    b"Objective,Key result,Owner,Start,Target,Current\n"
    b"Ship faster,Lead time in days,bob@example.com,5,2,4\n",
)

NEW_OBJECTIVE = ("objective.created", "key_result.created")
"""The objective it writes, and its key results, are created as any other: their own events
start their history, reach webhooks and the activity feed."""
COPIES_WITH_KEY_RESULTS = NEW_OBJECTIVE
"""A copy in another cycle is a new objective, created as any other (see NEW_OBJECTIVE)."""
RETURNED_WITH_A_COMMENT = ("comment.added",)
"""The reason for sending an objective back is a comment in its thread, like any other."""
WITH_KEY_RESULTS = ("key_result.created",)
"""An objective written with its key results: each key result's own event starts its history."""
IMPORTED = ("objective.created", "key_result.created", "checkin.recorded")
"""An import writes objectives, key results and their current values through the same
services as the pages: each has its own event (see NEW_OBJECTIVE)."""
REVIEWS_OPEN = ("cycle.reviews_opened",)
"""A cycle that moves to reviewing opens one review per unit: a second change, recorded with
the reviews it opened."""
KPI_HEALTH = ("kpi.unhealthy", "kpi.recovered")
"""A value that moves a KPI out of health (or back) is news of its own: notifications and the
activity feed listen for it rather than for every value."""


# --- the table -------------------------------------------------------------------------------

WRITES: dict[str, Write] = {
    # Objectives and key results (pages)
    "objective_new": Write(
        {
            "cycle": "{cycle}",
            "unit": "{unit}",
            "title": "Trial users reach their first report in a day",
            "type": "committed",
            "visibility": "organization",
            "lead": "{carol_id}",
        }
    ),
    "objective_edit": Write(
        {
            "unit": "{unit}",
            "title": "Customers love onboarding, and say so",
            "type": "committed",
            "visibility": "organization",
            "lead": "{carol_id}",
            "version": "{objective_version}",
        }
    ),
    "objective_state": Write({"state": "closed"}),
    "objective_align": Write({"parent": "o:{parent}", "weight": "1"}, setup=company_objective),
    "objective_duplicate": Write(
        {"target": "{next_cycle}"}, setup=next_quarter, also=COPIES_WITH_KEY_RESULTS
    ),
    "objective_propose": Write(kwargs={"code": "{draft}"}, setup=draft_objective("draft")),
    "objective_approve": Write(kwargs={"code": "{draft}"}, setup=draft_objective("proposed")),
    "objective_return": Write(
        {"comment": "Make it measurable"},
        kwargs={"code": "{draft}"},
        setup=draft_objective("proposed"),
        also=RETURNED_WITH_A_COMMENT,
    ),
    "objective_activate": Write(kwargs={"code": "{draft}"}, setup=draft_objective("approved")),
    "key_result_new": Write(
        {
            "title": "Cut time to first report from 3 days to 1",
            "kind": "decrease",
            "start": "3",
            "target": "1",
            "unit_label": "days",
            "value_format": "number",
            "decimals": "0",
            "weight": "1",
            "owner": "{bob_id}",
        }
    ),
    "key_result_edit": Write(
        {
            "title": "Raise activation from 20% to 45%",
            "kind": "increase",
            "start": "20",
            "target": "45",
            "unit_label": "%",
            "value_format": "number",
            "decimals": "0",
            "weight": "1",
            "owner": "{bob_id}",
            "version": "{key_result_version}",
        }
    ),
    "key_result": Write({"value": "27", "confidence": "7", "note": "Up after the new email"}),
    "key_result_checkin": Write(
        {"{key_result}-value": "27", "{key_result}-confidence": "7", "{key_result}-note": ""}
    ),
    "week_checkin": Write(
        {"{key_result}-value": "27", "{key_result}-confidence": "7", "{key_result}-note": ""}
    ),
    "checkin_correct": Write({"value": "26", "confidence": "6", "reason": "Typo"}),
    "initiative_new": Write({"title": "Rewrite the welcome email", "owner": "{bob_id}"}),
    "initiative_update": Write({"status": "doing"}),
    "carryover": Write(
        {"target": "{next_cycle}", "objective": "{objective}", "action": "apply"},
        setup=next_quarter,
        also=COPIES_WITH_KEY_RESULTS,
    ),
    # Weekly rhythm
    "week_item_add": Write({"category": "plans", "text": "Call three customers"}),
    "week_item_edit": Write({"text": "Bob's plan, revised"}),
    "week_item_move": Write({"category": "progress"}),
    "week_item_resolve": Write({"resolved": "1"}, kwargs={"code": "{problem}"}, setup=problem),
    "week_item_delete": Write(),
    "week_item_shift": Write({"direction": "down"}),
    "week_reorder": Write({"category": "plans", "order": "{item}"}, persona="bob"),
    "meeting_note": Write({"objective": "{objective}", "body": "We agreed to ship on Friday"}),
    "meeting_plan": Write({"person": "{bob_id}", "text": "Pair with support"}),
    # Comments and reactions
    "comments": Write({"body": "Nice progress @bob"}),
    "comment_edit": Write({"body": "Looks right to me, with one question"}, persona="bob"),
    "comment_delete": Write(persona="bob"),
    "reactions": Write({"emoji": "👍"}),
    # Settings of the organization
    "settings_general": Write(lambda world, people: general_settings(world)),
    "settings_units": Write({"name": "Platform", "kind": "team", "parent": "{unit_parent}"}),
    "settings_people": Write({"email": "dana@example.com", "name": "Dana", "role": "member"}),
    "settings_person_role": Write({"email": "bob@example.com", "role": "lead"}),
    "settings_invite": Write(
        {"invite-email": "dana@example.com", "invite-role": "member", "invite-units": ["{unit}"]}
    ),
    "settings_invitation_revoke": Write({"code": "{invitation}"}, setup=an_invitation),
    "settings_cycles": Write(
        {"form": "cycle", "name": "Winter sprint", "start": "2027-01-04", "end": "2027-02-14"}
    ),
    "settings_cycle_state": Write({"state": "reviewing"}, also=REVIEWS_OPEN),
    "settings_weekly": Write(
        {"name_plans": "Next", "name_progress": "Done", "name_problems": "Stuck"}
    ),
    "settings_sso": Write(
        {
            "issuer": "https://id.example.org",
            "client_id": "acme-okr",
            "client_secret": "a-client-secret",
            "domains": "example.org",
            "enabled": "on",
        }
    ),
    "settings_notifications": Write(
        {
            "weekly_reminders": "on",
            "stale_nudges": "on",
            "review_reminder_days": "3",
            "digests": "on",
            "digest_weekday": "0",
            "digest_hour": "8",
        }
    ),
    "settings_integrations": Write({"host": "metrics.internal", "note": "Dashboards"}),
    "allowed_host_delete": Write({"host": "{host_id}"}),
    "settings_tokens": Write({"name": "CI export", "access": "read", "role": "member"}),
    "settings_token_revoke": Write({"prefix": "{service_token}"}, setup=service_token),
    "my_tokens": Write({"name": "My laptop", "access": "read"}),
    "my_token_revoke": Write({"prefix": "{my_token}"}, setup=personal_token),
    "unit_schedule": Write(
        {"checkin_weekday": "3", "checkin_hour": "10", "time_zone": "Europe/Berlin"}
    ),
    "subscriber_add": Write(
        {"email": "board@example.org", "name": "Board", "sections": ["summary"], "active": "on"}
    ),
    "subscriber_edit": Write(
        {"email": "ivy@example.org", "name": "Ivy", "sections": ["summary"], "active": "on"}
    ),
    "subscriber_delete": Write(),
    # Adoption programme
    "adoption_shape": Write({"shape": "pilot", "pilot_unit": "{unit}"}),
    "adoption_first_cycle": Write({"action": "defaults", "defaults": "off"}),
    "adoption_item_add": Write({"title": "Run a kick-off", "due": "2026-12-01"}),
    "adoption_item_check": Write({"done": "1"}),
    "adoption_item_edit": Write({"note": "Book the big room", "version": "{step_version}"}),
    "adoption_item_move": Write({"direction": "down"}),
    "adoption_item_delete": Write(kwargs={"code": "{own_step}"}, setup=own_step),
    "sandbox_open": Write(),
    "sandbox_reset": Write(setup=sandbox),
    "sandbox_delete": Write(setup=sandbox),
    # KPIs
    "kpi_new": Write(
        {
            "name": "Weekly active teams",
            "unit": "{unit}",
            "direction": "higher_is_better",
            "target": "120",
            "value_format": "number",
            "decimals": "0",
            "active": "on",
        }
    ),
    "kpi_edit": Write(
        {
            "name": "Weekly activation",
            "unit": "{unit}",
            "direction": "higher_is_better",
            "target": "45",
            "value_format": "number",
            "decimals": "0",
            "active": "on",
            "version": "{kpi_version}",
        }
    ),
    "kpi_value_add": Write({"value": "38", "measured_on": "2026-11-16"}, also=KPI_HEALTH),
    "kpi_write_okr": Write({"cycle": "{next_cycle}"}, setup=next_quarter, also=NEW_OBJECTIVE),
    # Ideas
    "idea_add": Write({"question": "change", "text": "Pair new teams with a coach"}),
    "idea_edit": Write({"question": "change", "text": "Shorter onboarding, in two steps"}),
    "idea_vote": Write(),
    "idea_archive": Write(),
    "idea_reopen": Write(setup=archived_idea),
    "idea_promote": Write({"unit": "{unit}", "cycle": "{cycle}"}, also=NEW_OBJECTIVE),
    "idea_comment_add": Write({"body": "Worth a try"}),
    "idea_comment_edit": Write({"body": "Yes, next quarter"}, persona="bob"),
    "idea_comment_delete": Write(persona="bob"),
    # Coach and library
    "library_example_use": Write({"unit": "{unit}", "cycle": "{cycle}"}, also=NEW_OBJECTIVE),
    "wizard": Write(
        {"action": "next"},
        also=WITH_KEY_RESULTS,
        before=(
            (
                "wizard",
                {
                    "action": "next",
                    "problem": "New teams give up before their first report.",
                    "why": "They never see what the product is for.",
                },
            ),
            (
                "wizard",
                {
                    "action": "next",
                    "title": "New teams reach their first report in a day",
                    "description": "",
                    "unit": "{unit}",
                    "cycle": "{cycle}",
                    "type": "committed",
                },
            ),
            (
                "wizard",
                {
                    "action": "next",
                    "shape": "decrease",
                    "metric": "Days to the first report",
                    "start": "3",
                    "target": "1",
                    "unit": "days",
                },
            ),
            ("wizard", {"action": "next"}),
        ),
    ),
    # Habits
    "kudos_checkin": Write(),
    "kudos_item": Write(),
    # Data feeds of key results
    "kr_feed": Write({"kind": "push", "enabled": "on"}),
    "kr_feed_rotate": Write(),
    "kr_feed_delete": Write(),
    "kr_feed_test": Write({"kind": "push"}),
    "feed_push": Write({"value": "31"}, persona="anonymous", actor="carol"),
    # Chat, calendars, digests, webhooks
    "unit_chat_add": Write(
        {
            "provider": "slack",
            "name": "#growth-news",
            "url": "http://127.0.0.1:9/other",
            "kinds": ["weekly"],
        }
    ),
    "chat_channel_edit": Write({"name": "#growth", "kinds": ["weekly", "at_risk"], "active": "on"}),
    "chat_channel_delete": Write(),
    "chat_channel_test": Write(),
    "unit_calendar_reset": Write(),
    "my_calendar_reset": Write(),
    "digest_send": Write(),
    "digest_unsubscribe": Write(persona="anonymous"),
    "mentions_read": Write(),
    "my_notifications": Write({"email": "on", "time_zone": "Europe/Berlin"}),
    "webhook_new": Write({"name": "Data team", "url": "http://127.0.0.1:9/other", "active": "on"}),
    "webhook_edit": Write({"name": "Hook 2", "url": "http://127.0.0.1:9/hook", "active": "on"}),
    "webhook_delete": Write(),
    "webhook_rotate": Write(),
    "webhook_test": Write(),
    "webhook_redeliver": Write({"delivery": "{delivery}"}, setup=delivery),
    # Reviews
    "reviews": Write(setup=a_review_missing),
    "review": Write({"summary": "A good quarter", "action": "save"}),
    # Import and export
    "transfers": Write({"kind": "export", "format": "json"}),
    "transfer_cancel": Write(),
    "sheet_import": Write({"cycle": "{cycle}", "unit": "{unit}"}, upload=("file", *SHEET)),
    "sheet_import_preview": Write(
        {"action": "import"},
        also=IMPORTED,
        before=(("sheet_import", {"cycle": "{cycle}", "unit": "{unit}", "file": SHEET}),),
    ),
    # Coach checks
    "coach_check": Write({"title": "Improve things"}),
    # API v1
    "api:create_cycle": Write(
        {"name": "Winter sprint", "start": "2027-01-04", "end": "2027-02-14", "kind": "custom"}
    ),
    "api:set_cycle_state": Write({"state": "reviewing"}, also=REVIEWS_OPEN),
    "api:cycle_carry_over": Write(
        {"target": "{next_cycle}", "objectives": [{"code": "{objective}"}]},
        setup=next_quarter,
        also=COPIES_WITH_KEY_RESULTS,
    ),
    "api:create_objective": Write(
        {"cycle": "{cycle}", "unit": "{unit}", "title": "Trial users reach a report in a day"}
    ),
    "api:update_objective": Write({"title": "Customers love onboarding, and say so"}),
    "api:set_objective_state": Write({"state": "closed"}),
    "api:duplicate_objective": Write(
        {"target": "{next_cycle}"}, setup=next_quarter, also=COPIES_WITH_KEY_RESULTS
    ),
    "api:align_objective": Write({"objective": "{parent}"}, setup=company_objective),
    "api:unalign_objective": Write(query="objective={parent}", setup=aligned),
    "api:objective_propose": Write(kwargs={"code": "{draft}"}, setup=draft_objective("draft")),
    "api:objective_approve": Write(kwargs={"code": "{draft}"}, setup=draft_objective("proposed")),
    "api:objective_return": Write(
        {"comment": "Make it measurable"},
        kwargs={"code": "{draft}"},
        setup=draft_objective("proposed"),
        also=RETURNED_WITH_A_COMMENT,
    ),
    "api:objective_activate": Write(kwargs={"code": "{draft}"}, setup=draft_objective("approved")),
    "api:create_objective_kr": Write(
        {
            "title": "Cut time to the first report to 1 day",
            "kind": "decrease",
            "start": 3,
            "target": 1,
            "unit_label": "days",
        }
    ),
    "api:update_key_result": Write({"title": "Raise activation from 20% to 45%", "target": 45}),
    "api:delete_key_result": Write(kwargs={"code": "{fresh_key_result}"}, setup=fresh_key_result),
    "api:create_initiative": Write({"key_result": "{key_result}", "title": "Rewrite the email"}),
    "api:update_initiative": Write({"status": "doing"}),
    "api:create_checkin": Write({"value": 27, "confidence": 7, "note": "Up again"}),
    "api:correct_checkin": Write({"value": 26, "reason": "Typo"}),
    "api:create_comment": Write(
        {"target_kind": "objective", "target": "{objective}", "body": "Nice progress"}
    ),
    "api:delete_comment": Write(persona="bob"),
    "api:toggle_reaction": Write(
        {"target_kind": "objective", "target": "{objective}", "emoji": "👍"}
    ),
    "api:week_item_add": Write({"category": "plans", "text": "Call three customers"}),
    "api:week_item_update": Write({"text": "Bob's plan, revised"}),
    "api:week_item_delete": Write(),
    "api:week_item_move": Write({"category": "problems"}),
    "api:week_item_done": Write(),
    "api:week_item_resolve": Write(kwargs={"code": "{problem}"}, setup=problem),
    "api:week_order": Write({"category": "plans", "codes": ["{item}"]}, persona="bob"),
    "api:update_review": Write({"summary": "A good quarter"}),
    "api:adjust_review_score": Write(
        {"target": "{key_result}", "score": "0.6", "reason": "Harder than it looked"},
        setup=under_review,
    ),
    "api:submit_review": Write(setup=review_ready),
    "api:create_kpi": Write({"name": "Weekly active teams", "unit": "{unit}", "target": 120}),
    "api:add_kpi_value": Write({"value": 38}, also=KPI_HEALTH),
    "api:write_kpi_okr": Write({"cycle": "{next_cycle}"}, setup=next_quarter, also=NEW_OBJECTIVE),
    "api:use_example": Write({"unit": "{unit}", "cycle": "{cycle}"}, also=NEW_OBJECTIVE),
    "api:create_idea": Write({"question": "change", "text": "Pair new teams with a coach"}),
    "api:vote_idea": Write(),
    "api:unvote_idea": Write(setup=voted),
    "api:comment_idea": Write({"body": "Worth a try"}),
    "api:promote_idea": Write({"unit": "{unit}", "cycle": "{cycle}"}, also=NEW_OBJECTIVE),
    "api:set_adoption_shape": Write({"shape": "pilot", "pilot_unit": "{unit}"}),
    "api:check_adoption_step": Write(),
    "api:uncheck_adoption_step": Write(setup=step_done),
    "api:update_adoption_step": Write({"note": "Book the big room"}),
    "api:toggle_kudos": Write({"checkin": "{checkin}"}),
    "api:add_allowed_host": Write({"host": "metrics.internal", "note": "Dashboards"}),
    "api:remove_allowed_host": Write(),
    "api:set_my_notifications": Write({"email": False}),
    "api:set_notification_settings": Write({"digests": True, "digest_hour": 9}),
    "api:set_unit_schedule": Write({"weekday": 3, "hour": 10, "reminders": True}),
    "api:create_webhook": Write({"name": "Data team", "url": "http://127.0.0.1:9/other"}),
    "api:update_webhook": Write({"name": "Hook 2"}),
    "api:delete_webhook": Write(),
    "api:rotate_webhook_secret": Write(),
    "api:test_webhook": Write(),
    "api:redeliver_webhook": Write({"delivery": "{delivery}"}, setup=delivery),
    "api:set_key_result_feed": Write({"kind": "push", "enabled": False}),
    "api:delete_key_result_feed": Write(),
    "api:test_key_result_feed": Write({"kind": "push"}),
    "api:rotate_key_result_feed_token": Write(),
    "api:push_key_result_feed": Write({"value": 31}),
    "api:add_unit_chat": Write(
        {
            "provider": "slack",
            "name": "#growth-news",
            "url": "http://127.0.0.1:9/other",
            "kinds": ["weekly"],
        }
    ),
    "api:update_chat_channel": Write({"name": "#growth-team"}),
    "api:delete_chat_channel": Write(),
    "api:test_chat_channel": Write(),
    "api:reset_my_calendar": Write(),
    "api:reset_unit_calendar": Write(),
    "api:create_subscriber": Write({"email": "board@example.org", "name": "Board"}),
    "api:update_subscriber": Write({"name": "Ivy Board"}),
    "api:delete_subscriber": Write(),
    "api:update_organization": Write({"name": "Acme Corporation"}),
    "api:create_unit": Write({"name": "Platform", "parent": "{unit_parent}", "kind": "team"}),
    "api:update_unit": Write({"name": "Growth and retention"}),
    "api:add_unit_member": Write({"user_id": "{victor_id}"}),
    "api:update_unit_member": Write({"lead": True}),
    "api:remove_unit_member": Write(),
    "api:add_person": Write({"email": "dana@example.com", "name": "Dana"}),
    "api:update_person": Write({"role": "lead"}),
    "api:create_invitation": Write(
        {"email": "dana@example.com", "role": "lead", "units": ["{unit}"]}
    ),
    # The world's pending invitation (to ivan@example.org), named by its code.
    "api:resend_invitation": Write(),
    "api:revoke_invitation": Write(),
    "api:import_sheet": Write(
        {"dry_run": "false", "cycle": "{cycle}", "unit": "{unit}"},
        upload=("file", *SHEET),
        also=IMPORTED,
    ),
    "api:start_export": Write({"format": "json"}),
    "api:cancel_transfer": Write(),
}

READS = "reads or checks, and changes nothing"
SENDS = "sends a test or a copy to the person asking, and changes nothing"
OWN_PREFERENCES = "changes only the sender's own preferences, which nobody else relies on"
MARKED_READ = "marks what the sender has read: a reading, not a change"
REACTION = (
    "a reaction or kudos is applause on something audited already; it changes no objective, "
    "key result, plan or setting"
)
ORDER_ONLY = (
    "puts the items of a week in another order; adding, changing, moving and removing items "
    "are audited"
)
REQUEST_ONLY = (
    "asks for work done later (a sync, a delivery sent again); what that work changes is "
    "audited when it happens"
)
UPLOAD_ONLY = "keeps the uploaded file for its preview; the import itself is audited"

EXEMPT: dict[str, str] = {
    "coach_check": READS,
    "api:check_draft": READS,
    "chat_channel_test": SENDS,
    "api:test_chat_channel": SENDS,
    "webhook_test": SENDS,
    "api:test_webhook": SENDS,
    "kr_feed_test": SENDS,
    "api:test_key_result_feed": SENDS,
    "digest_send": SENDS,
    "my_notifications": OWN_PREFERENCES,
    "my_preferences": OWN_PREFERENCES,
    "api:update_me": OWN_PREFERENCES,
    "api:set_my_notifications": OWN_PREFERENCES,
    "mentions_read": MARKED_READ,
    "reactions": REACTION,
    "api:toggle_reaction": REACTION,
    "kudos_checkin": REACTION,
    "kudos_item": REACTION,
    "api:toggle_kudos": REACTION,
    "week_item_shift": ORDER_ONLY,
    "week_reorder": ORDER_ONLY,
    "api:week_order": ORDER_ONLY,
    "kr_feed_sync": REQUEST_ONLY,
    "api:sync_key_result_feed": REQUEST_ONLY,
    "webhook_redeliver": REQUEST_ONLY,
    "api:redeliver_webhook": REQUEST_ONLY,
    "sheet_import": UPLOAD_ONLY,
}
"""Routes that leave no event, each with the reason. Those with a request in `WRITES` are
sent it, and must indeed write nothing."""

SITE_LEVEL: dict[str, str] = {}
"""Routes whose one event belongs to no organization, with the reason."""

SANDBOX = (
    "builds or removes the sender's sandbox organization: its own history is written there, "
    "and the removal of the old one is recorded at site level"
)
OTHER_ORGANIZATIONS: dict[str, str] = {
    "sandbox_open": SANDBOX,
    "sandbox_reset": SANDBOX,
    "sandbox_delete": SANDBOX,
}
"""Routes that also write the history of another organization they build or remove."""
