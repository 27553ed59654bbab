"""What the interchange format holds, section by section, in one table.

The exporter, the importer and the published JSON Schema all read this table, so the three
cannot drift apart: a column added here is exported, imported and described at once. Types,
lengths, choices and number ranges come from the model fields themselves.

Rows are identified by their public `code` where the model has one, and people by their email
address; database primary keys never appear in a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from tenfold.accounts.models import User
from tenfold.adoption.models import ChecklistItem, Programme
from tenfold.audit.models import AuditEvent
from tenfold.checkins.models import CheckIn, WeeklyItem, WeeklyReport
from tenfold.digests.models import Subscriber
from tenfold.habits.models import Kudos
from tenfold.ideas.models import Idea, IdeaComment, IdeaVote
from tenfold.kpis.models import Kpi, KpiValue
from tenfold.notifications.models import OrgSettings, Preference, Schedule
from tenfold.okrs.models import Alignment, Cycle, Initiative, KeyResult, Objective
from tenfold.organizations.models import Membership, Organization, Unit, UnitMember
from tenfold.reviews.models import Review, ReviewScore
from tenfold.social.models import Comment, Mention, Reaction

FORMAT = "tenfold"
FORMAT_VERSION = 1

PEOPLE = "people"


@dataclass(frozen=True)
class Col:
    """One JSON key, stored in the model field `field`. With `ref`, the value is the code of
    a row of that section (or the email of a person, for `ref=PEOPLE`)."""

    key: str
    field: str = ""
    ref: str | None = None
    schema: dict[str, Any] | None = None
    doc: str = ""

    @property
    def name(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Target:
    """A reference that may point at rows of several sections: `<key>_type` names the kind
    and `<key>` holds the code. Each kind is stored in its own nullable foreign key."""

    key: str
    kinds: dict[str, tuple[str, str]]  # kind → (model field, section)
    doc: str = ""

    @property
    def type_key(self) -> str:
        return f"{self.key}_type"


Column = Col | Target


@dataclass(frozen=True)
class Section:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("code",)
    """The JSON keys that identify a row: unique within the section, and its sort order."""
    single: bool = False
    """One object (or null) rather than a list."""
    parent: str | None = None
    """The JSON key of a reference to a row of the same section (a tree or a chain)."""
    scope: str = "organization"
    """The lookup from the model to its organization."""
    keep_order: bool = False
    """Rows are sorted by `key` and then kept in the order they were made (the audit log,
    whose rows have no identity of their own)."""
    doc: str = ""
    fixed: dict[str, str] = field(default_factory=dict)
    """Foreign keys the importer fills in itself (model field → what)."""

    @property
    def has_code(self) -> bool:
        return self.key == ("code",)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


STRINGS = {"type": "array", "items": {"type": "string", "maxLength": 60}}

SECTIONS: tuple[Section, ...] = (
    Section(
        "organization",
        Organization,
        (
            Col("code"),
            Col("slug"),
            Col("name"),
            Col("fiscal_year_start_month"),
            Col("cycle_length"),
            Col("week_start"),
            Col("checkin_weekday"),
            Col("checkin_hour"),
            Col("time_zone"),
            Col("language"),
            Col("at_risk_gap"),
            Col("off_track_gap"),
            Col("stale_days"),
            Col("approval_required"),
            Col(
                "ppp_names",
                schema={"type": "object", "additionalProperties": {"type": "string"}},
            ),
            Col("extra_categories", schema={"type": "array"}),
            Col("leaderboards_enabled"),
            Col("rollout"),
            Col("created_at"),
        ),
        single=True,
        scope="",
        doc="The organization and its settings.",
    ),
    Section(
        PEOPLE,
        User,
        (Col("email"), Col("name"), Col("language"), Col("time_zone")),
        key=("email",),
        scope="",
        doc="Everyone the file mentions: members, and former members who wrote something.",
    ),
    Section(
        "memberships",
        Membership,
        (Col("person", "user", ref=PEOPLE), Col("role"), Col("title"), Col("created_at")),
        key=("person",),
        doc="Who belongs to the organization, with their organization-wide role.",
    ),
    Section(
        "units",
        Unit,
        (
            Col("code"),
            Col("name"),
            Col("kind"),
            Col("parent", ref="units"),
            Col("order"),
        ),
        parent="parent",
        doc="The organization tree: one company unit at the root, departments, teams.",
    ),
    Section(
        "unit_members",
        UnitMember,
        (Col("unit", ref="units"), Col("person", "user", ref=PEOPLE), Col("is_lead")),
        key=("unit", "person"),
        doc="People in units; leads manage the unit's OKRs.",
    ),
    Section(
        "unit_schedules",
        Schedule,
        (
            Col("unit", ref="units"),
            Col("checkin_weekday"),
            Col("checkin_hour"),
            Col("time_zone"),
            Col("reminders"),
        ),
        key=("unit",),
        doc="A unit's own check-in day, hour and time zone for reminders.",
    ),
    Section(
        "cycles",
        Cycle,
        (
            Col("code"),
            Col("name"),
            Col("kind"),
            Col("start"),
            Col("end"),
            Col("parent", ref="cycles"),
            Col("state"),
        ),
        parent="parent",
        doc="OKR cycles; a year may contain quarters.",
    ),
    Section(
        "kpis",
        Kpi,
        (
            Col("code"),
            Col("unit", ref="units"),
            Col("name"),
            Col("description"),
            Col("unit_label"),
            Col("value_format"),
            Col("currency"),
            Col("decimals"),
            Col("direction"),
            Col("target"),
            Col("target_high"),
            Col("owner", ref=PEOPLE),
            Col("active"),
            Col("current"),
            Col("current_at"),
            Col("version"),
            Col("created_at"),
            Col("updated_at"),
        ),
        doc="Health metrics of business as usual.",
    ),
    Section(
        "kpi_values",
        KpiValue,
        (
            Col("code"),
            Col("kpi", ref="kpis"),
            Col("value"),
            Col("measured_at"),
            Col("note"),
            Col("author", ref=PEOPLE),
            Col("created_at"),
        ),
        doc="Every recorded value of every KPI.",
    ),
    Section(
        "objectives",
        Objective,
        (
            Col("code"),
            Col("cycle", ref="cycles"),
            Col("unit", ref="units"),
            Col("owner_person", ref=PEOPLE),
            Col("level"),
            Col("type"),
            Col("state"),
            Col("visibility"),
            Col("title"),
            Col("description"),
            Col("lead", ref=PEOPLE),
            Col("order"),
            Col("carried_from", ref="objectives"),
            Col("kpi", ref="kpis"),
            Col("progress"),
            Col("version"),
            Col("created_by", ref=PEOPLE),
            Col("created_at"),
            Col("updated_at"),
        ),
        parent="carried_from",
        doc="Objectives with their stored progress and version.",
    ),
    Section(
        "key_results",
        KeyResult,
        (
            Col("code"),
            Col("objective", ref="objectives"),
            Col("title"),
            Col("description"),
            Col("kind"),
            Col("start"),
            Col("target"),
            Col("current"),
            Col("unit_label"),
            Col("value_format"),
            Col("currency"),
            Col("decimals"),
            Col("weight"),
            Col("owner", ref=PEOPLE),
            Col("aspirational"),
            Col("order"),
            Col("data_source"),
            Col("carried_from", ref="key_results"),
            Col("progress"),
            Col("progress_raw"),
            Col("last_checkin_at"),
            Col("last_confidence"),
            Col("version"),
            Col("created_at"),
            Col("updated_at"),
        ),
        parent="carried_from",
        doc="Key results with their stored progress, last check-in and version.",
    ),
    Section(
        "alignments",
        Alignment,
        (
            Col("child", ref="objectives"),
            Target(
                "parent",
                {
                    "objective": ("parent_objective", "objectives"),
                    "key_result": ("parent_key_result", "key_results"),
                },
            ),
            Col("weight"),
            Col("created_at"),
        ),
        key=("child", "parent_type", "parent"),
        doc="A child objective contributes to a parent objective or key result, with a weight.",
    ),
    Section(
        "initiatives",
        Initiative,
        (
            Col("code"),
            Col("objective", ref="objectives"),
            Col("key_result", ref="key_results"),
            Col("title"),
            Col("owner", ref=PEOPLE),
            Col("status"),
            Col("due"),
            Col("created_at"),
        ),
        doc="Work under a key result or an objective.",
    ),
    Section(
        "checkins",
        CheckIn,
        (
            Col("code"),
            Col("key_result", ref="key_results"),
            Col("value"),
            Col("confidence"),
            Col("note"),
            Col("author", ref=PEOPLE),
            Col("source"),
            Col("measured_at"),
            Col("created_at"),
            Col("supersedes", ref="checkins"),
            Col("edit_reason"),
        ),
        parent="supersedes",
        doc="The full check-in history, corrections included.",
    ),
    Section(
        "weekly_reports",
        WeeklyReport,
        (
            Col("code"),
            Col("person", ref=PEOPLE),
            Col("week"),
            Col("carried_in_at"),
            Col("created_at"),
            Col("updated_at"),
        ),
        doc="One person's week.",
    ),
    Section(
        "weekly_items",
        WeeklyItem,
        (
            Col("code"),
            Col("report", ref="weekly_reports"),
            Col("category"),
            Col("text"),
            Col("position"),
            Col("objective", ref="objectives"),
            Col("key_result", ref="key_results"),
            Col("carried_from", ref="weekly_items"),
            Col("done_at"),
            Col("resolved_at"),
            Col("added_by", ref=PEOPLE),
            Col("source"),
            Col("created_at"),
            Col("updated_at"),
        ),
        parent="carried_from",
        doc="The lines of weekly reports: plans, progress, problems and custom categories.",
    ),
    Section(
        "comments",
        Comment,
        (
            Col("code"),
            Col("author", ref=PEOPLE),
            Col("body"),
            Col("source"),
            Target(
                "target",
                {
                    "objective": ("objective", "objectives"),
                    "key_result": ("key_result", "key_results"),
                    "checkin": ("checkin", "checkins"),
                    "weekly_item": ("weekly_item", "weekly_items"),
                },
            ),
            Col("created_at"),
            Col("edited_at"),
            Col("deleted_at"),
        ),
        doc="Comments, deleted ones included (they stay for the audit trail).",
    ),
    Section(
        "reactions",
        Reaction,
        (
            Target(
                "target",
                {
                    "objective": ("objective", "objectives"),
                    "key_result": ("key_result", "key_results"),
                    "checkin": ("checkin", "checkins"),
                    "weekly_item": ("weekly_item", "weekly_items"),
                    "comment": ("comment", "comments"),
                },
            ),
            Col("person", "user", ref=PEOPLE),
            Col("emoji"),
            Col("created_at"),
        ),
        key=("target_type", "target", "person", "emoji"),
        doc="Emoji reactions.",
    ),
    Section(
        "mentions",
        Mention,
        (
            Col("comment", ref="comments"),
            Col("person", "user", ref=PEOPLE),
            Col("read_at"),
            Col("created_at"),
        ),
        key=("comment", "person"),
        doc="People named in comments, and when they read it.",
    ),
    Section(
        "kudos",
        Kudos,
        (
            Target(
                "target",
                {
                    "checkin": ("checkin", "checkins"),
                    "weekly_item": ("weekly_item", "weekly_items"),
                },
            ),
            Col("giver", ref=PEOPLE),
            Col("created_at"),
        ),
        key=("target_type", "target", "giver"),
        doc="Kudos on check-ins and weekly items.",
    ),
    Section(
        "reviews",
        Review,
        (
            Col("code"),
            Col("cycle", ref="cycles"),
            Col("unit", ref="units"),
            Col("state"),
            Col("summary"),
            Col("report"),
            Col("learn_stop"),
            Col("learn_start"),
            Col("learn_continue"),
            Col("answers", schema={"type": "object"}),
            Col("submitted_at"),
            Col("submitted_by", ref=PEOPLE),
            Col("created_at"),
            Col("updated_at"),
        ),
        doc="End-of-cycle reviews of units (no unit: the company review).",
    ),
    Section(
        "review_scores",
        ReviewScore,
        (
            Col("review", ref="reviews"),
            Target(
                "target",
                {
                    "objective": ("objective", "objectives"),
                    "key_result": ("key_result", "key_results"),
                },
            ),
            Col("proposed"),
            Col("adjusted"),
            Col("reason"),
            Col("adjusted_by", ref=PEOPLE),
            Col("adjusted_at"),
        ),
        key=("review", "target_type", "target"),
        scope="review__organization",
        doc="Proposed and adjusted scores of objectives and key results.",
    ),
    Section(
        "ideas",
        Idea,
        (
            Col("code"),
            Col("question"),
            Col("text"),
            Col("details"),
            Col("author", ref=PEOPLE),
            Col("unit", ref="units"),
            Col("cycle", ref="cycles"),
            Col("status"),
            Col("promoted_to", ref="objectives"),
            Col("vote_count"),
            Col("version"),
            Col("created_at"),
            Col("updated_at"),
        ),
        doc="The ideas board.",
    ),
    Section(
        "idea_votes",
        IdeaVote,
        (Col("idea", ref="ideas"), Col("person", "user", ref=PEOPLE), Col("created_at")),
        key=("idea", "person"),
        doc="Upvotes of ideas.",
    ),
    Section(
        "idea_comments",
        IdeaComment,
        (
            Col("code"),
            Col("idea", ref="ideas"),
            Col("author", ref=PEOPLE),
            Col("body"),
            Col("created_at"),
            Col("edited_at"),
        ),
        doc="Comments on ideas.",
    ),
    Section(
        "audit_events",
        AuditEvent,
        (
            Col("actor", ref=PEOPLE),
            Col("verb"),
            Col("object_type"),
            Col("object_code"),
            Col("object_repr"),
            Col("objective_code"),
            Col("changes", schema={"type": ["object", "array"]}),
            Col("created_at"),
        ),
        key=("created_at",),
        keep_order=True,
        doc="The audit log, oldest first.",
    ),
    Section(
        "adoption",
        Programme,
        (
            Col("pilot_unit", ref="units"),
            Col("started_at"),
            Col("first_cycle_defaults"),
            Col("first_cycle", ref="cycles"),
            Col("checklist_created_at"),
            Col("created_at"),
            Col("updated_at"),
        ),
        key=(),
        single=True,
        doc="The adoption programme, when the organization has one.",
    ),
    Section(
        "adoption_checklist",
        ChecklistItem,
        (
            Col("code"),
            Col("key"),
            Col("title"),
            Col("owner", ref=PEOPLE),
            Col("due"),
            Col("note"),
            Col("position"),
            Col("done_at"),
            Col("done_by", ref=PEOPLE),
            Col("version"),
            Col("created_at"),
            Col("updated_at"),
        ),
        fixed={"programme": "adoption"},
        doc="The steps of the adoption programme's implementation checklist.",
    ),
    Section(
        "notification_settings",
        OrgSettings,
        (
            Col("weekly_reminders"),
            Col("stale_nudges"),
            Col("review_reminder_days"),
            Col("digests"),
            Col("digest_weekday"),
            Col("digest_hour"),
            Col("updated_at"),
        ),
        key=(),
        single=True,
        doc="What the organization sends and when.",
    ),
    Section(
        "notification_preferences",
        Preference,
        (
            Col("person", "user", ref=PEOPLE),
            Col("email"),
            Col("muted_until"),
            Col("kinds_off", schema=STRINGS),
            Col("updated_at"),
        ),
        key=("person",),
        doc="How each person wants to be reached.",
    ),
    Section(
        "digest_subscribers",
        Subscriber,
        (
            Col("code"),
            Col("email"),
            Col("name"),
            Col("unit", ref="units"),
            Col("sections", schema=STRINGS),
            Col("include_names"),
            Col("active"),
            Col("unsubscribed_at"),
            Col("created_by", ref=PEOPLE),
            Col("created_at"),
            Col("updated_at"),
        ),
        doc="People outside the organization who receive a weekly digest.",
    ),
)

BY_NAME = {section.name: section for section in SECTIONS}


def model_field(section: Section, name: str) -> models.Field[Any, Any]:
    return section.model._meta.get_field(name)  # type: ignore[return-value]


LEFT_OUT = (
    "passwords and sign-in methods",
    "API tokens",
    "outgoing webhooks and their secrets, and their delivery log",
    "chat channels (their incoming-webhook addresses are secrets)",
    "calendar feed keys",
    "key-result data feeds (push tokens, pull addresses and credentials)",
    "allowed private hosts",
    "sent notifications, digest runs, chat alert state and received emails (operational logs)",
    "sandboxes",
    "invitations waiting for an answer",
    "single sign-on settings (they hold the identity provider's client secret)",
)
"""What an export leaves out, for the documentation."""

LEFT_OUT_MODELS = frozenset(
    {
        "accounts.ApiToken",
        "webhooks.Webhook",
        "webhooks.WebhookDelivery",
        "chat.ChatChannel",
        "chat.AlertState",
        "calendars.CalendarKey",
        "feeds.DataSource",
        "integrations.AllowedHost",
        "notifications.Delivery",
        "notifications.Heartbeat",
        "digests.DigestRun",
        "mailin.InboundMessage",
        "adoption.Sandbox",
        "apiguard.IdempotencyKey",
        "apiguard.RateCounter",
        "transfers.Transfer",
        "organizations.ChangeCounter",
        "organizations.Invitation",
        "organizations.Invitation_units",
        "accounts.SingleSignOn",
    }
)
"""The models deliberately not in the format (secrets, operational logs, per-installation
state); a test fails when a new model is neither here nor in `SECTIONS`."""
