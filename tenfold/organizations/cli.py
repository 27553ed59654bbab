"""What the commands that act as a person share: finding that person's access from `--as` and
`--org`, and turning a service's refusal into one line of text."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tenfold.accounts.models import User
from tenfold.db import changes
from tenfold.lib.validation import error_dict

from .models import Membership
from .permissions import Access, access_for


def error_message(error: ValidationError) -> str:
    """A service's ValidationError as one line: "field: message" for each field."""
    parts: list[str] = []
    for field, messages in error_dict(error).items():
        prefix = "" if field == "__all__" else f"{field}: "
        parts.extend(prefix + message for message in messages)
    return " ".join(parts)


def access_of(email: str, slug: str | None) -> Access:
    """The person's access to the organization at `slug`, or to their only organization."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise CommandError(_("Nobody signs in as %(email)s.") % {"email": email})
    memberships = Membership.objects.filter(user=user).select_related("organization", "user")
    if slug:
        memberships = memberships.filter(organization__slug=slug)
    found = list(memberships.order_by("organization__slug")[:21])
    if not found:
        raise CommandError(
            _("%(email)s is not a member of that organization.") % {"email": email}
            if slug
            else _("%(email)s belongs to no organization.") % {"email": email}
        )
    if len(found) > 1:
        raise CommandError(
            _("%(email)s belongs to several organizations; choose one with --org: %(slugs)s")
            % {"email": email, "slugs": ", ".join(m.organization.slug for m in found[:20])}
        )
    # What the command writes from now on belongs to this organization.
    changes.work_in(found[0].organization_id)
    return access_for(found[0])
