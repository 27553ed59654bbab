"""Key-result data feeds: where a key result's number comes from when it lives in another
system.

One `DataSource` per key result, of one of three kinds:

- **push** — the other system sends the value to `/feeds/<token>/`. Only a SHA-256 digest of
  the token is stored (as for API tokens): the token is shown once, when it is made or
  rotated, and a copy of the database is not enough to push values.
- **url** — Tenfold fetches a JSON or CSV document on a schedule and reads one number out of
  it (see `tenfold.lib.feeds` for the path syntax).
- **sql** — Tenfold runs a read-only SELECT against another database (PostgreSQL, or a SQLite
  file in the directory the operator set aside for that) on a schedule.

Headers and connection strings must be usable to make the request, so they are stored as
given; they are write-only in every interface (pages, API and CLI show header names and a
connection string with its password masked, never the secret parts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib import feeds as rules
from tenfold.lib.codes import new_code
from tenfold.okrs.models import VALUE_DIGITS, VALUE_PLACES, KeyResult
from tenfold.organizations.models import Organization

URL_MAX = 2000
ERROR_MAX = 1000


class Kind(models.TextChoices):
    PUSH = "push", _("Pushed to Tenfold")
    URL = "url", _("Fetched from an address")
    SQL = "sql", _("Queried from a database")


class Format(models.TextChoices):
    JSON = "json", _("JSON")
    CSV = "csv", _("CSV")


class Schedule(models.TextChoices):
    HOURLY = rules.HOURLY, _("Every hour")
    DAILY = rules.DAILY, _("Every day")
    WEEKLY = rules.WEEKLY, _("Every week")


class SyncStatus(models.TextChoices):
    NEVER = "", _("Not synced yet")
    OK = "ok", _("OK")
    ERROR = "error", _("Error")


class DataSource(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="data_sources"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    key_result = models.OneToOneField(KeyResult, on_delete=models.CASCADE, related_name="data_feed")
    kind = models.CharField(_("kind"), max_length=5, choices=Kind)
    enabled = models.BooleanField(_("enabled"), default=True)

    # push
    token_prefix = models.CharField(max_length=16, blank=True)
    token_digest = models.CharField(max_length=64, blank=True)

    # url
    url = models.CharField(_("address"), max_length=URL_MAX, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format, blank=True)
    path = models.CharField(_("path to the number"), max_length=rules.PATH_MAX, blank=True)
    csv_column = models.CharField(_("column"), max_length=200, blank=True)
    csv_row = models.CharField(_("row"), max_length=20, blank=True, default=rules.ROW_LAST)
    csv_filter = models.CharField(_("only rows where"), max_length=300, blank=True)
    csv_header = models.BooleanField(_("first row holds the column names"), default=True)
    headers = models.JSONField(_("request headers"), default=dict, blank=True)

    # sql
    connection = models.TextField(_("connection"), blank=True)
    query = models.TextField(_("query"), max_length=rules.QUERY_MAX, blank=True)

    # schedule (url and sql)
    schedule = models.CharField(
        _("schedule"), max_length=6, choices=Schedule, default=Schedule.DAILY
    )
    schedule_hour = models.PositiveSmallIntegerField(_("at hour"), default=6)
    schedule_weekday = models.PositiveSmallIntegerField(_("on weekday"), default=0)
    next_run_at = models.DateTimeField(null=True, blank=True)

    # the last sync
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    last_status = models.CharField(max_length=5, choices=SyncStatus, blank=True, default="")
    last_error = models.TextField(max_length=ERROR_MAX, blank=True)
    last_recorded_at = models.DateTimeField(null=True, blank=True)
    """When a sync or push last turned into a check-in."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set up by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The tick's question: which enabled pulls are due?
            models.Index(fields=["enabled", "next_run_at"], name="feed_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="feed_kind"),
            models.CheckConstraint(
                condition=models.Q(schedule__in=Schedule.values), name="feed_schedule"
            ),
            models.CheckConstraint(
                condition=models.Q(schedule_hour__lte=23) & models.Q(schedule_weekday__lte=6),
                name="feed_schedule_range",
            ),
            models.UniqueConstraint(
                fields=["token_digest"],
                condition=~models.Q(token_digest=""),  # nosec B106  # "no token", not a password
                name="feed_token_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.key_result_id}"

    @property
    def is_pull(self) -> bool:
        return self.kind in (Kind.URL, Kind.SQL)

    @property
    def failed(self) -> bool:
        return self.last_status == SyncStatus.ERROR
