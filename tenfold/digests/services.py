"""Writes of the digests app: subscribers (added, changed and removed by admins; leaving by
their own signed link) and "email me this digest now".

Like every service: keyword-only, validated, atomic, audited. Subscriber services take the
`access` of the person acting and refuse with PermissionDenied anyone but an admin. Bad input is
a ValidationError keyed by field; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record, diff
from tenfold.lib.validation import Errors
from tenfold.notifications.models import Channel, Delivery, Kind
from tenfold.notifications.services import deliver
from tenfold.organizations.models import Organization, Unit, UnitKind
from tenfold.organizations.permissions import Access

from . import emails
from .models import NAME_MAX, Section, Subscriber, default_sections
from .selectors import digest_for, may_read

FIELDS = ("email", "name", "unit", "sections", "include_names", "active")


def _require_admin(access: Access) -> None:
    if not access.is_admin:
        raise PermissionDenied(_("Only owners and admins manage who receives digests."))


def _clean(errors: Errors, organization: Organization, data: dict[str, Any]) -> None:
    """Validate and normalize a subscriber's fields in place."""
    email = str(data.get("email") or "").strip().lower()
    if not email:
        errors.add("email", _("Give the address the digest goes to."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("“%(email)s” is not an email address.") % {"email": email})
    data["email"] = email
    name = " ".join(str(data.get("name") or "").split())
    if len(name) > NAME_MAX:
        errors.add("name", _("Keep the name under %(n)d characters.") % {"n": NAME_MAX})
    data["name"] = name
    unit = data.get("unit")
    if unit is not None and unit.organization_id != organization.id:
        errors.add("unit", _("That unit belongs to another organization."))
    elif unit is not None and unit.kind == UnitKind.COMPANY:
        data["unit"] = None  # the company digest is stored without a unit
    raw = data.get("sections")
    sections = [str(value) for value in (raw if isinstance(raw, list | tuple) else [])]
    unknown = sorted(set(sections) - set(Section.values))
    if raw is not None and not isinstance(raw, list | tuple):
        errors.add("sections", _("Give the sections as a list."))
    elif unknown:
        errors.add(
            "sections",
            _("Unknown sections: %(names)s. Choose from %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(Section.values)},
        )
    elif not sections:
        errors.add("sections", _("Choose at least one section for the digest."))
    data["sections"] = [value for value in Section.values if value in sections]
    data["include_names"] = bool(data.get("include_names"))
    data["active"] = bool(data.get("active", True))


def _duplicate(
    organization: Organization, email: str, unit: Unit | None, exclude: int | None = None
) -> bool:
    found = Subscriber.objects.filter(organization=organization, email=email, unit=unit)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.exists()


def _audit_data(subscriber: Subscriber) -> dict[str, Any]:
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "unit": subscriber.unit.code if subscriber.unit else None,
        "sections": subscriber.sections,
        "include_names": subscriber.include_names,
        "active": subscriber.active,
    }


@transaction.atomic
def subscriber_add(
    *,
    access: Access,
    email: str,
    name: str = "",
    unit: Unit | None = None,
    sections: Iterable[str] | None = None,
    include_names: bool = False,
) -> Subscriber:
    """Add someone outside the organization to a digest (the company's when `unit` is None).
    Names of people stay out unless `include_names` is given explicitly."""
    _require_admin(access)
    organization = access.membership.organization
    data: dict[str, Any] = {
        "email": email,
        "name": name,
        "unit": unit,
        "sections": list(sections) if sections is not None else default_sections(),
        "include_names": include_names,
        "active": True,
    }
    errors = Errors()
    _clean(errors, organization, data)
    if not errors and _duplicate(organization, data["email"], data["unit"]):
        errors.add("email", _("%(email)s already receives this digest.") % data)
    errors.raise_if_any()
    subscriber = Subscriber.objects.create(
        organization=organization, created_by=access.membership.user, **data
    )
    audit_record(
        organization=organization,
        actor=access.membership.user,
        verb="subscriber.added",
        obj=subscriber,
        changes=_audit_data(subscriber),
    )
    return subscriber


@transaction.atomic
def subscriber_update(*, access: Access, subscriber: Subscriber, **changes: Any) -> Subscriber:
    """Change a subscriber's address, name, digest, sections, names flag or whether it is
    active. Someone who unsubscribed is not switched back on by an admin: only their own link
    does that."""
    _require_admin(access)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    subscriber = (
        Subscriber.objects.select_for_update(of=("self",))
        .select_related("unit", "organization")
        .get(pk=subscriber.pk)
    )
    if subscriber.organization_id != access.membership.organization_id:
        raise PermissionDenied(_("That subscriber belongs to another organization."))
    organization = subscriber.organization
    before = {name: getattr(subscriber, name) for name in FIELDS}
    data = {**before, **changes}
    errors = Errors()
    _clean(errors, organization, data)
    if (
        data["active"]
        and not before["active"]
        and subscriber.unsubscribed_at is not None
        and "active" in changes
    ):
        errors.add(
            "active",
            _(
                "%(email)s unsubscribed on %(day)s. Only they can subscribe again, with the "
                "link in their last digest."
            )
            % {"email": subscriber.email, "day": date_format(subscriber.unsubscribed_at.date())},
        )
    if not errors and _duplicate(organization, data["email"], data["unit"], subscriber.pk):
        errors.add("email", _("%(email)s already receives this digest.") % data)
    errors.raise_if_any()
    old = _audit_data(subscriber)
    for name, value in data.items():
        setattr(subscriber, name, value)
    subscriber.save()
    changed = diff(old, _audit_data(subscriber))
    if changed:
        audit_record(
            organization=organization,
            actor=access.membership.user,
            verb="subscriber.updated",
            obj=subscriber,
            changes=changed,
        )
    return subscriber


@transaction.atomic
def subscriber_remove(*, access: Access, subscriber: Subscriber) -> None:
    _require_admin(access)
    if subscriber.organization_id != access.membership.organization_id:
        raise PermissionDenied(_("That subscriber belongs to another organization."))
    audit_record(
        organization=access.membership.organization,
        actor=access.membership.user,
        verb="subscriber.removed",
        obj=subscriber,
        changes=_audit_data(subscriber),
    )
    subscriber.delete()


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, subscribe: bool = False) -> Subscriber:
    """The subscriber's own choice, from the link in their email: stop the digest, or (with
    `subscribe`) take it again. Doing what is already done changes nothing."""
    subscriber = (
        Subscriber.objects.select_for_update(of=("self",))
        .select_related("organization", "unit")
        .get(pk=subscriber.pk)
    )
    if subscribe == subscriber.active:
        return subscriber
    subscriber.active = subscribe
    subscriber.unsubscribed_at = None if subscribe else timezone.now()
    subscriber.save(update_fields=["active", "unsubscribed_at", "updated_at"])
    audit_record(
        organization=subscriber.organization,
        actor=None,
        verb="subscriber.resubscribed" if subscribe else "subscriber.unsubscribed",
        obj=subscriber,
        changes={"active": subscriber.active},
    )
    return subscriber


# --- sending on request ---------------------------------------------------------------------------


def digest_email_now(
    *,
    access: Access,
    unit: Unit | None,
    week_end: dt.datetime,
    now: dt.datetime | None = None,
) -> Delivery | None:
    """Email the digest the person is looking at to them, and only them. It goes through
    `deliver` with a period that names the minute, so the weekly send is not used up and a
    double click within the same minute sends once. None when it was already sent this minute."""
    organization = access.membership.organization
    if not may_read(access, unit):
        raise PermissionDenied(_("You may not read this unit's digest."))
    user = access.membership.user
    now = now or timezone.now()
    digest = digest_for(organization, unit, week_end, now=now)
    language = emails.language_of(organization, user)
    scope = unit.code if unit is not None else "company"
    period = f"now:{digest.week.isoformat()}:{scope}:{now:%Y%m%d%H%M}"

    def send() -> str:
        return emails.send(user.email, emails.render_member(digest, language=language))

    return deliver(
        organization=organization,
        recipient=f"user:{user.pk}",
        channel=Channel.EMAIL,
        kind=Kind.TEAM_DIGEST if unit is not None else Kind.COMPANY_DIGEST,
        period=period,
        send=send,
        user=user,
        unit=unit,
        now=now,
    )
