"""Applying a reply to a reminder email: the one write path for replies by email, whether the
message came through the web hook, a Maildir or a file.

`reply_apply(raw=…)` checks the size before reading anything, skips machine-written mail,
finds and verifies the reply token, reads the reply with `tenfold.lib.mailreply`, and adds the
items and check-ins through the same services the web uses (`item_add`, `checkin_record`),
as the person the token names. One message is one transaction: everything in it is added or
nothing is. Every message leaves one `InboundMessage` row saying what happened, except a
duplicate of a message already applied, which changes nothing at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenfold.checkins.models import Source
from tenfold.checkins.services import checkin_record
from tenfold.checkins.weekly import categories, item_add, resolve_link, week_of
from tenfold.lib.mailreply import (
    ParsedReply,
    auto_reply_reason,
    header,
    headings_for,
    message_id,
    parse_headers,
    parse_message,
    parse_reply,
    reply_text,
    reply_tokens,
    sender,
)
from tenfold.lib.validation import Errors, error_dict
from tenfold.notifications.services import site_url
from tenfold.okrs.models import KeyResult
from tenfold.organizations.models import Organization
from tenfold.organizations.permissions import Access, access_for

from .models import InboundMessage, InboundStatus, Via
from .tokens import ReplyTarget, TokenError, read_token

log = logging.getLogger(__name__)

DUPLICATE = "duplicate"
"""The outcome's status for a message applied before; no row is written for it."""


@dataclass
class ReplyOutcome:
    """What became of one message. `status` is applied, rejected, ignored, duplicate or error;
    `reason` a stable code (see InboundMessage.reason); `added` one line per item or check-in
    added (or that would be, in a dry run)."""

    status: str
    reason: str = ""
    added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    message: InboundMessage | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reason": self.reason,
            "dry_run": self.dry_run,
            "added": self.added,
            "warnings": self.warnings,
            "errors": self.errors,
        }


@dataclass
class _Envelope:
    """What is known of a message before it is applied, for its log row."""

    message_id: str = ""
    sender: str = ""
    subject: str = ""
    size: int = 0
    via: str = Via.HTTP
    target: ReplyTarget | None = None
    warnings: list[str] = field(default_factory=list)


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back what was added."""


def _language(target: ReplyTarget) -> str:
    return target.user.language or target.organization.language or settings.LANGUAGE_CODE


def _log(
    envelope: _Envelope,
    status: str,
    *,
    reason: str = "",
    errors: Sequence[str] = (),
    summary: dict[str, Any] | None = None,
    dry_run: bool = False,
) -> ReplyOutcome:
    """Record a message that was not applied (or, in a dry run, only report it)."""
    outcome = ReplyOutcome(
        status=status,
        reason=reason,
        warnings=list(envelope.warnings),
        errors=list(errors),
        dry_run=dry_run,
    )
    if dry_run:
        return outcome
    target = envelope.target
    outcome.message = InboundMessage.objects.create(
        organization=target.organization if target else None,
        user=target.user if target else None,
        week=target.week if target else None,
        token_ok=target is not None,
        message_id=envelope.message_id,
        sender=envelope.sender[:254],
        subject=envelope.subject[:200],
        status=status,
        reason=reason,
        summary=summary or {},
        warnings=list(envelope.warnings),
        error="\n".join(errors),
        size=min(envelope.size, 2**31 - 1),
        via=envelope.via,
    )
    if target is not None and status == InboundStatus.REJECTED:
        _confirm_on_commit(outcome.message)
    return outcome


def _confirm_on_commit(row: InboundMessage) -> None:
    from .tasks import reply_confirm

    pk = row.pk
    transaction.on_commit(lambda: reply_confirm.enqueue(pk))


def _find_target(
    message: Message, recipients: Sequence[str]
) -> tuple[ReplyTarget | None, TokenError | None]:
    """The person and week of the first valid reply token the message was addressed to."""
    tokens = reply_tokens(message, recipients)
    if not tokens:
        return None, TokenError(
            "no_token",
            _("The message was not sent to a reply address; nothing was read."),
        )
    first_error: TokenError | None = None
    for token in tokens:
        try:
            return read_token(token), None
        except TokenError as error:
            first_error = first_error or error
    return None, first_error


def _sender_check(envelope: _Envelope, target: ReplyTarget) -> None:
    """A reply from another address than the person's is accepted on the strength of the
    token alone (forwarding and aliases are common); the log and confirmation say so."""
    own = (target.user.email or "").strip().lower()
    if envelope.sender and envelope.sender != own:
        envelope.warnings.append(
            _(
                "Sent from %(sender)s, not from %(email)s; accepted because the reply address "
                "was valid."
            )
            % {"sender": envelope.sender, "email": own}
        )


def _week(organization: Organization, week: dt.date, envelope: _Envelope) -> dt.date:
    """The week the reply adds to: the reminder's, or this week when that one has ended (a
    week that is over stays as it was)."""
    current = week_of(organization)
    if week < current:
        envelope.warnings.append(
            _("The week of %(week)s has ended; the items were added to this week instead.")
            % {"week": week.isoformat()}
        )
        return current
    return week


def _headings(organization: Organization) -> dict[str, str]:
    """Section names a reply may use: the built-in ones in three languages, the organization's
    names for Plans/Progress/Problems and its extra categories."""
    names: dict[str, str] = {}
    for category in categories(organization):
        names[category.name] = category.key
    raw = organization.ppp_names if isinstance(organization.ppp_names, dict) else {}
    for key, name in raw.items():
        if name:
            names[str(name)] = str(key)
    return headings_for(names)


def _check_key_results(access: Access, parsed: ParsedReply) -> dict[str, KeyResult]:
    """The key results the check-in lines name, each one the person may see and update; every
    other code is an error added to `parsed`."""
    codes = {line.code for line in parsed.checkins}
    found = {
        kr.code: kr
        for kr in KeyResult.objects.filter(
            organization_id=access.membership.organization_id, code__in=codes
        ).select_related("objective__cycle")
    }
    for line in parsed.checkins:
        kr = found.get(line.code)
        if kr is None or not access.can_view_objective(kr.objective):
            parsed.errors.append(
                _("Line %(n)d: there is no key result “%(code)s” you can see.")
                % {"n": line.line, "code": line.code}
            )
        elif not access.can_check_in(kr, kr.objective):
            parsed.errors.append(
                _("Line %(n)d: you may not check in on “%(title)s”.")
                % {"n": line.line, "title": kr.title}
            )
    return found


def _line_errors(number: int, error: ValidationError | PermissionDenied) -> ValidationError:
    if isinstance(error, PermissionDenied):
        messages = [str(error) or _("You may not do that.")]
    else:
        messages = [m for ms in error_dict(error).values() for m in ms]
    return ValidationError(
        [_("Line %(n)d: %(message)s") % {"n": number, "message": m} for m in messages]
    )


def _apply(
    access: Access,
    week: dt.date,
    parsed: ParsedReply,
    key_results: dict[str, KeyResult],
    envelope: _Envelope,
) -> tuple[dict[str, Any], list[str]]:
    """Add everything; raises ValidationError (with the line) on the first refusal."""
    organization = access.membership.organization
    names = {category.key: category.name for category in categories(organization)}
    summary: dict[str, Any] = {"items": [], "checkins": []}
    added: list[str] = []
    for line in parsed.checkins:
        kr = key_results[line.code]
        try:
            checkin_record(
                key_result=kr,
                value=line.value,
                confidence=line.confidence,
                note=line.note,
                source=Source.EMAIL,
                by=access.membership.user,
            )
        except (ValidationError, PermissionDenied) as error:
            raise _line_errors(line.line, error) from error
        summary["checkins"].append(
            {
                "key_result": kr.code,
                "title": kr.title,
                "value": str(line.value),
                "confidence": line.confidence,
                "note": line.note,
            }
        )
        shown = _("Check-in on “%(title)s”: %(value)s") % {"title": kr.title, "value": line.value}
        if line.confidence is not None:
            shown += " " + _("(confidence %(n)d/10)") % {"n": line.confidence}
        added.append(shown)
    for item in parsed.items:
        text, link = item.text, item.link
        if link:
            problems = Errors()
            resolve_link(access, link, problems)
            if problems:
                envelope.warnings.append(
                    _(
                        "Line %(n)d: no objective or key result “%(code)s” you can see; the "
                        "item was added without a link."
                    )
                    % {"n": item.line, "code": link}
                )
                text, link = f"{text} #{link}", ""
        try:
            row = item_add(
                access=access,
                category=item.category,
                text=text,
                week=week,
                link=link,
                source=Source.EMAIL,
            )
        except (ValidationError, PermissionDenied) as error:
            raise _line_errors(item.line, error) from error
        name = names.get(item.category, item.category)
        summary["items"].append(
            {"category": item.category, "name": name, "text": row.text, "code": row.code}
        )
        added.append(f"{name}: {row.text}")
    return summary, added


def _too_large(
    raw: bytes, size: int, recipients: Sequence[str], via: str, dry_run: bool
) -> ReplyOutcome:
    """Refuse a message over INBOUND_MAX_BYTES without reading its body: only the header block
    is parsed, to tell the person (when the reply address is valid) why nothing was added."""
    message = parse_headers(raw)
    envelope = _Envelope(
        message_id=message_id(message, raw[:4096]),
        sender=sender(message),
        subject=header(message, "Subject"),
        size=size,
        via=via,
    )
    target, _error = _find_target(message, recipients)
    envelope.target = target
    limit_mb = settings.INBOUND_MAX_BYTES / (1024 * 1024)
    with translation.override(_language(target)) if target else nullcontext():
        error = _(
            "The message is %(size).1f MB, more than the %(limit).1f MB a reply may have; "
            "nothing was read. Reply again without attachments."
        ) % {"size": size / (1024 * 1024), "limit": limit_mb}
    return _log(
        envelope, InboundStatus.REJECTED, reason="too_large", errors=[error], dry_run=dry_run
    )


def _applied_before(message_id: str) -> bool:
    return InboundMessage.objects.filter(
        message_id=message_id, status=InboundStatus.APPLIED
    ).exists()


def reply_apply(
    *,
    raw: bytes,
    size: int | None = None,
    recipients: Sequence[str] = (),
    via: str = Via.HTTP,
    dry_run: bool = False,
) -> ReplyOutcome:
    """Apply one reply email (the raw MIME bytes). `size` is the message's full size when
    `raw` holds only its beginning (a message too large to read); `recipients` are envelope
    recipients the transport knows of. With `dry_run` nothing is written: the outcome says
    what would be added."""
    size = max(size or 0, len(raw))
    if size > settings.INBOUND_MAX_BYTES:
        return _too_large(raw, size, recipients, via, dry_run)
    message = parse_message(raw)
    envelope = _Envelope(
        message_id=message_id(message, raw),
        sender=sender(message),
        subject=header(message, "Subject"),
        size=size,
        via=via,
    )
    if _applied_before(envelope.message_id):
        return ReplyOutcome(status=DUPLICATE, reason=DUPLICATE, dry_run=dry_run)
    auto = auto_reply_reason(message)
    if auto:
        return _log(
            envelope,
            InboundStatus.IGNORED,
            reason="auto_reply",
            errors=[_("An automatic reply (%(why)s); nothing was read.") % {"why": auto}],
            dry_run=dry_run,
        )
    target, token_error = _find_target(message, recipients)
    if target is None:
        assert token_error is not None
        return _log(
            envelope,
            InboundStatus.REJECTED,
            reason=token_error.reason,
            errors=[str(token_error)],
            dry_run=dry_run,
        )
    envelope.target = target
    with translation.override(_language(target)):
        return _apply_reply(message, target, envelope, dry_run)


def _apply_reply(
    message: Message, target: ReplyTarget, envelope: _Envelope, dry_run: bool
) -> ReplyOutcome:
    organization = target.organization
    access = access_for(target.membership)
    _sender_check(envelope, target)
    week = _week(organization, target.week, envelope)
    parsed = parse_reply(reply_text(message), headings=_headings(organization))
    envelope.warnings.extend(parsed.warnings)
    key_results = _check_key_results(access, parsed) if parsed.checkins else {}
    if parsed.errors:
        return _log(
            envelope,
            InboundStatus.REJECTED,
            reason="invalid",
            errors=parsed.errors,
            dry_run=dry_run,
        )
    if parsed.empty:
        return _log(
            envelope,
            InboundStatus.REJECTED,
            reason="empty",
            errors=[
                _(
                    "Nothing in the reply could be read as a plan, progress, problem or "
                    "check-in. Start lines with “Plans:”, “Progress:” or “Problems:”, or "
                    "write “KR <code>: <value>”."
                )
            ],
            dry_run=dry_run,
        )
    try:
        with transaction.atomic():
            summary, added = _apply(access, week, parsed, key_results, envelope)
            if dry_run:
                raise _DryRun
            row = InboundMessage.objects.create(
                organization=organization,
                user=target.user,
                week=week,
                token_ok=True,
                message_id=envelope.message_id,
                sender=envelope.sender[:254],
                subject=envelope.subject[:200],
                status=InboundStatus.APPLIED,
                summary=summary,
                warnings=list(envelope.warnings),
                size=envelope.size,
                via=envelope.via,
            )
    except _DryRun:
        return ReplyOutcome(
            status=InboundStatus.APPLIED, added=added, warnings=envelope.warnings, dry_run=True
        )
    except (ValidationError, PermissionDenied) as error:
        messages = (
            [str(error)]
            if isinstance(error, PermissionDenied)
            else [m for ms in error_dict(error).values() for m in ms]
        )
        return _log(
            envelope, InboundStatus.REJECTED, reason="refused", errors=messages, dry_run=dry_run
        )
    except IntegrityError:
        # Another delivery of the same message was applied at the same moment.
        if _applied_before(envelope.message_id):
            return ReplyOutcome(status=DUPLICATE, reason=DUPLICATE)
        raise
    _confirm_on_commit(row)
    return ReplyOutcome(
        status=InboundStatus.APPLIED, added=added, warnings=list(envelope.warnings), message=row
    )


def reply_apply_safely(**kwargs: Any) -> ReplyOutcome:
    """`reply_apply`, with an unexpected failure recorded as an "error" row instead of raised:
    what the web hook and the command call, so one bad message never stops the others."""
    try:
        return reply_apply(**kwargs)
    except Exception as error:  # recorded for the admins, never shown to the sender
        log.exception("inbound reply failed")
        row = InboundMessage.objects.create(
            status=InboundStatus.ERROR,
            reason="internal",
            error=f"{type(error).__name__}: {error}"[:2000],
            size=min(max(kwargs.get("size") or 0, len(kwargs.get("raw") or b"")), 2**31 - 1),
            via=kwargs.get("via", Via.HTTP),
        )
        return ReplyOutcome(
            status=InboundStatus.ERROR,
            reason="internal",
            errors=[_("The reply could not be processed; the server log has the details.")],
            message=row,
        )


# --- the confirmation email -------------------------------------------------------------------


def reply_confirm_send(*, message_id: int) -> bool:
    """Email the person what their reply added, or why it was refused. Sent at most once per
    message, always to the person's own address (not the sender's), so a reply made with a
    forwarded reminder does not go unnoticed. Returns whether an email was sent."""
    from tenfold.notifications.services import send_email

    claimed = InboundMessage.objects.filter(
        pk=message_id,
        confirmed_at__isnull=True,
        token_ok=True,
        user__isnull=False,
        status__in=[InboundStatus.APPLIED, InboundStatus.REJECTED],
    ).update(confirmed_at=timezone.now())
    if not claimed:
        return False
    row = InboundMessage.objects.select_related("user", "organization").get(pk=message_id)
    user, organization = row.user, row.organization
    if user is None or organization is None or not user.email:
        return False
    language = user.language or organization.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "row": row,
            "user": user,
            "org": organization,
            "items": row.summary.get("items", []) if isinstance(row.summary, dict) else [],
            "checkins": row.summary.get("checkins", []) if isinstance(row.summary, dict) else [],
            "errors": [line for line in row.error.split("\n") if line.strip()],
            "week_url": site_url("my_week", org=organization.slug),
        }
        subject = " ".join(render_to_string("mailin/email/confirm_subject.txt", context).split())
        text = render_to_string("mailin/email/confirm.txt", context)
    headers = {"Auto-Submitted": "auto-replied"}
    if row.message_id and not row.message_id.startswith("sha256:"):
        headers["In-Reply-To"] = f"<{row.message_id}>"
        headers["References"] = f"<{row.message_id}>"
    try:
        send_email(to=user.email, subject=subject, text=text, headers=headers)
    except Exception as error:  # the reply is applied either way; the log keeps the failure
        log.warning("reply confirmation %s failed: %s", row.code, error)
        return False
    return True
