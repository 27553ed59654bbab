from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.okrs.models import TEXT_MAX, VALUE_DIGITS, VALUE_PLACES, KeyResult
from tenfold.organizations.models import Organization


class Source(models.TextChoices):
    WEB = "web", _("Web")
    CLI = "cli", _("Command line")
    API = "api", _("API")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    INTEGRATION = "integration", _("Integration")
    IMPORT = "import", _("Import")


class CheckIn(models.Model):
    """One reading of a key result. Append-only: a correction is a new row that points at the
    one it supersedes, so the history always shows what was said at the time."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="checkins")
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    confidence = models.DecimalField(
        _("confidence"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="checkins"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.WEB)
    measured_at = models.DateTimeField(_("measured at"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    edit_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)

    class Meta:
        ordering = ("-measured_at", "-id")
        indexes = [models.Index(fields=["key_result", "-measured_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | (models.Q(confidence__gte=0) & models.Q(confidence__lte=1)),
                name="checkin_confidence_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value}"

    @property
    def confidence_out_of_ten(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 10)
