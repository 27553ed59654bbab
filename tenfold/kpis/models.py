"""KPIs: the health metrics of business as usual, each with an append-only value history.

METHOD §10: KPIs are watched, OKRs drive change. A KPI that falls out of health is the moment
to write an OKR; `Objective.kpi` remembers which KPI an objective was written for.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.okrs.models import TEXT_MAX, VALUE_DIGITS, VALUE_PLACES, ValueFormat
from tenfold.organizations.models import Organization, Unit

from .health import Direction as DirectionValue
from .health import Health, health

NAME_MAX = 120
NOTE_MAX = 500


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = DirectionValue.HIGHER_IS_BETTER.value, _("Higher is better")
    LOWER_IS_BETTER = DirectionValue.LOWER_IS_BETTER.value, _("Lower is better")
    IN_RANGE = DirectionValue.IN_RANGE.value, _("Healthy within a range")


class Kpi(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="kpis")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("owned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kpis",
        help_text=_("Empty for a KPI of the whole company."),
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    description = models.TextField(_("what it measures"), max_length=TEXT_MAX, blank=True)
    unit_label = models.CharField(_("unit"), max_length=30, blank=True)
    value_format = models.CharField(
        _("format"), max_length=10, choices=ValueFormat, default=ValueFormat.NUMBER
    )
    currency = models.CharField(_("currency code"), max_length=3, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimal places shown"), default=0)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction, default=Direction.HIGHER_IS_BETTER
    )
    target = models.DecimalField(_("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    target_high = models.DecimalField(
        _("upper end of the range"),
        max_digits=VALUE_DIGITS,
        decimal_places=VALUE_PLACES,
        null=True,
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_kpis",
    )
    active = models.BooleanField(_("monitored"), default=True)
    # The newest value by measurement time, kept by the service that records values so lists
    # read it without looking at the history.
    current = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    current_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="kpi_name"),
            models.CheckConstraint(
                condition=models.Q(target_high__isnull=True)
                | models.Q(target_high__gte=models.F("target")),
                name="kpi_range_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def health(self) -> Health:
        return health(
            self.current,
            direction=self.direction,
            target=self.target,
            target_high=self.target_high,
        )

    @property
    def is_range(self) -> bool:
        return self.direction == Direction.IN_RANGE


class KpiValue(models.Model):
    """One measurement. Append-only, like check-ins: a wrong value is followed by a right one,
    never edited away."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    measured_at = models.DateTimeField(_("measured at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-measured_at", "-id")
        indexes = [models.Index(fields=["kpi", "-measured_at"])]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"

    @property
    def plain_value(self) -> Decimal:
        return self.value.normalize()
