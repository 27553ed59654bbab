"""Weekly digests: who outside the organization receives them, and which weeks are done.

Members get their team's digest and leaders the company's without any row here: who they are
follows from the organization's units and roles. A `Subscriber` is someone without an account
(an investor, a board member, a partner team) that an admin chose to keep informed; what they
see is limited to the sections the admin ticked, and names of people only when the admin said
so explicitly. A `DigestRun` remembers that a week's digests of one organization were all
handed over, so the periodic tick can skip it with one query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenfold.lib.codes import new_code
from tenfold.organizations.models import Organization, Unit

NAME_MAX = 120


class Section(models.TextChoices):
    """What a subscriber's digest may contain. Weekly plans and problems are never among them:
    they are written for the team, not for outsiders."""

    SUMMARY = "summary", _("Summary numbers")
    OBJECTIVES = "objectives", _("Objectives with their progress and status")
    AT_RISK = "at_risk", _("Key results that need attention")
    HIGHLIGHTS = "highlights", _("Highlights")


def default_sections() -> list[str]:
    return [Section.SUMMARY.value, Section.OBJECTIVES.value, Section.HIGHLIGHTS.value]


class Subscriber(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="digest_subscribers"
    )
    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("digest of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="digest_subscribers",
        help_text=_("Empty for the company digest."),
    )
    sections = models.JSONField(_("sections"), default=default_sections)
    include_names = models.BooleanField(
        _("include people's names"),
        default=False,
        help_text=_("Off by default: subscribers read about OKRs, not about people."),
    )
    active = models.BooleanField(_("active"), default=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("email", "id")
        constraints = [
            # One subscription per address and digest; the company digest has no unit.
            models.UniqueConstraint(
                fields=["organization", "email", "unit"],
                condition=models.Q(unit__isnull=False),
                name="subscriber_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(unit__isnull=True),
                name="subscriber_once_for_company",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def label(self) -> str:
        return self.name or self.email


class DigestRun(models.Model):
    """One organization's digests of one week (`period` is the ISO week of the digest day).
    Finished once every delivery of the week has been sent or has failed for good."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=40)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "period"], name="digest_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.period}"
