"""The secret behind each calendar feed link.

A feed URL carries a signed token naming the organization, the unit or person, and the key
below. Resetting the link writes a new key, so every link signed with the old one stops
working at once. Without a row the key is `INITIAL_KEY`: a unit or person gets a working link
without anything being written until someone resets it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tenfold.organizations.models import Organization, Unit

INITIAL_KEY = "0"


class CalendarKey(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_keys",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_keys"
    )
    key = models.CharField(max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, unit__isnull=True)
                    | models.Q(user__isnull=True, unit__isnull=False)
                ),
                name="calendar_key_one_owner",
            ),
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="calendar_key_person_once",
            ),
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(unit__isnull=False),
                name="calendar_key_unit_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id or self.user_id}: {self.key[:4]}…"
