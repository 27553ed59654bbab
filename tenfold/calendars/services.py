"""Resetting a feed link: a new key for the unit or person, so every link made with the old
key stops working at once. Keyword-only, atomic, audited, like every service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.lib.codes import new_code
from tenfold.organizations.models import Unit
from tenfold.organizations.permissions import Access

from .models import CalendarKey
from .selectors import may_reset_unit_feed, person_feed_url, unit_feed_url

KEY_LENGTH = 16


def _new_key(row: CalendarKey | None, **owner: Any) -> CalendarKey:
    if row is None:
        return CalendarKey.objects.create(key=new_code(KEY_LENGTH), **owner)
    row.key = new_code(KEY_LENGTH)
    row.save(update_fields=["key", "updated_at"])
    return row


@transaction.atomic
def unit_feed_reset(*, access: Access, unit: Unit) -> str:
    """A new link for the unit's feed; returns it. Leads of the unit and admins only."""
    organization = access.membership.organization
    if unit.organization_id != organization.id:
        raise PermissionDenied(_("That unit belongs to another organization."))
    if not may_reset_unit_feed(access, unit):
        raise PermissionDenied(_("Only the unit's leads and admins can reset its calendar link."))
    row = CalendarKey.objects.select_for_update(of=("self",)).filter(unit=unit).first()
    _new_key(row, organization=organization, unit=unit)
    audit_record(
        organization=organization,
        actor=access.membership.user,
        verb="calendar.unit_link_reset",
        obj=unit,
        changes={"unit": unit},
    )
    return unit_feed_url(organization, unit)


@transaction.atomic
def person_feed_reset(*, access: Access) -> str:
    """A new link for the person's own feed; returns it. Anyone may reset their own."""
    organization = access.membership.organization
    user = access.membership.user
    row = (
        CalendarKey.objects.select_for_update(of=("self",))
        .filter(organization=organization, user=user)
        .first()
    )
    _new_key(row, organization=organization, user=user)
    audit_record(
        organization=organization,
        actor=user,
        verb="calendar.personal_link_reset",
        obj=access.membership,
        changes={},
    )
    return person_feed_url(organization, user)
