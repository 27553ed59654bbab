"""Snapshots of an organization's rows, independent of the exporter, and a way to remove an
organization so that its file can be imported into the same database again."""

from __future__ import annotations

import io
import json
from typing import Any

from django.db import models

from tenfold.accounts.models import User
from tenfold.checkins.models import CheckIn
from tenfold.interchange.exporting import dump
from tenfold.interchange.spec import PEOPLE, SECTIONS
from tenfold.kpis.models import Kpi
from tenfold.okrs.models import Cycle, Objective
from tenfold.organizations.models import Organization, Unit
from tenfold.reviews.models import Review


def export_text(org: Organization) -> str:
    stream = io.StringIO()
    dump(org, stream)
    return stream.getvalue()


def normalise(text: str, *, slug: bool = False) -> dict[str, Any]:
    data = json.loads(text)
    data["exported_at"] = "-"
    if slug:
        data["organization"]["slug"] = "-"
        data["organization"]["name"] = "-"
    return data


def _natural(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    if isinstance(obj, User):
        return obj.email
    code = getattr(obj, "code", None)
    return code if code is not None else type(obj).__name__


def _row(obj: models.Model) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for field in type(obj)._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            row[field.name] = _natural(getattr(obj, field.name))
        else:
            row[field.name] = getattr(obj, field.attname)
    return row


def snapshot(org: Organization) -> dict[str, list[dict[str, Any]]]:
    """Every stored field of every row of every exported table, references by code or email.
    It reads the model fields, not the spec, so a field the format forgets shows up here."""
    found: dict[str, list[dict[str, Any]]] = {}
    for section in SECTIONS:
        if section.name == PEOPLE:
            continue
        manager = section.model._base_manager
        if section.name == "organization":
            rows = manager.filter(pk=org.pk)
        else:
            rows = manager.filter(**{section.scope: org})
        found[section.name] = sorted((_row(obj) for obj in rows), key=repr)
    return found


def delete_organization(org: Organization) -> None:
    """Remove an organization and everything in it (people stay)."""
    Review.objects.filter(organization=org).delete()
    Kpi.objects.filter(organization=org).delete()
    CheckIn.objects.filter(organization=org).update(supersedes=None)
    Objective.objects.filter(organization=org).delete()
    cycles = Cycle.objects.filter(organization=org)
    while cycles.exists():
        cycles.filter(children__isnull=True).delete()
    units = Unit.objects.filter(organization=org)
    while units.exists():
        units.filter(children__isnull=True).delete()
    org.delete()
