"""Weekly reports: who may see them, which week it is, and the services that change them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenfold.organizations.models import UnitMember

if TYPE_CHECKING:
    from tenfold.organizations.permissions import Access

    from .models import WeeklyReport


def can_see_report(access: Access, report: WeeklyReport) -> bool:
    """A person's week is open to them, to admins, to the people they share a unit with and to
    the leads above them: transparency inside the team, awareness for managers."""
    if access.is_admin or report.person_id == access.user_id:
        return True
    unit_ids = set(
        UnitMember.objects.filter(
            organization_id=access.membership.organization_id, user_id=report.person_id
        ).values_list("unit_id", flat=True)
    )
    return bool(unit_ids & (access.member_unit_ids | access.led_unit_ids))
