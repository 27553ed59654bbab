"""Writes of the habits app: giving kudos and taking them back. The only write path, for the
web, the API and anything else that gives kudos."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.organizations.permissions import Access
from tenfold.social.targets import may_view

from .models import Kudos
from .selectors import KUDOS_KINDS, author_of, kind_of


@transaction.atomic
def kudos_toggle(*, access: Access, target: Any) -> bool:
    """Give kudos for a check-in or weekly item as the person of `access`, or take them back
    when already given. Returns whether the kudos are now there.

    Whoever may see the target may give kudos, except viewers and the target's own author.
    Like reactions, kudos acknowledge work without changing anyone's OKRs, so they write no
    audit event; their own rows keep who gave them and when."""
    kind = kind_of(target)  # a programming error, not user input, for anything else
    if not may_view(access, target):
        raise PermissionDenied(_("You cannot see this, so you cannot give kudos for it."))
    if not access.can_write:
        raise PermissionDenied(_("Viewers can see kudos but not give them."))
    if author_of(target) == access.user_id:
        message = (
            _("This is your own check-in: kudos are for other people's work.")
            if kind == "check-in"
            else _("This is your own item: kudos are for other people's work.")
        )
        raise ValidationError({"target": [message]})
    kudos, created = Kudos.objects.get_or_create(
        organization_id=access.membership.organization_id,
        giver_id=access.user_id,
        **{KUDOS_KINDS[kind]: target},
    )
    if not created:
        kudos.delete()
    return created
