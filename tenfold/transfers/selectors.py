"""Reads of transfers, scoped to one organization (exports) or to the site's staff (imports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from tenfold.organizations.models import Organization

from . import storage
from .models import Kind, Status, Transfer

RECENT = 20


def exports_of(organization: Organization) -> QuerySet[Transfer]:
    """The organization's exports that have not expired, newest first."""
    return (
        Transfer.objects.filter(
            organization=organization, kind=Kind.EXPORT, expires_at__gt=timezone.now()
        )
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def get_export(organization: Organization, code: str) -> Transfer:
    transfer = (
        Transfer.objects.filter(organization=organization, kind=Kind.EXPORT, code=code.strip())
        .select_related("created_by", "organization")
        .first()
    )
    if transfer is None:
        raise Http404
    return live(transfer)


def imports() -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(kind=Kind.IMPORT, expires_at__gt=timezone.now())
        .select_related("created_by", "organization")
        .order_by("-created_at", "-id")
    )


def get_import(code: str) -> Transfer:
    transfer = imports().filter(code=code.strip()).first()
    if transfer is None:
        raise Http404
    return live(transfer)


def live(transfer: Transfer) -> Transfer:
    """The transfer with the latest figures of a job that reports them through its side file
    (an import, whose writes to its row stay invisible until it ends)."""
    if transfer.status == Status.RUNNING:
        figures = storage.read_progress(transfer.code)
        if figures is not None:
            transfer.done = int(figures.get("done") or 0)
            total: Any = figures.get("total")
            transfer.total = int(total) if total is not None else None
            transfer.label = str(figures.get("label") or "")
    return transfer


def live_all(transfers: Iterable[Transfer]) -> list[Transfer]:
    return [live(transfer) for transfer in transfers]
