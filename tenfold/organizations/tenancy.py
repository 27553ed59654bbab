"""A guard for tests: no request reads another organization's rows.

Every request that names an organization records it (`tenfold.db.changes.work_in`, called by
`access_to`). While `reads_stay_in_one_organization()` is active, every model instance built
from a database row — through the ORM or the hand-written reads of `tenfold.db.fast`, which
both end in `Model.from_db` — is checked: a row of a tenant model (one with an
`organization` foreign key) that belongs to another organization than the request's fails
the test on the spot, naming the model and both organizations. An unscoped query that
happens to return a neighbour's rows is caught even when the page would not show them.
Organizations made inside the guarded block are exempt: a request that builds one (a
sandbox) reads what it has just written.

Rows read as plain values (`values()`, `values_list()`, aggregates) do not become instances
and are not checked; they are covered by the cross-organization tests instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models

from tenfold.db import changes

# A person's memberships of all their organizations are read on every page (the
# organization switcher): they belong to the person, not to the organization in view.
ACROSS_ORGANIZATIONS = frozenset({"organizations.Membership"})


class CrossOrganizationRead(AssertionError):
    """A request read a row of another organization than the one it answers for."""


def tenant_models() -> frozenset[type[models.Model]]:
    """The models whose rows belong to one organization."""
    found = set()
    for model in apps.get_models():
        if model._meta.label in ACROSS_ORGANIZATIONS:
            continue
        fields = {field.name: field for field in model._meta.get_fields()}
        field = fields.get("organization")
        if field is not None and field.is_relation and field.many_to_one:
            found.add(model)
    return frozenset(found)


@contextlib.contextmanager
def reads_stay_in_one_organization() -> Iterator[list[str]]:
    """Fail when a request reads another organization's row; yields the list of checks made
    (one entry per tenant row read inside a request), so a test can show the guard ran."""
    from tenfold.organizations.models import Organization

    guarded = tenant_models()
    checked: list[str] = []
    # Organizations made inside the block (a sandbox built from a page, say) hold nothing
    # that was anybody else's: reading them is not a leak.
    existing = set(Organization.objects.values_list("id", flat=True))
    original = models.Model.__dict__["from_db"]
    build = original.__func__

    def from_db(
        cls: type[models.Model], db: str, field_names: Any, values: Any, **options: Any
    ) -> Any:
        instance = build(cls, db, field_names, values, **options)
        current = changes.current_organization()
        if current is not None and cls in guarded:
            owner = instance.__dict__.get("organization_id")
            checked.append(cls._meta.label)
            if owner is not None and owner != current and owner in existing:
                raise CrossOrganizationRead(
                    f"{cls._meta.label} #{instance.pk} of organization {owner} was read "
                    f"while answering for organization {current}"
                )
        return instance

    models.Model.from_db = classmethod(from_db)  # type: ignore[assignment,method-assign]
    try:
        yield checked
    finally:
        models.Model.from_db = original  # type: ignore[method-assign]
