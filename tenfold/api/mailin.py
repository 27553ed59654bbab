"""API endpoints for replies by email: the log of inbound messages, for administrators.

Messages themselves come in through the inbound web hook (`POST /inbound/email/`, see
docs/reply-by-email.md), which authenticates with the inbound secret rather than a person's
token and so is not part of this API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tenfold.mailin.selectors import RECENT, recent_messages

from .schemas import ErrorOut, PersonOut
from .views import person, scoped

router: Router = Router(tags=["Replies by email"])


class InboundItemOut(Schema):
    category: str = Field(description="The weekly category's key (plans, progress, problems, …)")
    text: str
    code: str = Field(description="The weekly item's code")


class InboundCheckinOut(Schema):
    key_result: str = Field(description="The key result's code")
    value: str = Field(description="The value recorded, as a decimal string")
    confidence: int | None = Field(description="0-10, when the reply gave one")


class InboundMessageOut(Schema):
    code: str
    received_at: dt.datetime
    status: str = Field(description="applied, rejected, ignored or error")
    reason: str = Field(
        description="Why: too_large, auto_reply, no_token, forged, expired, unknown_user, "
        "not_member, invalid, empty, refused or internal; empty when applied"
    )
    person: PersonOut | None = Field(description="Whose week the reply address was made for")
    sender: str = Field(description="The From address of the message")
    subject: str
    week: dt.date | None = Field(description="The week the items were added to")
    via: str = Field(description="http, maildir or file")
    items: list[InboundItemOut]
    checkins: list[InboundCheckinOut]
    warnings: list[str]
    error: str


@router.get(
    "/orgs/{org}/inbound-messages",
    response={200: list[InboundMessageOut], 403: ErrorOut, 404: ErrorOut},
    summary="Recent replies by email",
)
def list_inbound_messages(request: HttpRequest, org: str) -> list[dict[str, Any]]:
    """The organization's last 50 inbound messages, newest first: what each added or why it
    was refused. Owners and admins only."""
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins see the replies that came in."))
    rows = []
    for row in recent_messages(organization, limit=RECENT):
        summary = row.summary if isinstance(row.summary, dict) else {}
        rows.append(
            {
                "code": row.code,
                "received_at": row.received_at,
                "status": row.status,
                "reason": row.reason,
                "person": person(row.user),
                "sender": row.sender,
                "subject": row.subject,
                "week": row.week,
                "via": row.via,
                "items": [
                    {"category": i["category"], "text": i["text"], "code": i.get("code", "")}
                    for i in summary.get("items", [])
                ],
                "checkins": [
                    {
                        "key_result": c["key_result"],
                        "value": c["value"],
                        "confidence": c.get("confidence"),
                    }
                    for c in summary.get("checkins", [])
                ],
                "warnings": list(row.warnings or []),
                "error": row.error,
            }
        )
    return rows
