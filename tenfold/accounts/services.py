"""API tokens: made, checked and revoked here only; and the proof of sign-in addresses."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors

from .models import ApiToken

TOKEN_PREFIX = "tf_"  # nosec B105  # the public start of every token, not a secret


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user: Any,
    organization: Any,
    name: str,
    by: Any,
    read_only: bool = False,
    record: bool = True,
) -> tuple[ApiToken, str]:
    """Make a token for `user` in `organization`; returns the row and the token text, which
    is never stored and cannot be shown again. A read-only token is refused every request that
    would change something, whatever its owner may do. `record=False` is for services that
    record the token in an event of their own."""
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
    if record:
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


SERVICE_ROLES = ("viewer", "member", "admin")


@transaction.atomic
def service_token_create(
    *, organization: Any, name: str, role: str, by: Any, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Make a service token: a token that acts as a service account of its own, made for it,
    with `role` in `organization`. It keeps working when the person who made it leaves, and it
    is listed (and revoked) by the organization's admins. The account never signs in and never
    gets email; revoking the token closes the account too."""
    from tenfold.organizations.models import Membership

    from .models import User

    errors = Errors()
    if role not in SERVICE_ROLES:
        errors.add("role", _("A service token acts as a viewer, a member or an admin."))
    clean = (name or "").strip()
    if not clean:
        errors.add("name", _("Name the token after where it will be used."))
    elif len(clean) > 80:
        errors.add("name", _("Keep the name under 80 characters."))
    errors.raise_if_any()
    account = User(
        email=f"service-{secrets.token_hex(6)}@{organization.slug}.service.invalid",
        name=clean,
        is_service=True,
    )
    account.set_unusable_password()
    account.save()
    Membership.objects.create(organization=organization, user=account, role=role)
    row, token = api_token_create(
        user=account,
        organization=organization,
        name=clean,
        by=by,
        read_only=read_only,
        record=False,  # recorded once, below, as a service token
    )
    audit_record(
        organization=organization,
        actor=by,
        verb="service_token.created",
        obj=row,
        changes={"role": role, "read_only": read_only},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Any) -> None:
    """Revoke a token. A service token's account leaves the organization and is closed, so
    nothing can act as it again."""
    from tenfold.organizations.models import Membership

    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(organization=token.organization, actor=by, verb="api_token.revoked", obj=token)
    account = token.user
    if account.is_service and account.is_active:
        Membership.objects.filter(organization=token.organization, user=account).delete()
        account.is_active = False
        account.save(update_fields=["is_active"])


def addresses_verified(users: Iterable[Any]) -> int:
    """Record each person's sign-in address as proven (verified and primary): the person has
    shown they can read mail there (an invitation or password-reset link, an identity provider
    that vouches for it), or the operator vouches for it (the demo, a new organization's first
    owner made on the command line). Returns how many addresses changed. With
    ACCOUNT_EMAIL_VERIFICATION "mandatory", nobody signs in with a password until this holds."""
    from allauth.account.models import EmailAddress

    people = {user.pk: user.email.lower() for user in users}
    if not people:
        return 0
    changed = 0
    known: dict[int, EmailAddress] = {}
    for address in EmailAddress.objects.filter(user_id__in=people):
        if address.email.lower() == people[address.user_id]:
            known[address.user_id] = address
    for address in known.values():
        if not (address.verified and address.primary):
            EmailAddress.objects.filter(user_id=address.user_id).exclude(pk=address.pk).update(
                primary=False
            )
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
            changed += 1
    missing = [pk for pk in people if pk not in known]
    if missing:
        EmailAddress.objects.filter(user_id__in=missing, primary=True).update(primary=False)
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user_id=pk, email=people[pk], verified=True, primary=True)
                for pk in missing
            ],
            batch_size=500,
        )
        changed += len(missing)
    return changed


def language_codes() -> dict[str, Any]:
    return dict(settings.LANGUAGES)


def preferences_set(
    *,
    user: Any,
    name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
) -> Any:
    """A person's own name, language and time zone; None leaves a value as it is. An empty
    language follows the browser, an empty time zone the organization's. Bad values change
    nothing and raise ValidationError naming each field."""
    from tenfold.lib.validation import time_zone_names

    errors = Errors()
    changes: dict[str, str] = {}
    if name is not None:
        name = name.strip()
        if not name:
            errors.add("name", _("Tell us your name."))
        elif len(name) > 150:
            errors.add("name", _("Keep the name under 150 characters."))
        else:
            changes["name"] = name
    if language is not None:
        language = language.strip().lower()
        if language and language not in language_codes():
            errors.add("language", _("Choose one of the languages offered."))
        else:
            changes["language"] = language
    if time_zone is not None:
        time_zone = time_zone.strip()
        if time_zone and time_zone not in time_zone_names():
            errors.add("time_zone", _("Choose a time zone from the list, such as Europe/Madrid."))
        else:
            changes["time_zone"] = time_zone
    errors.raise_if_any()
    fields = [field for field, value in changes.items() if getattr(user, field) != value]
    for field in fields:
        setattr(user, field, changes[field])
    if fields:
        user.save(update_fields=fields)
    return user
