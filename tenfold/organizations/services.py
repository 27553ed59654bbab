"""Writes to organizations, units and memberships. Every write is atomic and audited."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors

from .models import Membership, Organization, Role, Unit, UnitKind, UnitMember

User = get_user_model()
NAME_MAX = 120
# Addresses that would collide with the site's own top-level paths.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "static",
        "media",
        "orgs",
        "healthz",
        "favicon-ico",
        "robots-txt",
        # Addresses that work without signing in: data-feed pushes, calendar feeds, inbound
        # mail and digest unsubscribe links.
        "feeds",
        "cal",
        "inbound",
        "digests",
    }
)


def _check_name(errors: Errors, name: str, field: str = "name") -> str:
    name = (name or "").strip()
    if not name:
        errors.add(field, _("Give it a name."))
    elif len(name) > NAME_MAX:
        errors.add(field, _("Keep the name under %(max)d characters.") % {"max": NAME_MAX})
    return name


@transaction.atomic
def organization_create(
    *,
    name: str,
    owner: Any,
    slug: str = "",
    fiscal_year_start_month: int = 1,
    time_zone: str = "UTC",
    **settings: Any,
) -> Organization:
    """A new organization with its company unit and its owner as first member."""
    errors = Errors()
    name = _check_name(errors, name)
    slug = slugify(slug or name)[:50]
    if not slug:
        errors.add("slug", _("Choose an address made of letters, digits and dashes."))
    elif slug in RESERVED_SLUGS:
        errors.add("slug", _("The address “%(slug)s” is reserved.") % {"slug": slug})
    elif Organization.objects.filter(slug=slug).exists():
        errors.add("slug", _("The address “%(slug)s” is taken.") % {"slug": slug})
    try:
        fiscal_year_start_month = int(fiscal_year_start_month)
    except (TypeError, ValueError):
        fiscal_year_start_month = 0
    if not 1 <= fiscal_year_start_month <= 12:
        errors.add("fiscal_year_start_month", _("Choose a month from 1 to 12."))
    if time_zone not in zoneinfo.available_timezones():
        errors.add("time_zone", _("“%(tz)s” is not a known time zone.") % {"tz": time_zone})
    errors.raise_if_any()
    org = Organization(
        name=name,
        slug=slug,
        fiscal_year_start_month=fiscal_year_start_month,
        time_zone=time_zone,
        **settings,
    )
    org.full_clean()
    org.save()
    root = Unit.objects.create(organization=org, name=name, kind=UnitKind.COMPANY)
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER)
    UnitMember.objects.create(organization=org, unit=root, user=owner, is_lead=True)
    audit_record(organization=org, actor=owner, verb="organization.created", obj=org)
    return org


def root_unit(org: Organization) -> Unit:
    return Unit.objects.get(organization=org, parent__isnull=True)


@transaction.atomic
def unit_create(
    *, organization: Organization, name: str, parent: Unit, kind: str = UnitKind.TEAM, by: Any
) -> Unit:
    errors = Errors()
    name = _check_name(errors, name)
    if parent.organization_id != organization.id:
        errors.add("parent", _("That unit belongs to another organization."))
    if kind not in (UnitKind.DEPARTMENT, UnitKind.TEAM):
        errors.add("kind", _("A unit is a department or a team."))
    if name and Unit.objects.filter(organization=organization, parent=parent, name=name).exists():
        errors.add(
            "name", _("%(parent)s already has a unit with that name.") % {"parent": parent.name}
        )
    errors.raise_if_any()
    unit = Unit.objects.create(organization=organization, name=name, parent=parent, kind=kind)
    audit_record(organization=organization, actor=by, verb="unit.created", obj=unit)
    return unit


@transaction.atomic
def person_add(
    *,
    organization: Organization,
    email: str,
    name: str = "",
    role: str | None = None,
    units: list[Unit] | None = None,
    lead_of: list[Unit] | None = None,
    password: str | None = None,
    by: Any,
) -> Membership:
    """Add a person (creating their account if needed) to an organization and its units.
    A new member gets `role` (member by default); an existing member's role changes only when
    `role` is given, so adding someone to one more unit never demotes them."""
    errors = Errors()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", _("Enter a valid email address."))
    if role is not None and role not in Role.values:
        errors.add("role", _("Unknown role."))
    for unit in [*(units or []), *(lead_of or [])]:
        if unit.organization_id != organization.id:
            errors.add("units", _("That unit belongs to another organization."))
    if len(name) > 150:
        errors.add("name", _("Keep the name under 150 characters."))
    errors.raise_if_any()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, name=name.strip())
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role or Role.MEMBER}
    )
    if not created and role is not None and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    for unit in units or []:
        UnitMember.objects.get_or_create(organization=organization, unit=unit, user=user)
    for unit in lead_of or []:
        UnitMember.objects.update_or_create(
            organization=organization, unit=unit, user=user, defaults={"is_lead": True}
        )
    audit_record(
        organization=organization,
        actor=by,
        verb="membership.created" if created else "membership.updated",
        obj=membership,
        changes={"email": email, "role": membership.role},
    )
    return membership


ORGANIZATION_FIELDS = (
    "name",
    "fiscal_year_start_month",
    "cycle_length",
    "week_start",
    "checkin_weekday",
    "checkin_hour",
    "time_zone",
    "language",
    "at_risk_gap",
    "off_track_gap",
    "stale_days",
    "approval_required",
    "leaderboards_enabled",
    "rollout",
)


@transaction.atomic
def organization_update(*, organization: Organization, by: Any, **changes: Any) -> Organization:
    """Change an organization's settings; all are validated before anything is saved."""
    from tenfold.audit.services import diff

    unknown = set(changes) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = Errors()
    if "name" in changes:
        changes["name"] = _check_name(errors, changes["name"])
    if "time_zone" in changes and changes["time_zone"] not in zoneinfo.available_timezones():
        errors.add(
            "time_zone", _("“%(tz)s” is not a known time zone.") % {"tz": changes["time_zone"]}
        )
    at_risk = changes.get("at_risk_gap", organization.at_risk_gap)
    off_track = changes.get("off_track_gap", organization.off_track_gap)
    if at_risk is not None and off_track is not None and off_track < at_risk:
        errors.add("off_track_gap", _("“Off track” must be at least as far behind as “at risk”."))
    if "stale_days" in changes:
        try:
            changes["stale_days"] = int(changes["stale_days"])
        except (TypeError, ValueError):
            changes["stale_days"] = 0
        if not 1 <= changes["stale_days"] <= 90:
            errors.add("stale_days", _("Choose between 1 and 90 days."))
    errors.raise_if_any()
    before = {name: getattr(organization, name) for name in changes}
    for name, value in changes.items():
        setattr(organization, name, value)
    try:
        organization.full_clean(exclude=["slug", "ppp_names", "extra_categories"])
    except ValidationError:
        organization.refresh_from_db()
        raise
    organization.save()
    audit_record(
        organization=organization,
        actor=by,
        verb="organization.updated",
        obj=organization,
        changes=diff(before, changes),
    )
    return organization


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    """Change a person's role; an organization always keeps at least one owner."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if (
        membership.role == Role.OWNER
        and role != Role.OWNER
        and not Membership.objects.filter(
            organization_id=membership.organization_id, role=Role.OWNER
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "role": _(
                    "Make someone else an owner first: an organization needs at least one owner."
                )
            }
        )
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        organization=membership.organization,
        actor=by,
        verb="membership.updated",
        obj=membership,
        changes={"role": [before, role]},
    )
    return membership
