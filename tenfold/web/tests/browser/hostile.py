"""An organization whose every text a person can write is a script or HTML payload, for the
browser sweep in `test_hostile_input_journey`.

Two steps. First the organization is built through the services, with payloads wherever a
service takes text (so audit events, mentions and other copies carry them as real use would).
Then every CharField and TextField of every model that belongs to the organization is walked
(`apps.get_models()`), and each one that does not hold a payload yet gets one, written past
validation as data that arrived some other way might be. Fields that hold codes, choices,
slugs, email addresses, secrets or machine keys are left alone, so a new text field is covered
without anyone listing it here.

Every payload carries a marker attribute with a number of its own (`data-xss="17"`): an element
with that attribute in a page is an injection, and the marker read back as text is a payload
that was shown inert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from tenfold.accounts.models import User
from tenfold.accounts.services import api_token_create
from tenfold.adoption.models import ChecklistItem
from tenfold.adoption.services import checklist_ensure
from tenfold.adoption.services import item_add as step_add
from tenfold.calendars.selectors import unit_token
from tenfold.chat.services import channel_create
from tenfold.checkins.services import checkin_record
from tenfold.checkins.weekly import categories_update, item_add
from tenfold.digests.emails import unsubscribe_token
from tenfold.digests.services import subscriber_add
from tenfold.feeds.services import source_set
from tenfold.ideas.services import comment_add as idea_comment_add
from tenfold.ideas.services import idea_add, vote_add
from tenfold.integrations.services import allowed_host_add
from tenfold.kpis.services import kpi_create, kpi_record_value
from tenfold.mailin.models import InboundMessage
from tenfold.notifications.models import Delivery
from tenfold.okrs.models import Cycle, CycleKind, CycleState, KeyResult, Objective
from tenfold.okrs.services import (
    alignment_link,
    cycle_create,
    cycle_set_state,
    initiative_create,
    key_result_create,
    objective_create,
)
from tenfold.organizations.models import Membership, Organization, Role, Unit, UnitKind
from tenfold.organizations.permissions import Access, access_for
from tenfold.organizations.services import (
    membership_update,
    organization_create,
    person_add,
    unit_create,
)
from tenfold.reviews.models import Review, ReviewScore
from tenfold.reviews.questions import questions_for
from tenfold.reviews.services import review_update, reviews_open, score_adjust
from tenfold.sheets import importing
from tenfold.sheets.exporting import COLUMNS
from tenfold.social.services import comment_add, reaction_toggle
from tenfold.transfers.models import Transfer
from tenfold.webhooks.models import WebhookDelivery
from tenfold.webhooks.services import webhook_create

MARKER = "data-xss"
SEEN = re.compile(r'data-xss="?(\d+)', re.IGNORECASE)
"""Finds the numbers of the payloads whose marker is read back as text."""

VARIANTS = (
    '<script data-xss="{n}">window.__xss={n}</script>',
    '"><img data-xss="{n}" src=x onerror="window.__xss={n}">',
    '\'><svg data-xss="{n}" onload="window.__xss={n}">',
    '</textarea></title><b data-xss="{n}">breaker</b>',
    'tpl{n}={{{{7*7}}}} <i data-xss="{n}">',
    '<img data-xss="{n}" src=x onerror=alert({n})>',
    '</script><b data-xss="{n}">',
    '<a data-xss="{n}" href="javascript:window.__xss={n}">link</a>',
    '<iframe data-xss="{n}" srcdoc="<script>parent.__xss={n}</script>"></iframe>',
)
SHORT = "<b data-xss={n}>"
"""For fields too short for the others (a measure unit, a category name)."""
LINK = 'javascript:window.__xss={n}//"><b data-xss="{n}">'
"""For fields that hold an address: a page that makes a link of it must not run it."""
EVALUATED = re.compile(r"tpl(\d+)=49")
"""A payload whose `{{7*7}}` some template engine evaluated."""

# What the walk leaves alone: codes, secrets, machine keys and values the code parses.
SKIPPED_FIELDS = frozenset(
    {
        "code",
        "password",
        "language",
        "time_zone",
        "currency",
        "prefix",
        "digest",
        "token_prefix",
        "token_digest",
        "secret",
        "previous_secret",
        "key",
        "category",  # a weekly item's category key (the names are payloads, in the settings)
        "period",
        "reason",  # an inbound message's refusal code
        "last_status",
        "owed",
        "email_domain",
        "event_id",
        "event_type",
    }
)
SKIPPED_MODELS = frozenset(
    {
        # Append-only: its texts are copies the services wrote from texts that are payloads.
        "audit.AuditEvent",
    }
)
LINK_FIELDS = frozenset({"url", "webhook_url"})


@dataclass
class Payloads:
    """Every payload handed out, by number, with the field it went into."""

    where: dict[int, str] = field(default_factory=dict)

    def make(self, where: str, limit: int = 5000, *, link: bool = False) -> str:
        """A new payload that fits in `limit` characters ("" when none does)."""
        n = len(self.where) + 1
        if link:
            candidates = [LINK]
        else:
            candidates = [v for v in VARIANTS if len(v.format(n=n)) <= limit]
            candidates = candidates or [SHORT]
        text = candidates[n % len(candidates)].format(n=n)
        if len(text) > limit:
            return ""
        self.where[n] = where
        return text

    def __call__(self, where: str, limit: int = 5000) -> str:
        return self.make(where, limit)


@dataclass
class World:
    """The built organizations and the codes the pages are reached with."""

    org: Organization
    imported: Organization
    payloads: Payloads
    codes: dict[str, str]
    imported_codes: dict[str, str]
    walked: int
    """Text fields the walk gave a payload (beside those the services wrote)."""


def _access(org: Organization, user: Any) -> Access:
    return access_for(
        Membership.objects.select_related("organization", "user").get(organization=org, user=user)
    )


def build(alice: User, bob: User, carol: User, victor: User) -> World:
    """Alice's organization full of payloads, and a second one imported from a spreadsheet
    whose cells are payloads."""
    p = Payloads()
    org = organization_create(name=p("organization name", 120), slug="xss", owner=alice)
    company = Unit.objects.get(organization=org, parent__isnull=True)
    dept = unit_create(
        organization=org, name=p("unit", 120), parent=company, kind=UnitKind.DEPARTMENT, by=alice
    )
    team = unit_create(organization=org, name=p("unit", 120), parent=dept, by=alice)
    person_add(organization=org, email=bob.email, units=[team], by=alice)
    person_add(organization=org, email=carol.email, role=Role.LEAD, lead_of=[team], by=alice)
    person_add(organization=org, email=victor.email, role=Role.VIEWER, by=alice)
    for user in (alice, bob, carol):
        membership_update(
            membership=Membership.objects.get(organization=org, user=user),
            title=p("person title", 120),
            by=alice,
        )
    categories_update(
        organization=org,
        by=alice,
        names={name: p(f"category name {name}", 40) for name in ("plans", "progress", "problems")},
        extras=[("", p("extra category", 40))],
    )

    past = cycle_create(
        organization=org,
        name=p("cycle name", 60),
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )
    cycle = cycle_create(
        organization=org,
        name=p("cycle name", 60),
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )
    objectives = _okrs(org, past, cycle, company, team, alice, bob, carol, p)
    objective, key_result = objectives["objective"], objectives["key_result"]
    comment = _talk(org, objective, key_result, alice, bob, carol, p)
    item = _weeks(org, key_result, alice, bob, p)
    review = _review(org, past, team, carol, p)
    extras = _settings_and_more(org, team, key_result, alice, bob, carol, p)

    walked = fill_every_text(org, p)
    imported, imported_codes = _imported(alice, p)
    codes = {
        "org": org.slug,
        "unit": team.code,
        "objective": objective.code,
        "key_result": key_result.code,
        "initiative": objectives["initiative"].code,
        "cycle": cycle.code,
        "past_cycle": past.code,
        "checkin": objectives["checkin"].code,
        "review": review.code,
        "comment": comment,
        "item": item,
        "user_id": str(bob.pk),
        **extras,
    }
    return World(
        org=org,
        imported=imported,
        payloads=p,
        codes=codes,
        imported_codes=imported_codes,
        walked=walked,
    )


def _okrs(
    org: Organization,
    past: Cycle,
    cycle: Cycle,
    company: Unit,
    team: Unit,
    alice: User,
    bob: User,
    carol: User,
    p: Payloads,
) -> dict[str, Any]:
    """Objectives of the company and the team in both cycles, aligned, with key results,
    check-ins with notes and initiatives."""
    made: dict[str, Any] = {}
    for which, the_cycle in (("past", past), ("now", cycle)):
        top = objective_create(
            organization=org,
            cycle=the_cycle,
            unit=company,
            title=p("objective title", 200),
            description=p("objective description"),
            lead=alice,
            state="active",
            by=alice,
        )
        objective = objective_create(
            organization=org,
            cycle=the_cycle,
            unit=team,
            title=p("objective title", 200),
            description=p("objective description"),
            lead=carol,
            state="active",
            by=carol,
        )
        top_kr = key_result_create(
            objective=top,
            title=p("key result title", 200),
            description=p("key result description"),
            kind="increase",
            start=Decimal(0),
            target=Decimal(100),
            unit_label=p("key result unit label", 30),
            owner=alice,
            by=alice,
        )
        alignment_link(child=objective, parent_key_result=top_kr, by=carol)
        key_result = key_result_create(
            objective=objective,
            title=p("key result title", 200),
            description=p("key result description"),
            kind="increase",
            start=Decimal(20),
            target=Decimal(40),
            unit_label=p("key result unit label", 30),
            owner=bob,
            by=carol,
        )
        for day, value in ((the_cycle.start + dt.timedelta(days=20), 24), (None, 31)):
            measured = (
                dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) if day is not None else None
            )
            made["checkin"] = checkin_record(
                key_result=key_result,
                value=Decimal(value),
                confidence=6,
                note=p("check-in note"),
                measured_at=measured,
                by=bob,
            )
        checkin_record(key_result=top_kr, value=Decimal(40), note=p("check-in note"), by=alice)
        made["initiative"] = initiative_create(
            key_result=key_result, title=p("initiative title", 200), owner=bob, by=carol
        )
        if which == "now":
            made["objective"], made["key_result"] = objective, key_result
    return made


def _talk(
    org: Organization,
    objective: Objective,
    key_result: KeyResult,
    alice: User,
    bob: User,
    carol: User,
    p: Payloads,
) -> str:
    """Comments with @mentions (the mention is rendered as HTML by the server) and
    reactions; returns the code of one of bob's comments."""
    bob_access = _access(org, bob)
    codes = []
    for target in (objective, key_result):
        comment = comment_add(
            access=bob_access,
            target=target,
            body=f"@alice @carol {p('comment body')}\nsecond line @bob",
        )
        codes.append(comment.code)
        comment_add(access=_access(org, carol), target=target, body=p("comment body"))
        reaction_toggle(access=bob_access, target=target, emoji="👍")
    return codes[0]


def _weeks(org: Organization, key_result: KeyResult, alice: User, bob: User, p: Payloads) -> str:
    """Plans, progress and problems of this week for alice and bob, one linked to the key
    result; returns the code of one of alice's items."""
    codes = []
    for user in (alice, bob):
        access = _access(org, user)
        for category in ("plans", "progress", "problems"):
            item = item_add(
                access=access, category=category, text=p(f"weekly item {category}", 500)
            )
            codes.append(item.code)
        item_add(
            access=access,
            category="plans",
            text=p("weekly item linked", 500),
            link=key_result.code,
        )
    return codes[0]


def _review(org: Organization, past: Cycle, team: Unit, carol: User, p: Payloads) -> Review:
    """The past cycle moved to reviewing, the team's review written: summary, report,
    learnings, every question answered and a score adjusted with a reason."""
    cycle_set_state(cycle=past, state=CycleState.REVIEWING, by=carol)
    reviews_open(cycle=past, by=carol)
    review = Review.objects.get(cycle=past, unit=team)
    access = _access(org, carol)
    review_update(
        access=access,
        review=review,
        answers={q.id: p(f"review answer {q.id}") for q in questions_for(company=False)},
        summary=p("review summary", 1500),
        report=p("review report"),
        learn_stop=p("review learning", 3000),
        learn_start=p("review learning", 3000),
        learn_continue=p("review learning", 3000),
    )
    score = ReviewScore.objects.filter(review=review).first()
    assert score is not None
    score_adjust(access=access, score=score, value="0.5", reason=p("review score reason", 500))
    return review


def _settings_and_more(
    org: Organization,
    team: Unit,
    key_result: KeyResult,
    alice: User,
    bob: User,
    carol: User,
    p: Payloads,
) -> dict[str, str]:
    """KPIs, ideas, the adoption checklist, integrations, subscribers, tokens and the logs
    that show text from outside (deliveries, inbound mail, transfers). Returns their codes.
    Addresses point at a closed loopback port: nothing is sent anywhere."""
    kpi = kpi_create(
        organization=org,
        unit=team,
        name=p("kpi name", 120),
        description=p("kpi description"),
        unit_label=p("kpi unit label", 30),
        target="40",
        by=carol,
    )
    kpi_record_value(kpi=kpi, value="38", note=p("kpi value note", 500), by=carol)
    bob_access = _access(org, bob)
    idea = idea_add(
        access=bob_access, question="change", text=p("idea text"), details=p("idea details")
    )
    vote_add(access=_access(org, carol), idea=idea)
    # Single sign-on (its domains are text an admin writes) and an invitation waiting.
    from tenfold.accounts.sso import sso_configure
    from tenfold.organizations.services import invitation_create

    sso_configure(
        organization=org,
        issuer="https://id.example.org",
        client_id="tenfold",
        client_secret="not-a-real-secret",
        domains="hostile.example.org",
        enabled=False,
        by=alice,
    )
    invitation_create(organization=org, email="invitee@example.org", by=alice)
    idea_comment = idea_comment_add(access=bob_access, idea=idea, body=p("idea comment"))
    checklist_ensure(organization=org, by=alice)
    step_add(organization=org, title=p("checklist title", 200), note=p("checklist note"), by=alice)
    step = ChecklistItem.objects.filter(organization=org).order_by("id").first()
    assert step is not None
    host = allowed_host_add(
        organization=org, host="db.internal", note=p("host note", 200), by=alice
    )
    hook = webhook_create(
        organization=org, name=p("webhook name", 100), url="http://127.0.0.1:9/hook", by=alice
    )
    WebhookDelivery.objects.create(
        organization=org, webhook=hook, event_id="e1", event_type="checkin.recorded"
    )
    channel = channel_create(
        access=_access(org, carol),
        unit=team,
        provider="slack",
        name=p("chat channel name", 80),
        url="http://127.0.0.1:9/hook",
    )
    _feed, feed_token = source_set(access=_access(org, carol), key_result=key_result, kind="push")
    subscriber = subscriber_add(
        access=_access(org, alice), email="ivy@example.org", name=p("subscriber name", 120)
    )
    api_token_create(user=alice, organization=org, name=p("token name", 80), by=alice)
    Delivery.objects.create(
        organization=org, user=alice, recipient="alice", channel="email", kind="weekly", period="w1"
    )
    InboundMessage.objects.create(organization=org, user=bob, status="rejected", reason="invalid")
    transfer = Transfer.objects.create(
        organization=org, kind="export", format="json", created_by=alice
    )
    return {
        "kpi": kpi.code,
        "idea": idea.code,
        "idea_comment": idea_comment.code,
        "step": step.code,
        "host_id": str(host.pk),
        "webhook": hook.code,
        "chat_channel": channel.code,
        "feed_token": feed_token or "",
        "subscriber": subscriber.code,
        "unsubscribe_token": unsubscribe_token(subscriber),
        "calendar_token": unit_token(org, team),
        "transfer": transfer.code,
        "example": "sales-faster-deals",
    }


# --- the walk ---------------------------------------------------------------------------------


def _writable_text(model_field: models.Field[Any, Any]) -> bool:
    """A text field a person (or a system outside) can put words into."""
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not isinstance(model_field, models.SlugField | models.EmailField)
        and not model_field.choices
        and model_field.editable
        and not model_field.primary_key
        and model_field.name not in SKIPPED_FIELDS
    )


def _path_to_organization(model: type[models.Model], depth: int = 3) -> str | None:
    """The lookup from `model` to its organization, through at most `depth` foreign keys."""
    if model is Organization:
        return "pk"
    if depth == 0:
        return None
    for model_field in model._meta.concrete_fields:
        related = model_field.related_model
        if not model_field.is_relation or not isinstance(related, type):
            continue
        if related is Organization:
            return model_field.name
        if related is User:
            continue
        inner = _path_to_organization(related, depth - 1)
        if inner is not None and inner != "pk":
            return f"{model_field.name}__{inner}"
    return None


def _rows_of(model: type[models.Model], org: Organization) -> models.QuerySet[Any] | None:
    if model is User:
        return User.objects.filter(memberships__organization=org)
    path = _path_to_organization(model)
    if path is None:
        return None
    return model._default_manager.filter(**{path: org.pk})


def tenant_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if model.__module__.startswith("tenfold.") and model._meta.label not in SKIPPED_MODELS:
            yield model


def fill_every_text(org: Organization, p: Payloads) -> int:
    """Give every writable text field of every row of `org` a payload where it holds none;
    return how many it filled. A model of the organization with text fields but no row here
    fails the build: its pages would go unchecked."""
    filled = 0
    empty: list[str] = []
    for model in tenant_models():
        fields = [f for f in model._meta.concrete_fields if _writable_text(f)]
        rows = _rows_of(model, org) if fields else None
        if rows is None:
            continue
        label = model._meta.label
        if not rows.exists():
            empty.append(label)
        for pk, *values in rows.values_list("pk", *[f.attname for f in fields]):
            changes: dict[str, str] = {}
            for model_field, value in zip(fields, values, strict=True):
                if value and MARKER in str(value):
                    continue
                text = p.make(
                    f"{label}.{model_field.name}",
                    model_field.max_length or 5000,
                    link=model_field.name in LINK_FIELDS,
                )
                if text:
                    changes[model_field.name] = text
            if changes:
                model._default_manager.filter(pk=pk).update(**changes)
                filled += len(changes)
    assert not empty, f"make a row of {', '.join(empty)} in hostile.build()"
    return filled


# --- the spreadsheet ---------------------------------------------------------------------------


def _imported(alice: User, p: Payloads) -> tuple[Organization, dict[str, str]]:
    """A second organization whose OKRs come from a CSV file with a payload in every text
    cell (its cycle and unit, named by payloads, are made first: the importer finds them by
    name)."""
    org = organization_create(
        name=p("imported organization name", 120), slug="xss-sheet", owner=alice
    )
    company = Unit.objects.get(organization=org, parent__isnull=True)
    team = unit_create(organization=org, name=p("imported unit", 120), parent=company, by=alice)
    cycle = cycle_create(
        organization=org,
        name=p("imported cycle", 60),
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 12, 31),
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
        by=alice,
    )

    def cell(where: str, limit: int = 5000) -> str:
        return p(f"spreadsheet cell {where}", limit)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    objective_cells = (cell("objective", 200), cell("objective description"))
    for _ in range(2):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "Cycle": cycle.name,
                "Unit": team.name,
                "Objective": objective_cells[0],
                "Objective description": objective_cells[1],
                "Objective owner": alice.email,
                "Key result": cell("key result", 200),
                "Kind": "increase",
                "Start": "0",
                "Target": "10",
                "Current": "4",
                "Measure unit": cell("measure unit", 30),
                "Key result owner": alice.email,
                "Key result notes": cell("key result notes"),
            }
        )
        writer.writerow([row[name] for name in COLUMNS])
    preview = importing.preview(org, out.getvalue().encode(), "hostile.csv", by=alice)
    assert not preview.problems, [str(problem) for problem in preview.problems]
    (objective,) = importing.apply(preview, alice)
    key_result = objective.key_results.order_by("order").first()
    assert key_result is not None
    return org, {
        "org": org.slug,
        "unit": team.code,
        "objective": objective.code,
        "key_result": key_result.code,
    }
