"""API tokens: made, checked and revoked here only."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors

from .models import ApiToken

TOKEN_PREFIX = "tf_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: Any, organization: Any, name: str, by: Any, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Make a token for `user` in `organization`; returns the row and the token text, which
    is never stored and cannot be shown again. A read-only token is refused every request that
    would change something, whatever its owner may do."""
    from tenfold.organizations.models import Membership

    errors = Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("Name the token after where it will be used."))
    elif len(name) > 80:
        errors.add("name", _("Keep the name under 80 characters."))
    if not Membership.objects.filter(organization=organization, user=user).exists():
        errors.add("organization", _("That person is not a member of this organization."))
    errors.raise_if_any()
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user,
        organization=organization,
        name=name,
        prefix=prefix,
        digest=_digest(token),
        read_only=read_only,
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="api_token.created",
        obj=row,
        changes={"read_only": read_only},
    )
    return row, token


def api_token_check(token: str) -> ApiToken | None:
    """The live token matching `token`, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user", "organization")
        .filter(digest=_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is not None:
        now = timezone.now()
        # Note use at most once a minute: a busy integration should not write on every call.
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(organization=token.organization, actor=by, verb="api_token.revoked", obj=token)
