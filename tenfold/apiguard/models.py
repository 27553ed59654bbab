from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first answer to a request sent with an ``Idempotency-Key``, kept for replays.

    ``lookup`` digests (caller, method, path, key): its unique constraint is what lets only
    one of two simultaneous requests with the same key run. ``status`` stays empty while that
    request is running."""

    lookup = models.CharField(max_length=64, unique=True)
    caller = models.CharField(_("caller"), max_length=80)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=2000)
    key = models.CharField(_("key"), max_length=255)
    request_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(_("created"))
    locked_until = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class RateCounter(models.Model):
    """Requests of one caller in one time window. Rows are only ever incremented in place
    (one upsert per request), so several server processes share the same budget."""

    bucket = models.CharField(max_length=100)
    slot = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "slot"], name="apiguard_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.slot}: {self.hits}"
