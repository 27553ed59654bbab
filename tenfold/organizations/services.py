"""Writes to organizations, units and memberships. Every write is atomic and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenfold.accounts.services import addresses_verified
from tenfold.audit.services import audit_record
from tenfold.lib.validation import Errors, time_zone_names

from .models import Invitation, Membership, Organization, Role, Unit, UnitKind, UnitMember

User = get_user_model()
NAME_MAX = 120
# Addresses that would collide with the site's own top-level paths.
RESERVED_SLUGS = frozenset(
    {
        "accounts",
        "admin",
        "api",
        "transfers",
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
        "invitations",
        # The user guide, and a person's own pages.
        "help",
        "me",
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
    if time_zone not in time_zone_names():
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
        # Adding someone who is already in never takes the last owner away.
        _keep_an_owner(membership, role)
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


def _language_codes() -> list[str]:
    from django.conf import settings as django_settings

    return [code for code, _name in django_settings.LANGUAGES]


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
def organization_update(
    *, organization: Organization, by: Any, record: bool = True, **changes: Any
) -> Organization:
    """Change an organization's settings; all are validated before anything is saved.
    `record=False` is for services that record the change in an event of their own."""
    from tenfold.audit.services import diff

    unknown = set(changes) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(f)s") % {"f": ", ".join(sorted(unknown))})
    errors = Errors()
    if "name" in changes:
        changes["name"] = _check_name(errors, changes["name"])
    if "time_zone" in changes and changes["time_zone"] not in time_zone_names():
        errors.add(
            "time_zone", _("“%(tz)s” is not a known time zone.") % {"tz": changes["time_zone"]}
        )
    if "language" in changes and changes["language"] not in _language_codes():
        errors.add(
            "language",
            _("Choose one of: %(codes)s.") % {"codes": ", ".join(_language_codes())},
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
    if record:
        audit_record(
            organization=organization,
            actor=by,
            verb="organization.updated",
            obj=organization,
            changes=diff(before, changes),
        )
    return organization


def _keep_an_owner(membership: Membership, role: str) -> None:
    """Refuse to take the owner role from the organization's last owner. The owners' rows are
    locked, so two admins demoting the last two owners at once cannot both succeed."""
    if membership.role != Role.OWNER or role == Role.OWNER:
        return
    owners = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(organization_id=membership.organization_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    if not [pk for pk in owners if pk != membership.pk]:
        raise ValidationError(
            {
                "role": _(
                    "Make someone else an owner first: an organization needs at least one owner."
                )
            }
        )


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: Any) -> Membership:
    """Change a person's role; an organization always keeps at least one owner."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    _keep_an_owner(membership, role)
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


TITLE_MAX = 120
ORDER_MAX = 2_147_483_647


@transaction.atomic
def membership_update(
    *, membership: Membership, by: Any, role: str | None = None, title: str | None = None
) -> Membership:
    """Change a person's role and job title (None keeps a value). Both are checked before
    either is saved; the role follows the rules of `membership_set_role`."""
    errors = Errors()
    if role is not None and role not in Role.values:
        errors.add("role", _("Unknown role."))
    if title is not None:
        title = title.strip()
        if len(title) > TITLE_MAX:
            errors.add(
                "title", _("Keep the job title under %(max)d characters.") % {"max": TITLE_MAX}
            )
    errors.raise_if_any()
    if role is not None and role != membership.role:
        membership_set_role(membership=membership, role=role, by=by)
    if title is not None and title != membership.title:
        before = membership.title
        membership.title = title
        membership.save(update_fields=["title"])
        audit_record(
            organization=membership.organization,
            actor=by,
            verb="membership.updated",
            obj=membership,
            changes={"title": [before, title]},
        )
    return membership


def _below(unit: Unit) -> set[int]:
    """Ids of `unit` and every unit under it, from one query."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in Unit.objects.filter(organization_id=unit.organization_id).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = [unit.id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    by: Any,
    name: str | None = None,
    parent: Unit | None = None,
    kind: str | None = None,
    order: int | None = None,
) -> Unit:
    """Rename a unit, move it under another parent, change its kind or its place among its
    siblings (None keeps a value). The company unit stays at the root and stays the company;
    a unit never moves under itself or a unit below it."""
    # One tree change at a time per organization: two moves checked side by side could
    # otherwise each pass and together make a loop.
    list(
        Organization.objects.select_for_update(of=("self",))
        .filter(pk=unit.organization_id)
        .values_list("pk", flat=True)
    )
    unit.refresh_from_db()
    errors = Errors()
    changes: dict[str, Any] = {}
    if name is not None:
        name = _check_name(errors, name)
        if name != unit.name:
            changes["name"] = name
    if parent is not None and parent.pk != unit.parent_id:
        if parent.organization_id != unit.organization_id:
            errors.add("parent", _("That unit belongs to another organization."))
        elif unit.parent_id is None:
            errors.add("parent", _("The company unit stays at the top of the tree."))
        elif parent.pk in _below(unit):
            errors.add("parent", _("A unit cannot move under itself or a unit below it."))
        else:
            changes["parent"] = parent
    if kind is not None and kind != unit.kind:
        if unit.parent_id is None:
            errors.add("kind", _("The company unit stays the company."))
        elif kind not in (UnitKind.DEPARTMENT, UnitKind.TEAM):
            errors.add("kind", _("A unit is a department or a team."))
        else:
            changes["kind"] = kind
    if order is not None:
        if not 0 <= order <= ORDER_MAX:
            errors.add("order", _("Give a whole number from 0 up."))
        elif order != unit.order:
            changes["order"] = order
    final_name = changes.get("name", unit.name)
    final_parent = changes.get("parent")
    final_parent_id = final_parent.pk if final_parent is not None else unit.parent_id
    if (
        ("name" in changes or "parent" in changes)
        and final_parent_id is not None
        and Unit.objects.filter(
            organization_id=unit.organization_id, parent_id=final_parent_id, name=final_name
        )
        .exclude(pk=unit.pk)
        .exists()
    ):
        errors.add(
            "name",
            _("%(parent)s already has a unit with that name.")
            % {"parent": (final_parent or unit.parent).name},  # type: ignore[union-attr]
        )
    errors.raise_if_any()
    if not changes:
        return unit
    before = {key: getattr(unit, key) for key in changes}
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.save(update_fields=list(changes))
    audit_record(
        organization=unit.organization,
        actor=by,
        verb="unit.updated",
        obj=unit,
        changes={
            key: [
                getattr(before[key], "code", before[key]),
                getattr(value, "code", value),
            ]
            for key, value in changes.items()
        },
    )
    return unit


@transaction.atomic
def unit_member_add(
    *, unit: Unit, user: Any, by: Any, lead: bool | None = None
) -> tuple[UnitMember, bool]:
    """Put a person of the organization into a unit, as its lead or not (None keeps the lead
    flag of someone already there). Answers the row and whether it is new."""
    if not Membership.objects.filter(organization_id=unit.organization_id, user=user).exists():
        raise ValidationError({"user": _("That person is not in this organization.")})
    member, created = UnitMember.objects.get_or_create(
        organization_id=unit.organization_id,
        unit=unit,
        user=user,
        defaults={"is_lead": bool(lead)},
    )
    if created:
        audit_record(
            organization=unit.organization,
            actor=by,
            verb="unit_member.added",
            obj=unit,
            changes={"email": user.email, "lead": member.is_lead},
        )
    elif lead is not None and member.is_lead != lead:
        unit_member_set_lead(member=member, lead=lead, by=by)
    return member, created


@transaction.atomic
def unit_member_set_lead(*, member: UnitMember, lead: bool, by: Any) -> UnitMember:
    """Make a member of a unit its lead, or an ordinary member again."""
    if member.is_lead == lead:
        return member
    member.is_lead = lead
    member.save(update_fields=["is_lead"])
    audit_record(
        organization=member.unit.organization,
        actor=by,
        verb="unit_member.updated",
        obj=member.unit,
        changes={"email": member.user.email, "lead": [not lead, lead]},
    )
    return member


@transaction.atomic
def unit_member_remove(*, member: UnitMember, by: Any) -> None:
    """Take a person out of a unit; they stay in the organization and its other units."""
    unit, email = member.unit, member.user.email
    member.delete()
    audit_record(
        organization=unit.organization,
        actor=by,
        verb="unit_member.removed",
        obj=unit,
        changes={"email": email, "lead": member.is_lead},
    )


# --- invitations ------------------------------------------------------------------------------


class InvitationUnusable(Exception):
    """The link of an invitation cannot be used: `reason` is "unknown" (no such link, or
    revoked), "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_token_hash(token: str) -> str:
    """The SHA-256 of an invitation link's secret, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(organization: Organization, by: Any) -> None:
    """Refuse anyone but the organization's owners and admins."""
    membership = Membership.objects.filter(organization=organization, user_id=by.pk).first()
    if membership is None or not membership.is_admin:
        raise PermissionDenied(_("Only owners and admins invite people."))


def invitations_expire_at(now: dt.datetime) -> dt.datetime:
    """When an invitation made at `now` stops working (`INVITATION_DAYS` later)."""
    return now + dt.timedelta(days=django_settings.INVITATION_DAYS)


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str = Role.MEMBER,
    units: list[Unit] | None = None,
    by: Any,
) -> tuple[Invitation, str]:
    """Invite `email` to join `organization` with `role` and `units`, and email them the link
    once the transaction commits. Answers the invitation and the link's secret, which is not
    stored. Owners and admins only; one pending invitation per address, none for members."""
    _require_admin(organization, by)
    # One invitation at a time per organization: two admins inviting the same address at
    # once could otherwise both pass the duplicate check.
    list(
        Organization.objects.select_for_update(of=("self",))
        .filter(pk=organization.pk)
        .values_list("pk", flat=True)
    )
    errors = Errors()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", _("Enter a valid email address."))
    if role not in Role.values:
        errors.add("role", _("Unknown role."))
    for unit in units or []:
        if unit.organization_id != organization.id:
            errors.add("units", _("That unit belongs to another organization."))
    now = timezone.now()
    if (
        email
        and Membership.objects.filter(organization=organization, user__email__iexact=email).exists()
    ):
        errors.add("email", _("That person is already in this organization."))
    elif (
        email
        and Invitation.objects.filter(
            organization=organization,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        ).exists()
    ):
        errors.add("email", _("That address has an invitation waiting already."))
    errors.raise_if_any()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=by,
        token_hash=invitation_token_hash(token),
        expires_at=invitations_expire_at(now),
    )
    invitation.units.set(units or [])
    audit_record(
        organization=organization,
        actor=by,
        verb="invitation.created",
        obj=invitation,
        changes={"email": email, "role": role, "units": [unit.code for unit in units or []]},
    )
    transaction.on_commit(lambda: invitation_email_send(invitation=invitation, token=token))
    return invitation, token


def invitation_email_send(*, invitation: Invitation, token: str) -> None:
    """Email the invitation's link to the invited address (plain text and HTML). Sent right
    away rather than by a background task: the link's secret is not stored anywhere."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from tenfold.notifications.services import send_email, site_url

    organization = invitation.organization
    with translation.override(organization.language):
        context = {
            "org": organization,
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "accept_url": site_url("invitation_accept", token=token),
            "expires_at": invitation.expires_at,
        }
        subject = " ".join(
            render_to_string("organizations/email/invitation_subject.txt", context).split()
        )
        context["subject"] = subject
        text = render_to_string("organizations/email/invitation.txt", context)
        html = render_to_string("organizations/email/invitation.html", context)
    send_email(to=invitation.email, subject=subject, text=text, html=html)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Any) -> Invitation:
    """Withdraw a pending invitation: its link stops working. Owners and admins only."""
    _require_admin(invitation.organization, by)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("That invitation has been accepted already."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("That invitation has been withdrawn already."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        organization=invitation.organization,
        actor=by,
        verb="invitation.revoked",
        obj=invitation,
        changes={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Any) -> tuple[Invitation, str]:
    """Email a pending invitation again, with a new link good for another `INVITATION_DAYS`.
    Only a hash of the first link was kept, so it cannot be sent twice: it stops working.
    Answers the invitation and the new link's secret. Owners and admins only; an accepted,
    withdrawn or expired invitation is refused (invite the address again instead)."""
    _require_admin(invitation.organization, by)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invited_by")
        .get(pk=invitation.pk)
    )
    now = timezone.now()
    if invitation.accepted_at is not None:
        raise ValidationError(_("That invitation has been accepted already."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("That invitation has been withdrawn already."))
    if invitation.expires_at <= now:
        raise ValidationError(_("That invitation has expired: invite the address again."))
    token = secrets.token_urlsafe(32)
    before = invitation.expires_at
    invitation.token_hash = invitation_token_hash(token)
    invitation.expires_at = invitations_expire_at(now)
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_record(
        organization=invitation.organization,
        actor=by,
        verb="invitation.resent",
        obj=invitation,
        changes={"email": invitation.email, "expires_at": [before, invitation.expires_at]},
    )
    transaction.on_commit(lambda: invitation_email_send(invitation=invitation, token=token))
    return invitation, token


def invitation_of_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link's secret opens, if it can still be accepted; else raises
    `InvitationUnusable` with the reason. A revoked link reads as unknown."""
    rows = Invitation.objects.select_related("organization")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(token_hash=invitation_token_hash(token or "")).first()
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable("expired")
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: Any = None, name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation once: `user`, signed in with the invited address, joins the
    organization with the invitation's role and units; without `user`, a new account is made
    for the invited address with `name` and `password` (checked by the password validators).
    Raises `InvitationUnusable` for a link that cannot be used."""
    invitation = invitation_of_token(token, lock=True)
    organization = invitation.organization
    if user is not None:
        if (user.email or "").strip().lower() != invitation.email:
            raise ValidationError(
                {"email": _("This invitation was sent to another email address.")}
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                {"email": _("An account with this address exists: sign in to accept.")}
            )
        errors = Errors()
        name = (name or "").strip()
        if not name:
            errors.add("name", _("Tell us your name."))
        elif len(name) > 150:
            errors.add("name", _("Keep the name under 150 characters."))
        try:
            validate_password(password, user=User(email=invitation.email, name=name))
        except ValidationError as error:
            for message in error.messages:
                errors.add("password", message)
        errors.raise_if_any()
        user = User.objects.create_user(email=invitation.email, password=password, name=name)
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": invitation.role}
    )
    for unit in invitation.units.all():
        UnitMember.objects.get_or_create(organization=organization, unit=unit, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    # The link reached the invited address: that proves it, for new and signed-in people alike.
    addresses_verified([user])
    audit_record(
        organization=organization,
        actor=user,
        verb="invitation.accepted",
        obj=invitation,
        changes={"email": invitation.email, "role": membership.role, "joined": created},
    )
    return membership
