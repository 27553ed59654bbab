"""What a webhook can subscribe to, and the JSON sent for each event.

Events come from the audit log: every service already writes an `AuditEvent` for each meaningful
change, and `VERBS` says which of those verbs a webhook hears about (and under which event
type). A check-in that moves a key result to another status, and a cycle state change that
closes the cycle, also give a second, more specific event.

Every payload has the same envelope:

    {"type": "checkin.recorded", "id": "msg_…", "timestamp": "2026-11-15T12:00:00+00:00",
     "organization": "acme",
     "data": {"object": {"type", "code", "title", "url"}, "actor": {"name", "email"} | null,
              "changes": {…}, …}}

`data.changes` is the audit event's own record of the change ({field: [before, after]} for
updates). Numbers travel as strings, like in the API, so no precision is lost.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tenfold.lib.progress import key_result_progress, status

if TYPE_CHECKING:
    from tenfold.audit.models import AuditEvent

    from .models import Webhook

TEST = "webhook.test"
KEY_RESULT_STATUS = "key_result.status_changed"
CYCLE_CLOSED = "cycle.closed"

EVENT_TYPES: tuple[tuple[str, Promise], ...] = (
    ("objective.created", _("An objective was created.")),
    (
        "objective.updated",
        _("An objective's title, description, type, visibility, lead or owning unit changed."),
    ),
    (
        "objective.state_changed",
        _("An objective moved between draft, proposed, approved, active and closed."),
    ),
    ("key_result.created", _("A key result was added to an objective.")),
    ("key_result.updated", _("A key result's title, numbers, owner or weight changed.")),
    ("key_result.deleted", _("A key result without check-ins was deleted.")),
    ("checkin.recorded", _("Someone checked in a new value for a key result.")),
    ("checkin.corrected", _("A check-in was corrected; the original stays in the history.")),
    (
        KEY_RESULT_STATUS,
        _("A check-in moved a key result to another status (for example on track → at risk)."),
    ),
    ("cycle.state_changed", _("A cycle moved between planning, active, reviewing and closed.")),
    (CYCLE_CLOSED, _("A cycle was closed: its numbers are final.")),
    ("comment.added", _("Someone commented on an objective, key result, check-in or plan.")),
    ("review.submitted", _("A unit handed in its end-of-cycle review.")),
)
"""Every event type a webhook can subscribe to, with what it means. `webhook.test` is not
among them: it is only sent on request, to the webhook being tested."""

EVENT_KEYS = tuple(key for key, _label in EVENT_TYPES)

VERBS: dict[str, str] = {
    "objective.created": "objective.created",
    "objective.updated": "objective.updated",
    "objective.state_changed": "objective.state_changed",
    "key_result.created": "key_result.created",
    "key_result.updated": "key_result.updated",
    "key_result.deleted": "key_result.deleted",
    "checkin.recorded": "checkin.recorded",
    "checkin.corrected": "checkin.corrected",
    "cycle.state_changed": "cycle.state_changed",
    "comment.added": "comment.added",
    "review.submitted": "review.submitted",
}
"""Audit verbs that become webhook events, and the event type each becomes."""


def describe(event_type: str) -> str:
    if event_type == TEST:
        return str(_("A test event, sent when someone asks for one."))
    return str(dict(EVENT_TYPES).get(event_type, ""))


# --- ids and small shapes ---------------------------------------------------------------------


def event_id(audit_id: int, event_type: str) -> str:
    """The id of the event an audit entry gives: the same however often it is computed, so a
    task that runs twice finds the deliveries it already made. Opaque, so receivers learn
    nothing from it about the size of the audit log."""
    digest = salted_hmac(
        "tenfold.webhooks.event", f"{audit_id}:{event_type}", algorithm="sha256"
    ).hexdigest()
    return "msg_" + digest[:26]


def test_event_id() -> str:
    return "msg_" + secrets.token_hex(13)


def number(value: Decimal | None) -> str | None:
    """A decimal as plain text without padding zeros or exponent: 0.2500 → "0.25", 100 → "100"."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def person(user: Any) -> dict[str, str] | None:
    return {"name": user.display_name, "email": user.email} if user else None


def absolute(name: str, **kwargs: str) -> str | None:
    try:
        return settings.SITE_URL + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


# --- the payloads -----------------------------------------------------------------------------


@dataclass
class Event:
    """One event to send: its type, its id and the JSON body (without the envelope's id and
    type, which `envelope()` adds). `restricted` marks an event about an objective not every
    member may see: only webhooks that accept those get it."""

    type: str
    id: str
    data: dict[str, Any]
    timestamp: str
    organization: str
    restricted: bool = False

    def envelope(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "id": self.id,
            "timestamp": self.timestamp,
            "organization": self.organization,
            "data": self.data,
        }


def _cycle_ref(cycle: Any) -> dict[str, Any]:
    return {"code": cycle.code, "name": cycle.name}


def _unit_ref(unit: Any) -> dict[str, Any] | None:
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _objective_data(objective: Any, slug: str) -> dict[str, Any]:
    return {
        "code": objective.code,
        "title": objective.title,
        "url": absolute("objective", org=slug, code=objective.code),
        "state": objective.state,
        "type": objective.type,
        "level": objective.level,
        "visibility": objective.visibility,
        "progress": number(objective.progress),
        "cycle": _cycle_ref(objective.cycle),
        "unit": _unit_ref(objective.unit),
        "lead": person(objective.lead),
    }


def _key_result_url(slug: str, kr_code: str, objective_code: str) -> str | None:
    return absolute("key_result", org=slug, code=kr_code) or absolute(
        "objective", org=slug, code=objective_code
    )


def _key_result_data(kr: Any, slug: str, today: dt.date | None = None) -> dict[str, Any]:
    from tenfold.okrs.selectors import key_result_status

    return {
        "code": kr.code,
        "title": kr.title,
        "url": _key_result_url(slug, kr.code, kr.objective.code),
        "kind": kr.kind,
        "start": number(kr.start),
        "target": number(kr.target),
        "current": number(kr.current),
        "unit_label": kr.unit_label,
        "progress": number(kr.progress),
        "confidence": number(kr.last_confidence),
        "weight": number(kr.weight),
        "owner": person(kr.owner),
        "status": str(key_result_status(kr, kr.objective.cycle, today)),
        "last_checkin_at": _stamp(kr.last_checkin_at) if kr.last_checkin_at else None,
    }


def _checkin_data(checkin: Any) -> dict[str, Any]:
    return {
        "code": checkin.code,
        "value": number(checkin.value),
        "confidence": number(checkin.confidence),
        "note": checkin.note,
        "source": checkin.source,
        "measured_at": _stamp(checkin.measured_at),
        "author": person(checkin.author),
        "corrects": checkin.supersedes.code if checkin.supersedes_id else None,
        "reason": checkin.edit_reason,
    }


def _restricted(objective: Any) -> bool:
    return objective is not None and (
        objective.visibility != "organization" or objective.level == "personal"
    )


def _zone(organization: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(organization.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _objective(organization: Any, code: str) -> Any:
    from tenfold.okrs.models import Objective

    if not code:
        return None
    return (
        Objective.objects.filter(organization=organization, code=code)
        .select_related("cycle", "unit", "lead")
        .first()
    )


def _key_result(organization: Any, code: str) -> Any:
    from tenfold.okrs.models import KeyResult

    return (
        KeyResult.objects.filter(organization=organization, code=code)
        .select_related("objective__cycle", "objective__unit", "objective__lead", "owner")
        .first()
    )


def _event_checkin(event: AuditEvent, kr: Any) -> Any:
    """The check-in an audit entry is about: the correction it names, or else the newest
    reading of the key result written by then."""
    from tenfold.checkins.models import CheckIn

    rows = CheckIn.objects.filter(key_result=kr).select_related("author", "supersedes")
    code = (event.changes or {}).get("correction")
    if code:
        return rows.filter(code=code).first()
    return rows.filter(created_at__lte=event.created_at).order_by("-id").first()


def _reading(rows: Sequence[tuple[int, Decimal, dt.datetime, int | None]]) -> Any:
    """The reading that stands among these check-ins: the newest by measurement that no
    correction among them replaced."""
    replaced = {supersedes for _id, _value, _at, supersedes in rows if supersedes}
    standing = [row for row in rows if row[0] not in replaced]
    return max(standing, key=lambda row: (row[2], row[0]), default=None)


def status_change(event: AuditEvent, kr: Any, checkin: Any) -> tuple[str, str] | None:
    """(before, after) when this check-in moved the key result to another status, judged on
    the day of the event with the readings as they stood just before and just after it."""
    from tenfold.checkins.models import CheckIn

    cycle = kr.objective.cycle
    organization = event.organization
    assert organization is not None  # check-ins are events of an organization
    zone = _zone(organization)
    today = min(timezone.localdate(event.created_at, timezone=zone), cycle.end)
    rows = list(
        CheckIn.objects.filter(key_result=kr, id__lte=checkin.id).values_list(
            "id", "value", "measured_at", "supersedes_id"
        )
    )

    def judged(reading: Any) -> str:
        value = reading[1] if reading else None
        progress = key_result_progress(kr.kind, start=kr.start, target=kr.target, current=value)
        last = timezone.localdate(reading[2], timezone=zone) if reading else None
        return str(
            status(
                progress.clamped,
                cycle_start=cycle.start,
                cycle_end=cycle.end,
                today=today,
                last_checkin=last,
                rules=organization.status_rules,
                kind=kr.kind,
            )
        )

    before = judged(_reading([row for row in rows if row[0] != checkin.id]))
    after = judged(_reading(rows))
    return (before, after) if before != after else None


def events_of(event: AuditEvent) -> list[Event]:
    """The webhook events an audit entry gives (none for verbs webhooks do not hear about)."""
    primary = VERBS.get(event.verb)
    if primary is None:
        return []
    organization = event.organization
    if organization is None:  # site-level events go to no organization's webhooks
        return []
    slug = organization.slug
    base: dict[str, Any] = {
        "object": None,  # first in the payload; set below
        "actor": person(event.actor),
        "changes": event.changes or {},
    }
    extra: list[tuple[str, dict[str, Any]]] = []
    restricted = False
    objective = _objective(organization, event.objective_code)
    if objective is not None:
        base["objective"] = _objective_data(objective, slug)
        restricted = _restricted(objective)
    kind = event.object_type
    if kind == "objective":
        url = absolute("objective", org=slug, code=event.object_code)
        title = objective.title if objective is not None else None
        base["object"] = _ref("objective", event, slug, url, title=title)
    elif kind == "keyresult":
        deleted = primary == "key_result.deleted"
        kr = None if deleted else _key_result(organization, event.object_code)
        url = (
            _key_result_url(slug, kr.code, kr.objective.code)
            if kr is not None
            else absolute("objective", org=slug, code=event.objective_code)
        )
        base["object"] = _ref("key_result", event, slug, url, title=kr.title if kr else None)
        if kr is not None:
            base["key_result"] = _key_result_data(kr, slug)
        if kr is not None and primary in ("checkin.recorded", "checkin.corrected"):
            checkin = _event_checkin(event, kr)
            if checkin is not None:
                base["checkin"] = _checkin_data(checkin)
                base["object"] = {
                    "type": "checkin",
                    "code": checkin.code,
                    "title": kr.title,
                    "url": url,
                }
                moved = status_change(event, kr, checkin)
                if moved is not None:
                    extra.append(
                        (
                            KEY_RESULT_STATUS,
                            {
                                "object": _ref("key_result", event, slug, url, title=kr.title),
                                "status": {"before": moved[0], "after": moved[1]},
                            },
                        )
                    )
    elif kind == "cycle":
        from tenfold.okrs.models import Cycle

        cycle = Cycle.objects.filter(organization=organization, code=event.object_code).first()
        if cycle is not None:
            url = _cycle_url(slug, cycle)
            base["object"] = _ref("cycle", event, slug, url, title=cycle.name)
            base["cycle"] = {
                **_cycle_ref(cycle),
                "kind": cycle.kind,
                "start": cycle.start.isoformat(),
                "end": cycle.end.isoformat(),
                "state": cycle.state,
            }
        else:
            base["object"] = _ref("cycle", event, slug, None)
        state = (event.changes or {}).get("state")
        if isinstance(state, list) and len(state) == 2 and state[1] == "closed":
            extra.append((CYCLE_CLOSED, {}))
    elif kind == "comment":
        comment_data, comment_url, on_item = _comment(organization, event, slug)
        base["object"] = _ref("comment", event, slug, comment_url)
        if comment_data is not None:
            base["object"]["title"] = comment_data["body"][:80]
            base["comment"] = comment_data
        restricted = restricted or on_item
    elif kind == "review":
        from tenfold.reviews.models import Review

        review = (
            Review.objects.filter(organization=organization, code=event.object_code)
            .select_related("cycle", "unit", "submitted_by")
            .first()
        )
        url = absolute("review", org=slug, code=event.object_code)
        base["object"] = _ref("review", event, slug, url, title=str(review) if review else None)
        if review is not None:
            base["review"] = {
                "code": review.code,
                "cycle": _cycle_ref(review.cycle),
                "unit": _unit_ref(review.unit),
                "state": review.state,
                "summary": review.summary,
                "submitted_at": _stamp(review.submitted_at) if review.submitted_at else None,
                "submitted_by": person(review.submitted_by),
            }
    else:
        base["object"] = _ref(kind, event, slug, None)
    stamp = _stamp(event.created_at)
    found = [
        Event(
            type=primary,
            id=event_id(event.id, primary),
            data=base,
            timestamp=stamp,
            organization=slug,
            restricted=restricted,
        )
    ]
    for event_type, overrides in extra:
        found.append(
            Event(
                type=event_type,
                id=event_id(event.id, event_type),
                data={**base, **overrides},
                timestamp=stamp,
                organization=slug,
                restricted=restricted,
            )
        )
    return found


def _ref(
    kind: str, event: AuditEvent, slug: str, url: str | None, title: str | None = None
) -> dict[str, Any]:
    return {
        "type": kind,
        "code": event.object_code,
        "title": title if title is not None else event.object_repr,
        "url": url,
    }


def _cycle_url(slug: str, cycle: Any) -> str | None:
    if cycle.state in ("reviewing", "closed"):
        return absolute("reviews", org=slug, code=cycle.code)
    return absolute("planning", org=slug, code=cycle.code)


def _comment(
    organization: Any, event: AuditEvent, slug: str
) -> tuple[dict[str, Any] | None, str | None, bool]:
    """The comment's data, the address where it shows, and whether it sits on a weekly item
    (whose readers are only the team and its managers)."""
    from tenfold.social.models import Comment
    from tenfold.social.targets import page_url

    changes = event.changes or {}
    on_item = changes.get("target_kind") == "item"
    comment = (
        Comment.objects.filter(organization=organization, code=event.object_code)
        .select_related(
            "author",
            "objective",
            "key_result__objective",
            "checkin__key_result__objective",
            "weekly_item",
        )
        .first()
    )
    if comment is None:
        return None, None, on_item
    target = comment.target
    try:
        url: str | None = settings.SITE_URL + page_url(slug, target) + f"#comment-{comment.code}"
    except (NoReverseMatch, ValueError):
        url = None
    data = {
        "code": comment.code,
        "body": comment.body,
        "author": person(comment.author),
        "target": {
            "type": changes.get("target_kind", ""),
            "code": changes.get("target", ""),
            "title": changes.get("target_title", ""),
        },
        "mentions": changes.get("mentions", []),
    }
    return data, url, on_item


def test_event(webhook: Webhook, by: Any) -> Event:
    """The event "Send test event" sends: who asked for it, and nothing else of the
    organization's."""
    organization = webhook.organization
    slug = organization.slug
    return Event(
        type=TEST,
        id=test_event_id(),
        data={
            "object": {
                "type": "webhook",
                "code": webhook.code,
                "title": webhook.name,
                "url": absolute("webhook", org=slug, code=webhook.code),
            },
            "actor": person(by),
            "changes": {},
            "message": str(_("This is a test event from Tenfold. Your endpoint received it.")),
        },
        timestamp=_stamp(timezone.now()),
        organization=slug,
    )
