"""Transfers: long imports and exports that run in the background.

A `Transfer` is one job: an export of an organization to a file that people download later, or
an import of a whole organization from an uploaded interchange document. The row carries what
the web page and the API show (status, how far it is, what it is doing now), the cancel request,
and where the finished file lies on disk. Files live under the transfers directory (see
`tenfold.transfers.storage`), never in the database, and expire after a week.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization

KEEP_FOR = dt.timedelta(days=7)


def expiry() -> dt.datetime:
    return timezone.now() + KEEP_FOR


class Kind(models.TextChoices):
    EXPORT = "export", _("Export")
    IMPORT = "import", _("Import")


class Format(models.TextChoices):
    JSON = "json", _("JSON (complete, for import)")
    YAML = "yaml", _("YAML files, OKRs as code (zip)")
    CSV = "csv", _("CSV spreadsheet")
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    MD = "md", _("Markdown, for reading")


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE = (Status.QUEUED, Status.RUNNING)
FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

# What a finished file is called when downloaded, and what it is.
EXTENSIONS = {"json": "json", "yaml": "zip", "csv": "csv", "xlsx": "xlsx", "md": "md"}
CONTENT_TYPES = {
    "json": "application/json",
    "yaml": "application/zip",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}


class Transfer(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transfers",
        help_text=_("For an import, empty until the organization it creates exists."),
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    label = models.CharField(max_length=200, blank=True)
    cancel_requested = models.BooleanField(default=False)
    file_name = models.CharField(
        max_length=200, blank=True, help_text=_("Relative to the transfers directory.")
    )
    download_name = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=expiry, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["organization", "kind", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="import") | models.Q(organization__isnull=False),
                name="transfer_export_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.format} {self.code}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == Status.DONE

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def downloadable(self) -> bool:
        return (
            self.kind == Kind.EXPORT
            and self.status == Status.DONE
            and bool(self.file_name)
            and not self.is_expired()
        )

    @property
    def percent(self) -> int | None:
        """How far it is, 0–100, or None while the size of the work is unknown."""
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.format, "application/octet-stream")
