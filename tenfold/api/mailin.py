"""API endpoints for replies by email: the log of inbound messages, for administrators.

Messages themselves come in through the inbound web hook (`POST /inbound/email/`, see
docs/reply-by-email.md), which authenticates with the inbound secret rather than a person's
token and so is not part of this API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tenfold.mailin.models import InboundMessage

from .paging import ChangedPageIn, filter_since, paginate
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
def list_inbound_messages(
    request: HttpRequest, response: HttpResponse, org: str, page: Query[ChangedPageIn]
) -> list[dict[str, Any]]:
    """The organization's inbound messages, newest first: what each added or why it was
    refused. Owners and admins only. Paginated (`limit`, `offset`; X-Total-Count and Link
    headers); `updated_since` keeps the messages received since then."""
    organization, access = scoped(request, org)
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins see the replies that came in."))
    messages = filter_since(
        InboundMessage.objects.filter(organization=organization).select_related("user"),
        page.updated_since,
        "received_at",
    ).order_by("-received_at", "-id")
    rows = []
    for row in paginate(request, response, messages, page):
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
