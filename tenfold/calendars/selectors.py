"""Feed links: the signed tokens in them, who may see which link, and finding what a token
names.

A token is `<kind>-<organization code>-<subject>-<key>` signed with the site's secret (salted
for this use): kind `u` names a unit by its code, `p` a person by their id. It cannot be
forged or altered without the secret, and it stops working when the unit's or person's key is
reset (see `CalendarKey`). Nothing in it is secret by itself; the signature is what opens the
feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tenfold.organizations.models import Membership, Organization, Unit
from tenfold.organizations.permissions import Access

from .models import INITIAL_KEY, CalendarKey

SALT = "tenfold.calendars.feed"
SEPARATOR = "~"  # not in the signature's alphabet, and safe in a URL path
UNIT, PERSON = "u", "p"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=SEPARATOR)


# --- who may see what -------------------------------------------------------------------------


def may_see_unit_feed(access: Access, unit: Unit) -> bool:
    """Members and leads of the unit (or of a unit above it) and admins."""
    return access.is_admin or unit.id in access.member_unit_ids or unit.id in access.led_unit_ids


def may_reset_unit_feed(access: Access, unit: Unit) -> bool:
    """Resetting breaks every member's subscription, so it is for leads and admins."""
    return access.can_write and (access.is_admin or unit.id in access.led_unit_ids)


# --- keys and tokens --------------------------------------------------------------------------


def unit_key(unit: Unit) -> str:
    row = CalendarKey.objects.filter(unit=unit).only("key").first()
    return row.key if row else INITIAL_KEY


def person_key(organization: Organization, user: Any) -> str:
    row = CalendarKey.objects.filter(organization=organization, user=user).only("key").first()
    return row.key if row else INITIAL_KEY


def unit_token(organization: Organization, unit: Unit, key: str | None = None) -> str:
    key = unit_key(unit) if key is None else key
    return _signer().sign(f"{UNIT}-{organization.code}-{unit.code}-{key}")


def person_token(organization: Organization, user: Any, key: str | None = None) -> str:
    key = person_key(organization, user) if key is None else key
    return _signer().sign(f"{PERSON}-{organization.code}-{user.pk}-{key}")


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("calendar_feed", kwargs={"token": token})


def webcal_url(url: str) -> str:
    """The same feed for a one-click subscription in calendar apps that register webcal://."""
    return "webcal://" + url.split("://", 1)[-1]


def unit_feed_url(organization: Organization, unit: Unit) -> str:
    return feed_url(unit_token(organization, unit))


def person_feed_url(organization: Organization, user: Any) -> str:
    return feed_url(person_token(organization, user))


def unit_feed_urls(organization: Organization, units: list[Unit]) -> dict[int, str]:
    """Feed URLs of several units, with one query for their keys."""
    keys = dict(CalendarKey.objects.filter(unit__in=units).values_list("unit_id", "key"))
    return {
        unit.id: feed_url(unit_token(organization, unit, keys.get(unit.id, INITIAL_KEY)))
        for unit in units
    }


@dataclass(frozen=True)
class Feed:
    """What a valid token opens: a unit's feed or a person's, in one organization."""

    organization: Organization
    unit: Unit | None = None
    membership: Membership | None = None


def read_token(token: str) -> Feed | None:
    """The feed a token opens, or None for a forged, altered, reset or stale one (the unit or
    membership is gone)."""
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    parts = value.split("-")
    if len(parts) != 4:
        return None
    kind, org_code, subject, key = parts
    organization = Organization.objects.filter(code=org_code).first()
    if organization is None:
        return None
    if kind == UNIT:
        unit = Unit.objects.filter(organization=organization, code=subject).first()
        if unit is None or unit_key(unit) != key:
            return None
        unit.organization = organization
        return Feed(organization=organization, unit=unit)
    if kind == PERSON and subject.isdigit():
        membership = (
            Membership.objects.filter(organization=organization, user_id=int(subject))
            .select_related("user")
            .first()
        )
        if membership is None or person_key(organization, membership.user) != key:
            return None
        membership.organization = organization
        return Feed(organization=organization, membership=membership)
    return None
