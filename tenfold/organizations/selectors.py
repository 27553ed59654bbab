"""Reads scoped to one organization and one viewer. Views, the API and commands fetch through
these, so tenant isolation and visibility are decided in one place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tenfold.db import changes, fast

from .models import Invitation, Membership, Organization, Unit
from .permissions import Access, access_for


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


_MEMBERSHIP = fast.Loader(Membership)
_ORGANIZATION = fast.Loader(Organization)


def memberships_list(user: Any) -> list[Membership]:
    """`memberships_of(user)` as a list, in one hand-written read: every page asks for it
    (`tenfold.db.fast`)."""
    width = _MEMBERSHIP.width()
    organization_name = fast.column(Organization, "name", "o")
    rows = fast.fetch(
        f"SELECT {_MEMBERSHIP.columns('m')}, {_ORGANIZATION.columns('o')}"  # nosec B608  # quoted names; values bound
        f" FROM {fast.table(Membership)} m"
        f" JOIN {fast.table(Organization)} o"
        f" ON o.{fast.column(Organization, 'id')} = {fast.column(Membership, 'organization', 'm')}"
        f" WHERE {fast.column(Membership, 'user', 'm')} = %s"
        f" ORDER BY {organization_name}, {fast.column(Membership, 'id', 'm')}",
        [user.pk],
    )
    found = []
    for row in rows:
        membership = _MEMBERSHIP.build(row[:width])
        membership.organization = _ORGANIZATION.build(row[width:])
        found.append(membership)
    return found


def access_to(
    user: Any, slug: str, memberships: list[Membership] | None = None
) -> tuple[Organization, Access]:
    """The organization at `slug` and the user's access to it; 404 for non-members, so an
    outsider cannot even learn that the organization exists. `memberships`, when given, are
    all of the user's (`memberships_of`, read once for a request) and no query is made."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if memberships is None:
        membership = (
            Membership.objects.select_related("organization", "user")
            .filter(user=user, organization__slug=slug)
            .first()
        )
    else:
        membership = next((m for m in memberships if m.organization.slug == slug), None)
        if membership is not None:
            membership.user = user
    if membership is None:
        raise Http404
    # What the request writes from now on belongs to this organization.
    changes.work_in(membership.organization_id)
    return membership.organization, access_for(membership)


def units_of(organization: Organization) -> list[Unit]:
    return list(Unit.objects.filter(organization=organization).order_by("order", "name"))


def unit_tree(organization: Organization) -> list[tuple[Unit, int]]:
    """Units in display order with their depth, from one query."""
    units = units_of(organization)
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    result: list[tuple[Unit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            result.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return result


def get_unit(organization: Organization, code: str) -> Unit:
    unit = Unit.objects.filter(organization=organization, code=code).first()
    if unit is None:
        raise Http404
    return unit


def people_of(organization: Organization) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__organization=organization)
        .order_by("name", "email")
    )


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    """The organization's invitations that can still be accepted, newest first, with who
    sent them and the units they lead to (in the order of the unit tree's siblings)."""
    from django.db.models import Prefetch
    from django.utils import timezone

    return (
        Invitation.objects.filter(
            organization=organization,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("order", "name", "id")))
        .order_by("-created_at", "-id")
    )


def invitations_pending(organization: Organization) -> list[Invitation]:
    """`pending_invitations(organization)` as a list, for the people page."""
    return list(pending_invitations(organization))


def get_invitation(organization: Organization, code: str) -> Invitation:
    """An invitation of the organization by its code, whatever its state (the services say
    what may still be done with it); 404 when the organization has none with that code."""
    invitation = (
        Invitation.objects.filter(organization=organization, code=(code or "").strip())
        .select_related("organization", "invited_by")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_data(invitation: Invitation) -> dict[str, Any]:
    """An invitation as the API and `tenfold invitations --json` show it: never its link,
    which exists in the invitation email alone."""
    inviter = invitation.invited_by
    return {
        "code": invitation.code,
        "email": invitation.email,
        "role": invitation.role,
        "units": [
            {"code": unit.code, "name": unit.name, "kind": unit.kind}
            for unit in invitation.units.all()
        ],
        "invited_by": (
            {"user_id": inviter.pk, "name": inviter.display_name, "email": inviter.email}
            if inviter is not None
            else None
        ),
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }
