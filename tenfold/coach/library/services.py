"""Using an example as a template: a draft objective with the example's key results.

The objective and its key results are written through `tenfold.okrs.services` (which validate
and audit each row) inside one transaction, so a refusal leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenfold.audit.services import audit_record
from tenfold.okrs.models import Cycle, CycleState, Level, Objective, ObjectiveState
from tenfold.okrs.services import key_result_create, objective_create
from tenfold.organizations.models import Unit
from tenfold.organizations.permissions import Access

from .catalogue import example_initial
from .model import Example

USABLE_CYCLE_STATES = (CycleState.PLANNING, CycleState.ACTIVE)
"""An example starts a new objective, so only cycles still being planned or running take one."""

__all__ = ["USABLE_CYCLE_STATES", "example_initial", "example_use"]


def _check_cycle(cycle: Cycle | None, organization_id: int) -> Cycle:
    if cycle is None:
        raise ValidationError({"cycle": _("Choose the cycle the objective is for.")})
    if cycle.organization_id != organization_id:
        raise ValidationError({"cycle": _("That cycle belongs to another organization.")})
    if cycle.state not in USABLE_CYCLE_STATES:
        raise ValidationError(
            {
                "cycle": _(
                    "The cycle “%(name)s” is %(state)s: choose a cycle in planning or an "
                    "active one."
                )
                % {"name": cycle.name, "state": CycleState(cycle.state).label.lower()}
            }
        )
    return cycle


@transaction.atomic
def example_use(
    *,
    example: Example,
    access: Access,
    unit: Unit | None,
    cycle: Cycle | None,
    by: Any,
) -> Objective:
    """A draft objective in `unit` for `cycle`, written from `example` in its language, with
    all of its key results. The level follows the unit (company, department or team); a
    personal-development example becomes a personal objective of `by`, and needs no unit.

    PermissionDenied when the person may not create objectives there; ValidationError (keyed by
    field) for a missing, foreign, closed or reviewing cycle, or a unit of another organization.
    """
    organization = access.membership.organization
    if not access.can_write:
        raise PermissionDenied(_("Viewers cannot create objectives."))
    personal = example.level == Level.PERSONAL
    if not personal:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit that will own the objective.")})
        if unit.organization_id != organization.id:
            raise ValidationError({"unit": _("That unit belongs to another organization.")})
        if not access.can_create_in_unit(unit.id, unit.kind):
            raise PermissionDenied(
                _("You may not create objectives for “%(unit)s”.") % {"unit": unit.name}
            )
    chosen = _check_cycle(cycle, organization.id)
    text = example_initial(example)
    objective = objective_create(
        organization=organization,
        cycle=chosen,
        unit=None if personal else unit,
        owner_person=by if personal else None,
        level=Level.PERSONAL if personal else None,  # otherwise the unit's kind decides
        title=text["title"],
        description=text["description"],
        type=text["type"],
        lead=by,
        state=ObjectiveState.DRAFT,
        by=by,
    )
    for key_result in example.key_results:
        key_result_create(objective=objective, by=by, **key_result.fields())
    # Recorded on the objective without its code, so the objective's own history keeps to the
    # events it knows how to describe; the adoption pages count examples used from it.
    audit_record(
        organization=organization,
        actor=by,
        verb="coach.example_used",
        obj=objective,
        changes={"example": example.slug, "language": example.language},
    )
    return objective
