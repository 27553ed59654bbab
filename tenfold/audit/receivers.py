"""The audit log's own reactions to other apps' changes."""

from __future__ import annotations

from typing import Any

from tenfold.organizations.models import Organization

from .services import record_organization_deletion


def organization_deleting(sender: Any, instance: Organization, **kwargs: Any) -> None:
    """An organization's events go with it (demo rebuilds, sandboxes, seeded benchmarks):
    leave a site-level record that it existed and how many events went."""
    if kwargs.get("raw"):
        return
    record_organization_deletion(organization=instance)
