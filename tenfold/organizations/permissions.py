"""Who may see and change what, decided in one place for web, API and CLI alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Membership, Role, UnitKind

if TYPE_CHECKING:
    from tenfold.okrs.models import KeyResult, Objective


class Access:
    """A person's standing in one organization, computed once per request."""

    def __init__(
        self,
        membership: Membership,
        led_unit_ids: set[int] | None = None,
        member_unit_ids: set[int] | None = None,
        *,
        lead_roots: set[int] | None = None,
    ) -> None:
        self.membership = membership
        self.member_unit_ids: set[int] = member_unit_ids if member_unit_ids is not None else set()
        """Units the person belongs to directly."""
        self._led_unit_ids = led_unit_ids
        self._lead_roots = lead_roots or set()

    def __repr__(self) -> str:
        return f"Access(membership={self.membership.pk}, role={self.membership.role})"

    @property
    def led_unit_ids(self) -> set[int]:
        """Units the person leads, and every unit below them. Walked from the units they
        lead the first time it is asked for: an admin's pages rarely need it, and in a big
        organization it reads every unit."""
        if self._led_unit_ids is None:
            self._led_unit_ids = _below(self.membership.organization_id, self._lead_roots)
        return self._led_unit_ids

    @property
    def user_id(self) -> int:
        return self.membership.user_id

    @property
    def is_admin(self) -> bool:
        return self.membership.role in (Role.OWNER, Role.ADMIN)

    @property
    def can_write(self) -> bool:
        return self.membership.role != Role.VIEWER

    def can_view_objective(self, objective: Objective) -> bool:
        if objective.visibility == "organization" and objective.level != "personal":
            return True
        if self.is_admin or objective.lead_id == self.user_id:
            return True
        if objective.owner_person_id == self.user_id:
            return True
        if objective.unit_id in self.led_unit_ids:
            return True
        return objective.visibility == "unit" and objective.unit_id in self.member_unit_ids

    def can_edit_objective(self, objective: Objective) -> bool:
        if not self.can_write:
            return False
        if objective.level == "personal":
            return objective.owner_person_id == self.user_id or self.is_admin
        if self.is_admin or objective.lead_id == self.user_id:
            return True
        if objective.unit_id in self.led_unit_ids:
            return True
        # Teams own their OKRs together: any member of the owning team may edit the ones they
        # can see (a private objective stays with the lead and the managers).
        return (
            objective.level == "team"
            and objective.unit_id in self.member_unit_ids
            and self.can_view_objective(objective)
        )

    def can_create_in_unit(self, unit_id: int, unit_kind: str) -> bool:
        if not self.can_write:
            return False
        if self.is_admin or unit_id in self.led_unit_ids:
            return True
        return unit_kind == UnitKind.TEAM and unit_id in self.member_unit_ids

    def can_check_in(self, key_result: KeyResult, objective: Objective) -> bool:
        if not self.can_write:
            return False
        return key_result.owner_id == self.user_id or self.can_edit_objective(objective)

    def can_manage_organization(self) -> bool:
        return self.is_admin


def _below(organization_id: int, roots: set[int]) -> set[int]:
    """`roots` and every unit under them, from one recursive query that reads only that
    part of the organization."""
    from tenfold.db import fast

    from .models import Unit

    if not roots:
        return set()
    units = fast.table(Unit)
    unit_id, parent_id = fast.column(Unit, "id"), fast.column(Unit, "parent")
    organization = fast.column(Unit, "organization", "u")
    ordered = sorted(roots)
    rows = fast.fetch(
        f"WITH RECURSIVE below(id) AS ("  # nosec B608  # quoted names; values bound
        f" SELECT {unit_id} FROM {units} WHERE {unit_id} IN ({fast.marks(ordered)})"
        f" AND {fast.column(Unit, 'organization')} = %s"
        f" UNION SELECT u.{unit_id} FROM {units} u JOIN below ON u.{parent_id} = below.id"
        f" WHERE {organization} = %s"
        f") SELECT id FROM below",
        [*ordered, organization_id, organization_id],
    )
    return {row[0] for row in rows}


def access_for(membership: Membership) -> Access:
    """Build the Access of a membership with two queries whatever the organization's size
    (one for a member who leads nothing; an admin's led units are read only if asked for,
    since an admin sees everything anyway)."""
    from tenfold.db import fast

    from .models import UnitMember

    rows = fast.fetch(
        f"SELECT {fast.column(UnitMember, 'unit')}, {fast.column(UnitMember, 'is_lead')}"  # nosec B608  # quoted names; values bound
        f" FROM {fast.table(UnitMember)}"
        f" WHERE {fast.column(UnitMember, 'organization')} = %s"
        f" AND {fast.column(UnitMember, 'user')} = %s",
        [membership.organization_id, membership.user_id],
    )
    member_ids = {unit_id for unit_id, _ in rows}
    lead_roots = {unit_id for unit_id, is_lead in rows if is_lead}
    access = Access(membership=membership, member_unit_ids=member_ids, lead_roots=lead_roots)
    if not access.is_admin:
        # Visibility rests on them: read now, so a page's queries never depend on its rows.
        access.led_unit_ids  # noqa: B018
    return access
