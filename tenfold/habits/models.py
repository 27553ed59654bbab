"""Kudos: a small "well done" on someone's check-in or weekly item.

Kudos acknowledge the habit (checking in, writing the week), never the result. They are not
counted into anything about a person's performance: there is no kudos total per person outside
that person's own week, and nothing ranks people by them (docs/scores-policy.md).

Like comments and reactions, a kudos points at its target through one of two nullable foreign
keys, with a check constraint for "exactly one": the database keeps referential integrity, and
counting for a whole list of targets of either kind is one indexed query.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.organizations.models import Organization

KUDOS_TARGETS = ("checkin", "weekly_item")
"""The foreign keys a kudos may point at; exactly one is set."""


class Kudos(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        on_delete=models.CASCADE,
        related_name="kudos_given",
    )
    checkin = models.ForeignKey(
        "checkins.CheckIn",
        verbose_name=_("check-in"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    weekly_item = models.ForeignKey(
        "checkins.WeeklyItem",
        verbose_name=_("weekly item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(checkin__isnull=False, weekly_item__isnull=True)
                    | models.Q(checkin__isnull=True, weekly_item__isnull=False)
                ),
                name="kudos_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=[field, "giver"],
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"kudos_once_{field}",
                )
                for field in KUDOS_TARGETS
            ),
        ]
        # "Kudos received this week" reads by organization and time.
        indexes = [models.Index(fields=["organization", "created_at"], name="kudos_org_time_idx")]

    def __str__(self) -> str:
        return f"{self.giver_id} → {self.checkin_id or self.weekly_item_id}"

    @property
    def target(self) -> Any:
        return self.checkin if self.checkin_id else self.weekly_item
